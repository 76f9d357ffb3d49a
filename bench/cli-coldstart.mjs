#!/usr/bin/env node
// cli.coldstart.help: median wall time of `node cli/dist/credledger.js --help` (the bundled CLI) over ≥ 10 runs, beside the
// median of `node -e ''` (the runtime's own start) measured in the same run. Also reports
// `credledger verify --help` (cli/test/verify-offline.test.ts checks that verify loads no ledger modules).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { median, quick, report } from './lib.mjs';

const cli = fileURLToPath(new URL('../cli/dist/credledger.js', import.meta.url));
const runs = quick ? 10 : 21;

function time(args) {
  const samples = [];
  // Two unmeasured runs fill the OS file cache and Node's compile cache.
  for (let i = 0; i < runs + 2; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, {
      encoding: 'utf8',
      env: { ...process.env, LANG: 'en_US.UTF-8' },
    });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    if (i >= 2) samples.push(ms);
  }
  return median(samples);
}

const bare = time(['-e', '']);
const help = time([cli, '--help']);
const verifyHelp = time([cli, 'verify', '--help']);

report([
  {
    name: 'cli.coldstart.help',
    value: Math.round(help * 10) / 10,
    unit: 'ms',
    baseline: { name: "node -e ''", value: Math.round(bare * 10) / 10 },
    note: `median of ${runs} runs; credledger verify --help ${Math.round(verifyHelp)} ms`,
  },
]);
