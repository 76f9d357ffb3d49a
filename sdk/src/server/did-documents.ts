/**
 * DID documents for the issuers the ledger knows, built from their registered keys, and the did:web
 * path each one lives at.
 *
 * @see https://w3c-ccg.github.io/did-method-web/#read-resolve
 * @see https://www.w3.org/TR/did-core/#verification-methods
 */
import type { IssuerRecord } from '../verify/records.js';

export interface DidDocument {
  readonly '@context': readonly string[];
  readonly id: string;
  readonly verificationMethod: readonly {
    readonly id: string;
    readonly type: 'JsonWebKey2020';
    readonly controller: string;
    readonly publicKeyJwk: JsonWebKey;
  }[];
  readonly assertionMethod: readonly string[];
}

/**
 * The document of an issuer. Keys that are retired stay listed, so credentials signed before retirement
 * keep resolving; compromised keys are left out, so nothing new verifies against them.
 */
export function didDocumentOf(issuer: IssuerRecord): DidDocument {
  const keys = issuer.keys.filter((key) => key.compromisedSince === null);
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: issuer.did,
    verificationMethod: keys.map((key) => ({
      id: key.kid,
      type: 'JsonWebKey2020',
      controller: issuer.did,
      publicKeyJwk: publicOnly(key.publicKeyJwk),
    })),
    assertionMethod: keys.map((key) => key.kid),
  };
}

function publicOnly(jwk: JsonWebKey): JsonWebKey {
  const out: JsonWebKey = {};
  if (jwk.kty !== undefined) out.kty = jwk.kty;
  if (jwk.crv !== undefined) out.crv = jwk.crv;
  if (jwk.x !== undefined) out.x = jwk.x;
  if (jwk.y !== undefined) out.y = jwk.y;
  return out;
}

/**
 * Where a did:web DID's document is served: `did:web:moj.gov.tw` → host `moj.gov.tw`, path
 * `/.well-known/did.json`; `did:web:gov.tw:issuers:moj` → path `/issuers/moj/did.json`.
 * Undefined for other DID methods.
 */
export function didWebLocation(did: string): { host: string; path: string } | undefined {
  if (!did.startsWith('did:web:')) return undefined;
  const [hostPart, ...segments] = did.slice('did:web:'.length).split(':');
  if (!hostPart) return undefined;
  try {
    const host = decodeURIComponent(hostPart).toLowerCase();
    const path = segments.length === 0 ? '/.well-known/did.json' : `/${segments.map((s) => encodeURIComponent(decodeURIComponent(s))).join('/')}/did.json`;
    return { host, path };
  } catch {
    return undefined;
  }
}
