/**
 * Imported issuer keys belong to whoever owns a `KeyCache` (a verifier, a status source, the caller),
 * never to the module: two verifiers import a key once each, a source keeps the keys of its own
 * verifications, a verification with no cache anywhere imports for itself, and a cache keeps at most its
 * limit. Imports are counted on WebCrypto's `importKey`. A verifier's parse buffers, shared by its
 * verifications in flight, never let one see another's bytes.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import {
  createVerifier,
  httpStatusSource,
  KeyCache,
  sha256Hex,
  verifyCredential,
  verifyCredentials,
  type IssuerRecord,
  type StatusSource,
} from '../src/index.js';
import { base64urlDecode, base64urlEncode, toLowS } from '../src/formats.js';

const did = 'did:web:moj.gov.tw';
const kid = `${did}#key-1`;
const now = new Date('2026-06-01T00:00:00.000Z');
const asOf = '2026-06-01T00:00:00.000Z';
const encoder = new TextEncoder();

interface World {
  readonly issuer: IssuerRecord;
  /** A signed lawyer licence (ES256, low-S) of the issuer, with its id. */
  readonly credential: () => Promise<{ readonly id: string; readonly jwt: string }>;
}

async function world(): Promise<World> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const issuer: IssuerRecord = {
    did,
    name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
    credentialTypes: ['LawyerLicenceCredential'],
    keys: [
      {
        kid,
        publicKeyJwk: { kty, crv, x, y },
        validFrom: '2020-01-01T00:00:00.000Z',
        validUntil: null,
        compromisedSince: null,
      },
    ],
    status: 'ACTIVE',
  };
  const part = (value: unknown): string => base64urlEncode(encoder.encode(JSON.stringify(value)));
  return {
    issuer,
    credential: async () => {
      const id = `urn:uuid:${crypto.randomUUID()}`;
      const payload = {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential', 'LawyerLicenceCredential'],
        id,
        issuer: did,
        validFrom: '2026-01-01T00:00:00.000Z',
        credentialSubject: {
          name: '王小明',
          licenceNumber: '(115)台檢證字第012345號',
          admissionDate: '2020-09-01',
          practiceStatus: 'practising',
        },
      };
      const input = `${part({ alg: 'ES256', kid, typ: 'vc+jwt' })}.${part(payload)}`;
      const signature = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        pair.privateKey,
        encoder.encode(input),
      );
      return { id, jwt: `${input}.${base64urlEncode(toLowS(new Uint8Array(signature)))}` };
    },
  };
}

/** A source written by a caller: it answers but keeps no key cache. */
function customSource(issuer: IssuerRecord): StatusSource {
  return {
    kind: 'offline',
    getIssuer: () => Promise.resolve({ issuer, asOf }),
    getStatus: () => Promise.resolve({ kind: 'list', state: 'ACTIVE', asOf }),
  };
}

/** `credledger serve`'s API for `issuer` and the anchored records of `jwts`, without a network. */
async function serveApi(issuer: IssuerRecord, jwts: readonly { id: string; jwt: string }[]): Promise<typeof fetch> {
  const records = new Map<string, unknown>();
  for (const { id, jwt } of jwts) {
    records.set(id, {
      id,
      issuerDid: did,
      type: 'LawyerLicenceCredential',
      digest: await sha256Hex(jwt),
      kid,
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: null,
      status: 'ACTIVE',
      reason: null,
      anchoredAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
  }
  return (input) => {
    const path = decodeURIComponent(new URL(input instanceof Request ? input.url : String(input)).pathname);
    const record = path === `/api/v1/issuers/${did}` ? issuer : records.get(path.replace('/api/v1/credentials/', ''));
    return Promise.resolve(
      record === undefined ? new Response('{}', { status: 404 }) : Response.json({ record, asOf }),
    );
  };
}

/** WebCrypto's `importKey`, counted: every key a verification imports goes through it. */
const subtle = globalThis.crypto.subtle as unknown as { importKey: (...args: unknown[]) => Promise<CryptoKey> };
const importKey = subtle.importKey.bind(subtle);
let imports = 0;
beforeEach(() => {
  imports = 0;
  subtle.importKey = (...args) => {
    imports++;
    return importKey(...args);
  };
});
afterEach(() => {
  Reflect.deleteProperty(subtle, 'importKey');
});

describe('who keeps imported issuer keys', () => {
  it('two verifiers share no keys: each imports the issuer key once, however often it verifies', async () => {
    const { issuer, credential } = await world();
    const status = customSource(issuer);
    const jwts = await Promise.all([credential(), credential(), credential()]);
    const first = createVerifier();
    const second = createVerifier();
    for (const { jwt } of jwts) expect((await first.verifyCredential(jwt, { status, now })).verdict).toBe('VALID');
    expect(imports).toBe(1);
    expect((await second.verifyCredential(jwts[0].jwt, { status, now })).verdict).toBe('VALID');
    expect(imports).toBe(2);
    expect([first.keys.size, second.keys.size]).toEqual([1, 1]);
    // A batch through a verifier uses its keys too.
    const results = await first.verifyCredentials(
      jwts.map((j) => j.jwt),
      { status, now },
    );
    expect(results.map((r) => r.verdict)).toEqual(['VALID', 'VALID', 'VALID']);
    expect(imports).toBe(2);
  });

  it('with no key cache anywhere, a verification imports for itself and keeps nothing after it', async () => {
    const { issuer, credential } = await world();
    const status = customSource(issuer);
    const { jwt } = await credential();
    expect((await verifyCredential(jwt, { status, now })).verdict).toBe('VALID');
    expect((await verifyCredential(jwt, { status, now })).verdict).toBe('VALID');
    expect(imports).toBe(2);
    // A batch imports once for the whole batch.
    const batch = await verifyCredentials([jwt, jwt, jwt, jwt], { status, now });
    expect(batch.map((r) => r.verdict)).toEqual(['VALID', 'VALID', 'VALID', 'VALID']);
    expect(imports).toBe(3);
  });

  it('a built-in source keeps the keys of its verifications; another source keeps its own', async () => {
    const { issuer, credential } = await world();
    const jwts = await Promise.all([credential(), credential()]);
    const fetch = await serveApi(issuer, jwts);
    const status = httpStatusSource({ baseUrl: 'https://verify.moj.gov.tw', fetch });
    for (const { jwt } of jwts) expect((await verifyCredential(jwt, { status, now })).verdict).toBe('VALID');
    expect(imports).toBe(1);
    expect(status.keys?.size).toBe(1);
    const other = httpStatusSource({ baseUrl: 'https://verify.moj.gov.tw', fetch });
    expect((await verifyCredential(jwts[0].jwt, { status: other, now })).verdict).toBe('VALID');
    expect(imports).toBe(2);
    // The caller's cache comes first.
    const keys = new KeyCache();
    expect((await verifyCredential(jwts[1].jwt, { status, now, keys })).verdict).toBe('VALID');
    expect([imports, keys.size]).toEqual([3, 1]);
  });
});

describe('KeyCache', () => {
  const jwkOf = async (): Promise<JsonWebKey> => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    return { kty, crv, x, y };
  };

  it('keeps at most its limit: past it the key imported longest ago goes, and is imported again when asked', async () => {
    const jwks = await Promise.all([jwkOf(), jwkOf(), jwkOf()]);
    imports = 0;
    const keys = new KeyCache({ limit: 2 });
    for (const [i, jwk] of jwks.entries()) await keys.key(`${did}#key-${i}`, jwk);
    expect(keys.size).toBe(2);
    expect(imports).toBe(3);
    // The two kept are answered without importing, as the CryptoKey itself.
    expect(keys.key(`${did}#key-1`, jwks[1])).toBeInstanceOf(CryptoKey);
    expect(keys.key(`${did}#key-2`, jwks[2])).toBeInstanceOf(CryptoKey);
    expect(imports).toBe(3);
    // The first went, even for the very JWK object it was imported from.
    await keys.key(`${did}#key-0`, jwks[0]);
    expect(imports).toBe(4);
    expect(keys.size).toBe(2);
  });

  it('holds 1,024 keys unless told otherwise', async () => {
    const jwk = await jwkOf();
    const keys = new KeyCache();
    for (let i = 0; i < 1030; i++) await keys.key(`${did}#key-${i}`, { ...jwk });
    expect(keys.size).toBe(1024);
    expect(new KeyCache({ limit: 0 }).size).toBe(0);
  });

  it('never serves a key imported under another kid, or other key material under a known kid', async () => {
    const [a, b] = await Promise.all([jwkOf(), jwkOf()]);
    const keys = new KeyCache();
    const first = await keys.key(kid, a);
    expect(await keys.key(`${did}#key-2`, a)).not.toBe(first);
    expect(await keys.key(kid, b)).not.toBe(first);
    expect(await keys.key(kid, { ...a })).toBe(first);
    expect(keys.size).toBe(3);
  });
});

describe("a verifier's parse buffers", () => {
  it('are shared by its verifications in flight, each still checking its own bytes', async () => {
    const { issuer, credential } = await world();
    const status = customSource(issuer);
    const genuine = await Promise.all(Array.from({ length: 6 }, () => credential()));
    // Tampered copies: another payload of another length under the same signature.
    const tampered = genuine.map(({ jwt }, i) => {
      const [header = '', payload = '', signature = ''] = jwt.split('.');
      const claims = JSON.parse(new TextDecoder().decode(base64urlDecode(payload))) as {
        credentialSubject: { name: string };
      };
      claims.credentialSubject.name = '王大明'.repeat(i + 1);
      return `${header}.${base64urlEncode(encoder.encode(JSON.stringify(claims)))}.${signature}`;
    });
    const inputs = genuine.flatMap(({ jwt }, i) => [jwt, tampered[i] ?? '']);
    const expected = inputs.map((_, i) => (i % 2 === 0 ? 'VALID' : 'TAMPERED'));
    const verifier = createVerifier();
    const batch = await verifier.verifyCredentials(inputs, { status, now }, { concurrency: 8 });
    expect(batch.map((r) => r.verdict)).toEqual(expected);
    const singles = await Promise.all(inputs.map((input) => verifier.verifyCredential(input, { status, now })));
    expect(singles.map((r) => r.verdict)).toEqual(expected);
    const both = await Promise.all([
      verifier.verifyCredentials(inputs, { status, now }),
      verifyCredentials([...inputs].reverse(), { status, now }),
    ]);
    expect(both.map((results) => results.map((r) => r.verdict))).toEqual([expected, [...expected].reverse()]);
  });
});
