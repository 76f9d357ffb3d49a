/**
 * Commit-time validation as a Fabric committer does it, in block order: duplicate txid (9), key-level
 * endorsement policy (10), MVCC read versions (11), range-query re-execution for phantoms (12).
 * Reads are checked against committed state plus the updates of earlier valid transactions in the block.
 * @see https://hyperledger-fabric.readthedocs.io/en/release-2.5/readwrite.html
 */
import type { Metadata, RwSet, TxEnvelope, Version } from './store.js';
import { sameVersion } from './store.js';
import type { PolicyEvaluator } from './policy.js';

export const VALID = 0;
export const DUPLICATE_TXID = 9;
export const ENDORSEMENT_POLICY_FAILURE = 10;
export const MVCC_READ_CONFLICT = 11;
export const PHANTOM_READ_CONFLICT = 12;
export const BAD_RWSET = 22;

/** Committed state as validation sees it (before this block). */
export interface StateView {
  versions(keys: readonly string[]): Promise<(Version | null)[]>;
  metadata(keys: readonly string[]): Promise<(Metadata | null)[]>;
  /** Keys with versions in [start, end) — or [start, end] when `inclusiveEnd` — in UTF-8 byte order; '' end = unbounded. */
  range(start: string, end: string, inclusiveEnd: boolean): Promise<[string, Version][]>;
  hasTxIds(txIds: readonly string[]): Promise<boolean[]>;
  /** Current value of keys (for metadata-only writes, which bump the version but keep the value). */
  values(keys: readonly string[]): Promise<(Buffer | null)[]>;
}

/** What a block does to state: per key, its new value (null = deleted) and metadata. */
export interface KeyUpdate {
  version: Version;
  value: Buffer | null;
  /** undefined = unchanged; null = removed (with the value) */
  metadata: Metadata | null | undefined;
}

export interface BlockValidation {
  readonly codes: number[];
  /** Updates of valid transactions, in order applied (later writers win). */
  readonly updates: Map<string, KeyUpdate>;
  /** Transaction numbers whose writes apply. */
  readonly valid: boolean[];
  /** Per transaction: its txid was already in the ledger before this block. */
  readonly inLedger: boolean[];
}

/** UTF-8 byte order, as LevelDB orders keys (JavaScript's `<` compares UTF-16 units). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Validates the transactions of block `blockNumber` against `view`, key-level policies by `policies`. */
export async function validateBlock(
  blockNumber: number,
  txs: readonly TxEnvelope[],
  view: StateView,
  policies: PolicyEvaluator,
): Promise<BlockValidation> {
  const readKeys = new Set<string>();
  const writtenKeys = new Set<string>();
  for (const tx of txs) {
    for (const r of tx.rwset.reads) readKeys.add(r[0]);
    for (const w of tx.rwset.writes) writtenKeys.add(w[0]);
    for (const w of tx.rwset.metaWrites) writtenKeys.add(w[0]);
  }
  const readList = [...readKeys];
  const committedVersions = new Map<string, Version | null>();
  (await view.versions(readList)).forEach((v, i) => committedVersions.set(readList[i] ?? '', v));
  // A key absent from committed state has no metadata (a delete removes both; metadata written alone to
  // an absent key is ignored), so a written key read as absent needs no lookup: a new credential's keys.
  const writtenList = [...writtenKeys].filter((k) => committedVersions.get(k) !== null);
  const committedMeta = new Map<string, Metadata | null>();
  (await view.metadata(writtenList)).forEach((m, i) => committedMeta.set(writtenList[i] ?? '', m));
  const inLedger = await view.hasTxIds(txs.map((t) => t.txId));

  const codes: number[] = [];
  const valid: boolean[] = [];
  const updates = new Map<string, KeyUpdate>();
  const policyUpdatedInBlock = new Set<string>();
  const seenTxIds = new Set<string>();

  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i] as TxEnvelope;
    let code = VALID;
    if (inLedger[i] || seenTxIds.has(tx.txId)) code = DUPLICATE_TXID;
    seenTxIds.add(tx.txId);
    if (code === VALID && !wellFormed(tx.rwset)) code = BAD_RWSET;
    if (code === VALID) code = checkEndorsement(tx, committedMeta, policyUpdatedInBlock, policies);
    if (code === VALID) {
      for (const [key, block, txNum] of tx.rwset.reads) {
        const seen = block === undefined ? null : { block, tx: txNum ?? 0 };
        if (updates.has(key) || !sameVersion(committedVersions.get(key) ?? null, seen)) {
          code = MVCC_READ_CONFLICT;
          break;
        }
      }
    }
    if (code === VALID) {
      for (const rq of tx.rwset.ranges) {
        if (!(await rangeUnchanged(rq, view, updates))) {
          code = PHANTOM_READ_CONFLICT;
          break;
        }
      }
    }
    codes.push(code);
    valid.push(code === VALID);
    if (code !== VALID) continue;

    const version = { block: blockNumber, tx: i };
    for (const [key, bytes] of tx.rwset.writes) {
      const prior = updates.get(key);
      // A value write keeps the key's metadata; a delete (empty value) removes both.
      updates.set(
        key,
        bytes.length === 0
          ? { version, value: null, metadata: null }
          : { version, value: bytes, metadata: prior?.value === null ? null : prior?.metadata },
      );
    }
    // A key this transaction wrote has an update carrying this transaction's `version` object.
    const metaOnly: string[] = [];
    for (const [key] of tx.rwset.metaWrites) if (updates.get(key)?.version !== version) metaOnly.push(key);
    const currentValues = metaOnly.length > 0 ? await view.values(metaOnly) : [];
    for (const [key, metadata] of tx.rwset.metaWrites) {
      const upd = updates.get(key);
      if (upd?.version === version) {
        if (upd.value !== null) upd.metadata = metadata;
      } else {
        // Metadata written without a value: applies to an existing key (bumping its version), ignored otherwise.
        const current = upd ? upd.value : (currentValues[metaOnly.indexOf(key)] ?? null);
        if (current !== null) updates.set(key, { version, value: current, metadata });
      }
      policyUpdatedInBlock.add(key);
    }
  }
  return { codes, updates, valid, inLedger };
}

function wellFormed(rw: RwSet): boolean {
  return (
    Array.isArray(rw.reads) && Array.isArray(rw.writes) && Array.isArray(rw.ranges) && Array.isArray(rw.metaWrites)
  );
}

/**
 * Key-level endorsement: every written key (value or metadata) that has a committed validation parameter
 * must be satisfied by the endorsing orgs; a key whose policy changed earlier in this block fails.
 * Keys without one fall back to the chaincode policy, which the embedded network sets to one endorsement
 * from any member org (the submitter's own peer endorses).
 */
function checkEndorsement(
  tx: TxEnvelope,
  committedMeta: Map<string, Metadata | null>,
  updatedInBlock: Set<string>,
  policies: PolicyEvaluator,
): number {
  // A key both written and given metadata is checked twice, with the same outcome.
  const fails = (key: string): boolean => {
    if (updatedInBlock.has(key)) return true;
    const policy = committedMeta.get(key)?.['VALIDATION_PARAMETER'];
    return policy !== undefined && policy.length > 0 && !policies.satisfies(policy, tx.endorsers);
  };
  for (const [key] of tx.rwset.writes) if (fails(key)) return ENDORSEMENT_POLICY_FAILURE;
  for (const [key] of tx.rwset.metaWrites) if (fails(key)) return ENDORSEMENT_POLICY_FAILURE;
  return VALID;
}

async function rangeUnchanged(
  rq: { start: string; end: string; exhausted: boolean; results: [string, number?, number?][] },
  view: StateView,
  updates: Map<string, KeyUpdate>,
): Promise<boolean> {
  if (!rq.exhausted && rq.results.length === 0) return true;
  const inclusive = !rq.exhausted;
  const committed = await view.range(rq.start, rq.end, inclusive);
  const merged = new Map<string, Version>(committed);
  for (const [key, upd] of updates) {
    const afterStart = compareKeys(key, rq.start) >= 0;
    const beforeEnd = rq.end === '' || (inclusive ? compareKeys(key, rq.end) <= 0 : compareKeys(key, rq.end) < 0);
    if (!afterStart || !beforeEnd) continue;
    if (upd.value === null) merged.delete(key);
    else merged.set(key, upd.version);
  }
  const now = [...merged.entries()].sort((a, b) => compareKeys(a[0], b[0]));
  if (now.length !== rq.results.length) return false;
  for (let i = 0; i < now.length; i++) {
    const [key, version] = now[i] as [string, Version];
    const [rkey, rblock, rtx] = rq.results[i] as [string, number?, number?];
    if (key !== rkey || !sameVersion(version, rblock === undefined ? null : { block: rblock, tx: rtx ?? 0 }))
      return false;
  }
  return true;
}
