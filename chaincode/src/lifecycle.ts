/**
 * The status machines of credentials and issuers, as data: which transitions exist and which
 * reasons fit each. Pure functions, so the same rules can be read, tested and documented here.
 */
import type { CredentialStatus, IssuerStatus, ReasonCode } from './records';

/**
 * Reasons that fit each credential transition. `SUSPENSION_LIFTED` is only for SUSPENDED → ACTIVE
 * (docs/data-model.md); suspension is temporary by nature, revocation is final.
 */
export const credentialTransitions: Readonly<
  Record<CredentialStatus, Partial<Record<CredentialStatus, readonly ReasonCode[]>>>
> = {
  ACTIVE: {
    SUSPENDED: ['DISCIPLINARY_SUSPENSION', 'COURT_ORDER', 'KEY_COMPROMISE'],
    REVOKED: [
      'DISBARMENT',
      'SURRENDERED',
      'DECEASED',
      'ISSUED_IN_ERROR',
      'KEY_COMPROMISE',
      'SUPERSEDED',
      'COURT_ORDER',
    ],
  },
  SUSPENDED: {
    ACTIVE: ['SUSPENSION_LIFTED', 'COURT_ORDER'],
    REVOKED: [
      'DISBARMENT',
      'SURRENDERED',
      'DECEASED',
      'ISSUED_IN_ERROR',
      'KEY_COMPROMISE',
      'SUPERSEDED',
      'COURT_ORDER',
    ],
  },
  // Terminal: a revoked credential is never reinstated; the issuer issues a new one instead.
  REVOKED: {},
};

/** The reasons allowed for `from → to`, or undefined when there is no such transition. */
export function reasonsFor(from: CredentialStatus, to: CredentialStatus): readonly ReasonCode[] | undefined {
  return credentialTransitions[from][to];
}

/**
 * Issuer status transitions: ACTIVE ⇄ SUSPENDED, either → DEACTIVATED (terminal). A suspended issuer
 * anchors nothing new; a deactivated one is closed for good (its keys may still be retired or marked
 * compromised, so verifiers learn about it).
 */
export const issuerTransitions: Readonly<Record<IssuerStatus, readonly IssuerStatus[]>> = {
  ACTIVE: ['SUSPENDED', 'DEACTIVATED'],
  SUSPENDED: ['ACTIVE', 'DEACTIVATED'],
  DEACTIVATED: [],
};

/** Is a key with this validity window usable for signing new credentials at `at`? Instants are stored ISO strings. */
export function isKeyActive(
  key: { validFrom: string; validUntil: string | null; compromisedSince: string | null },
  at: string,
): boolean {
  return key.compromisedSince === null && key.validFrom <= at && (key.validUntil === null || at < key.validUntil);
}
