/**
 * The X.509 a signed presentation request needs, on node:crypto's `X509Certificate`: reading a chain
 * (PEM, or the base64 DER of a JOSE `x5c`), the DNS names a certificate is for, and — on the wallet's
 * side — whether a chain leads to a certificate the wallet trusts. OpenID4VP's `x509_san_dns:` client id
 * is a DNS name of the leaf certificate that signed the request (OpenID4VP 1.0 §5.9.3).
 */
import { X509Certificate } from 'node:crypto';

/** Certificates from PEM text (one or more blocks) or from base64 DER strings, in the order given. */
export function readCertificates(certificates: string | readonly string[]): X509Certificate[] {
  const parts =
    typeof certificates === 'string'
      ? (certificates.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [])
      : certificates;
  return parts.map((part) =>
    part.startsWith('-----BEGIN') ? new X509Certificate(part) : new X509Certificate(Buffer.from(part, 'base64')),
  );
}

/** A certificate as an `x5c` entry: standard base64 of its DER (RFC 7515 §4.1.6). */
export function x5cEntry(certificate: X509Certificate): string {
  return certificate.raw.toString('base64');
}

/** The DNS names of a certificate's subjectAltName extension (none without one). */
export function dnsNames(certificate: X509Certificate): string[] {
  return (certificate.subjectAltName ?? '')
    .split(', ')
    .filter((name) => name.startsWith('DNS:'))
    .map((name) => name.slice('DNS:'.length));
}

/**
 * Whether `chain` (leaf first) is valid at `now` and leads to one of `trusted`: each certificate signed by
 * the next, the last signed by a trusted one (or itself trusted), every one within its validity.
 */
export function chainIsTrusted(
  chain: readonly X509Certificate[],
  trusted: readonly X509Certificate[],
  now: Date,
): boolean {
  if (chain.length === 0) return false;
  const within = (certificate: X509Certificate) =>
    Date.parse(certificate.validFrom) <= now.getTime() && now.getTime() <= Date.parse(certificate.validTo);
  if (!chain.every(within)) return false;
  for (let at = 0; at + 1 < chain.length; at++) {
    const [child, parent] = [chain[at], chain[at + 1]];
    if (!child || !parent || !child.checkIssued(parent) || !child.verify(parent.publicKey)) return false;
  }
  const last = chain[chain.length - 1];
  if (last === undefined) return false;
  return trusted.some(
    (anchor) =>
      within(anchor) &&
      (anchor.fingerprint256 === last.fingerprint256 || (last.checkIssued(anchor) && last.verify(anchor.publicKey))),
  );
}
