/**
 * Encrypted responses (`direct_post.jwt`, OpenID4VP 1.0 §8.3; JARM before 1.0): a signed request carries a
 * fresh P-256 public key of its own in its client metadata, the wallet encrypts its whole answer to it as a
 * JWE (`ECDH-ES`, `A128GCM` or `A256GCM`) and posts `response=<JWE>`, and only this verifier, holding the
 * request's private key, can read the presentation. The JWE's `kid` names the request's key. JOSE by
 * `jose`; the key lives in memory with its request and dies with it.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

import type { DecryptJweCallback, Jwk } from '@openid4vc/oauth2';
import { compactDecrypt, decodeProtectedHeader } from 'jose';

/** Content encryptions a wallet may choose (HAIP: A128GCM and A256GCM). */
export const RESPONSE_ENCRYPTIONS: readonly string[] = ['A128GCM', 'A256GCM'];

export interface ResponseKey {
  /** The public key as the request's `client_metadata.jwks` carries it: `use: enc`, `alg: ECDH-ES`, `kid`. */
  readonly publicJwk: Jwk;
  readonly privateKey: KeyObject;
}

/** A new key for one request, named `kid`. */
export function newResponseKey(kid: string): ResponseKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = publicKey.export({ format: 'jwk' });
  return { publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid, use: 'enc', alg: 'ECDH-ES' }, privateKey };
}

/** The `kid` of a compact JWE's protected header, or undefined when it is not one. */
export function responseKeyId(jwe: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(jwe);
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

/** The protocol library's decryption callback for responses to the request holding `key`. */
export function decryptingWith(key: ResponseKey): DecryptJweCallback {
  return async (jwe) => {
    try {
      const { plaintext, protectedHeader } = await compactDecrypt(jwe, key.privateKey, {
        keyManagementAlgorithms: ['ECDH-ES'],
        contentEncryptionAlgorithms: [...RESPONSE_ENCRYPTIONS],
      });
      if (protectedHeader.kid !== key.publicJwk.kid) return { decrypted: false };
      return { decrypted: true, decryptionJwk: key.publicJwk, payload: new TextDecoder().decode(plaintext) };
    } catch {
      return { decrypted: false };
    }
  };
}
