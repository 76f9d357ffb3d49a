/**
 * The presentation requests a verifier has made, in memory and bounded. A request moves one way:
 * PENDING → VERIFYING (a response naming its `state` arrived; no second one is taken, whatever the first
 * held) → ANSWERED (its outcome stored). A PENDING request expires `lifetimeMs` after it was made; every
 * request, with its outcome, is forgotten one lifetime after it expires. A restart forgets them all: the
 * verifier asks again. Insertion order is expiry order (one lifetime for all), so forgetting walks from
 * the oldest and stops at the first still kept.
 */
import type { ParseOpenid4vpAuthorizationResponseOptions } from '@openid4vc/openid4vp';

import type { DcqlQuery } from './dcql-query.js';
import type { PresentationOutcome } from './outcome.js';
import type { PresentationDefinition } from './presentation-definition.js';
import type { ResponseKey } from './response-encryption.js';

/** A request as made: what it asked for and what a response must match. */
interface RequestCommon {
  /** The verifier's handle on the request (result route); never sent to the wallet. */
  readonly id: string;
  /** In the authorization request; the wallet posts it back with its response. */
  readonly state: string;
  /** What the holder's key-binding JWT must carry. */
  readonly nonce: string;
  /** The request's client id: the audience the holder's key-binding JWT must name. */
  readonly audience: string;
  readonly credentialType: string;
  readonly claims: readonly string[];
  /** The authorization request as sent, to parse the response against. */
  readonly authorizationRequestPayload: ParseOpenid4vpAuthorizationResponseOptions['authorizationRequestPayload'];
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** Who asked (the page's client address), when known: its requests are bounded by `maxPerClient`. */
  readonly client?: string;
  /** A signed request goes by reference: the wallet fetches this JWT at `request_uri` (its `reference`). */
  readonly requestObject?: { readonly reference: string; readonly jwt: string };
  /** A signed request's answer comes encrypted to this key, whose `kid` is the request's reference. */
  readonly responseKey?: ResponseKey;
}

/**
 * A request in either language: a DCQL query for an IETF SD-JWT VC (OpenID4VP 1.0), or a Presentation
 * Definition for a TW DIW one (OpenID4VP before 1.0).
 */
export type PresentationRequestRecord = RequestCommon &
  (
    | { readonly profile: 'ietf'; readonly query: DcqlQuery }
    | { readonly profile: 'tw-diw'; readonly definition: PresentationDefinition }
  );

export type RequestProgress = 'PENDING' | 'VERIFYING' | 'ANSWERED';

/**
 * Why a request cannot be answered or read: none by that state or id (never made, or forgotten);
 * expired before a response came; already answered (or being answered); too many requests held.
 */
export type RequestRefusal = 'REQUEST_UNKNOWN' | 'REQUEST_EXPIRED' | 'REQUEST_USED' | 'TOO_MANY_REQUESTS';

/** Thrown by `RequestBook.add` when the book is full of requests not yet forgotten. */
export class RequestRefused extends Error {
  override readonly name = 'RequestRefused';
  constructor(
    readonly refusal: RequestRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** A request read back by its id. */
export interface RequestView {
  readonly request: PresentationRequestRecord;
  readonly progress: RequestProgress;
  readonly outcome?: PresentationOutcome;
}

export interface RequestBook {
  /**
   * Keeps a new request.
   * @throws RequestRefused TOO_MANY_REQUESTS when `max` are held, or `maxPerClient` of its client
   */
  add(request: PresentationRequestRecord, now: Date): void;
  /** Takes the request a response names by its `state`, once: it is VERIFYING from then on. */
  claim(
    state: string,
    now: Date,
  ): { ok: true; request: PresentationRequestRecord } | { ok: false; refusal: RequestRefusal };
  /** The state of the request with this reference (an encrypted response names its key, not its state). */
  stateOf(reference: string): string | undefined;
  /** The signed request object of a request still waiting for its wallet, by its reference; else undefined. */
  requestObject(reference: string, now: Date): string | undefined;
  /** Stores the outcome of a claimed request (nothing if it was forgotten meanwhile). */
  answer(id: string, outcome: PresentationOutcome): void;
  /** The request by its id, with its outcome once ANSWERED; a PENDING one past its expiry is REQUEST_EXPIRED. */
  read(id: string, now: Date): ({ ok: true } & RequestView) | { ok: false; refusal: RequestRefusal };
  /** Requests held (not yet forgotten). */
  readonly size: number;
}

interface Entry {
  readonly request: PresentationRequestRecord;
  progress: RequestProgress;
  outcome?: PresentationOutcome;
}

export function createRequestBook(options: {
  readonly lifetimeMs: number;
  readonly max: number;
  /** Most requests one client may have waiting for a wallet at once (default: `max`): one caller cannot fill the book. */
  readonly maxPerClient?: number;
}): RequestBook {
  const { lifetimeMs, max } = options;
  const maxPerClient = options.maxPerClient ?? max;
  const byId = new Map<string, Entry>();
  const idByState = new Map<string, string>();
  const idByReference = new Map<string, string>();
  /** The requests of `client` still waiting for a wallet (answered and expired ones no longer count). */
  const pendingOf = (client: string, now: Date): number => {
    let pending = 0;
    for (const entry of byId.values())
      if (entry.request.client === client && entry.progress === 'PENDING' && !expired(entry, now)) pending++;
    return pending;
  };

  const forgetOld = (now: Date): void => {
    for (const [id, entry] of byId) {
      if (entry.request.expiresAt.getTime() + lifetimeMs > now.getTime()) break;
      byId.delete(id);
      idByState.delete(entry.request.state);
      if (entry.request.requestObject) idByReference.delete(entry.request.requestObject.reference);
    }
  };
  const expired = (entry: Entry, now: Date): boolean =>
    entry.progress === 'PENDING' && entry.request.expiresAt.getTime() <= now.getTime();

  return {
    add(request, now) {
      forgetOld(now);
      if (byId.size >= max)
        throw new RequestRefused('TOO_MANY_REQUESTS', `${max} presentation requests are outstanding; try again later`);
      if (request.client !== undefined && pendingOf(request.client, now) >= maxPerClient)
        throw new RequestRefused(
          'TOO_MANY_REQUESTS',
          `${maxPerClient} presentation requests of this client are outstanding; try again later`,
        );
      byId.set(request.id, { request, progress: 'PENDING' });
      idByState.set(request.state, request.id);
      if (request.requestObject) idByReference.set(request.requestObject.reference, request.id);
    },
    stateOf(reference) {
      const id = idByReference.get(reference);
      return id === undefined ? undefined : byId.get(id)?.request.state;
    },
    requestObject(reference, now) {
      forgetOld(now);
      const id = idByReference.get(reference);
      const entry = id === undefined ? undefined : byId.get(id);
      if (!entry || entry.progress !== 'PENDING' || expired(entry, now)) return undefined;
      return entry.request.requestObject?.jwt;
    },
    claim(state, now) {
      forgetOld(now);
      const id = idByState.get(state);
      const entry = id === undefined ? undefined : byId.get(id);
      if (!entry) return { ok: false, refusal: 'REQUEST_UNKNOWN' };
      if (entry.progress !== 'PENDING') return { ok: false, refusal: 'REQUEST_USED' };
      if (expired(entry, now)) return { ok: false, refusal: 'REQUEST_EXPIRED' };
      entry.progress = 'VERIFYING';
      return { ok: true, request: entry.request };
    },
    answer(id, outcome) {
      const entry = byId.get(id);
      if (entry?.progress !== 'VERIFYING') return;
      entry.progress = 'ANSWERED';
      entry.outcome = outcome;
    },
    read(id, now) {
      forgetOld(now);
      const entry = byId.get(id);
      if (!entry) return { ok: false, refusal: 'REQUEST_UNKNOWN' };
      if (expired(entry, now)) return { ok: false, refusal: 'REQUEST_EXPIRED' };
      return {
        ok: true,
        request: entry.request,
        progress: entry.progress,
        ...(entry.outcome ? { outcome: entry.outcome } : {}),
      };
    },
    get size() {
      return byId.size;
    },
  };
}
