/**
 * `credledger qr-batch` over an issued batch: every credential gets a PNG that scans back to its exact
 * JWT; encoding and drawing run on the sdk's worker pool, so progress starts before any image and counts
 * only images already on disk; a damaged JWT file stops the batch with its name after the images before
 * it are kept.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { parseCsv, readQrImage } from '@credledger/issuer';
import { decodeCredentialLink } from '@credledger/verify';

import { i18n } from '../src/i18n.js';
import type { ProgressBar } from '../src/progress.js';
import { runQrBatch } from '../src/qr-batch-run.js';
import { openWorkspace } from '../src/workspace.js';
import { errorLines, expectExit, json, runCli, tempDir } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
/** The issued batch; each test renders a copy of its own. */
let batch: string;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];
const count = 24;

function licenceCsv(rows: number): string {
  const lines = ['name,licenceNumber,admissionDate,practiceStatus,barMemberships,lawFirm'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `陳${'怡志建淑家雅'[i % 6]}${'君明宏芬豪婷'[(i * 5) % 6]},(${100 + (i % 15)})台檢證字第${String(i).padStart(6, '0')}號,2015-0${1 + (i % 9)}-1${i % 9},practising,臺北律師公會,明德法律事務所`,
    );
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'ws');
  expectExit(await runCli(['demo', workspace, '--no-serve', '--json']), 0);
  const csv = join(dir, 'licences.csv');
  await writeFile(csv, licenceCsv(count));
  batch = join(dir, 'batch');
  const issued = await runCli(ws(['issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', batch, '--json']));
  expectExit(issued, 0);
  expect(json<{ issued: number }>(issued).issued).toBe(count);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

/** A fresh copy of the issued batch (its JWT files and result.csv, no QR images yet). */
async function copyOfBatch(name: string): Promise<string> {
  const out = join(dir, name);
  await cp(batch, out, { recursive: true });
  return out;
}

/** The JWT files of a batch in result.csv order. */
async function jwtFiles(out: string): Promise<string[]> {
  const table = parseCsv(await readFile(join(out, 'result.csv'), 'utf8'));
  const column = table.header.indexOf('file');
  return table.records.map((record) => record.cells[column] ?? '');
}

function pngOf(out: string, jwtFile: string): string {
  return join(out, 'qr', jwtFile.replace(/^jwt\//, '').replace(/\.jwt$/, '.png'));
}

/** Every `n/total` count of the progress lines, in order. */
function progressCounts(stderr: string): number[] {
  return [...stderr.matchAll(/^QR \[[#-]+\] (\d+)\/(\d+) /gm)].map((m) => Number(m[1]));
}

describe('credledger qr-batch', () => {
  it('renders a PNG for each credential that scans back to its exact JWT, written owner-only', async () => {
    const out = await copyOfBatch('all');
    // stderr is a pipe here, as in a CI log: progress comes as plain lines.
    const result = await runCli(ws(['qr-batch', out]));
    expectExit(result, 0);
    expect(result.stdout).toMatch(new RegExp(`^QR: ${count} rendered, 0 already present, [0-9.]+ s\\n$`));
    const counts = progressCounts(result.stderr);
    expect(counts[0]).toBe(0);
    expect(counts.at(-1)).toBe(count);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));

    const files = await jwtFiles(out);
    expect(files).toHaveLength(count);
    for (const file of files) {
      const jwt = (await readFile(join(out, file), 'utf8')).trim();
      const decoded = decodeCredentialLink(await readQrImage(pngOf(out, file)));
      expect(decoded).toEqual({ jwt });
      expect((await stat(pngOf(out, file))).mode & 0o777).toBe(0o600);
    }
    expect((await readdir(join(out, 'qr'))).filter((name) => !name.endsWith('.png'))).toEqual([]);

    const again = await runCli(ws(['qr-batch', out]));
    expectExit(again, 0);
    expect(again.stdout).toMatch(new RegExp(`^QR: 0 rendered, ${count} already present`));
  });

  it('reports progress from the start, counting only PNGs already on disk', async () => {
    const out = await copyOfBatch('progress');
    const qr = join(out, 'qr');
    const events: { done: number; total: number; onDisk: number }[] = [];
    let finished = 0;
    const progress: ProgressBar = {
      update(done, total) {
        // Counted at the moment of the update, synchronously: what a kill right now would leave behind.
        const onDisk = readdirSync(qr).filter((name) => name.endsWith('.png')).length;
        events.push({ done, total, onDisk });
      },
      finish() {
        finished++;
      },
      [Symbol.dispose]() {
        // The caller's bar: runQrBatch never ends it.
      },
    };
    const result = await runQrBatch(openWorkspace(workspace), out, {
      t: i18n('en'),
      silent: false,
      workers: 2,
      progress,
    });
    expect(result).toMatchObject({ rendered: count, skipped: 0 });
    expect(events[0]).toEqual({ done: 0, total: count, onDisk: 0 });
    expect(events.map((e) => e.done)).toEqual(Array.from({ length: count + 1 }, (_, i) => i));
    for (const event of events) {
      expect(event.total).toBe(count);
      expect(event.done).toBeLessThanOrEqual(event.onDisk);
    }
    expect(finished).toBe(1);
  });

  it('stops at a damaged JWT file, naming it, after keeping the PNGs before it; a rerun after repair renders the rest', async () => {
    const out = await copyOfBatch('damaged');
    const files = await jwtFiles(out);
    const last = files.at(-1) ?? '';
    const original = await readFile(join(out, last), 'utf8');
    await writeFile(join(out, last), 'not a credential\n');

    const failed = await runCli(ws(['qr-batch', out]));
    expectExit(failed, 23);
    expect(errorLines(failed)).toEqual([`error CREDENTIAL_MALFORMED: ${last}: not a compact JWS`]);
    expect(failed.stderr).toContain('hint: this is not a whole credential JWT');
    // The progress before the error counted the credentials that were rendered, which the old
    // encode-everything-first order never reached.
    const counts = progressCounts(failed.stderr.slice(0, failed.stderr.indexOf('error ')));
    expect(counts[0]).toBe(0);
    expect(counts.at(-1)).toBe(count - 1);
    const pngs = (await readdir(join(out, 'qr'))).filter((name) => name.endsWith('.png'));
    expect(pngs.sort()).toEqual(
      files
        .slice(0, -1)
        .map((file) => pngOf(out, file).slice(join(out, 'qr').length + 1))
        .sort(),
    );

    await writeFile(join(out, last), original);
    const rerun = await runCli(ws(['qr-batch', out, '--json']));
    expectExit(rerun, 0);
    expect(json(rerun)).toMatchObject({ rendered: 1, skipped: count - 1 });
    const jwt = original.trim();
    expect(decodeCredentialLink(await readQrImage(pngOf(out, last)))).toEqual({ jwt });
  });

  it('refuses a bad worker count, a missing batch and a missing JWT file with codes and hints in both languages', async () => {
    const out = await copyOfBatch('bad-input');
    const workers = await runCli(ws(['qr-batch', out, '--workers', 'two']));
    expectExit(workers, 20);
    expect(errorLines(workers)).toEqual([
      'error INVALID_INPUT: --workers must be a whole number from 1 to 999, not "two"',
    ]);

    const nowhere = await runCli(ws(['--lang', 'zh-TW', 'qr-batch', join(dir, 'nowhere')]));
    expectExit(nowhere, 25);
    expect(nowhere.stderr).toContain('`credledger issue-batch`');
    expect(nowhere.stderr).toMatch(/請先為此目錄執行/);

    const files = await jwtFiles(out);
    await rm(join(out, files.at(-1) ?? ''));
    const missing = await runCli(ws(['qr-batch', out]));
    expectExit(missing, 25);
    expect(errorLines(missing)).toEqual([`error FILE_NOT_FOUND: ${join(out, files.at(-1) ?? '')} does not exist`]);
    expect(missing.stderr).toContain('rerun `credledger issue-batch` with the same arguments');
  });
});
