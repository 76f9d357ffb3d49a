/**
 * What the @openid4vc libraries ask of their user: hashing, randomness and JWT signature checks, here on
 * node:crypto. Holder keys are P-256 (ES256: HAIP and TW DIW both), given as a JWK in the JWT header or
 * as a `did:jwk` / `did:key` in its `kid`. This side of the protocol signs and encrypts nothing through
 * the libraries: the credential is signed by credledger's issuer, so those callbacks refuse.
 */
import { createHash, createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';

import type { CallbackContext, Jwk, JwtSigner } from '@openid4vc/oauth2';
import { clientAuthenticationAnonymous, HashAlgorithm } from '@openid4vc/oauth2';

/** Signature algorithms accepted from a holder. */
export const HOLDER_ALGORITHMS: readonly string[] = ['ES256'];

/** The callbacks for the server side (credential issuer, verifier): verifying only. */
export function serverCallbacks(): CallbackContext {
  return {
    hash: (data, alg) => createHash(hashName(alg)).update(data).digest(),
    generateRandom: (length) => randomBytes(length),
    verifyJwt: (signer, { compact }) => {
      const jwk = signerJwk(signer);
      if (jwk === undefined || !HOLDER_ALGORITHMS.includes(signer.alg)) return { verified: false };
      return { verified: verifyEs256(compact, jwk), signerJwk: jwk };
    },
    signJwt: () => {
      throw new Error('the credledger wallet endpoints sign nothing through the protocol library');
    },
    encryptJwe: () => {
      throw new Error('encrypted responses are not supported');
    },
    decryptJwe: () => ({ decrypted: false }),
    clientAuthentication: clientAuthenticationAnonymous(),
  };
}

function hashName(alg: HashAlgorithm): string {
  switch (alg) {
    case HashAlgorithm.Sha256:
      return 'sha256';
    case HashAlgorithm.Sha384:
      return 'sha384';
    case HashAlgorithm.Sha512:
      return 'sha512';
    default:
      throw new Error(`hash ${String(alg)} is not supported`);
  }
}

/** ES256 over `header.payload`, the signature as JOSE's r‖s. */
export function verifyEs256(compact: string, jwk: Jwk): boolean {
  const parts = compact.split('.');
  if (parts.length !== 3 || jwk.kty !== 'EC' || jwk.crv !== 'P-256') return false;
  try {
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
    return verifySignature(
      'sha256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(parts[2] ?? '', 'base64url'),
    );
  } catch {
    return false;
  }
}

/** The public key of a JWT's signer: its `jwk`, or the key a `did:jwk` / P-256 `did:key` names. */
export function signerJwk(signer: JwtSigner): Jwk | undefined {
  if (signer.method === 'jwk') return publicPart(signer.publicJwk);
  if (signer.method === 'did') return didPublicKey(signer.didUrl.split('#')[0] ?? '');
  return undefined;
}

/** A holder DID's P-256 public key: `did:jwk:<base64url JWK>` or `did:key:zDn…` (multicodec p256-pub). */
export function didPublicKey(did: string): Jwk | undefined {
  try {
    if (did.startsWith('did:jwk:')) {
      return publicPart(JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8')) as Jwk);
    }
    if (did.startsWith('did:key:z')) {
      const bytes = base58btc(did.slice('did:key:z'.length));
      // multicodec p256-pub (0x1200) as an unsigned varint: 0x80 0x24, then the 33-byte compressed point.
      if (bytes.length !== 35 || bytes[0] !== 0x80 || bytes[1] !== 0x24) return undefined;
      const spki = Buffer.concat([P256_SPKI_COMPRESSED_PREFIX, bytes.subarray(2)]);
      const jwk = createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'jwk' });
      return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The `did:key` of a P-256 public key (compressed point, multicodec p256-pub, base58btc). */
export function didKeyOf(jwk: Jwk): string {
  const spki = createPublicKey({ key: publicPart(jwk), format: 'jwk' }).export({
    format: 'der',
    type: 'spki',
  });
  const point = Buffer.from(spki.subarray(spki.length - 65));
  const compressed = Buffer.concat([Buffer.of(0x02 + ((point[64] ?? 0) & 1)), point.subarray(1, 33)]);
  return `did:key:z${toBase58btc(Buffer.concat([Buffer.of(0x80, 0x24), compressed]))}`;
}

/** SubjectPublicKeyInfo header of an id-ecPublicKey / prime256v1 key with a compressed point. */
const P256_SPKI_COMPRESSED_PREFIX = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');

/** A JWK without its private part or anything but the key itself. */
export function publicPart(jwk: Jwk): Jwk {
  if (jwk.kty !== 'EC' || typeof jwk.crv !== 'string' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new Error('not an EC public key');
  }
  return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58btc(text: string): Uint8Array {
  let value = 0n;
  for (const char of text) {
    const digit = BASE58.indexOf(char);
    if (digit < 0) throw new Error('not base58btc');
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  for (const char of text) {
    if (char !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

function toBase58btc(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = value * 256n + BigInt(byte);
  let text = '';
  while (value > 0n) {
    text = (BASE58[Number(value % 58n)] ?? '') + text;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return text;
}
