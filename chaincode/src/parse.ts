/**
 * Request parsers: unknown JSON in, a typed request out, or `fail('INVALID_INPUT', …)`.
 * Parsers are strict (unknown members are refused) so nothing but identifiers, digests, types and
 * times can reach the ledger; error details name the offending member, never echo its value.
 */
import {
  credentialStatuses,
  issuerStatuses,
  reasonCodes,
  type AddIssuerKeyRequest,
  type AnchorRequest,
  type CredentialQuery,
  type CredentialStatus,
  type InitRequest,
  type IssueCredentialsRequest,
  type IssuerKeyRequest,
  type IssuerName,
  type IssuerQuery,
  type IssuerStatus,
  type ListCredentialsByIssuerRequest,
  type ListIssuersRequest,
  type MarkIssuerKeyCompromisedRequest,
  type PublicKeyJwk,
  type ReasonCode,
  type RegisterIssuerRequest,
  type RetireIssuerKeyRequest,
  type SetCredentialStatusesRequest,
  type SetCredentialStatusRequest,
  type SetIssuerStatusRequest,
  type StatusChangeRequest,
  type SubjectHoldersRequest,
  type VerifyDigestRequest,
} from '@credledger/vocabulary';
import { fail } from './codes';

/** Most credentials one `IssueCredentials` or `SetCredentialStatuses` transaction may carry. */
export const maxBatchSize = 2000;
/** Largest page `ListCredentialsByIssuer` returns. */
export const maxPageSize = 1000;
export const defaultPageSize = 100;

const limits = { mspIds: 16, credentialTypes: 64, keys: 32, nameLength: 200, bookmarkLength: 4096 } as const;

// ── Formats ────────────────────────────────────────────────────────────────────────────────

const hostLabel = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/** did:web with a lowercase host, an optional percent-encoded port and optional path segments. @see https://w3c-ccg.github.io/did-method-web/ */
const didPattern = new RegExp(
  `^did:web:${hostLabel}(?:\\.${hostLabel})*(?:%3A[0-9]{1,5})?(?::[A-Za-z0-9._~-]{1,64}){0,8}$`,
);
const fragmentPattern = /^[A-Za-z0-9._~-]{1,64}$/;
const mspIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const credentialIdPattern = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const digestPattern = /^[0-9a-f]{64}$/;
const typePattern = /^[A-Z][A-Za-z0-9]{0,63}$/;
/** 32 bytes in unpadded base64url: a P-256 coordinate or an Ed25519 public key. */
const coordinatePattern = /^[A-Za-z0-9_-]{43}$/;
const instantPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export const isDid = (value: string): boolean => value.length <= 256 && didPattern.test(value);
export const isCredentialId = (value: string): boolean => credentialIdPattern.test(value);
export const isDigest = (value: string): boolean => digestPattern.test(value);

/** The DID a `kid` (DID URL with fragment) belongs to, or undefined when it is not one. */
export function didOfKid(kid: string): string | undefined {
  const hash = kid.indexOf('#');
  if (hash < 0) return undefined;
  const did = kid.slice(0, hash);
  return isDid(did) && fragmentPattern.test(kid.slice(hash + 1)) ? did : undefined;
}

/**
 * Parses an ISO 8601 UTC instant (`YYYY-MM-DDTHH:mm:ss[.s{1,3}]Z`) into the stored form with
 * milliseconds, or undefined when it is malformed or not a real calendar instant.
 */
export function normaliseInstant(value: string): string | undefined {
  const match = instantPattern.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((match[7] ?? '0').padEnd(3, '0'));
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 31 February over into March; a round trip catches it.
  const date = new Date(epoch);
  if (
    year < 1900 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  return date.toISOString();
}

// ── Structural helpers ─────────────────────────────────────────────────────────────────────

type Members = Record<string, unknown>;

function invalid(path: string, expectation: string): never {
  return fail('INVALID_INPUT', `${path} ${expectation}`);
}

function parseJson(text: string): unknown {
  if (typeof text !== 'string') invalid('request', 'must be a JSON string');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return invalid('request', 'is not valid JSON');
  }
}

/** An object with all `required` members, some `optional` ones and nothing else. */
function object(value: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Members {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid(path, 'must be an object');
  const members = value as Members;
  for (const name of required) {
    if (!Object.prototype.hasOwnProperty.call(members, name) || members[name] === undefined)
      invalid(`${path}.${name}`, 'is required');
  }
  for (const name of Object.keys(members)) {
    if (!required.includes(name) && !optional.includes(name)) invalid(`${path}.${name}`, 'is not a known member');
  }
  return members;
}

function has(members: Members, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(members, name) && members[name] !== undefined;
}

function text(value: unknown, path: string, pattern: RegExp, expectation: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) invalid(path, `must be ${expectation}`);
  return value;
}

function array(value: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) invalid(path, 'must be an array');
  if (value.length < min) invalid(path, `must have at least ${min} element(s)`);
  if (value.length > max) invalid(path, `must have at most ${max} elements`);
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    invalid(path, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

function did(value: unknown, path: string): string {
  if (typeof value !== 'string' || !isDid(value)) invalid(path, 'must be a did:web DID');
  return value;
}

function kidOf(value: unknown, path: string, issuerDid: string): string {
  if (typeof value !== 'string' || didOfKid(value) !== issuerDid)
    invalid(path, 'must be a DID URL of the issuer (<did>#<fragment>)');
  return value;
}

function instant(value: unknown, path: string): string {
  const normalised = typeof value === 'string' ? normaliseInstant(value) : undefined;
  if (normalised === undefined) invalid(path, 'must be an ISO 8601 UTC instant (YYYY-MM-DDTHH:mm:ss[.sss]Z)');
  return normalised;
}

function optionalInstant(value: unknown, path: string): string | null {
  return value === null ? null : instant(value, path);
}

function unique(values: readonly string[], path: string): void {
  if (new Set(values).size !== values.length) invalid(path, 'must not repeat a value');
}

function displayName(value: unknown, path: string): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > limits.nameLength ||
    value.trim() !== value ||
    controlCharacters.test(value)
  ) {
    invalid(path, `must be 1 to ${limits.nameLength} characters without surrounding spaces or control characters`);
  }
  return value;
}

function publicKeyJwk(value: unknown, path: string): PublicKeyJwk {
  const kty = (value as Members | null)?.['kty'];
  if (kty === 'EC') {
    const jwk = object(value, path, ['kty', 'crv', 'x', 'y']);
    if (jwk['crv'] !== 'P-256') invalid(`${path}.crv`, 'must be P-256 for kty EC');
    return {
      kty: 'EC',
      crv: 'P-256',
      x: text(jwk['x'], `${path}.x`, coordinatePattern, '32 bytes of unpadded base64url'),
      y: text(jwk['y'], `${path}.y`, coordinatePattern, '32 bytes of unpadded base64url'),
    };
  }
  if (kty === 'OKP') {
    const jwk = object(value, path, ['kty', 'crv', 'x']);
    if (jwk['crv'] !== 'Ed25519') invalid(`${path}.crv`, 'must be Ed25519 for kty OKP');
    return {
      kty: 'OKP',
      crv: 'Ed25519',
      x: text(jwk['x'], `${path}.x`, coordinatePattern, '32 bytes of unpadded base64url'),
    };
  }
  // A private JWK (with `d`) is refused here too: only the members above are accepted.
  return invalid(path, 'must be a public JWK: EC P-256 {kty, crv, x, y} or OKP Ed25519 {kty, crv, x}');
}

function issuerKey(value: unknown, path: string, issuerDid: string): IssuerKeyRequest {
  const members = object(value, path, ['kid', 'publicKeyJwk'], ['validFrom', 'validUntil']);
  const key: IssuerKeyRequest = {
    kid: kidOf(members['kid'], `${path}.kid`, issuerDid),
    publicKeyJwk: publicKeyJwk(members['publicKeyJwk'], `${path}.publicKeyJwk`),
  };
  if (has(members, 'validFrom')) key.validFrom = instant(members['validFrom'], `${path}.validFrom`);
  if (has(members, 'validUntil')) key.validUntil = optionalInstant(members['validUntil'], `${path}.validUntil`);
  if (key.validFrom !== undefined && typeof key.validUntil === 'string' && key.validUntil <= key.validFrom) {
    invalid(`${path}.validUntil`, 'must be later than validFrom');
  }
  return key;
}

function credentialId(value: unknown, path: string): string {
  return text(value, path, credentialIdPattern, 'a urn:uuid: id in lowercase');
}

function digest(value: unknown, path: string): string {
  return text(value, path, digestPattern, '64 lowercase hex characters (SHA-256)');
}

// ── Requests ───────────────────────────────────────────────────────────────────────────────

export function parseInitRequest(json: string): InitRequest {
  const members = object(parseJson(json), 'request', ['governanceMspIds']);
  const ids = array(members['governanceMspIds'], 'request.governanceMspIds', 1, limits.mspIds).map((id, i) =>
    text(id, `request.governanceMspIds[${i}]`, mspIdPattern, 'an MSP id'),
  );
  unique(ids, 'request.governanceMspIds');
  return { governanceMspIds: ids };
}

export function parseRegisterIssuerRequest(json: string): RegisterIssuerRequest {
  const members = object(parseJson(json), 'request', ['did', 'mspId', 'name', 'credentialTypes', 'keys']);
  const issuerDid = did(members['did'], 'request.did');
  const nameMembers = object(members['name'], 'request.name', ['zh-TW', 'en']);
  const name: IssuerName = {
    'zh-TW': displayName(nameMembers['zh-TW'], 'request.name.zh-TW'),
    en: displayName(nameMembers['en'], 'request.name.en'),
  };
  const credentialTypes = array(members['credentialTypes'], 'request.credentialTypes', 1, limits.credentialTypes).map(
    (type, i) =>
      text(
        type,
        `request.credentialTypes[${i}]`,
        typePattern,
        'a credential type name (PascalCase, letters and digits)',
      ),
  );
  unique(credentialTypes, 'request.credentialTypes');
  const keys = array(members['keys'], 'request.keys', 1, limits.keys).map((key, i) =>
    issuerKey(key, `request.keys[${i}]`, issuerDid),
  );
  unique(
    keys.map((key) => key.kid),
    'request.keys[].kid',
  );
  return {
    did: issuerDid,
    mspId: text(members['mspId'], 'request.mspId', mspIdPattern, 'an MSP id'),
    name,
    credentialTypes,
    keys,
  };
}

export function parseAddIssuerKeyRequest(json: string): AddIssuerKeyRequest {
  const members = object(parseJson(json), 'request', ['did', 'key']);
  const issuerDid = did(members['did'], 'request.did');
  return { did: issuerDid, key: issuerKey(members['key'], 'request.key', issuerDid) };
}

export function parseRetireIssuerKeyRequest(json: string): RetireIssuerKeyRequest {
  const members = object(parseJson(json), 'request', ['did', 'kid'], ['validUntil']);
  const issuerDid = did(members['did'], 'request.did');
  const request: RetireIssuerKeyRequest = { did: issuerDid, kid: kidOf(members['kid'], 'request.kid', issuerDid) };
  if (has(members, 'validUntil')) request.validUntil = instant(members['validUntil'], 'request.validUntil');
  return request;
}

export function parseMarkIssuerKeyCompromisedRequest(json: string): MarkIssuerKeyCompromisedRequest {
  const members = object(parseJson(json), 'request', ['did', 'kid', 'compromisedSince']);
  const issuerDid = did(members['did'], 'request.did');
  return {
    did: issuerDid,
    kid: kidOf(members['kid'], 'request.kid', issuerDid),
    compromisedSince: instant(members['compromisedSince'], 'request.compromisedSince'),
  };
}

export function parseSetIssuerStatusRequest(json: string): SetIssuerStatusRequest {
  const members = object(parseJson(json), 'request', ['did', 'status']);
  return {
    did: did(members['did'], 'request.did'),
    status: oneOf<IssuerStatus>(members['status'], 'request.status', issuerStatuses),
  };
}

export function parseIssuerQuery(json: string): IssuerQuery {
  const members = object(parseJson(json), 'request', ['did']);
  return { did: did(members['did'], 'request.did') };
}

export function parseListIssuersRequest(json: string): ListIssuersRequest {
  object(parseJson(json), 'request', []);
  return {};
}

function subjectDigest(value: unknown, path: string): string | null {
  return value === null ? null : text(value, path, digestPattern, '64 lowercase hex characters (SHA-256) or null');
}

function anchor(value: unknown, path: string, issuerDid: string): AnchorRequest {
  const members = object(value, path, ['id', 'digest', 'type', 'kid', 'validFrom', 'validUntil', 'subjectDigest']);
  const validFrom = instant(members['validFrom'], `${path}.validFrom`);
  const validUntil = optionalInstant(members['validUntil'], `${path}.validUntil`);
  if (validUntil !== null && validUntil <= validFrom) invalid(`${path}.validUntil`, 'must be later than validFrom');
  return {
    id: credentialId(members['id'], `${path}.id`),
    digest: digest(members['digest'], `${path}.digest`),
    type: text(members['type'], `${path}.type`, typePattern, 'a credential type name (PascalCase, letters and digits)'),
    kid: kidOf(members['kid'], `${path}.kid`, issuerDid),
    validFrom,
    validUntil,
    subjectDigest: subjectDigest(members['subjectDigest'], `${path}.subjectDigest`),
  };
}

/** True when two anchor requests would store the same record. */
export function sameAnchor(a: AnchorRequest, b: AnchorRequest): boolean {
  return (
    a.id === b.id &&
    a.digest === b.digest &&
    a.type === b.type &&
    a.kid === b.kid &&
    a.validFrom === b.validFrom &&
    a.validUntil === b.validUntil &&
    a.subjectDigest === b.subjectDigest
  );
}

/**
 * Parses an issuance batch (1..maxBatchSize). An id repeated with identical content is anchored
 * once (a client may merge retried batches); repeated with different content it is `ID_CONFLICT`.
 * Two credentials for one subject (same subject digest) are refused: one transaction can make only
 * one of them the subject's ACTIVE credential, and Fabric has no read-your-writes to chain a second.
 */
export function parseIssueCredentialsRequest(json: string): IssueCredentialsRequest {
  const members = object(parseJson(json), 'request', ['issuerDid', 'credentials'], ['supersede']);
  const issuerDid = did(members['issuerDid'], 'request.issuerDid');
  const list = members['credentials'];
  if (Array.isArray(list) && list.length > maxBatchSize) {
    fail('BATCH_TOO_LARGE', `request.credentials has ${list.length} elements; at most ${maxBatchSize} per transaction`);
  }
  const byId = new Map<string, AnchorRequest>();
  array(list, 'request.credentials', 1, maxBatchSize).forEach((value, i) => {
    const request = anchor(value, `request.credentials[${i}]`, issuerDid);
    const earlier = byId.get(request.id);
    if (earlier === undefined) byId.set(request.id, request);
    else if (!sameAnchor(earlier, request))
      fail('ID_CONFLICT', `${request.id} appears twice in the batch with different content`);
  });
  const credentials = [...byId.values()];
  const bySubject = new Map<string, string>();
  for (const credential of credentials) {
    if (credential.subjectDigest === null) continue;
    const other = bySubject.get(credential.subjectDigest);
    if (other !== undefined) {
      invalid(
        'request.credentials',
        `must not hold two credentials for one subject: ${other} and ${credential.id} have the same subjectDigest`,
      );
    }
    bySubject.set(credential.subjectDigest, credential.id);
  }
  const supersede = has(members, 'supersede') ? members['supersede'] : false;
  if (typeof supersede !== 'boolean') invalid('request.supersede', 'must be true or false');
  return { issuerDid, credentials, supersede };
}

/** Parses a subject holder query: one issuer, 1..maxBatchSize distinct subject digests. */
export function parseSubjectHoldersRequest(json: string): SubjectHoldersRequest {
  const members = object(parseJson(json), 'request', ['issuerDid', 'subjectDigests']);
  const subjectDigests = array(members['subjectDigests'], 'request.subjectDigests', 1, maxBatchSize).map((value, i) =>
    digest(value, `request.subjectDigests[${i}]`),
  );
  unique(subjectDigests, 'request.subjectDigests');
  return { issuerDid: did(members['issuerDid'], 'request.issuerDid'), subjectDigests };
}

function statusChange(value: unknown, path: string): StatusChangeRequest {
  const members = object(value, path, ['id', 'status', 'reason']);
  return {
    id: credentialId(members['id'], `${path}.id`),
    status: oneOf<CredentialStatus>(members['status'], `${path}.status`, credentialStatuses),
    reason: oneOf<ReasonCode>(members['reason'], `${path}.reason`, reasonCodes),
  };
}

export function parseSetCredentialStatusRequest(json: string): SetCredentialStatusRequest {
  return statusChange(parseJson(json), 'request');
}

/** Parses a bulk status change (1..maxBatchSize, one issuer, each id at most once). */
export function parseSetCredentialStatusesRequest(json: string): SetCredentialStatusesRequest {
  const members = object(parseJson(json), 'request', ['issuerDid', 'changes']);
  const issuerDid = did(members['issuerDid'], 'request.issuerDid');
  const list = members['changes'];
  if (Array.isArray(list) && list.length > maxBatchSize) {
    fail('BATCH_TOO_LARGE', `request.changes has ${list.length} elements; at most ${maxBatchSize} per transaction`);
  }
  const changes = array(list, 'request.changes', 1, maxBatchSize).map((change, i) =>
    statusChange(change, `request.changes[${i}]`),
  );
  // Fabric has no read-your-writes: two changes of one credential in one transaction cannot chain.
  unique(
    changes.map((change) => change.id),
    'request.changes[].id',
  );
  return { issuerDid, changes };
}

export function parseCredentialQuery(json: string): CredentialQuery {
  const members = object(parseJson(json), 'request', ['id']);
  return { id: credentialId(members['id'], 'request.id') };
}

export function parseVerifyDigestRequest(json: string): VerifyDigestRequest {
  const members = object(parseJson(json), 'request', ['id', 'digest']);
  return { id: credentialId(members['id'], 'request.id'), digest: digest(members['digest'], 'request.digest') };
}

export function parseListCredentialsByIssuerRequest(json: string): Required<ListCredentialsByIssuerRequest> {
  const members = object(parseJson(json), 'request', ['issuerDid'], ['pageSize', 'bookmark']);
  const pageSize = has(members, 'pageSize') ? members['pageSize'] : defaultPageSize;
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    invalid('request.pageSize', `must be an integer from 1 to ${maxPageSize}`);
  }
  const bookmark = has(members, 'bookmark') ? members['bookmark'] : '';
  // The bookmark is the peer's (a state key on LevelDB, opaque on CouchDB): only its size is checked.
  if (typeof bookmark !== 'string' || bookmark.length > limits.bookmarkLength)
    invalid('request.bookmark', 'must be a bookmark string from a previous page');
  return { issuerDid: did(members['issuerDid'], 'request.issuerDid'), pageSize, bookmark };
}
