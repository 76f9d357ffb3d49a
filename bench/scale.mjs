#!/usr/bin/env node
// `npm run bench -- --scale` (or `node bench/scale.mjs [--sizes 100000,1000000] [--10m] [--quick]`):
// one issuer's embedded ledger grown to a country's worth of credentials, measured at each size.
// Not part of the default run: 1,000,000 credentials take minutes, 10,000,000 (`--10m`) most of an hour.
//
// The ledger is filled through the real chaincode (Registry.issueCredentials, 1,000 anchors per
// transaction, fsync on), each credential first given its revocation-list index by the LevelDB status
// index (statusIndexAllocators.level), as `credledger issue-batch` does; the credentials are synthetic
// (random ids and digests, one subject each): signing costs the same per credential at any size and is
// `issue.sign`'s figure. At each size it reports:
// - issue rate: anchors/s (status index allocation included) over the last fifth of the size, at most
//   100,000 anchors (the sustained rate, background compactions included), and over the last 20,000
//   (earlier runs' window); its baseline is the rate at the first size: the goal is that the rate at
//   1,000,000 stays within 20% of the rate at 100,000 (ratio ≥ 0.8);
// - status read p99: ms per Registry.getCredential of a random earlier credential (2,000 sequential
//   reads), and status-index lookup p99 (allocate of an id already allocated: one key read);
// - disk: bytes per credential of the ledger directory and of the status index;
// - close and reopen: ms to close the ledger after the fill (LevelDB's write buffer flushed into a table)
//   and to open it again and answer one read;
// - serve: a `credledger serve`-like process (openLedger + startServer, a child process, after this
//   one has closed the ledger): ms from its start to its first answer, and to the steps before it (its
//   modules loaded, the ledger opened and connected, the server listening), its resident memory after
//   500 status requests, and the p99 of those requests over HTTP;
// - the filling process's resident memory and its JavaScript heap after a full collection (the
//   ledger's key metadata must not grow with the size);
// - the machine's load average (1 minute) when the size's fill started and when its figures were taken:
//   other work on the same cores moves every figure here;
// - CPU per anchor over the same window as the rate, by thread: the main thread, V8's helpers, libuv's
//   thread pool, LevelDB's background compaction (`cpu` in scale.json; Linux only).
// Writes bench/results/scale.json and a plot, bench/results/scale.svg (vega-lite), unless `--out <dir>`.
// `--keep <dir>` fills the ledger and status index in <dir> (which must not exist) and leaves them there,
// to measure a serve process over them again later; without it they go in a temporary folder, removed.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { directoryBytes, openMojLedger, quantile, quick } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// A full collection before reading the heap, so the figure is what is still referenced.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');
const argument = (name) => process.argv.flatMap((arg, i) => (process.argv[i - 1] === name ? [arg] : []))[0];
const sizes = argument('--sizes')
  ? argument('--sizes')
      .split(',')
      .map((size) => Number(size.replace(/_/g, '')))
  : quick
    ? [20_000, 100_000]
    : [100_000, 1_000_000, ...(process.argv.includes('--10m') ? [10_000_000] : [])];
if (sizes.some((size) => !Number.isInteger(size) || size < 1_000 || size % 1_000 !== 0)) {
  console.error(
    `bench/scale.mjs: --sizes takes whole thousands, at least 1000, comma-separated; got ${argument('--sizes')}`,
  );
  process.exit(2);
}
sizes.sort((a, b) => a - b);
const out = argument('--out') ?? join(here, 'results');
const perTx = 1_000;
const readsPerSize = 2_000;
const servedRequests = 500;
const sampleSize = 10_000;

// `--replot`: draw scale.svg again from the scale.json already in --out, measuring nothing.
if (process.argv.includes('--replot')) {
  const { rows } = JSON.parse(readFileSync(join(out, 'scale.json'), 'utf8'));
  writeFileSync(join(out, 'scale.svg'), await plot(rows));
  process.exit(0);
}

const kept = argument('--keep');
if (kept !== undefined && existsSync(kept)) {
  console.error(`bench/scale.mjs: --keep takes a directory that does not exist yet; ${kept} does`);
  process.exit(2);
}
const directory = kept ?? (await mkdtemp(join(tmpdir(), 'credledger-bench-scale-')));
if (kept !== undefined) mkdirSync(kept, { recursive: true });
try {
  const { rows, load, cpu } = await measure();
  mkdirSync(out, { recursive: true });
  const result = { measuredAt: new Date().toISOString(), perTransaction: perTx, rows, goal: goalOf(rows), load, cpu };
  writeFileSync(join(out, 'scale.json'), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(join(out, 'scale.svg'), await plot(rows));
  printTable(rows, result.goal);
  for (const c of cpu)
    console.log(
      `CPU µs per anchor at ${c.credentials}: main ${c.mainUs}, V8 helpers ${c.v8HelpersUs}, thread pool ${c.threadPoolUs}, LevelDB compaction ${c.compactionUs}`,
    );
} finally {
  if (kept === undefined) await rm(directory, { recursive: true, force: true });
  else console.log(`ledger and status index kept in ${kept}`);
}

/** Synthetic anchors as the issuer sends them: ids, digests and metadata, a subject each. */
function anchors(count, kid) {
  return Array.from({ length: count }, () => ({
    id: `urn:uuid:${randomUUID()}`,
    digest: createHash('sha256').update(randomUUID()).digest('hex'),
    type: 'LawyerLicenceCredential',
    kid,
    validFrom: '2026-01-05T00:00:00.000Z',
    validUntil: '2036-01-05T00:00:00.000Z',
    subjectDigest: createHash('sha256').update(randomUUID()).digest('hex'),
  }));
}

/** Opens the ledger (creating it and registering the issuer the first time) and the status index. */
async function openAll(ledgerDir, indexDir, issuer) {
  const { ledgers, Registry, statusIndexAllocators } = await import('@credledger/sdk');
  const allocator = statusIndexAllocators.level(indexDir);
  if (!issuer) return { ...(await openMojLedger(ledgerDir, { fsync: true })), allocator };
  const network = await ledgers.embedded({ directory: ledgerDir, fsync: true });
  return { ...issuer, network, moj: new Registry(network.connect('MojMSP/operator')), allocator };
}

async function measure() {
  const ledgerDir = join(directory, 'ledger');
  const indexDir = join(directory, 'status-index');
  let { network, did, key, moj, allocator } = await openAll(ledgerDir, indexDir);
  const sample = [];
  let issued = 0;
  const rows = [];
  const load = [];
  const cpu = [];
  try {
    for (const size of sizes) {
      const loadAtStart = loadavg()[0];
      // When each transaction of this size's fill ended, and how many anchors were in by then.
      const marks = [{ at: performance.now(), issued }];
      const window = Math.min(100_000, size / 5);
      let cpuAtWindow;
      while (issued < size) {
        // At the transaction boundary `rateOver` starts its window from.
        if (cpuAtWindow === undefined && issued + perTx > size - window) cpuAtWindow = { issued, ticks: threadTicks() };
        const credentials = anchors(perTx, key.kid);
        await allocator.allocate(
          did,
          'revocation',
          credentials.map((c) => c.id),
        );
        const receipt = await moj.issueCredentials({ issuerDid: did, credentials });
        if (receipt.anchored.length !== perTx) throw new Error(`anchored ${receipt.anchored.length} of ${perTx}`);
        for (const { id } of credentials) {
          issued++;
          // Reservoir sample: every credential so far equally likely to be read.
          if (sample.length < sampleSize) sample.push(id);
          else if (Math.random() * issued < sampleSize) sample[Math.floor(Math.random() * sampleSize)] = id;
        }
        marks.push({ at: performance.now(), issued });
      }
      // The sustained rate: over the last fifth of the size, at most 100,000 anchors (15–30 s here), so
      // that it holds LevelDB's background compactions in proportion; the last 20,000 too (earlier runs'
      // window, a few seconds: it catches or misses a compaction).
      const rate = rateOver(marks, window);
      const cpuEnd = threadTicks();
      const rateLast20k = rateOver(marks, Math.min(20_000, size / 5));

      const readMs = [];
      for (let i = 0; i < readsPerSize; i++) {
        const id = sample[Math.floor(Math.random() * sample.length)];
        const start = performance.now();
        const record = await moj.getCredential(id);
        readMs.push(performance.now() - start);
        if (record.status !== 'ACTIVE') throw new Error(`${id} is ${record.status}`);
      }
      const lookupMs = [];
      for (let i = 0; i < readsPerSize; i++) {
        const id = sample[Math.floor(Math.random() * sample.length)];
        const start = performance.now();
        await allocator.allocate(did, 'revocation', [id]);
        lookupMs.push(performance.now() - start);
      }
      collectGarbage();
      const fillRssMb = process.memoryUsage().rss / 2 ** 20;
      const fillHeapMb = process.memoryUsage().heapUsed / 2 ** 20;

      await allocator.close();
      const closeStart = performance.now();
      await network.close();
      const closeMs = performance.now() - closeStart;
      const served = await serve(ledgerDir, sample.slice(0, servedRequests));
      if (kept !== undefined) writeFileSync(join(directory, 'sample-ids.txt'), sample.join('\n') + '\n');
      const ledgerBytes = await directoryBytes(ledgerDir);
      const indexBytes = await directoryBytes(indexDir);
      const reopenStart = performance.now();
      ({ network, moj, allocator } = await openAll(ledgerDir, indexDir, { did, key }));
      await moj.getCredential(sample[0]);
      const reopenMs = performance.now() - reopenStart;

      const row = {
        credentials: issued,
        issueRate: Math.round(rate),
        issueRateLast20k: Math.round(rateLast20k),
        readP99Ms: round(quantile(readMs, 0.99)),
        statusIndexLookupP99Ms: round(quantile(lookupMs, 0.99)),
        ledgerBytesPerCredential: Math.round(ledgerBytes / issued),
        statusIndexBytesPerCredential: Math.round(indexBytes / issued),
        fillProcessRssMb: Math.round(fillRssMb),
        fillProcessHeapMb: Math.round(fillHeapMb),
        closeMs: round(closeMs),
        reopenMs: Math.round(reopenMs),
        serveFirstAnswerMs: Math.round(served.firstAnswerMs),
        serveModulesMs: round(served.steps.loadedMs),
        serveOpenMs: round(served.steps.connectedMs - served.steps.loadedMs),
        serveListenMs: round(served.steps.listeningMs - served.steps.connectedMs),
        serveRssMb: Math.round(served.rssMb),
        serveP99Ms: round(served.p99Ms),
      };
      rows.push(row);
      load.push({ credentials: issued, atStart: round(loadAtStart), atEnd: round(loadavg()[0]) });
      if (cpuAtWindow?.ticks && cpuEnd)
        cpu.push({ credentials: issued, ...cpuPerAnchor(cpuAtWindow.ticks, cpuEnd, issued - cpuAtWindow.issued) });
      process.stderr.write(`scale: ${JSON.stringify({ ...row, load: load.at(-1) })}\n`);
    }
  } finally {
    await allocator.close();
    await network.close();
  }
  return { rows, load, cpu };
}

/**
 * CPU time of this process's threads so far, in clock ticks, by kind (Linux's /proc; undefined
 * elsewhere): the main thread, V8's helper threads (garbage collection), libuv's thread pool (LevelDB
 * writes and reads, fsync), and LevelDB's background threads (compaction; one per open database, started
 * from a pool thread, so also named libuv-worker: the ones after the pool's first UV_THREADPOOL_SIZE).
 */
function threadTicks() {
  let tasks;
  try {
    tasks = readdirSync('/proc/self/task')
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return undefined;
  }
  const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const ticks = { main: 0, v8: 0, pool: 0, compaction: 0, other: 0 };
  let poolSeen = 0;
  for (const tid of tasks) {
    let stat;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const used = Number(fields[11]) + Number(fields[12]); // utime + stime
    if (tid === process.pid) ticks.main += used;
    else if (name === 'V8Worker') ticks.v8 += used;
    else if (name === 'libuv-worker') ticks[poolSeen++ < poolSize ? 'pool' : 'compaction'] += used;
    else ticks.other += used;
  }
  return ticks;
}

/** µs of CPU per anchor by kind of thread between two `threadTicks` (100 ticks a second). */
function cpuPerAnchor(from, to, anchors) {
  const perAnchor = (kind) => round(((to[kind] - from[kind]) * 10_000) / anchors);
  return {
    mainUs: perAnchor('main'),
    v8HelpersUs: perAnchor('v8'),
    threadPoolUs: perAnchor('pool'),
    compactionUs: perAnchor('compaction'),
  };
}

/** Anchors per second over the last `window` anchors of a fill (whole transactions, at least one). */
function rateOver(marks, window) {
  const end = marks.at(-1);
  let i = marks.length - 2;
  while (i > 0 && end.issued - marks[i].issued < window) i--;
  const start = marks[Math.max(0, i)];
  return (end.issued - start.issued) / ((end.at - start.at) / 1000);
}

/** A serve process over the ledger: time to its first answer, memory and HTTP p99 after `ids` requests. */
async function serve(ledgerDir, ids) {
  const child = spawn(process.execPath, [join(here, 'scale-serve.mjs'), ledgerDir, ...ids], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`scale-serve.mjs exited with ${code}`);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

function round(value) {
  return Math.round(value * 1000) / 1000;
}

/** The rate at 1,000,000 against the rate at 100,000 when both were measured, else the last size against the first. */
function goalOf(rows) {
  const at = (size) => rows.find((row) => row.credentials === size);
  const [base, top] = at(100_000) && at(1_000_000) ? [at(100_000), at(1_000_000)] : [rows[0], rows.at(-1)];
  const ratio = top === base ? null : round(top.issueRate / base.issueRate);
  return {
    text: `issue rate at ${top.credentials.toLocaleString('en')} ≥ 0.8× the rate at ${base.credentials.toLocaleString('en')}`,
    at: top.credentials,
    baselineAt: base.credentials,
    ratio,
    meetsGoal: ratio === null ? null : ratio >= 0.8,
  };
}

function printTable(rows, goal) {
  const columns = [
    ['credentials', 'credentials'],
    ['issueRate', 'anchors/s'],
    ['issueRateLast20k', 'last 20k/s'],
    ['readP99Ms', 'read p99 ms'],
    ['statusIndexLookupP99Ms', 'index p99 ms'],
    ['ledgerBytesPerCredential', 'ledger B/cred'],
    ['statusIndexBytesPerCredential', 'index B/cred'],
    ['fillProcessRssMb', 'RSS MB'],
    ['fillProcessHeapMb', 'heap MB'],
    ['closeMs', 'close ms'],
    ['reopenMs', 'reopen ms'],
    ['serveFirstAnswerMs', 'serve start ms'],
    ['serveRssMb', 'serve RSS MB'],
    ['serveP99Ms', 'serve p99 ms'],
  ];
  const cells = [columns.map(([, label]) => label), ...rows.map((row) => columns.map(([key]) => String(row[key])))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  for (const line of cells) console.log(line.map((cell, i) => cell.padStart(widths[i])).join('  '));
  console.log(
    goal.ratio === null
      ? `goal (${goal.text}): one size only, not judged`
      : `goal (${goal.text}): ${goal.ratio}× — ${goal.meetsGoal ? 'met' : 'NOT met'}`,
  );
}

/** The issue rate and the read p99 against the number of credentials, drawn by vega-lite as SVG. */
async function plot(rows) {
  const vega = await import('vega');
  const { compile } = await import('vega-lite');
  const x = {
    field: 'credentials',
    type: 'quantitative',
    scale: { type: 'log' },
    // A tick and a label at each measured size, and only there.
    axis: { values: rows.map((row) => row.credentials), format: ',d', grid: true },
    title: 'credentials on the ledger',
  };
  const panel = (field, title) => ({
    width: 420,
    height: 180,
    mark: { type: 'line', point: true },
    encoding: { x, y: { field, type: 'quantitative', title, scale: { zero: true } } },
  });
  const spec = compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'credledger at scale',
      subtitle: 'one issuer, embedded ledger, 1,000 anchors per transaction, fsync on',
    },
    data: { values: rows },
    vconcat: [
      panel('issueRate', 'anchors/s'),
      panel('readP99Ms', 'status read p99 (ms)'),
      panel('ledgerBytesPerCredential', 'ledger bytes per credential'),
      panel('serveFirstAnswerMs', 'serve: ms to its first answer'),
      panel('serveRssMb', 'serve: resident memory (MB)'),
    ],
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
