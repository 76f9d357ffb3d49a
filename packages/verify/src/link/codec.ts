/**
 * Credential links: a compact `vc+jwt` JWS carried in the fragment of a verifier URL, in the fewest
 * QR modules that still give back the byte-exact signed JWT. Browser-safe (no `node:*`): the verifier
 * bundles this file.
 *
 * Wire format of the fragment: decimal digits (QR numeric mode) of the bytes
 * `[format id][format-specific body]`, the id written as two digits, the body as a fixed-width
 * number (./digits.ts), so that a truncated link reads as `CORRUPT`, not as an unknown format:
 *
 * | id | body |
 * |---|---|
 * | 0x01 | 64-byte raw signature ‖ raw deflate, dictionary 1, of `headerJSON ‖ 0x00 ‖ payloadJSON` (the decoded base64url bytes) |
 * | 0x02 | raw deflate, dictionary 1, of the whole compact JWS text (fallback for anything 0x01 cannot rebuild exactly) |
 * | 0x03 | 64-byte raw signature ‖ 16-byte credential UUID ‖ raw deflate, dictionary 1, of the template values (./template.ts) |
 * | 0x04 | 64-byte raw signature ‖ envelope and subject packed by template table 1 ‖ raw deflate, dictionary 2, of their texts (./schema-template.ts) |
 *
 * The encoder builds the template formats that rebuild the JWT exactly and keeps the shorter; only when
 * neither applies does it fall back to 0x01, and to 0x02 when 0x01 cannot rebuild it either.
 *
 * Ids and dictionaries are never changed or reused; new encodings get new ids. An id this code does not
 * know yields `UNSUPPORTED_FORMAT` ("update the verifier"), never "invalid".
 * @see docs/decisions/0003-qr-credential-links.md for why this layout, and ./dictionaries/README for the format ids.
 */
import { deflateSync, inflateSync } from 'fflate';

import { CredledgerError } from '../errors.js';
import { quoteInput } from '../quote-input.js';
import { decodeCanonicalBase64url, encodeBase64url } from './base64url.js';
import { dictionaries } from './dictionaries/index.js';
import { fromFragment, toFragment } from './digits.js';
import { fromSchemaTemplate, toSchemaTemplate } from './schema-template.js';
import { templateTable1 } from './tables/t1.js';
import { rebuildFromTemplate, toTemplate } from './template.js';

/** Format ids of the credential-link byte layout. */
export const credentialLinkFormats = {
  /** Raw 64-byte signature (ES256 P1363 or EdDSA) + header/payload JSON deflated with dictionary 1. */
  JWS64_DEFLATE_D1: 0x01,
  /** The whole compact JWS text deflated with dictionary 1. */
  TEXT_DEFLATE_D1: 0x02,
  /** Raw 64-byte signature + credential UUID + the credledger envelope template's values deflated with dictionary 1. */
  JWS64_TEMPLATE_D1: 0x03,
  /** Raw 64-byte signature + envelope and subject packed by template table 1, their texts deflated with dictionary 2. */
  JWS64_SCHEMA_T1_D2: 0x04,
} as const;

/** Why a text is not a credential: not one of our links, an encoding from a newer verifier, or damaged. */
export type CredentialLinkError = 'NOT_A_CREDENTIAL_LINK' | 'UNSUPPORTED_FORMAT' | 'CORRUPT';

/** Result of {@link decodeCredentialLink}. */
export type DecodedCredentialLink = { readonly jwt: string } | { readonly error: CredentialLinkError };

/** A QR segment as the `qrcode` package takes it. */
export interface CredentialLinkSegment {
  readonly data: string;
  readonly mode: 'byte' | 'numeric';
}

const signatureLength = 64;
/** Upper bound on an inflated body: a JWS we issue is ~2 kB; this stops a crafted deflate bomb. */
const maxInflatedLength = 64 * 1024;
/** Upper bound on fragment digits: a version-40 QR holds 7,089 digits. */
const maxDigits = 8000;
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Printable ASCII, exactly two dots: what the generic format 0x02 accepts. */
const looseJws = /^[\x21-\x2d\x2f-\x7e]*\.[\x21-\x2d\x2f-\x7e]*\.[\x21-\x2d\x2f-\x7e]*$/;

const encoder = new TextEncoder();
const latin1 = new TextDecoder('latin1');
// `ignoreBOM` keeps a leading U+FEFF, so that decoding then encoding gives back the same bytes.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function dictionary(id: number): Uint8Array {
  const d = dictionaries[id];
  if (d === undefined) throw new Error(`dictionary ${id} is missing`);
  return d;
}

/**
 * fflate's memory level: its match finder's hash table holds 2^(12 + mem) entries of 2 bytes, allocated
 * and zeroed on every call. Level 12 (32 MB) cost ~15 ms per call and 12 calls per credential, almost all
 * of it page faults and garbage collection; the dictionary plus one credential is ~7 kB, so 4 (128 kB)
 * already spreads it without crowding, and fflate advises against going lower. Only speed depends on
 * it here: the bodies of 3,000 sample and `issue-batch` credentials (12,000 deflate inputs) came out
 * byte-identical at levels 0–6 and 12, and 1,200 of them at 8–11 as well. Either way a decoder never
 * sees the level: any deflate of the same bytes inflates to them.
 */
const deflateMemory = 4;

/** The shortest raw deflate of `data` this library finds (levels differ by a few bytes case to case). */
function deflateShortest(data: Uint8Array, dict: Uint8Array): Uint8Array {
  let best: Uint8Array | undefined;
  for (const level of [9, 8, 6] as const) {
    const out = deflateSync(data, { level, mem: deflateMemory, dictionary: dict });
    if (best === undefined || out.length < best.length) best = out;
  }
  return best as Uint8Array;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The byte forms of `jwt` that rebuild it exactly, each `[format id, ...body]` (the id becomes two digits
 * in toFragment): the template formats 0x03 and 0x04 when the credential has their shape, else 0x01 when
 * it is a JWS with a 64-byte signature, else 0x02. A fallback is built only when no template applies: it
 * carries the JSON (0x01) or base64 text (0x02) the templates leave out, so it loses to them by far (over
 * 2,000 sample and issued credentials 0x01 was ≥ 97 bytes longer than the best template and 0x02 ≥ 596
 * bytes longer than 0x01), and deflating those longer texts was most of the encoder's time.
 */
function encodings(jwt: string): Uint8Array[] {
  const text = (): Uint8Array[] => [
    concat(Uint8Array.of(credentialLinkFormats.TEXT_DEFLATE_D1), deflateShortest(encoder.encode(jwt), dictionary(1))),
  ];
  const [h, p, s] = jwt.split('.');
  if (h === undefined || p === undefined || s === undefined) return text();
  const header = decodeCanonicalBase64url(h);
  const payload = decodeCanonicalBase64url(p);
  const signature = decodeCanonicalBase64url(s);
  // 0x00 separates header from payload in format 0x01.
  if (header === undefined || payload === undefined || signature?.length !== signatureLength || header.includes(0))
    return text();
  const out: Uint8Array[] = [];
  const headerText = utf8Text(header);
  const payloadText = utf8Text(payload);
  if (headerText !== undefined && payloadText !== undefined) {
    const template = toTemplate(headerText, payloadText);
    if (template !== undefined) {
      const values = deflateShortest(encoder.encode(template.stream), dictionary(1));
      out.push(concat(Uint8Array.of(credentialLinkFormats.JWS64_TEMPLATE_D1), signature, template.uuid, values));
    }
    const packed = toSchemaTemplate(templateTable1, headerText, payloadText);
    if (packed !== undefined) {
      const texts = deflateShortest(encoder.encode(packed.text), dictionary(2));
      out.push(concat(Uint8Array.of(credentialLinkFormats.JWS64_SCHEMA_T1_D2), signature, packed.bits, texts));
    }
  }
  if (out.length > 0) return out;
  const body = deflateShortest(concat(header, Uint8Array.of(0), payload), dictionary(1));
  return [concat(Uint8Array.of(credentialLinkFormats.JWS64_DEFLATE_D1), signature, body)];
}

/**
 * Encodes a compact JWS as a credential link `<baseUrl>#<digits>` for a QR code.
 * @param jwt a compact JWS (`header.payload.signature`); any JWS round-trips exactly, ours most compactly.
 * @param baseUrl the verifier page, e.g. `https://verify.moj.gov.tw/`; scheme and host are lowercased.
 * @throws CredledgerError `CREDENTIAL_MALFORMED` when `jwt` is not a compact JWS, `CONFIG_INVALID` for a bad base URL.
 * @example
 * const link = encodeCredentialLink(jwt, 'https://verify.moj.gov.tw/');
 * decodeCredentialLink(link); // → { jwt }
 */
export function encodeCredentialLink(jwt: string, baseUrl: string): string {
  const base = normaliseBaseUrl(baseUrl);
  // An SD-JWT VC goes to a wallet (docs/wallet.md): no link form is defined for it yet.
  if (jwt.includes('~'))
    throw new CredledgerError('CREDENTIAL_MALFORMED', 'an SD-JWT credential has no QR link yet (it goes to a wallet)');
  if (!looseJws.test(jwt)) throw new CredledgerError('CREDENTIAL_MALFORMED', 'not a compact JWS');
  const bytes = encodings(jwt).reduce((best, next) => (next.length < best.length ? next : best));
  return `${base}#${toFragment(bytes[0] ?? 0, bytes.subarray(1))}`;
}

/**
 * The verifier base URL as links carry it (scheme and host lowercased).
 * @throws CredledgerError `CONFIG_INVALID` when it is not an http(s) URL without a fragment.
 */
export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new CredledgerError('CONFIG_INVALID', `verifier base URL is not a URL: ${quoteInput(baseUrl)}`, { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CredledgerError('CONFIG_INVALID', `verifier base URL must be http(s): ${quoteInput(baseUrl)}`);
  }
  if (url.hash !== '' || baseUrl.includes('#')) {
    throw new CredledgerError('CONFIG_INVALID', `verifier base URL must not have a fragment: ${quoteInput(baseUrl)}`);
  }
  return url.href;
}

function inflate(body: Uint8Array, dict: Uint8Array): Uint8Array | undefined {
  try {
    // fflate truncates to `out`, so a result that fills it was (or may have been) larger: reject it.
    const out = inflateSync(body, { dictionary: dict, out: new Uint8Array(maxInflatedLength + 1) });
    return out.length > maxInflatedLength ? undefined : out;
  } catch {
    return undefined;
  }
}

function decodeBytes(format: number, rest: Uint8Array | undefined): DecodedCredentialLink {
  if (!(Object.values(credentialLinkFormats) as number[]).includes(format)) return { error: 'UNSUPPORTED_FORMAT' };
  if (rest === undefined) return { error: 'CORRUPT' };
  // Offsets below count the id byte, as the layout table does.
  const bytes = concat(Uint8Array.of(format), rest);
  switch (format) {
    case credentialLinkFormats.JWS64_DEFLATE_D1: {
      if (bytes.length <= 1 + signatureLength) return { error: 'CORRUPT' };
      const signature = bytes.subarray(1, 1 + signatureLength);
      const body = inflate(bytes.subarray(1 + signatureLength), dictionary(1));
      const split = body?.indexOf(0) ?? -1;
      if (body === undefined || split < 0) return { error: 'CORRUPT' };
      const jwt = `${encodeBase64url(body.subarray(0, split))}.${encodeBase64url(body.subarray(split + 1))}.${encodeBase64url(signature)}`;
      return { jwt };
    }
    case credentialLinkFormats.TEXT_DEFLATE_D1: {
      const body = inflate(bytes.subarray(1), dictionary(1));
      if (body === undefined) return { error: 'CORRUPT' };
      const jwt = latin1.decode(body);
      return looseJws.test(jwt) ? { jwt } : { error: 'CORRUPT' };
    }
    case credentialLinkFormats.JWS64_TEMPLATE_D1: {
      const fixed = 1 + signatureLength + 16;
      if (bytes.length <= fixed) return { error: 'CORRUPT' };
      const body = inflate(bytes.subarray(fixed), dictionary(1));
      const stream = body === undefined ? undefined : utf8Text(body);
      const rebuilt =
        stream === undefined ? undefined : rebuildFromTemplate(bytes.subarray(1 + signatureLength, fixed), stream);
      if (rebuilt === undefined) return { error: 'CORRUPT' };
      const jwt = `${encodeBase64url(encoder.encode(rebuilt.header))}.${encodeBase64url(encoder.encode(rebuilt.payload))}.${encodeBase64url(bytes.subarray(1, 1 + signatureLength))}`;
      return { jwt };
    }
    case credentialLinkFormats.JWS64_SCHEMA_T1_D2: {
      if (bytes.length <= 1 + signatureLength) return { error: 'CORRUPT' };
      const rebuilt = fromSchemaTemplate(templateTable1, bytes.subarray(1 + signatureLength), (texts) => {
        const body = inflate(texts, dictionary(2));
        return body === undefined ? undefined : utf8Text(body);
      });
      if (rebuilt === undefined) return { error: 'CORRUPT' };
      const jwt = `${encodeBase64url(encoder.encode(rebuilt.header))}.${encodeBase64url(encoder.encode(rebuilt.payload))}.${encodeBase64url(bytes.subarray(1, 1 + signatureLength))}`;
      return { jwt };
    }
    default:
      return { error: 'UNSUPPORTED_FORMAT' };
  }
}

/**
 * Reads a credential out of what a QR scan or a browser gives: a credential link, its fragment
 * (`#…` as `location.hash` shows it, or the bare digits), a URL whose fragment is a raw compact JWT,
 * or a raw compact JWT. Never throws.
 * @returns `{ jwt }` with the exact signed JWT (not yet verified), or `{ error }`.
 */
export function decodeCredentialLink(textOrUrl: string): DecodedCredentialLink {
  if (typeof textOrUrl !== 'string') return { error: 'NOT_A_CREDENTIAL_LINK' };
  const text = textOrUrl.trim();
  if (compactJws.test(text)) return { jwt: text };
  const hash = text.indexOf('#');
  const fragment = hash < 0 ? text : text.slice(hash + 1);
  if (compactJws.test(fragment)) return { jwt: fragment };
  if (!/^[0-9]+$/.test(fragment)) return { error: 'NOT_A_CREDENTIAL_LINK' };
  if (fragment.length > maxDigits) return { error: 'CORRUPT' };
  const parts = fromFragment(fragment);
  return parts === undefined ? { error: 'CORRUPT' } : decodeBytes(parts.format, parts.rest);
}

/**
 * Splits a credential link into QR segments: byte mode for `https://host/path#`, numeric mode for the
 * digits. A link whose fragment is not digits stays one byte-mode segment.
 */
export function credentialLinkSegments(link: string): CredentialLinkSegment[] {
  const hash = link.indexOf('#');
  const digits = hash < 0 ? '' : link.slice(hash + 1);
  if (hash < 0 || !/^[0-9]+$/.test(digits)) return [{ data: link, mode: 'byte' }];
  return [
    { data: link.slice(0, hash + 1), mode: 'byte' },
    { data: digits, mode: 'numeric' },
  ];
}
