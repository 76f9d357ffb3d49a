/**
 * Status list vocabulary shared by issuance, publishing and verification. Browser-safe.
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistentry
 */

/** The two status purposes credledger publishes lists for. */
export const statusPurposes = ['revocation', 'suspension'] as const;
export type StatusPurpose = (typeof statusPurposes)[number];

/** Entries per list. The spec's minimum (16 KB uncompressed) gives every list a large herd. */
export const DEFAULT_STATUS_LIST_SIZE = 131_072;

/** Where a credential's bit sits: list number (0 first) and index in that list. */
export interface StatusAllocation {
  readonly list: number;
  readonly index: number;
}
