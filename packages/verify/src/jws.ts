/**
 * Compact JWS parsing and checking on WebCrypto (`globalThis.crypto.subtle`): the same code in Node 24
 * and browsers, no `node:*`. Signatures never go through a pure-JS implementation.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1 (compact serialization)
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.4 (ES256 signatures are raw r || s)
 */

/** Largest compact JWS accepted. A realistic credential is ~1–2 KB; a status list ~1 KB after GZIP. */
export const MAX_JWS_LENGTH = 64 * 1024;

import { isLowS, toLowS } from './low-s.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * base64url alphabet → 6-bit value, pre-shifted for each of the four places in a quantum; -1 for every
 * other byte. OR-ing four lookups gives 24 bits, or a negative number when any byte was not base64url.
 */
const B64URL_PLACES = (() => {
  const places = [18, 12, 6, 0].map(() => new Int32Array(256).fill(-1));
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < alphabet.length; i++) {
    const code = alphabet.charCodeAt(i);
    [18, 12, 6, 0].forEach((shift, place) => ((places[place] as Int32Array)[code] = i << shift));
  }
  return places as [Int32Array, Int32Array, Int32Array, Int32Array];
})();

/**
 * Decodes unpadded base64url; undefined on any character outside the alphabet or an impossible length.
 * Like `atob`, unused low bits of the last character are ignored.
 */
export function base64urlDecode(text: string): Uint8Array | undefined {
  const ascii = utf8Encoder.encode(text);
  // A character outside ASCII is never base64url (and would shift byte offsets against characters).
  if (ascii.length !== text.length) return undefined;
  return base64urlDecodeBytes(ascii, 0, ascii.length);
}

/** Decodes the ASCII bytes `ascii[start, end)` as unpadded base64url; undefined when invalid. */
function base64urlDecodeBytes(ascii: Uint8Array, start: number, end: number): Uint8Array | undefined {
  const out = new Uint8Array(((end - start) * 3) >> 2);
  return base64urlDecodeInto(ascii, start, end, out) < 0 ? undefined : out;
}

/**
 * Decodes the ASCII bytes `ascii[start, end)` as unpadded base64url into `out` (room for at least
 * `(end - start) * 3 / 4` bytes); returns the decoded length, or -1 when the text is not base64url.
 */
function base64urlDecodeInto(ascii: Uint8Array, start: number, end: number, out: Uint8Array): number {
  const length = end - start;
  if (length % 4 === 1) return -1;
  const [p0, p1, p2, p3] = B64URL_PLACES;
  let o = 0;
  let i = start;
  const whole = start + (length & ~3);
  for (; i < whole; i += 4) {
    const n =
      (p0[ascii[i] as number] as number) |
      (p1[ascii[i + 1] as number] as number) |
      (p2[ascii[i + 2] as number] as number) |
      (p3[ascii[i + 3] as number] as number);
    if (n < 0) return -1;
    out[o] = n >> 16;
    out[o + 1] = n >> 8;
    out[o + 2] = n;
    o += 3;
  }
  const rest = end - i;
  if (rest >= 2) {
    const n =
      (p0[ascii[i] as number] as number) |
      (p1[ascii[i + 1] as number] as number) |
      (rest === 3 ? (p2[ascii[i + 2] as number] as number) : 0);
    if (n < 0) return -1;
    out[o++] = n >> 16;
    if (rest === 3) out[o++] = n >> 8;
  }
  return o;
}

/** Encodes bytes as unpadded base64url. */
export function base64urlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A compact JWS split and decoded, not yet verified. */
export interface ParsedJws {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `base64url(header) . base64url(payload)` as bytes: what the signature covers. */
  readonly signingInput: Uint8Array;
  readonly signature: Uint8Array;
  /** The compact JWS exactly as given. */
  readonly compact: string;
}

export type JwsParseError = 'TOO_LONG' | 'NOT_COMPACT_JWS' | 'BAD_BASE64URL' | 'BAD_JSON';

function decodeJsonObject(
  ascii: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
): Record<string, unknown> | JwsParseError {
  const length = base64urlDecodeInto(ascii, start, end, out);
  if (length < 0) return 'BAD_BASE64URL';
  try {
    const value: unknown = JSON.parse(utf8.decode(out.subarray(0, length)));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'BAD_JSON';
    return value as Record<string, unknown>;
  } catch {
    return 'BAD_JSON';
  }
}

/**
 * Parse buffers one owner reuses for the credentials it verifies: large typed arrays cost more to
 * allocate than to fill, and with them a credential is parsed with no allocation beyond its strings,
 * objects and signature (dropping them cost ~11% of `verify.offline`; bench/README.md). A buffer is
 * used only within one synchronous call, never across an `await`, so verifications in flight at once
 * never see each other's bytes. Owned by a verifier (`createVerifier`) or a batch
 * (`verifyCredentials`); a parse without one allocates buffers of its own.
 */
export class JwsScratch {
  #ascii = new Uint8Array(4096);
  #decoded = new Uint8Array(4096);

  /** A buffer of at least `length` bytes for ASCII text, valid until the next call on this scratch. */
  ascii(length: number): Uint8Array {
    if (this.#ascii.length < length) this.#ascii = new Uint8Array(Math.max(length, 2 * this.#ascii.length));
    return this.#ascii;
  }

  /** A buffer of at least `length` bytes for decoded base64url, valid until the next call on this scratch. */
  decoded(length: number): Uint8Array {
    if (this.#decoded.length < length) this.#decoded = new Uint8Array(Math.max(length, 2 * this.#decoded.length));
    return this.#decoded;
  }
}

/**
 * A parsed compact JWS. Parsed without scratch it keeps the ASCII bytes of `compact`, whose first two
 * parts are the signing input; parsed with scratch it makes the signing input when asked, or writes it
 * to scratch for the one synchronous `subtle.verify` call that reads it (WebCrypto copies its arguments
 * before returning).
 */
class ParsedCompactJws implements ParsedJws {
  #signingInput: Uint8Array | undefined;

  constructor(
    readonly header: Readonly<Record<string, unknown>>,
    readonly payload: Readonly<Record<string, unknown>>,
    readonly signature: Uint8Array,
    readonly compact: string,
    private readonly signedLength: number,
    ascii: Uint8Array | undefined,
  ) {
    this.#signingInput = ascii?.subarray(0, signedLength);
  }

  get signingInput(): Uint8Array {
    return (this.#signingInput ??= utf8Encoder.encode(this.compact.slice(0, this.signedLength)));
  }

  /** The signing input, in `scratch` unless this JWS holds its own: valid until `scratch` is used again. */
  signingInputIn(scratch: JwsScratch): Uint8Array {
    if (this.#signingInput) return this.#signingInput;
    // The whole text, not a slice of it: encoding a slice would copy it into a new string first.
    const bytes = scratch.ascii(this.compact.length);
    utf8Encoder.encodeInto(this.compact, bytes);
    return bytes.subarray(0, this.signedLength);
  }
}

/** Splits and decodes a compact JWS; returns an error code instead of throwing. */
export function parseCompactJws(compact: string): ParsedJws | JwsParseError {
  return parseCompactJwsWith(compact, undefined);
}

/** `parseCompactJws` with the parse buffers of `scratch` (a verifier's), or buffers of its own. */
export function parseCompactJwsWith(compact: string, scratch: JwsScratch | undefined): ParsedJws | JwsParseError {
  if (compact.length > MAX_JWS_LENGTH) return 'TOO_LONG';
  const first = compact.indexOf('.');
  const second = first < 0 ? -1 : compact.indexOf('.', first + 1);
  if (second < 0 || compact.indexOf('.', second + 1) >= 0) return 'NOT_COMPACT_JWS';
  if (first === 0 || second === first + 1) return 'NOT_COMPACT_JWS';
  // One byte per character is room enough: past the first character outside ASCII, the text is refused.
  const bytes = scratch ? scratch.ascii(compact.length) : new Uint8Array(compact.length);
  const { read, written } = utf8Encoder.encodeInto(compact, bytes.subarray(0, compact.length));
  // Outside ASCII nothing is base64url: the part holding such a character is refused as such.
  let ascii = compact.length;
  if (read !== ascii || written !== ascii) {
    ascii = 0;
    while (ascii < compact.length && compact.charCodeAt(ascii) < 0x80) ascii++;
  }
  // Header and payload are decoded one after the other into one buffer: JSON.parse copies what it reads.
  const decodedLength = (Math.max(first, second - first - 1) * 3) >> 2;
  const decoded = scratch ? scratch.decoded(decodedLength) : new Uint8Array(decodedLength);
  const header = ascii < first ? 'BAD_BASE64URL' : decodeJsonObject(bytes, 0, first, decoded);
  if (typeof header === 'string') return header;
  const payload = ascii < second ? 'BAD_BASE64URL' : decodeJsonObject(bytes, first + 1, second, decoded);
  if (typeof payload === 'string') return payload;
  const signature = ascii < compact.length ? undefined : base64urlDecodeBytes(bytes, second + 1, compact.length);
  if (!signature) return 'BAD_BASE64URL';
  return new ParsedCompactJws(header, payload, signature, compact, second, scratch ? undefined : bytes);
}

/** Algorithms accepted, each bound to exactly one key type. Nothing else (`none`, `HS*`, `RS*`) ever is. */
export type JwsAlgorithm = 'ES256' | 'EdDSA';

/**
 * The one algorithm a JWK may be used with, or undefined for an unsupported key. The header's `alg`
 * must equal it: the key decides, the header only has to agree.
 */
export function algorithmForJwk(jwk: JsonWebKey): JwsAlgorithm | undefined {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string') return 'EdDSA';
  return undefined;
}

const importParams: Record<JwsAlgorithm, EcKeyImportParams | Algorithm> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  EdDSA: { name: 'Ed25519' },
};
const verifyParams: Record<JwsAlgorithm, EcdsaParams | Algorithm> = {
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
};
const signatureLength: Record<JwsAlgorithm, number> = { ES256: 64, EdDSA: 64 };

/** Imports only the public members: a JWK carrying `d` or odd `key_ops` must not change what is imported. */
function importPublicKey(jwk: JsonWebKey, alg: JwsAlgorithm): Promise<CryptoKey> {
  // `alg` was chosen only for a key whose x (and for EC y) are strings (algorithmForJwk).
  const { x = '', y = '' } = jwk;
  const publicOnly: JsonWebKey =
    alg === 'ES256' ? { kty: 'EC', crv: 'P-256', x, y } : { kty: 'OKP', crv: 'Ed25519', x };
  return globalThis.crypto.subtle.importKey('jwk', publicOnly, importParams[alg], false, ['verify']);
}

/** A key a `KeyCache` holds: its import, and the CryptoKey once imported. */
interface ImportedKey {
  readonly key: Promise<CryptoKey>;
  resolved?: CryptoKey;
}

/** Keys a `KeyCache` holds unless told otherwise. */
export const DEFAULT_KEY_CACHE_LIMIT = 1024;

/**
 * Public keys imported into WebCrypto for signature checks, kept for reuse: importing a key costs about
 * as much as one verification. Keyed by kid *and* key material, so a source that serves another key
 * under a known kid (rotation, a different registry) never reuses the earlier CryptoKey. Bounded: past
 * `limit` keys the one imported longest ago goes, so input naming endless kids cannot grow memory.
 *
 * Who owns one, and so how long its keys live: every built-in status source (the keys of the issuers it
 * answers for, as long as the source), a verifier from `createVerifier()` (its lifetime), or the caller
 * (`VerifyOptions.keys`). A verification with none of these imports the keys it needs for itself
 * (`verifyCredentials`: once per batch). Nothing is shared between caches.
 */
export class KeyCache {
  readonly #limit: number;
  readonly #keys = new Map<string, ImportedKey>();

  /** @param options `limit`: most keys kept (default 1024, at least 1) */
  constructor(options: { readonly limit?: number } = {}) {
    this.#limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_KEY_CACHE_LIMIT)) || DEFAULT_KEY_CACHE_LIMIT;
  }

  /** How many imported keys are kept. */
  get size(): number {
    return this.#keys.size;
  }

  /**
   * The public key `jwk` (named `kid`) imported for verifying: the CryptoKey itself once imported, its
   * import while under way. Rejects when WebCrypto refuses the key (which is then not kept).
   * @throws TypeError for a key of no supported algorithm (see `algorithmForJwk`)
   */
  key(kid: string, jwk: JsonWebKey): CryptoKey | Promise<CryptoKey> {
    // Only the public members name the key: a JWK carrying `d` or `key_ops` is the same key.
    const id = `${kid}\n${jwk.kty ?? ''}|${jwk.crv ?? ''}|${jwk.x ?? ''}|${jwk.y ?? ''}`;
    const known = this.#keys.get(id);
    if (known) return known.resolved ?? known.key;
    const alg = algorithmForJwk(jwk);
    if (!alg) throw new TypeError('unsupported public key');
    // A Map iterates in insertion order: the first key is the one imported longest ago.
    if (this.#keys.size >= this.#limit) this.#keys.delete(this.#keys.keys().next().value ?? '');
    const imported: ImportedKey = { key: importPublicKey(jwk, alg) };
    this.#keys.set(id, imported);
    imported.key.then(
      (resolved) => {
        imported.resolved = resolved;
      },
      () => {
        // A key that fails to import must not stay kept as a rejected promise.
        if (this.#keys.get(id) === imported) this.#keys.delete(id);
      },
    );
    return imported.key;
  }
}

/**
 * Why a signature was not accepted. `SIGNATURE_NOT_CANONICAL`: an ES256 signature that verifies but
 * with s > n/2, the twin of a genuine signature that anyone can make from it (low-s.ts).
 */
export type SignatureFailure = 'ALG_NOT_ALLOWED' | 'KEY_UNSUPPORTED' | 'SIGNATURE_INVALID' | 'SIGNATURE_NOT_CANONICAL';

/**
 * Verifies a parsed JWS with one public key. The header `alg` must be exactly the key's algorithm.
 * Returns undefined when the signature is good, otherwise why not. Never throws.
 * @param keys where the imported key is kept and looked up; without it the key is imported for this call only
 * @param scratch where the signing input may be written for the call (the verifier's)
 */
export async function verifyJwsSignature(
  jws: ParsedJws,
  kid: string,
  jwk: JsonWebKey,
  keys?: KeyCache,
  scratch?: JwsScratch,
): Promise<SignatureFailure | undefined> {
  const alg = algorithmForJwk(jwk);
  if (!alg) return 'KEY_UNSUPPORTED';
  if (jws.header.alg !== alg) return 'ALG_NOT_ALLOWED';
  if (jws.signature.length !== signatureLength[alg]) return 'SIGNATURE_INVALID';
  try {
    const cached = keys?.key(kid, jwk);
    // An imported key is used as it is: no await, no turn of the event loop.
    const key = cached instanceof CryptoKey ? cached : await (cached ?? importPublicKey(jwk, alg));
    // Nothing runs between writing the signing input to scratch and the call, which copies it.
    const signingInput = scratch && jws instanceof ParsedCompactJws ? jws.signingInputIn(scratch) : jws.signingInput;
    const ok = await globalThis.crypto.subtle.verify(
      verifyParams[alg],
      key,
      jws.signature as Uint8Array<ArrayBuffer>,
      signingInput as Uint8Array<ArrayBuffer>,
    );
    if (!ok) return 'SIGNATURE_INVALID';
    // Checked after the signature verifies, so the reason says exactly this: genuine maths, second encoding.
    return alg === 'ES256' && !isLowS(jws.signature) ? 'SIGNATURE_NOT_CANONICAL' : undefined;
  } catch {
    return 'KEY_UNSUPPORTED';
  }
}

/** Lowercase hex SHA-256 of a string's bytes (the compact JWS is ASCII): the ledger anchor digest. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', utf8Encoder.encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * A did-jwt compatible signer (`Signer`): signs the JWS signing input and resolves to the base64url
 * signature. did-jwt's type also allows a recoverable-signature object, which JWS cannot carry.
 */
export type JwsSigner = (data: string | Uint8Array) => Promise<string | object>;

/**
 * Assembles a compact JWS with `signer` (an issuer's or governance `credentialSigner`).
 * Used for status lists and trust lists, whose payloads are fixed here rather than by a JWT library.
 */
export async function signCompactJws(
  header: { readonly alg: JwsAlgorithm; readonly kid: string; readonly typ: string },
  payload: Readonly<Record<string, unknown>>,
  signer: JwsSigner,
): Promise<string> {
  const h = base64urlEncode(utf8Encoder.encode(JSON.stringify(header)));
  const p = base64urlEncode(utf8Encoder.encode(JSON.stringify(payload)));
  const signature = await signer(`${h}.${p}`);
  if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]+$/.test(signature))
    throw new TypeError('signer must resolve to a base64url signature');
  return `${h}.${p}.${canonicalJwsSignature(header.alg, signature)}`;
}

/**
 * A signer's base64url JWS signature in canonical form: ES256 as low-S r‖s (a high-S one is turned
 * into its low-S twin, which verifies the same), EdDSA as given. What an external signer (HSM, KMS)
 * returns goes through here, so nothing credledger signs can be refused by its own verifier.
 * @throws TypeError when an ES256 signature is not 64 bytes of base64url (a DER signature, say)
 */
export function canonicalJwsSignature(alg: JwsAlgorithm, signature: string): string {
  if (alg !== 'ES256') return signature;
  const bytes = base64urlDecode(signature);
  if (bytes?.length !== 64) throw new TypeError('an ES256 signer must return 64 bytes r‖s as base64url (not DER)');
  return isLowS(bytes) ? signature : base64urlEncode(toLowS(bytes));
}
