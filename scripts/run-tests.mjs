#!/usr/bin/env node
// Runs the whole jest suite and ends with one plain line, `N passed, M failed, K skipped`,
// so a run that executed no test at all is visible to a reader and to CI.
//
// Jest gets a temp folder of its own (TMPDIR): whatever a test leaves in it is listed and counted as a
// failure, since tests must clean up after themselves. Jest must also exit by itself: there is no
// --forceExit, so a test that leaves a handle open makes the run hang until the CI limit instead of
// passing quietly.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const minor = Number(process.versions.node.split('.')[1]);
if (major < 24 || (major === 24 && minor < 9)) {
  console.error(`error NODE_TOO_OLD: the tests need Node >= 24.9 (this is ${process.version}); see README.md`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'credledger-jest-'));
const out = join(dir, 'results.json');
const testTmp = join(dir, 'tmp');
mkdirSync(testTmp);
const args = [
  '--experimental-vm-modules',
  'node_modules/jest/bin/jest.js',
  '--json',
  `--outputFile=${out}`,
  // The transform cache outlives the run, so it lives with the dependencies, not in the temp folder.
  `--cacheDirectory=${fileURLToPath(new URL('../node_modules/.cache/credledger-jest', import.meta.url))}`,
  // In CI the tests of each file run in a random order, to flush out order dependence; the seed is
  // printed so a failure repeats with --seed=<n>.
  ...(process.env.CI === 'true' ? ['--randomize', '--showSeed'] : []),
  ...process.argv.slice(2),
];
const env = {
  ...process.env,
  TMPDIR: testTmp,
  CORE_CHAINCODE_LOGGING_LEVEL: process.env.CORE_CHAINCODE_LOGGING_LEVEL ?? 'WARNING',
};
const run = spawnSync(process.execPath, args, { stdio: 'inherit', env });

// What the product itself keeps in the temp folder by design, not a test's leftover: Node's compile
// cache, which the CLI turns on at start (children of the tests run the CLI).
const byDesign = new Set(['node-compile-cache']);
const leftovers = readdirSync(testTmp).filter((name) => !byDesign.has(name));

let summary;
let failed = run.status !== 0;
try {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = r.numPendingTests + (r.numTodoTests ?? 0);
  const suitesBroken = r.numRuntimeErrorTestSuites ?? 0;
  const failures = r.numFailedTests + suitesBroken + (leftovers.length > 0 ? 1 : 0);
  failed ||= failures > 0;
  summary = `${r.numPassedTests} passed, ${failures} failed` + (skipped ? `, ${skipped} skipped` : '');
} catch {
  failed = true;
  summary = '0 passed, 1 failed';
}
if (leftovers.length > 0) {
  console.error(`tests left ${leftovers.length} entries in the temp folder: ${leftovers.sort().join(', ')}`);
}
rmSync(dir, { recursive: true, force: true });
console.log(summary);
process.exit(failed ? run.status || 1 : 0);
