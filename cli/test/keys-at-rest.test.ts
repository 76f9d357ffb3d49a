/**
 * issue 16, keys that are not in a token (decision 0020). Tried as an attacker with a copy of the
 * workspace: the ledger identities' keys were plain PEM, so `issuer rotate-key` with a passphrase of the
 * attacker's choosing put the attacker's key on the ledger. Now the CA and writer keys are sealed under
 * each organisation's passphrase, governance needs the governance organisation's, a new passphrase has a
 * minimum strength, and a workspace made before is sealed in place by `ledger protect-keys`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

import { exitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, json, runCli, tempDir, wangLicence } from './cli.js';

const governanceSecret = 'governance secret 國發會 2026';
const agencySecret = 'agency passphrase 法務部 2026';
/** The governance organisation's own variable; the other organisations use the general one. */
const secrets = {
  CREDLEDGER_IDENTITY_PASSPHRASE_NDCMSP: governanceSecret,
  CREDLEDGER_IDENTITY_PASSPHRASE: agencySecret,
};
const register = [
  'issuer',
  'register',
  'did:web:moj.gov.tw',
  '--msp',
  'MojMSP',
  '--name-zh',
  '法務部',
  '--name-en',
  'Ministry of Justice',
  '--type',
  'LawyerLicenceCredential',
];

let cleanup: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});

afterAll(async () => {
  await cleanup();
});

/** Files under `root` that hold a private key in clear, relative to it. */
async function clearKeys(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes('PRIVATE KEY')) found.push(relative(root, path));
  }
  return found.sort();
}

const auditorKeys = [
  'ledger/msp/MoeaMSP/users/auditor.key',
  'ledger/msp/MojMSP/users/auditor.key',
  'ledger/msp/NdcMSP/users/auditor.key',
];

async function activeKeys(ws: string): Promise<string[]> {
  const shown = await runCli(['-w', ws, 'issuer', 'show', 'did:web:moj.gov.tw', '--json'], {
    unset: ['CREDLEDGER_IDENTITY_PASSPHRASE'],
  });
  expectExit(shown, 0);
  return json<{ keys: { kid: string; validUntil: string | null }[] }>(shown)
    .keys.filter((k) => k.validUntil === null)
    .map((k) => k.kid);
}

describe('a workspace copied by an attacker', () => {
  let ws: string;

  beforeAll(async () => {
    ws = join(dir, 'moj-office');
    const init = await runCli(['init', ws], { env: secrets });
    expectExit(init, 0);
    expect(init.stdout).toContain(
      "sealed under each organisation's passphrase: NdcMSP/admin, MojMSP/operator, MoeaMSP/operator (read-only auditors are not)",
    );
    expectExit(await runCli(['-w', ws, ...register], { env: secrets }), 0);
  }, 120_000);

  it('holds no writer or CA key in clear', async () => {
    expect(await clearKeys(ws)).toEqual(auditorKeys);
  });

  it("cannot rotate a ministry's key without the governance organisation's passphrase", async () => {
    const rotate = ['-w', ws, 'issuer', 'rotate-key', 'did:web:moj.gov.tw'];
    const attacker = { CREDLEDGER_KEY_PASSPHRASE: 'attacker chosen passphrase' };
    const keysBefore = await activeKeys(ws);
    const filesBefore = await readdir(join(ws, 'keys', 'moj.gov.tw'));
    // No passphrase for the governance identity at all (and no terminal to ask on).
    const none = await runCli(rotate, { env: attacker, unset: ['CREDLEDGER_IDENTITY_PASSPHRASE'] });
    expectExit(none, exitCodes.PASSPHRASE_REQUIRED);
    expect(errorLines(none)).toEqual([
      "error PASSPHRASE_REQUIRED: NdcMSP's ledger identity keys are sealed: no CREDLEDGER_IDENTITY_PASSPHRASE_NDCMSP or CREDLEDGER_IDENTITY_PASSPHRASE and no terminal to ask on",
    ]);
    expect(none.stderr).toContain(
      'hint: set CREDLEDGER_IDENTITY_PASSPHRASE (or CREDLEDGER_IDENTITY_PASSPHRASE_NDCMSP for this organisation only), or run in a terminal to be prompted',
    );
    // A guess, and the agency's own passphrase: neither opens the governance keyring.
    for (const guess of ['attacker chosen passphrase', agencySecret]) {
      const wrong = await runCli(rotate, { env: { ...attacker, CREDLEDGER_IDENTITY_PASSPHRASE: guess } });
      expectExit(wrong, exitCodes.PASSPHRASE_WRONG);
      expect(errorLines(wrong)).toEqual(['error PASSPHRASE_WRONG: the passphrase does not open the keyring of NdcMSP']);
      expect(wrong.stderr).toContain('hint: the passphrase does not open that organisation');
    }
    expect(await activeKeys(ws)).toEqual(keysBefore);
    // Nothing was made on the way: no new key file.
    expect(await readdir(join(ws, 'keys', 'moj.gov.tw'))).toEqual(filesBefore);
  }, 120_000);

  it('rotates with the governance passphrase, holding the new key passphrase to the minimum', async () => {
    const rotate = ['-w', ws, 'issuer', 'rotate-key', 'did:web:moj.gov.tw'];
    const before = await activeKeys(ws);
    const weak = await runCli(rotate, { env: { ...secrets, CREDLEDGER_KEY_PASSPHRASE: 'moj2026' } });
    expectExit(weak, exitCodes.PASSPHRASE_WEAK);
    expect(errorLines(weak)).toEqual([
      'error PASSPHRASE_WEAK: a new passphrase needs at least 12 characters (a Chinese character counts as two) and 5 different characters',
    ]);
    expect(weak.stderr).not.toContain('moj2026');
    expect(await activeKeys(ws)).toEqual(before);

    const zh = await runCli(['--lang', 'zh-TW', ...rotate], {
      env: { ...secrets, CREDLEDGER_KEY_PASSPHRASE: 'moj2026' },
    });
    expect(errorLines(zh)).toEqual([
      'error PASSPHRASE_WEAK: 新密語至少需 12 個字元（中文字一字算兩個），且含 5 種不同字元',
    ]);

    expectExit(await runCli(rotate, { env: secrets }), 0);
    const after = await activeKeys(ws);
    expect(after).toHaveLength(1);
    expect(before).not.toContain(after[0]);
  }, 120_000);

  it("reads with no passphrase, and issues with the agency's own", async () => {
    const issue = ['-w', ws, ...wangLicence, '--out', join(dir, 'wang.jwt'), '--json'];
    const locked = await runCli(issue, { unset: ['CREDLEDGER_IDENTITY_PASSPHRASE'] });
    expectExit(locked, exitCodes.PASSPHRASE_REQUIRED);
    expect(errorLines(locked)[0]).toContain("MojMSP's ledger identity keys are sealed");
    const issued = await runCli(issue, { env: { CREDLEDGER_IDENTITY_PASSPHRASE: agencySecret } });
    expectExit(issued, 0);
    const { id } = json<{ id: string }>(issued);
    const status = await runCli(['-w', ws, 'status', id, '--json'], { unset: ['CREDLEDGER_IDENTITY_PASSPHRASE'] });
    expectExit(status, 0);
    expect(json<{ status: string }>(status).status).toBe('ACTIVE');
  }, 120_000);
});

describe('a workspace made before keyrings', () => {
  it('refuses governance until `ledger protect-keys` has sealed it, which can run again', async () => {
    const ws = join(dir, 'old-office');
    // The layout of earlier versions: a ledger whose local identities are plain PEM files.
    const sdk = await import('@credledger/sdk');
    {
      await using network = await sdk.ledgers.embedded({ directory: join(ws, 'ledger') });
      await using ledger = network.connect('NdcMSP/admin');
      await new sdk.Registry(ledger).init({ governanceMspIds: ['NdcMSP'] });
    }
    const config = {
      version: 1,
      ledger: { backend: 'embedded', directory: 'ledger' },
      governance: 'NdcMSP/admin',
      issuers: {},
      keyStore: 'keys',
      verifierBaseUrl: 'http://localhost:8080/',
      statusBaseUrl: 'http://localhost:8080',
    };
    await writeFile(join(ws, 'credledger.json'), JSON.stringify(config));
    expect(await clearKeys(ws)).toHaveLength(9);

    const refused = await runCli(['-w', ws, ...register], { env: secrets });
    expectExit(refused, exitCodes.KEY_STORE_ERROR);
    expect(errorLines(refused)).toEqual([
      'error KEY_STORE_ERROR: the governance identity NdcMSP/admin has its private key in a plain PEM file, so anyone who can read the workspace could change issuer keys with it; encrypt the ledger identities first',
    ]);
    expect(refused.stderr).toContain('hint: run `credledger ledger protect-keys`');
    await expect(readdir(join(ws, 'keys'))).rejects.toMatchObject({ code: 'ENOENT' });

    const weak = await runCli(['-w', ws, 'ledger', 'protect-keys'], {
      env: { CREDLEDGER_IDENTITY_PASSPHRASE: 'short' },
    });
    expectExit(weak, exitCodes.PASSPHRASE_WEAK);
    expect(await clearKeys(ws)).toHaveLength(9);

    const sealed = await runCli(['-w', ws, 'ledger', 'protect-keys'], { env: secrets });
    expectExit(sealed, 0);
    expect(sealed.stdout.split('\n').filter(Boolean)).toEqual([
      'MoeaMSP: sealed MoeaMSP/ca, MoeaMSP/operator (new passphrase)',
      'MojMSP: sealed MojMSP/ca, MojMSP/operator (new passphrase)',
      'NdcMSP: sealed NdcMSP/ca, NdcMSP/admin (new passphrase)',
      'read-only auditor keys stay readable: they may only read the ledger, which sits beside them',
    ]);
    expect(await clearKeys(ws)).toEqual(auditorKeys);
    const again = await runCli(['-w', ws, 'ledger', 'protect-keys'], { env: secrets });
    expectExit(again, 0);
    expect(again.stdout).toContain('NdcMSP: no plain keys (already sealed)');

    expectExit(await runCli(['-w', ws, ...register], { env: secrets }), 0);
    expect(await activeKeys(ws)).toEqual(['did:web:moj.gov.tw#key-1']);
  }, 120_000);
});
