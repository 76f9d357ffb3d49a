import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { decodeCredentialLink } from '../src/index.js';
import { credentialLinkFormats, credentialLinkSegments, encodeCredentialLink } from '../src/formats.js';
import { bytesToDigits, digitsForBytes, digitsToBytes, toFragment } from '../src/link/digits.js';
import { createSampleGenerator } from '../../issuer/test/helpers/sample-credentials.js';

interface Vector {
  readonly name: string;
  readonly format: number;
  readonly jwt: string;
  readonly link: string;
}
const { vectors } = JSON.parse(readFileSync(new URL('./fixtures/link/vectors.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
};

const moj = 'https://verify.moj.gov.tw/';
const moea = 'https://verify.moea.gov.tw/';

/** The format id: the fragment's first two digits. */
function formatOf(link: string): number {
  return Number(link.slice(link.indexOf('#') + 1, link.indexOf('#') + 3));
}

function jwtOf(result: ReturnType<typeof decodeCredentialLink>): string | undefined {
  return 'jwt' in result ? result.jwt : undefined;
}

describe('credential link test vectors', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s decodes to its exact JWT', (_name, v) => {
    expect(decodeCredentialLink(v.link)).toEqual({ jwt: v.jwt });
    expect(formatOf(v.link)).toBe(v.format);
  });

  // The encoder keeps the shortest exact form, so a vector of a superseded format (0x03 for the types
  // table 1 covers) re-encodes in a newer one; it must still decode, and the new link is never longer.
  it.each(vectors.map((v) => [v.name, v] as const))('%s re-encodes no longer and round-trips', (_name, v) => {
    const link = encodeCredentialLink(v.jwt, v.link.slice(0, v.link.indexOf('#')));
    expect(link.length).toBeLessThanOrEqual(v.link.length);
    expect(jwtOf(decodeCredentialLink(link))).toBe(v.jwt);
  });

  it('of the current formats re-encode in their own format, byte for byte', () => {
    for (const v of vectors.filter((x) => x.format === credentialLinkFormats.JWS64_SCHEMA_T1_D2 || x.format < 3)) {
      expect(encodeCredentialLink(v.jwt, v.link.slice(0, v.link.indexOf('#')))).toBe(v.link);
    }
  });

  it('cover every format id', () => {
    expect(new Set(vectors.map((v) => v.format))).toEqual(new Set(Object.values(credentialLinkFormats)));
  });
});

describe('encodeCredentialLink / decodeCredentialLink', () => {
  const gen = createSampleGenerator(42);
  const samples = [
    ...Array.from({ length: 20 }, () => ({ jwt: gen.lawyerLicence().jwt, base: moj })),
    ...Array.from({ length: 5 }, () => ({ jwt: gen.lawyerLicence({ alg: 'EdDSA' }).jwt, base: moj })),
    ...Array.from({ length: 20 }, () => ({ jwt: gen.economicCertificate().jwt, base: moea })),
    ...Array.from({ length: 5 }, () => ({
      jwt: gen.economicCertificate(undefined, { alg: 'EdDSA', keyOrder: 'did-jwt' }).jwt,
      base: moea,
    })),
  ];

  it('gives back the byte-exact JWT for random credentials of every type, ES256 and EdDSA', () => {
    for (const { jwt, base } of samples) {
      const link = encodeCredentialLink(jwt, base);
      expect(link.startsWith(`${base}#`)).toBe(true);
      expect(jwtOf(decodeCredentialLink(link))).toBe(jwt);
    }
  });

  it('uses the schema template for credentials shaped as packages/issuer/src/credentials writes them', () => {
    expect(formatOf(encodeCredentialLink(gen.lawyerLicence().jwt, moj))).toBe(credentialLinkFormats.JWS64_SCHEMA_T1_D2);
    for (const kind of ['company-registration', 'factory-registration', 'certificate-of-origin'] as const) {
      expect(formatOf(encodeCredentialLink(gen.economicCertificate(kind).jwt, moea))).toBe(
        credentialLinkFormats.JWS64_SCHEMA_T1_D2,
      );
    }
  });

  it('puts only digits in the fragment, unchanged by URL parsing as location.hash sees it', () => {
    for (const { jwt, base } of samples.slice(0, 10)) {
      const link = encodeCredentialLink(jwt, base);
      const url = new URL(link);
      expect(url.hash).toMatch(/^#[0-9]+$/);
      expect(url.href).toBe(link);
      expect(jwtOf(decodeCredentialLink(url.hash))).toBe(jwt);
      expect(jwtOf(decodeCredentialLink(url.hash.slice(1)))).toBe(jwt);
    }
  });

  it('normalises the base URL: lowercase scheme and host, path kept', () => {
    const jwt = samples[0]?.jwt ?? '';
    expect(encodeCredentialLink(jwt, 'HTTPS://Verify.MOJ.gov.tw').startsWith('https://verify.moj.gov.tw/#')).toBe(true);
    expect(
      encodeCredentialLink(jwt, 'https://www.moj.gov.tw/verify/').startsWith('https://www.moj.gov.tw/verify/#'),
    ).toBe(true);
  });

  it('rejects a bad base URL with CONFIG_INVALID and a non-JWS with CREDENTIAL_MALFORMED', () => {
    const jwt = samples[0]?.jwt ?? '';
    expect(() => encodeCredentialLink(jwt, 'verify.moj.gov.tw')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => encodeCredentialLink(jwt, 'ftp://verify.moj.gov.tw/')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => encodeCredentialLink(jwt, 'https://verify.moj.gov.tw/#x')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => encodeCredentialLink('not a jwt', moj)).toThrow(
      expect.objectContaining({ code: 'CREDENTIAL_MALFORMED' }),
    );
    expect(() => encodeCredentialLink('a.b', moj)).toThrow(expect.objectContaining({ code: 'CREDENTIAL_MALFORMED' }));
  });

  it('keeps non-canonical base64url exact (padding, non-zero trailing bits)', () => {
    const [h, p, s] = (samples[0]?.jwt ?? '').split('.') as [string, string, string];
    // The last character of a 64-byte signature carries 4 unused bits; setting one changes the text, not the bytes.
    const last = s.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const bumped = alphabet[alphabet.indexOf(last) ^ 1] ?? 'B';
    for (const jwt of [`${h}.${p}.${s.slice(0, -1)}${bumped}`, `${h}.${p}.${s}==`, `${h}=.${p}.${s}`, `${h}.${p}.`]) {
      expect(jwtOf(decodeCredentialLink(encodeCredentialLink(jwt, moj)))).toBe(jwt);
    }
  });

  it('accepts a raw compact JWT and a URL whose fragment is a raw JWT', () => {
    const jwt = samples[0]?.jwt ?? '';
    expect(decodeCredentialLink(jwt)).toEqual({ jwt });
    expect(decodeCredentialLink(`  ${jwt}\n`)).toEqual({ jwt });
    expect(decodeCredentialLink(`https://verify.moj.gov.tw/#${jwt}`)).toEqual({ jwt });
  });

  it('says NOT_A_CREDENTIAL_LINK for other text', () => {
    for (const text of [
      '',
      'hello',
      'https://www.moj.gov.tw/',
      'https://www.moj.gov.tw/#section-2',
      'WIFI:S:x;;',
      '12ab',
    ]) {
      expect(decodeCredentialLink(text)).toEqual({ error: 'NOT_A_CREDENTIAL_LINK' });
    }
    expect(decodeCredentialLink(undefined as unknown as string)).toEqual({ error: 'NOT_A_CREDENTIAL_LINK' });
  });

  it('says UNSUPPORTED_FORMAT for a format id this verifier does not know', () => {
    const known = new Set<number>(Object.values(credentialLinkFormats));
    for (const id of [5, 42, 99]) {
      expect(known.has(id)).toBe(false);
      expect(decodeCredentialLink(`${moj}#${toFragment(id, new Uint8Array(100).fill(7))}`)).toEqual({
        error: 'UNSUPPORTED_FORMAT',
      });
      // Even when its body has a length we would not write: an unknown format's body is not ours to judge.
      expect(decodeCredentialLink(`${moj}#${toFragment(id, new Uint8Array(100))}1`)).toEqual({
        error: 'UNSUPPORTED_FORMAT',
      });
    }
    expect(decodeCredentialLink(`${moj}#00${bytesToDigits(new Uint8Array(80).fill(1))}`)).toEqual({
      error: 'UNSUPPORTED_FORMAT',
    });
  });

  it('says CORRUPT for damaged digits, and never throws', () => {
    const jwt = samples[0]?.jwt ?? '';
    const link = encodeCredentialLink(jwt, moj);
    const digits = link.slice(moj.length + 1);
    // Cut short by any amount (chat apps trim long links): still its own format, and damaged.
    for (let cut = 1; cut < digits.length - 2; cut++) {
      expect(decodeCredentialLink(`${moj}#${digits.slice(0, -cut)}`)).toEqual({ error: 'CORRUPT' });
    }
    expect(decodeCredentialLink(`${moj}#${digits}0`)).toEqual({ error: 'CORRUPT' });
    expect(decodeCredentialLink(`${moj}#${'9'.repeat(9000)}`)).toEqual({ error: 'CORRUPT' });
    // A fixed-width body that overflows its byte count.
    expect(decodeCredentialLink(`${moj}#03${'9'.repeat(digitsForBytes(100))}`)).toEqual({ error: 'CORRUPT' });
    // Known formats with nothing or garbage after the id.
    for (const id of Object.values(credentialLinkFormats)) {
      expect(decodeCredentialLink(toFragment(id, new Uint8Array()))).toEqual({ error: 'CORRUPT' });
      expect(decodeCredentialLink(toFragment(id, new Uint8Array(90).fill(0xff)))).toEqual({ error: 'CORRUPT' });
    }
    // Any single changed digit in the body: an error or another JWT (the signature check catches it), never the original.
    for (let i = 2; i < digits.length; i += 37) {
      const changed = digits.slice(0, i) + String((Number(digits[i]) + 5) % 10) + digits.slice(i + 1);
      const result = decodeCredentialLink(`${moj}#${changed}`);
      expect(jwtOf(result)).not.toBe(jwt);
    }
  });

  it('splits a link into a byte-mode prefix and numeric-mode digits', () => {
    const link = encodeCredentialLink(samples[0]?.jwt ?? '', moj);
    expect(credentialLinkSegments(link)).toEqual([
      { data: moj + '#', mode: 'byte' },
      { data: link.slice(moj.length + 1), mode: 'numeric' },
    ]);
    expect(credentialLinkSegments('https://x.example/#abc')).toEqual([
      { data: 'https://x.example/#abc', mode: 'byte' },
    ]);
  });
});

describe('digits', () => {
  it('round-trip bytes of every length, leading zero bytes included, in a width that gives the length back', () => {
    const widths = new Set<number>();
    for (let n = 0; n <= 300; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) % 256);
      if (n > 1) bytes[0] = 0;
      const digits = bytesToDigits(bytes);
      expect(digits).toHaveLength(digitsForBytes(n));
      expect(digitsToBytes(digits)).toEqual(bytes);
      expect(digitsToBytes(bytesToDigits(new Uint8Array(n).fill(255)))).toEqual(new Uint8Array(n).fill(255));
      widths.add(digits.length);
    }
    expect(widths.size).toBe(301);
    expect(digitsToBytes('12a')).toBeUndefined();
  });
});

describe('the codec is browser-safe', () => {
  it('imports nothing from node:* or Node built-ins in its module graph', () => {
    const seen = new Set<string>();
    const visit = (url: URL): void => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const source = readFileSync(url, 'utf8');
      for (const [, spec] of source.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)) {
        if (spec === undefined) continue;
        expect(spec).not.toMatch(/^node:|^(fs|path|os|crypto|zlib|buffer|worker_threads|url)$/);
        if (spec.startsWith('.')) visit(new URL(spec.replace(/\.js$/, '.ts'), url));
        // The vocabulary imports nothing at all (packages/vocabulary/test/package.test.ts bundles it for the browser).
        else expect(['fflate', '@credledger/vocabulary']).toContain(spec);
      }
    };
    visit(new URL('../src/link/codec.ts', import.meta.url));
    expect(seen.size).toBeGreaterThanOrEqual(5);
    expect(readdirSync(new URL('../src/link/dictionaries/', import.meta.url))).toContain('d1.ts');
  });
});
