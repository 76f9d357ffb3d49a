#!/usr/bin/env node
// Prints the verifier page's transfer size: every file in dist/ gzipped (level 9, as the server sends
// it), one line per file, what a first visit downloads (the shell the service worker installs, and the
// worker itself: .build-info.json names them) and the total, plus a JSON line for bench/. Exits 1 when
// the first visit is over its 60 KB budget.
// Usage: node verifier-web/size.mjs [--json]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 60 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), 'dist');

let names;
try {
  names = readdirSync(dist)
    .filter((name) => !name.startsWith('.') && statSync(join(dist, name)).isFile())
    .sort();
} catch {
  console.error(`error FILE_NOT_FOUND: ${dist} does not exist; run npm run build -w @credledger/verifier-web first`);
  process.exit(2);
}

const files = names.map((name) => {
  const body = readFileSync(join(dist, name));
  return { name, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
});
const total = files.reduce((sum, f) => sum + f.gzipBytes, 0);
const raw = files.reduce((sum, f) => sum + f.bytes, 0);
const { shell } = JSON.parse(readFileSync(join(dist, '.build-info.json'), 'utf8'));
const firstVisit = files.filter((f) => shell.includes(f.name)).reduce((sum, f) => sum + f.gzipBytes, 0);
const report = {
  files,
  firstVisit: shell,
  firstVisitGzipBytes: firstVisit,
  totalBytes: raw,
  totalGzipBytes: total,
  budgetGzipBytes: BUDGET_BYTES,
  withinBudget: firstVisit <= BUDGET_BYTES,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(report));
} else {
  for (const f of files)
    console.log(`${f.name.padEnd(20)} ${String(f.bytes).padStart(8)} B  ${String(f.gzipBytes).padStart(7)} B gzip`);
  console.log(
    `${'first visit'.padEnd(20)} ${' '.repeat(10)}  ${String(firstVisit).padStart(7)} B gzip  (budget ${BUDGET_BYTES} B: ${report.withinBudget ? 'ok' : 'OVER'})`,
  );
  console.log(`${'total'.padEnd(20)} ${String(raw).padStart(8)} B  ${String(total).padStart(7)} B gzip`);
}
process.exit(report.withinBudget ? 0 : 1);
