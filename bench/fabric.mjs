#!/usr/bin/env node
// fabric.batchedVsSingle: anchors/s batched vs one credential per transaction on a real Fabric
// network. Runs only when network/ has written connection files (network/out/); otherwise it
// reports why it did not run instead of inventing a number.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './lib.mjs';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'network', 'out');
const profiles = existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.json')) : [];
if (profiles.length === 0) {
  report([
    {
      name: 'fabric.batchedVsSingle',
      value: null,
      unit: 'ratio',
      baseline: null,
      note: 'skipped: no Fabric network (network/out/ has no connection files; run network/fabric.sh up && deploy)',
    },
  ]);
} else {
  const { runFabricBench } = await import('./fabric-run.mjs');
  report(await runFabricBench(join(out, profiles[0])));
}
