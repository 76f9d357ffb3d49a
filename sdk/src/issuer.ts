/**
 * Issuance orchestration for one issuer key: validate → sign → anchor on the ledger, and status
 * changes (revoke, suspend, reinstate).
 *
 * Retries are exact. The ledger treats an identical re-anchor (same id, same digest) as a no-op, but
 * an ECDSA signature differs on every signing, so a credential must never be signed twice. Callers
 * that must survive a crash keep what was signed (the `onSigned` hook runs, and is awaited, before the
 * ledger sees a chunk) and hand it back on the retry (`signed`): those JWTs are anchored again as they
 * are, and only the rest is signed. `signCredentials` and `anchorCredentials` expose the two steps
 * separately for a journal that drives them itself (sdk/src/batch).
 */
import type { KeyObject } from 'node:crypto';
import type { AnchorRequest, ReasonCode, StatusChange } from '@credledger/chaincode';
import { CredledgerError, isCredledgerError } from './errors.js';
import { encodeJwsPart, signCompactJws } from './credentials/compact-jws.js';
import {
  credentialHeader,
  credentialJsonWriter,
  isCredentialId,
  newCredentialId,
  type CredentialAlgorithm,
  type CredentialPayload,
} from './credentials/credential.js';
import { decodeCredentialJwt } from './credentials/decode.js';
import { credentialDigest } from './credentials/digest.js';
import { validateSubject, type CredentialSubject } from './credentials/schema.js';
import { createSignPool, type SignPool } from './credentials/sign-pool.js';
import { keyAlgorithm, signCredential, type CredentialSigner } from './credentials/sign.js';
import type { CredentialTypeDefinition } from './credentials/types/definition.js';
import { getCredentialType } from './credentials/types/index.js';
import { isLowS } from './verify/low-s.js';
import type { Registry } from './registry.js';
import type { StatusIndexAllocator } from './status/allocator.js';
import { credentialStatusEntries } from './status/entry.js';

/** Most credentials the chaincode anchors (or re-statuses) in one transaction. */
export const maxAnchorBatch = 2000;

/** What the issuer needs of the ledger: the three writes of `Registry`. */
export type IssuerRegistry = Pick<Registry, 'issueCredentials' | 'setCredentialStatus' | 'setCredentialStatuses'>;

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
}

export interface IssueOptions extends ValidityOptions {
  /** A pre-assigned id (`urn:uuid:…`); default a fresh one. */
  readonly id?: string;
}

/** An issued (signed and, unless said otherwise, anchored) credential. */
export interface IssuedCredential {
  readonly id: string;
  readonly jwt: string;
  /** The ledger anchor: hex SHA-256 of `jwt`. */
  readonly digest: string;
}

export interface IssueBatchProgress {
  readonly phase: 'signed' | 'anchored';
  /** Credentials that have completed `phase`. */
  readonly done: number;
  readonly total: number;
}

export interface IssueBatchOptions extends ValidityOptions {
  /** Pre-assigned ids, one per subject (a journal assigns them before anything is signed). */
  readonly ids?: readonly string[];
  /** JWTs signed by an earlier attempt, by id: anchored again unchanged instead of being signed anew. */
  readonly signed?: ReadonlyMap<string, string>;
  /** Awaited after each chunk is signed and before it is anchored: the place to journal JWTs durably. */
  readonly onSigned?: (credentials: readonly IssuedCredential[]) => void | Promise<void>;
  /** Awaited after each anchor transaction committed. */
  readonly onAnchored?: (
    credentials: readonly IssuedCredential[],
    receipt: { readonly txId: string },
  ) => void | Promise<void>;
  readonly onProgress?: (progress: IssueBatchProgress) => void;
}

/** What `anchorCredentials` did in one transaction. */
export interface AnchorResult {
  readonly txId: string;
  /** Ids newly anchored. */
  readonly anchored: readonly string[];
  /** Ids that were already anchored identically (a retry). */
  readonly unchanged: readonly string[];
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
   * Validates, signs and anchors one credential.
   * @throws CredledgerError SCHEMA_INVALID, UNKNOWN_CREDENTIAL_TYPE; ledger codes (TYPE_NOT_ALLOWED, KEY_NOT_ACTIVE, ID_CONFLICT, …)
   */
  issue(type: string, subject: unknown, options?: IssueOptions): Promise<IssuedCredential>;
  /**
   * Validates every subject (nothing is signed if one fails), signs on all cores and anchors in
   * transactions of up to 2,000 with several in flight. Returns the credentials in subject order.
   * @throws CredledgerError SCHEMA_INVALID (`details.index` = the subject's position), INVALID_INPUT (ids), ledger codes
   */
  issueBatch(type: string, subjects: readonly unknown[], options?: IssueBatchOptions): Promise<IssuedCredential[]>;
  /**
   * Validates and signs without touching the ledger (for a journal that anchors itself).
   * @throws CredledgerError SCHEMA_INVALID, UNKNOWN_CREDENTIAL_TYPE, INVALID_INPUT
   */
  signCredentials(
    type: string,
    items: readonly { readonly id: string; readonly subject: unknown }[],
    options?: ValidityOptions,
  ): Promise<IssuedCredential[]>;
  /**
   * Anchors signed credentials of this issuer in one transaction (≤ 2,000); identical re-anchors are no-ops.
   * @throws CredledgerError CREDENTIAL_MALFORMED, INVALID_INPUT (another issuer's or key's JWT, too many), ledger codes
   */
  anchorCredentials(jwts: readonly string[]): Promise<AnchorResult>;
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

interface Prepared extends IssuedCredential {
  readonly anchor: AnchorRequest;
}

function invalidInput(message: string, details: Record<string, unknown>): never {
  throw new CredledgerError('INVALID_INPUT', message, { details });
}

function addYears(date: Date, years: number): Date {
  const result = new Date(date.getTime());
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

/**
 * The ledger anchor of a signed credential: id, digest, type, kid and validity, read from the JWT
 * (validity in whole seconds from `nbf`/`exp`, exactly as the credential states it). Does not check
 * the signature or who signed: `Issuer.anchorCredentials` does that for its own key.
 * @throws CredledgerError CREDENTIAL_MALFORMED
 */
export function anchorRequestOf(jwt: string): AnchorRequest {
  return anchorOfDecoded(jwt, decodeCredentialJwt(jwt));
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
  if (
    typeof id !== 'string' ||
    payload.jti !== id ||
    typeof type !== 'string' ||
    typeof payload.nbf !== 'number' ||
    typeof header.kid !== 'string'
  ) {
    throw new CredledgerError('CREDENTIAL_MALFORMED', 'the credential lacks id, type, kid or validity');
  }
  return {
    id,
    digest: credentialDigest(jwt),
    type,
    kid: header.kid,
    validFrom: new Date(payload.nbf * 1000).toISOString(),
    validUntil: typeof payload.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : null,
  };
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
 *   statusAllocator: statusIndexAllocators.file('status-index.jsonl'),
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
  ): { validFrom: Date; validUntil: Date | null; issuedAt: Date } => {
    const issuedAt = now();
    const validFrom = options.validFrom ?? issuedAt;
    const validUntil =
      options.validUntil !== undefined
        ? options.validUntil
        : type.defaultValidityYears === null
          ? null
          : addYears(validFrom, type.defaultValidityYears);
    return { validFrom, validUntil, issuedAt };
  };

  const anchorOf = (
    type: string,
    id: string,
    digest: string,
    validFrom: Date,
    validUntil: Date | null,
  ): AnchorRequest => ({
    id,
    digest,
    type,
    kid: key.kid,
    // Whole seconds, exactly as the credential states them (validFrom/nbf, validUntil/exp).
    validFrom: new Date(Math.floor(validFrom.getTime() / 1000) * 1000).toISOString(),
    validUntil: validUntil === null ? null : new Date(Math.floor(validUntil.getTime() / 1000) * 1000).toISOString(),
  });

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
  const validateAll = (type: CredentialTypeDefinition, subjects: readonly unknown[]): CredentialSubject[] =>
    subjects.map((subject, index) => {
      try {
        return validateSubject(type, subject);
      } catch (error) {
        if (!isCredledgerError(error, 'SCHEMA_INVALID')) throw error;
        throw new CredledgerError('SCHEMA_INVALID', `subject ${index}: ${error.message}`, {
          cause: error,
          details: { ...error.details, index },
        });
      }
    });

  /** Signs validated subjects with the given ids (statuses allocated here; idempotent per id). */
  const signValidated = async (
    type: CredentialTypeDefinition,
    ids: readonly string[],
    subjects: readonly CredentialSubject[],
    { validFrom, validUntil, issuedAt }: { validFrom: Date; validUntil: Date | null; issuedAt: Date },
  ): Promise<Prepared[]> => {
    if (ids.length === 0) return [];
    const [revocation, suspension] = await Promise.all([
      statusAllocator.allocate(issuerDid, 'revocation', ids),
      statusAllocator.allocate(issuerDid, 'suspension', ids),
    ]);
    const write = credentialJsonWriter({ type: type.name, issuer: issuerDid, validFrom, validUntil, issuedAt });
    const payloads = ids.map((id, i) =>
      write(
        id,
        subjects[i] ?? {},
        credentialStatusEntries(config.statusBaseUrl, issuerDid, {
          revocation: revocation[i] ?? invalidInput('status allocation missing', { id }),
          suspension: suspension[i] ?? invalidInput('status allocation missing', { id }),
        }),
      ),
    );
    let signed: { jwt: string; digest: string }[];
    if ('privateKey' in key) {
      const workers = config.workers ?? undefined;
      if (config.signPool !== undefined && payloads.length > 1) {
        signed = await config.signPool.sign(payloads);
      } else if (payloads.length >= poolThreshold && workers !== 0) {
        pool ??= createSignPool({
          privateKey: key.privateKey,
          alg,
          kid: key.kid,
          ...(workers === undefined ? {} : { size: workers }),
        });
        signed = await pool.sign(payloads);
      } else {
        signed = payloads.map((payload) => {
          const jwt = signCompactJws(encodedHeader, payload, alg, key.privateKey);
          return { jwt, digest: credentialDigest(jwt) };
        });
      }
    } else {
      // An external signer (HSM/KMS) through did-jwt; its own latency bounds the rate, so keep several in flight.
      signed = await Promise.all(
        payloads.map(async (payload) => {
          const jwt = await signCredential(JSON.parse(payload) as CredentialPayload, {
            alg,
            kid: key.kid,
            credentialSigner: key.credentialSigner,
          });
          return { jwt, digest: credentialDigest(jwt) };
        }),
      );
    }
    return ids.map((id, i) => {
      const { jwt, digest } = signed[i] ?? { jwt: '', digest: '' };
      return { id, jwt, digest, anchor: anchorOf(type.name, id, digest, validFrom, validUntil) };
    });
  };

  /** Rebuilds the anchor of a JWT signed earlier, after checking it is this issuer's and key's. */
  const prepareSigned = (
    jwt: string,
    expected?: { id: string; type: string; subject: CredentialSubject },
  ): Prepared => {
    const decoded = decodeCredentialJwt(jwt);
    const { header, payload } = decoded;
    if (payload.iss !== issuerDid || payload.issuer !== issuerDid || header.kid !== key.kid) {
      invalidInput('the credential was not signed by this issuer key', { id: payload.id, kid: header.kid });
    }
    const anchor = anchorOfDecoded(jwt, decoded);
    if (
      expected &&
      (expected.id !== anchor.id ||
        expected.type !== anchor.type ||
        JSON.stringify(payload.credentialSubject) !== JSON.stringify(expected.subject))
    ) {
      invalidInput(`the credential signed earlier as ${expected.id} does not match this subject`, { id: expected.id });
    }
    return { id: anchor.id, jwt, digest: anchor.digest, anchor };
  };

  const anchorPrepared = async (credentials: readonly Prepared[]): Promise<AnchorResult> => {
    const result = await registry.issueCredentials({ issuerDid, credentials: credentials.map((c) => c.anchor) });
    return { txId: result.txId, anchored: result.anchored, unchanged: result.unchanged };
  };

  const publicOf = (credential: Prepared): IssuedCredential => ({
    id: credential.id,
    jwt: credential.jwt,
    digest: credential.digest,
  });

  const changeStatus = async (
    ids: string | readonly string[],
    status: 'REVOKED' | 'SUSPENDED' | 'ACTIVE',
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
      const window = validity(type, options);
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
          const receipt = await anchorPrepared(chunk);
          const issued = chunk.map(publicOf);
          await options.onAnchored?.(issued, { txId: receipt.txId });
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
          await options.onSigned?.(prepared.map(publicOf));
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
      return results.map((credential) => publicOf(credential as Prepared));
    },

    async signCredentials(typeName, items, options = {}) {
      const type = getCredentialType(typeName);
      const ids = items.map((item) => item.id);
      checkIds(ids);
      const validated = validateAll(
        type,
        items.map((item) => item.subject),
      );
      return (await signValidated(type, ids, validated, validity(type, options))).map(publicOf);
    },

    async anchorCredentials(jwts) {
      if (jwts.length === 0 || jwts.length > maxAnchorBatch)
        invalidInput(`anchor 1..${maxAnchorBatch} credentials at a time`, { count: jwts.length });
      return anchorPrepared(jwts.map((jwt) => prepareSigned(jwt)));
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
