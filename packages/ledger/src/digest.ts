import { hash } from 'node:crypto';

/**
 * The ledger anchor of a credential: lowercase hex SHA-256 of the compact JWS as ASCII (data-model.md),
 * what `Registry.anchor` stores and `Registry.verifyDigest` compares. Synchronous; a browser computes the
 * same with WebCrypto (`@credledger/verify`).
 */
export function credentialDigest(jwt: string): string {
  return hash('sha256', jwt, 'hex');
}
