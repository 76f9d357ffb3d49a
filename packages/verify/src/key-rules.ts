/**
 * Key rotation rules: which registered key may vouch for a credential.
 *
 * - The key must belong to the issuer: the kid's DID is the credential's `iss`, and the kid is in the
 *   issuer's registered keys.
 * - It must have been valid when the credential was issued. Retired keys (`validUntil` set) keep the
 *   credentials they signed before retirement valid.
 * - A key marked compromised vouches only for credentials whose LEDGER anchor time is before
 *   `compromisedSince`. The credential's own `iat` is never used for this: a thief can backdate it.
 *   Without an anchor time (offline: trust list + status list only) such a credential is unverifiable,
 *   because a forgery made with the stolen key has no ledger record and an unset status bit.
 */
import { parseIsoTime, type IssuerKeyRecord, type IssuerRecord } from './records.js';

export type KeyRuleReason =
  | 'KEY_VALID_AT_ISSUANCE'
  | 'KID_NOT_OF_ISSUER'
  | 'KEY_NOT_FOUND'
  | 'KEY_NOT_YET_VALID_AT_ISSUANCE'
  | 'KEY_RETIRED_AT_ISSUANCE'
  | 'KEY_COMPROMISED_BEFORE_ANCHOR'
  | 'KEY_COMPROMISED_NOT_ANCHORED';

export interface KeyRuleResult {
  /** pass: use `key`; fail: the key must not vouch; unknown: cannot tell without a ledger anchor. */
  readonly result: 'pass' | 'fail' | 'unknown';
  readonly reason: KeyRuleReason;
  readonly key?: IssuerKeyRecord;
  /** Which time the window was checked against. */
  readonly issuanceTimeSource?: 'anchor' | 'iat';
}

/** Tolerated difference between an issuer's clock and the ledger's. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The DID part of a DID URL (`did:web:a#k` → `did:web:a`). */
export function didOfKid(kid: string): string {
  const hash = kid.indexOf('#');
  return hash < 0 ? kid : kid.slice(0, hash);
}

/**
 * Applies the rotation rules. `anchoredAt` is the ledger record's anchor time (ms) when a ledger
 * record was found, `issuedAt` the credential's own `iat` (ms), used only for windows of keys that
 * were never compromised.
 */
export function selectIssuerKey(
  issuer: IssuerRecord,
  kid: string,
  times: { readonly anchoredAt: number | undefined; readonly issuedAt: number | undefined },
): KeyRuleResult {
  if (didOfKid(kid) !== issuer.did || !kid.startsWith(issuer.did + '#'))
    return { result: 'fail', reason: 'KID_NOT_OF_ISSUER' };
  const key = issuer.keys.find((k) => k.kid === kid);
  if (!key) return { result: 'fail', reason: 'KEY_NOT_FOUND' };

  const compromisedSince = parseIsoTime(key.compromisedSince);
  if (key.compromisedSince !== null) {
    if (times.anchoredAt === undefined) return { result: 'unknown', reason: 'KEY_COMPROMISED_NOT_ANCHORED', key };
    // An unparseable compromise time is treated as "compromised since forever".
    if (compromisedSince === undefined || times.anchoredAt >= compromisedSince) {
      return { result: 'fail', reason: 'KEY_COMPROMISED_BEFORE_ANCHOR', key, issuanceTimeSource: 'anchor' };
    }
  }

  const source = times.anchoredAt !== undefined ? 'anchor' : 'iat';
  const at = times.anchoredAt ?? times.issuedAt;
  // No issuance time at all (no anchor, no iat): only the window's existence can be checked.
  if (at !== undefined) {
    const from = parseIsoTime(key.validFrom);
    const until = key.validUntil === null ? undefined : parseIsoTime(key.validUntil);
    // The iat comes from the issuer's clock, the key's validFrom from the ledger's: allow some skew.
    const skew = source === 'iat' ? CLOCK_SKEW_MS : 0;
    if (from === undefined || at + skew < from)
      return { result: 'fail', reason: 'KEY_NOT_YET_VALID_AT_ISSUANCE', key, issuanceTimeSource: source };
    if (key.validUntil !== null && (until === undefined || at >= until)) {
      return { result: 'fail', reason: 'KEY_RETIRED_AT_ISSUANCE', key, issuanceTimeSource: source };
    }
  }
  return { result: 'pass', reason: 'KEY_VALID_AT_ISSUANCE', key, issuanceTimeSource: source };
}
