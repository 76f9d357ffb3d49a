/**
 * Tracking a credential's status: the ledger's `CredentialStatusChanged` chaincode events as a stream of
 * one change per credential, resumable from a checkpoint. Works over any {@link Ledger} (embedded or
 * Fabric), since both deliver chaincode events of VALID transactions in block order.
 *
 * Resume granularity is the transaction, as in fabric-gateway: a transaction's position is checkpointed
 * once every change it carries has been processed. A process killed in the middle of a transaction that
 * changed several watched credentials sees that transaction's earlier changes again after a restart;
 * `idempotencyKey` (`<txId>:<credential id>`) tells them apart from new ones.
 *
 * @see https://hyperledger.github.io/fabric-gateway/main/api/node/interfaces/Checkpointer.html
 */
import type { CredentialStatus, CredentialStatusChangedPayload, ReasonCode } from '@credledger/vocabulary';

import { CredledgerError, isCredledgerError } from '@credledger/verify';
import { Registry, type Checkpoint, type Checkpointer, type Ledger, type LedgerEvent } from '@credledger/ledger';

/** Name of the chaincode event a status change travels in (docs/data-model.md). */
export const statusChangedEventName = 'CredentialStatusChanged';
/** The issuance event, which carries `changes` too when its transaction superseded credentials. */
const issuedEventName = 'CredentialsIssued';

/** One credential's status change as committed on the ledger. */
export interface StatusChangeEvent {
  /** Credential id (`urn:uuid:…`). */
  readonly id: string;
  readonly issuerDid: string;
  readonly from: CredentialStatus;
  readonly to: CredentialStatus;
  readonly reason: ReasonCode;
  /** The transaction that made the change. */
  readonly txId: string;
  readonly blockNumber: bigint;
  /** The transaction's timestamp (ISO 8601), or null when the ledger keeps no history to read it from. */
  readonly at: string | null;
  /** Position of this change among the changes of its transaction (0-based). */
  readonly index: number;
  /** `<txId>:<id>`: the same change always carries the same key, so a consumer can drop repeats. */
  readonly idempotencyKey: string;
  /**
   * Opaque resume position just after this change (`<block>:<txId>:<index>`); pass it as `after` to
   * continue exactly here (Server-Sent Events use it as the event id).
   */
  readonly cursor: string;
}

/** Which changes to deliver; every given criterion must hold (no criterion: every change). */
export interface WatchFilter {
  /** Only these credentials. */
  readonly ids?: readonly string[];
  /** Only credentials of this issuer DID. */
  readonly issuer?: string;
  /** Only credentials of this type (read from each credential's ledger record once, then cached). */
  readonly type?: string;
}

export interface WatchOptions {
  /**
   * Where to resume, and where progress is recorded (after every transaction whose changes were all
   * processed). A stored position wins over `after` and `startBlock`.
   */
  readonly checkpoint: Checkpointer;
  /** A `cursor` of an earlier change, or {@link cursorOf} a checkpoint: resume just after it (used when the checkpoint holds nothing). */
  readonly after?: string;
  /** First block to read when neither the checkpoint nor `after` says where (default: the next commit). */
  readonly startBlock?: bigint;
  /** Ends the stream (the iteration then finishes without an error). */
  readonly signal?: AbortSignal;
  /**
   * Checkpoint transactions that carry nothing for this watcher only every this many (default 256), so
   * a watcher of a few credentials does not write a file per ledger transaction. Skipped transactions
   * are simply skipped again after a restart.
   */
  readonly idleCheckpointEvery?: number;
  /**
   * Reconnect after the ledger stream fails with LEDGER_UNAVAILABLE or DEADLINE_EXCEEDED (Fabric
   * reports a broken connection on the next read and leaves reconnecting to the application). Delays
   * double from 500 ms to 30 s. Default true; other errors always end the stream.
   */
  readonly reconnect?: boolean;
  /** Credential types already known (id → type), e.g. from a previous run; filled as records are read. */
  readonly typeCache?: Map<string, string>;
}

/**
 * A resume position. `<block>:<txId>:<index>` is just after one change (a change's `cursor`);
 * `<block>:<txId>` just after a whole transaction; `<block>` at the start of a block (a checkpoint's
 * position, see {@link cursorOf}).
 */
export interface Cursor {
  readonly blockNumber: bigint;
  readonly txId: string | undefined;
  readonly index: number | undefined;
}

/** Reads a cursor string. Throws INVALID_INPUT when it is not one. */
export function parseCursor(cursor: string): Cursor {
  const match = /^(\d{1,20})(?::([^:\s]{1,256})(?::(\d{1,6}))?)?$/.exec(cursor);
  if (!match) throw new CredledgerError('INVALID_INPUT', 'not a watch cursor', { details: { cursor } });
  return {
    blockNumber: BigInt(match[1] ?? '0'),
    txId: match[2],
    index: match[3] === undefined ? undefined : Number(match[3]),
  };
}

/**
 * A checkpoint's position as a cursor (`after` resumes there), or undefined when it holds none.
 * Server-Sent Events announce it when a stream opens, so a client has a resume point before any change.
 */
export function cursorOf(checkpoint: Checkpoint): string | undefined {
  const blockNumber = checkpoint.getBlockNumber();
  if (blockNumber === undefined) return undefined;
  const txId = checkpoint.getTransactionId();
  return txId === undefined ? blockNumber.toString() : `${blockNumber}:${txId}`;
}

/**
 * The status changes in one chaincode event (none when it is another event or a malformed one): a
 * `CredentialStatusChanged`, or a `CredentialsIssued` whose transaction superseded credentials (their
 * revocations share its one event). `at` is left null; {@link watch} fills it in.
 */
export function statusChangesOf(event: LedgerEvent): StatusChangeEvent[] {
  if (event.eventName !== statusChangedEventName && event.eventName !== issuedEventName) return [];
  // Event payloads are untrusted JSON: any member, or an entry of `changes`, may be missing or null.
  type Entry = CredentialStatusChangedPayload['changes'][number] | null;
  let payload: { readonly issuerDid?: unknown; readonly changes?: unknown } | null;
  try {
    payload = JSON.parse(new TextDecoder().decode(event.payload)) as typeof payload;
  } catch {
    return [];
  }
  if (typeof payload?.issuerDid !== 'string' || !Array.isArray(payload.changes)) return [];
  const issuerDid = payload.issuerDid;
  const changes: readonly Entry[] = payload.changes;
  return changes.flatMap((change, index) => {
    if (typeof change?.id !== 'string' || typeof change.to !== 'string') return [];
    return [
      {
        id: change.id,
        issuerDid,
        from: change.from,
        to: change.to,
        reason: change.reason,
        txId: event.txId,
        blockNumber: event.blockNumber,
        at: null,
        index,
        idempotencyKey: `${event.txId}:${change.id}`,
        cursor: `${event.blockNumber}:${event.txId}:${index}`,
      },
    ];
  });
}

const maxTypeCacheEntries = 100_000;

/**
 * Streams status changes of credentials as they are committed, resuming from `options.checkpoint`.
 * Each change's transaction is checkpointed once all of its changes have been taken from the stream
 * (when the consumer asks for the next one), so a consumer that processes a change before asking for
 * the next never misses one after a crash.
 * Fails (from the iteration): LEDGER_UNAVAILABLE when reconnecting is off, INVALID_INPUT (bad `after`),
 * or the checkpointer's write error.
 *
 * @example
 * const checkpoint = await checkpointers.file('watch.checkpoint.json');
 * for await (const change of watch(ledger, { ids: [id] }, { checkpoint })) {
 *   console.log(`${change.id}: ${change.from} → ${change.to} (${change.reason})`);
 * }
 */
export async function* watch(
  ledger: Ledger,
  filter: WatchFilter,
  options: WatchOptions,
): AsyncGenerator<StatusChangeEvent, void, undefined> {
  const { checkpoint, signal } = options;
  const ids = filter.ids === undefined ? undefined : new Set(filter.ids);
  const registry = new Registry(ledger);
  const types = options.typeCache ?? new Map<string, string>();
  const idleEvery = Math.max(1, options.idleCheckpointEvery ?? 256);
  const reconnect = options.reconnect ?? true;

  // The resume position; moves forward with every transaction taken from the ledger.
  let blockNumber = checkpoint.getBlockNumber();
  let afterTxId = checkpoint.getTransactionId();
  let afterCursor: { readonly blockNumber: bigint; readonly txId: string; readonly index: number } | undefined;
  if (blockNumber === undefined && options.after !== undefined) {
    const { blockNumber: block, txId, index } = parseCursor(options.after);
    blockNumber = block;
    // Inside a transaction: filter that transaction's changes below; otherwise the ledger skips for us.
    if (txId !== undefined && index !== undefined) afterCursor = { blockNumber: block, txId, index };
    else afterTxId = txId;
  }
  if (blockNumber === undefined) blockNumber = options.startBlock;

  let idle = 0;
  let pendingIdle: LedgerEvent | undefined;
  let delay = 500;

  const typeOf = async (id: string): Promise<string | undefined> => {
    const known = types.get(id);
    if (known !== undefined) return known;
    try {
      const record = await registry.getCredential(id);
      if (types.size >= maxTypeCacheEntries) types.clear();
      types.set(id, record.type);
      return record.type;
    } catch (error) {
      if (isCredledgerError(error, 'CREDENTIAL_NOT_FOUND')) return undefined;
      throw error;
    }
  };

  const matches = async (change: StatusChangeEvent): Promise<boolean> => {
    if (ids !== undefined && !ids.has(change.id)) return false;
    if (filter.issuer !== undefined && change.issuerDid !== filter.issuer) return false;
    if (filter.type !== undefined && (await typeOf(change.id)) !== filter.type) return false;
    return true;
  };

  /** The transaction's timestamp, from the history of a credential it changed (one read per transaction). */
  const timestampOf = async (change: StatusChangeEvent): Promise<string | null> => {
    try {
      const entries = await registry.getCredentialHistory(change.id);
      return entries.find((entry) => entry.txId === change.txId)?.time ?? null;
    } catch {
      // History switched off (enableHistoryDatabase=false) or unreadable: the change itself still counts.
      return null;
    }
  };

  while (!signal?.aborted) {
    const start: { startBlock?: bigint; afterTxId?: string; signal?: AbortSignal } = {};
    if (blockNumber !== undefined) start.startBlock = blockNumber;
    if (afterTxId !== undefined) start.afterTxId = afterTxId;
    if (signal !== undefined) start.signal = signal;
    try {
      for await (const event of ledger.events(start)) {
        delay = 500;
        let changes = statusChangesOf(event);
        if (afterCursor !== undefined) {
          // Resuming from a cursor: skip what precedes it in its block, and its own earlier changes.
          if (event.blockNumber === afterCursor.blockNumber && event.txId !== afterCursor.txId) continue;
          if (event.txId === afterCursor.txId) {
            const through = afterCursor.index;
            changes = changes.filter((change) => change.index > through);
          }
          afterCursor = undefined;
        }
        const selected: StatusChangeEvent[] = [];
        for (const change of changes) if (await matches(change)) selected.push(change);

        if (selected.length === 0) {
          blockNumber = event.blockNumber;
          afterTxId = event.txId;
          idle += 1;
          pendingIdle = event;
          if (idle >= idleEvery) {
            await checkpoint.checkpointTransaction(event.blockNumber, event.txId);
            idle = 0;
            pendingIdle = undefined;
          }
          continue;
        }
        const at = await timestampOf(selected[0] as StatusChangeEvent);
        for (const change of selected) {
          if (signal?.aborted) return;
          yield { ...change, at };
        }
        // Reached when the consumer asks for more: every change of this transaction is processed.
        await checkpoint.checkpointTransaction(event.blockNumber, event.txId);
        blockNumber = event.blockNumber;
        afterTxId = event.txId;
        idle = 0;
        pendingIdle = undefined;
      }
      // The ledger ended the stream (closed, or aborted): nothing more will come.
      break;
    } catch (error) {
      if (signal?.aborted) break;
      const transient = isCredledgerError(error, 'LEDGER_UNAVAILABLE') || isCredledgerError(error, 'DEADLINE_EXCEEDED');
      if (!reconnect || !transient) throw error;
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 30_000);
    }
  }
  if (pendingIdle !== undefined) {
    // A clean end: record how far the skipped transactions went, so a restart need not re-read them.
    await checkpoint.checkpointTransaction(pendingIdle.blockNumber, pendingIdle.txId).catch(() => undefined);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
