/**
 * Ledger record shapes as docs/data-model.md fixes them, seen from the verifier. They are declared
 * here (structurally identical to the chaincode's `IssuerRecord` / `CredentialRecord`) so the
 * browser-safe entry never imports the chaincode package; their statuses are @credledger/vocabulary's.
 */
import { isCredentialStatus, isIssuerStatus, type CredentialStatus, type IssuerStatus } from '@credledger/vocabulary';

export type { IssuerStatus };

/** A public key registered for an issuer, with its validity window. */
export interface IssuerKeyRecord {
  /** Full DID URL, `did:web:moj.gov.tw#key-1`. */
  readonly kid: string;
  readonly publicKeyJwk: JsonWebKey;
  /** ISO time the key became usable. */
  readonly validFrom: string;
  /** ISO time the key was retired (credentials signed before stay valid); null while in use. */
  readonly validUntil: string | null;
  /** ISO time from which the key must be treated as stolen; null if never compromised. */
  readonly compromisedSince: string | null;
}

/** `IssuerRecord` of data-model.md (what a verifier reads of it). */
export interface IssuerRecord {
  readonly did: string;
  readonly mspId?: string;
  readonly name: { readonly 'zh-TW': string; readonly en: string };
  readonly credentialTypes: readonly string[];
  readonly keys: readonly IssuerKeyRecord[];
  readonly status: IssuerStatus;
  readonly registeredAt?: string;
  readonly updatedAt?: string;
}

/** A credential's status on the ledger (the vocabulary's `CredentialStatus`). */
export type CredentialState = CredentialStatus;

/** `CredentialRecord` of data-model.md. */
export interface CredentialRecord {
  readonly id: string;
  readonly issuerDid: string;
  readonly type: string;
  /** Lowercase hex SHA-256 of the compact JWS as ASCII. */
  readonly digest: string;
  readonly kid: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly status: CredentialState;
  readonly reason: string | null;
  /** Transaction timestamp of the anchoring transaction. */
  readonly anchoredAt: string;
  readonly updatedAt: string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds of a strict ISO 8601 date-time with zone, or undefined (no `Date` guessing on odd input). */
export function parseIsoTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isTimeOrNull = (value: unknown): boolean => value === null || parseIsoTime(value) !== undefined;

function parseKey(value: unknown): IssuerKeyRecord | undefined {
  if (!isObject(value) || typeof value.kid !== 'string' || !isObject(value.publicKeyJwk)) return undefined;
  if (
    parseIsoTime(value.validFrom) === undefined ||
    !isTimeOrNull(value.validUntil ?? null) ||
    !isTimeOrNull(value.compromisedSince ?? null)
  ) {
    return undefined;
  }
  return {
    kid: value.kid,
    publicKeyJwk: value.publicKeyJwk,
    validFrom: value.validFrom as string,
    validUntil: (value.validUntil ?? null) as string | null,
    compromisedSince: (value.compromisedSince ?? null) as string | null,
  };
}

/**
 * Checks that untrusted JSON (an HTTP answer, a trust list entry) is an IssuerRecord; returns a copy
 * holding only the known fields, or undefined.
 */
export function parseIssuerRecord(value: unknown): IssuerRecord | undefined {
  if (!isObject(value) || typeof value.did !== 'string' || !isObject(value.name)) return undefined;
  const name = value.name;
  if (typeof name['zh-TW'] !== 'string' || typeof name.en !== 'string') return undefined;
  if (!Array.isArray(value.credentialTypes) || !value.credentialTypes.every((t) => typeof t === 'string'))
    return undefined;
  if (!Array.isArray(value.keys)) return undefined;
  const keys: IssuerKeyRecord[] = [];
  for (const raw of value.keys) {
    const key = parseKey(raw);
    if (!key) return undefined;
    keys.push(key);
  }
  if (!isIssuerStatus(value.status)) return undefined;
  return {
    did: value.did,
    name: { 'zh-TW': name['zh-TW'], en: name.en },
    credentialTypes: [...value.credentialTypes],
    keys,
    status: value.status,
    ...(typeof value.updatedAt === 'string' ? { updatedAt: value.updatedAt } : {}),
  };
}

/** Checks that untrusted JSON is a CredentialRecord; returns a copy of the known fields, or undefined. */
export function parseCredentialRecord(value: unknown): CredentialRecord | undefined {
  if (!isObject(value)) return undefined;
  const { id, issuerDid, type, digest, kid, status, reason } = value;
  if (typeof id !== 'string' || typeof issuerDid !== 'string' || typeof type !== 'string' || typeof kid !== 'string')
    return undefined;
  if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) return undefined;
  if (!isCredentialStatus(status)) return undefined;
  if (reason !== null && reason !== undefined && typeof reason !== 'string') return undefined;
  if (parseIsoTime(value.anchoredAt) === undefined || parseIsoTime(value.updatedAt) === undefined) return undefined;
  if (parseIsoTime(value.validFrom) === undefined || !isTimeOrNull(value.validUntil ?? null)) return undefined;
  return {
    id,
    issuerDid,
    type,
    digest,
    kid,
    validFrom: value.validFrom as string,
    validUntil: (value.validUntil ?? null) as string | null,
    status,
    reason: reason ?? null,
    anchoredAt: value.anchoredAt as string,
    updatedAt: value.updatedAt as string,
  };
}
