/**
 * Issuer signing keys: generation, public JWKs and thumbprints. The private key stays a node:crypto
 * `KeyObject` (its inspection and JSON show no key material), and leaves the process only encrypted
 * (`key-store.ts`).
 */
import { createPublicKey, generateKeyPairSync, hash, type KeyObject } from 'node:crypto';
import { keyAlgorithm } from '../credentials/sign.js';
import type { CredentialAlgorithm } from '../credentials/credential.js';
import { CredledgerError } from '@credledger/verify';

/** A public key as the issuer registry and DID documents carry it (members in this order). */
export type PublicKeyJwk =
  | { readonly kty: 'EC'; readonly crv: 'P-256'; readonly x: string; readonly y: string }
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519'; readonly x: string };

export interface IssuerKey {
  readonly alg: CredentialAlgorithm;
  /** Full DID URL, e.g. `did:web:moj.gov.tw#key-1`. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicKeyJwk: PublicKeyJwk;
}

/**
 * The public JWK of a P-256 or Ed25519 key (private keys are reduced to their public half).
 * @throws CredledgerError KEY_STORE_ERROR for other key types
 */
export function publicKeyJwk(key: KeyObject): PublicKeyJwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const alg = keyAlgorithm(publicKey);
  const jwk = publicKey.export({ format: 'jwk' });
  if (alg === 'ES256') return { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) };
  return { kty: 'OKP', crv: 'Ed25519', x: String(jwk.x) };
}

/**
 * RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key.
 * @see https://www.rfc-editor.org/rfc/rfc7638
 */
export function jwkThumbprint(jwk: PublicKeyJwk): string {
  // Required members only, in lexicographic order, no white space.
  const canonical =
    jwk.kty === 'EC'
      ? JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
      : JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return hash('sha256', canonical, 'base64url');
}

const didPattern = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;
const fragmentPattern = /^[A-Za-z0-9._~-]{1,64}$/;

/**
 * Wraps an existing private key as an issuer key with the given key id.
 * @throws CredledgerError KEY_STORE_ERROR for a key that is not P-256 / Ed25519; INVALID_INPUT for a kid that is no DID URL
 */
export function issuerKeyFromPrivateKey(privateKey: KeyObject, kid: string): IssuerKey {
  if (privateKey.type !== 'private')
    throw new CredledgerError('KEY_STORE_ERROR', 'an issuer key needs its private key');
  const [did, fragment] = kid.split('#');
  if (did === undefined || fragment === undefined || !didPattern.test(did) || !fragmentPattern.test(fragment)) {
    throw new CredledgerError('INVALID_INPUT', 'a key id must be a DID URL like did:web:moj.gov.tw#key-1', {
      details: { kid },
    });
  }
  const publicKey = createPublicKey(privateKey);
  return { alg: keyAlgorithm(privateKey), kid, privateKey, publicKey, publicKeyJwk: publicKeyJwk(publicKey) };
}

/**
 * Generates a new issuer key pair.
 * @param alg `ES256` (P-256, default) or `EdDSA` (Ed25519)
 * @param options.did the issuer DID the key belongs to
 * @param options.fragment the key's name in the DID document; default `key-` + the first 16 characters of its JWK thumbprint
 * @throws CredledgerError INVALID_INPUT for a bad DID or fragment
 * @example
 * const key = generateIssuerKey('ES256', { did: 'did:web:moj.gov.tw', fragment: 'key-1' });
 */
export function generateIssuerKey(alg: CredentialAlgorithm, options: { did: string; fragment?: string }): IssuerKey {
  const { privateKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const fragment = options.fragment ?? `key-${jwkThumbprint(publicKeyJwk(privateKey)).slice(0, 16)}`;
  return issuerKeyFromPrivateKey(privateKey, `${options.did}#${fragment}`);
}
