/**
 * Where the verifier learns who the issuers are and what a credential's status is. One interface,
 * three sources: the ledger (through the SDK's Registry, Node only), the HTTP API of
 * `credledger serve` (fetch), and offline a signed trust list plus signed Bitstring Status Lists and
 * IETF Status List Tokens.
 */
import type { KeyCache } from './jws.js';
import type { CredentialRecord, CredentialState, IssuerRecord } from './records.js';

/** What a source knows of an issuer DID. */
export interface IssuerLookup {
  /** The registered issuer, or undefined when the DID is not registered. */
  readonly issuer: IssuerRecord | undefined;
  /** ISO time the answer reflects (ledger read time, or the trust list's issue time). */
  readonly asOf: string;
}

/** What the pipeline hands a source to look up one credential's status. */
export interface StatusRequest {
  /** Credential id (`urn:uuid:…`). */
  readonly id: string;
  /** The issuer as the same source returned it. */
  readonly issuer: IssuerRecord;
  /**
   * The credential's `credentialStatus` entries, as found in the (signature-checked later) payload; for
   * an IETF SD-JWT VC, its `status` claim (`{ status_list: { idx, uri } }`).
   */
  readonly credentialStatus: readonly unknown[];
  /** Verification time. */
  readonly now: Date;
}

/** A status answer. */
export type StatusLookup =
  /** From the ledger: the anchored record, or null when the ledger has no record of this id. */
  | { readonly kind: 'record'; readonly record: CredentialRecord | null; readonly asOf: string }
  /** From signed status lists (no ledger, so no digest or anchor time). */
  | {
      readonly kind: 'list';
      readonly state: CredentialState;
      /** ISO time the oldest list consulted was issued: how fresh this status is. */
      readonly asOf: string;
      readonly detail?: string;
    }
  /** The source could not say (list missing, invalid or stale). */
  | {
      readonly kind: 'unavailable';
      readonly reason: StatusUnavailableReason | SourceFailureReason;
      readonly detail?: string;
    };

export type StatusUnavailableReason =
  | 'STATUS_SOURCE_UNAVAILABLE'
  | 'NO_STATUS_ENTRY'
  | 'STATUS_LIST_UNAVAILABLE'
  | 'STATUS_LIST_INVALID'
  | 'STATUS_LIST_STALE';

/** Why a source cannot answer at all; the pipeline turns it into an `unknown` check. */
export type SourceFailureReason = 'STATUS_SOURCE_UNAVAILABLE' | 'TRUST_LIST_INVALID' | 'TRUST_LIST_EXPIRED';

/** Thrown by a source that cannot answer (network down, bad trust list); never escapes `verifyCredential`. */
export class StatusSourceError extends Error {
  override readonly name = 'StatusSourceError';
  constructor(
    readonly reason: SourceFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The interface every status source implements.
 *
 * `kind` tells the pipeline what the answers mean: `ledger` and `http` are live reads of the registry
 * (authoritative, carry anchor records); `offline` answers from signed snapshots (no anchor time).
 */
export interface StatusSource {
  readonly kind: 'ledger' | 'http' | 'offline';
  /**
   * The issuer keys imported for verifications against this source, kept as long as the source: the
   * keys are those of the issuers it answers for. Every built-in source has its own; without one (and
   * without `VerifyOptions.keys`) each verification imports the keys it needs.
   */
  readonly keys?: KeyCache;
  /** Looks up an issuer as of `now`. Fails: StatusSourceError when the source cannot answer. */
  getIssuer(did: string, now: Date): Promise<IssuerLookup>;
  /** Looks up a credential's status. Fails: StatusSourceError when the source cannot answer. */
  getStatus(request: StatusRequest): Promise<StatusLookup>;
}
