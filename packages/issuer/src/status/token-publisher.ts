/**
 * Regenerates an issuer's IETF Status List Tokens from ledger state, beside its Bitstring Status Lists
 * (publisher.ts) and from the same two sources: the index is the credential's revocation allocation
 * (the `status.status_list.idx` issuance wrote into each IETF-profile SD-JWT VC), the status is the
 * ledger record's. One token per revocation list, 2 bits per entry: 0x00 VALID, 0x01 INVALID (REVOKED),
 * 0x02 SUSPENDED, so one fetch answers both questions a Bitstring pair answers.
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-oauth-status-list/
 */
import { TokenStatusList, tokenStatusTypes, type CredentialRecord } from '@credledger/verify';
import {
  DEFAULT_STATUS_LIST_SIZE,
  signStatusListToken,
  type ListSigningKey,
  type StatusAllocation,
} from '@credledger/verify/formats';

import { DEFAULT_STATUS_LIST_TTL_MS } from './publisher.js';
import { tokenStatusListUrl } from './entry.js';

/** Default `ttl` of a token: a consumer that caches it fetches a fresh one after an hour. */
export const DEFAULT_STATUS_LIST_TOKEN_CACHE_SECONDS = 3600;

export interface PublishTokenStatusListsInput {
  readonly issuerDid: string;
  /** Base URL the tokens are served under (the one issuance wrote into `status.status_list.uri`). */
  readonly baseUrl: string;
  /** The issuer's credential records as read from the ledger. Records of other issuers are ignored. */
  readonly records: readonly CredentialRecord[];
  /** Revocation allocations: credential id → list and index (from the allocator's store). */
  readonly allocations: ReadonlyMap<string, StatusAllocation>;
  /** Issue time of the tokens (`iat`: the time the ledger was read). */
  readonly now: Date;
  /** Lifetime (`exp` − `iat`); default 48 h, as for the Bitstring Status Lists. */
  readonly ttlMs?: number;
  /** `ttl` claim in seconds; default 3600. */
  readonly cacheSeconds?: number;
  /** Entries per token; the allocator's list size (default 131,072). */
  readonly listSize?: number;
  /** The issuer's current signing key. */
  readonly key: ListSigningKey;
}

export interface PublishedTokenStatusList {
  /** The token's URI (`sub`), where it is served. */
  readonly url: string;
  readonly list: number;
  /** The signed Status List Token (`statuslist+jwt`). */
  readonly jwt: string;
  /** Entries that are INVALID (revoked) and SUSPENDED in this token. */
  readonly revoked: number;
  readonly suspended: number;
}

/**
 * Builds and signs every Status List Token of an issuer: token 0 always (a verifier of a fresh issuer
 * needs it), and one more for every further revocation list that holds an allocation.
 * Fails: whatever `key.signer` throws; RangeError on an allocation outside the list size (corrupt store).
 *
 * @example
 * const allocations = await allocator.allocations(did, 'revocation');
 * const records = await readCredentialRecords(registry, allocations.keys());
 * const { lists } = await publishTokenStatusLists({ issuerDid: did, baseUrl, records, allocations, now: new Date(), key });
 */
export async function publishTokenStatusLists(
  input: PublishTokenStatusListsInput,
): Promise<{ readonly lists: readonly PublishedTokenStatusList[] }> {
  const size = input.listSize ?? DEFAULT_STATUS_LIST_SIZE;
  const issuedAt = new Date(input.now.getTime());
  const expiresAt = new Date(input.now.getTime() + (input.ttlMs ?? DEFAULT_STATUS_LIST_TTL_MS));
  const tokens = new Map<number, { list: TokenStatusList; revoked: number; suspended: number }>();
  const token = (list: number): { list: TokenStatusList; revoked: number; suspended: number } => {
    let found = tokens.get(list);
    if (!found) tokens.set(list, (found = { list: TokenStatusList.valid(2, size), revoked: 0, suspended: 0 }));
    return found;
  };
  token(0);
  for (const allocation of input.allocations.values()) token(allocation.list);
  for (const record of input.records) {
    if (record.issuerDid !== input.issuerDid) continue;
    const allocation = input.allocations.get(record.id);
    if (!allocation) continue; // publishStatusLists reports unallocated records
    const target = token(allocation.list);
    if (record.status === 'REVOKED') {
      target.list.set(allocation.index, tokenStatusTypes.INVALID);
      target.revoked++;
    } else if (record.status === 'SUSPENDED') {
      target.list.set(allocation.index, tokenStatusTypes.SUSPENDED);
      target.suspended++;
    }
  }
  const lists: PublishedTokenStatusList[] = [];
  for (const [list, { list: statusList, revoked, suspended }] of [...tokens].sort((a, b) => a[0] - b[0])) {
    const url = tokenStatusListUrl(input.baseUrl, input.issuerDid, list);
    const jwt = await signStatusListToken(
      {
        issuerDid: input.issuerDid,
        uri: url,
        list: statusList,
        issuedAt,
        expiresAt,
        ttlSeconds: input.cacheSeconds ?? DEFAULT_STATUS_LIST_TOKEN_CACHE_SECONDS,
      },
      input.key,
    );
    lists.push({ url, list, jwt, revoked, suspended });
  }
  return { lists };
}
