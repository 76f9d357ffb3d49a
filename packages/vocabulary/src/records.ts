/**
 * What the chaincode stores, as fixed in docs/data-model.md. Stored as JSON with recursively
 * sorted keys (the chaincode's state.ts). Only identifiers, digests, types, issuer DIDs, times and
 * status: never a credential body or anything about a person. Types only: the chaincode writes these
 * records, the ledger clients read them.
 */
import type { ReasonCode } from './reason-codes.js';
import type { CredentialStatus, IssuerStatus } from './statuses.js';

/** Registry-wide settings written once by `Init`. Key: composite `config` + `registry`. */
export interface RegistryConfig {
  /** MSP ids whose `governance-admin` identities manage the issuer registry. */
  governanceMspIds: string[];
}

/** An issuer's display name in Traditional Chinese and English. */
export interface IssuerName {
  'zh-TW': string;
  en: string;
}

/** A public key as JWK: P-256 for ES256, Ed25519 for EdDSA. Private members are refused on input. */
export type PublicKeyJwk =
  { kty: 'EC'; crv: 'P-256'; x: string; y: string } | { kty: 'OKP'; crv: 'Ed25519'; x: string };

/**
 * One signing key of an issuer. A key signs new credentials while `validFrom <= t < validUntil`
 * and it is not compromised. Retiring keeps older credentials verifiable; `compromisedSince`
 * tells verifiers that signatures from that instant on are not to be trusted.
 */
export interface IssuerKey {
  /** Full DID URL, `<issuer did>#<fragment>`; the `kid` of the credentials it signs. */
  kid: string;
  publicKeyJwk: PublicKeyJwk;
  validFrom: string;
  validUntil: string | null;
  compromisedSince: string | null;
}

/** IssuerRecord, key: composite `issuer` + DID. Written only by governance admins. */
export interface IssuerRecord {
  did: string;
  /** The MSP whose issuer operators may anchor and change this issuer's credentials. */
  mspId: string;
  name: IssuerName;
  credentialTypes: string[];
  keys: IssuerKey[];
  status: IssuerStatus;
  registeredAt: string;
  updatedAt: string;
}

/** CredentialRecord, key: composite `credential` + id. Written only by the issuer's own operators. */
export interface CredentialRecord {
  /** `urn:uuid:<uuid>`, the credential's `id` / `jti`. */
  id: string;
  issuerDid: string;
  type: string;
  /** Lowercase hex SHA-256 of the compact JWS. */
  digest: string;
  kid: string;
  validFrom: string;
  validUntil: string | null;
  status: CredentialStatus;
  reason: ReasonCode | null;
  anchoredAt: string;
  updatedAt: string;
  /** MSP id of the organisation whose operator made this version; key history thereby shows who acted. */
  updatedByMspId: string;
  /**
   * Digest of (issuer, type, subject identifier) that makes this credential the one ACTIVE credential
   * for its subject (see `SubjectHolderRecord`); null when its type names no subject identifier.
   * Records anchored before this member existed read back as null.
   */
  subjectDigest: string | null;
  /** The credential this one replaced (revoked with reason SUPERSEDED in the same transaction), or null. */
  supersedes: string | null;
  /** The credential that replaced this one (set when this one was revoked with reason SUPERSEDED), or null. */
  supersededBy: string | null;
}

/**
 * SubjectHolderRecord, key: composite `subject-holder` + issuer DID + subject digest. Names the credential
 * that holds a subject for its issuer and type: ACTIVE or SUSPENDED (a suspended licence still holds
 * its subject, so a new credential cannot sidestep the suspension). Revoking the holder sets null;
 * superseding it names the successor. The subject identifier itself (a licence number, a 統一編號) is
 * never stored: only the digest the client computed over issuer, type and identifier.
 */
export interface SubjectHolderRecord {
  credentialId: string | null;
}
