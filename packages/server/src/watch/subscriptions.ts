/**
 * Webhook subscriptions: who is told about which credentials, kept in the serve state directory.
 *
 * Privacy: a subscription names only credentials the subscriber proves to hold, by presenting each
 * credential's compact JWS; the server hashes it and compares with the ledger's anchor. The digest
 * alone is no proof (the read API shows it to anyone who knows the id). The JWS is checked and
 * dropped: only its id is stored. There is no subscription by issuer or type, so nothing here lists
 * an issuer's credentials. See docs/tracking.md for what the operator learns.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { CredledgerError } from '@credledger/verify';
import { credentialDigest, type Registry } from '@credledger/ledger';
import { parseCompactJws } from '@credledger/verify/formats';
import {
  TrackingStore,
  type DeadLetter,
  type OutboxEntry,
  type StoreOp,
  type SubscriptionRecord,
} from './tracking-store.js';
import { checkWebhookUrl, type WebhookUrlPolicy } from './webhooks.js';

export type { ChangeJson, DeadLetter, OutboxEntry, SubscriptionRecord } from './tracking-store.js';

/** What a subscriber sends. */
export interface SubscriptionRequest {
  /** The webhook URL (https://). */
  readonly url: string;
  /** The compact JWS of every credential to track: the proof of holding it. */
  readonly credentials: readonly string[];
}

/** A subscription as shown to its owner (no token hash). */
export interface SubscriptionView {
  readonly id: string;
  readonly url: string;
  readonly credentialIds: readonly string[];
  readonly createdAt: string;
}

/** A created subscription and its management token (shown once; the server keeps only its hash). */
export interface CreatedSubscription {
  readonly subscription: SubscriptionView;
  readonly token: string;
}

/** A subscription with its delivery state. */
export interface SubscriptionState extends SubscriptionView {
  /** Deliveries waiting (the first may be in backoff). */
  readonly pending: number;
  /** Failed attempts of the first waiting delivery, and its last error. */
  readonly attempts: number;
  readonly lastError: string | null;
  readonly deadLetters: readonly DeadLetter[];
}

export interface SubscriptionLimits extends WebhookUrlPolicy {
  /** Most credentials in one subscription (default 100). */
  readonly maxCredentials?: number;
}

export function viewOf(record: SubscriptionRecord): SubscriptionView {
  return { id: record.id, url: record.url, credentialIds: record.credentialIds, createdAt: record.createdAt };
}

/**
 * Checks a subscription request (a {@link SubscriptionRequest} as untrusted JSON): the URL against the
 * policy, and that each JWS is the one anchored for its id. Returns the proved ids, deduplicated, in
 * request order.
 * Fails: INVALID_INPUT (bad URL, none or too many credentials), CREDENTIAL_MALFORMED (not a credential
 * JWS), ACCESS_DENIED (a JWS that is not the anchored one), CREDENTIAL_NOT_FOUND (id not on the ledger).
 */
export async function proveHolding(
  registry: Pick<Registry, 'verifyDigest'>,
  request: unknown,
  limits: SubscriptionLimits = {},
): Promise<{ url: URL; ids: string[] }> {
  // Usually a request body: checked member by member, nothing about it is assumed.
  if (typeof request !== 'object' || request === null)
    throw new CredledgerError('INVALID_INPUT', 'a subscription needs url and credentials');
  const { url: rawUrl, credentials: rawCredentials } = request as {
    readonly url?: unknown;
    readonly credentials?: unknown;
  };
  if (typeof rawUrl !== 'string') throw new CredledgerError('INVALID_INPUT', 'url must be a string');
  const url = checkWebhookUrl(rawUrl, limits);
  const max = limits.maxCredentials ?? 100;
  if (!Array.isArray(rawCredentials) || rawCredentials.length === 0) {
    throw new CredledgerError('INVALID_INPUT', 'credentials must list the compact JWS of each credential to track');
  }
  const credentials: readonly unknown[] = rawCredentials;
  if (credentials.length > max)
    throw new CredledgerError('INVALID_INPUT', `a subscription may name at most ${max} credentials`);
  const ids: string[] = [];
  for (const jwt of credentials) {
    if (typeof jwt !== 'string')
      throw new CredledgerError('CREDENTIAL_MALFORMED', 'each credential must be a compact JWS string');
    const parsed = parseCompactJws(jwt);
    if (typeof parsed === 'string')
      throw new CredledgerError('CREDENTIAL_MALFORMED', `each credential must be a compact JWS (${parsed})`);
    const { payload } = parsed;
    const id = typeof payload.jti === 'string' ? payload.jti : payload.id;
    if (typeof id !== 'string' || !/^urn:uuid:[0-9a-f-]{36}$/i.test(id))
      throw new CredledgerError('CREDENTIAL_MALFORMED', 'the credential carries no urn:uuid id');
    const check = await registry.verifyDigest(id, credentialDigest(jwt));
    if (!check.matches)
      throw new CredledgerError(
        'ACCESS_DENIED',
        `the credential presented for ${id} is not the one anchored on the ledger`,
        { details: { id } },
      );
    if (!ids.includes(id)) ids.push(id);
  }
  return { url, ids };
}

/** SHA-256 hex of a management token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when `token` is the one whose hash the subscription keeps (constant-time compare). */
export function tokenMatches(record: SubscriptionRecord, token: string | undefined): boolean {
  if (token === undefined || token.length === 0 || token.length > 256) return false;
  const given = Buffer.from(tokenHash(token), 'hex');
  const kept = Buffer.from(record.tokenHash, 'hex');
  return given.length === kept.length && timingSafeEqual(given, kept);
}

/** A new subscription record for proved ids, and its token. */
export function newSubscription(
  url: URL,
  ids: readonly string[],
  now: Date = new Date(),
): { record: SubscriptionRecord; token: string } {
  const token = randomBytes(32).toString('base64url');
  const record: SubscriptionRecord = {
    id: `sub_${randomBytes(12).toString('base64url')}`,
    url: url.href,
    credentialIds: [...ids],
    tokenHash: tokenHash(token),
    createdAt: now.toISOString(),
  };
  return { record, token };
}

/** The subscription with its queue and dead letters. */
export async function subscriptionState(store: TrackingStore, record: SubscriptionRecord): Promise<SubscriptionState> {
  const outbox: OutboxEntry[] = await store.outbox(record.id);
  const first = outbox[0];
  return {
    ...viewOf(record),
    pending: outbox.length,
    attempts: first?.attempts ?? 0,
    lastError: first?.lastError ?? null,
    deadLetters: await store.deadLetters(record.id),
  };
}

/**
 * The subscriptions of a serve state directory, for an operator while `serve` is stopped (a running
 * `serve --tracking` holds the directory; then use its HTTP API).
 * @example
 * await using subscriptions = await openSubscriptionStore('.credledger/serve');
 * for (const s of await subscriptions.list()) console.log(s.id, s.url, s.pending);
 */
export interface SubscriptionStore extends AsyncDisposable {
  /** Proves holding, then stores the subscription. Fails as {@link proveHolding}. */
  add(
    registry: Pick<Registry, 'verifyDigest'>,
    request: SubscriptionRequest,
    limits?: SubscriptionLimits,
  ): Promise<CreatedSubscription>;
  list(): Promise<SubscriptionState[]>;
  get(id: string): Promise<SubscriptionState | undefined>;
  /** Removes a subscription with its queue and dead letters; false when there was none. */
  remove(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens the subscriptions of a serve state directory. Fails: LEDGER_LOCKED (serve is running), CONFIG_INVALID. */
export async function openSubscriptionStore(stateDir: string): Promise<SubscriptionStore> {
  const store = await TrackingStore.open(stateDir);
  return {
    async add(registry, request, limits) {
      const { url, ids } = await proveHolding(registry, request, limits);
      const { record, token } = newSubscription(url, ids);
      await store.batch([{ type: 'put', key: `sub:${record.id}`, value: record }]);
      return { subscription: viewOf(record), token };
    },
    async list() {
      return Promise.all((await store.subscriptions()).map((record) => subscriptionState(store, record)));
    },
    async get(id) {
      const record = await store.subscription(id);
      return record === undefined ? undefined : subscriptionState(store, record);
    },
    async remove(id) {
      return removeSubscription(store, id);
    },
    close: () => store.close(),
    [Symbol.asyncDispose]: () => store.close(),
  };
}

/** Deletes a subscription and everything queued for it. */
export async function removeSubscription(store: TrackingStore, id: string): Promise<boolean> {
  if ((await store.subscription(id)) === undefined) return false;
  const ops: StoreOp[] = (await store.keysOf(id)).map((key) => ({ type: 'del', key }));
  await store.batch(ops);
  return true;
}
