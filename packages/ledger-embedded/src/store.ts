/**
 * The embedded ledger's on-disk layout in one LevelDB (classic-level), the engine family Fabric peers use.
 * Every committed block is one atomic, fsynced batch holding the block, its transactions' state and
 * history updates, the transaction index and the new height, so a crash leaves each block whole or absent.
 *
 *   's' ‖ key                         → version (block u64, tx u32) ‖ value        world state
 *   'm' ‖ key                         → JSON { metakey: base64 }                  state metadata (key-level endorsement)
 *   'h' ‖ u32 len ‖ key ‖ block ‖ tx  → (empty)                                   history index (valid writes only)
 *   'b' ‖ block                       → binary block (see {@link encodeBlock})     block store
 *   't' ‖ txId                        → block ‖ tx ‖ code                          transaction index (invalid ones too)
 *   'H'                               → JSON { height, lastHash }                  ledger height
 *   'V'                               → u32 storage format                         {@link storageFormat}
 *
 * As in Fabric's history database, a history entry is only a pointer (key, block, tx): the value, txid,
 * timestamp and delete flag are read back from the transaction in the block store when history is queried.
 */
import { createHash } from 'node:crypto';
import type { Scratch } from './scratch.js';

/** A key's version: the height of the transaction that last wrote it. */
export interface Version {
  readonly block: number;
  readonly tx: number;
}

export function sameVersion(a: Version | null | undefined, b: Version | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.block === b.block && a.tx === b.tx;
}

export const prefix = {
  state: 0x73,
  meta: 0x6d,
  history: 0x68,
  block: 0x62,
  tx: 0x74,
  height: 0x48,
  format: 0x56,
} as const;

export const heightKey = Buffer.from([prefix.height]);

/**
 * The storage format this code reads and writes. 1 (no 'V' record): JSON envelopes with base64 fields and
 * history entries holding their values. 2: binary envelopes, history entries as empty pointers.
 * There is no migration: a ledger in another format is refused when opened.
 */
export const storageFormat = 2;
export const formatKey = Buffer.from([prefix.format]);

export function encodeFormat(format: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(format, 0);
  return b;
}

export function stateKey(key: string): Buffer {
  const k = Buffer.from(key, 'utf8');
  const out = Buffer.allocUnsafe(k.length + 1);
  out[0] = prefix.state;
  k.copy(out, 1);
  return out;
}

export function metaKey(key: string): Buffer {
  const k = Buffer.from(key, 'utf8');
  const out = Buffer.allocUnsafe(k.length + 1);
  out[0] = prefix.meta;
  k.copy(out, 1);
  return out;
}

/** First byte after a prefix: the exclusive end of that prefix's key range. */
export function prefixEnd(p: number): Buffer {
  return Buffer.from([p + 1]);
}

function u64(n: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeUInt32BE(Math.floor(n / 0x1_0000_0000), 0);
  b.writeUInt32BE(n >>> 0, 4);
  return b;
}

function readU64(b: Buffer, at: number): number {
  return b.readUInt32BE(at) * 0x1_0000_0000 + b.readUInt32BE(at + 4);
}

export function historyPrefix(key: string): Buffer {
  const k = Buffer.from(key, 'utf8');
  const head = Buffer.allocUnsafe(5);
  head[0] = prefix.history;
  head.writeUInt32BE(k.length, 1);
  return Buffer.concat([head, k]);
}

export function historyKey(key: string, version: Version): Buffer {
  const tail = Buffer.allocUnsafe(12);
  u64(version.block).copy(tail, 0);
  tail.writeUInt32BE(version.tx, 8);
  return Buffer.concat([historyPrefix(key), tail]);
}

export function blockKey(n: number): Buffer {
  return Buffer.concat([Buffer.from([prefix.block]), u64(n)]);
}

export function txKey(txId: string): Buffer {
  return Buffer.concat([Buffer.from([prefix.tx]), Buffer.from(txId, 'utf8')]);
}

export function encodeState(version: Version, value: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(12 + value.length);
  u64(version.block).copy(out, 0);
  out.writeUInt32BE(version.tx, 8);
  out.set(value, 12);
  return out;
}

export function decodeState(b: Buffer): { version: Version; value: Buffer } {
  return { version: { block: readU64(b, 0), tx: b.readUInt32BE(8) }, value: b.subarray(12) };
}

export function encodeTxIndex(block: number, tx: number, code: number): Buffer {
  const out = Buffer.allocUnsafe(13);
  u64(block).copy(out, 0);
  out.writeUInt32BE(tx, 8);
  out[12] = code;
  return out;
}

export function decodeTxIndex(b: Buffer): { block: number; tx: number; code: number } {
  return { block: readU64(b, 0), tx: b.readUInt32BE(8), code: b[12] ?? 255 };
}

/** Metadata of one key: metakey → bytes (only VALIDATION_PARAMETER is used by Fabric). */
export type Metadata = Record<string, Buffer>;

export function encodeMetadata(m: Metadata): Buffer {
  const o: Record<string, string> = {};
  for (const k of Object.keys(m).sort()) o[k] = (m[k] ?? Buffer.alloc(0)).toString('base64');
  return Buffer.from(JSON.stringify(o));
}

export function decodeMetadata(b: Buffer): Metadata {
  const o = JSON.parse(b.toString('utf8')) as Record<string, string>;
  const m: Metadata = {};
  for (const [k, v] of Object.entries(o)) m[k] = Buffer.from(v, 'base64');
  return m;
}

/** A history entry as a query returns it, read from the block the pointer names. */
export interface HistoryEntry {
  readonly txId: string;
  readonly isDelete: boolean;
  readonly seconds: number;
  readonly nanos: number;
  readonly value: Buffer;
}

// --- transactions and blocks -------------------------------------------------------------------------

/** A read: key and the version seen (absent when the key did not exist). */
export type ReadEntry = [key: string, block?: number, tx?: number];
/** A write: key and value; an empty value deletes the key at commit (Fabric's Node rule). */
export type WriteEntry = [key: string, value: Buffer];
/** A metadata write: key and metakey → bytes. */
export type MetaWriteEntry = [key: string, metadata: Record<string, Buffer>];

/** A range query's record for phantom detection, as Fabric's RangeQueryInfo. */
export interface RangeQueryRecord {
  readonly start: string;
  /** Exclusive end when exhausted ('' = unbounded); otherwise the last key returned, inclusive. */
  readonly end: string;
  readonly exhausted: boolean;
  readonly results: ReadEntry[];
}

export interface RwSet {
  readonly reads: ReadEntry[];
  readonly ranges: RangeQueryRecord[];
  readonly writes: WriteEntry[];
  readonly metaWrites: MetaWriteEntry[];
}

/** An endorsed transaction as it sits in a block (the envelope). */
export interface TxEnvelope {
  readonly type: 'ENDORSER_TRANSACTION';
  readonly txId: string;
  readonly channel: string;
  readonly chaincode: string;
  readonly creatorMspId: string;
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  /** MSP ids of the peers that endorsed. */
  readonly endorsers: string[];
  /** The SignedProposal bytes, as the client signed them. */
  readonly proposal: Buffer;
  readonly response: { readonly status: number; readonly payload: Buffer };
  readonly event: { readonly name: string; readonly payload: Buffer } | null;
  readonly rwset: RwSet;
}

/** The genesis (configuration) block's single envelope. */
export interface ConfigEnvelope {
  readonly type: 'CONFIG';
  readonly channel: string;
  readonly chaincode: string;
  readonly enableHistory: boolean;
  readonly orgs: { readonly mspId: string; readonly caFingerprint: string }[];
}

export interface BlockHeader {
  readonly number: number;
  /** hex */
  readonly previousHash: string;
  /** hex */
  readonly dataHash: string;
}

/** A block: header, envelopes (bytes, as hashed) and the validation code of each (metadata). */
export interface StoredBlock {
  readonly header: BlockHeader;
  readonly data: Buffer[];
  /** TRANSACTIONS_FILTER: one TxValidationCode per envelope. */
  readonly codes: number[];
}

/** data_hash = SHA-256 over the concatenated envelope bytes. */
export function dataHash(data: readonly Uint8Array[]): string {
  const h = createHash('sha256');
  for (const d of data) h.update(d);
  return h.digest('hex');
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derTlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

function derUnsigned(n: number): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let b = Buffer.from(hex, 'hex');
  if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return derTlv(0x02, b);
}

/**
 * Header hash as Fabric computes it: SHA-256 of the ASN.1 DER SEQUENCE { number INTEGER,
 * previous_hash OCTET STRING, data_hash OCTET STRING } (protoutil.BlockHeaderBytes).
 */
export function headerHash(h: BlockHeader): string {
  const der = derTlv(
    0x30,
    Buffer.concat([
      derUnsigned(h.number),
      derTlv(0x04, Buffer.from(h.previousHash, 'hex')),
      derTlv(0x04, Buffer.from(h.dataHash, 'hex')),
    ]),
  );
  return createHash('sha256').update(der).digest('hex');
}

// --- binary encoding ---------------------------------------------------------------------------------

/** Envelope kinds (first byte of an envelope). */
const kind = { config: 0x00, endorser: 0x01 } as const;

/**
 * An append-only byte writer: u8, u32, u64, length-prefixed bytes and UTF-8 strings; into a buffer of
 * its own, or into a scratch buffer reused from block to block (then what it wrote lasts until the
 * scratch's next use).
 */
class Writer {
  private buf: Buffer;
  at = 0;
  constructor(
    size = 4096,
    private readonly scratch?: Scratch,
  ) {
    this.buf = scratch ? scratch.take(size) : Buffer.allocUnsafe(size);
  }
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.scratch?.keep(next);
  }
  u8(n: number): void {
    this.room(1);
    this.buf[this.at++] = n;
  }
  u32(n: number): void {
    this.room(4);
    this.buf.writeUInt32BE(n, this.at);
    this.at += 4;
  }
  u64(n: number): void {
    this.room(8);
    this.buf.writeUInt32BE(Math.floor(n / 0x1_0000_0000), this.at);
    this.buf.writeUInt32BE(n >>> 0, this.at + 4);
    this.at += 8;
  }
  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }
  str(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.room(4 + s.length * 3);
    const n = this.buf.write(s, this.at + 4, 'utf8');
    this.buf.writeUInt32BE(n, this.at);
    this.at += 4 + n;
  }
  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }
  /** What was written from `start` on. */
  since(start: number): Buffer {
    return this.buf.subarray(start, this.at);
  }
}

/** The inverse of {@link Writer}; every read checks bounds and throws on truncated bytes. */
class Reader {
  at = 0;
  constructor(private readonly buf: Buffer) {}
  private take(n: number): number {
    const at = this.at;
    if (n < 0 || at + n > this.buf.length) throw new Error('encoded bytes truncated');
    this.at += n;
    return at;
  }
  u8(): number {
    return this.buf[this.take(1)] ?? 0;
  }
  u32(): number {
    return this.buf.readUInt32BE(this.take(4));
  }
  u64(): number {
    const at = this.take(8);
    return this.buf.readUInt32BE(at) * 0x1_0000_0000 + this.buf.readUInt32BE(at + 4);
  }
  /** A view into the encoded bytes (no copy). */
  bytes(): Buffer {
    const n = this.u32();
    const at = this.take(n);
    return this.buf.subarray(at, at + n);
  }
  str(): string {
    const n = this.u32();
    const at = this.take(n);
    return this.buf.toString('utf8', at, at + n);
  }
  end(): void {
    if (this.at !== this.buf.length) throw new Error('encoded bytes have trailing data');
  }
}

function writeRead(w: Writer, r: ReadEntry): void {
  w.str(r[0]);
  if (r[1] === undefined) w.u8(0);
  else {
    w.u8(1);
    w.u64(r[1]);
    w.u32(r[2] ?? 0);
  }
}

function readRead(r: Reader): ReadEntry {
  const key = r.str();
  return r.u8() === 0 ? [key] : [key, r.u64(), r.u32()];
}

/**
 * Envelope bytes: kind ‖ txId ‖ channel ‖ chaincode ‖ creator MSP ‖ seconds u64 ‖ nanos u32 ‖ endorsers ‖
 * proposal ‖ response status u32 ‖ payload ‖ event? ‖ reads ‖ ranges ‖ writes ‖ metadata writes, where
 * strings and byte fields are u32-length-prefixed and lists u32-count-prefixed. The genesis block's
 * configuration envelope is the config kind followed by its JSON.
 */
export function encodeEnvelope(t: TxEnvelope): Buffer {
  const w = new Writer(envelopeSizeBound(t));
  writeEnvelope(w, t);
  return w.done();
}

/**
 * The envelopes of a block, one after another in `scratch` (each a view of it, valid until the scratch
 * is used again), as {@link encodeEnvelope} encodes each.
 */
export function encodeEnvelopes(txs: readonly TxEnvelope[], scratch: Scratch): Buffer[] {
  let size = 0;
  for (const t of txs) size += envelopeSizeBound(t);
  const w = new Writer(size, scratch);
  return txs.map((t) => {
    const start = w.at;
    writeEnvelope(w, t);
    return w.since(start);
  });
}

/** Most bytes {@link writeEnvelope} writes for `t`: strings count 3 bytes per UTF-16 unit. */
function envelopeSizeBound(t: TxEnvelope): number {
  const rw = t.rwset;
  let size = 64 + 3 * (t.txId.length + t.channel.length + t.chaincode.length + t.creatorMspId.length);
  for (const e of t.endorsers) size += 4 + 3 * e.length;
  size += 4 + t.proposal.length + 8 + t.response.payload.length + 1;
  if (t.event) size += 8 + 3 * t.event.name.length + t.event.payload.length;
  for (const [k] of rw.reads) size += 17 + 3 * k.length;
  for (const q of rw.ranges) {
    size += 13 + 3 * (q.start.length + q.end.length);
    for (const [k] of q.results) size += 17 + 3 * k.length;
  }
  for (const [k, v] of rw.writes) size += 8 + 3 * k.length + v.length;
  for (const [k, m] of rw.metaWrites) {
    size += 8 + 3 * k.length;
    for (const name of Object.keys(m)) size += 8 + 3 * name.length + (m[name]?.length ?? 0);
  }
  return size;
}

function writeEnvelope(w: Writer, t: TxEnvelope): void {
  const rw = t.rwset;
  w.u8(kind.endorser);
  w.str(t.txId);
  w.str(t.channel);
  w.str(t.chaincode);
  w.str(t.creatorMspId);
  w.u64(t.timestamp.seconds);
  w.u32(t.timestamp.nanos);
  w.u32(t.endorsers.length);
  for (const e of t.endorsers) w.str(e);
  w.bytes(t.proposal);
  w.u32(t.response.status);
  w.bytes(t.response.payload);
  if (t.event) {
    w.u8(1);
    w.str(t.event.name);
    w.bytes(t.event.payload);
  } else w.u8(0);
  w.u32(rw.reads.length);
  for (const r of rw.reads) writeRead(w, r);
  w.u32(rw.ranges.length);
  for (const q of rw.ranges) {
    w.str(q.start);
    w.str(q.end);
    w.u8(q.exhausted ? 1 : 0);
    w.u32(q.results.length);
    for (const r of q.results) writeRead(w, r);
  }
  w.u32(rw.writes.length);
  for (const [k, v] of rw.writes) {
    w.str(k);
    w.bytes(v);
  }
  w.u32(rw.metaWrites.length);
  for (const [k, m] of rw.metaWrites) {
    w.str(k);
    const names = Object.keys(m).sort();
    w.u32(names.length);
    for (const name of names) {
      w.str(name);
      w.bytes(m[name] ?? Buffer.alloc(0));
    }
  }
}

/** Inverse of {@link encodeEnvelope}; byte fields are views into `b`. Throws on malformed bytes. */
export function decodeEnvelope(b: Buffer): TxEnvelope {
  const r = new Reader(b);
  if (r.u8() !== kind.endorser) throw new Error('not an endorser transaction');
  const txId = r.str();
  const channel = r.str();
  const chaincode = r.str();
  const creatorMspId = r.str();
  const seconds = r.u64();
  const nanos = r.u32();
  const endorsers: string[] = [];
  for (let n = r.u32(); n > 0; n--) endorsers.push(r.str());
  const proposal = r.bytes();
  const status = r.u32();
  const payload = r.bytes();
  const event = r.u8() === 1 ? { name: r.str(), payload: r.bytes() } : null;
  const reads: ReadEntry[] = [];
  for (let n = r.u32(); n > 0; n--) reads.push(readRead(r));
  const ranges: RangeQueryRecord[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const start = r.str();
    const end = r.str();
    const exhausted = r.u8() === 1;
    const results: ReadEntry[] = [];
    for (let m = r.u32(); m > 0; m--) results.push(readRead(r));
    ranges.push({ start, end, exhausted, results });
  }
  const writes: WriteEntry[] = [];
  for (let n = r.u32(); n > 0; n--) writes.push([r.str(), r.bytes()]);
  const metaWrites: MetaWriteEntry[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const key = r.str();
    const m: Record<string, Buffer> = {};
    for (let k = r.u32(); k > 0; k--) m[r.str()] = r.bytes();
    metaWrites.push([key, m]);
  }
  r.end();
  return {
    type: 'ENDORSER_TRANSACTION',
    txId,
    channel,
    chaincode,
    creatorMspId,
    timestamp: { seconds, nanos },
    endorsers,
    proposal,
    response: { status, payload },
    event,
    rwset: { reads, ranges, writes, metaWrites },
  };
}

export function encodeConfigEnvelope(c: ConfigEnvelope): Buffer {
  return Buffer.concat([Buffer.from([kind.config]), Buffer.from(JSON.stringify(c), 'utf8')]);
}

export function decodeConfigEnvelope(b: Buffer): ConfigEnvelope {
  if (b[0] !== kind.config) throw new Error('not a configuration envelope');
  return JSON.parse(b.toString('utf8', 1)) as ConfigEnvelope;
}

/**
 * Block bytes: number u64 ‖ previous hash ‖ data hash (u8-length-prefixed raw bytes) ‖ u32 count ‖
 * one validation code byte per envelope ‖ (u32 length ‖ envelope bytes)*.
 */
export function encodeBlock(block: StoredBlock, scratch?: Scratch): Buffer {
  let size = 8 + 2 + 64 + 4 + block.codes.length;
  for (const d of block.data) size += 4 + d.length;
  const w = new Writer(size, scratch);
  w.u64(block.header.number);
  for (const hex of [block.header.previousHash, block.header.dataHash]) {
    const h = Buffer.from(hex, 'hex');
    w.u8(h.length);
    for (const byte of h) w.u8(byte);
  }
  w.u32(block.data.length);
  for (const c of block.codes) w.u8(c);
  for (const d of block.data) w.bytes(d);
  return w.done();
}

function readHash(r: Reader): string {
  const n = r.u8();
  const parts: number[] = [];
  for (let i = 0; i < n; i++) parts.push(r.u8());
  return Buffer.from(parts).toString('hex');
}

/** Inverse of {@link encodeBlock} (envelopes are views into `b`); throws on truncated or malformed bytes. */
export function decodeBlock(b: Buffer): StoredBlock {
  const r = new Reader(b);
  const number = r.u64();
  const previousHash = readHash(r);
  const dataHashHex = readHash(r);
  const count = r.u32();
  const codes: number[] = [];
  for (let i = 0; i < count; i++) codes.push(r.u8());
  const data: Buffer[] = [];
  for (let i = 0; i < count; i++) data.push(r.bytes());
  r.end();
  return { header: { number, previousHash, dataHash: dataHashHex }, data, codes };
}

/** Envelope `tx` of an encoded block, without decoding the others. */
export function envelopeAt(b: Buffer, tx: number): Buffer {
  const r = new Reader(b);
  r.u64();
  readHash(r);
  readHash(r);
  const count = r.u32();
  if (tx >= count) throw new Error(`block has no transaction ${tx}`);
  r.at += count;
  for (let i = 0; i < tx; i++) r.at += 4 + b.readUInt32BE(r.at);
  return r.bytes();
}
