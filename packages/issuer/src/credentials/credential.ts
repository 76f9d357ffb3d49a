/**
 * The credential as data-model.md fixes it: a VC Data Model 2.0 credential secured as a `vc+jwt`
 * (VC-JOSE-COSE), whose JWT payload is the credential itself plus `iss/jti/iat/nbf/exp` mirrors.
 * Browser-safe. Property order is fixed here so every credential of a type serialises alike (the QR
 * codec's dictionary depends on it).
 * @see https://www.w3.org/TR/vc-data-model-2.0/
 * @see https://www.w3.org/TR/vc-jose-cose/#securing-with-jose
 */
import { CredledgerError } from '@credledger/verify';
import type { BitstringStatusListEntry } from '../status/entry.js';
import type { CredentialSubject } from '@credledger/verify';

export const credentialContexts = ['https://www.w3.org/ns/credentials/v2', 'https://credledger.org/ns/v1'] as const;

/** JOSE algorithms an issuer key may use: ES256 (P-256, default) or EdDSA (Ed25519). */
export type CredentialAlgorithm = 'ES256' | 'EdDSA';
export const credentialAlgorithms: readonly CredentialAlgorithm[] = ['ES256', 'EdDSA'];

export interface CredentialHeader {
  readonly alg: CredentialAlgorithm;
  readonly typ: 'vc+jwt';
  /** Full DID URL of the signing key, e.g. `did:web:moj.gov.tw#key-1`. */
  readonly kid: string;
}

/** The JWT payload of a credential, in its fixed property order. */
export interface CredentialPayload {
  readonly '@context': readonly string[];
  readonly type: readonly string[];
  readonly id: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly credentialSubject: CredentialSubject;
  readonly credentialStatus: readonly BitstringStatusListEntry[];
  readonly iss: string;
  readonly jti: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp?: number;
}

export interface BuildCredentialInput {
  /** Credential type name, e.g. `LawyerLicenceCredential`. */
  readonly type: string;
  /** `urn:uuid:<uuid>`. */
  readonly id: string;
  /** Issuer DID. */
  readonly issuer: string;
  /** A subject that `validateSubject` returned. */
  readonly subject: CredentialSubject;
  readonly validFrom: Date;
  /** `null`: no expiry. */
  readonly validUntil: Date | null;
  readonly issuedAt: Date;
  readonly status: readonly BitstringStatusListEntry[];
}

const uuidUrn = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** True for a lowercase `urn:uuid:` URN (RFC 9562), the only credential id form. */
export function isCredentialId(value: string): boolean {
  return uuidUrn.test(value);
}

/** A fresh credential id, `urn:uuid:<random v4 uuid>`. */
export function newCredentialId(): string {
  return `urn:uuid:${globalThis.crypto.randomUUID()}`;
}

/** Seconds since the epoch, truncating milliseconds (JWT NumericDate). */
export function toNumericDate(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** ISO 8601 UTC at second precision, `2026-11-26T00:00:00Z`, as the credential writes its dates. */
export function toCredentialTime(date: Date): string {
  return new Date(toNumericDate(date) * 1000).toISOString().replace('.000Z', 'Z');
}

function badInput(field: string, problem: string, message: string): never {
  throw new CredledgerError('SCHEMA_INVALID', message, { details: { field, problem } });
}

function checkDate(field: string, date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime()))
    badInput(field, 'invalid-date', `${field} is not a valid date`);
}

/** The protected header: `{ alg, typ: 'vc+jwt', kid }`. */
export function credentialHeader(alg: CredentialAlgorithm, kid: string): CredentialHeader {
  return { alg, typ: 'vc+jwt', kid };
}

/**
 * Builds the JWT payload of a credential in its fixed property order. Times are truncated to whole
 * seconds so that `validFrom`/`nbf` and `validUntil`/`exp` say exactly the same.
 * @throws CredledgerError SCHEMA_INVALID (`details.field` = `id`, `validFrom` or `validUntil`)
 */
export function buildCredential(input: BuildCredentialInput): CredentialPayload {
  if (!isCredentialId(input.id)) badInput('id', 'pattern', 'a credential id must be a lowercase urn:uuid:');
  checkDate('validFrom', input.validFrom);
  checkDate('issuedAt', input.issuedAt);
  if (input.validUntil !== null) {
    checkDate('validUntil', input.validUntil);
    if (toNumericDate(input.validUntil) <= toNumericDate(input.validFrom)) {
      badInput('validUntil', 'out-of-range', 'validUntil must be after validFrom');
    }
  }
  const nbf = toNumericDate(input.validFrom);
  const exp = input.validUntil === null ? undefined : toNumericDate(input.validUntil);
  // Optional members are left out rather than set to undefined, so the object's keys are exactly what JSON shows.
  return {
    '@context': [...credentialContexts],
    type: ['VerifiableCredential', input.type],
    id: input.id,
    issuer: input.issuer,
    validFrom: toCredentialTime(input.validFrom),
    ...(input.validUntil === null ? {} : { validUntil: toCredentialTime(input.validUntil) }),
    credentialSubject: input.subject,
    credentialStatus: input.status,
    iss: input.issuer,
    jti: input.id,
    iat: toNumericDate(input.issuedAt),
    nbf,
    ...(exp === undefined ? {} : { exp }),
  };
}

/** The parts of a credential that every credential of one issuance call shares. */
export type CredentialCommon = Omit<BuildCredentialInput, 'id' | 'subject' | 'status'>;
