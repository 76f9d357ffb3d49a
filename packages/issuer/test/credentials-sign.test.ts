import { describe, expect, it } from '@jest/globals';
import { createHash, createPublicKey } from 'node:crypto';
import { createJWS, ES256Signer, type JWTHeader } from 'did-jwt';
import { compactVerify, importJWK, jwtVerify } from 'jose';
import { buildCredential, credentialHeader, type CredentialPayload } from '../src/credentials/credential.js';
import { credentialStatusEntries, credentialStatusJsonWriter } from '../src/status/entry.js';
import { base64urlPayloads, credentialPayloadEncoder } from '../src/credentials/payload-encoder.js';
import { decodeCredentialJwt } from '../src/credentials/decode.js';
import { credentialDigest } from '@credledger/ledger';
import { credentialDigestAsync } from '../src/credentials/digest-async.js';
import { validateSubject } from '@credledger/verify';
import { encodeJwsPart, nodeCredentialSigner, signCompactJws, signCredential } from '../src/credentials/sign.js';
import { signEncodedJwsWith } from '../src/credentials/compact-jws.js';
import { createSignPool } from '../src/credentials/sign-pool.js';
import { publicKeyJwk } from '../src/keys/issuer-key.js';
import { lawyerSubject, originSubject } from './credentials-samples.js';
import { testJwks, testPrivateKey } from './fixtures/keys.js';

const issuer = 'did:web:moj.gov.tw';
const id = 'urn:uuid:6f1c2a4e-8b1d-4c3e-9f2a-1b2c3d4e5f60';
const base = 'https://verify.moj.gov.tw';

function lawyerPayload(overrides: Partial<Parameters<typeof buildCredential>[0]> = {}): CredentialPayload {
  return buildCredential({
    type: 'LawyerLicenceCredential',
    id,
    issuer,
    subject: validateSubject('LawyerLicenceCredential', lawyerSubject),
    validFrom: new Date('2026-11-26T00:00:00Z'),
    validUntil: new Date('2036-11-26T00:00:00Z'),
    issuedAt: new Date('2026-11-26T08:30:15.250Z'),
    status: credentialStatusEntries(base, issuer, {
      revocation: { list: 0, index: 94567 },
      suspension: { list: 0, index: 23 },
    }),
    ...overrides,
  });
}

const publicJwk = (name: keyof typeof testJwks) => publicKeyJwk(createPublicKey(testPrivateKey(name)));

describe('credential format (data-model.md)', () => {
  it('writes the payload in the fixed order with the iss/jti/iat/nbf/exp mirrors', () => {
    const payload = lawyerPayload();
    expect(Object.keys(payload)).toEqual([
      '@context',
      'type',
      'id',
      'issuer',
      'validFrom',
      'validUntil',
      'credentialSubject',
      'credentialStatus',
      'iss',
      'jti',
      'iat',
      'nbf',
      'exp',
    ]);
    expect(payload).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://credledger.org/ns/v1'],
      type: ['VerifiableCredential', 'LawyerLicenceCredential'],
      validFrom: '2026-11-26T00:00:00Z',
      validUntil: '2036-11-26T00:00:00Z',
      iss: issuer,
      jti: id,
      iat: 1795681815,
      nbf: Date.parse('2026-11-26T00:00:00Z') / 1000,
      exp: Date.parse('2036-11-26T00:00:00Z') / 1000,
    });
    expect(payload.credentialStatus[0]).toEqual({
      id: 'https://verify.moj.gov.tw/status/moj.gov.tw/revocation#94567',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '94567',
      statusListCredential: 'https://verify.moj.gov.tw/status/moj.gov.tw/revocation',
    });
  });

  it('leaves validUntil and exp out for a credential without expiry', () => {
    const payload = lawyerPayload({ validUntil: null });
    expect('validUntil' in payload).toBe(false);
    expect('exp' in payload).toBe(false);
  });

  it('refuses a bad id and a validity window that ends before it starts', () => {
    expect(() => lawyerPayload({ id: 'urn:uuid:not-a-uuid' })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_INVALID' }),
    );
    expect(() => lawyerPayload({ validUntil: new Date('2026-11-26T00:00:00Z') })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_INVALID', details: { field: 'validUntil', problem: 'out-of-range' } }),
    );
    expect(() => lawyerPayload({ validFrom: new Date('nonsense') })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_INVALID' }),
    );
  });
});

describe('credentialPayloadEncoder', () => {
  it('writes exactly the UTF-8 of buildCredential JSON, with and without expiry, for any subject and status', () => {
    for (const validUntil of [new Date('2036-11-26T00:00:00Z'), null]) {
      const common = {
        type: 'EconomicCertificateCredential',
        issuer: 'did:web:moea.gov.tw',
        validFrom: new Date('2026-11-25T12:34:56.789Z'),
        validUntil,
        issuedAt: new Date('2026-11-25T12:35:00Z'),
      };
      const encode = credentialPayloadEncoder(common);
      const valid = validateSubject('EconomicCertificateCredential', originSubject);
      // The schema refuses markup in a consignee; the encoder must still escape whatever it is given.
      const subjects = [valid, { ...valid, consignee: '"quoted" \\ 𠮷 </script> \ud800' }, {}];
      const ids = subjects.map(() => `urn:uuid:${crypto.randomUUID()}`);
      const statuses = subjects.map((_, i) =>
        credentialStatusEntries(base, common.issuer, {
          revocation: { list: i, index: 131071 },
          suspension: { list: 0, index: 0 },
        }),
      );
      const encoded = encode(ids, subjects, (i) => JSON.stringify(statuses[i]));
      const texts = ids.map((id, i) =>
        JSON.stringify(buildCredential({ ...common, id, subject: subjects[i] ?? {}, status: statuses[i] ?? [] })),
      );
      expect(Buffer.from(encoded.bytes).toString('utf8')).toBe(texts.join(''));
      expect([...encoded.ends]).toEqual(texts.map((_, i) => Buffer.byteLength(texts.slice(0, i + 1).join(''))));
      expect(base64urlPayloads(encoded)).toEqual(texts.map((text) => Buffer.from(text).toString('base64url')));
      expect(() => encode(['urn:uuid:bad'], [{}], () => '[]')).toThrow(
        expect.objectContaining({ code: 'SCHEMA_INVALID' }),
      );
    }
  });

  it('grows its buffer for subjects longer than it guessed', () => {
    const common = {
      type: 'LawyerLicenceCredential',
      issuer: 'did:web:moj.gov.tw',
      validFrom: new Date('2026-11-25T00:00:00Z'),
      validUntil: null,
      issuedAt: new Date('2026-11-25T00:00:00Z'),
    };
    const subjects = [{ note: '律'.repeat(5000) }, { note: 'x' }, { note: '師'.repeat(9000) }];
    const ids = subjects.map(() => `urn:uuid:${crypto.randomUUID()}`);
    const encoded = credentialPayloadEncoder(common)(ids, subjects, () => '[]');
    expect(Buffer.from(encoded.bytes).toString('utf8')).toBe(
      ids
        .map((id, i) => JSON.stringify(buildCredential({ ...common, id, subject: subjects[i] ?? {}, status: [] })))
        .join(''),
    );
  });
});

describe('credentialStatusJsonWriter', () => {
  it('writes exactly the JSON of credentialStatusEntries, for any list, index, base URL and issuer', () => {
    for (const [baseUrl, issuerDid] of [
      [base, issuer],
      ['https://status.example.tw/a"b\\c/', 'did:web:例子.tw'],
      ['https://verify.gov.tw', 'did:key:z6Mk"x'],
    ] as const) {
      const write = credentialStatusJsonWriter(baseUrl, issuerDid);
      for (const allocations of [
        { revocation: { list: 0, index: 0 }, suspension: { list: 0, index: 131071 } },
        { revocation: { list: 3, index: 17 }, suspension: { list: 0, index: 5 } },
        { revocation: { list: 0, index: 9 }, suspension: { list: 12, index: 1_000_000 } },
      ]) {
        expect(write(allocations)).toBe(JSON.stringify(credentialStatusEntries(baseUrl, issuerDid, allocations)));
      }
    }
  });
});

describe('signing', () => {
  it.each(['es256', 'eddsa'] as const)('%s: jose verifies it with nothing but the public JWK', async (name) => {
    const alg = name === 'es256' ? 'ES256' : 'EdDSA';
    const kid = `${issuer}#key-1`;
    const payload = lawyerPayload();
    const jwt = await signCredential(payload, { alg, kid, privateKey: testPrivateKey(name) });
    const key = await importJWK({ ...publicJwk(name) }, alg);
    const verified = await jwtVerify(jwt, key, {
      typ: 'vc+jwt',
      issuer,
      algorithms: [alg],
      currentDate: new Date('2027-01-01T00:00:00Z'),
    });
    expect(verified.protectedHeader).toEqual({ alg, typ: 'vc+jwt', kid });
    expect(Object.keys(verified.protectedHeader)).toEqual(['alg', 'typ', 'kid']);
    expect(verified.payload).toEqual(JSON.parse(JSON.stringify(payload)));
  });

  it('is rejected by jose under another key', async () => {
    const jwt = await signCredential(lawyerPayload(), {
      alg: 'ES256',
      kid: `${issuer}#key-1`,
      privateKey: testPrivateKey('es256'),
    });
    const other = await importJWK({ ...publicJwk('other') }, 'ES256');
    await expect(compactVerify(jwt, other)).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('EdDSA: the fast path and did-jwt createJWS give byte-identical JWTs', async () => {
    const payload = lawyerPayload();
    const kid = `${issuer}#key-2`;
    const fast = await signCredential(payload, { alg: 'EdDSA', kid, privateKey: testPrivateKey('eddsa') });
    const reference = await createJWS({ ...payload }, nodeCredentialSigner(testPrivateKey('eddsa')), {
      ...credentialHeader('EdDSA', kid),
    } as unknown as Partial<JWTHeader>);
    expect(fast).toBe(reference);
  });

  it('ES256: the fast path and did-jwt (its own pure-JS signer) sign the same input, and both verify', async () => {
    const payload = lawyerPayload();
    const kid = `${issuer}#key-1`;
    const fast = await signCredential(payload, { alg: 'ES256', kid, privateKey: testPrivateKey('es256') });
    const reference = await createJWS({ ...payload }, ES256Signer(Buffer.from(testJwks.es256.d, 'base64url')), {
      ...credentialHeader('ES256', kid),
    } as unknown as Partial<JWTHeader>);
    // ECDSA signatures are randomised; everything before the signature must be identical.
    expect(fast.slice(0, fast.lastIndexOf('.'))).toBe(reference.slice(0, reference.lastIndexOf('.')));
    const key = await importJWK({ ...publicJwk('es256') }, 'ES256');
    for (const jwt of [fast, reference]) await expect(compactVerify(jwt, key)).resolves.toBeDefined();
  });

  it('signs through a pluggable credentialSigner (an HSM stand-in) via did-jwt', async () => {
    const privateKey = testPrivateKey('es256');
    const calls: string[] = [];
    const hsm = async (data: string | Uint8Array) => {
      calls.push(typeof data === 'string' ? data : Buffer.from(data).toString());
      return nodeCredentialSigner(privateKey)(data);
    };
    const payload = lawyerPayload();
    const jwt = await signCredential(payload, { alg: 'ES256', kid: `${issuer}#key-1`, credentialSigner: hsm });
    expect(calls).toEqual([jwt.slice(0, jwt.lastIndexOf('.'))]);
    expect(calls[0]).toBe(`${encodeJwsPart(credentialHeader('ES256', `${issuer}#key-1`))}.${encodeJwsPart(payload)}`);
    await expect(compactVerify(jwt, await importJWK({ ...publicJwk('es256') }, 'ES256'))).resolves.toBeDefined();
  });

  it('the issuer’s path for an external signer gives did-jwt createJWS’s bytes, canonical and checked', async () => {
    const payload = lawyerPayload();
    const kid = `${issuer}#key-2`;
    const signer = nodeCredentialSigner(testPrivateKey('eddsa'));
    const encodedHeader = encodeJwsPart(credentialHeader('EdDSA', kid));
    const direct = await signEncodedJwsWith(encodedHeader, encodeJwsPart(payload), 'EdDSA', signer);
    const reference = await createJWS({ ...payload }, signer, {
      ...credentialHeader('EdDSA', kid),
    } as unknown as Partial<JWTHeader>);
    expect(direct).toBe(reference);
    // An ES256 signer answering DER (or anything but base64url r‖s) is refused, not passed on.
    const der = () => Promise.resolve(Buffer.alloc(70, 1).toString('base64url'));
    await expect(signEncodedJwsWith(encodedHeader, encodeJwsPart({}), 'ES256', der)).rejects.toThrow(TypeError);
    await expect(
      signEncodedJwsWith(encodedHeader, encodeJwsPart({}), 'ES256', () => Promise.resolve({})),
    ).rejects.toThrow(TypeError);
  });

  it('refuses a key that does not match the algorithm', async () => {
    await expect(
      signCredential(lawyerPayload(), { alg: 'ES256', kid: `${issuer}#key-2`, privateKey: testPrivateKey('eddsa') }),
    ).rejects.toMatchObject({ code: 'KEY_STORE_ERROR' });
  });
});

describe('digest and decode', () => {
  it('digests the compact JWS as lowercase hex SHA-256, the same in node and WebCrypto', async () => {
    const jwt = await signCredential(lawyerPayload(), {
      alg: 'ES256',
      kid: `${issuer}#key-1`,
      privateKey: testPrivateKey('es256'),
    });
    const expected = createHash('sha256').update(jwt, 'ascii').digest('hex');
    expect(credentialDigest(jwt)).toBe(expected);
    await expect(credentialDigestAsync(jwt)).resolves.toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('decodes what it signed, keeping unicode intact', async () => {
    const payload = buildCredential({
      type: 'EconomicCertificateCredential',
      id,
      issuer: 'did:web:moea.gov.tw',
      subject: validateSubject('EconomicCertificateCredential', originSubject),
      validFrom: new Date('2026-11-25T00:00:00Z'),
      validUntil: null,
      issuedAt: new Date('2026-11-25T00:00:00Z'),
      status: [],
    });
    const jwt = await signCredential(payload, {
      alg: 'EdDSA',
      kid: 'did:web:moea.gov.tw#k',
      privateKey: testPrivateKey('eddsa'),
    });
    const decoded = decodeCredentialJwt(jwt);
    expect(decoded.header).toEqual({ alg: 'EdDSA', typ: 'vc+jwt', kid: 'did:web:moea.gov.tw#k' });
    expect(decoded.payload).toEqual(payload);
    expect(decoded.signature).toHaveLength(64);
    expect(decoded.signingInput).toBe(jwt.slice(0, jwt.lastIndexOf('.')));
  });

  it.each([
    ['empty', ''],
    ['two parts', 'eyJhbGciOiJFUzI1NiJ9.eyJ9'],
    ['not JSON', 'aGVsbG8.aGVsbG8.aGVsbG8'],
    ['JSON array', `${encodeJwsPart([1])}.${encodeJwsPart({})}.AA`],
    ['padding', 'eyJhIjoxfQ==.eyJhIjoxfQ.AA'],
    ['too long', `${encodeJwsPart({})}.${'A'.repeat(20000)}.AA`],
    ['no signature', `${encodeJwsPart({ alg: 'ES256' })}.${encodeJwsPart({})}.`],
    ['an impossible base64url length', `${encodeJwsPart({ alg: 'ES256' })}.${encodeJwsPart({})}.AAAAA`],
    ['a character outside ASCII', `${encodeJwsPart({ alg: 'ES256' })}.${encodeJwsPart({})}.AAé`],
    ['four parts', `${encodeJwsPart({ alg: 'ES256' })}.${encodeJwsPart({})}.AA.AA`],
  ])('refuses %s with CREDENTIAL_MALFORMED', (_name, jwt) => {
    expect(() => decodeCredentialJwt(jwt)).toThrow(expect.objectContaining({ code: 'CREDENTIAL_MALFORMED' }));
  });
});

describe('signing pool (worker threads)', () => {
  it('signs in order on several workers; every JWT verifies and carries its digest', async () => {
    const pool = createSignPool({
      privateKey: testPrivateKey('eddsa'),
      alg: 'EdDSA',
      kid: `${issuer}#key-2`,
      size: 2,
      sliceSize: 7,
    });
    try {
      const payloads = Array.from({ length: 40 }, (_, i) =>
        JSON.stringify({ ...lawyerPayload(), iat: 1795681815 + i }),
      );
      const signed = await pool.sign(payloads);
      expect(signed).toHaveLength(40);
      const key = await importJWK({ ...publicJwk('eddsa') }, 'EdDSA');
      for (const [i, { jwt, digest }] of signed.entries()) {
        expect(digest).toBe(credentialDigest(jwt));
        const { payload } = await compactVerify(jwt, key);
        expect(new TextDecoder().decode(payload)).toBe(payloads[i]);
        // Ed25519 is deterministic: the worker output equals the in-process fast path byte for byte.
        expect(jwt).toBe(
          signCompactJws(
            encodeJwsPart(credentialHeader('EdDSA', `${issuer}#key-2`)),
            payloads[i] ?? '',
            'EdDSA',
            testPrivateKey('eddsa'),
          ),
        );
      }
    } finally {
      await pool.close();
    }
    await expect(pool.sign(['{}'])).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
