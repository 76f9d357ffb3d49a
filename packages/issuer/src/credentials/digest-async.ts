/**
 * The ledger anchor of a credential (lowercase hex SHA-256 of the compact JWS as ASCII) with WebCrypto,
 * for browsers. Same value as `credentialDigest`.
 */
export async function credentialDigestAsync(jwt: string): Promise<string> {
  const bytes = new TextEncoder().encode(jwt);
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
