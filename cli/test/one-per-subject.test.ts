/**
 * One ACTIVE credential per licence number, through the built CLI: a second `issue` or a second run of
 * `issue-batch` is refused naming what already holds the subject, `--dry-run` reports it, and
 * `--supersede` replaces the old credential (REVOKED, SUPERSEDED) so that a later disbarment leaves no
 * credential of that lawyer verifying VALID.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parseCsv } from '@credledger/issuer';

import { cliExitCodes, exitCodes, verdictExitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, json, runCli, tempDir } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'ws');
  expectExit(await runCli(['demo', workspace, '--no-serve', '--json']), 0);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

const licence = (licenceNumber: string, name = '周志明'): string[] => [
  'issue',
  'LawyerLicenceCredential',
  '--name',
  name,
  '--licence-number',
  licenceNumber,
  '--admission-date',
  '2021-09-01',
  '--practice-status',
  'practising',
];

interface Issued {
  id: string;
  supersedes?: string;
}

async function issue(args: string[], out: string): Promise<Issued> {
  const result = await runCli(ws([...args, '--out', out, '--json']));
  expectExit(result, 0);
  return json<Issued>(result);
}

async function statusOf(
  id: string,
): Promise<{ status: string; reason: string | null; supersedes: string | null; supersededBy: string | null }> {
  const result = await runCli(ws(['status', id, '--json']));
  expectExit(result, 0);
  return json(result);
}

async function verdictOf(file: string): Promise<{ code: number | null; verdict: string }> {
  const result = await runCli(ws(['verify', file, '--json']));
  return { code: result.code, verdict: json<{ verdict: string }>(result).verdict };
}

describe('issue', () => {
  it('refuses a second licence for the same number, naming the first, with its exit code; nothing is written', async () => {
    const first = await issue(licence('(110)台檢證字第003001號'), join(dir, 'first.jwt'));
    const second = join(dir, 'second.jwt');
    // The same number spelt with 臺 and without the leading zeros is the same licence.
    const result = await runCli(ws([...licence('(110)臺檢證字第3001號', '周誌明'), '--out', second]));
    expectExit(result, exitCodes.SUBJECT_HAS_ACTIVE_CREDENTIAL);
    expect(errorLines(result)).toEqual([
      expect.stringMatching(new RegExp(`^error SUBJECT_HAS_ACTIVE_CREDENTIAL: .*${first.id}`)),
    ]);
    expect(result.stderr).toMatch(/hint: .*--supersede/);
    expect(result.stdout).toBe('');
    expect(existsSync(second)).toBe(false);
  }, 60_000);

  it('--supersede: the old licence verifies REVOKED (SUPERSEDED), the new one VALID, linked both ways; a disbarment then leaves none VALID', async () => {
    const oldFile = join(dir, 'old.jwt');
    const newFile = join(dir, 'new.jwt');
    const old = await issue(licence('(110)台檢證字第003002號'), oldFile);
    const renewed = await issue([...licence('(110)台檢證字第003002號'), '--supersede'], newFile);
    expect(renewed.supersedes).toBe(old.id);

    expect(await statusOf(old.id)).toMatchObject({ status: 'REVOKED', reason: 'SUPERSEDED', supersededBy: renewed.id });
    expect(await statusOf(renewed.id)).toMatchObject({ status: 'ACTIVE', supersedes: old.id });
    const history = await runCli(ws(['history', old.id]));
    expectExit(history, 0);
    expect(history.stdout).toMatch(new RegExp(`REVOKED\\s+SUPERSEDED .*superseded by ${renewed.id}`));

    expect(await verdictOf(oldFile)).toEqual({ code: verdictExitCodes.REVOKED, verdict: 'REVOKED' });
    expect(await verdictOf(newFile)).toEqual({ code: verdictExitCodes.VALID, verdict: 'VALID' });

    // The lawyer is disbarred: the current licence is revoked, and no earlier one still verifies.
    expectExit(await runCli(ws(['revoke', renewed.id, '--reason', 'DISBARMENT'])), 0);
    expect(await verdictOf(newFile)).toEqual({ code: verdictExitCodes.REVOKED, verdict: 'REVOKED' });
    expect(await verdictOf(oldFile)).toEqual({ code: verdictExitCodes.REVOKED, verdict: 'REVOKED' });
    // Revocation frees the number: a new licence may be issued without superseding.
    await issue(licence('(110)台檢證字第003002號'), join(dir, 'readmitted.jwt'));
  }, 90_000);
});

describe('issue-batch', () => {
  const rows = 12;
  const csvOf = (extra: string[] = []): string => {
    const lines = ['name,licenceNumber,admissionDate,practiceStatus'];
    for (let i = 1; i <= rows; i++)
      lines.push(
        `吳${'一二三四五六七八九十'[i % 10]}${'甲乙丙丁'[i % 4]},(111)台檢證字第${String(4000 + i).padStart(6, '0')}號,2022-03-01,practising`,
      );
    return `${[...lines, ...extra].join('\n')}\n`;
  };

  interface DryRun {
    issues: { line: number; field: string; duplicateOf?: number }[];
    conflicts: { line: number; credentialId: string; status: string }[];
  }

  it('run twice with another --out: refused naming the first run’s credentials, nothing signed; --dry-run lists them; --supersede replaces them', async () => {
    const csv = join(dir, 'batch.csv');
    await writeFile(csv, csvOf());
    const first = join(dir, 'batch-1');
    expectExit(await runCli(ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', first])), 0);
    const firstIds = parseCsv(await readFile(join(first, 'result.csv'), 'utf8')).records.map((r) => r.cells[1]);

    const second = join(dir, 'batch-2');
    const again = await runCli(ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', second]));
    expectExit(again, exitCodes.SUBJECT_HAS_ACTIVE_CREDENTIAL);
    expect(errorLines(again)).toEqual([
      expect.stringMatching(new RegExp(`^error SUBJECT_HAS_ACTIVE_CREDENTIAL: row 2 .*${firstIds[0]}`)),
    ]);
    expect(again.stderr).toContain(
      `row 3, column licenceNumber: "(111)台檢證字第004002號" already has ${firstIds[1]} (ACTIVE) (rule: as for row 2 above)`,
    );
    // Refused, the run leaves nothing half-written: no journal, no empty jwt folder, only the list of
    // refused rows, owner-only.
    expect(await readdir(second)).toEqual(['errors.csv']);
    expect((await stat(second)).mode & 0o777).toBe(0o700);
    expect((await stat(join(second, 'errors.csv'))).mode & 0o777).toBe(0o600);

    const dryRun = await runCli(
      ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', second, '--dry-run', '--json']),
    );
    expectExit(dryRun, exitCodes.SUBJECT_HAS_ACTIVE_CREDENTIAL);
    expect(
      json<DryRun>(dryRun).conflicts.map(({ line, credentialId, status }) => [line, credentialId, status]),
    ).toEqual(firstIds.map((id, i) => [i + 2, id, 'ACTIVE']));
    const planned = await runCli(
      ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', second, '--dry-run', '--supersede']),
    );
    expectExit(planned, 0);
    expect(planned.stdout).toContain(`row 2: will supersede ${firstIds[0]} (ACTIVE)`);
    expect(planned.stdout).toMatch(/12 to supersede/);

    const replaced = await runCli(
      ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', second, '--supersede', '--json']),
    );
    expectExit(replaced, 0);
    const summary = json<{ issued: number; superseded: { id: string; by: string }[] }>(replaced);
    expect(summary.issued).toBe(rows);
    const secondIds = parseCsv(await readFile(join(second, 'result.csv'), 'utf8')).records.map((r) => r.cells[1]);
    expect(summary.superseded.map(({ id, by }) => [id, by]).sort()).toEqual(
      firstIds.map((id, i) => [id, secondIds[i]]).sort(),
    );
    expect(await statusOf(firstIds[0] ?? '')).toMatchObject({
      status: 'REVOKED',
      reason: 'SUPERSEDED',
      supersededBy: secondIds[0],
    });
    expect(await statusOf(secondIds[0] ?? '')).toMatchObject({ status: 'ACTIVE', supersedes: firstIds[0] });
  }, 120_000);

  it('--dry-run of a rerun follows the row-error rule: 20 conflicts printed and a summary, all of them in errors.csv and --json', async () => {
    const many = 30;
    const lines = ['name,licenceNumber,admissionDate,practiceStatus'];
    for (let i = 1; i <= many; i++)
      lines.push(
        `鄭${'一二三四五六七八九十'[i % 10]}明,(111)台檢證字第${String(5000 + i).padStart(6, '0')}號,2022-03-01,practising`,
      );
    const csv = join(dir, 'rerun.csv');
    await writeFile(csv, `${lines.join('\n')}\n`);
    expectExit(
      await runCli(ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', join(dir, 'rerun-1')])),
      0,
    );

    const out = join(dir, 'rerun-2');
    const args = ['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--dry-run'];
    const dryRun = await runCli(ws(args));
    expectExit(dryRun, exitCodes.SUBJECT_HAS_ACTIVE_CREDENTIAL);
    const errorsCsv = join(out, 'errors.csv');
    const printed = dryRun.stdout.trimEnd().split('\n');
    expect(printed).toHaveLength(22);
    expect(printed[0]).toMatch(
      /^row 2, column licenceNumber: "\(111\)台檢證字第005001號" already has urn:uuid:\S+ \(ACTIVE\) \(rule: one ACTIVE credential per subject; --supersede replaces it\)$/,
    );
    expect(printed[19]).toMatch(/^row 21, column licenceNumber: .* \(rule: as for row 2 above\)$/);
    expect(printed[20]).toBe(`… and 10 more row errors; all of them in ${errorsCsv}`);
    expect(printed[21]).toBe('30 rows, 30 valid, 0 invalid (0 errors), 30 already have a credential');
    const records = (await readFile(errorsCsv, 'utf8')).trimEnd().split('\r\n');
    expect(records).toHaveLength(many + 1);
    expect(records[many]).toMatch(/^31,licenceNumber,\(111\)台檢證字第005030號,subject-held,/);
    expect((await stat(out)).mode & 0o777).toBe(0o700);
    expect((await stat(errorsCsv)).mode & 0o777).toBe(0o600);
    expect(await readdir(out)).toEqual(['errors.csv']);

    const asJson = await runCli(ws([...args, '--json']));
    expectExit(asJson, exitCodes.SUBJECT_HAS_ACTIVE_CREDENTIAL);
    const report = json<DryRun & { errorsCsv?: string }>(asJson);
    expect(report.conflicts).toHaveLength(many);
    expect(report.errorsCsv).toBe(errorsCsv);

    // Superseding, no conflict is an error: the plan is capped the same way, and no errors.csv is left.
    const planned = await runCli(ws([...args, '--supersede']));
    expectExit(planned, 0);
    const plan = planned.stdout.trimEnd().split('\n');
    expect(plan).toHaveLength(22);
    expect(plan[20]).toBe('… and 10 more rows to supersede (--json lists them all)');
    expect(plan[21]).toBe('30 rows, 30 valid, 0 invalid (0 errors), 0 already have a credential, 30 to supersede');
    expect(existsSync(errorsCsv)).toBe(false);
  }, 120_000);

  it('a file naming one licence number twice is refused, --dry-run or not, naming both lines', async () => {
    const csv = join(dir, 'repeated.csv');
    await writeFile(csv, csvOf(['吳重複,(111)臺檢證字第4003號,2022-03-01,practising']));
    const out = join(dir, 'repeated-out');
    const dryRun = await runCli(
      ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--dry-run', '--json']),
    );
    expectExit(dryRun, cliExitCodes.ROWS_INVALID);
    expect(json<DryRun>(dryRun).issues).toEqual([
      expect.objectContaining({ line: rows + 2, field: 'licenceNumber', duplicateOf: 4 }),
    ]);
    const real = await runCli(ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out]));
    expectExit(real, cliExitCodes.ROWS_INVALID);
    expect(real.stdout).toContain(
      `row ${rows + 2}, column licenceNumber: "(111)臺檢證字第4003號" names the same subject (licenceNumber) as row 4`,
    );
    // The repeated row is counted once, as invalid, not also as valid.
    expect(real.stdout).toContain(`${rows + 1} rows, ${rows} valid, 1 invalid (1 error)`);
    // Nothing issued: the output folder holds only the list of row errors, owner-only like the file.
    expect(await readdir(out)).toEqual(['errors.csv']);
    expect((await stat(out)).mode & 0o777).toBe(0o700);
    expect((await stat(join(out, 'errors.csv'))).mode & 0o777).toBe(0o600);
  }, 60_000);
});
