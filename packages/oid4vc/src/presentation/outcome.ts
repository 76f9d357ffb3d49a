/**
 * What a verifier learns from one presentation: a verdict, its reasons, and the requested claims the
 * holder disclosed — nothing else the credential holds, and no claim unless the issuer's signature over
 * it is established (docs/decisions/0007-what-a-verifier-shows.md). The verdict is `@credledger/verify`'s,
 * or NOT_AS_REQUESTED when a genuine credential does not answer the request.
 */
import {
  established,
  type CheckReason,
  type CredentialState,
  type VerificationResult,
  type Verdict,
} from '@credledger/verify';

import type { WalletProfile } from '../issuance/offer-store.js';

/** Why a response does not answer its request, whatever the credential in it. */
export type AnswerFailure =
  /** The protocol library could not read the response (no `vp_token`, not JSON, a JARM response). */
  | 'RESPONSE_MALFORMED'
  /**
   * The `vp_token` does not hold exactly one presentation for the query's credential id; for a TW DIW
   * request, its `presentation_submission` does not map one `vc+sd-jwt` of the definition's descriptor to it.
   */
  | 'PRESENTATION_NOT_AS_QUERIED'
  /** A credential of another type than the one asked for. */
  | 'CREDENTIAL_TYPE_NOT_REQUESTED'
  /**
   * Not the SD-JWT VC profile asked for: a `vc+jwt`, or the other profile's SD-JWT (Taiwan's `vc+sd-jwt`
   * for an IETF request, an IETF `dc+sd-jwt` for a TW DIW one).
   */
  | 'FORMAT_NOT_REQUESTED'
  /** No key-binding JWT: anyone holding a copy could have sent it. */
  | 'KEY_BINDING_MISSING'
  /** A claim asked for was not disclosed. */
  | 'CLAIM_NOT_DISCLOSED'
  /** The caller's verification function threw. */
  | 'VERIFICATION_FAILED'
  /**
   * The wallet answered `access_denied`: the holder declined, or the wallet holds no credential that
   * answers the request (OpenID4VP does not let a verifier tell the two apart).
   */
  | 'WALLET_DECLINED'
  /** The wallet answered with another OAuth error (e.g. `invalid_request`, `vp_formats_not_supported`). */
  | 'WALLET_ERROR';

/**
 * What an answer comes to: verify's verdict of the credential shown; NOT_AS_REQUESTED when a genuine
 * credential does not answer the request; DECLINED when the wallet answered with an error instead of a
 * presentation (nothing was shown, and nothing is wrong with anyone's credential).
 */
export type PresentationVerdict = Verdict | 'NOT_AS_REQUESTED' | 'DECLINED';
export type PresentationReason = CheckReason | AnswerFailure;

export interface PresentationOutcome {
  readonly verdict: PresentationVerdict;
  /** Empty for VALID; else why, the reason the verdict rests on first. */
  readonly reasons: readonly PresentationReason[];
  /** The requested claims, only when established as the issuer's; the rest were never kept. */
  readonly claims: Readonly<Record<string, unknown>>;
  /**
   * Type, issuer and validity, when established as the issuer's (the name from the registry, never the
   * credential): what every presentation shows whatever is disclosed.
   */
  readonly credential?: {
    readonly type: string;
    readonly issuer: string;
    readonly issuerName?: { readonly 'zh-TW': string; readonly en: string };
    readonly validFrom: string;
    readonly validUntil: string | null;
  };
  /**
   * The credential's status, when established: for REVOKED and SUSPENDED, when it changed and the
   * issuer's reason code (the page words them as it words a scanned credential's verdict).
   */
  readonly status?: {
    readonly state: CredentialState;
    readonly reason: string | null;
    readonly changedAt: string | null;
  };
  /** When the response was received (ISO 8601). */
  readonly answeredAt: string;
}

/** An outcome without a credential to show. */
export function refusedOutcome(
  verdict: PresentationVerdict,
  reasons: readonly PresentationReason[],
  answeredAt: Date,
): PresentationOutcome {
  return { verdict, reasons, claims: {}, answeredAt: answeredAt.toISOString() };
}

/**
 * The outcome of a verified presentation for a request: verify's verdict, unless the issuer's claims are
 * established but do not answer the request (type, profile, key binding, every requested claim), which is
 * NOT_AS_REQUESTED. The same for both request languages: DCQL's claims and a Presentation Definition's
 * `$.type` and `$.credentialSubject.<claim>` fields are decided here, on the verified credential. Claims
 * disclosed beyond the request are dropped, not stored.
 */
export function outcomeOf(
  result: VerificationResult,
  request: { readonly credentialType: string; readonly claims: readonly string[]; readonly profile: WalletProfile },
  answeredAt: Date,
): PresentationOutcome {
  const { claims: standing, decisive } = established(result);
  const credential = standing === 'facts' ? result.credential : undefined;
  if (credential) {
    const mismatch: AnswerFailure[] = [];
    if (credential.type !== request.credentialType) mismatch.push('CREDENTIAL_TYPE_NOT_REQUESTED');
    const presentation = result.presentation;
    if (presentation?.profile !== request.profile) mismatch.push('FORMAT_NOT_REQUESTED');
    else {
      if (!presentation.keyBound) mismatch.push('KEY_BINDING_MISSING');
      if (request.claims.some((claim) => !presentation.disclosed.includes(claim))) mismatch.push('CLAIM_NOT_DISCLOSED');
    }
    if (mismatch.length > 0) return refusedOutcome('NOT_AS_REQUESTED', mismatch, answeredAt);
  }
  const reasons = new Set<PresentationReason>(decisive ? [decisive.reason] : []);
  for (const check of result.checks)
    if (check.result === 'fail' || (check.result === 'unknown' && !benignUnknown.has(check.reason)))
      reasons.add(check.reason);
  if (result.verdict === 'VALID') reasons.clear();
  return {
    verdict: result.verdict,
    reasons: [...reasons],
    claims: credential
      ? Object.fromEntries(
          request.claims
            .filter((claim) => claim in credential.subject)
            .map((claim) => [claim, credential.subject[claim]]),
        )
      : {},
    ...(credential
      ? {
          credential: {
            type: credential.type,
            issuer: credential.issuer,
            ...(credential.issuerName ? { issuerName: credential.issuerName } : {}),
            validFrom: credential.validFrom,
            validUntil: credential.validUntil,
          },
        }
      : {}),
    ...(credential && result.status
      ? {
          status: {
            state: result.status.state,
            reason: result.status.reason,
            changedAt: result.status.changedAt,
          },
        }
      : {}),
    answeredAt: answeredAt.toISOString(),
  };
}

/** Reasons of an unknown check that are not a problem: a check that did not run, a ledger not read offline. */
const benignUnknown: ReadonlySet<CheckReason> = new Set<CheckReason>(['NOT_CHECKED', 'LEDGER_NOT_CONSULTED']);
