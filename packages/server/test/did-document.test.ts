import { describe, expect, it } from '@jest/globals';
import { Resolver } from 'did-resolver';
import { createJWS, verifyJWT, type JWTHeader } from 'did-jwt';
import type { IssuerRecord } from '@credledger/vocabulary';
import { didWebUrl, issuerDidDocument } from '@credledger/server';
import { nodeCredentialSigner, publicKeyJwk } from '@credledger/issuer';
import { testPrivateKey } from '../../issuer/test/fixtures/keys.js';

const did = 'did:web:moj.gov.tw';
const issuer: IssuerRecord = {
  did,
  mspId: 'MojMSP',
  name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
  credentialTypes: ['LawyerLicenceCredential'],
  keys: [
    {
      kid: `${did}#key-1`,
      publicKeyJwk: publicKeyJwk(testPrivateKey('es256')),
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: '2026-06-01T00:00:00.000Z',
      compromisedSince: null,
    },
    {
      kid: `${did}#key-2`,
      publicKeyJwk: publicKeyJwk(testPrivateKey('eddsa')),
      validFrom: '2026-06-01T00:00:00.000Z',
      validUntil: null,
      compromisedSince: null,
    },
    {
      kid: `${did}#key-3`,
      publicKeyJwk: publicKeyJwk(testPrivateKey('other')),
      validFrom: '2026-02-01T00:00:00.000Z',
      validUntil: null,
      compromisedSince: '2026-03-01T00:00:00.000Z',
    },
  ],
  status: 'ACTIVE',
  registeredAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-06-01T00:00:00.000Z',
};

describe('issuerDidDocument', () => {
  it('lists every key as a JsonWebKey verification method with its validity window', () => {
    const document = issuerDidDocument(issuer);
    expect(document.id).toBe(did);
    expect(document.verificationMethod).toEqual(
      issuer.keys.map((key) => ({
        id: key.kid,
        type: 'JsonWebKey2020',
        controller: did,
        publicKeyJwk: key.publicKeyJwk,
        validFrom: key.validFrom,
        validUntil: key.validUntil,
        compromisedSince: key.compromisedSince,
      })),
    );
    // Retired keys still vouch for what they signed; the compromised key does not.
    expect(document.assertionMethod).toEqual([`${did}#key-1`, `${did}#key-2`]);
  });

  it('gives an issuer that is not active no assertion methods', () => {
    expect(issuerDidDocument({ ...issuer, status: 'SUSPENDED' }).assertionMethod).toEqual([]);
    expect(issuerDidDocument({ ...issuer, status: 'DEACTIVATED' }).assertionMethod).toEqual([]);
  });

  it('refuses a key of another DID', () => {
    const foreign = { ...issuer, keys: [{ ...issuer.keys[0]!, kid: 'did:web:moea.gov.tw#key-1' }] };
    expect(() => issuerDidDocument(foreign)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('is a document did-jwt resolves and verifies credentials against', async () => {
    const document = issuerDidDocument(issuer);
    const resolver = new Resolver({
      web: async () => ({ didResolutionMetadata: {}, didDocument: document, didDocumentMetadata: {} }),
    });
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the JWT `sub` claim, taken for String.prototype.sub
    const jwt = await createJWS({ iss: did, sub: 'x' }, nodeCredentialSigner(testPrivateKey('eddsa')), {
      alg: 'EdDSA',
      typ: 'vc+jwt',
      kid: `${did}#key-2`,
    } as unknown as Partial<JWTHeader>);
    await expect(verifyJWT(jwt, { resolver, proofPurpose: 'assertionMethod' })).resolves.toMatchObject({
      verified: true,
    });
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the JWT `sub` claim, taken for String.prototype.sub
    const forged = await createJWS({ iss: did, sub: 'x' }, nodeCredentialSigner(testPrivateKey('other')), {
      alg: 'ES256',
      typ: 'vc+jwt',
      kid: `${did}#key-3`,
    } as unknown as Partial<JWTHeader>);
    // A fresh options object per call: did-jwt stores resolved keys in the object it is given.
    await expect(verifyJWT(forged, { resolver, proofPurpose: 'assertionMethod' })).rejects.toThrow();
  });
});

describe('didWebUrl', () => {
  it.each([
    ['did:web:moj.gov.tw', 'https://moj.gov.tw/.well-known/did.json'],
    ['did:web:w3c-ccg.github.io:user:alice', 'https://w3c-ccg.github.io/user/alice/did.json'],
    ['did:web:example.com%3A3000', 'https://example.com:3000/.well-known/did.json'],
    ['did:web:example.com%3a3000:issuers:moj', 'https://example.com:3000/issuers/moj/did.json'],
    ['did:web:MOJ.GOV.TW', 'https://moj.gov.tw/.well-known/did.json'],
  ])('%s → %s', (input, url) => {
    expect(didWebUrl(input)).toBe(url);
  });

  it.each([
    'did:key:z6Mk',
    'did:web:',
    'did:web:moj.gov.tw/evil',
    'did:web:moj.gov.tw:',
    'did:web:..',
    'did:web:a@b',
    'https://moj.gov.tw',
  ])('refuses %s', (input) => {
    expect(() => didWebUrl(input)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
