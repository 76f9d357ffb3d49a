/**
 * The `credentialStatus` entries of an issued credential and the URLs of the lists they point to.
 * Issuance (writing entries) and the status list publisher (serving lists) both use these, so a
 * credential's `statusListCredential` is always where the list is published. Two W3C formats: the
 * Bitstring Status List (`vc+jwt` credentials) and Status List 2021 (TW DIW SD-JWT VCs), whose lists hold
 * the same bits at the same indices, each at its own URL. Browser-safe.
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistentry
 * @see https://www.w3.org/community/reports/credentials/CG-FINAL-vc-status-list-2021-20230102/#statuslist2021entry
 */
import type { StatusListFormat, StatusPurpose } from '@credledger/verify';
import type { StatusAllocation } from '@credledger/verify/formats';

/** A `BitstringStatusListEntry` as it appears in a credential (index as a decimal string). */
export interface BitstringStatusListEntry {
  readonly id: string;
  readonly type: 'BitstringStatusListEntry';
  readonly statusPurpose: StatusPurpose;
  readonly statusListIndex: string;
  readonly statusListCredential: string;
}

/** A `StatusList2021Entry`: the same members as a `BitstringStatusListEntry`, naming a Status List 2021 list. */
export interface StatusList2021Entry extends Omit<BitstringStatusListEntry, 'type'> {
  readonly type: 'StatusList2021Entry';
}

/** A `credentialStatus` entry of either W3C format. */
export type StatusListEntry = BitstringStatusListEntry | StatusList2021Entry;

/** Where an issuer's lists of a format live under `{base}/status/{slug}/`: Bitstring lists at the top, as ever. */
const formatFolders: Record<StatusListFormat, string> = { BitstringStatusList: '', StatusList2021: 'sl2021/' };

/**
 * URL-safe slug of an issuer DID for status list paths: `did:web:moj.gov.tw` → `moj.gov.tw`,
 * other methods keep their method name (`did:key:z…` → `key:z…`), percent-encoded.
 */
export function issuerSlug(issuerDid: string): string {
  const rest = issuerDid.startsWith('did:web:') ? issuerDid.slice('did:web:'.length) : issuerDid.replace(/^did:/, '');
  return encodeURIComponent(rest);
}

/**
 * URL of an issuer's status list: `{base}/status/{slug}/{purpose}` for list 0,
 * `{base}/status/{slug}/{purpose}/{n}` for later lists; a Status List 2021 list the same under
 * `{base}/status/{slug}/sl2021/`. `baseUrl` without a trailing slash is expected; one is removed if present.
 */
export function statusListUrl(
  baseUrl: string,
  issuerDid: string,
  purpose: StatusPurpose,
  list: number,
  format: StatusListFormat = 'BitstringStatusList',
): string {
  const base = baseUrl.replace(/\/+$/, '');
  const path = `${base}/status/${issuerSlug(issuerDid)}/${formatFolders[format]}${purpose}`;
  return list === 0 ? path : `${path}/${list}`;
}

/**
 * The list number `n` for which `statusListUrl(baseUrl, issuerDid, purpose, n)` is `url`, or undefined
 * when `url` is not one of that issuer's lists of that purpose under `baseUrl`: the one reading of the
 * URLs `statusListUrl` makes.
 */
export function statusListNumber(
  url: string,
  baseUrl: string,
  issuerDid: string,
  purpose: StatusPurpose,
  format: StatusListFormat = 'BitstringStatusList',
): number | undefined {
  const first = statusListUrl(baseUrl, issuerDid, purpose, 0, format);
  if (url === first) return 0;
  if (!url.startsWith(`${first}/`)) return undefined;
  const rest = url.slice(first.length + 1);
  if (!/^[1-9][0-9]*$/.test(rest)) return undefined;
  const list = Number(rest);
  return Number.isSafeInteger(list) ? list : undefined;
}

/**
 * URL of an issuer's IETF Status List Token (the `status.status_list.uri` of its IETF-profile SD-JWT
 * VCs): `{base}/status/{slug}/token` for list 0, `{base}/status/{slug}/token/{n}` for later lists. It
 * holds, at the credential's revocation index, the credential's status (VALID, INVALID, SUSPENDED).
 */
export function tokenStatusListUrl(baseUrl: string, issuerDid: string, list: number): string {
  const path = `${baseUrl.replace(/\/+$/, '')}/status/${issuerSlug(issuerDid)}/token`;
  return list === 0 ? path : `${path}/${list}`;
}

/** One `credentialStatus` entry for an allocation. */
export function statusListEntry(
  baseUrl: string,
  issuerDid: string,
  purpose: StatusPurpose,
  allocation: StatusAllocation,
): BitstringStatusListEntry {
  return entryOf(baseUrl, issuerDid, purpose, allocation, 'BitstringStatusList', 'BitstringStatusListEntry');
}

/** One `StatusList2021Entry` for an allocation: the same index, in the Status List 2021 list of that number. */
export function statusList2021Entry(
  baseUrl: string,
  issuerDid: string,
  purpose: StatusPurpose,
  allocation: StatusAllocation,
): StatusList2021Entry {
  return entryOf(baseUrl, issuerDid, purpose, allocation, 'StatusList2021', 'StatusList2021Entry');
}

/** An entry in the member order credentials have always had (the QR codec's template depends on it). */
function entryOf<T extends StatusListEntry['type']>(
  baseUrl: string,
  issuerDid: string,
  purpose: StatusPurpose,
  allocation: StatusAllocation,
  format: StatusListFormat,
  type: T,
): StatusListEntry & { readonly type: T } {
  const list = statusListUrl(baseUrl, issuerDid, purpose, allocation.list, format);
  return {
    id: `${list}#${allocation.index}`,
    type,
    statusPurpose: purpose,
    statusListIndex: String(allocation.index),
    statusListCredential: list,
  } as StatusListEntry & { readonly type: T };
}

/**
 * Both entries (revocation, then suspension) for a credential, as data-model.md shows them.
 *
 * @example
 * const [rev] = await allocator.allocate(iss, 'revocation', [id]);
 * const [sus] = await allocator.allocate(iss, 'suspension', [id]);
 * credential.credentialStatus = credentialStatusEntries('https://verify.gov.tw', iss, { revocation: rev!, suspension: sus! });
 */
export function credentialStatusEntries(
  baseUrl: string,
  issuerDid: string,
  allocations: { readonly revocation: StatusAllocation; readonly suspension: StatusAllocation },
): BitstringStatusListEntry[] {
  return [
    statusListEntry(baseUrl, issuerDid, 'revocation', allocations.revocation),
    statusListEntry(baseUrl, issuerDid, 'suspension', allocations.suspension),
  ];
}

/**
 * A writer of exactly `JSON.stringify(credentialStatusEntries(baseUrl, issuerDid, allocations))` for
 * many credentials of one issuer: each list's URL is escaped once, and no entry objects are made.
 */
export function credentialStatusJsonWriter(
  baseUrl: string,
  issuerDid: string,
): (allocations: { readonly revocation: StatusAllocation; readonly suspension: StatusAllocation }) => string {
  // The URL of each list seen, as it reads inside a JSON string; a batch touches one or two lists.
  const urls = new Map<string, string>();
  const entry = (purpose: StatusPurpose, allocation: StatusAllocation): string => {
    const key = `${purpose} ${allocation.list}`;
    let url = urls.get(key);
    if (url === undefined) {
      url = JSON.stringify(statusListUrl(baseUrl, issuerDid, purpose, allocation.list)).slice(1, -1);
      urls.set(key, url);
    }
    const index = String(allocation.index);
    return `{"id":"${url}#${index}","type":"BitstringStatusListEntry","statusPurpose":"${purpose}","statusListIndex":"${index}","statusListCredential":"${url}"}`;
  };
  return ({ revocation, suspension }) => `[${entry('revocation', revocation)},${entry('suspension', suspension)}]`;
}
