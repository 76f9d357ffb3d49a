/**
 * Integrity check of an embedded ledger: every block present and hash-chained (Fabric's header hash),
 * every data hash right, every validation code re-derived from the blocks' own read/write sets, and the
 * world state, state metadata, history and transaction index equal to what replaying the blocks gives.
 * An edit to any block or any stored entry shows up as a problem.
 */
import type { ClassicLevel } from 'classic-level';
import type { ChainVerification } from '@credledger/ledger';
import {
  blockKey,
  dataHash,
  decodeBlock,
  decodeEnvelope,
  encodeMetadata,
  encodeState,
  encodeTxIndex,
  headerHash,
  heightKey,
  historyKey,
  prefix,
  type Metadata,
  type StoredBlock,
  type TxEnvelope,
  type Version,
} from './store.js';
import type { PolicyEvaluator } from './policy.js';
import { validateBlock, type StateView } from './validator.js';

type Db = ClassicLevel<Buffer, Buffer>;

/** World state replayed in memory; keys kept as latin1 strings of their UTF-8 bytes, so `<` is byte order. */
export class MemoryState implements StateView {
  readonly state = new Map<string, { version: Version; value: Buffer }>();
  readonly meta = new Map<string, Metadata>();
  readonly txIds = new Set<string>();
  private sorted: string[] | undefined;

  private static b(key: string): string {
    return Buffer.from(key, 'utf8').toString('latin1');
  }

  versions(keys: readonly string[]): Promise<(Version | null)[]> {
    return Promise.resolve(keys.map((k) => this.state.get(MemoryState.b(k))?.version ?? null));
  }
  values(keys: readonly string[]): Promise<(Buffer | null)[]> {
    return Promise.resolve(keys.map((k) => this.state.get(MemoryState.b(k))?.value ?? null));
  }
  metadata(keys: readonly string[]): Promise<(Metadata | null)[]> {
    return Promise.resolve(keys.map((k) => this.meta.get(MemoryState.b(k)) ?? null));
  }
  hasTxIds(ids: readonly string[]): Promise<boolean[]> {
    return Promise.resolve(ids.map((id) => this.txIds.has(id)));
  }
  range(start: string, end: string, inclusiveEnd: boolean): Promise<[string, Version][]> {
    this.sorted ??= [...this.state.keys()].sort();
    const s = MemoryState.b(start);
    const e = end === '' ? undefined : MemoryState.b(end);
    const out: [string, Version][] = [];
    for (const k of this.sorted) {
      if (k < s) continue;
      if (e !== undefined && (inclusiveEnd ? k > e : k >= e)) break;
      const entry = this.state.get(k);
      if (entry) out.push([Buffer.from(k, 'latin1').toString('utf8'), entry.version]);
    }
    return Promise.resolve(out);
  }

  apply(updates: Awaited<ReturnType<typeof validateBlock>>['updates']): void {
    for (const [key, upd] of updates) {
      const k = MemoryState.b(key);
      if (!this.state.has(k)) this.sorted = undefined;
      if (upd.value === null) {
        this.state.delete(k);
        this.meta.delete(k);
        this.sorted = undefined;
      } else {
        this.state.set(k, { version: upd.version, value: upd.value });
        if (upd.metadata === null) this.meta.delete(k);
        else if (upd.metadata !== undefined) this.meta.set(k, upd.metadata);
      }
    }
  }
}

export async function verifyLedger(
  db: Db,
  memory: MemoryState,
  enableHistory: boolean,
  policies: PolicyEvaluator,
): Promise<ChainVerification> {
  const problems: string[] = [];
  const problem = (p: string): void => {
    if (problems.length < 1000) problems.push(p);
  };
  let head: { height: number; lastHash: string };
  try {
    const raw = await db.get(heightKey);
    if (raw === undefined) return { ok: false, blocks: 0n, problems: ['ledger height record missing'] };
    head = JSON.parse(raw.toString('utf8')) as typeof head;
  } catch {
    return { ok: false, blocks: 0n, problems: ['ledger height record unreadable'] };
  }

  const expected = new Map<string, Buffer>(); // hex key → value expected in the state/meta/history/tx ranges
  const put = (key: Buffer, value: Buffer): void => {
    expected.set(key.toString('hex'), value);
  };
  let previousHash = '';
  for (let n = 0; n < head.height; n++) {
    const raw = await db.get(blockKey(n));
    if (raw === undefined) {
      problem(`block ${n} is missing`);
      return { ok: false, blocks: BigInt(head.height), problems };
    }
    let block: StoredBlock;
    let txs: TxEnvelope[];
    try {
      block = decodeBlock(raw);
      txs = n === 0 ? [] : block.data.map(decodeEnvelope);
    } catch {
      problem(`block ${n} cannot be parsed`);
      return { ok: false, blocks: BigInt(head.height), problems };
    }
    if (block.header.number !== n) problem(`block ${n} claims number ${block.header.number}`);
    if (block.header.previousHash !== previousHash) problem(`block ${n}: previous hash does not match block ${n - 1}`);
    if (dataHash(block.data) !== block.header.dataHash)
      problem(`block ${n}: data hash does not match its transactions`);
    previousHash = headerHash(block.header);
    if (n === 0) continue;
    const validation = await validateBlock(n, txs, memory, policies);
    txs.forEach((t, i) => {
      if (validation.codes[i] !== block.codes[i])
        problem(
          `block ${n} tx ${i} (${t.txId}): stored validation code ${block.codes[i]}, re-derived ${validation.codes[i]}`,
        );
    });
    memory.apply(validation.updates);
    const indexed = new Set<string>();
    txs.forEach((t, i) => {
      if (!memory.txIds.has(t.txId) && !indexed.has(t.txId)) {
        indexed.add(t.txId);
        put(
          Buffer.concat([Buffer.from([prefix.tx]), Buffer.from(t.txId, 'utf8')]),
          encodeTxIndex(n, i, block.codes[i] ?? 255),
        );
      }
    });
    for (const id of indexed) memory.txIds.add(id);
    if (enableHistory) {
      txs.forEach((t, i) => {
        if (!validation.valid[i]) return;
        for (const [key] of t.rwset.writes) put(historyKey(key, { block: n, tx: i }), Buffer.alloc(0));
      });
    }
  }
  if (previousHash !== head.lastHash) problem('the height record does not match the last block hash');
  if ((await db.get(blockKey(head.height))) !== undefined)
    problem(`block ${head.height} exists beyond the recorded height`);

  for (const [k, entry] of memory.state)
    put(
      Buffer.concat([Buffer.from([prefix.state]), Buffer.from(k, 'latin1')]),
      encodeState(entry.version, entry.value),
    );
  for (const [k, m] of memory.meta)
    put(Buffer.concat([Buffer.from([prefix.meta]), Buffer.from(k, 'latin1')]), encodeMetadata(m));

  const seen = new Set<string>();
  for (const p of [prefix.state, prefix.meta, prefix.history, prefix.tx]) {
    for await (const [key, value] of db.iterator({ gte: Buffer.from([p]), lt: Buffer.from([p + 1]) })) {
      const hex = key.toString('hex');
      const want = expected.get(hex);
      if (want === undefined) problem(`${describe(key)} is not produced by any block`);
      else if (!want.equals(value)) problem(`${describe(key)} differs from what the blocks produce`);
      seen.add(hex);
    }
  }
  for (const hex of expected.keys()) if (!seen.has(hex)) problem(`${describe(Buffer.from(hex, 'hex'))} is missing`);
  return { ok: problems.length === 0, blocks: BigInt(head.height), problems };
}

function describe(key: Buffer): string {
  const kind =
    {
      [prefix.state]: 'state entry',
      [prefix.meta]: 'state metadata',
      [prefix.history]: 'history entry',
      [prefix.tx]: 'tx index entry',
    }[key[0] ?? 0] ?? 'entry';
  const body = key[0] === prefix.history ? key.subarray(5, 5 + key.readUInt32BE(1)) : key.subarray(1);
  return `${kind} ${JSON.stringify(body.toString('utf8'))}`;
}
