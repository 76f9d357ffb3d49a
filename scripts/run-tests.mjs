#!/usr/bin/env node
// Runs the whole jest suite and ends with one plain line, `N passed, M failed, K skipped`,
// so a run that executed no test at all is visible to a reader and to CI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const major = Number(process.versions.node.split('.')[0]);
const minor = Number(process.versions.node.split('.')[1]);
if (major < 24 || (major === 24 && minor < 9)) {
  console.error(`error NODE_TOO_OLD: the tests need Node >= 24.9 (this is ${process.version}); see README.md`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'credledger-jest-'));
const out = join(dir, 'results.json');
const args = [
  '--experimental-vm-modules',
  'node_modules/jest/bin/jest.js',
  '--json',
  '--forceExit',
  `--outputFile=${out}`,
  ...process.argv.slice(2),
];
const env = { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: process.env.CORE_CHAINCODE_LOGGING_LEVEL ?? 'WARNING' };
const run = spawnSync(process.execPath, args, { stdio: 'inherit', env });

let summary = '0 passed, 0 failed';
try {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = r.numPendingTests + (r.numTodoTests ?? 0);
  const suitesBroken = r.numRuntimeErrorTestSuites ?? 0;
  summary =
    `${r.numPassedTests} passed, ${r.numFailedTests + suitesBroken} failed` + (skipped ? `, ${skipped} skipped` : '');
} catch {
  summary = '0 passed, 1 failed';
}
rmSync(dir, { recursive: true, force: true });
console.log(summary);
process.exit(run.status ?? 1);
