/**
 * Signing credentials. Two ways produce the same bytes:
 * - a pluggable `credentialSigner` (did-jwt's `Signer`, so an HSM or KMS can sign) through did-jwt's `createJWS`;
 * - with a private key in this process, node:crypto directly ("fast path"): did-jwt's JSON and base64url
 *   encoding costs about as much as the ES256 signature itself, so issuing at the native signing rate
 *   means encoding here. Tests prove both paths give byte-identical signing input and verifying signatures.
 */
import type { KeyObject } from 'node:crypto';
import type { JWTHeader, Signer } from 'did-jwt';
import { CredledgerError } from '@credledger/verify';
import { canonicalJwsSignature } from '@credledger/verify/formats';
import { encodeJwsPart, signBytes, signCompactJws } from './compact-jws.js';
import { credentialHeader, type CredentialAlgorithm, type CredentialPayload } from './credential.js';

export { encodeJwsPart, signBytes, signCompactJws } from './compact-jws.js';

/** did-jwt's `Signer`: signs the JWS signing input, resolving to the base64url signature. */
export type CredentialSigner = Signer;

/** How to sign: the algorithm and key id, and either a private key here or a signer elsewhere. */
export type CredentialSigning =
  | { readonly alg: CredentialAlgorithm; readonly kid: string; readonly privateKey: KeyObject }
  | { readonly alg: CredentialAlgorithm; readonly kid: string; readonly credentialSigner: CredentialSigner };

/**
 * The JOSE algorithm of a node:crypto key: ES256 for P-256, EdDSA for Ed25519.
 * @throws CredledgerError KEY_STORE_ERROR for any other key
 */
export function keyAlgorithm(key: KeyObject): CredentialAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new CredledgerError('KEY_STORE_ERROR', 'issuer keys must be P-256 (ES256) or Ed25519 (EdDSA)', {
    details: { keyType: key.asymmetricKeyType, curve: key.asymmetricKeyDetails?.namedCurve },
  });
}

function checkAlgorithm(alg: CredentialAlgorithm, key: KeyObject): void {
  const actual = keyAlgorithm(key);
  if (actual !== alg) {
    throw new CredledgerError('KEY_STORE_ERROR', `the key is ${actual}, not ${alg}`, {
      details: { alg, keyAlg: actual },
    });
  }
}

/**
 * The default `credentialSigner`: node:crypto with a private key in this process.
 * @throws CredledgerError KEY_STORE_ERROR when the key is neither P-256 nor Ed25519
 */
export function nodeCredentialSigner(privateKey: KeyObject): CredentialSigner {
  const alg = keyAlgorithm(privateKey);
  return (data) =>
    Promise.resolve(
      signBytes(alg, privateKey, typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64url'),
    );
}

/**
 * Signs a credential payload as a compact `vc+jwt`.
 * @param payload from `buildCredential` (its property order is kept)
 * @param signing a local private key (fast path) or a `credentialSigner` (did-jwt `createJWS`)
 * @throws CredledgerError KEY_STORE_ERROR when a local key does not match `alg`; whatever a custom signer throws
 * @example
 * const jwt = await signCredential(buildCredential({ … }), { alg: 'ES256', kid: 'did:web:moj.gov.tw#key-1', privateKey });
 */
export async function signCredential(payload: CredentialPayload, signing: CredentialSigning): Promise<string> {
  const header = credentialHeader(signing.alg, signing.kid);
  if ('privateKey' in signing) {
    checkAlgorithm(signing.alg, signing.privateKey);
    return signCompactJws(encodeJwsPart(header), JSON.stringify(payload), signing.alg, signing.privateKey);
  }
  // Loaded for an external signer only: the local-key path (and every start) skips did-jwt and its
  // ~200 files of curves and multiformats.
  const { createJWS } = await import('did-jwt');
  // did-jwt types `typ` as 'JWT'; VC-JOSE-COSE requires 'vc+jwt'. It writes the header as given.
  const jws = await createJWS({ ...payload }, signing.credentialSigner, { ...header } as unknown as Partial<JWTHeader>);
  // An external signer (HSM, KMS) may return either half of an ES256 signature: keep the low-S one.
  const dot = jws.lastIndexOf('.');
  return `${jws.slice(0, dot)}.${canonicalJwsSignature(signing.alg, jws.slice(dot + 1))}`;
}
