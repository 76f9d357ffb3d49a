/**
 * Offline status source: a signed trust list (issuers and keys, checked against a pinned governance
 * key) and the issuers' signed Bitstring Status Lists. No ledger and no network beyond what
 * `statusLists` does, so a static verifier page can work with files it ships or fetches. Browser-safe.
 */
import { statusPurposes, type StatusPurpose } from '../status/status-purpose.js';
import type { Bitstring } from '../status/bitstring.js';
import { verifyStatusList } from '../status/status-list.js';
import { verifyTrustList, type PinnedKey, type TrustList } from '../status/trust-list.js';
import { parseIsoTime, type CredentialState, type IssuerRecord } from './records.js';
import { StatusSourceError, type IssuerLookup, type StatusLookup, type StatusRequest, type StatusSource } from './status-source.js';

export interface OfflineStatusSourceOptions {
  /** The governance-signed trust list (`vc+jwt`). */
  readonly trustList: string;
  /** Governance keys the trust list may be signed with (pinned in the verifier's configuration). */
  readonly governanceKeys: readonly PinnedKey[];
  /**
   * Status list credentials by URL (`statusListCredential` of the entries), or a function fetching one
   * (resolving undefined when there is none). A function may be called concurrently.
   */
  readonly statusLists: Readonly<Record<string, string>> | ((url: string) => Promise<string | undefined>);
}

interface VerifiedList {
  readonly jwt: string;
  readonly bits: Bitstring;
  readonly validFromMs: number;
  readonly validFrom: string;
  readonly validUntilMs: number | undefined;
}

const INDEX = /^(0|[1-9][0-9]{0,9})$/;

class OfflineStatusSource implements StatusSource {
  readonly kind = 'offline';
  private trust: Promise<TrustList> | undefined;
  private readonly lists = new Map<string, VerifiedList>();
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
    this.trust ??= verifyTrustList(this.trustListJwt, { governanceKeys: this.governanceKeys, now }).then((outcome) => {
      if (!outcome.ok) throw new StatusSourceError(outcome.problem, outcome.detail);
      return outcome.trustList;
    });
    let trustList: TrustList;
    try {
      trustList = await this.trust;
    } catch (error) {
      // An expired list may be retried with another `now`; an invalid one never becomes valid.
      if (error instanceof StatusSourceError && error.reason === 'TRUST_LIST_EXPIRED') this.trust = undefined;
      throw error;
    }
    if (now.getTime() >= (parseIsoTime(trustList.validUntil) ?? 0)) {
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

  private async fetchList(url: string): Promise<string | undefined> {
    const source = this.statusLists;
    if (typeof source === 'function') return source(url);
    return Object.prototype.hasOwnProperty.call(source, url) ? source[url] : undefined;
  }

  /** A verified list, from cache when the same JWT was verified for the same issuer before. */
  private async list(url: string, purpose: StatusPurpose, issuer: IssuerRecord, now: Date): Promise<VerifiedList | StatusLookup> {
    let jwt: string | undefined;
    try {
      jwt = await this.fetchList(url);
    } catch (error) {
      return { kind: 'unavailable', reason: 'STATUS_LIST_UNAVAILABLE', detail: `${url}: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (typeof jwt !== 'string') return { kind: 'unavailable', reason: 'STATUS_LIST_UNAVAILABLE', detail: url };
    const cacheKey = `${purpose} ${issuer.did} ${url}`;
    const cached = this.lists.get(cacheKey);
    let list: VerifiedList;
    if (cached && cached.jwt === jwt) {
      list = cached;
    } else {
      const outcome = await verifyStatusList(jwt, { issuer, url, purpose, now });
      if (!outcome.ok) return { kind: 'unavailable', reason: outcome.problem, detail: `${url}: ${outcome.detail}` };
      list = {
        jwt,
        bits: outcome.bits,
        validFrom: outcome.validFrom,
        validFromMs: parseIsoTime(outcome.validFrom) ?? 0,
        validUntilMs: outcome.validUntil === null ? undefined : parseIsoTime(outcome.validUntil),
      };
      this.lists.set(cacheKey, list);
    }
    if (list.validUntilMs !== undefined && now.getTime() >= list.validUntilMs) {
      return { kind: 'unavailable', reason: 'STATUS_LIST_STALE', detail: url };
    }
    return list;
  }

  async getStatus(request: StatusRequest): Promise<StatusLookup> {
    const entries = new Map<StatusPurpose, { url: string; index: number }>();
    for (const raw of request.credentialStatus) {
      if (raw === null || typeof raw !== 'object') continue;
      const entry = raw as Record<string, unknown>;
      if (entry.type !== 'BitstringStatusListEntry') continue;
      const purpose = entry.statusPurpose;
      if (typeof purpose !== 'string' || !(statusPurposes as readonly string[]).includes(purpose)) continue;
      if (typeof entry.statusListCredential !== 'string' || typeof entry.statusListIndex !== 'string' || !INDEX.test(entry.statusListIndex)) {
        return { kind: 'unavailable', reason: 'NO_STATUS_ENTRY', detail: `malformed ${purpose} entry` };
      }
      if (entries.has(purpose as StatusPurpose)) return { kind: 'unavailable', reason: 'NO_STATUS_ENTRY', detail: `two ${purpose} entries` };
      entries.set(purpose as StatusPurpose, { url: entry.statusListCredential, index: Number(entry.statusListIndex) });
    }
    // Revocation is required: without it nothing offline could say the credential was not revoked.
    if (!entries.has('revocation')) return { kind: 'unavailable', reason: 'NO_STATUS_ENTRY', detail: 'no revocation entry' };

    const results = await Promise.all(
      [...entries].map(async ([purpose, entry]) => ({ purpose, entry, list: await this.list(entry.url, purpose, request.issuer, request.now) })),
    );
    let state: CredentialState = 'ACTIVE';
    let oldest: VerifiedList | undefined;
    for (const { purpose, entry, list } of results) {
      if ('kind' in list) return list;
      if (entry.index >= list.bits.length) return { kind: 'unavailable', reason: 'STATUS_LIST_INVALID', detail: `index ${entry.index} outside ${entry.url}` };
      if (!oldest || list.validFromMs < oldest.validFromMs) oldest = list;
      if (list.bits.get(entry.index)) {
        if (purpose === 'revocation') state = 'REVOKED';
        else if (state !== 'REVOKED') state = 'SUSPENDED';
      }
    }
    return { kind: 'list', state, asOf: oldest?.validFrom ?? request.now.toISOString(), detail: `${results.length} status list(s)` };
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
