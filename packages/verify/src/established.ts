/**
 * What a verification established, for whoever shows it to a person (the CLI, the verifier page, a
 * bank's screen): which checks ran, which check the verdict rests on, and whether the credential's
 * claims may be shown as facts. One rule for every verifier: docs/decisions/0007-what-a-verifier-shows.md.
 */
import type { Check, CheckName, VerificationResult } from './pipeline.js';

/**
 * How a credential's claims (issuer name, subject fields, validity period) may be shown:
 * - `facts`: the registered issuer signed exactly these bytes, no ledger record contradicts them, and
 *   they conform to their type;
 * - `flagged`: the issuer signed them, but they break their type's rules (or this verifier does not
 *   know the type): shown only under a warning, with hidden characters escaped;
 * - `unverified`: not established as the issuer's (the signature failed, was never checked, or is by a
 *   compromised key, or the ledger anchors other content under the id): never shown as facts;
 * - `none`: nothing could be read.
 */
export type ClaimsStanding = 'facts' | 'flagged' | 'unverified' | 'none';

export interface Established {
  /** The checks that ran, in pipeline order. */
  readonly ran: readonly Check[];
  /** The checks that did not run (`NOT_CHECKED`), in pipeline order. */
  readonly notRun: readonly CheckName[];
  /** The check the verdict rests on: the one to show as "why". Absent for VALID. */
  readonly decisive?: Check;
  readonly claims: ClaimsStanding;
}

const mismatch = (check: Check | undefined): boolean =>
  check?.result === 'fail' && (check.reason === 'DIGEST_MISMATCH' || check.reason === 'RECORD_MISMATCH');

/** The check a verdict rests on. */
function decisiveCheck(result: VerificationResult): Check | undefined {
  const find = (name: CheckName): Check | undefined => result.checks.find((c) => c.name === name);
  switch (result.verdict) {
    case 'VALID':
      return undefined;
    case 'MALFORMED':
      return find('decode');
    case 'UNKNOWN_ISSUER':
      return find('issuer');
    case 'WRONG_TYPE_FOR_ISSUER':
      return find('credential-type');
    case 'TAMPERED': {
      const signature = find('signature');
      return signature?.result === 'fail' ? signature : find('anchor');
    }
    case 'REVOKED':
    case 'SUSPENDED':
      return find('status');
    case 'EXPIRED':
    case 'NOT_YET_VALID':
      return find('validity');
    case 'INVALID_CLAIMS':
      return find('claims');
    case 'UNVERIFIABLE':
      // The first check that neither passed nor was benignly skipped (offline: no ledger read).
      return result.checks.find(
        (c) => c.result !== 'pass' && c.reason !== 'NOT_CHECKED' && c.reason !== 'LEDGER_NOT_CONSULTED',
      );
  }
}

/**
 * Sorts a verification result into what was established and what may be shown.
 * @param result what `verifyCredential` returned
 * @example
 * const { claims, decisive, notRun } = established(result);
 * if (claims === 'facts') showFields(result.credential);
 */
export function established(result: VerificationResult): Established {
  const ran = result.checks.filter((c) => c.reason !== 'NOT_CHECKED');
  const notRun = result.checks.filter((c) => c.reason === 'NOT_CHECKED').map((c) => c.name);
  const find = (name: CheckName): Check | undefined => result.checks.find((c) => c.name === name);
  const decode = find('decode');
  const signature = find('signature');
  const claimsCheck = find('claims');
  let claims: ClaimsStanding;
  if (decode?.result !== 'pass' || !result.credential) claims = 'none';
  else if (signature?.result !== 'pass' || mismatch(find('anchor'))) claims = 'unverified';
  else claims = claimsCheck?.result === 'pass' ? 'facts' : 'flagged';
  const decisive = decisiveCheck(result);
  return { ran, notRun, claims, ...(decisive ? { decisive } : {}) };
}
