/**
 * Regenerates an issuer's signed status lists from ledger state, in either W3C format: Bitstring Status
 * Lists (named by `vc+jwt` credentials) or Status List 2021 lists (named by TW DIW SD-JWT VCs). Both hold
 * the same bits at the same indices; only the list credential's types, context and `encodedList`
 * encoding differ, and each format has its own URLs.
 *
 * Where the indexes come from: the status index allocator's store (`allocator.allocations(issuer,
 * purpose)`), which issuance wrote while signing. The ledger stores no index; the signed credential's
 * own `credentialStatus[].statusListIndex` holds the same number, so a lost store can be rebuilt from
 * the issued credentials. Where the status comes from: the ledger's credential records (the only
 * authority). A REVOKED record sets its revocation bit; a SUSPENDED record sets its suspension bit.
 */
import { isCredledgerError, Bitstring, type StatusListFormat, type StatusPurpose } from '@credledger/verify';
import type { CredentialRecord } from '@credledger/verify';
import { statusListUrl } from './entry.js';
import {
  signStatusList,
  type ListSigningKey,
  DEFAULT_STATUS_LIST_SIZE,
  statusPurposes,
  type StatusAllocation,
} from '@credledger/verify/formats';

/** Default lifetime of a published list: verifiers call an older one stale (UNVERIFIABLE). */
export const DEFAULT_STATUS_LIST_TTL_MS = 48 * 60 * 60 * 1000;

export interface PublishStatusListsInput {
  readonly issuerDid: string;
  /** Base URL the lists are served under (the same one issuance wrote into `statusListCredential`). */
  readonly baseUrl: string;
  /** The issuer's credential records as read from the ledger. Records of other issuers are ignored. */
  readonly records: readonly CredentialRecord[];
  /** Allocations per purpose: credential id → list and index (from the allocator's store). */
  readonly allocations: Readonly<Record<StatusPurpose, ReadonlyMap<string, StatusAllocation>>>;
  /** Issue time of the lists (the time the ledger was read). */
  readonly now: Date;
  /** Lifetime; default 48 h. */
  readonly ttlMs?: number;
  readonly listSize?: number;
  /** The issuer's current signing key. */
  readonly key: ListSigningKey;
  /** Which lists to sign: `BitstringStatusList` (the default) or `StatusList2021`. */
  readonly format?: StatusListFormat;
}

export interface PublishedStatusList {
  readonly url: string;
  readonly format: StatusListFormat;
  readonly purpose: StatusPurpose;
  readonly list: number;
  /** The signed `BitstringStatusListCredential` or `StatusList2021Credential` (`vc+jwt`) to serve at `url`. */
  readonly jwt: string;
  /** Bits set (revoked or suspended credentials) in this list. */
  readonly set: number;
}

export interface PublishResult {
  readonly lists: readonly PublishedStatusList[];
  /** Ledger records with no allocation for a purpose (their status cannot be published): `purpose id`. */
  readonly unallocated: readonly string[];
}

/**
 * Builds and signs every status list of an issuer in one format: list 0 of both purposes always (a
 * verifier of a fresh issuer needs them), and every further list that holds an allocation.
 * Fails: whatever `key.signer` throws; RangeError on an allocation outside the list size (corrupt store).
 *
 * @example
 * const allocations = { revocation: await allocator.allocations(did, 'revocation'), suspension: await allocator.allocations(did, 'suspension') };
 * const records = await readCredentialRecords(registry, [...allocations.revocation.keys()]);
 * const { lists } = await publishStatusLists({ issuerDid: did, baseUrl, records, allocations, now: new Date(), key });
 * const tw = await publishStatusLists({ issuerDid: did, baseUrl, records, allocations, now, key, format: 'StatusList2021' });
 */
export async function publishStatusLists(input: PublishStatusListsInput): Promise<PublishResult> {
  const size = input.listSize ?? DEFAULT_STATUS_LIST_SIZE;
  const ttl = input.ttlMs ?? DEFAULT_STATUS_LIST_TTL_MS;
  const format = input.format ?? 'BitstringStatusList';
  const validFrom = new Date(input.now.getTime());
  const validUntil = new Date(input.now.getTime() + ttl);
  const lists: PublishedStatusList[] = [];
  const unallocated: string[] = [];

  for (const purpose of statusPurposes) {
    const allocations = input.allocations[purpose];
    const bitstrings = new Map<number, { bits: Bitstring; set: number }>([
      [0, { bits: Bitstring.zeros(size), set: 0 }],
    ]);
    for (const allocation of allocations.values()) {
      if (!bitstrings.has(allocation.list)) bitstrings.set(allocation.list, { bits: Bitstring.zeros(size), set: 0 });
    }
    const flagged = purpose === 'revocation' ? 'REVOKED' : 'SUSPENDED';
    for (const record of input.records) {
      if (record.issuerDid !== input.issuerDid) continue;
      const allocation = allocations.get(record.id);
      if (!allocation) {
        unallocated.push(`${purpose} ${record.id}`);
        continue;
      }
      if (record.status !== flagged) continue;
      const target = bitstrings.get(allocation.list);
      if (!target) continue;
      target.bits.set(allocation.index);
      target.set++;
    }
    for (const [list, { bits, set }] of [...bitstrings].sort((a, b) => a[0] - b[0])) {
      const url = statusListUrl(input.baseUrl, input.issuerDid, purpose, list, format);
      const jwt = await signStatusList(
        { issuerDid: input.issuerDid, url, purpose, bits, validFrom, validUntil, format },
        input.key,
      );
      lists.push({ url, format, purpose, list, jwt, set });
    }
  }
  return { lists, unallocated };
}

/**
 * Reads the ledger records of the given credential ids (ids from the allocator's store); ids the
 * ledger does not know (an issuance that never committed) are skipped.
 * Fails: whatever the registry throws other than CREDENTIAL_NOT_FOUND.
 */
export async function readCredentialRecords(
  registry: { getCredential(id: string): Promise<CredentialRecord | null | undefined> },
  ids: Iterable<string>,
): Promise<CredentialRecord[]> {
  const records: CredentialRecord[] = [];
  for (const id of ids) {
    try {
      const record = await registry.getCredential(id);
      if (record) records.push(record);
    } catch (error) {
      if (!isCredledgerError(error, 'CREDENTIAL_NOT_FOUND')) throw error;
    }
  }
  return records;
}
