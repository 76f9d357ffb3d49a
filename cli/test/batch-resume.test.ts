/**
 * Bulk issuance survives SIGKILL: 2,000 rows, the process killed part way through, the same command
 * run again → exactly 2,000 distinct credentials on the ledger, every one verifying, no row signed twice.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parseCsv } from '@credledger/sdk';

import { expectExit, finish, json, runCli, startCli, tempDir } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];
const rows = 2000;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'ws');
  const demo = await runCli(['demo', workspace, '--no-serve', '--json']);
  expectExit(demo, 0);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

function licenceCsv(count: number): string {
  const surnames = '王李張劉陳楊黃趙吳周';
  const given = '怡君志明建宏淑芬家豪雅婷俊傑美玲';
  const lines = ['name,licenceNumber,admissionDate,practiceStatus,barMemberships,lawFirm'];
  for (let i = 0; i < count; i++) {
    const name = `${surnames[i % 10]}${given[(i * 3) % 16]}${given[(i * 7 + 1) % 16]}`;
    lines.push(
      `${name},(${100 + (i % 15)})台檢證字第${String(i).padStart(6, '0')}號,20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 9},practising,臺北律師公會;臺中律師公會,明德法律事務所`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Counts journal lines by kind (`signed`, `anchored`, `complete`). */
function journalCounts(path: string): Record<string, number> {
  const counts: Record<string, number> = {};
  if (!existsSync(path)) return counts;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const kind = /^\{"k":"(\w+)"/.exec(line)?.[1];
    if (kind) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe('issue-batch after SIGKILL', () => {
  it('finishes with exactly 2,000 distinct credentials, none signed twice, each verifying', async () => {
    const csv = join(dir, 'licences.csv');
    const out = join(dir, 'out');
    await writeFile(csv, licenceCsv(rows));
    const args = ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--per-tx', '100']);
    const journal = join(out, '.credledger-batch.journal');

    // Kill once some transactions have committed and before the batch completes.
    const first = startCli(args);
    const firstDone = finish(first);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if ((journalCounts(journal).anchored ?? 0) >= 3) {
          clearInterval(timer);
          first.kill('SIGKILL');
          resolve();
        }
      }, 5);
      first.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the batch finished before it could be killed'));
      });
    });
    const killed = await firstDone;
    expect(killed.signal).toBe('SIGKILL');
    const atKill = journalCounts(journal);
    expect(atKill.complete).toBeUndefined();
    expect(atKill.signed ?? 0).toBeLessThan(rows);

    const second = await runCli([...args, '--json']);
    expectExit(second, 0);
    const summary = json<{ issued: number; signedNow: number }>(second);
    expect(summary.issued).toBe(rows);
    // Rows journalled before the kill are anchored again with their first signature, never re-signed.
    expect(summary.signedNow).toBe(rows - (atKill.signed ?? 0));
    expect(journalCounts(journal).signed).toBe(rows);

    const result = parseCsv(await readFile(join(out, 'result.csv'), 'utf8'));
    const ids = result.records.map((record) => record.cells[1]!);
    expect(ids).toHaveLength(rows);
    expect(new Set(ids).size).toBe(rows);
    expect(result.records.map((record) => Number(record.cells[0]))).toEqual(
      Array.from({ length: rows }, (_, i) => i + 2),
    );
    expect((await readdir(join(out, 'jwt'))).filter((file) => file.endsWith('.jwt'))).toHaveLength(rows);

    const listed = await runCli(ws(['issuer', 'credentials', 'did:web:moj.gov.tw', '--json']));
    expectExit(listed, 0);
    const onLedger = new Set(json<{ id: string }[]>(listed).map((record) => record.id));
    // The demo's two licences plus exactly this batch: nothing lost, nothing extra.
    expect(onLedger.size).toBe(rows + 2);
    for (const id of ids) expect(onLedger.has(id)).toBe(true);

    const files = result.records.map((record) => join(out, record.cells[2]!));
    const verified = await runCli(ws(['verify', ...files, '--json']));
    expectExit(verified, 0);
    const verdicts = json<{ verdict: string; credential?: { id: string } }[]>(verified);
    expect(verdicts).toHaveLength(rows);
    expect(verdicts.every((v) => v.verdict === 'VALID')).toBe(true);
    expect(verdicts.map((v) => v.credential?.id)).toEqual(ids);
  }, 300_000);
});
