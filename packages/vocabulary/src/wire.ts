/**
 * Shapes that cross the wire besides stored records: transaction requests (the one JSON argument
 * each transaction takes), transaction results (the JSON string each returns) and event payloads.
 */
import type { CredentialRecord, PublicKeyJwk, IssuerName } from './records.js';
import type { ReasonCode } from './reason-codes.js';
import type { CredentialStatus, IssuerStatus } from './statuses.js';

// ── Requests ────────────────────────────────────────────────────────────────────────────────

export interface InitRequest {
  governanceMspIds: string[];
}

/** A key to register. `validFrom` defaults to the transaction time; `validUntil` to none. */
export interface IssuerKeyRequest {
  kid: string;
  publicKeyJwk: PublicKeyJwk;
  validFrom?: string;
  validUntil?: string | null;
}

export interface RegisterIssuerRequest {
  did: string;
  mspId: string;
  name: IssuerName;
  credentialTypes: string[];
  keys: IssuerKeyRequest[];
}

export interface AddIssuerKeyRequest {
  did: string;
  key: IssuerKeyRequest;
}

/** `validUntil` defaults to the transaction time (retire now); it may not lie in the past. */
export interface RetireIssuerKeyRequest {
  did: string;
  kid: string;
  validUntil?: string;
}

/** `compromisedSince` may lie in the past (that is the point) but not in the future. */
export interface MarkIssuerKeyCompromisedRequest {
  did: string;
  kid: string;
  compromisedSince: string;
}

export interface SetIssuerStatusRequest {
  did: string;
  status: IssuerStatus;
}

export interface IssuerQuery {
  did: string;
}

/** `{}`: no filter yet. */
export type ListIssuersRequest = Record<string, never>;

/** One credential to anchor. The ledger keeps this and the status, nothing of the credential body. */
export interface AnchorRequest {
  id: string;
  digest: string;
  type: string;
  kid: string;
  validFrom: string;
  validUntil: string | null;
  /**
   * Lowercase hex SHA-256 over (issuer DID, type, subject identifier), domain-separated, as the sdk's
   * `subjectDigestOf` computes it; null for a type that names no subject identifier. At most one
   * credential per (issuer, subject digest) is ACTIVE or SUSPENDED at a time.
   */
  subjectDigest: string | null;
}

export interface IssueCredentialsRequest {
  issuerDid: string;
  credentials: AnchorRequest[];
  /**
   * When a subject already has an ACTIVE credential of this issuer and type: false (the default) refuses
   * with SUBJECT_HAS_ACTIVE_CREDENTIAL; true revokes it with reason SUPERSEDED in this transaction and
   * links the two (`supersedes` / `supersededBy`). A SUSPENDED holder is never superseded.
   */
  supersede?: boolean;
}

export interface StatusChangeRequest {
  id: string;
  status: CredentialStatus;
  reason: ReasonCode;
}

export type SetCredentialStatusRequest = StatusChangeRequest;

export interface SetCredentialStatusesRequest {
  issuerDid: string;
  changes: StatusChangeRequest[];
}

export interface CredentialQuery {
  id: string;
}

export interface VerifyDigestRequest {
  id: string;
  digest: string;
}

/** Which of these subject digests of one issuer are held, and by which credential. */
export interface SubjectHoldersRequest {
  issuerDid: string;
  /** 1..2000 distinct subject digests. */
  subjectDigests: string[];
}

export interface ListCredentialsByIssuerRequest {
  issuerDid: string;
  /** 1..1000, default 100. */
  pageSize?: number;
  /** From the previous page; absent or `''` for the first page. */
  bookmark?: string;
}

// ── Results ─────────────────────────────────────────────────────────────────────────────────

export interface IssueCredentialsResult {
  issuerDid: string;
  /** Ids anchored by this transaction. */
  anchored: string[];
  /** Ids already anchored with identical content (a safe retry): nothing written for them. */
  unchanged: string[];
  /** Credentials this transaction revoked with reason SUPERSEDED (`id`), each replaced by `by`. */
  superseded: Supersession[];
}

export interface Supersession {
  /** The credential revoked with reason SUPERSEDED. */
  id: string;
  /** The credential anchored in its place. */
  by: string;
}

/** A subject digest and the credential that holds it (ACTIVE or SUSPENDED). */
export interface SubjectHolder {
  subjectDigest: string;
  credentialId: string;
  status: CredentialStatus;
}

export interface SubjectHoldersResult {
  /** Only the digests that are held, in request order. */
  holders: SubjectHolder[];
}

export interface StatusChange {
  id: string;
  from: CredentialStatus;
  to: CredentialStatus;
  reason: ReasonCode;
}

export interface SetCredentialStatusResult {
  credential: CredentialRecord;
  /** `null` when the credential already had this status and reason (a safe retry). */
  change: StatusChange | null;
}

export interface SetCredentialStatusesResult {
  issuerDid: string;
  changed: StatusChange[];
  unchanged: string[];
}

export interface VerifyDigestResult {
  id: string;
  /** True when `digest` equals the anchored digest. */
  matches: boolean;
  credential: CredentialRecord;
}

/** One committed version of a credential, oldest first. */
export interface CredentialHistoryEntry {
  txId: string;
  /** The transaction timestamp of that version (its `updatedAt`). */
  time: string;
  status: CredentialStatus;
  reason: ReasonCode | null;
  /** MSP id of the organisation that acted. */
  mspId: string;
  /** The credential this one replaced, or null. */
  supersedes: string | null;
  /** The credential that replaced this one (from the version that revoked it as SUPERSEDED), or null. */
  supersededBy: string | null;
}

export interface CredentialHistory {
  id: string;
  entries: CredentialHistoryEntry[];
}

export interface CredentialPage {
  records: CredentialRecord[];
  /** Pass to get the next page; `''` when there is none. */
  bookmark: string;
}

// ── Events (one per transaction that changed something; payload UTF-8 JSON) ────────────────

export const eventNames = {
  issuerRegistered: 'IssuerRegistered',
  issuerUpdated: 'IssuerUpdated',
  credentialsIssued: 'CredentialsIssued',
  credentialStatusChanged: 'CredentialStatusChanged',
} as const;
export type EventName = (typeof eventNames)[keyof typeof eventNames];

export type IssuerChange = 'registered' | 'key-added' | 'key-retired' | 'key-compromised' | 'status';

export interface IssuerEventPayload {
  did: string;
  change: IssuerChange;
}

export interface CredentialsIssuedPayload {
  issuerDid: string;
  /** Only ids newly anchored by the transaction. */
  ids: string[];
  /**
   * Present only when the transaction superseded credentials: their revocations (to REVOKED, reason
   * SUPERSEDED), which share the transaction's one event, so status watchers must read them here too.
   */
  changes?: StatusChange[];
}

export interface CredentialStatusChangedPayload {
  issuerDid: string;
  changes: StatusChange[];
}
