/**
 * The signing and anchoring steps of a batch, built from the sdk's credential primitives and the
 * Registry: what `issueBatchResumable` (and single issuance, as a batch of one) calls.
 */
import { CredledgerError } from '../errors.js';
import { buildCredential } from '../credentials/credential.js';
import { decodeCredentialJwt } from '../credentials/decode.js';
import { credentialDigest } from '../credentials/digest.js';
import type { CredentialSubject } from '../credentials/schema.js';
import { signCredential } from '../credentials/sign.js';
import type { SignPool } from '../credentials/sign-pool.js';
import type { CredentialTypeDefinition } from '../credentials/types/definition.js';
import type { IssuerKey } from '../keys/issuer-key.js';
import type { Registry } from '../registry.js';
import type { StatusIndexAllocator } from '../status/allocator.js';
import { credentialStatusEntries } from '../status/entry.js';
import type { BatchIssuanceSteps } from './issuance-batch.js';

export interface SigningOptions {
  readonly type: CredentialTypeDefinition;
  readonly issuerDid: string;
  /** The issuer's current signing key (its `kid` must be registered and active on the ledger). */
  readonly key: IssuerKey;
  /** Hands out status list indexes; idempotent per credential id. */
  readonly allocator: StatusIndexAllocator;
  /** Where the issuer's status lists are published (`credentialStatus` URLs). */
  readonly statusBaseUrl: string;
  /** Start of validity; default the signing time. */
  readonly validFrom?: Date;
  /** End of validity; default `validFrom` + the type's default years; `null` for none. */
  readonly validUntil?: Date | null;
  /** Clock (tests); default `new Date()`. */
  readonly now?: () => Date;
  /**
   * Worker threads signing with the same key (`createSignPool`): large batches then sign on every core
   * while the main thread talks to the ledger. Without it, signing runs on the calling thread.
   */
  readonly pool?: SignPool;
}

function addYears(date: Date, years: number): Date {
  const copy = new Date(date.getTime());
  copy.setUTCFullYear(copy.getUTCFullYear() + years);
  return copy;
}

/**
 * Signs credentials of one type for one issuer: allocates status indexes, builds the VC payload and
 * signs it. Never touches the ledger.
 * Fails: SCHEMA_INVALID (dates), KEY_STORE_ERROR (key/alg mismatch).
 */
export function credentialSigner(options: SigningOptions): BatchIssuanceSteps['sign'] {
  return async (items) => {
    if (items.length === 0) return [];
    const ids = items.map((item) => item.id);
    const [revocation, suspension] = await Promise.all([
      options.allocator.allocate(options.issuerDid, 'revocation', ids),
      options.allocator.allocate(options.issuerDid, 'suspension', ids),
    ]);
    const issuedAt = (options.now ?? (() => new Date()))();
    const validFrom = options.validFrom ?? issuedAt;
    const years = options.type.defaultValidityYears;
    const validUntil = options.validUntil !== undefined ? options.validUntil : years === null ? null : addYears(validFrom, years);
    const signing = { alg: options.key.alg, kid: options.key.kid, privateKey: options.key.privateKey };
    const payloads = items.map((item, i) =>
      buildCredential({
        type: options.type.name,
        id: item.id,
        issuer: options.issuerDid,
        subject: item.subject as CredentialSubject,
        validFrom,
        validUntil,
        issuedAt,
        status: credentialStatusEntries(options.statusBaseUrl, options.issuerDid, { revocation: revocation[i]!, suspension: suspension[i]! }),
      }),
    );
    // The pool signs exactly the JSON text given, as signCredential's fast path does.
    if (options.pool && payloads.length > 1) return (await options.pool.sign(payloads.map((payload) => JSON.stringify(payload)))).map((signed) => signed.jwt);
    const jwts: string[] = [];
    for (const payload of payloads) jwts.push(await signCredential(payload, signing));
    return jwts;
  };
}

/** The ledger's anchor record of a signed credential: id, digest, type, kid and validity. */
export function anchorRecordOf(jwt: string): { id: string; digest: string; type: string; kid: string; validFrom: string; validUntil: string | null } {
  const { header, payload } = decodeCredentialJwt(jwt);
  const type = Array.isArray(payload.type) ? payload.type.find((t) => t !== 'VerifiableCredential') : undefined;
  if (typeof payload.id !== 'string' || typeof header.kid !== 'string' || typeof type !== 'string' || typeof payload.validFrom !== 'string') {
    throw new CredledgerError('CREDENTIAL_MALFORMED', 'the credential lacks id, kid, type or validFrom');
  }
  return {
    id: payload.id,
    digest: credentialDigest(jwt),
    type,
    kid: header.kid,
    validFrom: new Date(payload.validFrom).toISOString(),
    validUntil: typeof payload.validUntil === 'string' ? new Date(payload.validUntil).toISOString() : null,
  };
}

/**
 * Anchors signed credentials through the Registry, one transaction per call (≤ the chaincode's limit).
 * An identical re-anchor is a no-op on the ledger; the same id with another digest fails ID_CONFLICT.
 */
export function registryAnchor(registry: Registry, issuerDid: string): BatchIssuanceSteps['anchor'] {
  return async (jwts) => {
    const receipt = await registry.issueCredentials({ issuerDid, credentials: jwts.map(anchorRecordOf) });
    return { txId: receipt.txId };
  };
}
