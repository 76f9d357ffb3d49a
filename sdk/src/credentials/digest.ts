import { hash } from 'node:crypto';

/**
 * The ledger anchor of a credential: lowercase hex SHA-256 of the compact JWS as ASCII (data-model.md).
 * Node only and synchronous; browsers use `credentialDigestAsync` from `digest-async.ts`.
 */
export function credentialDigest(jwt: string): string {
  return hash('sha256', jwt, 'hex');
}
