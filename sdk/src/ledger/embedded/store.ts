/**
 * The embedded ledger's on-disk layout in one LevelDB (classic-level), the engine family Fabric peers use.
 * Every committed block is one atomic, fsynced batch holding the block, its transactions' state and
 * history updates, the transaction index and the new height, so a crash leaves each block whole or absent.
 *
 *   's' ‖ key                         → version (block u32×2, tx u32) ‖ value      world state
 *   'm' ‖ key                         → JSON { metakey: base64 }                  state metadata (key-level endorsement)
 *   'h' ‖ u32 len ‖ key ‖ block ‖ tx  → JSON history entry                         history index (valid writes only)
 *   'b' ‖ block                       → JSON block                                 block store
 *   't' ‖ txId                        → block ‖ tx ‖ code                          transaction index (invalid ones too)
 *   'H'                               → JSON { height, lastHash }                  ledger height
 */
import { createHash } from 'node:crypto';

/** A key's version: the height of the transaction that last wrote it. */
export interface Version {
  readonly block: number;
  readonly tx: number;
}

export function sameVersion(a: Version | null | undefined, b: Version | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.block === b.block && a.tx === b.tx;
}

export const prefix = { state: 0x73, meta: 0x6d, history: 0x68, block: 0x62, tx: 0x74, height: 0x48 } as const;

export const heightKey = Buffer.from([prefix.height]);

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

/** A history entry as stored (the value of a valid write, or a delete). */
export interface HistoryEntry {
  readonly txId: string;
  readonly isDelete: boolean;
  readonly seconds: number;
  readonly nanos: number;
  /** base64 */
  readonly value: string;
}

// --- transactions and blocks -------------------------------------------------------------------------

/** A read: key and the version seen (absent when the key did not exist). */
export type ReadEntry = [key: string, block?: number, tx?: number];
/** A write: key and base64 value; an empty value deletes the key at commit (Fabric's Node rule). */
export type WriteEntry = [key: string, value: string];
/** A metadata write: key and metakey → base64 bytes. */
export type MetaWriteEntry = [key: string, metadata: Record<string, string>];

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
  /** base64 SignedProposal, as the client signed it. */
  readonly proposal: string;
  readonly response: { readonly status: number; readonly payload: string };
  readonly event: { readonly name: string; readonly payload: string } | null;
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

/** A block: header, envelopes (JSON strings, hashed as bytes) and the validation code of each (metadata). */
export interface StoredBlock {
  readonly header: BlockHeader;
  readonly data: string[];
  /** TRANSACTIONS_FILTER: one TxValidationCode per envelope. */
  readonly codes: number[];
}

/** data_hash = SHA-256 over the concatenated envelope bytes. */
export function dataHash(data: readonly string[]): string {
  const h = createHash('sha256');
  for (const d of data) h.update(d, 'utf8');
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

/**
 * Block bytes: u32 length ‖ JSON { header, codes } ‖ u32 count ‖ (u32 length ‖ envelope bytes)*.
 * Envelopes stay the exact bytes the data hash covers (no re-escaping inside another JSON document).
 */
export function encodeBlock(block: StoredBlock): Buffer {
  const head = Buffer.from(JSON.stringify({ header: block.header, codes: block.codes }), 'utf8');
  const parts: Buffer[] = [];
  const h = Buffer.allocUnsafe(4);
  h.writeUInt32BE(head.length, 0);
  const c = Buffer.allocUnsafe(4);
  c.writeUInt32BE(block.data.length, 0);
  parts.push(h, head, c);
  for (const d of block.data) {
    const bytes = Buffer.from(d, 'utf8');
    const l = Buffer.allocUnsafe(4);
    l.writeUInt32BE(bytes.length, 0);
    parts.push(l, bytes);
  }
  return Buffer.concat(parts);
}

/** Inverse of {@link encodeBlock}; throws on truncated or malformed bytes. */
export function decodeBlock(b: Buffer): StoredBlock {
  let at = 0;
  const take = (n: number): Buffer => {
    if (at + n > b.length) throw new Error('block bytes truncated');
    const out = b.subarray(at, at + n);
    at += n;
    return out;
  };
  const headLen = take(4).readUInt32BE(0);
  const { header, codes } = JSON.parse(take(headLen).toString('utf8')) as { header: BlockHeader; codes: number[] };
  const count = take(4).readUInt32BE(0);
  const data: string[] = [];
  for (let i = 0; i < count; i++) data.push(take(take(4).readUInt32BE(0)).toString('utf8'));
  if (at !== b.length) throw new Error('block bytes have trailing data');
  return { header, data, codes };
}
