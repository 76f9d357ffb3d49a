/**
 * `issue --format sd-jwt` and `issue-batch --format sd-jwt` through the built CLI on a real embedded
 * ledger, for both profiles: the credential is anchored, `verify` reports it VALID with what it discloses,
 * `revoke` makes it REVOKED; the flags that do not fit together are refused before anything is signed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { exitCodes, verdictExitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, json, runCli, tempDir } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];

interface VerifyJson {
  verdict: string;
  credential?: { id: string; subject: Record<string, unknown> };
  presentation?: { format: string; profile: string; disclosed: string[]; keyBound: boolean };
  checks: { name: string; result: string; reason: string }[];
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'demo');
  expectExit(await runCli(['demo', workspace, '--no-serve', '--json']), 0);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

const lawyerArgs = (licenceNumber: string): string[] => [
  '--name',
  '王大明',
  '--licence-number',
  licenceNumber,
  '--admission-date',
  '2025-09-01',
  '--practice-status',
  'practising',
];

describe.each([
  ['tw-diw', 'vc+sd-jwt', '(114)台檢證字第000881號'],
  ['ietf', 'dc+sd-jwt', '(114)台檢證字第000882號'],
])('issue --format sd-jwt --profile %s', (profile, typ, licenceNumber) => {
  it('anchors it, verify reports every claim disclosed and VALID, and after revoke REVOKED', async () => {
    const file = join(dir, `${profile}.sd-jwt`);
    const issued = await runCli(
      ws([
        'issue',
        'LawyerLicenceCredential',
        ...lawyerArgs(licenceNumber),
        '--format',
        'sd-jwt',
        '--profile',
        profile,
        '--out',
        file,
        '--json',
      ]),
    );
    expectExit(issued, 0);
    const out = json<{ id: string; jwt: string; link: string | null }>(issued);
    expect(out.link).toBeNull();
    const text = (await readFile(file, 'utf8')).trim();
    expect(text).toBe(out.jwt);
    const [issuerJwt = ''] = text.split('~');
    expect(JSON.parse(Buffer.from(issuerJwt.split('.')[0] ?? '', 'base64url').toString('utf8'))).toMatchObject({ typ });

    const verified = await runCli(ws(['verify', file, '--json']));
    expectExit(verified, 0);
    const result = json<VerifyJson>(verified);
    expect(result.verdict).toBe('VALID');
    expect(result.checks.find((c) => c.name === 'anchor')?.reason).toBe('DIGEST_MATCHES');
    expect(result.presentation).toMatchObject({ format: 'sd-jwt', profile, keyBound: false });
    expect([...(result.presentation?.disclosed ?? [])].sort()).toEqual(
      ['admissionDate', 'licenceNumber', 'name', 'practiceStatus'].sort(),
    );

    const words = await runCli(ws(['verify', file]));
    expect(words.stdout).toMatch(new RegExp(`SD-JWT disclosed \\(${profile}\\): `));

    // A printable document is for vc+jwt credentials: an SD-JWT is refused as what it is.
    const document = await runCli(ws(['document', file, '--out', join(dir, `${profile}.pdf`)]));
    expectExit(document, exitCodes.INVALID_INPUT);
    expect(errorLines(document)).toEqual([
      expect.stringMatching(/^error INVALID_INPUT: an SD-JWT credential has no printable document yet/),
    ]);

    expectExit(await runCli(ws(['revoke', out.id, '--reason', 'DISBARMENT'])), 0);
    const revoked = await runCli(ws(['verify', file, '--json']));
    expectExit(revoked, verdictExitCodes.REVOKED);
    expect(json<VerifyJson>(revoked).verdict).toBe('REVOKED');
    const history = await runCli(ws(['history', out.id, '--json']));
    expectExit(history, 0);
    expect(history.stdout).toContain('REVOKED');
  }, 60_000);
});

describe('flags that do not fit together', () => {
  it.each([
    [['--format', 'sd-jwt'], /--format sd-jwt needs --profile/, '(114)台檢證字第000883號'],
    [['--profile', 'ietf'], /--profile and --holder-key apply only to --format sd-jwt/, '(114)台檢證字第000884號'],
    [
      ['--format', 'sd-jwt', '--profile', 'ietf', '--qr-png', 'x.png'],
      /an SD-JWT credential has no QR code or PDF yet/,
      '(114)台檢證字第000885號',
    ],
    [
      ['--format', 'sd-jwt', '--profile', 'ietf', '--holder-key', 'missing.jwk'],
      /--holder-key must be a JSON file/,
      '(114)台檢證字第000886號',
    ],
  ])(
    '%j is refused with INVALID_INPUT, nothing issued',
    async (flags, message, licenceNumber) => {
      const result = await runCli(ws(['issue', 'LawyerLicenceCredential', ...lawyerArgs(licenceNumber), ...flags]));
      expectExit(result, exitCodes.INVALID_INPUT);
      expect(errorLines(result)[0]).toMatch(message);
      // Nothing was anchored: the licence number is still free (one active credential per licence).
      expectExit(await runCli(ws(['issue', 'LawyerLicenceCredential', ...lawyerArgs(licenceNumber)])), 0);
    },
    30_000,
  );
});

describe('issue-batch --format sd-jwt', () => {
  it('issues every row as an SD-JWT bound to the holder key, each VALID', async () => {
    const csv = join(dir, 'wallet.csv');
    await writeFile(
      csv,
      'name,licenceNumber,admissionDate,practiceStatus\n林一明,(113)台檢證字第000901號,2024-01-01,practising\n林二明,(113)台檢證字第000902號,2024-02-01,practising\n',
    );
    const holder = join(dir, 'holder.jwk');
    const { publicKey } = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    await writeFile(holder, JSON.stringify(await globalThis.crypto.subtle.exportKey('jwk', publicKey)));
    const out = join(dir, 'wallet-batch');
    const issued = await runCli(
      ws([
        'issue-batch',
        'LawyerLicenceCredential',
        '--csv',
        csv,
        '--out',
        out,
        '--format',
        'sd-jwt',
        '--profile',
        'tw-diw',
        '--holder-key',
        holder,
      ]),
    );
    expectExit(issued, 0);
    const files = await readdir(join(out, 'jwt'));
    expect(files).toHaveLength(2);
    const holderJwk = JSON.parse(await readFile(holder, 'utf8')) as JsonWebKey;
    for (const file of files) {
      const [issuerJwt = ''] = (await readFile(join(out, 'jwt', file), 'utf8')).split('~');
      const payload = JSON.parse(Buffer.from(issuerJwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        cnf?: { jwk: JsonWebKey };
      };
      expect(payload.cnf?.jwk).toEqual({ kty: 'EC', crv: 'P-256', x: holderJwk.x, y: holderJwk.y });
      const verified = await runCli(ws(['verify', join(out, 'jwt', file), '--json']));
      expectExit(verified, 0);
      const result = json<VerifyJson>(verified);
      expect(result.verdict).toBe('VALID');
      expect(result.presentation).toMatchObject({ profile: 'tw-diw', keyBound: false });
    }
    // A QR of an SD-JWT is refused with one line, not rendered as a link no verifier reads.
    const qr = await runCli(ws(['qr-batch', out]));
    expectExit(qr, exitCodes.CREDENTIAL_MALFORMED);
    expect(errorLines(qr).join('\n')).toMatch(/SD-JWT credential has no QR link yet/);
    const refused = await runCli(
      ws([
        'issue-batch',
        'LawyerLicenceCredential',
        '--csv',
        csv,
        '--out',
        join(dir, 'no'),
        '--format',
        'sd-jwt',
        '--profile',
        'ietf',
        '--qr',
      ]),
    );
    expectExit(refused, exitCodes.INVALID_INPUT);
  }, 90_000);
});
