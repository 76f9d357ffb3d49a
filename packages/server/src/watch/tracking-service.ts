/**
 * Tracking for `credledger serve --tracking`: webhook subscriptions (persistent, signed, retried,
 * dead-lettered) and Server-Sent Events, as one request handler the server mounts in front of its own
 * routes. One ingest loop reads the ledger's status changes from a checkpoint kept in the tracking
 * store and enqueues a delivery for every subscription that names the changed credential, in the same
 * atomic write as the checkpoint past that transaction.
 *
 * Routes (all under the server's origin):
 * - `POST   /api/v1/subscriptions`       `{ url, credentials: [<compact JWS>…] }` → 201 `{ subscription, token }`
 * - `GET    /api/v1/subscriptions/<id>`  `Authorization: Bearer <token>` → the subscription and its delivery state
 * - `DELETE /api/v1/subscriptions/<id>`  `Authorization: Bearer <token>` → 204
 * - `GET    /api/v1/watch?ids=<id>,…`    Server-Sent Events (`Last-Event-ID` resumes)
 * - `GET    /api/v1/tracking`            `{ sse: true, webhooks: true, keys }`: lets the verifier page offer "notify me"
 * - `GET    /.well-known/credledger-webhook-keys.json`  the JWK Set receivers check signatures with
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { Registry, type Ledger } from '@credledger/ledger';
import { HttpError } from '../http/http-error.js';
import { pathOf } from '../http/request-path.js';
import { jsonBody } from '../http/json-body.js';
import { Dispatcher, type DeliveryOptions } from './delivery.js';
import { changeJson, parseWatchRequest, streamStatusChanges } from './sse.js';
import {
  newSubscription,
  proveHolding,
  removeSubscription,
  subscriptionState,
  tokenMatches,
  viewOf,
} from './subscriptions.js';
import {
  outboxKey,
  StagedCheckpointer,
  subscriptionKey,
  TrackingStore,
  type OutboxEntry,
  type StoreOp,
  type SubscriptionRecord,
} from './tracking-store.js';
import { cursorOf, watch } from './watch.js';
import { loadOrCreateWebhookSigningKey, webhookKeysPath, type WebhookSigningKey } from './webhooks.js';

export interface TrackingServiceOptions {
  /** Where changes are read (any identity may read events and records). */
  readonly ledger: Ledger;
  /** The serve state directory: the tracking database and, unless `signingKey` is given, the signing key. */
  readonly stateDir: string;
  /** The webhook signing key (default: `<stateDir>/webhook-signing-key.pem`, created on first start). */
  readonly signingKey?: WebhookSigningKey;
  /** First block to read on the very first start (later starts resume from the checkpoint). Default: the next commit. */
  readonly startBlock?: bigint;
  /** Webhook retries, timeouts and which addresses deliveries may reach. */
  readonly delivery?: DeliveryOptions;
  /** Most credentials per subscription and per SSE stream (default 100). */
  readonly maxCredentials?: number;
  /** Most concurrent SSE streams (default 1000); more are answered 503. */
  readonly maxStreams?: number;
  /** Largest subscription request body (default 256 KiB: 100 credentials of ~1.5 kB, and room). */
  readonly maxBodyBytes?: number;
  /** Called with faults worth an operator's attention (ingest failures, dead letters). */
  readonly onError?: (error: unknown, context: string) => void;
}

/** The mounted service. */
export interface TrackingService {
  /** The key deliveries are signed with (publish `publicJwk`). */
  readonly signingKey: WebhookSigningKey;
  /**
   * Adds the tracking routes to the server's Fastify instance; `startServer({ tracking })` calls it.
   * CORS is the server's: it answers preflights and sets its CORS headers before a route runs.
   */
  register(app: FastifyInstance): void;
  /** The methods a tracking route answers (for `Allow` and CORS preflights), or undefined for other paths. */
  allowedMethods(path: string): readonly string[] | undefined;
  /** Starts the ingest loop and the webhook workers. */
  start(): void;
  /** Ends SSE streams, stops workers and the ingest loop, and closes the store. Call before closing the HTTP server. */
  close(): Promise<void>;
  /**
   * Resolves once the ingest has processed (and checkpointed) block `through`, when given, and every
   * delivery queued by then has been sent or dead-lettered. For tests and benchmarks; `through` must
   * be a block holding a status change (other blocks are checkpointed lazily).
   */
  idle(options?: { readonly through?: bigint }): Promise<void>;
}

const apiPrefix = '/api/v1';

/**
 * Opens the tracking state in `options.stateDir` and returns the service, not yet started.
 * Fails: LEDGER_LOCKED (another process uses the state directory), CONFIG_INVALID (unreadable state or key).
 * @example
 * const tracking = await createTrackingService({ ledger, stateDir: '.credledger/serve' });
 * const server = await startServer({ ledger, tracking });
 * tracking.start();
 * // … on shutdown:
 * await tracking.close();
 * await server.close();
 */
export async function createTrackingService(options: TrackingServiceOptions): Promise<TrackingService> {
  const onError = options.onError ?? (() => undefined);
  const store = await TrackingStore.open(options.stateDir);
  let signingKey: WebhookSigningKey;
  let checkpoint: StagedCheckpointer;
  let dispatcher: Dispatcher;
  try {
    signingKey = options.signingKey ?? (await loadOrCreateWebhookSigningKey(options.stateDir));
    checkpoint = await StagedCheckpointer.open(store);
    dispatcher = new Dispatcher(store, signingKey, options.delivery ?? {}, onError);
    for (const record of await store.subscriptions()) await dispatcher.add(record);
  } catch (error) {
    await store.close();
    throw error;
  }
  const registry = new Registry(options.ledger);
  const maxCredentials = options.maxCredentials ?? 100;
  const maxStreams = options.maxStreams ?? 1000;
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const stop = new AbortController();
  const streams = new Set<Promise<void>>();
  /** Credential id → subscriptions naming it. */
  const byCredential = new Map<string, Set<string>>();
  const index = (id: string, credentialIds: readonly string[], add: boolean): void => {
    for (const credentialId of credentialIds) {
      let set = byCredential.get(credentialId);
      if (add) {
        if (set === undefined) byCredential.set(credentialId, (set = new Set()));
        set.add(id);
      } else if (set !== undefined) {
        set.delete(id);
        if (set.size === 0) byCredential.delete(credentialId);
      }
    }
  };
  for (const { record } of dispatcher.subscriptions.values()) index(record.id, record.credentialIds, true);

  let ingest: Promise<void> | undefined;
  // Subscription changes and the ingest loop both write the store; queue them so neither interleaves.
  let writes: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = writes.then(work, work);
    writes = next.catch(() => undefined);
    return next;
  };

  async function runIngest(): Promise<void> {
    const startBlock = checkpoint.getBlockNumber() === undefined ? options.startBlock : undefined;
    // Stored at once: a restart before the first change must resume here, not jump to the ledger's new
    // end past whatever was committed while the service was stopped.
    if (startBlock !== undefined && startBlock > 0n) await serial(() => checkpoint.checkpointBlock(startBlock - 1n));
    const changes = watch(
      options.ledger,
      {},
      { checkpoint, signal: stop.signal, ...(startBlock === undefined ? {} : { startBlock }) },
    );
    for await (const change of changes) {
      const subscribers = byCredential.get(change.id);
      if (subscribers === undefined) continue;
      const entries: OutboxEntry[] = [];
      const ops: StoreOp[] = [];
      for (const subscriptionId of subscribers) {
        const entry: OutboxEntry = {
          subscriptionId,
          seq: store.nextSeq(),
          idempotencyKey: change.idempotencyKey,
          change: changeJson(change),
          attempts: 0,
          nextAttemptAt: 0,
          lastError: null,
        };
        entries.push(entry);
        ops.push({ type: 'put', key: outboxKey(subscriptionId, entry.seq), value: entry });
      }
      // Written with the checkpoint past this transaction (watch checkpoints when asked for more).
      checkpoint.stage(ops, () => {
        dispatcher.enqueue(entries);
      });
    }
  }

  async function createSubscription(body: unknown): Promise<{ status: number; value: unknown }> {
    const { url, ids } = await proveHolding(registry, body, { ...options.delivery, maxCredentials });
    const { record, token } = newSubscription(url, ids);
    await serial(async () => {
      await store.batch([{ type: 'put', key: subscriptionKey(record.id), value: record }]);
      await dispatcher.add(record);
      index(record.id, record.credentialIds, true);
    });
    return { status: 201, value: { subscription: viewOf(record), token } };
  }

  async function authorised(id: string, request: FastifyRequest): Promise<SubscriptionRecord> {
    const record = await store.subscription(id);
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    // The same answer for "no such subscription" and "wrong token": ids cannot be probed.
    if (record === undefined || !tokenMatches(record, token))
      throw new HttpError('NOT_FOUND', 'no subscription with this id and token');
    return record;
  }

  /** The routes, on the server's Fastify instance (its hooks have checked methods and set CORS). */
  function register(app: FastifyInstance): void {
    const describe = (value: unknown) => (_request: FastifyRequest, reply: FastifyReply) =>
      sendJson(reply, 200, value, { 'Cache-Control': 'max-age=300' });
    app.get(webhookKeysPath, describe({ keys: [signingKey.publicJwk] }));
    app.get(`${apiPrefix}/tracking`, describe({ sse: true, webhooks: true, keys: webhookKeysPath, maxCredentials }));

    app.get(`${apiPrefix}/watch`, async (request, reply) => {
      const { ids, after } = parseWatchRequest(
        new URL(request.url, 'http://server.invalid'),
        request.raw,
        maxCredentials,
      );
      if (streams.size >= maxStreams)
        throw new HttpError('LEDGER_UNAVAILABLE', 'too many open watch streams; try again later', {
          'Retry-After': '30',
        });
      // A new stream starts where the ingest stands (durably; before its first write, where it will
      // start), and says so: a client that reconnects with that id, even after a restart and before any
      // change reached it, misses nothing committed meanwhile.
      const start = after ?? cursorOf(checkpoint) ?? options.startBlock?.toString();
      // The stream writes the response itself; the CORS headers the server set go with it.
      reply.hijack();
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined) reply.raw.setHeader(name, value);
      const stream = streamStatusChanges(options.ledger, reply.raw, { ids, after: start }, stop.signal, { onError });
      streams.add(stream);
      await stream.finally(() => streams.delete(stream));
    });

    app.post(`${apiPrefix}/subscriptions`, { bodyLimit: maxBodyBytes }, async (request, reply) => {
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
        throw new HttpError('BAD_REQUEST', 'send the subscription as application/json');
      const { status, value } = await createSubscription(request.body);
      return sendJson(reply, status, value, { 'Cache-Control': 'no-store' });
    });

    const subscriptionPath = `${apiPrefix}/subscriptions/:id`;
    const subscriptionOf = async (request: FastifyRequest): Promise<SubscriptionRecord> => {
      const { id = '' } = request.params as { id?: string };
      if (!/^sub_[A-Za-z0-9_-]{1,64}$/.test(id))
        throw new HttpError('NOT_FOUND', `no tracking route ${pathOf(request.url)}`);
      return authorised(id, request);
    };
    app.get(subscriptionPath, async (request, reply) => {
      const record = await subscriptionOf(request);
      return sendJson(reply, 200, await subscriptionState(store, record), { 'Cache-Control': 'no-store' });
    });
    app.delete(subscriptionPath, async (request, reply) => {
      const record = await subscriptionOf(request);
      await serial(async () => {
        index(record.id, record.credentialIds, false);
        await dispatcher.remove(record.id);
        await removeSubscription(store, record.id);
      });
      return reply.code(204).header('Cache-Control', 'no-store').send();
    });
  }

  function allowedMethods(path: string): readonly string[] | undefined {
    if (path === webhookKeysPath || path === `${apiPrefix}/tracking`) return ['GET', 'HEAD'];
    if (path === `${apiPrefix}/watch`) return ['GET'];
    if (path === `${apiPrefix}/subscriptions`) return ['POST'];
    if (path.startsWith(`${apiPrefix}/subscriptions/`)) return ['GET', 'DELETE'];
    return undefined;
  }

  return {
    signingKey,
    register,
    allowedMethods,
    start() {
      if (ingest !== undefined) return;
      dispatcher.start();
      ingest = runIngest().catch((error: unknown) => {
        if (!stop.signal.aborted) onError(error, 'tracking ingest');
      });
    },
    async close() {
      stop.abort();
      await Promise.allSettled([...streams]);
      await ingest;
      await dispatcher.close();
      await writes;
      await store.close();
    },
    async idle(idleOptions = {}) {
      const { through } = idleOptions;
      const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
      if (through !== undefined) {
        while ((checkpoint.getBlockNumber() ?? -1n) < through && !stop.signal.aborted) await pause();
      }
      await writes;
      while (dispatcher.pending() > 0 && !stop.signal.aborted) await pause();
    },
  };
}

function sendJson(
  reply: FastifyReply,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): FastifyReply {
  return (
    reply
      .code(status)
      // The security, CSP and CORS headers are the server's, set before the route runs.
      .headers({ 'Content-Type': 'application/json; charset=utf-8', ...headers })
      .send(jsonBody(value))
  );
}
