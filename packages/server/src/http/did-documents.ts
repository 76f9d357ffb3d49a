/**
 * Where the server answers a did:web DID document: the host and path of `didWebUrl` (../did/did-document.ts).
 * The documents themselves are `issuerDidDocument` of the issuer's registry record.
 *
 * @see https://w3c-ccg.github.io/did-method-web/#read-resolve
 */
import { didWebUrl } from '../did/did-document.js';

/**
 * `did:web:moj.gov.tw` → `{ host: 'moj.gov.tw', path: '/.well-known/did.json' }`;
 * `did:web:gov.tw:issuers:moj` → `{ host: 'gov.tw', path: '/issuers/moj/did.json' }`.
 * Undefined for anything that is not a did:web DID.
 */
export function didWebLocation(did: string): { host: string; path: string } | undefined {
  try {
    const url = new URL(didWebUrl(did));
    return { host: url.host, path: url.pathname };
  } catch {
    return undefined;
  }
}
