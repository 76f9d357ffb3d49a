/**
 * The verifier's signature on its presentation requests (JAR, RFC 9101, as OpenID4VP uses it): a P-256
 * key and the X.509 certificate chain that names the verifier's DNS name. With it the request goes by
 * reference — the QR code carries only the client id and a `request_uri`, and the wallet fetches the
 * signed request object — and the client id is `x509_san_dns:<host>`, which a wallet can show as verified
 * (OpenID4VP 1.0 §5.9.3; HAIP requires it). Taiwan's digital wallet gets the same signed request with the
 * pre-1.0 parameter `client_id_scheme: x509_san_dns`.
 */
import { sign, type KeyObject } from 'node:crypto';

import { CredledgerError } from '@credledger/verify';

import { dnsNames, readCertificates, x5cEntry } from '../x509.js';

export interface RequestSigningKey {
  /** The verifier's P-256 private key (ES256). */
  readonly privateKey: KeyObject;
  /** Its certificate chain, leaf first: PEM text (one or more blocks) or base64 DER entries. */
  readonly certificates: string | readonly string[];
}

export interface RequestSigner {
  /** The chain as the JWS `x5c` header carries it. */
  readonly x5c: readonly string[];
  /** The DNS names of the leaf certificate: the hosts this verifier may ask from. */
  readonly dnsNames: readonly string[];
  /** The leaf certificate's validity end (ISO 8601). */
  readonly validTo: string;
  /** The leaf's public key. */
  readonly publicJwk: { readonly kty: 'EC'; readonly crv: 'P-256'; readonly x: string; readonly y: string };
  /** A compact ES256 JWS of `header` and `payload`. */
  sign(header: Record<string, unknown>, payload: Record<string, unknown>): string;
}

/**
 * Checks the key and its chain once, at start.
 * @throws CredledgerError CONFIG_INVALID: no certificate, not P-256, the key not the leaf's, no DNS name,
 *   the leaf not valid now
 */
export function createRequestSigner(key: RequestSigningKey, now: Date = new Date()): RequestSigner {
  let chain;
  try {
    chain = readCertificates(key.certificates);
  } catch (error) {
    throw invalid(
      `the verifier certificate cannot be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const leaf = chain[0];
  if (leaf === undefined) throw invalid('the verifier certificate file holds no PEM certificate');
  const privateJwk = key.privateKey.type === 'private' ? key.privateKey.export({ format: 'jwk' }) : undefined;
  if (privateJwk?.crv !== 'P-256') throw invalid('the verifier key must be a P-256 private key (ES256)');
  const leafJwk = leaf.publicKey.export({ format: 'jwk' });
  if (leafJwk.x !== privateJwk.x || leafJwk.y !== privateJwk.y)
    throw invalid('the verifier key is not the key of the first certificate in the chain');
  const names = dnsNames(leaf);
  if (names.length === 0) throw invalid('the verifier certificate names no DNS name (subjectAltName)');
  if (!(Date.parse(leaf.validFrom) <= now.getTime() && now.getTime() <= Date.parse(leaf.validTo)))
    throw invalid(`the verifier certificate is valid from ${leaf.validFrom} to ${leaf.validTo}, not now`);
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    x5c: chain.map(x5cEntry),
    dnsNames: names,
    validTo: new Date(leaf.validTo).toISOString(),
    publicJwk: { kty: 'EC', crv: 'P-256', x: leafJwk.x ?? '', y: leafJwk.y ?? '' },
    sign(header, payload) {
      const input = `${base64url(header)}.${base64url(payload)}`;
      const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${signature.toString('base64url')}`;
    },
  };
}

function invalid(message: string): CredledgerError {
  return new CredledgerError('CONFIG_INVALID', message);
}
