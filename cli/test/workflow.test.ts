/**
 * The operator's main path, end to end through the built CLI: demo workspace → issue → verify →
 * revoke → verify; a tampered credential; a QR drawn in the terminal read back; a ledger locked by a
 * process that does not serve it; dry-run of a CSV with planted errors.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { readQrTerminalText } from '@credledger/issuer';
import { decodeCredentialLink } from '@credledger/verify';

import { cliExitCodes, exitCodes, verdictExitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, holdLedger, json, runCli, tempDir } from './cli.js';

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
      ['claims', 'pass'],
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
  it('fails LEDGER_LOCKED, naming the holder, while a process that does not serve it holds it, and works again after', async () => {
    // A process holding the workspace's ledger the way a running `issue-batch` does: without serving it.
    const release = await holdLedger(join(workspace, 'ledger'));
    try {
      const locked = await runCli(ws(['status', demo.credentials[0]!.id]));
      expectExit(locked, exitCodes.LEDGER_LOCKED);
      expect(errorLines(locked)).toEqual([expect.stringMatching(/^error LEDGER_LOCKED: .*process \d+/)]);
      expect(locked.stderr).toContain('while `credledger serve` runs');
    } finally {
      await release();
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
    // Nothing issued: the output directory holds only the list of errors.
    expect(await readdir(out)).toEqual(['errors.csv']);

    // Without --dry-run the same file is refused as a whole.
    const real = await runCli(ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out]));
    expectExit(real, cliExitCodes.ROWS_INVALID);
    expect(real.stderr).toContain('rows have errors; nothing was issued');
    expect(await readdir(out)).toEqual(['errors.csv']);
  }, 30_000);
});

const header = 'name,licenceNumber,admissionDate,practiceStatus,barMemberships';
const row = (n: number, name = '王小明'): string =>
  `${name},(113)台檢證字第${String(n).padStart(6, '0')}號,2024-01-01,practising,臺北律師公會`;

describe('the CSV contract (issue 13)', () => {
  it('says a problem of the whole file once, however many rows the file has', async () => {
    const csv = join(dir, 'bad-column.csv');
    const lines = [`${header},nationalId`];
    for (let n = 1; n <= 2000; n++) lines.push(`${row(n)},A123456789`);
    await writeFile(csv, `${lines.join('\n')}\n`);
    const out = join(dir, 'bad-column-out');
    const result = await runCli(
      ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--dry-run']),
    );
    expectExit(result, exitCodes.INVALID_INPUT);
    expect(errorLines(result)).toEqual([
      'error INVALID_INPUT: the CSV header does not fit LawyerLicenceCredential: unknown column "nationalId". Expected columns: name*, nameEn, licenceNumber*, admissionDate*, practiceStatus*, barMemberships, lawFirm (* required)',
    ]);
    expect(result.stderr).toContain('credledger types LawyerLicenceCredential --csv-template');
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  }, 30_000);

  it('prints 20 row errors and a summary, and writes all of them to errors.csv (and --json)', async () => {
    const csv = join(dir, 'hundred-bad.csv');
    const lines = [header];
    // 2,000 rows, every 20th with a Cyrillic а in a Latin name: 100 bad rows.
    for (let n = 1; n <= 2000; n++) lines.push(row(n, n % 20 === 0 ? 'W\u0430ng' : '王小明'));
    await writeFile(csv, `${lines.join('\n')}\n`);
    const out = join(dir, 'hundred-bad-out');
    const args = ['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--dry-run'];
    const result = await runCli(ws(args));
    expectExit(result, cliExitCodes.ROWS_INVALID);
    const printed = result.stdout.trimEnd().split('\n');
    const errorsCsv = join(out, 'errors.csv');
    expect(printed).toHaveLength(22);
    expect(printed[0]).toMatch(
      /^row 21, column name: "W\u0430ng" mixes Latin and Cyrillic letters: \u0430 \(U\+0430\) is Cyrillic \(rule: a personal name in one script: .*; required\)$/,
    );
    expect(printed[1]).toBe(
      'row 41, column name: "W\u0430ng" mixes Latin and Cyrillic letters: \u0430 (U+0430) is Cyrillic (rule: as for row 21 above)',
    );
    expect(printed.slice(0, 20).every((line) => line.startsWith('row '))).toBe(true);
    expect(printed[20]).toBe(`… and 80 more row errors; all of them in ${errorsCsv}`);
    expect(printed[21]).toBe('2,000 rows, 1,900 valid, 100 invalid (100 errors), 0 already have a credential');
    const text = await readFile(errorsCsv, 'utf8');
    const records = text.trimEnd().split('\r\n');
    expect(records).toHaveLength(101);
    expect(records[0]).toBe('\uFEFFrow,column,value,problem,rule,message');
    expect(records[100]).toMatch(/^2001,name,W\u0430ng,mixed-script,/);
    expect((await stat(errorsCsv)).mode & 0o777).toBe(0o600);

    const asJson = await runCli(ws([...args, '--json']));
    expectExit(asJson, cliExitCodes.ROWS_INVALID);
    const report = json<{
      rows: number;
      invalid: number;
      issues: { line: number; rule: { en: string } }[];
      errorsCsv: string;
    }>(asJson);
    expect(report).toMatchObject({ rows: 2000, invalid: 100, errorsCsv });
    expect(report.issues).toHaveLength(100);
    expect(report.issues.map((issue) => issue.line)).toEqual(Array.from({ length: 100 }, (_, i) => (i + 1) * 20 + 1));

    // Fixed, the file passes and the stale errors.csv is gone.
    await writeFile(csv, `${lines.map((line) => line.replace('W\u0430ng', 'Wang')).join('\n')}\n`);
    const fixed = await runCli(ws(args));
    expectExit(fixed, 0);
    expect(fixed.stdout).toBe('2,000 rows, 2,000 valid, 0 invalid (0 errors), 0 already have a credential\n');
    expect(existsSync(errorsCsv)).toBe(false);
  }, 60_000);

  it.each(['LawyerLicenceCredential', 'EconomicCertificateCredential'])(
    'types %s --csv-template gives a file that passes issue-batch --dry-run',
    async (type) => {
      const template = await runCli(['types', type, '--csv-template']);
      expectExit(template, 0);
      expect(template.stdout.split('\r\n')).toHaveLength(3);
      const csv = join(dir, `${type}-template.csv`);
      await writeFile(csv, template.stdout);
      const result = await runCli(
        ws(['issue-batch', type, '--csv', csv, '--out', join(dir, `${type}-out`), '--dry-run', '--json']),
      );
      // The rows pass; the demo workspace may already hold the example's subject (exit 60 says so).
      expect([0, exitCodes.SUBJECT_HAS_ACTIVE_CREDENTIAL]).toContain(result.code);
      expect(json(result)).toMatchObject({ rows: 1, valid: 1, invalid: 0, issues: [] });
    },
    30_000,
  );

  it("types <type> says each field's rule in both languages", async () => {
    const en = await runCli(['types', 'LawyerLicenceCredential']);
    expectExit(en, 0);
    expect(en.stdout).toContain('      presence: optional when practiceStatus is practising, otherwise left empty\n');
    expect(en.stdout).toContain('      format: one of: practising (Practising), not-practising (Not practising)\n');
    const zh = await runCli(['--lang', 'zh-TW', 'types', 'LawyerLicenceCredential']);
    expectExit(zh, 0);
    expect(zh.stdout).toContain('      填寫：practiceStatus 為 practising 時選填，其他情形留空\n');
    expect(zh.stdout).toContain('      格式：下列之一：practising（執業中）、not-practising（未執業）\n');
  }, 30_000);
});

describe('a credential already expired when issued', () => {
  it('is refused without --allow-expired, by issue and issue-batch alike', async () => {
    const args = ['issue', 'LawyerLicenceCredential', ...lawyerArgs('(99)台檢證字第000999號')];
    const refused = await runCli(ws([...args, '--valid-from', '2010-09-01', '--valid-until', '2020-09-01']));
    expectExit(refused, exitCodes.SCHEMA_INVALID);
    expect(errorLines(refused)).toEqual([
      expect.stringMatching(/^error SCHEMA_INVALID: validUntil 2020-09-01T00:00:00.000Z is already past at issuance/),
    ]);
    expect(refused.stderr).toContain('add --allow-expired');

    const csv = join(dir, 'expired.csv');
    await writeFile(csv, `${header}\n${row(999)}\n`);
    const out = join(dir, 'expired-out');
    const batch = await runCli(
      ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--valid-from', '2010-09-01']),
    );
    expectExit(batch, exitCodes.SCHEMA_INVALID);
    expect(batch.stderr).toContain('add --allow-expired');
    expect(existsSync(out)).toBe(false);

    const jwtFile = join(dir, 'expired.jwt');
    const allowed = await runCli(
      ws([...args, '--valid-from', '2010-09-01', '--valid-until', '2020-09-01', '--allow-expired', '--out', jwtFile]),
    );
    expectExit(allowed, 0);
    const verdict = await runCli(ws(['verify', jwtFile, '--json']));
    expectExit(verdict, verdictExitCodes.EXPIRED);
  }, 60_000);
});
