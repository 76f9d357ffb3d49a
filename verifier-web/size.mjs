#!/usr/bin/env node
// Prints the verifier page's transfer size: every file in dist/ gzipped (level 9, as the server sends
// it), one line per file and a total, plus a JSON line for bench/. Exits 1 over the 150 KB budget.
// The total is a first visit's (which the service worker also installs); files the page loads only on
// demand (the PDF reader, when someone gives it a PDF) are listed apart and not in the total.
// Usage: node verifier-web/size.mjs [--json]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 150 * 1024;
/** Files loaded only when needed: never on a first visit, not installed by the service worker. */
const ON_DEMAND = new Set(['pdf-reader.js']);
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
const onDemand = files.filter((f) => ON_DEMAND.has(f.name));
const firstVisit = files.filter((f) => !ON_DEMAND.has(f.name));
const total = firstVisit.reduce((sum, f) => sum + f.gzipBytes, 0);
const raw = firstVisit.reduce((sum, f) => sum + f.bytes, 0);
const report = {
  files: firstVisit,
  onDemand,
  totalBytes: raw,
  totalGzipBytes: total,
  budgetGzipBytes: BUDGET_BYTES,
  withinBudget: total <= BUDGET_BYTES,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(report));
} else {
  for (const f of firstVisit)
    console.log(`${f.name.padEnd(16)} ${String(f.bytes).padStart(8)} B  ${String(f.gzipBytes).padStart(7)} B gzip`);
  console.log(
    `${'total'.padEnd(16)} ${String(raw).padStart(8)} B  ${String(total).padStart(7)} B gzip  (budget ${BUDGET_BYTES} B: ${report.withinBudget ? 'ok' : 'OVER'})`,
  );
  for (const f of onDemand)
    console.log(
      `${f.name.padEnd(16)} ${String(f.bytes).padStart(8)} B  ${String(f.gzipBytes).padStart(7)} B gzip  (on demand, not in the total)`,
    );
}
process.exit(report.withinBudget ? 0 : 1);
