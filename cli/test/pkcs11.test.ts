/**
 * An issuer key in a PKCS#11 token, through the CLI as an operator uses it: SoftHSM 2 with a fresh
 * token in a temp directory. `issuer add-key --generate` makes the key inside the token and records
 * where it is (never the PIN); `issue` and `issue-batch` sign through it with no key passphrase at all;
 * the credential verifies VALID with the public key the ledger holds; the key cannot be read out of the
 * token; each token failure is one line with its own code and exit code; a batch broken by the token's
 * removal resumes with the same command once the token is back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseCsv } from '@credledger/issuer';

import { createSoftHsmToken, softhsm, type SoftHsmToken } from '../../packages/pkcs11/test/softhsm.js';
import { pkcs11ExitCodes, verdictExitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, finish, json, runCli, startCli, tempDir, type CliResult, wangLicence } from './cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tokenChild = join(root, 'packages/pkcs11/test/token-child.mjs');
const did = 'did:web:moj.gov.tw';
const keyLabel = 'moj-licence-2026';

interface IssuerJson {
  keys: { kid: string; publicKeyJwk: JsonWebKey; validUntil: string | null }[];
  tokenKey?: { kid: string; module: string; token: string; keyLabel: string; generated: boolean };
}

/** Lawyer licence rows whose licence numbers start at `from` (each test issues subjects of its own). */
function licenceCsv(from: number, count: number): string {
  const lines = ['name,licenceNumber,admissionDate,practiceStatus,barMemberships,lawFirm'];
  for (let i = from; i < from + count; i++)
    lines.push(
      `王${'怡君志明建宏淑芬'[i % 8]},(115)台檢證字第${String(i).padStart(6, '0')}號,2020-09-0${1 + (i % 9)},practising,臺北律師公會,明德法律事務所`,
    );
  return `${lines.join('\n')}\n`;
}

/** Journal lines by kind (`signed`, `anchored`, `complete`). */
function journalCounts(path: string): Record<string, number> {
  const counts: Record<string, number> = {};
  if (!existsSync(path)) return counts;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const kind = /^\{"k":"(\w+)"/.exec(line)?.[1];
    if (kind) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

if (!('module' in softhsm)) {
  console.log(`cli pkcs11: skipped, ${softhsm.missing}`);
  describe.skip('an issuer key in a PKCS#11 token', () => {
    it('needs SoftHSM 2', () => undefined);
  });
} else {
  describe('an issuer key in a PKCS#11 token, through the CLI (SoftHSM 2)', () => {
    let token: SoftHsmToken;
    let dir: string;
    let cleanup: () => Promise<void>;
    let workspace: string;
    let added: CliResult;
    /** The token's files as they were after add-key: a "removed" token is put back from here. */
    let tokenCopy: string;

    /** The environment of an operator with the token: its PIN, and no key passphrase at all. */
    const withToken = (extra: Record<string, string> = {}): Record<string, string> => ({
      ...token.env,
      CREDLEDGER_PKCS11_PIN: token.pin,
      CREDLEDGER_KEY_PASSPHRASE: '',
      ...extra,
    });
    const cli = (args: string[], env: Record<string, string> = withToken()): Promise<CliResult> =>
      runCli(['-w', workspace, ...args], { env });
    const tokenFlags = (overrides: Partial<Record<'module' | 'token' | 'key', string>> = {}): string[] => [
      '--pkcs11',
      overrides.module ?? token.module,
      '--token',
      overrides.token ?? token.label,
      '--key-label',
      overrides.key ?? keyLabel,
    ];

    beforeAll(async () => {
      token = await createSoftHsmToken({ label: 'moj-issuer' });
      ({ dir, cleanup } = await tempDir('credledger-pkcs11-'));
      workspace = join(dir, 'ws');
      expectExit(await runCli(['init', workspace]), 0);
      // Registered with a key file first, as an agency starts; the token key replaces it.
      expectExit(
        await runCli([
          '-w',
          workspace,
          'issuer',
          'register',
          did,
          '--msp',
          'MojMSP',
          '--name-zh',
          '法務部',
          '--name-en',
          'Ministry of Justice',
          '--type',
          'LawyerLicenceCredential',
        ]),
        0,
      );
      added = await cli(['issuer', 'add-key', did, ...tokenFlags(), '--generate', '--json']);
      expectExit(added, 0);
      tokenCopy = join(dir, 'token-copy');
      await cp(join(token.dir, 'tokens'), tokenCopy, { recursive: true });
    }, 120_000);

    afterAll(async () => {
      await cleanup();
      await token.cleanup();
    });

    it('add-key generates the key in the token, registers it and records where it is, not the PIN', async () => {
      const issuer = json<IssuerJson>(added);
      expect(issuer.tokenKey).toMatchObject({
        kid: `${did}#key-2`,
        module: token.module,
        token: 'moj-issuer',
        keyLabel,
        generated: true,
      });
      // The file key it replaces is retired; the token key is the one active key.
      expect(issuer.keys.filter((key) => key.validUntil === null).map((key) => key.kid)).toEqual([`${did}#key-2`]);
      const configText = await readFile(join(workspace, 'credledger.json'), 'utf8');
      expect(JSON.parse(configText).issuers[did].pkcs11Keys).toEqual({
        [`${did}#key-2`]: { module: token.module, token: 'moj-issuer', keyLabel },
      });
      expect(configText).not.toContain(token.pin);
      expect(added.stderr).not.toContain(token.pin);
    });

    it('the key cannot leave the token: CKA_EXTRACTABLE false, its value refused to another client', async () => {
      const inspected = await new Promise<string>((resolveRun, reject) => {
        const input = { step: 'inspect', module: token.module, token: token.label, pin: token.pin, key: keyLabel };
        const child = spawn(process.execPath, [tokenChild, JSON.stringify(input)], {
          env: { ...process.env, ...token.env },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
        child.on('error', reject);
        child.on('close', (code) => {
          if (code === 0) resolveRun(out);
          else reject(new Error(`inspect exited ${code}`));
        });
      });
      const seen = JSON.parse(inspected) as {
        flags: Record<string, boolean>;
        value: { message: string } | null;
        wrap: { message: string } | null;
      };
      expect(seen.flags).toMatchObject({ CKA_EXTRACTABLE: false, CKA_SENSITIVE: true, CKA_NEVER_EXTRACTABLE: true });
      expect(seen.value?.message).toBe('CKR_ATTRIBUTE_SENSITIVE');
      expect(seen.wrap?.message).toBe('CKR_KEY_UNEXTRACTABLE');
    });

    it('issues a lawyer licence signed in the token that verifies VALID with the key from the ledger', async () => {
      const jwtFile = join(dir, 'licence.jwt');
      const issued = await cli([...wangLicence, '--out', jwtFile]);
      expectExit(issued, 0);
      const jwt = (await readFile(jwtFile, 'utf8')).trim();
      const [header = '', payload = '', signature = ''] = jwt.split('.');
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({
        alg: 'ES256',
        kid: `${did}#key-2`,
      });

      // The public key as the ledger's issuer record holds it, read back by anyone.
      const shown = await cli(['issuer', 'show', did, '--json'], {});
      expectExit(shown, 0);
      const ledgerKey = json<IssuerJson>(shown).keys.find((key) => key.kid === `${did}#key-2`);
      const publicKey = createPublicKey({ key: ledgerKey?.publicKeyJwk ?? {}, format: 'jwk' });
      expect(
        verify(
          'sha256',
          Buffer.from(`${header}.${payload}`),
          { key: publicKey, dsaEncoding: 'ieee-p1363' },
          Buffer.from(signature, 'base64url'),
        ),
      ).toBe(true);

      // And credledger's own verifier, which needs no token: VALID.
      const verified = await cli(['verify', jwtFile, '--json'], {});
      expectExit(verified, verdictExitCodes.VALID);
      expect(json<{ verdict: string }>(verified).verdict).toBe('VALID');
    });

    it('issues an SD-JWT VC (tw-diw) signed in the token: its issuer-signed JWT verifies with the ledger key, VALID', async () => {
      const file = join(dir, 'licence.sd-jwt');
      const issued = await cli([
        'issue',
        'LawyerLicenceCredential',
        '--name',
        '王小明',
        '--licence-number',
        '(115)台檢證字第012346號',
        '--admission-date',
        '2020-09-01',
        '--practice-status',
        'practising',
        '--format',
        'sd-jwt',
        '--profile',
        'tw-diw',
        '--out',
        file,
      ]);
      expectExit(issued, 0);
      const [issuerJwt = ''] = (await readFile(file, 'utf8')).trim().split('~');
      const [header = '', payload = '', signature = ''] = issuerJwt.split('.');
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
        typ: 'vc+sd-jwt',
        kid: `${did}#key-2`,
        alg: 'ES256',
      });
      const shown = await cli(['issuer', 'show', did, '--json'], {});
      const ledgerKey = json<IssuerJson>(shown).keys.find((key) => key.kid === `${did}#key-2`);
      const publicKey = createPublicKey({ key: ledgerKey?.publicKeyJwk ?? {}, format: 'jwk' });
      expect(
        verify(
          'sha256',
          Buffer.from(`${header}.${payload}`),
          { key: publicKey, dsaEncoding: 'ieee-p1363' },
          Buffer.from(signature, 'base64url'),
        ),
      ).toBe(true);
      const verified = await cli(['verify', file, '--json'], {});
      expectExit(verified, verdictExitCodes.VALID);
      expect(json<{ verdict: string }>(verified).verdict).toBe('VALID');
    });

    it('issue-batch signs every row through the token', async () => {
      const csv = join(dir, 'batch.csv');
      const out = join(dir, 'batch-out');
      await writeFile(csv, licenceCsv(100_000, 300));
      const batch = await cli(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--json']);
      expectExit(batch, 0);
      expect(json<{ issued: number; signedNow: number }>(batch)).toMatchObject({ issued: 300, signedNow: 300 });
      const result = parseCsv(await readFile(join(out, 'result.csv'), 'utf8'));
      const files = result.records.map((record) => join(out, record.cells[2]!));
      const verified = await cli(['verify', ...files, '--json'], {});
      expectExit(verified, verdictExitCodes.VALID);
      const verdicts = json<{ verdict: string }[]>(verified);
      expect(verdicts).toHaveLength(300);
      expect(verdicts.every((v) => v.verdict === 'VALID')).toBe(true);
      for (const file of files.slice(0, 5))
        expect(
          JSON.parse(Buffer.from((await readFile(file, 'utf8')).split('.')[0]!, 'base64url').toString()),
        ).toMatchObject({ kid: `${did}#key-2` });
    });

    it('says in one line, with a code and exit code of its own, what is wrong with the token', async () => {
      const cases: [string, CliResult][] = [
        [
          'PKCS11_MODULE_UNAVAILABLE',
          await cli(['issuer', 'add-key', did, ...tokenFlags({ module: join(dir, 'none.so') })]),
        ],
        ['PKCS11_TOKEN_NOT_FOUND', await cli(['issuer', 'add-key', did, ...tokenFlags({ token: 'moea-issuer' })])],
        ['PKCS11_KEY_NOT_FOUND', await cli(['issuer', 'add-key', did, ...tokenFlags({ key: 'moj-licence-2027' })])],
        ['PKCS11_KEY_EXISTS', await cli(['issuer', 'add-key', did, ...tokenFlags(), '--generate'])],
        [
          'PKCS11_PIN_INCORRECT',
          await cli(
            [
              'issue',
              'LawyerLicenceCredential',
              '--name',
              '李四',
              '--licence-number',
              '(115)台檢證字第000001號',
              '--admission-date',
              '2020-09-01',
              '--practice-status',
              'practising',
            ],
            withToken({ CREDLEDGER_PKCS11_PIN: `${token.pin}9` }),
          ),
        ],
        [
          'PKCS11_PIN_REQUIRED',
          await cli(
            [
              'issue',
              'LawyerLicenceCredential',
              '--name',
              '李四',
              '--licence-number',
              '(115)台檢證字第000001號',
              '--admission-date',
              '2020-09-01',
              '--practice-status',
              'practising',
            ],
            withToken({ CREDLEDGER_PKCS11_PIN: '' }),
          ),
        ],
      ];
      for (const [code, result] of cases) {
        expectExit(result, pkcs11ExitCodes[code as keyof typeof pkcs11ExitCodes]);
        expect(errorLines(result)).toEqual([expect.stringMatching(new RegExp(`^error ${code}: `))]);
        // A next step, and never the PIN (right or wrong).
        expect(result.stderr).toMatch(/\nhint: /);
        expect(result.stderr + result.stdout).not.toContain(token.pin);
      }
      // Nothing was changed by the failed attempts: the token key is still the one active key.
      const shown = json<IssuerJson>(await cli(['issuer', 'show', did, '--json'], {}));
      expect(shown.keys.filter((key) => key.validUntil === null).map((key) => key.kid)).toEqual([`${did}#key-2`]);
    });

    it('a batch broken by the token’s removal fails with PKCS11_DEVICE_ERROR and resumes once it is back', async () => {
      const rows = 3000;
      const csv = join(dir, 'removed.csv');
      const out = join(dir, 'removed-out');
      const journal = join(out, '.credledger-batch.journal');
      const tokens = join(token.dir, 'tokens');
      await writeFile(csv, licenceCsv(200_000, rows));
      const args = [
        '-w',
        workspace,
        'issue-batch',
        'LawyerLicenceCredential',
        '--csv',
        csv,
        '--out',
        out,
        '--per-tx',
        '100',
      ];
      try {
        const first = startCli(args, { env: withToken() });
        const firstDone = finish(first);
        // The token goes away once some rows are signed and anchored, before the batch is done.
        await new Promise<void>((resolveRemoved, reject) => {
          const timer = setInterval(() => {
            if ((journalCounts(journal).anchored ?? 0) >= 2) {
              clearInterval(timer);
              rm(tokens, { recursive: true, force: true }).then(resolveRemoved, reject);
            }
          }, 5);
          first.on('exit', () => {
            clearInterval(timer);
            reject(new Error('the batch finished before the token could be removed'));
          });
        });
        const broken = await firstDone;
        expectExit(broken, pkcs11ExitCodes.PKCS11_DEVICE_ERROR);
        expect(errorLines(broken)).toEqual([expect.stringMatching(/^error PKCS11_DEVICE_ERROR: /)]);
        const atFailure = journalCounts(journal);
        expect(atFailure.complete).toBeUndefined();
        expect(atFailure.signed ?? 0).toBeLessThan(rows);

        // The token is back: the same command finishes the batch, re-signing nothing journalled.
        await cp(tokenCopy, tokens, { recursive: true });
        const second = await runCli([...args, '--json'], { env: withToken() });
        expectExit(second, 0);
        const summary = json<{ issued: number; signedNow: number }>(second);
        expect(summary.issued).toBe(rows);
        expect(summary.signedNow).toBe(rows - (atFailure.signed ?? 0));
        const result = parseCsv(await readFile(join(out, 'result.csv'), 'utf8'));
        const ids = result.records.map((record) => record.cells[1]!);
        expect(new Set(ids).size).toBe(rows);
        const verified = await cli(
          ['verify', ...result.records.map((record) => join(out, record.cells[2]!)), '--json'],
          {},
        );
        expectExit(verified, verdictExitCodes.VALID);
        expect(json<{ verdict: string }[]>(verified).every((v) => v.verdict === 'VALID')).toBe(true);
      } finally {
        // Whatever happened, the token is there for the other tests.
        if (!existsSync(tokens)) await cp(tokenCopy, tokens, { recursive: true });
      }
    }, 180_000);
  });
}
