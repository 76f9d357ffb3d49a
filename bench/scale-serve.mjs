#!/usr/bin/env node
// A `credledger serve`-like process for bench/scale.mjs: `node bench/scale-serve.mjs <ledger dir> <id>…`
// opens the embedded ledger as MojMSP's auditor, starts the HTTP server on a free port, asks the status
// of each id once, sequentially, over HTTP, and prints one JSON line: ms from the process's start to
// the first answer and to each step before it (modules loaded, ledger open, identity connected, server
// listening), resident memory (MB) after the requests, and their p99 (ms).
import { openLedger } from '@credledger/ledger';
import { startServer } from '@credledger/server';
import { quantile } from './lib.mjs';

const [directory, ...ids] = process.argv.slice(2);
if (!directory || ids.length === 0) throw new Error('usage: scale-serve.mjs <ledger directory> <credential id>…');

// performance.now() counts from the process's start: static imports have loaded and run by now.
const steps = { loadedMs: performance.now() };
const network = await openLedger({ backend: 'embedded', directory, create: false });
steps.openedMs = performance.now();
try {
  const ledger = await network.connect('MojMSP/auditor');
  steps.connectedMs = performance.now();
  const server = await startServer({ ledger, port: 0, rateLimit: false });
  steps.listeningMs = performance.now();
  try {
    const ms = [];
    let firstAnswerMs;
    for (const id of ids) {
      const start = performance.now();
      const response = await fetch(`${server.url}/api/v1/credentials/${encodeURIComponent(id)}`);
      const body = await response.json();
      ms.push(performance.now() - start);
      firstAnswerMs ??= performance.now();
      if (response.status !== 200 || body.record?.status !== 'ACTIVE')
        throw new Error(`${id}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    process.stdout.write(JSON.stringify({ firstAnswerMs, steps, rssMb, p99Ms: quantile(ms, 0.99) }) + '\n');
  } finally {
    await server.close();
  }
} finally {
  await network.close();
}
