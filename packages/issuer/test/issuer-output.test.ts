/**
 * The issuer's credentials are exactly what its primitives make: `buildCredential`, `JSON.stringify`,
 * the allocated status entries and a compact JWS, on every signing path (the pool's workers, the main
 * thread, a pool shared between issuers) and in the anchors it sends the ledger. EdDSA signatures are
 * deterministic, so its JWTs are compared whole; ES256 ones by signing input and a verifying signature.
 */
import { describe, expect, it } from '@jest/globals';
import { createPublicKey, verify } from 'node:crypto';
import { getCredentialType, type CredentialSubject } from '@credledger/verify';
import { isLowS } from '@credledger/verify/formats';
import { credentialDigest } from '@credledger/ledger';
import type { AnchorRequest } from '@credledger/vocabulary';
import { buildCredential, credentialHeader } from '../src/credentials/credential.js';
import { encodeJwsPart, signCompactJws } from '../src/credentials/compact-jws.js';
import { createSignPool } from '../src/credentials/sign-pool.js';
import { subjectDigestOf } from '../src/credentials/subject-digest.js';
import { anchorRequestOf, createIssuer, type IssuerConfig, type IssuerRegistry } from '../src/issuer.js';
import { issuerKeyFromPrivateKey, type IssuerKey } from '../src/keys/issuer-key.js';
import { statusIndexAllocators, type StatusIndexAllocator } from '../src/status/allocator.js';
import { credentialStatusEntries } from '../src/status/entry.js';
import { testPrivateKey } from './fixtures/keys.js';
import { createSampleGenerator, type SampleCredential } from './helpers/sample-credentials.js';

const statusBaseUrl = 'https://verify.gov.tw';
const now = new Date('2026-11-26T08:00:00.000Z');
const validity = { validFrom: new Date('2026-11-26T00:00:00Z'), validUntil: new Date('2036-11-26T00:00:00Z') };

interface Case {
  readonly name: string;
  readonly type: string;
  readonly key: IssuerKey;
  readonly subjects: (count: number) => CredentialSubject[];
}

const gen = createSampleGenerator(41);
/** A sample credential's subject, as a CSV row would give it. */
const subjectOf = (sample: SampleCredential): CredentialSubject => ({
  ...(sample.payload.credentialSubject as CredentialSubject),
});
const cases: readonly Case[] = [
  {
    name: 'EdDSA economic certificates',
    type: 'EconomicCertificateCredential',
    key: issuerKeyFromPrivateKey(testPrivateKey('eddsa'), 'did:web:moea.gov.tw#key-1'),
    subjects: (count) => Array.from({ length: count }, () => subjectOf(gen.economicCertificate())),
  },
  {
    name: 'ES256 lawyer licences',
    type: 'LawyerLicenceCredential',
    key: issuerKeyFromPrivateKey(testPrivateKey('es256'), 'did:web:moj.gov.tw#key-1'),
    subjects: (count) => Array.from({ length: count }, () => subjectOf(gen.lawyerLicence())),
  },
];

/** A ledger that holds nothing and keeps every anchor it is sent. */
function recordingRegistry(anchors: AnchorRequest[]): IssuerRegistry {
  return {
    issueCredentials: (request) => {
      anchors.push(...request.credentials);
      return Promise.resolve({
        txId: `tx-${anchors.length}`,
        blockNumber: BigInt(anchors.length),
        issuerDid: request.issuerDid,
        anchored: request.credentials.map((c) => c.id),
        unchanged: [],
        superseded: [],
      });
    },
    setCredentialStatus: () => Promise.reject(new Error('not used')),
    setCredentialStatuses: () => Promise.reject(new Error('not used')),
    getSubjectHolders: () => Promise.resolve([]),
  };
}

/** The JWT the primitives make for credential `id` of `subject`, with the allocations the issuer made. */
async function expectedJwt(
  c: Case,
  allocator: StatusIndexAllocator,
  id: string,
  subject: CredentialSubject,
): Promise<string> {
  const issuerDid = c.key.kid.slice(0, c.key.kid.indexOf('#'));
  // Allocations are idempotent per id: these are the ones the issuer signed.
  const [revocation] = await allocator.allocate(issuerDid, 'revocation', [id]);
  const [suspension] = await allocator.allocate(issuerDid, 'suspension', [id]);
  if (revocation === undefined || suspension === undefined) throw new Error('no allocation');
  const payload = buildCredential({
    type: c.type,
    id,
    issuer: issuerDid,
    subject,
    ...validity,
    issuedAt: now,
    status: credentialStatusEntries(statusBaseUrl, issuerDid, { revocation, suspension }),
  });
  return signCompactJws(
    encodeJwsPart(credentialHeader(c.key.alg, c.key.kid)),
    JSON.stringify(payload),
    c.key.alg,
    c.key.privateKey,
  );
}

function expectSame(c: Case, actual: string, expected: string): void {
  if (c.key.alg === 'EdDSA') {
    expect(actual).toBe(expected);
    return;
  }
  const dot = actual.lastIndexOf('.');
  expect(actual.slice(0, dot)).toBe(expected.slice(0, expected.lastIndexOf('.')));
  const signature = Buffer.from(actual.slice(dot + 1), 'base64url');
  expect(isLowS(signature)).toBe(true);
  expect(
    verify(
      'sha256',
      Buffer.from(actual.slice(0, dot)),
      { key: createPublicKey(c.key.privateKey), dsaEncoding: 'ieee-p1363' },
      signature,
    ),
  ).toBe(true);
}

function ids(count: number): string[] {
  return Array.from({ length: count }, () => `urn:uuid:${crypto.randomUUID()}`);
}

describe.each(cases)('the issuer writes exactly what its primitives make: $name', (c) => {
  const issuerDid = c.key.kid.slice(0, c.key.kid.indexOf('#'));
  const issuerOf = (overrides: Partial<IssuerConfig>, allocator: StatusIndexAllocator, anchors: AnchorRequest[] = []) =>
    createIssuer({
      registry: recordingRegistry(anchors),
      issuerDid,
      key: c.key,
      statusAllocator: allocator,
      statusBaseUrl,
      now: () => now,
      ...overrides,
    });

  it.each([
    ['on its own pool of two workers', { workers: 2 }, 300],
    ['on the main thread', { workers: 0 }, 70],
    ['below the pool threshold', { workers: 2 }, 5],
  ] as const)('signCredentials %s', async (_, overrides, count) => {
    const allocator = statusIndexAllocators.inMemory();
    await using issuer = issuerOf(overrides, allocator);
    const subjects = c.subjects(count);
    const items = ids(count).map((id, i) => ({ id, subject: subjects[i] ?? {} }));
    const signed = await issuer.signCredentials(c.type, items, validity);
    expect(signed.map((s) => s.id)).toEqual(items.map((item) => item.id));
    for (const [i, credential] of signed.entries()) {
      const item = items[i] ?? { id: '', subject: {} };
      expectSame(c, credential.jwt, await expectedJwt(c, allocator, item.id, item.subject));
      expect(credential.digest).toBe(credentialDigest(credential.jwt));
    }
  });

  it('signCredentials on a pool shared between issuers, and the pool alone on payload texts', async () => {
    const allocator = statusIndexAllocators.inMemory();
    const pool = createSignPool({
      privateKey: c.key.privateKey,
      alg: c.key.alg,
      kid: c.key.kid,
      size: 2,
      sliceSize: 7,
    });
    try {
      await using issuer = issuerOf({ signPool: pool }, allocator);
      const subjects = c.subjects(100);
      const items = ids(100).map((id, i) => ({ id, subject: subjects[i] ?? {} }));
      const signed = await issuer.signCredentials(c.type, items, validity);
      for (const [i, credential] of signed.entries()) {
        const item = items[i] ?? { id: '', subject: {} };
        expectSame(c, credential.jwt, await expectedJwt(c, allocator, item.id, item.subject));
      }
      // Any JSON text, newlines and all, signs as given.
      const texts = ['{"a":1}', '{\n  "b": "線\\n"\n}', '{}', JSON.stringify({ c: '𠮷\u2028' })];
      const out = await pool.sign(texts);
      const header = encodeJwsPart(credentialHeader(c.key.alg, c.key.kid));
      texts.forEach((text, i) => {
        const jwt = out[i]?.jwt ?? '';
        expectSame(c, jwt, signCompactJws(header, text, c.key.alg, c.key.privateKey));
        expect(out[i]?.digest).toBe(credentialDigest(jwt));
      });
      expect(await pool.sign([])).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('issueBatch anchors exactly what each JWT says, in chunks, and refuses a bad subject by position', async () => {
    const allocator = statusIndexAllocators.inMemory();
    const anchors: AnchorRequest[] = [];
    await using issuer = issuerOf({ workers: 2, anchorBatchSize: 90 }, allocator, anchors);
    const subjects = c.subjects(200);
    const issued = await issuer.issueBatch(c.type, subjects, validity);
    expect(anchors.map((a) => a.id)).toEqual(issued.map((i) => i.id));
    for (const [i, credential] of issued.entries()) {
      expectSame(c, credential.jwt, await expectedJwt(c, allocator, credential.id, subjects[i] ?? {}));
      expect(anchors[i]).toEqual(anchorRequestOf(credential.jwt));
      expect(anchors[i]?.subjectDigest).toBe(subjectDigestOf(issuerDid, getCredentialType(c.type), subjects[i] ?? {}));
    }
    const bad = c.subjects(100);
    bad[70] = { ...bad[70], unexpected: 'x' };
    await expect(issuer.issueBatch(c.type, bad, validity)).rejects.toThrow(
      expect.objectContaining({
        code: 'SCHEMA_INVALID',
        message: `subject 70: ${c.type}.unexpected: is not a field of this type (rule: the fields are: ${getCredentialType(
          c.type,
        )
          .fields.map((f) => f.name)
          .join(', ')})`,
      }),
    );
    expect(anchors).toHaveLength(200);
  });
});
