/**
 * The LevelDB writes of one validated block — the block, world state, state metadata and history
 * pointers — in the layout store.ts describes, byte for byte what its `stateKey`, `encodeState`,
 * `metaKey`, `encodeMetadata` and `historyKey` give (verify.ts re-derives them with those). Keys and
 * values are written one after another into one buffer and handed to LevelDB as views of it: a block of
 * 1,000 anchors writes ~8,000 of them, which as separate buffers cost several allocations and copies each.
 */
import {
  blockKey,
  encodeBlock,
  encodeMetadata,
  prefix,
  type Metadata,
  type StoredBlock,
  type TxEnvelope,
} from './store.js';
import type { Scratch } from './scratch.js';
import type { BlockValidation } from './validator.js';

/**
 * Where a block's writes go: a LevelDB chained batch (classic-level's `db.batch()`, which adds each
 * operation to the native write batch as it comes — half the main-thread time of handing LevelDB an
 * array of ~8,000 operation objects, which abstract-level copies and the binding then reads property by
 * property), or anything else with the same two calls.
 */
export interface BatchSink {
  put(key: Buffer, value: Buffer): unknown;
  del(key: Buffer): unknown;
}

const empty = Buffer.alloc(0);

/** Bytes written one after another into a buffer sized for them up front; each piece is a view. */
class Arena {
  private readonly buf: Buffer;
  private at = 0;

  constructor(size: number, scratch?: Scratch) {
    this.buf = scratch ? scratch.take(size) : Buffer.allocUnsafe(size);
  }

  /** `p` ‖ UTF-8 of `key` (a state or metadata key). */
  prefixed(p: number, key: string): Buffer {
    const start = this.at;
    this.buf[start] = p;
    this.at = start + 1 + this.buf.write(key, start + 1, 'utf8');
    return this.buf.subarray(start, this.at);
  }

  /** block u64 ‖ tx u32 ‖ value (a state value with its version). */
  versioned(block: number, tx: number, value: Uint8Array): Buffer {
    const start = this.at;
    this.version(block, tx);
    this.buf.set(value, this.at);
    this.at += value.length;
    return this.buf.subarray(start, this.at);
  }

  /** 'h' ‖ u32 length ‖ UTF-8 of `key` ‖ block u64 ‖ tx u32 (a history pointer). */
  history(key: string, block: number, tx: number): Buffer {
    const start = this.at;
    this.buf[start] = prefix.history;
    const length = this.buf.write(key, start + 5, 'utf8');
    this.buf.writeUInt32BE(length, start + 1);
    this.at = start + 5 + length;
    this.version(block, tx);
    return this.buf.subarray(start, this.at);
  }

  private version(block: number, tx: number): void {
    const at = this.at;
    this.buf.writeUInt32BE(Math.floor(block / 0x1_0000_0000), at);
    this.buf.writeUInt32BE(block >>> 0, at + 4);
    this.buf.writeUInt32BE(tx, at + 8);
    this.at = at + 12;
  }
}

/** Most bytes a key takes in UTF-8: 3 per UTF-16 unit. */
const utf8Bound = (key: string): number => key.length * 3;

/**
 * Adds the block, state, metadata and history writes of one validated block to `sink` (the transaction
 * index and height are the committer's). `scratch` holds the block's bytes and then its keys and values
 * (the sink copies each put, as LevelDB's batch does).
 */
export function writeBlock(
  sink: BatchSink,
  block: StoredBlock,
  txs: readonly TxEnvelope[],
  validation: BlockValidation,
  enableHistory: boolean,
  scratch?: { readonly block: Scratch; readonly writes: Scratch },
): void {
  const number = block.header.number;
  let size = 0;
  for (const [key, upd] of validation.updates)
    size += 2 * (1 + utf8Bound(key)) + (upd.value === null ? 0 : 12 + upd.value.length);
  if (enableHistory)
    txs.forEach((t, i) => {
      if (validation.valid[i]) for (const [key] of t.rwset.writes) size += 17 + utf8Bound(key);
    });
  const arena = new Arena(size, scratch?.writes);

  // The chaincode pins many keys to the same policy: each distinct metadata is encoded once a block.
  const encoded = new Map<string, Buffer>();
  const metadataBytes = (m: Metadata): Buffer => {
    let id = '';
    for (const name of Object.keys(m)) id += `${name}\u0000${(m[name] ?? empty).toString('latin1')}\u0000`;
    let bytes = encoded.get(id);
    if (bytes === undefined) {
      bytes = encodeMetadata(m);
      encoded.set(id, bytes);
    }
    return bytes;
  };

  sink.put(blockKey(number), encodeBlock(block, scratch?.block));
  for (const [key, upd] of validation.updates) {
    if (upd.value === null) {
      sink.del(arena.prefixed(prefix.state, key));
      sink.del(arena.prefixed(prefix.meta, key));
    } else {
      sink.put(arena.prefixed(prefix.state, key), arena.versioned(upd.version.block, upd.version.tx, upd.value));
      if (upd.metadata === null) sink.del(arena.prefixed(prefix.meta, key));
      else if (upd.metadata !== undefined) sink.put(arena.prefixed(prefix.meta, key), metadataBytes(upd.metadata));
    }
  }
  if (enableHistory) {
    // Pointers only, as Fabric's history database: the value is read from the block when queried.
    txs.forEach((t, i) => {
      if (!validation.valid[i]) return;
      for (const [key] of t.rwset.writes) sink.put(arena.history(key, number, i), empty);
    });
  }
}
