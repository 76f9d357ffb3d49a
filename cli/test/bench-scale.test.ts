/**
 * `bench/scale.mjs` at a tiny size: it fills a real embedded ledger and status index, reads them back,
 * starts a serve process over the ledger, and writes its table, JSON and vega-lite plot. Only the
 * shape and the counted quantities are checked (sizes, bytes, answers), never a rate or a time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { runCommand, type CliResult } from './cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface ScaleRow {
  readonly credentials: number;
  readonly issueRate: number;
  readonly issueRateLast20k: number;
  readonly readP99Ms: number;
  readonly statusIndexLookupP99Ms: number;
  readonly ledgerBytesPerCredential: number;
  readonly statusIndexBytesPerCredential: number;
  readonly fillProcessRssMb: number;
  readonly closeMs: number;
  readonly reopenMs: number;
  readonly serveFirstAnswerMs: number;
  readonly serveModulesMs: number;
  readonly serveOpenMs: number;
  readonly serveListenMs: number;
  readonly serveRssMb: number;
  readonly serveP99Ms: number;
}

function run(args: string[]): Promise<CliResult> {
  return runCommand(process.execPath, [join(root, 'bench/scale.mjs'), ...args], root);
}

const scaleDirs = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('credledger-bench-scale-'));

describe('bench/scale.mjs', () => {
  let out: string;
  let result: Awaited<ReturnType<typeof run>>;
  let before: string[];

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'credledger-scale-test-'));
    before = scaleDirs();
    result = await run(['--sizes', '1000,3000', '--out', out]);
  }, 300_000);

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('fills the ledger to each size and measures it there', () => {
    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' });
    const { rows, goal, perTransaction, load, cpu } = JSON.parse(readFileSync(join(out, 'scale.json'), 'utf8')) as {
      rows: ScaleRow[];
      cpu: { credentials: number; mainUs: number; v8HelpersUs: number; threadPoolUs: number; compactionUs: number }[];
      goal: { at: number; baselineAt: number; ratio: number; meetsGoal: boolean };
      perTransaction: number;
      load: { credentials: number; atStart: number; atEnd: number }[];
    };
    expect(perTransaction).toBe(1000);
    expect(rows.map((row) => row.credentials)).toEqual([1000, 3000]);
    for (const row of rows) {
      for (const value of Object.values(row)) expect(Number.isFinite(value) && value > 0).toBe(true);
      // Each credential costs the ledger its record, index entries, block bytes: hundreds of bytes at least.
      expect(row.ledgerBytesPerCredential).toBeGreaterThan(300);
      expect(row.statusIndexBytesPerCredential).toBeGreaterThan(10);
      // The serve process's steps come before its first answer, in order.
      expect(row.serveModulesMs + row.serveOpenMs + row.serveListenMs).toBeLessThan(row.serveFirstAnswerMs);
    }
    // The machine's load beside each size's figures.
    expect(load.map((entry) => entry.credentials)).toEqual([1000, 3000]);
    for (const entry of load) expect([entry.atStart, entry.atEnd].every((value) => value >= 0)).toBe(true);
    // CPU by thread over each size's window: the main thread runs the chaincode and the committer.
    expect(cpu.map((entry) => entry.credentials)).toEqual([1000, 3000]);
    for (const entry of cpu) {
      expect(entry.mainUs).toBeGreaterThan(0);
      for (const us of [entry.v8HelpersUs, entry.threadPoolUs, entry.compactionUs])
        expect(us).toBeGreaterThanOrEqual(0);
    }
    expect(goal).toMatchObject({ at: 3000, baselineAt: 1000 });
    expect(goal.ratio).toBeCloseTo((rows[1]?.issueRate ?? 0) / (rows[0]?.issueRate ?? 1), 2);
    expect(goal.meetsGoal).toBe(goal.ratio >= 0.8);
  });

  it('prints one table line per size and the goal', () => {
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/credentials\s+anchors\/s\s+last 20k\/s\s+read p99 ms/);
    expect(lines.slice(1, 3).map((line) => line.trim().split(/\s+/)[0])).toEqual(['1000', '3000']);
    expect(lines[3]).toMatch(/^goal \(issue rate at 3,000 ≥ 0\.8× the rate at 1,000\): [\d.]+× — (met|NOT met)$/);
    expect(lines.slice(4).map((line) => line.replace(/ [\d.]+/g, ' N'))).toEqual(
      Array(2).fill('CPU µs per anchor at N: main N, V8 helpers N, thread pool N, LevelDB compaction N'),
    );
  });

  it('draws the plot as SVG with a panel per measure', () => {
    const svg = readFileSync(join(out, 'scale.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const title of [
      'anchors/s',
      'status read p99 (ms)',
      'ledger bytes per credential',
      'serve: ms to its first answer',
      'serve: resident memory (MB)',
    ])
      expect(svg).toContain(title);
  });

  it('leaves no ledger behind in the temp folder', () => {
    expect(scaleDirs().filter((name) => !before.includes(name))).toEqual([]);
    expect(existsSync(join(out, 'scale.json'))).toBe(true);
  });

  it('keeps the filled ledger with --keep, for serve processes started over it later', async () => {
    const kept = join(out, 'kept');
    const filled = await run(['--sizes', '1000', '--out', join(out, 'kept-results'), '--keep', kept]);
    expect({ code: filled.code, stderr: filled.code === 0 ? '' : filled.stderr }).toEqual({ code: 0, stderr: '' });
    expect(filled.stdout).toContain(`ledger and status index kept in ${kept}`);
    expect(readdirSync(kept).sort()).toEqual(['ledger', 'sample-ids.txt', 'status-index']);
    const ids = readFileSync(join(kept, 'sample-ids.txt'), 'utf8').trim().split('\n');
    expect(new Set(ids).size).toBe(1000);
    const served = await runCommand(
      process.execPath,
      [join(root, 'bench/scale-serve.mjs'), join(kept, 'ledger'), ...ids.slice(0, 5)],
      root,
    );
    expect({ code: served.code, stderr: served.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(served.stdout)).toMatchObject({ steps: { loadedMs: expect.any(Number) } });

    const again = await run(['--sizes', '1000', '--out', join(out, 'kept-results'), '--keep', kept]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`bench/scale.mjs: --keep takes a directory that does not exist yet; ${kept} does`);
  }, 300_000);

  it('refuses sizes that are not whole thousands, saying what it takes', async () => {
    const refused = await run(['--sizes', '1500', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'bench/scale.mjs: --sizes takes whole thousands, at least 1000, comma-separated; got 1500',
    );
  });
});
