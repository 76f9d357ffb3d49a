/**
 * A throwaway self-signed TLS certificate, so that `credledger demo` can serve its verifier page over
 * HTTPS on the LAN: browsers run WebCrypto (and the camera) only in a secure context, https:// or
 * localhost, so a phone opening `http://192.168.…` could not check a single signature. Browsers warn
 * about a certificate nobody vouches for; the person accepts it once, comparing the fingerprint shown.
 * Not for production: there a real certificate (or a TLS-terminating proxy) is the answer.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

import { certificateSerial, loadX509, p256Ecdsa, pemOf } from '@credledger/keys';

export interface SelfSignedCertificate {
  /** PKCS#8 private key, PEM. Keep it in memory; it is worthless once the process ends. */
  readonly key: string;
  /** The certificate, PEM. */
  readonly cert: string;
  /** SHA-256 fingerprint as browsers show it: upper-case hex pairs joined by `:`. */
  readonly fingerprint: string;
}

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
  const x509 = await loadX509();
  const keys = await globalThis.crypto.subtle.generateKey(p256Ecdsa, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: certificateSerial(),
    name: `CN=${options.hosts[0] ?? 'localhost'}, O=credledger demo`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (options.days ?? 30) * 24 * 3600 * 1000),
    signingAlgorithm: p256Ecdsa,
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
  const key = pemOf('PRIVATE KEY', Buffer.from(await globalThis.crypto.subtle.exportKey('pkcs8', keys.privateKey)));
  return { key, cert: pem, fingerprint: new X509Certificate(pem).fingerprint256 };
}
