/**
 * Compact JWS parsing and checking on WebCrypto (`globalThis.crypto.subtle`): the same code in Node 24
 * and browsers, no `node:*`. Signatures never go through a pure-JS implementation.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1 (compact serialization)
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.4 (ES256 signatures are raw r || s)
 */

/** Largest compact JWS accepted. A realistic credential is ~1–2 KB; a status list ~1 KB after GZIP. */
export const MAX_JWS_LENGTH = 64 * 1024;

const B64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** Decodes unpadded base64url; undefined on any character outside the alphabet or an impossible length. */
export function base64urlDecode(text: string): Uint8Array | undefined {
  if (!B64URL.test(text) || text.length % 4 === 1) return undefined;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  try {
    const binary = atob(padded);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
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

function decodeJsonObject(part: string): Record<string, unknown> | JwsParseError {
  const bytes = base64urlDecode(part);
  if (!bytes) return 'BAD_BASE64URL';
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'BAD_JSON';
    return value as Record<string, unknown>;
  } catch {
    return 'BAD_JSON';
  }
}

/** Splits and decodes a compact JWS; returns an error code instead of throwing. */
export function parseCompactJws(compact: string): ParsedJws | JwsParseError {
  if (compact.length > MAX_JWS_LENGTH) return 'TOO_LONG';
  const parts = compact.split('.');
  if (parts.length !== 3) return 'NOT_COMPACT_JWS';
  const [h, p, s] = parts as [string, string, string];
  if (h === '' || p === '') return 'NOT_COMPACT_JWS';
  const header = decodeJsonObject(h);
  if (typeof header === 'string') return header;
  const payload = decodeJsonObject(p);
  if (typeof payload === 'string') return payload;
  const signature = base64urlDecode(s);
  if (!signature) return 'BAD_BASE64URL';
  return { header, payload, signature, signingInput: utf8Encoder.encode(`${h}.${p}`), compact };
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

/**
 * Imported public keys, keyed by kid *and* key material: a source that serves another key under a
 * known kid (rotation, a different registry) never reuses the earlier CryptoKey. Bounded so that
 * hostile input naming endless kids cannot grow memory.
 */
const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_LIMIT = 1024;

function publicKeyFingerprint(jwk: JsonWebKey): string {
  return `${jwk.kty ?? ''}|${jwk.crv ?? ''}|${jwk.x ?? ''}|${jwk.y ?? ''}`;
}

function importPublicKey(kid: string, jwk: JsonWebKey, alg: JwsAlgorithm): Promise<CryptoKey> {
  const cacheKey = `${kid}\n${publicKeyFingerprint(jwk)}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    // Only the public members: a JWK carrying `d` or odd `key_ops` must not change what is imported.
    const publicOnly: JsonWebKey =
      alg === 'ES256' ? { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! } : { kty: 'OKP', crv: 'Ed25519', x: jwk.x! };
    key = globalThis.crypto.subtle.importKey('jwk', publicOnly, importParams[alg], false, ['verify']);
    keyCache.set(cacheKey, key);
    // A key that fails to import must not stay cached as a rejected promise.
    key.catch(() => keyCache.delete(cacheKey));
  }
  return key;
}

export type SignatureFailure = 'ALG_NOT_ALLOWED' | 'KEY_UNSUPPORTED' | 'SIGNATURE_INVALID';

/**
 * Verifies a parsed JWS with one public key. The header `alg` must be exactly the key's algorithm.
 * Returns undefined when the signature is good, otherwise why not. Never throws.
 */
export async function verifyJwsSignature(jws: ParsedJws, kid: string, jwk: JsonWebKey): Promise<SignatureFailure | undefined> {
  const alg = algorithmForJwk(jwk);
  if (!alg) return 'KEY_UNSUPPORTED';
  if (jws.header.alg !== alg) return 'ALG_NOT_ALLOWED';
  if (jws.signature.length !== signatureLength[alg]) return 'SIGNATURE_INVALID';
  try {
    const key = await importPublicKey(kid, jwk, alg);
    const ok = await globalThis.crypto.subtle.verify(
      verifyParams[alg],
      key,
      jws.signature as Uint8Array<ArrayBuffer>,
      jws.signingInput as Uint8Array<ArrayBuffer>,
    );
    return ok ? undefined : 'SIGNATURE_INVALID';
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
  if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]+$/.test(signature)) throw new TypeError('signer must resolve to a base64url signature');
  return `${h}.${p}.${signature}`;
}
