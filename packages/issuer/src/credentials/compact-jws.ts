/**
 * Compact JWS with node:crypto: the issuance hot path. Kept free of did-jwt so signing worker threads
 * start fast; `sign.ts` proves the output equals did-jwt's `createJWS`.
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1
 */
import { sign as nodeSign, type KeyObject } from 'node:crypto';
import { canonicalJwsSignature, isLowS, toLowS } from '@credledger/verify/formats';
import type { CredentialAlgorithm } from './credential.js';

/**
 * Raw JOSE signature bytes: ES256 as r‖s (IEEE P1363, as JWS requires, not DER) with low S (OpenSSL
 * gives either half; the verifier accepts only s ≤ n/2, see verify/low-s.ts), EdDSA as is.
 */
export function signBytes(alg: CredentialAlgorithm, privateKey: KeyObject, data: Uint8Array): Buffer {
  if (alg !== 'ES256') return nodeSign(null, data, privateKey);
  const signature = nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return isLowS(signature) ? signature : Buffer.from(toLowS(signature));
}

/** base64url of the UTF-8 JSON of `value`, as JWS (and did-jwt) encode a header or payload. */
export function encodeJwsPart(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Signs `<encodedHeader>.<base64url(payloadJson)>` with a local key and returns the compact JWS.
 * The header is encoded once by the caller; the payload is the exact JSON text to sign.
 */
export function signCompactJws(
  encodedHeader: string,
  payloadJson: string,
  alg: CredentialAlgorithm,
  privateKey: KeyObject,
): string {
  return signEncodedJws(encodedHeader, Buffer.from(payloadJson, 'utf8').toString('base64url'), alg, privateKey);
}

/** Signs `<encodedHeader>.<encodedPayload>` (both base64url already) with a local key; returns the compact JWS. */
export function signEncodedJws(
  encodedHeader: string,
  encodedPayload: string,
  alg: CredentialAlgorithm,
  privateKey: KeyObject,
): string {
  const signingInput = `${encodedHeader}.${encodedPayload}`;
  return `${signingInput}.${signBytes(alg, privateKey, Buffer.from(signingInput, 'latin1')).toString('base64url')}`;
}

/**
 * Signs `<encodedHeader>.<encodedPayload>` (both base64url already) with an external signer (did-jwt's
 * `Signer`: an HSM, a KMS) and returns the compact JWS, its signature made canonical (low-S ES256). The
 * signing input is the one did-jwt's `createJWS` builds (`sign.ts` tests it), without its JavaScript
 * base64 encoding, which costs more than a token's signature.
 * @throws TypeError when the signer resolves to anything but a base64url signature of the algorithm's size
 */
export async function signEncodedJwsWith(
  encodedHeader: string,
  encodedPayload: string,
  alg: CredentialAlgorithm,
  signer: (data: string) => Promise<string | object>,
): Promise<string> {
  const signingInput = `${encodedHeader}.${encodedPayload}`;
  const signature = await signer(signingInput);
  if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]+$/.test(signature))
    throw new TypeError('a credential signer must resolve to a base64url signature');
  return `${signingInput}.${canonicalJwsSignature(alg, signature)}`;
}
