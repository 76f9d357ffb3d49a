/**
 * The verification pipeline: named checks ending in one verdict. Runs unchanged in Node and browsers.
 *
 *   decode → issuer (trusted) → credential-type (allowed for the issuer) → signature (key valid at
 *   issuance) → claims (the type's schema) → validity (window) → anchor (ledger digest) → status
 *
 * It returns data and never throws: every failure, including a status source that is down or throws,
 * becomes a check with a reason code. What the credential says (its claims, its validity window) and
 * the status of the id it names are reported only once the issuer's signature over exactly these bytes
 * is established; before that they are `NOT_CHECKED` (docs/decisions/0007-what-a-verifier-shows.md).
 */
import { isCredentialStatus } from '@credledger/vocabulary';
import { checkClaims, type ClaimsReason } from './claims.js';
import {
  decodeCredentialWith,
  MAX_INPUT_LENGTH,
  type DecodedCredential,
  type DecodeReason,
  type LinkDecoder,
} from './decode.js';
import { decodeSdJwtCredential, looksLikeSdJwt } from './sd-jwt/decode-sd-jwt.js';
import { checkPresentation, type KeyBindingExpectation, type PresentationFailure } from './sd-jwt/presented.js';
import type { SdJwtProfile } from './sd-jwt/profiles.js';
import { JwsScratch, KeyCache, sha256Hex, verifyJwsSignature, type SignatureFailure } from './jws.js';
import { selectIssuerKey, type KeyRuleReason } from './key-rules.js';
import { parseIsoTime, type CredentialState, type IssuerRecord } from './records.js';
import {
  StatusSourceError,
  type IssuerLookup,
  type SourceFailureReason,
  type StatusLookup,
  type StatusSource,
  type StatusUnavailableReason,
} from './status-source.js';

export const verdicts = [
  'VALID',
  'REVOKED',
  'SUSPENDED',
  'EXPIRED',
  'NOT_YET_VALID',
  'TAMPERED',
  'UNKNOWN_ISSUER',
  'WRONG_TYPE_FOR_ISSUER',
  'MALFORMED',
  'UNVERIFIABLE',
  'INVALID_CLAIMS',
] as const;
export type Verdict = (typeof verdicts)[number];

export const checkNames = [
  'decode',
  'issuer',
  'credential-type',
  'signature',
  'claims',
  'validity',
  'anchor',
  'status',
] as const;
export type CheckName = (typeof checkNames)[number];

/** Reason codes, per check. A UI maps these (and verdicts) to sentences. */
export type CheckReason =
  | DecodeReason
  | SourceFailureReason
  | StatusUnavailableReason
  | KeyRuleReason
  | SignatureFailure
  | ClaimsReason
  | PresentationFailure
  | 'NOT_CHECKED'
  | 'ISSUER_REGISTERED'
  | 'ISSUER_NOT_REGISTERED'
  | 'TYPE_ALLOWED'
  | 'TYPE_NOT_ALLOWED'
  | 'SIGNATURE_VALID'
  | 'WITHIN_VALIDITY'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'DIGEST_MATCHES'
  | 'DIGEST_MISMATCH'
  | 'RECORD_MISMATCH'
  | 'NOT_ANCHORED'
  | 'LEDGER_NOT_CONSULTED'
  | 'ACTIVE'
  | 'REVOKED'
  | 'SUSPENDED';

export interface Check {
  readonly name: CheckName;
  readonly result: 'pass' | 'fail' | 'unknown';
  readonly reason: CheckReason;
  readonly detail?: string;
  /** For a failed `claims` check: the subject field that broke the type's rules (e.g. `name`, `barMemberships[1]`). */
  readonly field?: string;
}

/**
 * What the credential says, as decoded. `issuerName` comes from the registry, never from the credential,
 * and is present only when the issuer's signature over these exact bytes is established: a forgery that
 * names a registered issuer does not get that issuer's name. Whether the rest may be shown as facts:
 * `established(result).claims`.
 */
export interface CredentialSummary {
  readonly id: string;
  readonly type: string;
  readonly issuer: string;
  readonly issuerName?: { readonly 'zh-TW': string; readonly en: string };
  readonly subject: Readonly<Record<string, unknown>>;
  readonly validFrom: string;
  readonly validUntil: string | null;
}

export interface StatusSummary {
  readonly state: CredentialState;
  readonly reason: string | null;
  readonly changedAt: string | null;
  /** How fresh the status is: ledger read time, or when the oldest status list consulted was issued. */
  readonly asOf: string;
}

export interface VerificationResult {
  readonly verdict: Verdict;
  /** One entry per check, in pipeline order. */
  readonly checks: readonly Check[];
  readonly credential?: CredentialSummary;
  readonly status?: StatusSummary;
  /** Ledger anchor time, when a ledger record was found. */
  readonly anchoredAt?: string;
  /**
   * For an SD-JWT VC whose issuer signature and presentation hold: its profile, the subject claims it
   * disclosed (the only ones in `credential.subject`), and whether a holder's key-binding JWT was checked.
   */
  readonly presentation?: Presentation;
}

export interface Presentation {
  readonly format: 'sd-jwt';
  readonly profile: SdJwtProfile;
  readonly disclosed: readonly string[];
  readonly keyBound: boolean;
}

export interface VerifyOptions {
  readonly status: StatusSource;
  /** Verification time; default the current time. */
  readonly now?: Date;
  /** Turns a credential link into its compact JWS (the QR codec's decoder). */
  readonly decodeLink?: LinkDecoder;
  /** For SD-JWT presentations: the nonce and audience asked for, whether a key binding is required. */
  readonly keyBinding?: KeyBindingExpectation;
  /**
   * Where issuer keys imported into WebCrypto are kept between verifications. Default the status
   * source's own (`StatusSource.keys`, which every built-in source has); failing that, a call imports
   * the keys it needs for itself (`verifyCredentials`: once per batch).
   */
  readonly keys?: KeyCache;
}

const errorDetail = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 300);

function sourceFailure(error: unknown): { reason: SourceFailureReason; detail: string } {
  if (error instanceof StatusSourceError) return { reason: error.reason, detail: errorDetail(error) };
  return { reason: 'STATUS_SOURCE_UNAVAILABLE', detail: errorDetail(error) };
}

/** The key cache a verification uses: the options', else the status source's, else a new one. */
function keyCacheFor(options: Partial<VerifyOptions> | undefined): KeyCache {
  if (options?.keys instanceof KeyCache) return options.keys;
  const ofSource = (options?.status as Partial<StatusSource> | undefined)?.keys;
  return ofSource instanceof KeyCache ? ofSource : new KeyCache();
}

/** Runs a promise-returning source call and turns any throw (even a synchronous one) into data. */
async function settle<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

const notChecked = (name: CheckName): Check => ({ name, result: 'unknown', reason: 'NOT_CHECKED' });

/** The check called `name`: at index `at` when the checks are in pipeline order, else searched. */
function checkAt(checks: readonly Check[], name: CheckName, at: number): Check | undefined {
  const candidate = checks[at];
  if (candidate?.name === name) return candidate;
  for (const check of checks) if (check.name === name) return check;
  return undefined;
}

/** Fills in the checks that did not run and derives the verdict. */
function finish(checks: Check[], extra: Omit<VerificationResult, 'verdict' | 'checks'>): VerificationResult {
  const all: Check[] = new Array<Check>(checkNames.length);
  for (let i = 0; i < checkNames.length; i++) {
    const name = checkNames[i] as CheckName;
    let found: Check | undefined;
    for (const check of checks) {
      if (check.name === name) {
        found = check;
        break;
      }
    }
    all[i] = found ?? notChecked(name);
  }
  return { verdict: verdictOf(all), checks: all, ...extra };
}

/** Reasons of an `unknown` check that still allow VALID: offline verification never reads a ledger. */
const benignUnknown: ReadonlySet<CheckReason> = new Set<CheckReason>(['LEDGER_NOT_CONSULTED']);

/**
 * The verdict from the checks, by precedence: what is structurally wrong, then who signed, then
 * forgery, then the issuer's status decisions, then content that breaks its type's rules, then time,
 * then what cannot be established. INVALID_CLAIMS comes after REVOKED and SUSPENDED (the issuer's own
 * word about this anchored credential, which already says "do not rely on it") and before EXPIRED,
 * NOT_YET_VALID and UNVERIFIABLE: a defect in what the issuer signed is certain, and no later status
 * answer or date could make the credential acceptable. See docs/decisions/0007-what-a-verifier-shows.md.
 */
export function verdictOf(checks: readonly Check[]): Verdict {
  const get = (name: CheckName, at: number): Check => checkAt(checks, name, at) ?? notChecked(name);
  const decode = get('decode', 0);
  const issuer = get('issuer', 1);
  const type = get('credential-type', 2);
  const signature = get('signature', 3);
  const claims = get('claims', 4);
  const validity = get('validity', 5);
  const anchor = get('anchor', 6);
  const status = get('status', 7);

  if (decode.result !== 'pass') return 'MALFORMED';
  if (issuer.result === 'fail') return 'UNKNOWN_ISSUER';
  if (issuer.result !== 'pass') return 'UNVERIFIABLE';
  if (type.result !== 'pass') return 'WRONG_TYPE_FOR_ISSUER';
  const compromised =
    signature.reason === 'KEY_COMPROMISED_BEFORE_ANCHOR' || signature.reason === 'KEY_COMPROMISED_NOT_ANCHORED';
  if (signature.result === 'fail' && !compromised) return 'TAMPERED';
  if (anchor.result === 'fail' && (anchor.reason === 'DIGEST_MISMATCH' || anchor.reason === 'RECORD_MISMATCH'))
    return 'TAMPERED';
  // A genuine signature from a key that was stolen proves nothing; ledger status below is about the
  // id, which a forger can copy, so nothing after this point is reported for such credentials.
  if (signature.result !== 'pass') return 'UNVERIFIABLE';
  if (status.result === 'fail' && status.reason === 'REVOKED') return 'REVOKED';
  if (status.result === 'fail' && status.reason === 'SUSPENDED') return 'SUSPENDED';
  if (claims.result === 'fail') return 'INVALID_CLAIMS';
  if (validity.result === 'fail') return validity.reason === 'NOT_YET_VALID' ? 'NOT_YET_VALID' : 'EXPIRED';
  if (anchor.result === 'fail') return 'UNVERIFIABLE';
  if (anchor.result === 'unknown' && !benignUnknown.has(anchor.reason)) return 'UNVERIFIABLE';
  if (status.result !== 'pass') return 'UNVERIFIABLE';
  // A type this verifier does not know: nothing says what its content may be.
  if (claims.result !== 'pass') return 'UNVERIFIABLE';
  if (validity.result !== 'pass') return 'UNVERIFIABLE';
  return 'VALID';
}

function summary(credential: DecodedCredential, issuer?: IssuerRecord): CredentialSummary {
  return {
    id: credential.id,
    type: credential.type,
    issuer: credential.issuer,
    ...(issuer ? { issuerName: { 'zh-TW': issuer.name['zh-TW'], en: issuer.name.en } } : {}),
    subject: credential.subject,
    validFrom: credential.validFrom,
    validUntil: credential.validUntil,
  };
}

function validityCheck(credential: DecodedCredential, now: Date): Check {
  const t = now.getTime();
  if (!Number.isFinite(t))
    return { name: 'validity', result: 'unknown', reason: 'NOT_CHECKED', detail: 'invalid verification time' };
  if (t < credential.validFromMs)
    return { name: 'validity', result: 'fail', reason: 'NOT_YET_VALID', detail: `valid from ${credential.validFrom}` };
  if (credential.validUntilMs !== undefined && t >= credential.validUntilMs) {
    return {
      name: 'validity',
      result: 'fail',
      reason: 'EXPIRED',
      detail: `valid until ${credential.validUntil ?? ''}`,
    };
  }
  return { name: 'validity', result: 'pass', reason: 'WITHIN_VALIDITY' };
}

/**
 * Verifies a credential (compact `vc+jwt` or credential link) against a status source.
 * Never throws; every outcome is in the returned verdict and checks.
 *
 * @param input a compact JWS, or a link `<verifier base URL>#<encoded credential>`
 * @param options status source, verification time `now`, and the link decoder for encoded links.
 *   The options object is only read, never written: one object may safely serve many verifications.
 * @example
 * const source = httpStatusSource({ baseUrl: 'https://verify.moj.gov.tw' });
 * const { verdict, checks, credential } = await verifyCredential(scannedText, { status: source });
 */
export function verifyCredential(input: string, options: VerifyOptions): Promise<VerificationResult> {
  return verifyWith(input, options, undefined);
}

/** `verifyCredential`, parsing with the buffers of `scratch` (a verifier's or a batch's) when given. */
async function verifyWith(
  input: string,
  options: VerifyOptions,
  scratch: JwsScratch | undefined,
): Promise<VerificationResult> {
  try {
    return await runPipeline(input, options, scratch);
  } catch (error) {
    // Defence in depth: a bug here must still yield data, and never a VALID.
    return finish(
      [{ name: 'decode', result: 'fail', reason: 'BAD_ENCODING', detail: `internal error: ${errorDetail(error)}` }],
      {},
    );
  }
}

// `options` as a JavaScript caller may pass it: missing, or with members missing.
async function runPipeline(
  input: unknown,
  options: Partial<VerifyOptions> | undefined,
  scratch: JwsScratch | undefined,
): Promise<VerificationResult> {
  // Copy what is used; nothing from one call can leak into the next through `options`, but for the
  // imported keys of the caller's key cache, which is there to be shared.
  const source = options?.status;
  const now = options?.now instanceof Date ? new Date(options.now.getTime()) : new Date();
  const decodeLink = options?.decodeLink;
  const keys = keyCacheFor(options);

  const keyBinding = options?.keyBinding;
  const decoded =
    typeof input === 'string' && input.length <= MAX_INPUT_LENGTH && looksLikeSdJwt(input)
      ? await decodeSdJwtCredential(input, scratch)
      : await decodeCredentialWith(input, decodeLink, scratch);
  if (!decoded.ok)
    return finish([{ name: 'decode', result: 'fail', reason: decoded.reason, detail: decoded.detail }], {});
  const credential = decoded.credential;
  const checks: Check[] = [{ name: 'decode', result: 'pass', reason: 'DECODED' }];

  if (!source || typeof source.getIssuer !== 'function' || typeof source.getStatus !== 'function') {
    checks.push({
      name: 'issuer',
      result: 'unknown',
      reason: 'STATUS_SOURCE_UNAVAILABLE',
      detail: 'no status source given',
    });
    return finish(checks, { credential: summary(credential) });
  }

  // 1. Issuer: registered and allowed this type.
  // A source written in JavaScript may answer nothing at all.
  const issuerLookup = await settle<IssuerLookup | undefined>(() =>
    source.getIssuer(credential.issuer, new Date(now.getTime())),
  );
  if (!issuerLookup.ok) {
    const failure = sourceFailure(issuerLookup.error);
    checks.push({ name: 'issuer', result: 'unknown', reason: failure.reason, detail: failure.detail });
    return finish(checks, { credential: summary(credential) });
  }
  const issuerAnswer = issuerLookup.value;
  const issuer = issuerAnswer?.issuer;
  if (!issuerAnswer || !issuer || issuer.did !== credential.issuer) {
    checks.push({ name: 'issuer', result: 'fail', reason: 'ISSUER_NOT_REGISTERED', detail: credential.issuer });
    return finish(checks, { credential: summary(credential) });
  }
  checks.push({
    name: 'issuer',
    result: 'pass',
    reason: 'ISSUER_REGISTERED',
    detail: `issuer status ${issuer.status}, as of ${issuerAnswer.asOf}`,
  });
  if (!issuer.credentialTypes.includes(credential.type)) {
    checks.push({ name: 'credential-type', result: 'fail', reason: 'TYPE_NOT_ALLOWED', detail: credential.type });
    return finish(checks, { credential: summary(credential) });
  }
  checks.push({ name: 'credential-type', result: 'pass', reason: 'TYPE_ALLOWED' });

  // 2. Status (and, for ledger sources, the anchor record) and the digest, in parallel with nothing
  //    trusted yet: the anchor time they return is needed by the key rules. Offline sources have no
  //    anchor, so no digest is computed for them.
  const statusCall = settle<StatusLookup>(() =>
    source.getStatus({
      id: credential.id,
      issuer,
      credentialStatus: credential.credentialStatus,
      now: new Date(now.getTime()),
    }),
  );
  let statusLookup: Awaited<typeof statusCall>;
  let digest: string | undefined;
  if (source.kind === 'offline') statusLookup = await statusCall;
  else [statusLookup, digest] = await Promise.all([statusCall, sha256Hex(credential.jws.compact)]);
  const lookup: StatusLookup = !statusLookup.ok
    ? { kind: 'unavailable', ...sourceFailure(statusLookup.error) }
    : isStatusLookup(statusLookup.value)
      ? statusLookup.value
      : { kind: 'unavailable', reason: 'STATUS_SOURCE_UNAVAILABLE', detail: 'status source gave no usable answer' };
  const record = lookup.kind === 'record' ? lookup.record : undefined;
  const anchoredAtMs = record ? parseIsoTime(record.anchoredAt) : undefined;

  // 3. Signature with a key the rotation rules accept.
  let signature = await signatureCheck(credential, issuer, anchoredAtMs, keys, scratch);
  // An SD-JWT: the disclosures and the holder's key binding, once the issuer's signature holds.
  if (credential.sdJwt && signature.result === 'pass') {
    const refused = await checkPresentation(credential.sdJwt, keyBinding, now);
    if (refused) signature = { name: 'signature', result: 'fail', reason: refused.reason, detail: refused.detail };
  }
  checks.push(signature);

  // 4. The anchor: the ledger's digest of exactly these bytes, evidence whoever signed them.
  const ledger = ledgerChecks(lookup, credential, digest, source.kind === 'offline');
  const genuine =
    signature.result === 'pass' &&
    !(
      ledger.anchor.result === 'fail' &&
      (ledger.anchor.reason === 'DIGEST_MISMATCH' || ledger.anchor.reason === 'RECORD_MISMATCH')
    );
  if (!genuine) {
    // What the credential says, and the status of the id it names (which a forger copies), prove
    // nothing until the issuer's signature over these bytes is established: none of it is reported.
    const why =
      signature.result === 'pass'
        ? 'the ledger anchors other content under this id'
        : 'the signature is not established';
    checks.push(
      { name: 'claims', result: 'unknown', reason: 'NOT_CHECKED', detail: why },
      { name: 'validity', result: 'unknown', reason: 'NOT_CHECKED', detail: why },
      ledger.anchor,
      { name: 'status', result: 'unknown', reason: 'NOT_CHECKED', detail: why },
    );
    return finish(checks, { credential: summary(credential) });
  }

  // 5. Claims against the type, 6. validity window, 7. status.
  // A presentation shows some claims: those it shows must follow the type's rules, the rest may be absent.
  const claims = checkClaims(credential.type, credential.subject, { partial: credential.sdJwt !== undefined });
  checks.push({ name: 'claims', ...claims }, validityCheck(credential, now), ledger.anchor, ledger.status);
  return finish(checks, {
    credential: summary(credential, issuer),
    ...(ledger.summary ? { status: ledger.summary } : {}),
    ...(ledger.anchoredAt ? { anchoredAt: ledger.anchoredAt } : {}),
    ...(credential.sdJwt
      ? {
          presentation: {
            format: 'sd-jwt',
            profile: credential.sdJwt.profile,
            disclosed: credential.sdJwt.disclosed,
            keyBound: credential.sdJwt.keyBinding !== undefined,
          },
        }
      : {}),
  });
}

/** The signature check: a key the rotation rules accept for this credential, and a signature by it. */
async function signatureCheck(
  credential: DecodedCredential,
  issuer: IssuerRecord,
  anchoredAtMs: number | undefined,
  keys: KeyCache,
  scratch: JwsScratch | undefined,
): Promise<Check> {
  const keyRule = selectIssuerKey(issuer, credential.kid, {
    anchoredAt: anchoredAtMs,
    issuedAt: credential.issuedAtMs,
  });
  if (!keyRule.key || (keyRule.result === 'fail' && keyRule.reason !== 'KEY_COMPROMISED_BEFORE_ANCHOR')) {
    return { name: 'signature', result: 'fail', reason: keyRule.reason, detail: credential.kid };
  }
  const failure = await verifyJwsSignature(credential.jws, keyRule.key.kid, keyRule.key.publicKeyJwk, keys, scratch);
  if (failure) return { name: 'signature', result: 'fail', reason: failure, detail: credential.kid };
  if (keyRule.result !== 'pass') {
    return {
      name: 'signature',
      result: keyRule.result,
      reason: keyRule.reason,
      detail: `key ${keyRule.key.kid} compromised since ${keyRule.key.compromisedSince ?? '?'}`,
    };
  }
  return {
    name: 'signature',
    result: 'pass',
    reason: 'SIGNATURE_VALID',
    detail: `${keyRule.key.kid}, window checked at ${keyRule.issuanceTimeSource ?? 'iat'} time`,
  };
}

/** The anchor and status checks from what the status source answered, with the status summary. */
function ledgerChecks(
  lookup: StatusLookup,
  credential: DecodedCredential,
  digest: string | undefined,
  offline: boolean,
): { anchor: Check; status: Check; summary?: StatusSummary; anchoredAt?: string } {
  if (lookup.kind === 'unavailable') {
    return {
      anchor: {
        name: 'anchor',
        result: 'unknown',
        reason: offline ? 'LEDGER_NOT_CONSULTED' : lookup.reason,
        ...(offline ? {} : { detail: lookup.detail ?? '' }),
      },
      status: {
        name: 'status',
        result: 'unknown',
        reason: lookup.reason,
        ...(lookup.detail ? { detail: lookup.detail } : {}),
      },
    };
  }
  if (lookup.kind === 'list') {
    return {
      anchor: { name: 'anchor', result: 'unknown', reason: 'LEDGER_NOT_CONSULTED' },
      status: stateCheck(lookup.state, lookup.detail),
      summary: { state: lookup.state, reason: null, changedAt: null, asOf: lookup.asOf },
    };
  }
  if (!lookup.record) {
    return {
      anchor: { name: 'anchor', result: 'fail', reason: 'NOT_ANCHORED', detail: credential.id },
      status: { name: 'status', result: 'unknown', reason: 'NOT_ANCHORED' },
    };
  }
  const r = lookup.record;
  let anchor: Check;
  if (r.digest !== digest) {
    anchor = {
      name: 'anchor',
      result: 'fail',
      reason: 'DIGEST_MISMATCH',
      detail: `ledger ${r.digest}, credential ${digest ?? ''}`,
    };
  } else if (
    r.id !== credential.id ||
    r.issuerDid !== credential.issuer ||
    r.type !== credential.type ||
    r.kid !== credential.kid
  ) {
    anchor = {
      name: 'anchor',
      result: 'fail',
      reason: 'RECORD_MISMATCH',
      detail: 'ledger record differs from the credential',
    };
  } else {
    anchor = { name: 'anchor', result: 'pass', reason: 'DIGEST_MATCHES', detail: `anchored ${r.anchoredAt}` };
  }
  return {
    anchor,
    status: stateCheck(r.status, r.reason ?? undefined),
    summary: { state: r.status, reason: r.reason, changedAt: r.updatedAt, asOf: lookup.asOf },
    anchoredAt: r.anchoredAt,
  };
}

/** Guards against a custom source returning something else than a StatusLookup. */
function isStatusLookup(value: unknown): value is StatusLookup {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.kind === 'record') return v.record === null || (typeof v.record === 'object' && typeof v.asOf === 'string');
  if (v.kind === 'list') return isCredentialStatus(v.state) && typeof v.asOf === 'string';
  return v.kind === 'unavailable' && typeof v.reason === 'string';
}

function stateCheck(state: CredentialState, detail: string | undefined): Check {
  const base = detail ? { detail } : {};
  if (state === 'ACTIVE') return { name: 'status', result: 'pass', reason: 'ACTIVE', ...base };
  return { name: 'status', result: 'fail', reason: state, ...base };
}

/** How many verifications `verifyCredentials` keeps in flight unless told otherwise. */
export const DEFAULT_BATCH_CONCURRENCY = 64;
/** Most verifications `verifyCredentials` keeps in flight, whatever it is told. */
export const MAX_BATCH_CONCURRENCY = 1024;

export interface VerifyBatchOptions {
  /**
   * Verifications in flight at once (default 64, at most 1024). Signature checks run on WebCrypto,
   * which in Node works on a thread pool: many in flight keep every core busy from one thread.
   */
  readonly concurrency?: number;
}

/**
 * Verifies many credentials against one status source, several at a time. Each input gets exactly
 * what `verifyCredential(input, options)` would give it: every verification decodes, looks up and
 * checks its own credential, with its own copy of the options; only what the status source caches
 * (verified trust and status lists, keyed by their signed bytes) and imported public keys (the
 * options' `keys`, else the source's, else a key cache made for this batch) are shared.
 * Never throws for an input; results are in input order.
 *
 * @param inputs compact JWSs or credential links
 * @param options as for `verifyCredential`; one `now` is taken for the whole batch when none is given
 * @param batch `concurrency`: verifications in flight (default 64)
 * @example
 * const status = offlineStatusSource({ trustList, governanceKeys, statusLists });
 * const results = await verifyCredentials(jwts, { status }, { concurrency: 64 });
 * const revoked = results.filter((r) => r.verdict === 'REVOKED').length;
 */
export function verifyCredentials(
  inputs: Iterable<string>,
  options: VerifyOptions,
  batch: VerifyBatchOptions = {},
): Promise<VerificationResult[]> {
  // The batch's own parse buffers: its verifications take turns with them, never across an await.
  return verifyBatch(inputs, options, batch, new JwsScratch());
}

async function verifyBatch(
  inputs: Iterable<string>,
  options: VerifyOptions,
  batch: VerifyBatchOptions,
  scratch: JwsScratch,
): Promise<VerificationResult[]> {
  // Plain JavaScript callers may pass anything: read defensively.
  const given = options as Partial<VerifyOptions> | undefined;
  const items: unknown[] = Array.from((inputs as Iterable<string> | undefined) ?? []);
  const requested = (batch as VerifyBatchOptions | undefined)?.concurrency;
  const concurrency =
    typeof requested === 'number' && Number.isFinite(requested) && requested >= 1
      ? Math.min(Math.floor(requested), MAX_BATCH_CONCURRENCY)
      : DEFAULT_BATCH_CONCURRENCY;
  // One read of the caller's options for the whole batch: later changes to that object cannot make
  // credentials of the same batch be verified differently.
  const now = given?.now instanceof Date ? new Date(given.now.getTime()) : new Date();
  const shared: VerifyOptions = {
    status: given?.status as StatusSource,
    now,
    keys: keyCacheFor(given),
    ...(given?.decodeLink ? { decodeLink: given.decodeLink } : {}),
    ...(given?.keyBinding ? { keyBinding: given.keyBinding } : {}),
  };
  const results = new Array<VerificationResult>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      // runPipeline copies `now` again per credential and writes nothing into `shared`.
      results[i] = await verifyWith(items[i] as string, shared, scratch);
    }
  };
  const lanes: Promise<void>[] = [];
  for (let l = 0; l < Math.min(concurrency, items.length); l++) lanes.push(lane());
  await Promise.all(lanes);
  return results;
}

/** Verifies credentials with keys imported once for its lifetime: what `createVerifier` returns. */
export interface Verifier {
  /** The verifier's imported issuer keys. */
  readonly keys: KeyCache;
  /** `verifyCredential` with this verifier's keys (unless `options.keys` names others). */
  verifyCredential(input: string, options: VerifyOptions): Promise<VerificationResult>;
  /** `verifyCredentials` with this verifier's keys (unless `options.keys` names others). */
  verifyCredentials(
    inputs: Iterable<string>,
    options: VerifyOptions,
    batch?: VerifyBatchOptions,
  ): Promise<VerificationResult[]>;
}

/**
 * A verifier that keeps the issuer keys it imports into WebCrypto for as long as it lives (a page, a
 * service, a command), whatever status sources it is given (a custom source may keep none), and parse
 * buffers its verifications reuse: make one where the verifying starts and drop it with its owner. Two
 * verifiers share nothing.
 *
 * @param options `keys`: a key cache to use (default a new one, holding up to 1,024 keys)
 * @example
 * const verifier = createVerifier();
 * for (const scanned of scans) show(await verifier.verifyCredential(scanned, { status }));
 */
export function createVerifier(options: { readonly keys?: KeyCache } = {}): Verifier {
  const given = (options as { keys?: unknown } | undefined)?.keys;
  const keys = given instanceof KeyCache ? given : new KeyCache();
  const withKeys = (verifyOptions: VerifyOptions): VerifyOptions =>
    (verifyOptions as Partial<VerifyOptions> | undefined)?.keys instanceof KeyCache
      ? verifyOptions
      : { ...verifyOptions, keys };
  const scratch = new JwsScratch();
  return {
    keys,
    verifyCredential: (input, verifyOptions) => verifyWith(input, withKeys(verifyOptions), scratch),
    verifyCredentials: (inputs, verifyOptions, batch = {}) =>
      verifyBatch(inputs, withKeys(verifyOptions), batch, scratch),
  };
}
