#!/usr/bin/env node
// web.transfer, from verifier-web/size.mjs (which owns the measurement: every file of verifier-web/dist
// gzipped at level 9, as the server sends it): this adapter runs it with --json and turns its report
// into the figure bench/run.mjs reads.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './lib.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'verifier-web', 'size.mjs');
const run = spawnSync(process.execPath, [script, '--json'], { encoding: 'utf8' });
const figure = { name: 'web.transfer', unit: 'KB', baseline: null };
let size;
try {
  size = JSON.parse(run.stdout.trim().split('\n').pop());
} catch {
  report([
    {
      ...figure,
      value: null,
      note: `size.mjs gave no JSON (exit ${run.status}): ${run.stderr.trim().slice(0, 200)}`,
    },
  ]);
  process.exit(0);
}
const kb = size.firstVisitGzipBytes / 1024;
report([
  {
    ...figure,
    value: kb,
    note: `first visit = ${size.firstVisit.join(', ')} (the shell the service worker installs, and itself), gzipped (level 9), KB = 1,024 B; every file: ${size.files.map((f) => `${f.name} ${(f.gzipBytes / 1024).toFixed(1)}`).join(', ')} (all ${(size.totalGzipBytes / 1024).toFixed(1)} KB gzipped, ${(size.totalBytes / 1024).toFixed(1)} KB before gzip); the QR reader loads on a scan or upload and is cached then`,
  },
]);
