/**
 * The tracking service's durable state in one LevelDB (classic-level) under the serve state directory:
 * subscriptions, each subscription's outbox of webhook deliveries, dead letters, and the ledger
 * checkpoint. One LevelDB lets a transaction's outbox entries and the checkpoint past that transaction
 * land in a single atomic batch, so a crash can neither lose a change nor enqueue it twice.
 *
 * Keys (strings, sorted): `sub:<id>`, `out:<subId>:<seq>`, `dead:<subId>:<seq>`, `meta:checkpoint`,
 * `meta:seq`. `<seq>` is a zero-padded counter shared by all subscriptions, in ledger order.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { ClassicLevel } from 'classic-level';

import { CredledgerError } from '@credledger/verify';
import type { Checkpointer } from '@credledger/ledger';

/** A stored webhook subscription. Holds credential ids and a URL, never a credential body. */
export interface SubscriptionRecord {
  /** `sub_<random>`. */
  readonly id: string;
  /** Where changes are POSTed. */
  readonly url: string;
  /** Credentials whose holding was proved when subscribing. */
  readonly credentialIds: readonly string[];
  /** SHA-256 (hex) of the management token; the token itself is shown once, to the subscriber. */
  readonly tokenHash: string;
  readonly createdAt: string;
}

/** A status change as stored and sent: JSON-safe (block number as a decimal string). */
export interface ChangeJson {
  readonly id: string;
  readonly issuerDid: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly txId: string;
  readonly blockNumber: string;
  readonly at: string | null;
}

/** One pending webhook delivery. */
export interface OutboxEntry {
  readonly subscriptionId: string;
  /** Position in the subscription's queue (global counter, ledger order). */
  readonly seq: number;
  /** `<txId>:<credential id>`: unchanged across retries and restarts. */
  readonly idempotencyKey: string;
  readonly change: ChangeJson;
  /** Failed attempts so far. */
  readonly attempts: number;
  /** Epoch ms before which no new attempt is made (backoff), or 0. */
  readonly nextAttemptAt: number;
  /** What the last failed attempt met (HTTP status or network error), for operators. */
  readonly lastError: string | null;
}

/** A delivery given up after the maximum number of attempts. */
export interface DeadLetter extends OutboxEntry {
  readonly deadAt: string;
}

type Value = SubscriptionRecord | OutboxEntry | DeadLetter | { blockNumber?: string; transactionId?: string } | number;
type Db = ClassicLevel<string, Value>;
export type StoreOp = { type: 'put'; key: string; value: Value } | { type: 'del'; key: string };

const seqWidth = 16;
export const subscriptionKey = (id: string): string => `sub:${id}`;
export const outboxKey = (subscriptionId: string, seq: number): string =>
  `out:${subscriptionId}:${String(seq).padStart(seqWidth, '0')}`;
export const deadLetterKey = (subscriptionId: string, seq: number): string =>
  `dead:${subscriptionId}:${String(seq).padStart(seqWidth, '0')}`;
const checkpointKey = 'meta:checkpoint';
const seqKey = 'meta:seq';

/** The open state database. */
export class TrackingStore {
  #seq = 0;

  private constructor(
    readonly directory: string,
    private readonly db: Db,
  ) {}

  /**
   * Opens (or creates) `<stateDir>/tracking`.
   * Fails: LEDGER_LOCKED when another process (a running `serve --tracking`) holds it; CONFIG_INVALID otherwise.
   */
  static async open(stateDir: string): Promise<TrackingStore> {
    const directory = join(stateDir, 'tracking');
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const { ClassicLevel } = await import('classic-level');
    const db: Db = new ClassicLevel<string, Value>(directory, { keyEncoding: 'utf8', valueEncoding: 'json' });
    try {
      await db.open({ createIfMissing: true });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') {
        throw new CredledgerError(
          'LEDGER_LOCKED',
          `tracking state ${directory} is in use by another process (a running serve --tracking?)`,
          { cause: error, details: { directory } },
        );
      }
      throw new CredledgerError('CONFIG_INVALID', `cannot open tracking state ${directory}`, {
        cause: error,
        details: { directory },
      });
    }
    const store = new TrackingStore(directory, db);
    const seq = await db.get(seqKey);
    store.#seq = typeof seq === 'number' ? seq : 0;
    return store;
  }

  /** Reserves the next queue position (persisted with the batch that uses it, see {@link seqOp}). */
  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  /** The op that persists the counter; include it in every batch that used {@link nextSeq}. */
  seqOp(): StoreOp {
    return { type: 'put', key: seqKey, value: this.#seq };
  }

  /**
   * Writes ops atomically. `sync: false` skips the fsync: only for writes whose loss in a crash is
   * harmless (a delivery acknowledgement lost means one more delivery with the same idempotency key).
   */
  async batch(ops: readonly StoreOp[], options: { readonly sync?: boolean } = {}): Promise<void> {
    if (ops.length === 0) return;
    await this.db.batch(ops as StoreOp[], { sync: options.sync ?? true });
  }

  async subscriptions(): Promise<SubscriptionRecord[]> {
    return (await this.values('sub:')) as SubscriptionRecord[];
  }

  async subscription(id: string): Promise<SubscriptionRecord | undefined> {
    return (await this.db.get(subscriptionKey(id))) as SubscriptionRecord | undefined;
  }

  async outbox(subscriptionId: string): Promise<OutboxEntry[]> {
    return (await this.values(`out:${subscriptionId}:`)) as OutboxEntry[];
  }

  async deadLetters(subscriptionId: string): Promise<DeadLetter[]> {
    return (await this.values(`dead:${subscriptionId}:`)) as DeadLetter[];
  }

  /** Every key under a subscription (its record, outbox, dead letters), for removal. */
  async keysOf(subscriptionId: string): Promise<string[]> {
    const keys = [subscriptionKey(subscriptionId)];
    for (const prefix of [`out:${subscriptionId}:`, `dead:${subscriptionId}:`]) {
      for await (const key of this.db.keys({ gte: prefix, lt: `${prefix}\uffff` })) keys.push(key);
    }
    return keys;
  }

  async checkpointState(): Promise<{ blockNumber: bigint | undefined; transactionId: string | undefined }> {
    const raw = (await this.db.get(checkpointKey)) as { blockNumber?: string; transactionId?: string } | undefined;
    return {
      blockNumber: raw?.blockNumber === undefined ? undefined : BigInt(raw.blockNumber),
      transactionId: raw?.transactionId === undefined || raw.transactionId === '' ? undefined : raw.transactionId,
    };
  }

  checkpointOp(blockNumber: bigint | undefined, transactionId: string | undefined): StoreOp {
    const value: { blockNumber?: string; transactionId?: string } = {};
    if (blockNumber !== undefined) value.blockNumber = blockNumber.toString();
    if (transactionId !== undefined) value.transactionId = transactionId;
    return { type: 'put', key: checkpointKey, value };
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private async values(prefix: string): Promise<Value[]> {
    const out: Value[] = [];
    for await (const value of this.db.values({ gte: prefix, lt: `${prefix}\uffff` })) out.push(value);
    return out;
  }
}

/**
 * A {@link Checkpointer} kept in the tracking store that commits, with each checkpoint, the outbox
 * entries staged while its transaction was processed: both land, or neither.
 */
export class StagedCheckpointer implements Checkpointer {
  #blockNumber: bigint | undefined;
  #transactionId: string | undefined;
  #staged: StoreOp[] = [];
  #afterCommit: (() => void)[] = [];

  private constructor(private readonly store: TrackingStore) {}

  static async open(store: TrackingStore): Promise<StagedCheckpointer> {
    const checkpointer = new StagedCheckpointer(store);
    const state = await store.checkpointState();
    checkpointer.#blockNumber = state.blockNumber;
    checkpointer.#transactionId = state.transactionId;
    return checkpointer;
  }

  /** Adds writes to the next checkpoint's batch, and work to run once that batch is durable. */
  stage(ops: readonly StoreOp[], afterCommit?: () => void): void {
    this.#staged.push(...ops);
    if (afterCommit) this.#afterCommit.push(afterCommit);
  }

  getBlockNumber(): bigint | undefined {
    return this.#blockNumber;
  }

  getTransactionId(): string | undefined {
    return this.#transactionId;
  }

  async checkpointBlock(blockNumber: bigint): Promise<void> {
    await this.#commit(blockNumber + 1n, undefined);
  }

  async checkpointTransaction(blockNumber: bigint, transactionId: string): Promise<void> {
    await this.#commit(blockNumber, transactionId);
  }

  async checkpointChaincodeEvent(event: {
    readonly blockNumber: bigint;
    readonly transactionId: string;
  }): Promise<void> {
    await this.#commit(event.blockNumber, event.transactionId);
  }

  async #commit(blockNumber: bigint, transactionId: string | undefined): Promise<void> {
    const ops = this.#staged;
    const after = this.#afterCommit;
    this.#staged = [];
    this.#afterCommit = [];
    await this.store.batch([...ops, this.store.seqOp(), this.store.checkpointOp(blockNumber, transactionId)]);
    this.#blockNumber = blockNumber;
    this.#transactionId = transactionId;
    for (const run of after) run();
  }
}
