#!/usr/bin/env node
// serve.status.rps: status-by-id requests per second (GET /api/v1/credentials/<id>) on loopback against
// startServer over an embedded ledger holding issued credentials, ids drawn at random from all of
// them. The server runs in this process with its default options except rate limiting (off: one
// client address would otherwise be held to 20/s). Load comes from a separate process: wrk when
// installed (`apt-get install wrk`), else a Node generator (keep-alive agent, 64 sockets, worker
// threads). Both share this machine's cores with the server, as on any single-host loopback test.
//
// serve.status.rps is a server in service: its defaults (it follows the ledger's chaincode events and
// keeps each answer until a commit changes it), every id asked for once before the measured runs.
// serve.status.rps.firstRead is the same load on a server that keeps nothing (cacheTtlMs 0): every
// request an evaluate on the ledger, as for a credential nobody asked about before.
//
// Baseline, same run, same load: a bare node:http server in this process answering every request with
// a fixed JSON body of the same length as the real answer (the physical limit of one Node process on
// these cores serving this load), interleaved run by run with the real server.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const connections = 64;

if (!isMainThread) {
  await loadWorker();
} else if (process.argv[2] === '--load') {
  // Load generator process: node serve-rps.mjs --load <server url> <ids file> <seconds>
  await nodeLoad(process.argv[3], process.argv[4], Number(process.argv[5]));
} else {
  await main();
}

async function main() {
  const { median, openMojLedger, quick, repeat, report } = await import('./lib.mjs');
  const { startServer } = await import('@credledger/sdk');
  const did = 'did:web:moj.gov.tw';
  const count = quick ? 2_000 : 10_000;
  const seconds = quick ? 2 : 4;
  const directory = await mkdtemp(join(tmpdir(), 'credledger-bench-serve-'));
  const servers = [];
  let network;
  try {
    let key, moj;
    ({ network, key, moj } = await openMojLedger(join(directory, 'ledger'), { fsync: false }));
    const ids = [];
    for (let i = 0; i < count; i += 1_000) {
      const credentials = Array.from({ length: 1_000 }, () => ({
        id: `urn:uuid:${randomUUID()}`,
        digest: createHash('sha256').update(randomUUID()).digest('hex'),
        type: 'LawyerLicenceCredential',
        kid: key.kid,
        validFrom: '2026-01-05T00:00:00.000Z',
        validUntil: '2036-01-05T00:00:00.000Z',
        subjectDigest: createHash('sha256').update(randomUUID()).digest('hex'),
      }));
      await moj.issueCredentials({ issuerDid: did, credentials });
      ids.push(...credentials.map((c) => c.id));
    }
    const idsFile = join(directory, 'ids.txt');
    await writeFile(idsFile, ids.join('\n'));
    const reader = network.connect('MojMSP/auditor');

    const cached = await startServer({ ledger: reader, port: 0, rateLimit: false });
    const uncached = await startServer({ ledger: reader, port: 0, rateLimit: false, cacheTtlMs: 0 });
    servers.push(cached, uncached);

    // The answer is the real record.
    const sample = await fetch(`${cached.url}/api/v1/credentials/${ids[0]}`);
    const text = await sample.text();
    if (sample.status !== 200 || text.indexOf(ids[0]) < 0) throw new Error(`status-by-id answered ${sample.status}`);
    // Answers are kept until they change once the server trusts its event stream: then its answers are
    // dated by the answer, not by the read. Wait for that, then ask for every id once.
    for (let tries = 0; tries < 100; tries++) {
      const asOf = async () => (await (await fetch(`${cached.url}/api/v1/credentials/${ids[0]}`)).json()).asOf;
      const a = await asOf();
      await new Promise((resolve) => setTimeout(resolve, 20));
      if ((await asOf()) !== a) break;
    }
    await warm(cached.url, ids);
    const bare = await bareServer(text, sample.headers.get('content-type') ?? 'application/json');
    servers.push(bare);

    const wrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
    const useWrk = wrk.error === undefined;
    const load = (server, s) =>
      useWrk ? wrkLoad(server.url, ids, directory, s) : spawnNodeLoad(server.url, idsFile, s);
    // Interleaved (credledger, bare, credledger, bare …) so that load from other processes hits both alike.
    const pairs = await repeat(async () => [await load(cached, seconds), await load(bare, seconds)]);
    const cachedRuns = pairs.map((p) => p[0]);
    const bareRuns = pairs.map((p) => p[1]);
    const uncachedPairs = await repeat(async () => [await load(uncached, seconds), await load(bare, seconds)], {
      runs: 3,
    });
    const uncachedRuns = uncachedPairs.map((p) => p[0]);
    const value = median(cachedRuns.map((r) => r.rps));
    const errors = [...cachedRuns, ...bareRuns, ...uncachedPairs.flat()].reduce((sum, r) => sum + r.errors, 0);
    report([
      {
        name: 'serve.status.rps',
        value,
        unit: 'requests/s',
        baseline: { name: 'bare node:http, fixed body', value: median(bareRuns.map((r) => r.rps)) },
        valid: errors === 0,
        note:
          `GET /api/v1/credentials/<random of ${count} ids> over an embedded ledger, ${connections} keep-alive connections, ${seconds} s per run, ` +
          `load from ${useWrk ? 'wrk (2 threads)' : `a Node process (${availableParallelism()} worker threads, keep-alive agent)`} on the same ${availableParallelism()} cores; ` +
          `server defaults (follows the ledger's events; every id asked once before the runs); ` +
          `${errors} failed or non-200 answers; medians of ${cachedRuns.length} interleaved runs after a warm-up (credledger ${cachedRuns.map((r) => Math.round(r.rps)).join(', ')}; bare ${bareRuns.map((r) => Math.round(r.rps)).join(', ')}); ` +
          `bare = node:http answering the same ${Buffer.byteLength(text)}-byte JSON body to every request, same process, same load; ` +
          `p50 latency ${median(cachedRuns.map((r) => r.p50)).toFixed(2)} ms (bare ${median(bareRuns.map((r) => r.p50)).toFixed(2)} ms)`,
      },
      {
        name: 'serve.status.rps.firstRead',
        value: median(uncachedRuns.map((r) => r.rps)),
        unit: 'requests/s',
        baseline: { name: 'bare node:http, fixed body', value: median(uncachedPairs.map((p) => p[1].rps)) },
        valid: errors === 0,
        note: `the same load on startServer with cacheTtlMs 0 (every request an evaluate through the embedded peer: signed proposal, chaincode under fabric-shim, LevelDB read); medians of ${uncachedRuns.length} runs interleaved with the bare server (${uncachedRuns.map((r) => Math.round(r.rps)).join(', ')})`,
      },
    ]);
  } finally {
    for (const server of servers) await server.close();
    await network?.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** Asks for every id once, 32 at a time, so that the measured runs find a server in service. */
async function warm(url, ids) {
  let next = 0;
  const lane = async () => {
    while (next < ids.length) {
      const response = await fetch(`${url}/api/v1/credentials/${ids[next++]}`);
      if (response.status !== 200) throw new Error(`warming answered ${response.status}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
}

/** The baseline: node:http answering `body` to every request, nothing else. */
async function bareServer(body, contentType) {
  const bytes = Buffer.from(body);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
    res.end(bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** One wrk run; ids picked at random per request by a small Lua script. */
async function wrkLoad(url, ids, directory, seconds) {
  const script = join(directory, 'ids.lua');
  await writeFile(
    script,
    `local ids = {${ids.map((id) => `"${id}"`).join(',')}}\n` +
      `local n = #ids\n` +
      `request = function() return wrk.format("GET", "/api/v1/credentials/" .. ids[math.random(n)]) end\n` +
      `done = function(summary, latency, requests)\n` +
      `  io.write(string.format("RESULT %d %d %d %d %d %f\\n", summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status, summary.duration, latency:percentile(50), 0))\n` +
      `end\n`,
  );
  const out = await run('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '-s', script, url]);
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`wrk gave no result:\n${out}`);
  const [requests, socketErrors, statusErrors, durationUs, p50Us] = line.split(' ').slice(1).map(Number);
  if (socketErrors + statusErrors > 0)
    process.stderr.write(`wrk ${url}: ${socketErrors} socket errors, ${statusErrors} non-2xx\n`);
  return { rps: requests / (durationUs / 1e6), errors: socketErrors + statusErrors, p50: p50Us / 1000 };
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}`))));
  });
}

async function spawnNodeLoad(url, idsFile, seconds) {
  const out = await run(process.execPath, [new URL(import.meta.url).pathname, '--load', url, idsFile, String(seconds)]);
  return JSON.parse(out.trim().split('\n').pop());
}

/** The Node load generator: worker threads, each with keep-alive sockets, requests back to back. */
async function nodeLoad(url, idsFile, seconds) {
  const { readFileSync } = await import('node:fs');
  const ids = readFileSync(idsFile, 'utf8').split('\n');
  const threads = availableParallelism();
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(new URL(import.meta.url), {
        workerData: { url, ids, seconds, sockets: Math.ceil(connections / threads) },
      }),
  );
  const results = await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  const requests = results.reduce((s, r) => s + r.requests, 0);
  const errors = results.reduce((s, r) => s + r.errors, 0);
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({ rps: requests / seconds, errors, p50: latencies[latencies.length >> 1] ?? 0 }) + '\n',
  );
}

async function loadWorker() {
  const { url, ids, seconds, sockets } = workerData;
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const end = performance.now() + seconds * 1000;
  let requests = 0;
  let errors = 0;
  const latencies = [];
  const one = () =>
    new Promise((resolve) => {
      const start = performance.now();
      const id = ids[Math.floor(Math.random() * ids.length)];
      const req = request(
        { host: target.hostname, port: target.port, path: `/api/v1/credentials/${id}`, agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) requests++;
            else errors++;
            if (latencies.length < 100_000) latencies.push(performance.now() - start);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: sockets }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  agent.destroy();
  parentPort.postMessage({ requests, errors, latencies });
}
