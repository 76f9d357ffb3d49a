import { describe, expect, it } from '@jest/globals';

import { BitReader, BitWriter } from '../src/link/bits.js';
import { decodeCredentialLink } from '../src/index.js';
import { credentialLinkFormats, encodeCredentialLink } from '../src/formats.js';
import { fromSchemaTemplate, toSchemaTemplate } from '../src/link/schema-template.js';
import { templateTable1 } from '../src/link/tables/t1.js';
import { createSampleGenerator, type SampleCredential } from '../../issuer/test/helpers/sample-credentials.js';

const moj = 'https://verify.moj.gov.tw/';
const moea = 'https://verify.moea.gov.tw/';
const signature = Buffer.alloc(64, 7).toString('base64url');
/**
 * The samples of a test: a generator of its own with the same seed, so that what a test gets does not
 * depend on which tests ran before it (jest runs them in a random order).
 */
const samples = () => createSampleGenerator(7);

/** A compact JWS of exactly these JSON objects (the codec never checks the signature). */
function jws(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

function formatOf(link: string): number {
  return Number(link.slice(link.indexOf('#') + 1, link.indexOf('#') + 3));
}

/** Encodes, checks the exact round trip, returns the format id used. */
function roundTrip(jwt: string, base: string): number {
  const link = encodeCredentialLink(jwt, base);
  expect(decodeCredentialLink(link)).toEqual({ jwt });
  return formatOf(link);
}

function variant(
  credential: SampleCredential,
  change: (payload: Record<string, unknown>, header: Record<string, unknown>) => void,
): string {
  const header = structuredClone(credential.header);
  const payload = structuredClone(credential.payload);
  change(payload, header);
  return jws(header, payload);
}

const subjectOf = (p: Record<string, unknown>): Record<string, unknown> =>
  p.credentialSubject as Record<string, unknown>;

describe('format 0x04 (schema template, table 1)', () => {
  it('packs envelope variations the SDK can write, and gives back the exact bytes', () => {
    const lawyer = samples().lawyerLicence();
    const cases: Array<(p: Record<string, unknown>, h: Record<string, unknown>) => void> = [
      // validFrom at issuance time, not midnight; iat before nbf; no expiry.
      (p) => {
        p.validFrom = '2026-03-04T05:06:07Z';
        p.nbf = Date.parse('2026-03-04T05:06:07Z') / 1000;
        p.iat = (p.nbf as number) - 3600;
        delete p.validUntil;
        delete p.exp;
      },
      // Expiry not a whole number of years.
      (p) => {
        p.exp = (p.nbf as number) + 90 * 86400;
        p.validUntil = new Date((p.exp as number) * 1000).toISOString().replace('.000Z', 'Z');
      },
      // A later status list, a non-v4 UUID, a key id not of the form key-<n>.
      (p, h) => {
        const status = p.credentialStatus as Array<Record<string, unknown>>;
        const entry = status[1] ?? {};
        const list = `${String(entry.statusListCredential)}/3`;
        entry.statusListCredential = list;
        entry.id = `${list}#${String(entry.statusListIndex)}`;
        p.id = 'urn:uuid:00000000-0000-1000-0000-000000000000';
        p.jti = p.id;
        h.kid = 'did:web:moj.gov.tw#hsm-2026';
      },
      // Values outside the vocabularies, digits with leading zeros, a one-character name.
      (p) => {
        const s = subjectOf(p);
        s.name = '林';
        s.licenceNumber = '(99)台檢證字第000123號';
        s.practiceStatus = 'practising';
        s.barMemberships = ['某某律師公會', '台北律師公會'];
        s.lawFirm = '第0012號聯合法律事務所';
      },
    ];
    for (const change of cases) {
      expect(roundTrip(variant(lawyer, change), moj)).toBe(credentialLinkFormats.JWS64_SCHEMA_T1_D2);
    }
  });

  it('packs integers, dates far from validFrom and every economic kind', () => {
    const company = samples().economicCertificate('company-registration');
    for (const capital of [0, 1, 1230000000, Number.MAX_SAFE_INTEGER]) {
      const jwt = variant(company, (p) => {
        subjectOf(p).capital = capital;
        subjectOf(p).establishedDate = '1901-02-03';
      });
      expect(roundTrip(jwt, moea)).toBe(credentialLinkFormats.JWS64_SCHEMA_T1_D2);
    }
  });

  it('leaves credentials the table does not describe to the other formats, still exact', () => {
    const origin = samples().economicCertificate('certificate-of-origin');
    const changes: Array<(p: Record<string, unknown>) => void> = [
      (p) => {
        p.type = ['VerifiableCredential', 'PharmacistLicenceCredential'];
      },
      (p) => {
        subjectOf(p).extra = 'a field the table does not know';
      },
      (p) => {
        subjectOf(p).hsCode = 87149100;
      },
      (p) => {
        subjectOf(p).destinationCountry = 'XX\u0001';
      },
      (p) => {
        p.credentialSubject = { ...subjectOf(p), kind: 'mining-permit' };
      },
      (p) => {
        delete subjectOf(p).companyName;
      },
    ];
    for (const change of changes) {
      const format = roundTrip(variant(origin, change), moea);
      expect(format).not.toBe(credentialLinkFormats.JWS64_SCHEMA_T1_D2);
    }
    // Key order other than the one packages/issuer/src/credentials writes: exact, in a deflate format.
    const { iss, ...rest } = origin.payload;
    const reordered = jws(origin.header, { iss, ...rest });
    expect(roundTrip(reordered, moea)).toBe(credentialLinkFormats.JWS64_DEFLATE_D1);
  });

  it('a credential type table 1 does not list keeps the older envelope template 0x03', () => {
    const jwt = variant(samples().lawyerLicence(), (p) => {
      p.type = ['VerifiableCredential', 'PharmacistLicenceCredential'];
    });
    expect(roundTrip(jwt, moj)).toBe(credentialLinkFormats.JWS64_TEMPLATE_D1);
  });

  it('reads damaged packed bits as CORRUPT or as another credential, never the original', () => {
    const credential = samples().economicCertificate('factory-registration');
    const [h = '', p = ''] = credential.jwt.split('.');
    const packed = toSchemaTemplate(
      templateTable1,
      Buffer.from(h, 'base64url').toString(),
      Buffer.from(p, 'base64url').toString(),
    );
    expect(packed).toBeDefined();
    const bits = packed?.bits ?? new Uint8Array();
    const text = packed?.text ?? '';
    expect(fromSchemaTemplate(templateTable1, bits, () => text)).toEqual({
      header: Buffer.from(h, 'base64url').toString(),
      payload: Buffer.from(p, 'base64url').toString(),
    });
    // Too few or too many texts, or fewer bits than the structure needs.
    expect(
      fromSchemaTemplate(templateTable1, bits, () => text.split('\u0000').slice(1).join('\u0000')),
    ).toBeUndefined();
    expect(fromSchemaTemplate(templateTable1, bits, () => `${text}\u0000more`)).toBeUndefined();
    expect(fromSchemaTemplate(templateTable1, bits.subarray(0, 20), () => text)).toBeUndefined();
    expect(fromSchemaTemplate(templateTable1, bits, () => undefined)).toBeUndefined();
    const link = encodeCredentialLink(credential.jwt, moea);
    const digits = link.slice(moea.length + 1);
    // The last byte can lie past the end of the deflate stream (the inflater never reads it): a change in
    // the last three digits may touch that byte alone and decode to the original. Any earlier digit
    // moves the number by at least 3,000, so a byte the decoder reads changes.
    for (let i = 2; i < digits.length - 3; i += 11) {
      const changed = digits.slice(0, i) + String((Number(digits[i]) + 3) % 10) + digits.slice(i + 1);
      const result = decodeCredentialLink(`${moea}#${changed}`);
      expect('jwt' in result ? result.jwt : undefined).not.toBe(credential.jwt);
    }
  });
});

describe('bits', () => {
  it('round-trip fixed widths, Exp-Golomb and signed codes at their edges', () => {
    const w = new BitWriter();
    const values = [0, 1, 2, 3, 7, 8, 65535, 65536, 131071, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER];
    for (const v of values) for (const k of [0, 2, 14, 16]) w.expGolomb(v, k);
    for (const v of [0, -1, 1, -86400, 86400]) w.signed(v, 10);
    w.bits(12345678, 27);
    w.bit(true);
    const r = new BitReader(w.toBytes());
    for (const v of values) for (const k of [0, 2, 14, 16]) expect(r.expGolomb(k)).toBe(v);
    for (const v of [0, -1, 1, -86400, 86400]) expect(r.signed(10)).toBe(v);
    expect(r.bits(27)).toBe(12345678);
    expect(r.bit()).toBe(true);
    expect(r.paddingIsZero()).toBe(true);
    expect(() => r.bits(8)).toThrow();
  });

  it('codes small numbers short: Exp-Golomb order 0 of 0 is one bit', () => {
    const w = new BitWriter();
    w.expGolomb(0, 0);
    expect(w.toBytes()).toEqual(Uint8Array.of(0x80));
    expect(() => {
      w.bits(4, 2);
    }).toThrow(RangeError);
  });
});
