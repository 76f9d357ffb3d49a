/**
 * The status machines of credentials and issuers, as data: which transitions exist and which
 * reasons fit each. The chaincode enforces them; the CLI offers reasons by them.
 */
import type { ReasonCode } from './reason-codes.js';
import type { CredentialStatus, IssuerStatus } from './statuses.js';

const revocationReasons = [
  'DISBARMENT',
  'SURRENDERED',
  'DECEASED',
  'ISSUED_IN_ERROR',
  'KEY_COMPROMISE',
  'SUPERSEDED',
  'COURT_ORDER',
] as const satisfies readonly ReasonCode[];

/**
 * Reasons that fit each credential transition. `SUSPENSION_LIFTED` is only for SUSPENDED → ACTIVE
 * (docs/data-model.md); suspension is temporary by nature, revocation is final.
 */
export const credentialTransitions: {
  readonly [From in CredentialStatus]: { readonly [To in CredentialStatus]?: readonly ReasonCode[] };
} = {
  ACTIVE: {
    SUSPENDED: ['DISCIPLINARY_SUSPENSION', 'COURT_ORDER', 'KEY_COMPROMISE'],
    REVOKED: revocationReasons,
  },
  SUSPENDED: {
    ACTIVE: ['SUSPENSION_LIFTED', 'COURT_ORDER'],
    REVOKED: revocationReasons,
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
export const issuerTransitions: { readonly [From in IssuerStatus]: readonly IssuerStatus[] } = {
  ACTIVE: ['SUSPENDED', 'DEACTIVATED'],
  SUSPENDED: ['ACTIVE', 'DEACTIVATED'],
  DEACTIVATED: [],
};
