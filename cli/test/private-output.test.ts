/**
 * What holds personal data is written owner-only, like the keys, whatever the umask: a batch's output
 * folder (JWTs, QR images, result.csv with names and licence numbers, the journal) and `issue --out`
 * files. Published status lists and the trust list hold no personal data and stay readable.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { baseEnv, cliMain, expectExit, finish, runCli, tempDir, type CliResult } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'ws');
  expectExit(await runCli(['demo', workspace, '--no-serve', '--json']), 0);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

/** Runs the CLI under `umask 022`, the common default that leaves new files world-readable. */
function runUnderUmask022(args: readonly string[]): Promise<CliResult> {
  const child = spawn('/bin/sh', ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, cliMain, ...args], {
    env: baseEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return finish(child);
}

/** Every entry under `root` (itself included) with its permission bits. */
async function modes(root: string): Promise<{ path: string; dir: boolean; mode: number }[]> {
  const found = [{ path: root, dir: true, mode: (await stat(root)).mode & 0o777 }];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    found.push({ path, dir: entry.isDirectory(), mode: (await stat(path)).mode & 0o777 });
  }
  return found;
}

const octal = (entries: { path: string; mode: number }[]): string[] =>
  entries.map((e) => `${e.path} ${e.mode.toString(8)}`);

describe('issue-batch --qr output', () => {
  it('is owner-only: folders 0700, files 0600, under umask 022', async () => {
    const csv = join(dir, 'licences.csv');
    await writeFile(
      csv,
      [
        'name,licenceNumber,admissionDate,practiceStatus',
        '王小明,(114)台檢證字第100001號,2025-09-01,practising',
        '李小華,(114)台檢證字第100002號,2025-09-01,practising',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const result = await runUnderUmask022([
      '-w',
      workspace,
      'issue-batch',
      'LawyerLicenceCredential',
      '--csv',
      csv,
      '--out',
      out,
      '--qr',
    ]);
    expectExit(result, 0);
    const entries = await modes(out);
    // The batch wrote what the operator expects to find: two JWTs, two QR images, result.csv, the journal.
    expect(entries.filter((e) => e.path.endsWith('.jwt'))).toHaveLength(2);
    expect(entries.filter((e) => e.path.endsWith('.png'))).toHaveLength(2);
    expect(entries.some((e) => e.path.endsWith('result.csv'))).toBe(true);
    expect(entries.filter((e) => !e.dir).length).toBeGreaterThanOrEqual(6);
    expect(octal(entries.filter((e) => e.dir && e.mode !== 0o700))).toEqual([]);
    expect(octal(entries.filter((e) => !e.dir && e.mode !== 0o600))).toEqual([]);
  }, 120_000);
});

describe('issue --out --qr-png --qr-svg', () => {
  it('writes owner-only files, and narrows a file that was readable before', async () => {
    const jwt = join(dir, 'one.jwt');
    const png = join(dir, 'one.png');
    const svg = join(dir, 'one.svg');
    await writeFile(jwt, 'old\n', { mode: 0o644 });
    const result = await runUnderUmask022([
      '-w',
      workspace,
      'issue',
      'LawyerLicenceCredential',
      '--name',
      '王大明',
      '--licence-number',
      '(114)台檢證字第100003號',
      '--admission-date',
      '2025-09-01',
      '--practice-status',
      'practising',
      '--out',
      jwt,
      '--qr-png',
      png,
      '--qr-svg',
      svg,
    ]);
    expectExit(result, 0);
    for (const file of [jwt, png, svg])
      expect([file, ((await stat(file)).mode & 0o777).toString(8)]).toEqual([file, '600']);
  }, 60_000);
});
