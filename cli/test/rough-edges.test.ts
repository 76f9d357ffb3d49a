/**
 * Small things that made the tool feel broken (issue 13, item 10): a silent `issuer list`, output
 * without a final newline, a passphrase hint that did not name the variable, a verdict said twice.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';

import { exitCodes, verdictExitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, json, runCli, tempDir } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let demo: string;
let credentials: { label: string; id: string; jwtFile: string }[];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  demo = join(dir, 'demo');
  const result = await runCli(['demo', demo, '--no-serve', '--json']);
  expectExit(result, 0);
  credentials = json<{ credentials: typeof credentials }>(result).credentials;
}, 120_000);

/** A lawyer licence subject on the command line, with its own licence number. */
const lawyer = (number: string): string[] => [
  '--name',
  '王大明',
  '--licence-number',
  `(114)台檢證字第${number}號`,
  '--admission-date',
  '2025-09-01',
  '--practice-status',
  'practising',
];

afterAll(async () => {
  await cleanup();
});

describe('issuer list on a new workspace', () => {
  it('says that there is none and how to register one', async () => {
    const fresh = join(dir, 'fresh');
    expectExit(await runCli(['init', fresh]), 0);
    const en = await runCli(['-w', fresh, 'issuer', 'list']);
    expectExit(en, 0);
    expect(en.stdout).toBe('no issuer is registered on this ledger yet\n');
    expect(en.stderr).toContain('register one: credledger issuer register <did> --msp <MSP>');
    const zh = await runCli(['-w', fresh, '--lang', 'zh-TW', 'issuer', 'list']);
    expect(zh.stdout).toBe('此帳本尚未登記任何發行者\n');
    expect(zh.stderr).toContain('登記一個：credledger issuer register');
    // Scripts read JSON, which stays an empty list.
    expect(json<unknown[]>(await runCli(['-w', fresh, 'issuer', 'list', '--json']))).toEqual([]);
  }, 60_000);
});

describe('output ends its last line', () => {
  it('status, in words and as JSON, in both languages', async () => {
    const id = credentials[0]?.id ?? '';
    for (const args of [
      ['status', id],
      ['status', id, '--json'],
      ['--lang', 'zh-TW', 'status', id],
    ]) {
      const result = await runCli(['-w', demo, ...args]);
      expectExit(result, 0);
      expect(result.stdout).toMatch(/[^\n]\n$/);
    }
  });

  it('issue --qr-terminal: the QR code ends with a newline before the notes', async () => {
    const result = await runCli(['-w', demo, 'issue', 'LawyerLicenceCredential', '--qr-terminal', ...lawyer('000778')]);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/\n$/);
    // The last line is a row of the QR (its quiet zone), ended: nothing else shares it.
    const last = result.stdout.slice(0, -1).split('\n').at(-1) ?? '';
    expect(last).toMatch(/^[█▀▄ ]+$/);
  }, 60_000);
});

describe('PASSPHRASE_WRONG', () => {
  it('hints at CREDLEDGER_KEY_PASSPHRASE, in both languages', async () => {
    for (const lang of ['en', 'zh-TW']) {
      const result = await runCli(
        ['-w', demo, '--lang', lang, 'issue', 'LawyerLicenceCredential', ...lawyer('000779')],
        {
          env: { CREDLEDGER_KEY_PASSPHRASE: 'not the demo passphrase' },
        },
      );
      expectExit(result, exitCodes.PASSPHRASE_WRONG);
      expect(errorLines(result)).toHaveLength(1);
      expect(result.stderr.split('\n')[1]).toContain('CREDLEDGER_KEY_PASSPHRASE');
    }
  }, 60_000);
});

describe('the verdict line', () => {
  it('names the verdict once, then its words (never `VALID (valid)`)', async () => {
    const once = (line: string | undefined, code: string): void => {
      expect(line?.split(code)).toHaveLength(2);
      expect(line).not.toMatch(new RegExp(`${code}\\s*[(（]${code.toLowerCase()}[)）]`, 'i'));
    };
    const valid = await runCli(['-w', demo, 'verify', credentials[0]?.jwtFile ?? '']);
    expectExit(valid, verdictExitCodes.VALID);
    once(valid.stdout.split('\n')[0], 'VALID');
    const zh = await runCli(['-w', demo, '--lang', 'zh-TW', 'verify', credentials[0]?.jwtFile ?? '']);
    once(zh.stdout.split('\n')[0], 'VALID');
    expect(zh.stdout.split('\n')[0]).toMatch(/^結果: VALID — /);
    const malformed = await runCli(['-w', demo, 'verify', 'not-a-credential']);
    expectExit(malformed, verdictExitCodes.MALFORMED);
    once(malformed.stdout.split('\n')[0], 'MALFORMED');
  });
});

describe('a demo workspace, for a user who set no passphrase', () => {
  /** A printed command line split as a POSIX shell splits it (single quotes only, as the demo prints). */
  const words = (line: string): string[] =>
    [...line.matchAll(/(?:'[^']*'|[^\s']+)+/g)].map((m) => m[0].replace(/'([^']*)'/g, '$1'));

  it('says how to issue there (its keys’ passphrase), and the command it prints issues', async () => {
    const fresh = join(dir, 'new-user-demo');
    const newUser = ['CREDLEDGER_KEY_PASSPHRASE', 'CREDLEDGER_IDENTITY_PASSPHRASE'];
    const result = await runCli(['demo', fresh, '--no-serve'], { unset: newUser });
    expectExit(result, 0);
    expect(result.stdout).toContain(
      "issue one: the demo's keys are encrypted with the passphrase 'credledger demo'; set CREDLEDGER_KEY_PASSPHRASE and CREDLEDGER_IDENTITY_PASSPHRASE (or type it when asked):",
    );
    const line = result.stdout.split('\n').find((l) => l.startsWith("  CREDLEDGER_KEY_PASSPHRASE='credledger demo' "));
    const [keyAssignment, identityAssignment, npx, bin, ...args] = words(line ?? '');
    expect([keyAssignment, identityAssignment, npx, bin]).toEqual([
      'CREDLEDGER_KEY_PASSPHRASE=credledger demo',
      'CREDLEDGER_IDENTITY_PASSPHRASE=credledger demo',
      'npx',
      'credledger',
    ]);

    // Without the passphrases issuing fails, as it did before the demo said anything: the issuer key's,
    // then the ledger identity's (the demo's operator key is sealed too).
    const bare = await runCli(args, { unset: newUser });
    expectExit(bare, exitCodes.PASSPHRASE_REQUIRED);
    const noIdentity = await runCli(args, {
      env: { CREDLEDGER_KEY_PASSPHRASE: 'credledger demo' },
      unset: ['CREDLEDGER_IDENTITY_PASSPHRASE'],
    });
    expectExit(noIdentity, exitCodes.PASSPHRASE_REQUIRED);
    expect(noIdentity.stderr).toContain(
      "error PASSPHRASE_REQUIRED: MojMSP's ledger identity keys are sealed: no CREDLEDGER_IDENTITY_PASSPHRASE_MOJMSP or CREDLEDGER_IDENTITY_PASSPHRASE and no terminal to ask on",
    );
    const issued = await runCli([...args, '--json'], {
      env: { CREDLEDGER_KEY_PASSPHRASE: 'credledger demo', CREDLEDGER_IDENTITY_PASSPHRASE: 'credledger demo' },
    });
    expectExit(issued, 0);
    expect(json<{ id: string }>(issued).id).toMatch(/^urn:uuid:/);

    const zh = await runCli(['--lang', 'zh-TW', 'demo', fresh, '--no-serve', '--json'], { unset: newUser });
    expect(json<{ keyPassphrase?: string; identityPassphrase?: string }>(zh)).toMatchObject({
      keyPassphrase: 'credledger demo',
      identityPassphrase: 'credledger demo',
    });
  }, 120_000);
});
