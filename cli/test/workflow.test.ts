/**
 * The operator's main path, end to end through the built CLI: demo workspace → issue → verify →
 * revoke → verify; a tampered credential; a QR drawn in the terminal read back; a locked ledger;
 * dry-run of a CSV with planted errors.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { decodeCredentialLink, readQrTerminalText } from '@credledger/sdk';

import { cliExitCodes, exitCodes, verdictExitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, finish, json, runCli, startCli, tempDir } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];

interface DemoJson {
  dir: string;
  credentials: { label: string; id: string; status: string; jwtFile: string; qrPng: string; link: string }[];
}
interface VerifyJson {
  verdict: string;
  checks: { name: string; result: string; reason: string }[];
}

let demo: DemoJson;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'demo');
  const result = await runCli(['demo', workspace, '--no-serve', '--json']);
  expectExit(result, 0);
  demo = json<DemoJson>(result);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

/** Arguments of a licence; each test passes its own licence number (one ACTIVE licence per number). */
const lawyerArgs = (licenceNumber: string): string[] => [
  '--name',
  '王大明',
  '--licence-number',
  licenceNumber,
  '--admission-date',
  '2025-09-01',
  '--practice-status',
  'practising',
  '--bar-memberships',
  '臺北律師公會;新北律師公會',
];

describe('demo --no-serve', () => {
  it('issues a licence and a certificate, revokes one, and writes their JWTs and QR PNGs', () => {
    expect(demo.dir).toBe(workspace);
    expect(demo.credentials.map((c) => [c.label, c.status])).toEqual([
      ['lawyer-licence', 'ACTIVE'],
      ['company-certificate', 'ACTIVE'],
      ['lawyer-licence-revoked', 'REVOKED'],
    ]);
    for (const credential of demo.credentials) {
      expect(existsSync(credential.jwtFile)).toBe(true);
      expect(existsSync(credential.qrPng)).toBe(true);
    }
  });

  it('its QR images verify with the verdict their status says', async () => {
    const valid = await runCli(ws(['verify', demo.credentials[1]!.qrPng, '--json']));
    expectExit(valid, verdictExitCodes.VALID);
    expect(json<VerifyJson>(valid).verdict).toBe('VALID');
    const revoked = await runCli(ws(['verify', demo.credentials[2]!.qrPng, '--json']));
    expectExit(revoked, verdictExitCodes.REVOKED);
    expect(json<VerifyJson>(revoked).verdict).toBe('REVOKED');
  }, 60_000);
});

describe('issue → verify → revoke → verify', () => {
  it('goes VALID, then REVOKED with its exit code, and the audit trail shows both', async () => {
    const jwtFile = join(dir, 'wang.jwt');
    const issued = await runCli(
      ws(['issue', 'LawyerLicenceCredential', ...lawyerArgs('(114)台檢證字第000777號'), '--out', jwtFile, '--json']),
    );
    expectExit(issued, 0);
    const { id, jwt } = json<{ id: string; jwt: string }>(issued);
    expect(id).toMatch(/^urn:uuid:/);
    expect((await readFile(jwtFile, 'utf8')).trim()).toBe(jwt);

    const valid = await runCli(ws(['verify', jwtFile, '--json']));
    expectExit(valid, 0);
    const validJson = json<VerifyJson>(valid);
    expect(validJson.verdict).toBe('VALID');
    expect(validJson.checks.map((c) => [c.name, c.result])).toEqual([
      ['decode', 'pass'],
      ['issuer', 'pass'],
      ['credential-type', 'pass'],
      ['signature', 'pass'],
      ['validity', 'pass'],
      ['anchor', 'pass'],
      ['status', 'pass'],
    ]);

    const revoked = await runCli(ws(['revoke', id, '--reason', 'DISBARMENT', '--json']));
    expectExit(revoked, 0);
    expect(json(revoked)).toMatchObject({ changed: [{ id, from: 'ACTIVE', to: 'REVOKED', reason: 'DISBARMENT' }] });

    const after = await runCli(ws(['verify', jwt, '--json']));
    expectExit(after, verdictExitCodes.REVOKED);
    const afterJson = json<VerifyJson & { status: { reason: string; changedAt: string } }>(after);
    expect(afterJson.verdict).toBe('REVOKED');
    expect(afterJson.status).toMatchObject({ state: 'REVOKED', reason: 'DISBARMENT' });
    const changedAt = afterJson.status.changedAt;
    expect(changedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // Human output names the state and reason in words, and when the change took effect.
    const words = await runCli(ws(['verify', jwt, '--lang', 'en']));
    expectExit(words, verdictExitCodes.REVOKED);
    expect(words.stdout).toContain(`status: revoked (disbarment) since ${changedAt} — as of `);
    const zh = await runCli(ws(['verify', jwt, '--lang', 'zh-TW']));
    expect(zh.stdout).toContain(`狀態: 已撤銷（除名） 自 ${changedAt} 起 — 資料時間 `);

    const status = await runCli(ws(['status', id, '--json']));
    expect(json(status)).toMatchObject({
      id,
      status: 'REVOKED',
      reason: 'DISBARMENT',
      issuerDid: 'did:web:moj.gov.tw',
    });
    const history = await runCli(ws(['history', id, '--json']));
    expect(
      json<{ entries: { status: string; mspId: string }[] }>(history).entries.map((e) => [e.status, e.mspId]),
    ).toEqual([
      ['ACTIVE', 'MojMSP'],
      ['REVOKED', 'MojMSP'],
    ]);

    const again = await runCli(ws(['reinstate', id]));
    expectExit(again, exitCodes.INVALID_TRANSITION);
    expect(errorLines(again)).toEqual([expect.stringMatching(/^error INVALID_TRANSITION: /)]);
  }, 90_000);

  it('a bad field is SCHEMA_INVALID before anything is signed', async () => {
    const result = await runCli(
      ws([
        'issue',
        'LawyerLicenceCredential',
        ...lawyerArgs('(114)台檢證字第000779號').slice(0, 5),
        '2025-02-30',
        '--practice-status',
        'practising',
      ]),
    );
    expectExit(result, exitCodes.SCHEMA_INVALID);
    expect(errorLines(result)).toEqual([expect.stringMatching(/^error SCHEMA_INVALID: .*admissionDate/)]);
  }, 30_000);
});

describe('tampering', () => {
  it('a credential whose payload was edited is TAMPERED, with its exit code', async () => {
    const jwt = (await readFile(demo.credentials[1]!.jwtFile, 'utf8')).trim();
    const [header, payload, signature] = jwt.split('.');
    const body = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as {
      credentialSubject: { companyName: string };
    };
    body.credentialSubject.companyName = '冒名頂替股份有限公司';
    const forged = `${header}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${signature}`;
    const result = await runCli(ws(['verify', forged, '--json']));
    expectExit(result, verdictExitCodes.TAMPERED);
    const out = json<VerifyJson>(result);
    expect(out.verdict).toBe('TAMPERED');
    expect(out.checks.find((c) => c.name === 'signature')?.result).toBe('fail');
  }, 30_000);

  it('text that is no credential at all is MALFORMED', async () => {
    const result = await runCli(ws(['verify', 'not.a.credential', '--json']));
    expectExit(result, verdictExitCodes.MALFORMED);
  }, 30_000);
});

describe('--qr-terminal', () => {
  it('draws a QR code that decodes to the issued credential', async () => {
    const jwtFile = join(dir, 'terminal.jwt');
    const result = await runCli(
      ws([
        'issue',
        'LawyerLicenceCredential',
        ...lawyerArgs('(114)台檢證字第000778號'),
        '--out',
        jwtFile,
        '--qr-terminal',
      ]),
    );
    expectExit(result, 0);
    // stdout: the credential id on the first line, then the QR drawing.
    const [id, ...drawing] = result.stdout.split('\n');
    expect(id).toMatch(/^urn:uuid:/);
    const link = readQrTerminalText(drawing.join('\n'));
    expect(link.startsWith('http://localhost:8080/#')).toBe(true);
    const decoded = decodeCredentialLink(link);
    expect(decoded).toEqual({ jwt: (await readFile(jwtFile, 'utf8')).trim() });
  }, 30_000);
});

describe('a second process on the ledger', () => {
  it('fails LEDGER_LOCKED while `serve` holds it, and works again after', async () => {
    const server = startCli(ws(['serve', '--port', '0', '--json']));
    const done = finish(server);
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /"url": "([^"]+)"/.exec(out);
        if (match) resolve(match[1]!);
      });
      server.on('exit', () => {
        reject(new Error(`serve exited early: ${out}`));
      });
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    try {
      const locked = await runCli(ws(['status', demo.credentials[0]!.id]));
      expectExit(locked, exitCodes.LEDGER_LOCKED);
      expect(errorLines(locked)).toEqual([expect.stringMatching(/^error LEDGER_LOCKED: /)]);

      // Meanwhile the verifier reads status through serve's API.
      const viaApi = await runCli(['verify', demo.credentials[2]!.jwtFile, '--api', url, '--json']);
      expect(json<VerifyJson>(viaApi).verdict).toBe('REVOKED');
    } finally {
      server.kill('SIGTERM');
      await done;
    }
    const after = await runCli(ws(['status', demo.credentials[0]!.id, '--json']));
    expectExit(after, 0);
  }, 60_000);
});

describe('issue-batch --dry-run', () => {
  it('lists every planted bad row with its line and field, and issues nothing', async () => {
    const csv = join(dir, 'planted.csv');
    const good = (n: number): string =>
      `林${'一二三四五六七八九十'[n % 10]}明,(113)台檢證字第${String(n).padStart(6, '0')}號,2024-0${(n % 9) + 1}-01,practising,臺北律師公會`;
    const lines = ['name,licenceNumber,admissionDate,practiceStatus,barMemberships'];
    const planted: { line: number; field: string }[] = [];
    for (let n = 1; n <= 40; n++) {
      const lineNo = lines.length + 1;
      if (n === 5) {
        lines.push(good(n).replace(/2024-\d\d-01/, '2024-02-31'));
        planted.push({ line: lineNo, field: 'admissionDate' });
      } else if (n === 12) {
        lines.push(good(n).replace('台檢證字', '台檢字'));
        planted.push({ line: lineNo, field: 'licenceNumber' });
      } else if (n === 20) {
        lines.push(good(n).replace('practising', 'retired'));
        planted.push({ line: lineNo, field: 'practiceStatus' });
      } else if (n === 27) {
        lines.push(good(n).replace(/^[^,]+/, ''));
        planted.push({ line: lineNo, field: 'name' });
      } else if (n === 33) {
        lines.push(good(n).replace('臺北律師公會', '臺北律師公會;臺北律師公會'));
        planted.push({ line: lineNo, field: 'barMemberships' });
      } else lines.push(good(n));
    }
    await writeFile(csv, `${lines.join('\n')}\n`);
    const out = join(dir, 'planted-out');
    const result = await runCli(
      ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--dry-run', '--json']),
    );
    expectExit(result, cliExitCodes.ROWS_INVALID);
    const report = json<{ rows: number; valid: number; issues: { line: number; field: string }[] }>(result);
    expect(report.rows).toBe(40);
    expect(report.valid).toBe(35);
    expect(report.issues.map(({ line, field }) => ({ line, field: field.replace(/\[\d+\]$/, '') }))).toEqual(planted);
    expect(existsSync(out)).toBe(false);

    // Without --dry-run the same file is refused as a whole.
    const real = await runCli(ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out]));
    expectExit(real, cliExitCodes.ROWS_INVALID);
    expect(existsSync(out)).toBe(false);
  }, 30_000);
});
