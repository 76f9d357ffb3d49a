/**
 * Compact JWS with node:crypto: the issuance hot path. Kept free of did-jwt so signing worker threads
 * start fast; `sign.ts` proves the output equals did-jwt's `createJWS`.
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1
 */
import { sign as nodeSign, type KeyObject } from 'node:crypto';
import { isLowS, toLowS } from '@credledger/verify/formats';
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
  const signingInput = `${encodedHeader}.${Buffer.from(payloadJson, 'utf8').toString('base64url')}`;
  return `${signingInput}.${signBytes(alg, privateKey, Buffer.from(signingInput, 'ascii')).toString('base64url')}`;
}
