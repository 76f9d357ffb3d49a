#!/usr/bin/env node
// statusIndex.lookup.p99 / statusIndex.open: the LevelDB status index (`statusIndexAllocators.level`)
// holding 1,000,000 allocations (10,000,000 with `--scale`, 200,000 with `--quick`), one issuer's
// revocation lists, written first through the allocator itself in calls of 10,000 (not timed).
//
// lookup.p99: ms per `allocate(issuer, 'revocation', [id])` of an id already allocated (the retried
// batch's path: one key looked up, nothing written), sequential, ids at random; p99 of 20,000 per run
// (5,000 with `--quick`). Baseline, same run, interleaved run by run: a raw classic-level `get` of the
// very same `a:` keys on the same directory, p99.
//
// open: ms from `statusIndexAllocators.level(dir)` to the answer of its first lookup (the store opens
// lazily) and `close()`, on the full store. Baseline, same run: a raw classic-level open, one `get` and
// close of the same directory. Neither reads the allocations, so neither grows with their number; the
// note gives what the JSON Lines file store (`statusIndexAllocators.file`) takes to open the same
// allocations (at 1,000,000 and below).
import { randomUUID } from 'node:crypto';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { directoryBytes, median, quantile, quick, repeat, report } from './lib.mjs';

const scale = process.argv.includes('--scale');
const entries = scale ? 10_000_000 : quick ? 200_000 : 1_000_000;
const lookupsPerRun = quick ? 5_000 : 20_000;
const perCall = 10_000;
const issuer = 'did:web:moj.gov.tw';
/** Every stored credential id is `urn:uuid:<prefix>-<n>`, so a random one is drawn without keeping them all. */
const idOf = (prefix, n) => `urn:uuid:${prefix}-${n}`;
const idKey = (id) => `a:revocation:${issuer.length}:${issuer}:${id}`;

const { statusIndexAllocators } = await import('@credledger/sdk');
const directory = await mkdtemp(join(tmpdir(), 'credledger-bench-status-index-'));
try {
  report(await measure());
} finally {
  await rm(directory, { recursive: true, force: true });
}

async function measure() {
  const store = join(directory, 'status-index');
  const prefix = randomUUID();
  const built = performance.now();
  {
    await using writer = statusIndexAllocators.level(store);
    for (let start = 0; start < entries; start += perCall) {
      const ids = Array.from({ length: Math.min(perCall, entries - start) }, (_, i) => idOf(prefix, start + i));
      await writer.allocate(issuer, 'revocation', ids);
    }
  }
  const buildMs = performance.now() - built;
  const randomIds = (count) => Array.from({ length: count }, () => idOf(prefix, Math.floor(Math.random() * entries)));

  const lookupRuns = [];
  const rawRuns = [];
  const openRuns = [];
  const rawOpenRuns = [];
  await repeat(async () => {
    // Open + first lookup + close, then the raw open + get + close of the same directory.
    const [first] = randomIds(1);
    let started = performance.now();
    {
      const allocator = statusIndexAllocators.level(store);
      await allocator.allocate(issuer, 'revocation', [first]);
      openRuns.push(performance.now() - started);
      // Lookups of stored ids, sequential.
      const ids = randomIds(lookupsPerRun);
      const samples = new Float64Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const t = performance.now();
        await allocator.allocate(issuer, 'revocation', [ids[i]]);
        samples[i] = performance.now() - t;
      }
      lookupRuns.push(quantile(samples, 0.99));
      await allocator.close();
      // The raw baseline on the same keys.
      started = performance.now();
      const db = new ClassicLevel(store, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
      await db.open();
      if ((await db.get(idKey(first))) === undefined) throw new Error(`${first} is not stored`);
      rawOpenRuns.push(performance.now() - started);
      const raw = new Float64Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const t = performance.now();
        await db.get(idKey(ids[i]));
        raw[i] = performance.now() - t;
      }
      rawRuns.push(quantile(raw, 0.99));
      await db.close();
    }
  });
  // The measured runs are the last ones (repeat warms up first).
  const runs = lookupRuns.length - (quick ? 3 : 5);
  const measured = (values) => values.slice(runs);
  const lookup = measured(lookupRuns);
  const rawLookup = measured(rawRuns);
  const opened = measured(openRuns);
  const rawOpened = measured(rawOpenRuns);

  const diskBytes = await directoryBytes(store);
  const jsonl = entries <= 1_000_000 ? await jsonLinesOpen(prefix) : null;
  const common =
    `${entries.toLocaleString('en')} allocations of one issuer's revocation lists (${Math.ceil(entries / 131_072)} lists), ` +
    `written through the allocator in calls of ${perCall.toLocaleString('en')} (${Math.round(buildMs / 1000)} s, ` +
    `${Math.round(entries / (buildMs / 1000)).toLocaleString('en')} allocations/s, fsynced batches); store ${Math.round(diskBytes / 1024 / 1024)} MiB on disk`;
  return [
    {
      name: 'statusIndex.lookup.p99',
      value: median(lookup),
      unit: 'ms',
      baseline: { name: 'raw classic-level get of the same keys, p99', value: median(rawLookup) },
      note:
        `${lookupsPerRun.toLocaleString('en')} sequential allocate() calls of one already-allocated id, at random, per run; ${common}; ` +
        `median of ${lookup.length} runs' p99 after a warm-up (store ${lookup.map((v) => v.toFixed(3)).join(', ')}; raw ${rawLookup.map((v) => v.toFixed(3)).join(', ')})`,
    },
    {
      name: 'statusIndex.open',
      value: median(opened),
      unit: 'ms',
      baseline: { name: 'raw classic-level open + one get', value: median(rawOpened) },
      note:
        `statusIndexAllocators.level(dir) to the answer of its first lookup; ${common}; ` +
        `runs ${opened.map((v) => v.toFixed(1)).join(', ')} ms (raw ${rawOpened.map((v) => v.toFixed(1)).join(', ')})` +
        (jsonl
          ? `; the JSON Lines file store with the same ${entries.toLocaleString('en')} allocations (${Math.round(jsonl.bytes / 1024 / 1024)} MiB) opens and answers in ${Math.round(jsonl.ms)} ms (it reads the whole file and keeps every allocation in memory)`
          : ''),
    },
  ];
}

/** Writes the same number of allocations as a JSON Lines file store and times its open and first lookup. */
async function jsonLinesOpen(prefix) {
  const path = join(directory, 'status-index.jsonl');
  const file = await open(path, 'w');
  try {
    const chunk = 50_000;
    for (let start = 0; start < entries; start += chunk) {
      let text = '';
      for (let n = start; n < Math.min(start + chunk, entries); n++) {
        text += `{"issuer":"${issuer}","purpose":"revocation","id":"${idOf(prefix, n)}","list":${Math.floor(n / 131_072)},"index":${n % 131_072}}\n`;
      }
      await file.write(text);
    }
  } finally {
    await file.close();
  }
  const bytes = (await stat(path)).size;
  const started = performance.now();
  const allocator = statusIndexAllocators.file(path);
  await allocator.allocate(issuer, 'revocation', [idOf(prefix, 12_345)]);
  const ms = performance.now() - started;
  await rm(path);
  return { ms, bytes };
}
