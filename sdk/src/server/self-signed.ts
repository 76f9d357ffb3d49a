/**
 * A throwaway self-signed TLS certificate, so that `credledger demo` can serve its verifier page over
 * HTTPS on the LAN: browsers run WebCrypto (and the camera) only in a secure context, https:// or
 * localhost, so a phone opening `http://192.168.…` could not check a single signature. Browsers warn
 * about a certificate nobody vouches for; the person accepts it once, comparing the fingerprint shown.
 * Not for production: there a real certificate (or a TLS-terminating proxy) is the answer.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

export interface SelfSignedCertificate {
  /** PKCS#8 private key, PEM. Keep it in memory; it is worthless once the process ends. */
  readonly key: string;
  /** The certificate, PEM. */
  readonly cert: string;
  /** SHA-256 fingerprint as browsers show it: upper-case hex pairs joined by `:`. */
  readonly fingerprint: string;
}

// @peculiar/x509 (and the reflect-metadata it needs) loads only when a certificate is made.
async function x509Lib(): Promise<typeof import('@peculiar/x509')> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(globalThis.crypto);
  return x509;
}

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * Makes a P-256 certificate for `hosts` (IP addresses and DNS names, all in its subjectAltName), valid
 * from a minute ago for `days` days (default 30).
 *
 * @example
 * const tls = await selfSignedCertificate({ hosts: ['192.168.1.20', 'localhost', '127.0.0.1'] });
 * const server = await startServer({ registry, host: '0.0.0.0', tls });
 */
export async function selfSignedCertificate(options: {
  readonly hosts: readonly string[];
  readonly days?: number;
}): Promise<SelfSignedCertificate> {
  const x509 = await x509Lib();
  const keys = await globalThis.crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const serial = globalThis.crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(serial).toString('hex'),
    name: `CN=${options.hosts[0] ?? 'localhost'}, O=credledger demo`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (options.days ?? 30) * 24 * 3600 * 1000),
    signingAlgorithm: ecdsa,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        options.hosts.map((host) => ({ type: isIP(host) ? ('ip' as const) : ('dns' as const), value: host })),
      ),
    ],
  });
  const pem = `${cert.toString('pem')}\n`;
  const pkcs8 = Buffer.from(await globalThis.crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
  return { key, cert: pem, fingerprint: new X509Certificate(pem).fingerprint256 };
}
