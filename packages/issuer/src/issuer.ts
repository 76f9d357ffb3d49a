/**
 * Issuance orchestration for one issuer key: validate → sign → anchor on the ledger, and status
 * changes (revoke, suspend, reinstate).
 *
 * Retries are exact. The ledger treats an identical re-anchor (same id, same digest) as a no-op, but
 * an ECDSA signature differs on every signing, so a credential must never be signed twice. Callers
 * that must survive a crash keep what was signed (the `onSigned` hook runs, and is awaited, before the
 * ledger sees a chunk) and hand it back on the retry (`signed`): those JWTs are anchored again as they
 * are, and only the rest is signed. `signCredentials` and `anchorCredentials` expose the two steps
 * separately for a journal that drives them itself (packages/issuer/src/batch).
 */
import type { KeyObject } from 'node:crypto';
import type { AnchorRequest, CredentialStatus, ReasonCode, StatusChange, Supersession } from '@credledger/vocabulary';
import {
  CredledgerError,
  isCredledgerError,
  subjectValidator,
  type CredentialSubject,
  getCredentialType,
} from '@credledger/verify';
import { encodeJwsPart, signBytes, signEncodedJws, signEncodedJwsWith } from './credentials/compact-jws.js';
import { base64urlPayloads, credentialPayloadEncoder, type EncodedPayloads } from './credentials/payload-encoder.js';
import {
  credentialHeader,
  isCredentialId,
  newCredentialId,
  type CredentialAlgorithm,
} from './credentials/credential.js';
import { decodeCredentialJwt } from './credentials/decode.js';
import { issueSdJwtCredential, isSdJwt, readSdJwtCredential, type SdJwtOptions } from './credentials/sd-jwt.js';
import { subjectDigestOf, subjectDigester } from './credentials/subject-digest.js';
import { createSignPool, type SignedPayload, type SignPool } from './credentials/sign-pool.js';
import { keyAlgorithm, type CredentialSigner } from './credentials/sign.js';
import type { CredentialTypeDefinition } from '@credledger/verify';
import { canonicalJwsSignature, isLowS, type StatusAllocation } from '@credledger/verify/formats';
import { credentialDigest, type Registry } from '@credledger/ledger';
import type { StatusIndexAllocator } from './status/allocator.js';
import { credentialStatusEntries, credentialStatusJsonWriter } from './status/entry.js';

/** Most credentials the chaincode anchors (or re-statuses) in one transaction. */
export const maxAnchorBatch = 2000;

/** What the issuer needs of the ledger: the three writes of `Registry`, and the subject holder read. */
export type IssuerRegistry = Pick<
  Registry,
  'issueCredentials' | 'setCredentialStatus' | 'setCredentialStatuses' | 'getSubjectHolders'
>;

/** The signing key: a private key in this process (fast, multi-core), or a `credentialSigner` (HSM/KMS). */
export type IssuerSigningKey =
  | { readonly kid: string; readonly privateKey: KeyObject; readonly alg?: CredentialAlgorithm }
  | { readonly kid: string; readonly alg: CredentialAlgorithm; readonly credentialSigner: CredentialSigner };

export interface IssuerConfig {
  readonly registry: IssuerRegistry;
  /** The issuer's DID; `key.kid` must be one of its keys (`<did>#<fragment>`). */
  readonly issuerDid: string;
  /** An `IssuerKey` from `generateIssuerKey` / `readIssuerKeyFile` fits as is. */
  readonly key: IssuerSigningKey;
  /** Where status list indexes come from; shared, not owned: `close()` leaves it open for its creator to close. */
  readonly statusAllocator: StatusIndexAllocator;
  /** Base URL the status lists are published under (`<base>/status/<issuer>/<purpose>`). */
  readonly statusBaseUrl: string;
  /** Signing worker threads for batches; default: one per core. 0 signs on the main thread. */
  readonly workers?: number;
  /**
   * A signing pool of this key shared with other issuers of the same process (the caller closes it);
   * default: the issuer starts its own on the first large batch.
   */
  readonly signPool?: SignPool;
  /** Anchor transactions in flight at once; default 3 (one committing, the next endorsed and queued). */
  readonly anchorConcurrency?: number;
  /** Credentials per anchor transaction, 1..2000; default 2000. */
  readonly anchorBatchSize?: number;
  /** Clock (tests pass a fixed one); default the system clock. */
  readonly now?: () => Date;
}

/** Validity of issued credentials; defaults: from now, until now + the type's default validity. */
export interface ValidityOptions {
  readonly validFrom?: Date;
  /** `null` for no expiry. */
  readonly validUntil?: Date | null;
  /**
   * Issues even when `validUntil` is already past at issuance (a record of a licence that has ended,
   * issued on purpose). Without it such a credential is refused: SCHEMA_INVALID, `details.problem`
   * `expired-at-issuance`.
   */
  readonly allowExpired?: boolean;
}

/** What to do when a subject already has an ACTIVE credential of this issuer and type. */
export interface SupersedeOption {
  /**
   * false (default): refuse with SUBJECT_HAS_ACTIVE_CREDENTIAL before anything is signed. true: issue,
   * and revoke the existing credential with reason SUPERSEDED in the same transaction, the two linked
   * on the ledger (`supersedes` / `supersededBy`). A SUSPENDED one is never superseded (INVALID_TRANSITION).
   */
  readonly supersede?: boolean;
}

/** The credential format: a `vc+jwt` (default), or an SD-JWT VC for wallets. */
export interface FormatOption {
  /**
   * Issue as an SD-JWT VC of this profile (every subject claim selectively disclosable), optionally bound
   * to the holder's key. The issuer-signed JWT is anchored as a `vc+jwt` is; `jwt` is then the whole
   * SD-JWT (`<issuer-signed JWT>~<disclosure>~…~`). See docs/wallet.md.
   */
  readonly sdJwt?: SdJwtOptions;
}

export interface IssueOptions extends ValidityOptions, SupersedeOption, FormatOption {
  /** A pre-assigned id (`urn:uuid:…`); default a fresh one. */
  readonly id?: string;
}

/** An issued (signed and, unless said otherwise, anchored) credential. */
export interface IssuedCredential {
  readonly id: string;
  readonly jwt: string;
  /** The ledger anchor: hex SHA-256 of `jwt` (of an SD-JWT: of its issuer-signed JWT). */
  readonly digest: string;
  /** The credential this issuance superseded (now REVOKED, reason SUPERSEDED); absent when none. */
  readonly supersedes?: string;
}

/** A subject that another credential of the issuer and type already holds on the ledger. */
export interface SubjectConflict {
  /** Position of the subject in the batch. */
  readonly index: number;
  /** The credential holding the subject. */
  readonly credentialId: string;
  /** ACTIVE or SUSPENDED (a revoked credential holds nothing). */
  readonly status: CredentialStatus;
}

export interface IssueBatchProgress {
  readonly phase: 'signed' | 'anchored';
  /** Credentials that have completed `phase`. */
  readonly done: number;
  readonly total: number;
}

export interface IssueBatchOptions extends ValidityOptions, SupersedeOption, FormatOption {
  /** Pre-assigned ids, one per subject (a journal assigns them before anything is signed). */
  readonly ids?: readonly string[];
  /** JWTs signed by an earlier attempt, by id: anchored again unchanged instead of being signed anew. */
  readonly signed?: ReadonlyMap<string, string>;
  /** Awaited after each chunk is signed and before it is anchored: the place to journal JWTs durably. */
  readonly onSigned?: (credentials: readonly IssuedCredential[]) => void | Promise<void>;
  /** Awaited after each anchor transaction committed; `superseded` lists the credentials it revoked as SUPERSEDED. */
  readonly onAnchored?: (
    credentials: readonly IssuedCredential[],
    receipt: { readonly txId: string; readonly superseded: readonly Supersession[] },
  ) => void | Promise<void>;
  readonly onProgress?: (progress: IssueBatchProgress) => void;
  /**
   * What `findSubjectConflicts` answered for these very subjects and ids, read by the caller just before
   * (a bulk issuance that showed its operator every conflict first): the batch is refused by it instead
   * of by a second read of the same holders. The ledger still refuses, when a chunk is anchored, a
   * subject taken since.
   */
  readonly knownConflicts?: readonly SubjectConflict[];
}

/** What `anchorCredentials` did in one transaction. */
export interface AnchorResult {
  readonly txId: string;
  /** Ids newly anchored. */
  readonly anchored: readonly string[];
  /** Ids that were already anchored identically (a retry). */
  readonly unchanged: readonly string[];
  /** Credentials revoked with reason SUPERSEDED by this transaction, each with its successor. */
  readonly superseded: readonly Supersession[];
}

/** The outcome of a status change: changes made, and ids already in the requested state. */
export interface StatusChangeResult {
  readonly changed: readonly StatusChange[];
  readonly unchanged: readonly string[];
}

export interface Issuer extends AsyncDisposable {
  readonly issuerDid: string;
  readonly kid: string;
  readonly alg: CredentialAlgorithm;
  /**
   * Validates, signs and anchors one credential. Refuses a subject that already has an ACTIVE (or
   * SUSPENDED) credential of this issuer and type unless `supersede` is set.
   * @throws CredledgerError SCHEMA_INVALID, UNKNOWN_CREDENTIAL_TYPE, SUBJECT_HAS_ACTIVE_CREDENTIAL; ledger codes (TYPE_NOT_ALLOWED, KEY_NOT_ACTIVE, ID_CONFLICT, …)
   */
  issue(type: string, subject: unknown, options?: IssueOptions): Promise<IssuedCredential>;
  /**
   * Validates every subject and checks the ledger for subjects that already have a credential of this
   * issuer and type (nothing is signed if one fails), signs on all cores and anchors in transactions of
   * up to 2,000 with several in flight. Returns the credentials in subject order.
   * @throws CredledgerError SCHEMA_INVALID (`details.index` = the subject's position), INVALID_INPUT (ids;
   * two subjects with one identifier: `details.index`, `details.otherIndex`), SUBJECT_HAS_ACTIVE_CREDENTIAL
   * (`details.conflicts`: {@link SubjectConflict}s, `details.count`), INVALID_TRANSITION (superseding a
   * suspended credential), ledger codes
   */
  issueBatch(type: string, subjects: readonly unknown[], options?: IssueBatchOptions): Promise<IssuedCredential[]>;
  /**
   * Validates and signs without touching the ledger (for a journal that anchors itself).
   * @throws CredledgerError SCHEMA_INVALID, UNKNOWN_CREDENTIAL_TYPE, INVALID_INPUT
   */
  signCredentials(
    type: string,
    items: readonly { readonly id: string; readonly subject: unknown }[],
    options?: ValidityOptions & FormatOption,
  ): Promise<IssuedCredential[]>;
  /**
   * Anchors signed credentials of this issuer in one transaction (≤ 2,000); identical re-anchors are no-ops.
   * The ledger refuses subjects that already have a credential unless `supersede` is set.
   * @throws CredledgerError CREDENTIAL_MALFORMED, INVALID_INPUT (another issuer's or key's JWT, too many),
   * SUBJECT_HAS_ACTIVE_CREDENTIAL, ledger codes
   */
  anchorCredentials(jwts: readonly string[], options?: SupersedeOption): Promise<AnchorResult>;
  /** Revokes (terminal). @throws CredledgerError CREDENTIAL_NOT_FOUND, INVALID_TRANSITION, ACCESS_DENIED, … */
  revoke(ids: string | readonly string[], reason: ReasonCode): Promise<StatusChangeResult>;
  /** Suspends an active credential. @throws CredledgerError CREDENTIAL_NOT_FOUND, INVALID_TRANSITION, … */
  suspend(ids: string | readonly string[], reason: ReasonCode): Promise<StatusChangeResult>;
  /** Makes a suspended credential active again; reason default SUSPENSION_LIFTED. */
  reinstate(ids: string | readonly string[], reason?: ReasonCode): Promise<StatusChangeResult>;
  /** Stops the signing workers. */
  close(): Promise<void>;
}

/** Below this many credentials a batch signs on the main thread: starting workers costs more. */
const poolThreshold = 64;

/** Credentials handed to the signing pool at once while a chunk is written (the pool's own slice). */
const signSlice = 256;

interface Prepared extends IssuedCredential {
  readonly anchor: AnchorRequest;
}

function invalidInput(message: string, details: Record<string, unknown>): never {
  throw new CredledgerError('INVALID_INPUT', message, { details });
}

/**
 * The validity window of credentials of a type issued at `issuedAt`: from `validFrom` (default the
 * issuance time) until `validUntil` (default `validFrom` plus the type's default term; `null` for none).
 * @throws CredledgerError SCHEMA_INVALID (`details.field` `validUntil`, `details.problem`
 *   `expired-at-issuance`) when `validUntil` is not after `issuedAt` and `allowExpired` is not set
 */
export function resolveValidity(
  type: CredentialTypeDefinition,
  options: ValidityOptions,
  issuedAt: Date,
): { validFrom: Date; validUntil: Date | null; issuedAt: Date } {
  const validFrom = options.validFrom ?? issuedAt;
  const validUntil =
    options.validUntil !== undefined
      ? options.validUntil
      : type.defaultValidityYears === null
        ? null
        : addYears(validFrom, type.defaultValidityYears);
  if (validUntil !== null && validUntil.getTime() <= issuedAt.getTime() && options.allowExpired !== true) {
    const until = validUntil.toISOString();
    const now = issuedAt.toISOString();
    throw new CredledgerError(
      'SCHEMA_INVALID',
      `validUntil ${until} is already past at issuance (${now}): the credential would be expired when issued; allow it explicitly to issue it anyway`,
      {
        details: {
          field: 'validUntil',
          problem: 'expired-at-issuance',
          validUntil: until,
          issuedAt: now,
          localized: {
            'zh-TW': `失效時間 ${until} 早於核發時間 ${now}：憑證一核發即已過期；若確實要核發，須明確允許`,
            en: `validUntil ${until} is already past at issuance (${now}): the credential would be expired when issued; allow it explicitly to issue it anyway`,
          },
        },
      },
    );
  }
  return { validFrom, validUntil, issuedAt };
}

function addYears(date: Date, years: number): Date {
  const result = new Date(date.getTime());
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

/**
 * Whether a signed credential's subject is the expected one. An SD-JWT's disclosures come back in the
 * order of their digests, so its claims are compared whatever their order; a `vc+jwt` byte for byte.
 */
function sameSubject(signed: unknown, expected: CredentialSubject, anyOrder: boolean): boolean {
  const text = (value: unknown): string =>
    anyOrder && value !== null && typeof value === 'object' && !Array.isArray(value)
      ? JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
      : JSON.stringify(value);
  return text(signed) === text(expected);
}

/**
 * The ledger anchor of a signed credential: id, digest, type, kid, validity and subject digest, read
 * from the JWT (validity in whole seconds from `nbf`/`exp`, exactly as the credential states it; the
 * subject digest from `iss`, the type and `credentialSubject`). Does not check the signature or who
 * signed: `Issuer.anchorCredentials` does that for its own key.
 * @throws CredledgerError CREDENTIAL_MALFORMED, UNKNOWN_CREDENTIAL_TYPE
 */
export function anchorRequestOf(jwt: string): AnchorRequest {
  return anchorOfDecoded(jwt, decodeAnyCredential(jwt));
}

/** A `vc+jwt`, or an SD-JWT read as one (its issuer-signed JWT's header and signature, all claims disclosed). */
function decodeAnyCredential(jwt: string): ReturnType<typeof decodeCredentialJwt> {
  if (!isSdJwt(jwt)) return decodeCredentialJwt(jwt);
  const read = readSdJwtCredential(jwt);
  const signed = decodeCredentialJwt(read.issuerJwt);
  return { ...signed, header: read.header, payload: read.payload };
}

function anchorOfDecoded(
  jwt: string,
  { header, payload, signature }: ReturnType<typeof decodeCredentialJwt>,
): AnchorRequest {
  // A high-S ES256 signature is refused by every verifier (verify/low-s.ts): anchoring its digest
  // would record a credential that can only ever verify TAMPERED.
  if (header.alg === 'ES256' && !isLowS(signature))
    throw new CredledgerError('CREDENTIAL_MALFORMED', 'the ES256 signature is not canonical (s > n/2)');
  const types: unknown = payload.type;
  const type: unknown = Array.isArray(types) ? (types as unknown[])[1] : undefined;
  const id = payload.id;
  const subject: unknown = payload.credentialSubject;
  if (
    typeof id !== 'string' ||
    payload.jti !== id ||
    typeof type !== 'string' ||
    typeof payload.nbf !== 'number' ||
    typeof header.kid !== 'string' ||
    typeof payload.iss !== 'string' ||
    subject === null ||
    typeof subject !== 'object' ||
    Array.isArray(subject)
  ) {
    throw new CredledgerError(
      'CREDENTIAL_MALFORMED',
      'the credential lacks id, type, kid, issuer, subject or validity',
    );
  }
  return {
    id,
    // An SD-JWT is anchored by its issuer-signed JWT: disclosures and key binding vary per presentation.
    digest: credentialDigest(isSdJwt(jwt) ? jwt.slice(0, jwt.indexOf('~')) : jwt),
    type,
    kid: header.kid,
    validFrom: new Date(payload.nbf * 1000).toISOString(),
    validUntil: typeof payload.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : null,
    subjectDigest: subjectDigestOf(payload.iss, getCredentialType(type), subject as Record<string, unknown>),
  };
}

/**
 * The subjects among `subjects` that a credential of `issuerDid` and `type` already holds on the ledger
 * (ACTIVE or SUSPENDED), in subject order. A read made before signing, to refuse early and name every
 * duplicate; the ledger checks again when anchoring, where no race can slip past. `ids[i]`, when given,
 * is subject i's own credential id: a subject its own id holds (a resumed batch) is no conflict.
 * @throws CredledgerError ISSUER_NOT_FOUND, ledger codes
 * @example
 * const conflicts = await findSubjectConflicts(registry, 'did:web:moj.gov.tw', getCredentialType('LawyerLicenceCredential'), rows);
 */
export async function findSubjectConflicts(
  registry: Pick<Registry, 'getSubjectHolders'>,
  issuerDid: string,
  type: CredentialTypeDefinition,
  subjects: readonly Readonly<Record<string, unknown>>[],
  ids?: readonly string[],
): Promise<SubjectConflict[]> {
  return conflictsOf(registry, issuerDid, subjects.map(subjectDigester(issuerDid, type)), ids);
}

/** `findSubjectConflicts` over the subjects' digests (`subjectDigestOf`, null for none). */
async function conflictsOf(
  registry: Pick<Registry, 'getSubjectHolders'>,
  issuerDid: string,
  subjectDigests: readonly (string | null)[],
  ids?: readonly string[],
): Promise<SubjectConflict[]> {
  const positions = new Map<string, number>();
  subjectDigests.forEach((digest, index) => {
    // A repeated subject is the caller's to refuse; the first position stands for it here.
    if (digest !== null && !positions.has(digest)) positions.set(digest, index);
  });
  const conflicts: SubjectConflict[] = [];
  for (const chunk of chunksOf([...positions.keys()], maxAnchorBatch)) {
    for (const holder of await registry.getSubjectHolders(issuerDid, chunk)) {
      const index = positions.get(holder.subjectDigest);
      if (index === undefined || holder.credentialId === ids?.[index]) continue;
      conflicts.push({ index, credentialId: holder.credentialId, status: holder.status });
    }
  }
  return conflicts.sort((a, b) => a.index - b.index);
}

/** The first two positions of subjects with one identifier (by their digests), or undefined when all differ. */
function repeatedSubject(
  subjectDigests: readonly (string | null)[],
): { index: number; otherIndex: number } | undefined {
  const seen = new Map<string, number>();
  for (const [index, digest] of subjectDigests.entries()) {
    if (digest === null) continue;
    const otherIndex = seen.get(digest);
    if (otherIndex !== undefined) return { index, otherIndex };
    seen.set(digest, index);
  }
  return undefined;
}

function* chunksOf<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Creates the issuer for one DID and key.
 * @throws CredledgerError INVALID_INPUT (key not of this DID), KEY_STORE_ERROR (key type), CONFIG_INVALID (sizes)
 * @example
 * const net = await ledgers.embedded({ directory });
 * const issuer = createIssuer({
 *   registry: new Registry(net.connect('MojMSP/operator')),
 *   issuerDid: 'did:web:moj.gov.tw',
 *   key: await readIssuerKeyFile('moj-key-1.json', passphrase),
 *   statusAllocator, // await using statusAllocator = statusIndexAllocators.level('status-index')
 *   statusBaseUrl: 'https://verify.moj.gov.tw',
 * });
 * const { id, jwt } = await issuer.issue('LawyerLicenceCredential', subject);
 */
export function createIssuer(config: IssuerConfig): Issuer {
  const { registry, issuerDid, key, statusAllocator } = config;
  if (!key.kid.startsWith(`${issuerDid}#`))
    invalidInput(`key ${key.kid} is not a key of ${issuerDid}`, { kid: key.kid, issuerDid });
  const alg: CredentialAlgorithm = 'privateKey' in key ? keyAlgorithm(key.privateKey) : key.alg;
  if ('privateKey' in key && key.alg !== undefined && key.alg !== alg) {
    throw new CredledgerError('KEY_STORE_ERROR', `the key is ${alg}, not ${key.alg}`, { details: { kid: key.kid } });
  }
  const anchorBatchSize = config.anchorBatchSize ?? maxAnchorBatch;
  const anchorConcurrency = config.anchorConcurrency ?? 3;
  if (!Number.isInteger(anchorBatchSize) || anchorBatchSize < 1 || anchorBatchSize > maxAnchorBatch) {
    throw new CredledgerError('CONFIG_INVALID', `anchorBatchSize must be 1..${maxAnchorBatch}`);
  }
  if (!Number.isInteger(anchorConcurrency) || anchorConcurrency < 1)
    throw new CredledgerError('CONFIG_INVALID', 'anchorConcurrency must be ≥ 1');
  const now = config.now ?? (() => new Date());
  const encodedHeader = encodeJwsPart(credentialHeader(alg, key.kid));
  let pool: SignPool | undefined;

  /** The validity window and issuance time of one issuance call (every chunk of a batch shares them). */
  const validity = (
    type: CredentialTypeDefinition,
    options: ValidityOptions,
  ): { validFrom: Date; validUntil: Date | null; issuedAt: Date } => resolveValidity(type, options, now());

  /** The anchors of signed credentials of one type and validity window, given each one's subject digest. */
  const anchorWriter = (
    type: string,
    { validFrom, validUntil }: { validFrom: Date; validUntil: Date | null },
  ): ((credential: IssuedCredential, subjectDigest: string | null) => Prepared) => {
    // Whole seconds, exactly as the credential states them (validFrom/nbf, validUntil/exp).
    const from = new Date(Math.floor(validFrom.getTime() / 1000) * 1000).toISOString();
    const until = validUntil === null ? null : new Date(Math.floor(validUntil.getTime() / 1000) * 1000).toISOString();
    return ({ id, jwt, digest }, subjectDigest) => ({
      id,
      jwt,
      digest,
      anchor: { id, digest, type, kid: key.kid, subjectDigest, validFrom: from, validUntil: until },
    });
  };

  /** Checks ids: valid urn:uuid, no repeats. */
  const checkIds = (ids: readonly string[]): void => {
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      if (typeof id !== 'string' || !isCredentialId(id))
        invalidInput('a credential id must be a lowercase urn:uuid:', { index, id });
      if (seen.has(id)) invalidInput(`credential id ${id} appears twice`, { index, id });
      seen.add(id);
    });
  };

  /** Validates every subject first, naming the position of the first bad one. */
  const validateAll = (type: CredentialTypeDefinition, subjects: readonly unknown[]): CredentialSubject[] => {
    const validate = subjectValidator(type);
    return subjects.map((subject, index) => {
      try {
        return validate(subject);
      } catch (error) {
        if (!isCredledgerError(error, 'SCHEMA_INVALID')) throw error;
        const localized = error.details.localized as { 'zh-TW': string; en: string } | undefined;
        throw new CredledgerError('SCHEMA_INVALID', `subject ${index}: ${error.message}`, {
          cause: error,
          details: {
            ...error.details,
            index,
            ...(localized === undefined
              ? {}
              : {
                  localized: {
                    'zh-TW': `第 ${index} 筆：${localized['zh-TW']}`,
                    en: `subject ${index}: ${localized.en}`,
                  },
                }),
          },
        });
      }
    });
  };

  /** The signing pool for a chunk of `count` credentials, or undefined to sign on this thread. */
  const poolFor = (count: number, privateKey: KeyObject): SignPool | undefined => {
    if (config.signPool !== undefined) return count > 1 ? config.signPool : undefined;
    const workers = config.workers ?? undefined;
    if (count < poolThreshold || workers === 0) return undefined;
    pool ??= createSignPool({ privateKey, alg, kid: key.kid, ...(workers === undefined ? {} : { size: workers }) });
    return pool;
  };

  /**
   * Signs validated subjects with the given ids (statuses allocated here; idempotent per id): the
   * credentials' JWTs and digests, in order.
   */
  const signValidated = async (
    type: CredentialTypeDefinition,
    ids: readonly string[],
    subjects: readonly CredentialSubject[],
    { validFrom, validUntil, issuedAt }: { validFrom: Date; validUntil: Date | null; issuedAt: Date },
    sdJwt?: SdJwtOptions,
  ): Promise<IssuedCredential[]> => {
    if (ids.length === 0) return [];
    const [revocation, suspension] = await Promise.all([
      statusAllocator.allocate(issuerDid, 'revocation', ids),
      statusAllocator.allocate(issuerDid, 'suspension', ids),
    ]);
    if (sdJwt !== undefined)
      return signSdJwts(type, ids, subjects, { validFrom, validUntil, issuedAt }, sdJwt, revocation, suspension);
    const encode = credentialPayloadEncoder({ type: type.name, issuer: issuerDid, validFrom, validUntil, issuedAt });
    const statusJson = credentialStatusJsonWriter(config.statusBaseUrl, issuerDid);
    /** The payloads of credentials `from` to `to` (not included), as UTF-8 bytes. */
    const payloads = (from: number, to: number): EncodedPayloads =>
      encode(ids.slice(from, to), subjects.slice(from, to), (k) => {
        const id = ids[from + k];
        return statusJson({
          revocation: revocation[from + k] ?? invalidInput('status allocation missing', { id }),
          suspension: suspension[from + k] ?? invalidInput('status allocation missing', { id }),
        });
      });
    let signed: readonly { jwt: string; digest: string }[];
    if ('privateKey' in key) {
      const workers = poolFor(ids.length, key.privateKey);
      if (workers !== undefined) {
        // Handed to the workers a slice at a time as it is written, so they sign while the rest is written.
        const parts: Promise<SignedPayload[]>[] = [];
        for (let from = 0; from < ids.length; from += signSlice) {
          const part = workers.sign(payloads(from, Math.min(ids.length, from + signSlice)));
          // Observed here so that a slice abandoned when a later one cannot be written does not reject unhandled.
          part.catch(() => undefined);
          parts.push(part);
        }
        signed = (await Promise.all(parts)).flat();
      } else {
        signed = base64urlPayloads(payloads(0, ids.length)).map((payload) => {
          const jwt = signEncodedJws(encodedHeader, payload, alg, key.privateKey);
          return { jwt, digest: credentialDigest(jwt) };
        });
      }
    } else {
      // An external signer (HSM/KMS): its own latency bounds the rate, so every signature of the chunk
      // is asked for at once (a token queues them on its sessions).
      const signer = key.credentialSigner;
      signed = await Promise.all(
        base64urlPayloads(payloads(0, ids.length)).map(async (payload) => {
          const jwt = await signEncodedJwsWith(encodedHeader, payload, alg, signer);
          return { jwt, digest: credentialDigest(jwt) };
        }),
      );
    }
    return ids.map((id, i) => ({ id, jwt: signed[i]?.jwt ?? '', digest: signed[i]?.digest ?? '' }));
  };

  /** The issuer key as a signing function of the JWS signing input (a local key, or the credentialSigner). */
  const signingFunction = (input: string): Promise<string> =>
    'privateKey' in key
      ? Promise.resolve(signBytes(alg, key.privateKey, Buffer.from(input, 'ascii')).toString('base64url'))
      : Promise.resolve(key.credentialSigner(input)).then((signature) => {
          if (typeof signature !== 'string')
            throw new TypeError('a credential signer must resolve to a base64url signature');
          return canonicalJwsSignature(alg, signature);
        });

  /** Signs validated subjects as SD-JWT VCs (on this thread: wallet issuance is one credential at a time). */
  const signSdJwts = async (
    type: CredentialTypeDefinition,
    ids: readonly string[],
    subjects: readonly CredentialSubject[],
    window: { validFrom: Date; validUntil: Date | null; issuedAt: Date },
    sdJwt: SdJwtOptions,
    revocation: readonly StatusAllocation[],
    suspension: readonly StatusAllocation[],
  ): Promise<IssuedCredential[]> =>
    Promise.all(
      ids.map(async (id, i) => {
        const subject = subjects[i] ?? {};
        const jwt = await issueSdJwtCredential(
          {
            type: type.name,
            id,
            issuer: issuerDid,
            subject,
            ...window,
            status: credentialStatusEntries(config.statusBaseUrl, issuerDid, {
              revocation: revocation[i] ?? invalidInput('status allocation missing', { id }),
              suspension: suspension[i] ?? invalidInput('status allocation missing', { id }),
            }),
            options: sdJwt,
            baseUrl: config.statusBaseUrl,
          },
          { alg, kid: key.kid, sign: signingFunction },
        );
        return { id, jwt, digest: credentialDigest(jwt.slice(0, jwt.indexOf('~'))) };
      }),
    );

  /** Rebuilds the anchor of a JWT signed earlier, after checking it is this issuer's and key's. */
  const prepareSigned = (
    jwt: string,
    expected?: { id: string; type: string; subject: CredentialSubject },
  ): Prepared => {
    const decoded = decodeAnyCredential(jwt);
    const { header, payload } = decoded;
    if (payload.iss !== issuerDid || payload.issuer !== issuerDid || header.kid !== key.kid) {
      invalidInput('the credential was not signed by this issuer key', { id: payload.id, kid: header.kid });
    }
    const anchor = anchorOfDecoded(jwt, decoded);
    if (
      expected &&
      (expected.id !== anchor.id ||
        expected.type !== anchor.type ||
        !sameSubject(payload.credentialSubject, expected.subject, isSdJwt(jwt)))
    ) {
      invalidInput(`the credential signed earlier as ${expected.id} does not match this subject`, { id: expected.id });
    }
    return { id: anchor.id, jwt, digest: anchor.digest, anchor };
  };

  const anchorPrepared = async (credentials: readonly Prepared[], supersede: boolean): Promise<AnchorResult> => {
    const result = await registry.issueCredentials({
      issuerDid,
      credentials: credentials.map((c) => c.anchor),
      ...(supersede ? { supersede } : {}),
    });
    return {
      txId: result.txId,
      anchored: result.anchored,
      unchanged: result.unchanged,
      superseded: result.superseded,
    };
  };

  /**
   * Refuses, before anything is signed, a batch that names one subject twice or (unless superseding)
   * a subject that already has a credential of this issuer and type; superseding a suspended one neither.
   */
  const checkSubjects = async (
    type: CredentialTypeDefinition,
    subjects: readonly CredentialSubject[],
    subjectDigests: readonly (string | null)[],
    ids: readonly string[],
    supersede: boolean,
    known: readonly SubjectConflict[] | undefined,
  ): Promise<void> => {
    const repeated = repeatedSubject(subjectDigests);
    if (repeated) {
      invalidInput(
        `subjects ${repeated.otherIndex} and ${repeated.index} have the same subject identifier; one batch may issue one credential per subject`,
        { ...repeated },
      );
    }
    const conflicts = known ?? (await conflictsOf(registry, issuerDid, subjectDigests, ids));
    const blocking = supersede ? conflicts.filter((c) => c.status === 'SUSPENDED') : conflicts;
    const [first] = blocking;
    if (first === undefined) return;
    const details = { conflicts: blocking.slice(0, 100), count: blocking.length };
    const who = subjects.length === 1 ? 'the subject' : `subject ${first.index}`;
    const which = `${who} already has ${first.status} credential ${first.credentialId} (${type.name} of ${issuerDid})`;
    const more = blocking.length === 1 ? '' : `, and ${blocking.length - 1} more subjects have one too`;
    if (supersede) {
      throw new CredledgerError(
        'INVALID_TRANSITION',
        `${which}${more}; a suspended credential is not superseded (reinstate or revoke it first); nothing was signed`,
        { details },
      );
    }
    throw new CredledgerError('SUBJECT_HAS_ACTIVE_CREDENTIAL', `${which}${more}; nothing was signed`, { details });
  };

  const publicOf = (credential: Prepared, supersedes?: string): IssuedCredential => ({
    id: credential.id,
    jwt: credential.jwt,
    digest: credential.digest,
    ...(supersedes === undefined ? {} : { supersedes }),
  });

  const changeStatus = async (
    ids: string | readonly string[],
    status: CredentialStatus,
    reason: ReasonCode,
  ): Promise<StatusChangeResult> => {
    if (typeof ids === 'string') {
      const { change } = await registry.setCredentialStatus({ id: ids, status, reason });
      return change === null ? { changed: [], unchanged: [ids] } : { changed: [change], unchanged: [] };
    }
    checkIds(ids);
    const changed: StatusChange[] = [];
    const unchanged: string[] = [];
    // Sequential: each transaction is all or nothing, so on failure everything before it is done and
    // a retry of the whole list is safe (unchanged ids are no-ops).
    for (const chunk of chunksOf(ids, maxAnchorBatch)) {
      const result = await registry.setCredentialStatuses({
        issuerDid,
        changes: chunk.map((id) => ({ id, status, reason })),
      });
      changed.push(...result.changed);
      unchanged.push(...result.unchanged);
    }
    return { changed, unchanged };
  };

  const issuer: Issuer = {
    issuerDid,
    kid: key.kid,
    alg,

    async issue(typeName, subject, options = {}) {
      const [issued] = await issuer.issueBatch(typeName, [subject], {
        ...options,
        ...(options.id === undefined ? {} : { ids: [options.id] }),
      });
      if (!issued) throw new CredledgerError('CHAINCODE_ERROR', 'issuance returned nothing');
      return issued;
    },

    async issueBatch(typeName, subjects, options = {}) {
      const type = getCredentialType(typeName);
      const total = subjects.length;
      if (options.ids !== undefined && options.ids.length !== total) {
        invalidInput('ids must have one entry per subject', { ids: options.ids.length, subjects: total });
      }
      const ids = options.ids ?? subjects.map(() => newCredentialId());
      checkIds(ids);
      const validated = validateAll(type, subjects);
      const supersede = options.supersede === true;
      // Once per subject: the duplicate checks and the anchors use the same digests.
      const subjectDigests = validated.map(subjectDigester(issuerDid, type));
      await checkSubjects(type, validated, subjectDigests, ids, supersede, options.knownConflicts);
      const window = validity(type, options);
      const prepare = anchorWriter(type.name, window);
      /** Successor id → the credential it superseded, from the anchoring results. */
      const supersedes = new Map<string, string>();
      const results: (Prepared | undefined)[] = Array.from({ length: total }, () => undefined);

      // Credentials signed by an earlier attempt are anchored again exactly as they were signed.
      const fresh: number[] = [];
      ids.forEach((id, index) => {
        const jwt = options.signed?.get(id);
        if (jwt === undefined) fresh.push(index);
        else results[index] = prepareSigned(jwt, { id, type: type.name, subject: validated[index] ?? {} });
      });
      const reused = results.filter((r): r is Prepared => r !== undefined);

      let signedCount = reused.length;
      let anchoredCount = 0;
      const inFlight = new Set<Promise<void>>();
      let failure: { error: unknown } | undefined;
      const anchorChunk = (chunk: readonly Prepared[]): void => {
        const task = (async () => {
          const receipt = await anchorPrepared(chunk, supersede);
          for (const { id, by } of receipt.superseded) supersedes.set(by, id);
          const issued = chunk.map((credential) => publicOf(credential, supersedes.get(credential.id)));
          await options.onAnchored?.(issued, { txId: receipt.txId, superseded: receipt.superseded });
          anchoredCount += chunk.length;
          options.onProgress?.({ phase: 'anchored', done: anchoredCount, total });
        })().catch((error: unknown) => {
          failure ??= { error };
        });
        const tracked = task.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      };
      const waitForRoom = async (): Promise<void> => {
        while (inFlight.size >= anchorConcurrency) await Promise.race(inFlight);
      };

      try {
        if (reused.length > 0) options.onProgress?.({ phase: 'signed', done: signedCount, total });
        for (const chunk of chunksOf(reused, anchorBatchSize)) {
          await waitForRoom();
          if (failure) break;
          anchorChunk(chunk);
        }
        // Pipelined: chunk k+1 is built and queued at the signing workers while chunk k finishes
        // signing, and earlier chunks are being anchored.
        const freshChunks = [...chunksOf(fresh, anchorBatchSize)];
        const startChunk = (positions: readonly number[]): Promise<Prepared[]> => {
          const started = signValidated(
            type,
            positions.map((p) => ids[p] ?? ''),
            positions.map((p) => validated[p] ?? {}),
            window,
            options.sdJwt,
          ).then((signed) =>
            signed.map((credential, i) => prepare(credential, subjectDigests[positions[i] ?? 0] ?? null)),
          );
          // Observed here so that a chunk abandoned after a failure does not reject unhandled.
          started.catch(() => undefined);
          return started;
        };
        let next = freshChunks[0] === undefined ? undefined : startChunk(freshChunks[0]);
        for (let k = 0; k < freshChunks.length && next !== undefined; k++) {
          const positions = freshChunks[k] ?? [];
          const current: Promise<Prepared[]> = next;
          const following = freshChunks[k + 1];
          next = following === undefined || failure ? undefined : startChunk(following);
          const prepared = await current;
          prepared.forEach((credential, i) => (results[positions[i] ?? 0] = credential));
          // Durable before the ledger sees it: a retry re-anchors these exact JWTs.
          await options.onSigned?.(prepared.map((credential) => publicOf(credential)));
          signedCount += prepared.length;
          options.onProgress?.({ phase: 'signed', done: signedCount, total });
          await waitForRoom();
          if (failure) break;
          anchorChunk(prepared);
        }
      } catch (error) {
        failure ??= { error };
      }
      while (inFlight.size > 0) await Promise.race(inFlight);
      if (failure) throw failure.error;
      return results.map((credential) => {
        const prepared = credential as Prepared;
        return publicOf(prepared, supersedes.get(prepared.id));
      });
    },

    async signCredentials(typeName, items, options = {}) {
      const type = getCredentialType(typeName);
      const ids = items.map((item) => item.id);
      checkIds(ids);
      const validated = validateAll(
        type,
        items.map((item) => item.subject),
      );
      return signValidated(type, ids, validated, validity(type, options), options.sdJwt);
    },

    async anchorCredentials(jwts, options = {}) {
      if (jwts.length === 0 || jwts.length > maxAnchorBatch)
        invalidInput(`anchor 1..${maxAnchorBatch} credentials at a time`, { count: jwts.length });
      return anchorPrepared(
        jwts.map((jwt) => prepareSigned(jwt)),
        options.supersede === true,
      );
    },

    revoke: (ids, reason) => changeStatus(ids, 'REVOKED', reason),
    suspend: (ids, reason) => changeStatus(ids, 'SUSPENDED', reason),
    reinstate: (ids, reason = 'SUSPENSION_LIFTED') => changeStatus(ids, 'ACTIVE', reason),

    async close() {
      const running = pool;
      pool = undefined;
      await running?.close();
    },
    [Symbol.asyncDispose]() {
      return issuer.close();
    },
  };
  return issuer;
}
