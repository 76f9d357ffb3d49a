import { describe, expect, it } from '@jest/globals';
import {
  didOfKid,
  maxBatchSize,
  normaliseInstant,
  parseAddIssuerKeyRequest,
  parseCredentialQuery,
  parseInitRequest,
  parseIssueCredentialsRequest,
  parseIssuerQuery,
  parseListCredentialsByIssuerRequest,
  parseListIssuersRequest,
  parseMarkIssuerKeyCompromisedRequest,
  parseRegisterIssuerRequest,
  parseRetireIssuerKeyRequest,
  parseSetCredentialStatusesRequest,
  parseSetCredentialStatusRequest,
  parseSetIssuerStatusRequest,
  parseSubjectHoldersRequest,
  parseVerifyDigestRequest,
} from '../src/parse';
import { codeOf } from './helpers';

const did = 'did:web:moj.gov.tw';
const kid = `${did}#key-1`;
const ecJwk = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};
const okpJwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const id = 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const digest = 'a'.repeat(64);
const registration = {
  did,
  mspId: 'MojMSP',
  name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
  credentialTypes: ['LawyerLicenceCredential'],
  keys: [{ kid, publicKeyJwk: ecJwk, validFrom: '2026-01-01T00:00:00Z' }],
};
const anchor = {
  id,
  digest,
  type: 'LawyerLicenceCredential',
  kid,
  validFrom: '2026-11-26T00:00:00Z',
  validUntil: '2036-11-26T00:00:00Z',
  subjectDigest: '5'.repeat(64),
};
const json = (value: unknown): string => JSON.stringify(value);

describe('normaliseInstant', () => {
  it('stores UTC instants with milliseconds', () => {
    expect(normaliseInstant('2026-11-26T00:00:00Z')).toBe('2026-11-26T00:00:00.000Z');
    expect(normaliseInstant('2026-11-26T08:09:10.5Z')).toBe('2026-11-26T08:09:10.500Z');
    expect(normaliseInstant('2028-02-29T23:59:59.999Z')).toBe('2028-02-29T23:59:59.999Z');
  });

  it.each([
    ['an offset instead of Z', '2026-11-26T08:00:00+08:00'],
    ['a date only', '2026-11-26'],
    ['31 February', '2026-02-31T00:00:00Z'],
    ['29 February of a common year', '2027-02-29T00:00:00Z'],
    ['hour 24', '2026-11-26T24:00:00Z'],
    ['more than millisecond precision', '2026-11-26T00:00:00.0001Z'],
    ['a year before 1900', '1899-12-31T00:00:00Z'],
    ['surrounding space', ' 2026-11-26T00:00:00Z'],
  ])('refuses %s', (_what, value) => {
    expect(normaliseInstant(value)).toBeUndefined();
  });
});

describe('didOfKid', () => {
  it('returns the DID of a DID URL with a fragment', () => {
    expect(didOfKid(kid)).toBe(did);
    expect(didOfKid('did:web:example.com%3A8443:issuers:moj#k')).toBe('did:web:example.com%3A8443:issuers:moj');
  });

  it.each([
    'did:web:moj.gov.tw',
    'did:web:moj.gov.tw#',
    'did:key:z6Mk#key-1',
    'did:web:MOJ.gov.tw#key-1',
    'did:web:moj.gov.tw#a b',
  ])('refuses %s', (value) => {
    expect(didOfKid(value)).toBeUndefined();
  });
});

describe('parseInitRequest', () => {
  it('accepts MSP ids', () => {
    expect(parseInitRequest(json({ governanceMspIds: ['NdcMSP'] }))).toEqual({ governanceMspIds: ['NdcMSP'] });
  });

  it.each([
    ['not JSON', '{governanceMspIds'],
    ['an array', '[]'],
    ['no ids', json({ governanceMspIds: [] })],
    ['a repeated id', json({ governanceMspIds: ['NdcMSP', 'NdcMSP'] })],
    ['a bad id', json({ governanceMspIds: ['Ndc MSP'] })],
    ['an unknown member', json({ governanceMspIds: ['NdcMSP'], admins: [] })],
  ])('refuses %s with INVALID_INPUT', (_what, text) => {
    expect(codeOf(() => parseInitRequest(text))).toBe('INVALID_INPUT');
  });
});

describe('parseRegisterIssuerRequest', () => {
  it('accepts a registration and normalises times', () => {
    const request = parseRegisterIssuerRequest(
      json({ ...registration, keys: [...registration.keys, { kid: `${did}#key-2`, publicKeyJwk: okpJwk }] }),
    );
    expect(request.keys[0]).toEqual({ kid, publicKeyJwk: ecJwk, validFrom: '2026-01-01T00:00:00.000Z' });
    expect(request.keys[1]).toEqual({ kid: `${did}#key-2`, publicKeyJwk: okpJwk });
    expect(request.name).toEqual(registration.name);
  });

  it.each([
    ['a did:key DID', { did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' }],
    ['an uppercase host', { did: 'did:web:MOJ.gov.tw' }],
    ['a bad MSP id', { mspId: '' }],
    ['a missing English name', { name: { 'zh-TW': '法務部' } }],
    ['a name with a control character', { name: { 'zh-TW': '法務部', en: 'Ministry\nof Justice' } }],
    ['a name with surrounding spaces', { name: { 'zh-TW': '法務部', en: ' Ministry of Justice' } }],
    ['a third language', { name: { 'zh-TW': '法務部', en: 'Ministry of Justice', ja: '法務部' } }],
    ['no credential types', { credentialTypes: [] }],
    ['a repeated credential type', { credentialTypes: ['A', 'A'] }],
    ['a lowercase credential type', { credentialTypes: ['lawyerLicence'] }],
    ['no keys', { keys: [] }],
    ['a key of another DID', { keys: [{ kid: 'did:web:moea.gov.tw#key-1', publicKeyJwk: ecJwk }] }],
    [
      'a repeated kid',
      {
        keys: [
          { kid, publicKeyJwk: ecJwk },
          { kid, publicKeyJwk: okpJwk },
        ],
      },
    ],
    [
      'a private JWK',
      { keys: [{ kid, publicKeyJwk: { ...ecJwk, d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' } }] },
    ],
    ['an RSA JWK', { keys: [{ kid, publicKeyJwk: { kty: 'RSA', n: 'x', e: 'AQAB' } }] }],
    ['a P-384 JWK', { keys: [{ kid, publicKeyJwk: { ...ecJwk, crv: 'P-384' } }] }],
    ['a short coordinate', { keys: [{ kid, publicKeyJwk: { ...ecJwk, x: 'abc' } }] }],
    [
      'validUntil before validFrom',
      { keys: [{ kid, publicKeyJwk: ecJwk, validFrom: '2026-01-02T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' }] },
    ],
    ['a personal data member', { holderName: '王小明' }],
  ])('refuses %s with INVALID_INPUT', (_what, change) => {
    expect(codeOf(() => parseRegisterIssuerRequest(json({ ...registration, ...change })))).toBe('INVALID_INPUT');
  });
});

describe('issuer key requests', () => {
  it('parses add, retire, compromise and status requests', () => {
    expect(parseAddIssuerKeyRequest(json({ did, key: { kid, publicKeyJwk: okpJwk, validUntil: null } }))).toEqual({
      did,
      key: { kid, publicKeyJwk: okpJwk, validUntil: null },
    });
    expect(parseRetireIssuerKeyRequest(json({ did, kid }))).toEqual({ did, kid });
    expect(parseRetireIssuerKeyRequest(json({ did, kid, validUntil: '2027-01-01T00:00:00Z' }))).toEqual({
      did,
      kid,
      validUntil: '2027-01-01T00:00:00.000Z',
    });
    expect(
      parseMarkIssuerKeyCompromisedRequest(json({ did, kid, compromisedSince: '2026-06-01T12:00:00.123Z' })),
    ).toEqual({
      did,
      kid,
      compromisedSince: '2026-06-01T12:00:00.123Z',
    });
    expect(parseSetIssuerStatusRequest(json({ did, status: 'SUSPENDED' }))).toEqual({ did, status: 'SUSPENDED' });
    expect(parseIssuerQuery(json({ did }))).toEqual({ did });
    expect(parseListIssuersRequest('{}')).toEqual({});
  });

  it.each<[string, () => unknown]>([
    ['a compromise without its instant', () => parseMarkIssuerKeyCompromisedRequest(json({ did, kid }))],
    [
      'a retirement of another DID’s key',
      () => parseRetireIssuerKeyRequest(json({ did, kid: 'did:web:moea.gov.tw#key-1' })),
    ],
    ['an unknown issuer status', () => parseSetIssuerStatusRequest(json({ did, status: 'REVOKED' }))],
    ['a filter on ListIssuers', () => parseListIssuersRequest(json({ status: 'ACTIVE' }))],
    ['a key without a JWK', () => parseAddIssuerKeyRequest(json({ did, key: { kid } }))],
  ])('refuses %s with INVALID_INPUT', (_what, run) => {
    expect(codeOf(run)).toBe('INVALID_INPUT');
  });
});

describe('parseIssueCredentialsRequest', () => {
  it('accepts a batch and normalises times', () => {
    const request = parseIssueCredentialsRequest(
      json({ issuerDid: did, credentials: [{ ...anchor, validUntil: null }] }),
    );
    expect(request).toEqual({
      issuerDid: did,
      credentials: [{ ...anchor, validFrom: '2026-11-26T00:00:00.000Z', validUntil: null }],
      supersede: false,
    });
  });

  it('takes a null subject digest (a type without a subject identifier) and `supersede`', () => {
    const request = parseIssueCredentialsRequest(
      json({ issuerDid: did, credentials: [{ ...anchor, subjectDigest: null }], supersede: true }),
    );
    expect(request.credentials[0]?.subjectDigest).toBeNull();
    expect(request.supersede).toBe(true);
  });

  it('refuses two credentials for one subject in one request with INVALID_INPUT, naming both', () => {
    const other = { ...anchor, id: 'urn:uuid:00000000-0000-4000-8000-000000000009', digest: 'b'.repeat(64) };
    expect(codeOf(() => parseIssueCredentialsRequest(json({ issuerDid: did, credentials: [anchor, other] })))).toBe(
      'INVALID_INPUT',
    );
    expect(() => parseIssueCredentialsRequest(json({ issuerDid: did, credentials: [anchor, other] }))).toThrow(
      `${anchor.id} and ${other.id}`,
    );
    // Without subject identifiers, nothing ties them together.
    const request = parseIssueCredentialsRequest(
      json({
        issuerDid: did,
        credentials: [
          { ...anchor, subjectDigest: null },
          { ...other, subjectDigest: null },
        ],
      }),
    );
    expect(request.credentials).toHaveLength(2);
  });

  it('anchors an identical repeated id once', () => {
    const request = parseIssueCredentialsRequest(json({ issuerDid: did, credentials: [anchor, anchor] }));
    expect(request.credentials).toHaveLength(1);
  });

  it('refuses an id repeated with different content with ID_CONFLICT', () => {
    expect(
      codeOf(() =>
        parseIssueCredentialsRequest(
          json({ issuerDid: did, credentials: [anchor, { ...anchor, digest: 'b'.repeat(64) }] }),
        ),
      ),
    ).toBe('ID_CONFLICT');
  });

  it(`accepts ${maxBatchSize} credentials and refuses one more with BATCH_TOO_LARGE`, () => {
    const credentials = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ...anchor,
        id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        subjectDigest: String(i).padStart(64, '0'),
      }));
    expect(
      parseIssueCredentialsRequest(json({ issuerDid: did, credentials: credentials(maxBatchSize) })).credentials,
    ).toHaveLength(maxBatchSize);
    expect(
      codeOf(() => parseIssueCredentialsRequest(json({ issuerDid: did, credentials: credentials(maxBatchSize + 1) }))),
    ).toBe('BATCH_TOO_LARGE');
  });

  it.each([
    ['an empty batch', { credentials: [] }],
    ['an uppercase digest', { credentials: [{ ...anchor, digest: 'A'.repeat(64) }] }],
    ['a short digest', { credentials: [{ ...anchor, digest: 'a'.repeat(63) }] }],
    ['an id that is not a urn:uuid', { credentials: [{ ...anchor, id: 'A123456789' }] }],
    ['an uppercase uuid', { credentials: [{ ...anchor, id: id.toUpperCase().replace('URN:UUID', 'urn:uuid') }] }],
    ['a key of another issuer', { credentials: [{ ...anchor, kid: 'did:web:moea.gov.tw#key-1' }] }],
    ['validUntil equal to validFrom', { credentials: [{ ...anchor, validUntil: anchor.validFrom }] }],
    ['a missing validUntil', { credentials: [{ id, digest, type: anchor.type, kid, validFrom: anchor.validFrom }] }],
    ['a credential subject', { credentials: [{ ...anchor, credentialSubject: { name: '王小明' } }] }],
    ['a missing subjectDigest', { credentials: [{ ...anchor, subjectDigest: undefined }] }],
    ['a subject identifier in clear', { credentials: [{ ...anchor, subjectDigest: '(115)台檢證字第012345號' }] }],
    ['an uppercase subjectDigest', { credentials: [{ ...anchor, subjectDigest: 'A'.repeat(64) }] }],
    ['a supersede that is not a boolean', { supersede: 'yes' }],
    ['a bad issuer DID', { issuerDid: 'moj.gov.tw' }],
  ])('refuses %s with INVALID_INPUT', (_what, change) => {
    expect(codeOf(() => parseIssueCredentialsRequest(json({ issuerDid: did, credentials: [anchor], ...change })))).toBe(
      'INVALID_INPUT',
    );
  });
});

describe('parseSubjectHoldersRequest', () => {
  it('takes one issuer and distinct subject digests', () => {
    const request = { issuerDid: did, subjectDigests: ['a'.repeat(64), 'b'.repeat(64)] };
    expect(parseSubjectHoldersRequest(json(request))).toEqual(request);
  });

  it.each([
    ['no digests', { subjectDigests: [] }],
    ['a repeated digest', { subjectDigests: ['a'.repeat(64), 'a'.repeat(64)] }],
    ['an identifier in clear', { subjectDigests: ['04595257'] }],
    [
      `more than ${maxBatchSize}`,
      { subjectDigests: Array.from({ length: maxBatchSize + 1 }, (_, i) => String(i).padStart(64, '0')) },
    ],
  ])('refuses %s with INVALID_INPUT', (_what, change) => {
    expect(codeOf(() => parseSubjectHoldersRequest(json({ issuerDid: did, ...change })))).toBe('INVALID_INPUT');
  });
});

describe('status change requests', () => {
  it('parses single and bulk changes', () => {
    const change = { id, status: 'REVOKED', reason: 'DISBARMENT' };
    expect(parseSetCredentialStatusRequest(json(change))).toEqual(change);
    expect(parseSetCredentialStatusesRequest(json({ issuerDid: did, changes: [change] }))).toEqual({
      issuerDid: did,
      changes: [change],
    });
  });

  it.each<[string, string, () => unknown]>([
    [
      'an unknown reason',
      'INVALID_INPUT',
      () => parseSetCredentialStatusRequest(json({ id, status: 'REVOKED', reason: 'EXPIRED' })),
    ],
    [
      'an unknown status',
      'INVALID_INPUT',
      () => parseSetCredentialStatusRequest(json({ id, status: 'EXPIRED', reason: 'DISBARMENT' })),
    ],
    [
      'a change without a reason',
      'INVALID_INPUT',
      () => parseSetCredentialStatusRequest(json({ id, status: 'REVOKED' })),
    ],
    [
      'one id twice in a bulk change',
      'INVALID_INPUT',
      () =>
        parseSetCredentialStatusesRequest(
          json({
            issuerDid: did,
            changes: [
              { id, status: 'SUSPENDED', reason: 'COURT_ORDER' },
              { id, status: 'REVOKED', reason: 'DISBARMENT' },
            ],
          }),
        ),
    ],
    [
      'an empty bulk change',
      'INVALID_INPUT',
      () => parseSetCredentialStatusesRequest(json({ issuerDid: did, changes: [] })),
    ],
    [
      'too many changes',
      'BATCH_TOO_LARGE',
      () =>
        parseSetCredentialStatusesRequest(
          json({
            issuerDid: did,
            changes: Array.from({ length: maxBatchSize + 1 }, () => ({ id, status: 'REVOKED', reason: 'DISBARMENT' })),
          }),
        ),
    ],
  ])('refuses %s with %s', (_what, code, run) => {
    expect(codeOf(run)).toBe(code);
  });
});

describe('read requests', () => {
  it('parses credential queries and pages with defaults', () => {
    expect(parseCredentialQuery(json({ id }))).toEqual({ id });
    expect(parseVerifyDigestRequest(json({ id, digest }))).toEqual({ id, digest });
    expect(parseListCredentialsByIssuerRequest(json({ issuerDid: did }))).toEqual({
      issuerDid: did,
      pageSize: 100,
      bookmark: '',
    });
    expect(
      parseListCredentialsByIssuerRequest(json({ issuerDid: did, pageSize: 1000, bookmark: '\u0000x\u0000' })),
    ).toEqual({
      issuerDid: did,
      pageSize: 1000,
      bookmark: '\u0000x\u0000',
    });
  });

  it.each<[string, () => unknown]>([
    ['a page of 0', () => parseListCredentialsByIssuerRequest(json({ issuerDid: did, pageSize: 0 }))],
    ['a page of 1001', () => parseListCredentialsByIssuerRequest(json({ issuerDid: did, pageSize: 1001 }))],
    ['a fractional page size', () => parseListCredentialsByIssuerRequest(json({ issuerDid: did, pageSize: 2.5 }))],
    ['a page size as text', () => parseListCredentialsByIssuerRequest(json({ issuerDid: did, pageSize: '10' }))],
    ['a numeric bookmark', () => parseListCredentialsByIssuerRequest(json({ issuerDid: did, bookmark: 5 }))],
    ['a digest with a prefix', () => parseVerifyDigestRequest(json({ id, digest: `sha256:${digest}` }))],
    ['a bare id string', () => parseCredentialQuery(id)],
  ])('refuses %s with INVALID_INPUT', (_what, run) => {
    expect(codeOf(run)).toBe('INVALID_INPUT');
  });
});
