/**
 * Offline status source: a signed trust list (issuers and keys, checked against a pinned governance
 * key) and the issuers' signed status lists — Bitstring Status Lists for `vc+jwt` credentials, Status
 * List 2021 lists for TW DIW SD-JWT VCs (Bitstring ones for those issued before), IETF Status List
 * Tokens for IETF-profile SD-JWT VCs. No ledger and no network beyond what `statusLists` does, so a
 * static verifier page can work with files it ships or fetches. Browser-safe.
 */
import { statusPurposes, type StatusPurpose } from './status/status-purpose.js';
import type { Bitstring } from './status/bitstring.js';
import {
  statusListFormats,
  statusListTypes,
  verifyStatusList,
  type StatusListFormat,
  type StatusListProblem,
} from './status/status-list.js';
import { verifyStatusListToken } from './status/status-list-token.js';
import { tokenStatusTypes, type TokenStatusList } from './status/token-status-list.js';
import { verifyTrustList, type PinnedKey, type TrustList } from './status/trust-list.js';
import { parseIsoTime, type CredentialState, type IssuerRecord } from './records.js';
import { KeyCache } from './jws.js';
import {
  StatusSourceError,
  type IssuerLookup,
  type StatusLookup,
  type StatusRequest,
  type StatusSource,
} from './status-source.js';

export interface OfflineStatusSourceOptions {
  /** The governance-signed trust list (`vc+jwt`). */
  readonly trustList: string;
  /** Governance keys the trust list may be signed with (pinned in the verifier's configuration). */
  readonly governanceKeys: readonly PinnedKey[];
  /**
   * Status list credentials by URL (`statusListCredential` of the entries, or `status.status_list.uri`
   * of an IETF SD-JWT VC for its Status List Token), or a function fetching one (resolving undefined
   * when there is none). A function may be called concurrently.
   */
  readonly statusLists: Readonly<Record<string, string>> | ((url: string) => Promise<string | undefined>);
}

/** Which list a lookup needs: a W3C status list of a format and purpose, or an IETF Status List Token. */
type ListUse = { readonly format: StatusListFormat; readonly purpose: StatusPurpose } | 'token';

/** One W3C `credentialStatus` entry, read: its list's format, purpose and URL, and the index in it. */
interface StatusEntry {
  readonly format: StatusListFormat;
  readonly purpose: StatusPurpose;
  readonly url: string;
  readonly index: number;
}

/** The format an entry's `type` names: `BitstringStatusListEntry` or `StatusList2021Entry`; else undefined. */
function formatOfEntry(type: unknown): StatusListFormat | undefined {
  return statusListFormats.find((format) => statusListTypes[format].entry === type);
}

interface VerifiedList {
  readonly jwt: string;
  /** The Bitstring Status List's bits, or the Status List Token's list. */
  readonly bits: Bitstring | TokenStatusList;
  readonly validFromMs: number;
  readonly validFrom: string;
  readonly validUntilMs: number | undefined;
}

const INDEX = /^(0|[1-9][0-9]{0,9})$/;

/** How far in the future a list's issue time may be (the issuer's clock against the verifier's), as verifyStatusList allows. */
const LIST_FUTURE_SKEW_MS = 5 * 60 * 1000;

/** A status list being (or done being) checked for one use (purpose, issuer, URL), for the exact JWT fetched. */
interface ListEntry {
  readonly jwt: string;
  readonly verified: Promise<VerifiedList | StatusLookup>;
  /** Set once `verified` has settled, so later lookups need not wait a turn. */
  settled?: VerifiedList | StatusLookup;
}

const LIST_CACHE_LIMIT = 4096;

/** A list whose checks passed, with its issue time and end (null: none) also in ms: a Bitstring Status List or a Status List Token. */
function verifiedList(
  jwt: string,
  bits: Bitstring | TokenStatusList,
  validFrom: string,
  validUntil: string | null,
): VerifiedList {
  return {
    jwt,
    bits,
    validFrom,
    validFromMs: parseIsoTime(validFrom) ?? 0,
    validUntilMs: validUntil === null ? undefined : parseIsoTime(validUntil),
  };
}

/** The lookup answer for a list whose checks failed, naming its URL. */
function refusedList(
  url: string,
  failure: { readonly problem: StatusListProblem; readonly detail: string },
): StatusLookup {
  return { kind: 'unavailable', reason: failure.problem, detail: `${url}: ${failure.detail}` };
}

class OfflineStatusSource implements StatusSource {
  readonly kind = 'offline';
  readonly keys = new KeyCache();
  private trust: Promise<TrustList> | undefined;
  /** The verified trust list with its end in ms, once `trust` resolved. */
  private trustNow: { readonly list: TrustList; readonly validUntilMs: number } | undefined;
  private readonly lists = new Map<string, ListEntry>();
  private readonly trustListJwt: string;
  private readonly governanceKeys: readonly PinnedKey[];
  private readonly statusLists: OfflineStatusSourceOptions['statusLists'];

  constructor(options: OfflineStatusSourceOptions) {
    // Copied: later changes to the caller's object do not change what this source trusts.
    this.trustListJwt = options.trustList;
    this.governanceKeys = options.governanceKeys.map((k) => ({ kid: k.kid, publicKeyJwk: { ...k.publicKeyJwk } }));
    this.statusLists = typeof options.statusLists === 'function' ? options.statusLists : { ...options.statusLists };
  }

  /** The trust list, verified once (signature, structure); its dates are checked on every call. */
  private async trustList(now: Date): Promise<TrustList> {
    const known = this.trustNow;
    if (known) {
      if (now.getTime() >= known.validUntilMs)
        throw new StatusSourceError('TRUST_LIST_EXPIRED', `trust list valid until ${known.list.validUntil}`);
      return known.list;
    }
    const pending = (this.trust ??= verifyTrustList(this.trustListJwt, {
      governanceKeys: this.governanceKeys,
      now,
    }).then((outcome) => {
      if (!outcome.ok) throw new StatusSourceError(outcome.problem, outcome.detail);
      return outcome.trustList;
    }));
    let trustList: TrustList;
    try {
      trustList = await pending;
    } catch (error) {
      // An expired list may be retried with another `now`; an invalid one never becomes valid.
      if (error instanceof StatusSourceError && error.reason === 'TRUST_LIST_EXPIRED' && this.trust === pending)
        this.trust = undefined;
      throw error;
    }
    const validUntilMs = parseIsoTime(trustList.validUntil) ?? 0;
    if (this.trust === pending) this.trustNow ??= { list: trustList, validUntilMs };
    if (now.getTime() >= validUntilMs) {
      throw new StatusSourceError('TRUST_LIST_EXPIRED', `trust list valid until ${trustList.validUntil}`);
    }
    return trustList;
  }

  /** The verified trust list's metadata (issue time = freshness). Fails: StatusSourceError. */
  async describe(now: Date): Promise<{ issuedAt: string; validUntil: string; signedBy: string; issuers: number }> {
    const t = await this.trustList(now);
    return { issuedAt: t.issuedAt, validUntil: t.validUntil, signedBy: t.signedBy, issuers: t.issuers.size };
  }

  async getIssuer(did: string, now: Date): Promise<IssuerLookup> {
    const trustList = await this.trustList(now);
    return { issuer: trustList.issuers.get(did), asOf: trustList.issuedAt };
  }

  /** The list's JWT: synchronously from a map of lists, else the caller's fetch function's promise. */
  private fetchList(url: string): string | undefined | Promise<string | undefined> {
    const source = this.statusLists;
    if (typeof source === 'function') return source(url);
    return Object.prototype.hasOwnProperty.call(source, url) ? source[url] : undefined;
  }

  /**
   * A verified list. Its signature, structure and bitstring are checked once per exact JWT (and use):
   * concurrent lookups share that one check, and a different JWT under the same URL is checked anew.
   * The time checks (stale, issued in the future) run on every lookup.
   */
  private async list(
    url: string,
    purpose: ListUse,
    issuer: IssuerRecord,
    now: Date,
  ): Promise<VerifiedList | StatusLookup> {
    let jwt: string | undefined;
    try {
      const fetched = this.fetchList(url);
      jwt = typeof fetched === 'string' || fetched === undefined ? fetched : await fetched;
    } catch (error) {
      return {
        kind: 'unavailable',
        reason: 'STATUS_LIST_UNAVAILABLE',
        detail: `${url}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (typeof jwt !== 'string') return { kind: 'unavailable', reason: 'STATUS_LIST_UNAVAILABLE', detail: url };
    const cacheKey = `${purpose === 'token' ? purpose : `${purpose.format} ${purpose.purpose}`} ${issuer.did} ${url}`;
    let entry = this.lists.get(cacheKey);
    let mine = false;
    if (!entry || entry.jwt !== jwt) {
      mine = true;
      if (this.lists.size >= LIST_CACHE_LIMIT) this.lists.clear();
      const verified = this.verifyList(jwt, url, purpose, issuer, now);
      const created: ListEntry = { jwt, verified };
      void verified.then((outcome) => {
        created.settled = outcome;
        // A refusal is not kept: a list found stale or from the future may be fine at another `now`.
        if ('kind' in outcome && this.lists.get(cacheKey) === created) this.lists.delete(cacheKey);
      });
      this.lists.set(cacheKey, (entry = created));
    }
    const list = entry.settled ?? (await entry.verified);
    // A refusal shared from a check made for another lookup may depend on that lookup's `now`: check again.
    if ('kind' in list) return mine ? list : this.verifyList(jwt, url, purpose, issuer, now);
    const t = now.getTime();
    if (list.validFromMs > t + LIST_FUTURE_SKEW_MS)
      return { kind: 'unavailable', reason: 'STATUS_LIST_INVALID', detail: `${url}: list issued in the future` };
    if (list.validUntilMs !== undefined && t >= list.validUntilMs)
      return { kind: 'unavailable', reason: 'STATUS_LIST_STALE', detail: url };
    return list;
  }

  private async verifyList(
    jwt: string,
    url: string,
    purpose: ListUse,
    issuer: IssuerRecord,
    now: Date,
  ): Promise<VerifiedList | StatusLookup> {
    if (purpose === 'token') {
      const token = await verifyStatusListToken(jwt, { issuer, uri: url, now });
      return token.ok ? verifiedList(jwt, token.list, token.issuedAt, token.expiresAt) : refusedList(url, token);
    }
    const outcome = await verifyStatusList(jwt, { issuer, url, purpose: purpose.purpose, format: purpose.format, now });
    return outcome.ok
      ? verifiedList(jwt, outcome.bits, outcome.validFrom, outcome.validUntil)
      : refusedList(url, outcome);
  }

  /**
   * The status of an IETF SD-JWT VC from the Status List Token its `status.status_list` names: the
   * value at `idx` — 0x00 VALID, 0x01 INVALID (revoked), 0x02 SUSPENDED; any other value says nothing
   * credledger knows, so no status is claimed.
   */
  private async tokenStatus(reference: { url: string; index: number }, request: StatusRequest): Promise<StatusLookup> {
    const list = await this.list(reference.url, 'token', request.issuer, request.now);
    if ('kind' in list) return list;
    const value = (list.bits as TokenStatusList).get(reference.index);
    if (value === undefined)
      return {
        kind: 'unavailable',
        reason: 'STATUS_LIST_INVALID',
        detail: `index ${reference.index} outside ${reference.url}`,
      };
    const state: CredentialState | undefined =
      value === tokenStatusTypes.VALID
        ? 'ACTIVE'
        : value === tokenStatusTypes.INVALID
          ? 'REVOKED'
          : value === tokenStatusTypes.SUSPENDED
            ? 'SUSPENDED'
            : undefined;
    if (state === undefined)
      return {
        kind: 'unavailable',
        reason: 'STATUS_LIST_INVALID',
        detail: `${reference.url}: status value 0x${value.toString(16).padStart(2, '0')} at index ${reference.index} is not VALID, INVALID or SUSPENDED`,
      };
    return { kind: 'list', state, asOf: list.validFrom, detail: '1 status list token' };
  }

  async getStatus(request: StatusRequest): Promise<StatusLookup> {
    let token: { url: string; index: number } | undefined;
    const entries: StatusEntry[] = [];
    for (const raw of request.credentialStatus) {
      if (raw === null || typeof raw !== 'object') continue;
      const entry = raw as Record<string, unknown>;
      if ('status_list' in entry) {
        // An IETF SD-JWT VC's `status` claim: `status_list { idx, uri }` (a non-negative integer, a URI).
        const reference = entry.status_list as Record<string, unknown> | null;
        if (
          reference === null ||
          typeof reference !== 'object' ||
          typeof reference.uri !== 'string' ||
          typeof reference.idx !== 'number' ||
          !Number.isSafeInteger(reference.idx) ||
          reference.idx < 0 ||
          token !== undefined
        ) {
          return { kind: 'unavailable', reason: 'NO_STATUS_ENTRY', detail: 'malformed status.status_list' };
        }
        token = { url: reference.uri, index: reference.idx };
        continue;
      }
      const format = formatOfEntry(entry.type);
      if (format === undefined) continue;
      const purpose = entry.statusPurpose;
      if (typeof purpose !== 'string' || !(statusPurposes as readonly string[]).includes(purpose)) continue;
      if (
        typeof entry.statusListCredential !== 'string' ||
        typeof entry.statusListIndex !== 'string' ||
        !INDEX.test(entry.statusListIndex)
      ) {
        return { kind: 'unavailable', reason: 'NO_STATUS_ENTRY', detail: `malformed ${purpose} entry` };
      }
      if (entries.some((known) => known.format === format && known.purpose === purpose)) {
        return { kind: 'unavailable', reason: 'NO_STATUS_ENTRY', detail: `two ${purpose} entries` };
      }
      entries.push({
        format,
        purpose: purpose as StatusPurpose,
        url: entry.statusListCredential,
        index: Number(entry.statusListIndex),
      });
    }
    // A credential with W3C entries is answered from them; an IETF one from its Status List Token.
    if (entries.length === 0 && token) return this.tokenStatus(token, request);
    // Revocation is required: without it nothing offline could say the credential was not revoked.
    if (!entries.some((entry) => entry.purpose === 'revocation'))
      return { kind: 'unavailable', reason: 'NO_STATUS_ENTRY', detail: 'no revocation entry' };

    // Revocation first, so that a refusal names the list that matters most. A credential carrying
    // entries of both formats (credledger writes one format per credential) is answered from all of them.
    entries.sort((a, b) => (a.purpose === b.purpose ? 0 : a.purpose === 'revocation' ? -1 : 1));
    // All lists are looked up at once; each lookup is answered from the cache once its list was checked.
    const lookups = entries.map((entry) =>
      this.list(entry.url, { format: entry.format, purpose: entry.purpose }, request.issuer, request.now),
    );
    const results = await Promise.all(lookups);

    let state: CredentialState = 'ACTIVE';
    let oldest: VerifiedList | undefined;
    for (const [i, list] of results.entries()) {
      const entry = entries[i];
      if (!entry) continue;
      if ('kind' in list) return list;
      if (entry.index >= list.bits.length)
        return {
          kind: 'unavailable',
          reason: 'STATUS_LIST_INVALID',
          detail: `index ${entry.index} outside ${entry.url}`,
        };
      if (!oldest || list.validFromMs < oldest.validFromMs) oldest = list;
      if ((list.bits as Bitstring).get(entry.index)) {
        if (entry.purpose === 'revocation') state = 'REVOKED';
        else if (state !== 'REVOKED') state = 'SUSPENDED';
      }
    }
    return {
      kind: 'list',
      state,
      asOf: oldest?.validFrom ?? request.now.toISOString(),
      detail: `${results.length} status list(s)`,
    };
  }
}

/**
 * Creates the offline status source. Nothing is checked until the first verification, so a bad trust
 * list shows up as an UNVERIFIABLE verdict (reason TRUST_LIST_INVALID / TRUST_LIST_EXPIRED), not a throw.
 *
 * @example
 * const source = offlineStatusSource({ trustList, governanceKeys: [ndcKey], statusLists: { [url]: listJwt } });
 * const result = await verifyCredential(jwt, { status: source, now });
 */
export function offlineStatusSource(options: OfflineStatusSourceOptions): StatusSource & {
  describe(now: Date): Promise<{ issuedAt: string; validUntil: string; signedBy: string; issuers: number }>;
} {
  return new OfflineStatusSource(options);
}
