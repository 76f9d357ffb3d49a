/**
 * The webhook dispatcher: one worker per subscription, each sending its queue strictly in order (one
 * request in flight per subscription), with a shared limit on requests in flight. Every attempt's
 * outcome is written to the tracking store before the next, so a restart resumes the same queue with
 * the same attempt counts.
 */
import { CredledgerError } from '@credledger/verify';
import {
  deadLetterKey,
  outboxKey,
  type OutboxEntry,
  type SubscriptionRecord,
  type TrackingStore,
} from './tracking-store.js';
import {
  backoffMs,
  postWebhook,
  signatureHeader,
  signWebhook,
  type WebhookSigningKey,
  type WebhookUrlPolicy,
} from './webhooks.js';

/** Retry and connection settings of webhook delivery. */
export interface DeliveryOptions extends WebhookUrlPolicy {
  /** Attempts before a delivery becomes a dead letter (default 15: about 40 minutes with the default backoff). */
  readonly maxAttempts?: number;
  /** First retry delay (default 1000 ms); doubles per failure. */
  readonly initialBackoffMs?: number;
  /** Longest retry delay (default 300 000 ms). */
  readonly maxBackoffMs?: number;
  /** Per-request timeout (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Requests in flight across all subscriptions (default 64). */
  readonly concurrency?: number;
}

/** The JSON body of a webhook request. */
export interface WebhookBody {
  readonly type: 'credential.status-changed';
  readonly idempotencyKey: string;
  readonly subscriptionId: string;
  readonly change: OutboxEntry['change'];
}

interface Queue {
  record: SubscriptionRecord;
  url: URL;
  entries: OutboxEntry[];
  wake: (() => void) | undefined;
  removed: boolean;
  running: Promise<void> | undefined;
}

export class Dispatcher {
  readonly #queues = new Map<string, Queue>();
  readonly #abort = new AbortController();
  readonly #maxAttempts: number;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #timeoutMs: number;
  #slots: number;
  readonly #slotWaiters: (() => void)[] = [];
  #started = false;

  constructor(
    private readonly store: TrackingStore,
    private readonly key: WebhookSigningKey,
    private readonly options: DeliveryOptions,
    private readonly onError: (error: unknown, context: string) => void,
  ) {
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 15);
    this.#initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 300_000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#slots = Math.max(1, options.concurrency ?? 64);
  }

  /** Subscriptions by id (the ingest loop reads this to route changes). */
  get subscriptions(): ReadonlyMap<string, { readonly record: SubscriptionRecord }> {
    return this.#queues;
  }

  /** Loads a subscription and its stored queue; its worker starts with {@link start} (or at once if started). */
  async add(record: SubscriptionRecord): Promise<void> {
    const entries = await this.store.outbox(record.id);
    const queue: Queue = {
      record,
      url: new URL(record.url),
      entries,
      wake: undefined,
      removed: false,
      running: undefined,
    };
    this.#queues.set(record.id, queue);
    if (this.#started) this.#run(queue);
  }

  start(): void {
    this.#started = true;
    for (const queue of this.#queues.values()) this.#run(queue);
  }

  /** Appends durable entries (already in the store) to their queues and wakes the workers. */
  enqueue(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      const queue = this.#queues.get(entry.subscriptionId);
      if (queue === undefined || queue.removed) continue;
      queue.entries.push(entry);
      queue.wake?.();
    }
  }

  /** Stops a subscription's worker (its stored data is removed by the caller). */
  async remove(id: string): Promise<void> {
    const queue = this.#queues.get(id);
    if (queue === undefined) return;
    queue.removed = true;
    this.#queues.delete(id);
    queue.wake?.();
    await queue.running;
  }

  /** Deliveries waiting across all subscriptions. */
  pending(): number {
    let total = 0;
    for (const queue of this.#queues.values()) total += queue.entries.length;
    return total;
  }

  /** Stops every worker; a request in flight is abandoned and will be sent again after a restart. */
  async close(): Promise<void> {
    this.#abort.abort();
    for (const queue of this.#queues.values()) queue.wake?.();
    for (const wake of this.#slotWaiters.splice(0)) wake();
    await Promise.all([...this.#queues.values()].flatMap((queue) => queue.running ?? []));
  }

  #run(queue: Queue): void {
    if (queue.running !== undefined) return;
    queue.running = this.#work(queue).catch((error: unknown) => {
      this.onError(error, `webhook worker of ${queue.record.id}`);
    });
  }

  async #work(queue: Queue): Promise<void> {
    const stopped = (): boolean => queue.removed || this.#abort.signal.aborted;
    while (!stopped()) {
      const entry = queue.entries[0];
      if (entry === undefined) {
        await new Promise<void>((resolve) => (queue.wake = resolve));
        queue.wake = undefined;
        continue;
      }
      const waitMs = entry.nextAttemptAt - Date.now();
      if (waitMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          queue.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        queue.wake = undefined;
        continue;
      }
      await this.#acquire();
      let attempt;
      try {
        if (stopped()) return;
        const body = JSON.stringify({
          type: 'credential.status-changed',
          idempotencyKey: entry.idempotencyKey,
          subscriptionId: entry.subscriptionId,
          change: entry.change,
        } satisfies WebhookBody);
        attempt = await postWebhook(
          queue.url,
          body,
          {
            [signatureHeader]: signWebhook(body, this.key, Math.floor(Date.now() / 1000)),
            'Idempotency-Key': entry.idempotencyKey,
            'Credledger-Delivery-Attempt': String(entry.attempts + 1),
          },
          { timeoutMs: this.#timeoutMs, policy: this.options, signal: this.#abort.signal },
        );
      } finally {
        this.#release();
      }
      // Stopping mid-request says nothing about the receiver: leave the entry as it was.
      if (stopped()) return;
      const key = outboxKey(entry.subscriptionId, entry.seq);
      if (attempt.ok) {
        // Not fsynced: after a crash that loses it, the entry is sent again with the same idempotency
        // key, which at-least-once allows; syncing every acknowledgement would cap fan-out at the disk's rate.
        await this.store.batch([{ type: 'del', key }], { sync: false });
        queue.entries.shift();
        continue;
      }
      const attempts = entry.attempts + 1;
      if (attempts >= this.#maxAttempts) {
        const dead = { ...entry, attempts, lastError: attempt.error, deadAt: new Date().toISOString() };
        await this.store.batch([
          { type: 'del', key },
          { type: 'put', key: deadLetterKey(entry.subscriptionId, entry.seq), value: dead },
        ]);
        queue.entries.shift();
        this.onError(
          new CredledgerError(
            'LEDGER_UNAVAILABLE',
            `webhook ${entry.idempotencyKey} to ${queue.record.id} given up after ${attempts} attempts (${attempt.error ?? 'failed'})`,
          ),
          'dead letter',
        );
        continue;
      }
      const retry: OutboxEntry = {
        ...entry,
        attempts,
        lastError: attempt.error,
        nextAttemptAt: Date.now() + backoffMs(attempts, this.#initialBackoffMs, this.#maxBackoffMs),
      };
      // Losing an attempt count in a crash only means one more attempt before the dead letter.
      await this.store.batch([{ type: 'put', key, value: retry }], { sync: false });
      queue.entries[0] = retry;
    }
  }

  async #acquire(): Promise<void> {
    while (this.#slots === 0 && !this.#abort.signal.aborted)
      await new Promise<void>((resolve) => this.#slotWaiters.push(resolve));
    this.#slots -= 1;
  }

  #release(): void {
    this.#slots += 1;
    this.#slotWaiters.shift()?.();
  }
}
