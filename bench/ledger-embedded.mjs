#!/usr/bin/env node
// ledger.embedded.batched: credential anchors per second through the real chaincode's
// IssueCredentials, 1,000 anchors per transaction, via Registry on ledgers.embedded (fsync on), in a
// temporary directory. Transactions are submitted one after another (one block each).
//
// Baseline, same run: the raw LevelDB (classic-level) write rate of what a minimal durable anchor
// needs — each anchor's world-state records (the credential record, its by-issuer index entry and its
// subject holder), exactly as the embedded ledger stored them for each measured block (read back from
// its database), written again one `batch(…, { sync: true })` per 1,000 anchors into a fresh classic-level database on
// the same disk. The ledger writes more per block (the block itself, key metadata, history pointers,
// transaction index, height); the note gives both sizes.
//
// ledger.embedded.single.p50 / .p99: ms per single-credential IssueCredentials submit (endorse, order,
// validate, fsynced commit), submitted sequentially. Baseline, same run, same disk: one small write
// and fdatasync of a file in the ledger's directory (the least a durable commit costs), p50 / p99 of
// as many as there are submits, interleaved run by run.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { median, openMojLedger, quantile, quick, repeat, report } from './lib.mjs';

const did = 'did:web:moj.gov.tw';
const perTx = 1_000;
const txPerRun = quick ? 4 : 8;
const singlePerRun = quick ? 60 : 150;

const directory = await mkdtemp(join(tmpdir(), 'credledger-bench-ledger-'));
const baselineDir = await mkdtemp(join(tmpdir(), 'credledger-bench-leveldb-'));
try {
  const figures = await measure();
  report(figures);
} finally {
  await rm(directory, { recursive: true, force: true });
  await rm(baselineDir, { recursive: true, force: true });
}

/** Anchor records as the issuer sends them (the chaincode sees ids, digests and metadata, not JWTs). */
function anchors(count, key) {
  const validFrom = '2026-01-05T00:00:00.000Z';
  return Array.from({ length: count }, () => ({
    id: `urn:uuid:${randomUUID()}`,
    digest: createHash('sha256').update(randomUUID()).digest('hex'),
    type: 'LawyerLicenceCredential',
    kid: key.kid,
    validFrom,
    validUntil: '2036-01-05T00:00:00.000Z',
    // One licence number each: every anchor claims a subject of its own.
    subjectDigest: createHash('sha256').update(randomUUID()).digest('hex'),
  }));
}

async function measure() {
  // The machine's load when the figures were taken (other work on the same cores moves them).
  const loadAtStart = loadavg()[0];
  const ledgerDir = join(directory, 'ledger');
  const { network, key, moj } = await openMojLedger(ledgerDir, { fsync: true });

  // Batched: 1,000 anchors per transaction, sequential.
  const measuredBlocks = [];
  let recording = false;
  const batchedRuns = await repeat(async () => {
    const requests = Array.from({ length: txPerRun }, () => anchors(perTx, key));
    const start = performance.now();
    for (const credentials of requests) {
      const receipt = await moj.issueCredentials({ issuerDid: did, credentials });
      if (receipt.anchored.length !== perTx) throw new Error(`anchored ${receipt.anchored.length} of ${perTx}`);
      if (recording) measuredBlocks.push(Number(receipt.blockNumber));
    }
    const rate = (txPerRun * perTx) / ((performance.now() - start) / 1000);
    recording = true; // blocks after the warm-up are replayed by the baseline
    return rate;
  });

  // Single credential per transaction, sequential: latency of each submit; each run followed by the
  // fdatasync baseline on the same disk.
  const singlePairs = await repeat(async () => {
    const requests = Array.from({ length: singlePerRun }, () => anchors(1, key));
    const ms = [];
    for (const credentials of requests) {
      const start = performance.now();
      await moj.issueCredentials({ issuerDid: did, credentials });
      ms.push(performance.now() - start);
    }
    return [{ p50: quantile(ms, 0.5), p99: quantile(ms, 0.99) }, await fdatasyncLatency(directory, singlePerRun)];
  });
  const singleRuns = singlePairs.map((pair) => pair[0]);
  const syncRuns = singlePairs.map((pair) => pair[1]);
  await network.close();

  // Baseline: the same key/value pairs per measured block, written raw with sync.
  const blocks = await blockWrites(join(ledgerDir, 'db'), new Set(measuredBlocks));
  const written = measuredBlocks.map((n) => blocks.get(n));
  const bytesOf = (ops) => ops.reduce((sum, op) => sum + op.key.length + op.value.length, 0);
  const writesPerBlock = written.map((ops) => ops.length);
  const bytesPerBlock = written.map(bytesOf);
  // World state only ('s'): per anchor the credential record, its by-issuer index entry and its subject holder.
  const ordered = written.map((ops) => ops.filter((op) => op.key[0] === 0x73));
  const baselineWrites = ordered.map((ops) => ops.length);
  const baselineBytes = ordered.map(bytesOf);
  const db = new ClassicLevel(join(baselineDir, 'db'), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const runsOf = (list) =>
    Array.from({ length: list.length / txPerRun }, (_, r) => list.slice(r * txPerRun, (r + 1) * txPerRun));
  const baselineRuns = [];
  for (const blocksOfRun of [ordered.slice(0, txPerRun), ...runsOf(ordered)]) {
    const start = performance.now();
    for (const ops of blocksOfRun)
      await db.batch(
        ops.map((op) => ({ type: 'put', key: op.key, value: op.value })),
        { sync: true },
      );
    baselineRuns.push((blocksOfRun.length * perTx) / ((performance.now() - start) / 1000));
  }
  baselineRuns.shift(); // warm-up
  await db.close();

  const batched = median(batchedRuns);
  const raw = median(baselineRuns);
  const p50 = median(singleRuns.map((r) => r.p50));
  const p99 = median(singleRuns.map((r) => r.p99));
  const load = `load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`;
  const common = `embedded ledger in a temp dir on this machine's disk, fsync on, chaincode from @credledger/chaincode via Registry.issueCredentials as MojMSP/operator; ${load}`;
  return [
    {
      name: 'ledger.embedded.batched',
      value: batched,
      unit: 'anchors/s',
      baseline: { name: 'raw LevelDB fsynced batches (state record + index + subject holder per anchor)', value: raw },
      note:
        `${txPerRun} transactions × ${perTx} anchors per run, sequential (one block each); ${common}; ` +
        `ledger writes ${Math.round(median(writesPerBlock))} key/value pairs (${Math.round(median(bytesPerBlock) / 1024)} KiB) per block; ` +
        `baseline writes the same blocks' world-state records only (credential record + by-issuer index + subject holder per anchor: ${Math.round(median(baselineWrites))} pairs, ${Math.round(median(baselineBytes) / 1024)} KiB per 1,000 anchors) with classic-level batch(sync: true); ` +
        `medians of ${batchedRuns.length} runs after a warm-up (ledger ${batchedRuns.map(Math.round).join(', ')}; raw ${baselineRuns.map(Math.round).join(', ')})`,
    },
    {
      name: 'ledger.embedded.single.p50',
      value: p50,
      unit: 'ms',
      baseline: { name: 'one write + fdatasync, p50', value: median(syncRuns.map((r) => r.p50)) },
      note: `${singlePerRun} sequential one-credential submits per run; ${common}; median of the runs' p50 (${singleRuns.map((r) => r.p50.toFixed(2)).join(', ')}); fdatasync p50 per run ${syncRuns.map((r) => r.p50.toFixed(3)).join(', ')}`,
    },
    {
      name: 'ledger.embedded.single.p99',
      value: p99,
      unit: 'ms',
      baseline: { name: 'one write + fdatasync, p99', value: median(syncRuns.map((r) => r.p99)) },
      note: `same submits as single.p50; median of the runs' p99 (${singleRuns.map((r) => r.p99.toFixed(2)).join(', ')}); fdatasync p99 per run ${syncRuns.map((r) => r.p99.toFixed(3)).join(', ')}`,
    },
  ];
}

/** p50 / p99 ms of `count` sequential 256-byte writes, each followed by fdatasync, in `directory`. */
async function fdatasyncLatency(directory, count) {
  const file = await open(join(directory, 'fdatasync-baseline'), 'w');
  const record = Buffer.alloc(256, 0x61);
  const samples = [];
  try {
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      await file.write(record, 0, record.length, (i % 64) * record.length);
      await file.datasync();
      samples.push(performance.now() - start);
    }
  } finally {
    await file.close();
    await rm(join(directory, 'fdatasync-baseline'), { force: true });
  }
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

/**
 * The key/value pairs the embedded ledger wrote for each wanted block, grouped by block as its
 * committer wrote them (see packages/ledger-embedded/src/store.ts for the layout): state values carry their
 * version, history keys and block keys their block number, transaction index values theirs; key
 * metadata goes with the block that wrote the key's state; the height key is rewritten every block.
 */
async function blockWrites(dbDir, wanted) {
  const db = new ClassicLevel(dbDir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const blocks = new Map([...wanted].map((n) => [n, []]));
  const stateBlock = new Map();
  const meta = [];
  const u64 = (b, at) => b.readUInt32BE(at) * 0x1_0000_0000 + b.readUInt32BE(at + 4);
  let height;
  for await (const [key, value] of db.iterator()) {
    let block;
    switch (key[0]) {
      case 0x73: // 's': state
        block = u64(value, 0);
        stateBlock.set(key.subarray(1).toString('latin1'), block);
        break;
      case 0x68: // 'h': history pointer, block in the key's tail
        block = u64(key, key.length - 12);
        break;
      case 0x62: // 'b': block
        block = u64(key, 1);
        break;
      case 0x74: // 't': transaction index
        block = u64(value, 0);
        break;
      case 0x6d: // 'm': metadata of a key
        meta.push({ key, value });
        continue;
      case 0x48: // 'H': height
        height = { key, value };
        continue;
      case 0x56: // 'V': storage format, written once
        continue;
      default:
        throw new Error(`unexpected key prefix ${key[0]} in the embedded ledger`);
    }
    blocks.get(block)?.push({ key, value });
  }
  for (const op of meta) blocks.get(stateBlock.get(op.key.subarray(1).toString('latin1')))?.push(op);
  for (const ops of blocks.values()) if (height) ops.push(height);
  await db.close();
  return blocks;
}
