/**
 * What every certificate credledger makes shares (the embedded ledger's local CAs and users, the
 * demo's TLS certificate): @peculiar/x509 loaded lazily, P-256 ECDSA keys, CA-style serials, PEM text.
 */

/** @peculiar/x509 (and the reflect-metadata its container needs) loads only when a certificate is made. */
export async function loadX509(): Promise<typeof import('@peculiar/x509')> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(globalThis.crypto);
  return x509;
}

/** WebCrypto parameters of every key and signature: P-256 with SHA-256. */
export const p256Ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A positive 16-byte serial number (first byte below 0x80), as CAs issue, in hex. */
export function certificateSerial(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** DER bytes as PEM text with `label` (`PRIVATE KEY`, `CERTIFICATE`), 64 characters a line. */
export function pemOf(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
