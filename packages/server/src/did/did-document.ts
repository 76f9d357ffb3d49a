/**
 * did:web DID documents generated from the ledger's issuer registry, and did:web → URL.
 * Browser-safe (pure functions).
 * @see https://w3c-ccg.github.io/did-method-web/
 * @see https://www.w3.org/TR/did-core/
 */
import type { IssuerRecord } from '@credledger/vocabulary';
import type { DIDDocument, JsonWebKey as DidJsonWebKey, VerificationMethod } from 'did-resolver';
import { CredledgerError, quoteInput } from '@credledger/verify';

/** A verification method with the key's validity window from the registry. */
export interface CredledgerVerificationMethod extends VerificationMethod {
  readonly type: 'JsonWebKey2020';
  readonly publicKeyJwk: DidJsonWebKey;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly compromisedSince: string | null;
}

export const didDocumentContexts = [
  'https://www.w3.org/ns/did/v1',
  'https://w3id.org/security/suites/jws-2020/v1',
  'https://credledger.org/ns/v1',
] as const;

/**
 * The DID document of an issuer: every key of the record, retired and compromised ones included, as a
 * `JsonWebKey2020` verification method (the JWK type did-jwt and did-resolver users accept; the newer
 * Controlled Identifiers name `JsonWebKey` is not yet understood by did-jwt 9) carrying its validity window (`validFrom`, `validUntil`,
 * `compromisedSince`), so a verifier can judge a credential by the key's state at issuance.
 * `assertionMethod` lists the keys that are not compromised: a retired key still vouches for what it
 * signed before retirement, a compromised one can be judged only against the ledger's anchor time.
 * An issuer that is not ACTIVE gets no assertion methods. Key order follows the record.
 * @throws CredledgerError INVALID_INPUT when a key id does not belong to the issuer's DID
 */
export function issuerDidDocument(issuer: IssuerRecord): DIDDocument {
  const verificationMethod: CredledgerVerificationMethod[] = issuer.keys.map((key) => {
    if (!key.kid.startsWith(`${issuer.did}#`)) {
      throw new CredledgerError('INVALID_INPUT', `key ${key.kid} does not belong to ${issuer.did}`, {
        details: { did: issuer.did, kid: key.kid },
      });
    }
    return {
      id: key.kid,
      type: 'JsonWebKey2020',
      controller: issuer.did,
      publicKeyJwk: { ...key.publicKeyJwk },
      validFrom: key.validFrom,
      validUntil: key.validUntil,
      compromisedSince: key.compromisedSince,
    };
  });
  const usable =
    issuer.status === 'ACTIVE' ? issuer.keys.filter((k) => k.compromisedSince === null).map((k) => k.kid) : [];
  return {
    '@context': [...didDocumentContexts],
    id: issuer.did,
    verificationMethod,
    assertionMethod: usable,
  };
}

// did:web method-specific id: a host (optionally %3A port) then optional :path segments.
const didWeb = /^did:web:([A-Za-z0-9.-]+(?:%3[Aa][0-9]{1,5})?)((?::[A-Za-z0-9._~!$&'()*+,;=@-]+)*)$/;

/**
 * The HTTPS URL a did:web DID document is served from: `did:web:moj.gov.tw` →
 * `https://moj.gov.tw/.well-known/did.json`; `did:web:example.com%3A8443:issuers:moj` →
 * `https://example.com:8443/issuers/moj/did.json`.
 * @throws CredledgerError INVALID_INPUT for anything that is not a did:web DID
 * @see https://w3c-ccg.github.io/did-method-web/#read-resolve
 */
export function didWebUrl(did: string): string {
  const match = didWeb.exec(did);
  const host = match?.[1];
  if (!match || host === undefined || host.startsWith('.') || host.startsWith('-') || host.includes('..')) {
    throw new CredledgerError('INVALID_INPUT', `not a did:web DID: ${quoteInput(did)}`, { details: { did } });
  }
  const authority = host.toLowerCase().replace('%3a', ':');
  const path = match[2] ? match[2].slice(1).split(':').join('/') : '.well-known';
  return `https://${authority}/${path}/did.json`;
}
