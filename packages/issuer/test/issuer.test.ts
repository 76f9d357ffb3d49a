import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, importJWK, jwtVerify } from 'jose';
import { CredledgerError, ledgerStatusSource, verifyCredential } from '@credledger/verify';
import { decodeCredentialJwt } from '../src/credentials/decode.js';
import { credentialDigest, ledgers, Registry, type EmbeddedNetwork } from '@credledger/ledger';
import { newCredentialId } from '../src/credentials/credential.js';
import { nodeCredentialSigner } from '../src/credentials/sign.js';
import { createIssuer, type IssuedCredential, type IssuerConfig, type IssuerRegistry } from '../src/issuer.js';
import { issuerKeyFromPrivateKey } from '../src/keys/issuer-key.js';
import { statusIndexAllocators, type StatusIndexAllocator } from '../src/status/allocator.js';
import { companySubject, factorySubject, lawyerSubject, originSubject } from './credentials-samples.js';
import { testPrivateKey } from './fixtures/keys.js';

const mojDid = 'did:web:moj.gov.tw';
const moeaDid = 'did:web:moea.gov.tw';
const mojKey = issuerKeyFromPrivateKey(testPrivateKey('es256'), `${mojDid}#key-1`);
const moeaKey = issuerKeyFromPrivateKey(testPrivateKey('eddsa'), `${moeaDid}#key-1`);
const statusBaseUrl = 'https://verify.gov.tw';
const fixedNow = () => new Date('2026-11-26T08:00:00.000Z');

let directory: string;
let network: EmbeddedNetwork;
let mojRegistry: Registry;
let moeaRegistry: Registry;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'credledger-issuer-'));
  network = await ledgers.embedded({ directory, fsync: false });
  const governance = new Registry(network.connect('NdcMSP/admin'));
  await governance.init({ governanceMspIds: ['NdcMSP'] });
  for (const [did, mspId, type, key, name] of [
    [mojDid, 'MojMSP', 'LawyerLicenceCredential', mojKey, { 'zh-TW': '法務部', en: 'Ministry of Justice' }],
    [
      moeaDid,
      'MoeaMSP',
      'EconomicCertificateCredential',
      moeaKey,
      { 'zh-TW': '經濟部', en: 'Ministry of Economic Affairs' },
    ],
  ] as const) {
    await governance.registerIssuer({
      did,
      mspId,
      name,
      credentialTypes: [type],
      keys: [{ kid: key.kid, publicKeyJwk: key.publicKeyJwk, validFrom: '2020-01-01T00:00:00.000Z' }],
    });
  }
  mojRegistry = new Registry(network.connect('MojMSP/operator'));
  moeaRegistry = new Registry(network.connect('MoeaMSP/operator'));
}, 60_000);

afterAll(async () => {
  await network.close();
  await rm(directory, { recursive: true, force: true });
});

function mojIssuer(overrides: Partial<IssuerConfig> = {}) {
  return createIssuer({
    registry: mojRegistry,
    issuerDid: mojDid,
    key: mojKey,
    statusAllocator: statusIndexAllocators.inMemory(),
    statusBaseUrl,
    now: fixedNow,
    ...overrides,
  });
}

/** The next unused licence serial: the ledger holds one ACTIVE licence per number, and tests share it. */
let nextSerial = 1;

/** Lawyer subjects with licence numbers no other call returns. */
function lawyers(count: number): Record<string, unknown>[] {
  const first = nextSerial;
  nextSerial += count;
  return Array.from({ length: count }, (_, i) => ({
    ...lawyerSubject,
    licenceNumber: `(115)台檢證字第${String(first + i).padStart(6, '0')}號`,
  }));
}

async function expectAnchored(registry: Registry, credentials: readonly IssuedCredential[]): Promise<void> {
  for (const credential of credentials) {
    const record = await registry.getCredential(credential.id);
    expect(record.digest).toBe(credentialDigest(credential.jwt));
    expect(record.status).toBe('ACTIVE');
  }
}

describe('issue', () => {
  it('validates, signs and anchors a lawyer licence that jose verifies', async () => {
    const issuer = mojIssuer();
    const issued = await issuer.issue('LawyerLicenceCredential', lawyerSubject);
    expect(issued.digest).toBe(credentialDigest(issued.jwt));
    const { payload, protectedHeader } = await jwtVerify(
      issued.jwt,
      await importJWK({ ...mojKey.publicKeyJwk }, 'ES256'),
      {
        typ: 'vc+jwt',
        currentDate: new Date('2027-01-01T00:00:00Z'),
      },
    );
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'vc+jwt', kid: `${mojDid}#key-1` });
    expect(payload).toMatchObject({
      id: issued.id,
      jti: issued.id,
      issuer: mojDid,
      validFrom: '2026-11-26T08:00:00Z',
      // The type's default validity: 10 years.
      validUntil: '2036-11-26T08:00:00Z',
      credentialSubject: lawyerSubject,
    });
    const record = await mojRegistry.getCredential(issued.id);
    expect(record).toMatchObject({
      id: issued.id,
      issuerDid: mojDid,
      type: 'LawyerLicenceCredential',
      digest: issued.digest,
      kid: mojKey.kid,
      validFrom: '2026-11-26T08:00:00.000Z',
      validUntil: '2036-11-26T08:00:00.000Z',
      status: 'ACTIVE',
    });
  });

  it('writes revocation and suspension entries at the allocator indexes', async () => {
    const allocator = statusIndexAllocators.inMemory();
    const [subject] = lawyers(1);
    const issued = await mojIssuer({ statusAllocator: allocator }).issue('LawyerLicenceCredential', subject);
    const status = decodeCredentialJwt(issued.jwt).payload.credentialStatus ?? [];
    const revocation = (await allocator.allocations(mojDid, 'revocation')).get(issued.id);
    const suspension = (await allocator.allocations(mojDid, 'suspension')).get(issued.id);
    expect(status.map((entry) => [entry.statusPurpose, entry.statusListIndex])).toEqual([
      ['revocation', String(revocation?.index)],
      ['suspension', String(suspension?.index)],
    ]);
    expect(status[0]?.statusListCredential).toBe('https://verify.gov.tw/status/moj.gov.tw/revocation');
  });

  it('issues every kind of economic certificate with EdDSA, and honours explicit validity and ids', async () => {
    const issuer = createIssuer({
      registry: moeaRegistry,
      issuerDid: moeaDid,
      key: moeaKey,
      statusAllocator: statusIndexAllocators.inMemory(),
      statusBaseUrl,
      now: fixedNow,
    });
    const id = newCredentialId();
    const validUntil = new Date('2027-06-30T00:00:00Z');
    const first = await issuer.issue('EconomicCertificateCredential', companySubject, { id, validUntil });
    expect(first.id).toBe(id);
    expect(decodeCredentialJwt(first.jwt).payload).toMatchObject({
      validUntil: '2027-06-30T00:00:00Z',
      exp: validUntil.getTime() / 1000,
    });
    const rest = await issuer.issueBatch('EconomicCertificateCredential', [factorySubject, originSubject], {
      validUntil: null,
    });
    expect('exp' in decodeCredentialJwt(rest[0]?.jwt ?? '').payload).toBe(false);
    const key = await importJWK({ ...moeaKey.publicKeyJwk }, 'EdDSA');
    for (const credential of [first, ...rest]) await expect(compactVerify(credential.jwt, key)).resolves.toBeDefined();
    await expectAnchored(moeaRegistry, [first, ...rest]);
  });

  it('refuses a credential already expired at issuance unless that is allowed explicitly', async () => {
    const issuer = mojIssuer();
    const subject = { ...lawyerSubject, licenceNumber: '(99)台檢證字第900001號' };
    const signed: unknown[] = [];
    const expired = {
      code: 'SCHEMA_INVALID',
      details: expect.objectContaining({ field: 'validUntil', problem: 'expired-at-issuance' }),
    };
    // validUntil one second before the issuer's clock, and a default term that ended long ago.
    await expect(
      issuer.issueBatch('LawyerLicenceCredential', [subject], {
        validUntil: new Date('2026-11-26T07:59:59Z'),
        onSigned: (chunk) => void signed.push(...chunk),
      }),
    ).rejects.toMatchObject(expired);
    await expect(
      issuer.issue('LawyerLicenceCredential', subject, { validFrom: new Date('2010-09-01T00:00:00Z') }),
    ).rejects.toMatchObject(expired);
    expect(signed).toEqual([]);
    const issued = await issuer.issue('LawyerLicenceCredential', subject, {
      validFrom: new Date('2010-09-01T00:00:00Z'),
      validUntil: new Date('2020-09-01T00:00:00Z'),
      allowExpired: true,
    });
    expect(decodeCredentialJwt(issued.jwt).payload).toMatchObject({ validUntil: '2020-09-01T00:00:00Z' });
    await expectAnchored(mojRegistry, [issued]);
  });

  it('refuses an invalid subject before signing, naming the field', async () => {
    const signed: unknown[] = [];
    await expect(
      mojIssuer().issueBatch('LawyerLicenceCredential', [...lawyers(3), { ...lawyerSubject, licenceNumber: '12345' }], {
        onSigned: (chunk) => void signed.push(...chunk),
      }),
    ).rejects.toMatchObject({
      code: 'SCHEMA_INVALID',
      details: { index: 3, field: 'licenceNumber', problem: 'pattern' },
    });
    expect(signed).toEqual([]);
  });

  it('passes the ledger refusal through (a type this issuer may not issue)', async () => {
    const issuer = mojIssuer();
    await expect(issuer.issue('EconomicCertificateCredential', companySubject)).rejects.toMatchObject({
      code: 'TYPE_NOT_ALLOWED',
    });
  });

  it('signs through a pluggable credentialSigner', async () => {
    const issuer = mojIssuer({
      key: { kid: mojKey.kid, alg: 'ES256', credentialSigner: nodeCredentialSigner(mojKey.privateKey) },
    });
    const [issued] = await issuer.issueBatch('LawyerLicenceCredential', lawyers(2));
    await expect(
      compactVerify(issued?.jwt ?? '', await importJWK({ ...mojKey.publicKeyJwk }, 'ES256')),
    ).resolves.toBeDefined();
  });

  it('refuses a key of another DID', () => {
    expect(() => mojIssuer({ key: moeaKey })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('issueBatch', () => {
  it('signs on worker threads and anchors in several transactions, reporting progress', async () => {
    const issuer = mojIssuer({ workers: 2, anchorBatchSize: 100, anchorConcurrency: 2 });
    try {
      const progress: string[] = [];
      const receipts = new Set<string>();
      const subjects = lawyers(250);
      const issued = await issuer.issueBatch('LawyerLicenceCredential', subjects, {
        onProgress: ({ phase, done, total }) => progress.push(`${phase} ${done}/${total}`),
        onAnchored: (_chunk, { txId }) => void receipts.add(txId),
      });
      expect(issued).toHaveLength(250);
      expect(new Set(issued.map((c) => c.id)).size).toBe(250);
      expect(receipts.size).toBe(3);
      expect(progress.filter((p) => p.startsWith('signed'))).toEqual([
        'signed 100/250',
        'signed 200/250',
        'signed 250/250',
      ]);
      // Transactions may commit in any order; the count only grows and ends at the total.
      const anchored = progress.filter((p) => p.startsWith('anchored')).map((p) => Number(/ (\d+)\//.exec(p)?.[1]));
      expect(anchored).toHaveLength(3);
      expect([...anchored].sort((x, y) => x - y)).toEqual(anchored);
      expect(anchored.at(-1)).toBe(250);
      // Subject order is kept.
      issued.forEach((credential, i) => {
        expect(decodeCredentialJwt(credential.jwt).payload.credentialSubject?.licenceNumber).toBe(
          subjects[i]?.licenceNumber,
        );
      });
      const key = await importJWK({ ...mojKey.publicKeyJwk }, 'ES256');
      for (const credential of issued.slice(0, 20))
        await expect(compactVerify(credential.jwt, key)).resolves.toBeDefined();
      await expectAnchored(mojRegistry, issued);
      // Random, collision-free status indexes.
      const indexes = issued.map((c) => decodeCredentialJwt(c.jwt).payload.credentialStatus?.[0]?.statusListIndex);
      expect(new Set(indexes).size).toBe(250);
    } finally {
      await issuer.close();
    }
  });

  it('resumes exactly after a failure mid-batch: nothing signed twice, nothing lost', async () => {
    const journal = new Map<string, string>();
    const submitted: string[][] = [];
    let calls = 0;
    /** Fails the second anchor transaction after it committed (the reply was lost), and the third before. */
    const flaky: IssuerRegistry = {
      issueCredentials: async (request) => {
        calls += 1;
        submitted.push(request.credentials.map((c) => c.id));
        if (calls === 3) throw new CredledgerError('LEDGER_UNAVAILABLE', 'peer unreachable');
        const result = await mojRegistry.issueCredentials(request);
        if (calls === 2) throw new CredledgerError('DEADLINE_EXCEEDED', 'commit status unknown');
        return result;
      },
      setCredentialStatus: (request) => mojRegistry.setCredentialStatus(request),
      setCredentialStatuses: (request) => mojRegistry.setCredentialStatuses(request),
      getSubjectHolders: (did, digests) => mojRegistry.getSubjectHolders(did, digests),
    };
    const allocator: StatusIndexAllocator = statusIndexAllocators.inMemory();
    const subjects = lawyers(100);
    const ids = subjects.map(() => newCredentialId());
    const first = mojIssuer({
      registry: flaky,
      statusAllocator: allocator,
      anchorBatchSize: 25,
      anchorConcurrency: 1,
      workers: 0,
    });
    await expect(
      first.issueBatch('LawyerLicenceCredential', subjects, {
        ids,
        onSigned: (chunk) => {
          chunk.forEach((c) => journal.set(c.id, c.jwt));
        },
      }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/DEADLINE_EXCEEDED|LEDGER_UNAVAILABLE/) });
    expect(journal.size).toBeGreaterThanOrEqual(50);
    expect(journal.size).toBeLessThan(100);

    const resumedSigned: string[] = [];
    const anchoredIds: string[] = [];
    const retry = mojIssuer({ statusAllocator: allocator, anchorBatchSize: 25, workers: 0 });
    const issued = await retry.issueBatch('LawyerLicenceCredential', subjects, {
      ids,
      signed: journal,
      onSigned: (chunk) => void resumedSigned.push(...chunk.map((c) => c.id)),
      onAnchored: (chunk) => void anchoredIds.push(...chunk.map((c) => c.id)),
    });
    expect(issued.map((c) => c.id)).toEqual(ids);
    // Journalled credentials come back byte for byte; only the rest was signed now.
    for (const credential of issued) {
      if (journal.has(credential.id)) expect(credential.jwt).toBe(journal.get(credential.id));
    }
    expect(resumedSigned.sort()).toEqual(ids.filter((id) => !journal.has(id)).sort());
    expect(anchoredIds.sort()).toEqual([...ids].sort());
    await expectAnchored(mojRegistry, issued);
    // The same status indexes as the first attempt (the allocator is keyed by id).
    const revocation = await allocator.allocations(mojDid, 'revocation');
    for (const credential of issued) {
      expect(decodeCredentialJwt(credential.jwt).payload.credentialStatus?.[0]?.statusListIndex).toBe(
        String(revocation.get(credential.id)?.index),
      );
    }
  });

  it('refuses a journalled JWT that does not belong to the subject at its id', async () => {
    const [other] = await mojIssuer().issueBatch('LawyerLicenceCredential', lawyers(1));
    const subjects = lawyers(2).slice(1);
    await expect(
      mojIssuer().issueBatch('LawyerLicenceCredential', subjects, {
        ids: [other?.id ?? ''],
        signed: new Map([[other?.id ?? '', other?.jwt ?? '']]),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses repeated or malformed ids', async () => {
    const id = newCredentialId();
    await expect(
      mojIssuer().issueBatch('LawyerLicenceCredential', lawyers(2), { ids: [id, id] }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      mojIssuer().issueBatch('LawyerLicenceCredential', lawyers(1), { ids: ['urn:uuid:nope'] }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});

describe('one ACTIVE credential per subject', () => {
  /** An issuer whose signing is counted: the allocator hands out status indexes once per credential signed. */
  function countingIssuer(): { issuer: ReturnType<typeof mojIssuer>; signed: () => number } {
    const inner = statusIndexAllocators.inMemory();
    let signed = 0;
    const statusAllocator: StatusIndexAllocator = {
      listSize: inner.listSize,
      allocate: (did, purpose, ids) => {
        if (purpose === 'revocation') signed += ids.length;
        return inner.allocate(did, purpose, ids);
      },
      allocations: (did, purpose) => inner.allocations(did, purpose),
    };
    return { issuer: mojIssuer({ statusAllocator }), signed: () => signed };
  }

  it('refuses a second credential for a licence number, naming the first, before anything is signed', async () => {
    const [subject] = lawyers(1);
    const first = await mojIssuer().issue('LawyerLicenceCredential', subject);
    const { issuer, signed } = countingIssuer();
    const refused = issuer.issue('LawyerLicenceCredential', subject);
    await expect(refused).rejects.toMatchObject({
      code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL',
      details: { conflicts: [{ index: 0, credentialId: first.id, status: 'ACTIVE' }], count: 1 },
    });
    await expect(refused).rejects.toThrow(first.id);
    expect(signed()).toBe(0);
  });

  it('knows one licence number however it is spelt (臺/台, leading zeros), and refuses it twice in one batch', async () => {
    const [subject] = lawyers(1);
    const serial = /第0*(\d+)號/.exec(String(subject?.licenceNumber))?.[1] ?? '';
    const respelt = { ...subject, licenceNumber: `(115)臺檢證字第${serial}號` };
    const { issuer, signed } = countingIssuer();
    await expect(issuer.issueBatch('LawyerLicenceCredential', [subject, ...lawyers(1), respelt])).rejects.toMatchObject(
      {
        code: 'INVALID_INPUT',
        details: { index: 2, otherIndex: 0 },
      },
    );
    expect(signed()).toBe(0);
    const first = await issuer.issue('LawyerLicenceCredential', subject);
    await expect(issuer.issue('LawyerLicenceCredential', respelt)).rejects.toMatchObject({
      code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL',
      details: { conflicts: [{ credentialId: first.id }] },
    });
  });

  it('names every subject of a batch that is already held, by position', async () => {
    const subjects = lawyers(4);
    const held = await mojIssuer().issueBatch('LawyerLicenceCredential', [subjects[1], subjects[3]]);
    const { issuer, signed } = countingIssuer();
    await expect(issuer.issueBatch('LawyerLicenceCredential', subjects)).rejects.toMatchObject({
      code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL',
      details: {
        count: 2,
        conflicts: [
          { index: 1, credentialId: held[0]?.id, status: 'ACTIVE' },
          { index: 3, credentialId: held[1]?.id, status: 'ACTIVE' },
        ],
      },
    });
    expect(signed()).toBe(0);
  });

  it('supersede: the new credential is ACTIVE, the old REVOKED as SUPERSEDED, each naming the other', async () => {
    const [subject] = lawyers(1);
    const old = await mojIssuer().issue('LawyerLicenceCredential', subject);
    const renewed = await mojIssuer().issue('LawyerLicenceCredential', subject, { supersede: true });
    expect(renewed.supersedes).toBe(old.id);
    await expect(mojRegistry.getCredential(renewed.id)).resolves.toMatchObject({
      status: 'ACTIVE',
      supersedes: old.id,
    });
    await expect(mojRegistry.getCredential(old.id)).resolves.toMatchObject({
      status: 'REVOKED',
      reason: 'SUPERSEDED',
      supersededBy: renewed.id,
    });
    // Superseding with nothing to supersede simply issues.
    const [fresh] = lawyers(1);
    expect((await mojIssuer().issue('LawyerLicenceCredential', fresh, { supersede: true })).supersedes).toBeUndefined();
  });

  it('never supersedes a suspended licence: INVALID_TRANSITION before anything is signed', async () => {
    const [subject] = lawyers(1);
    const suspended = await mojIssuer().issue('LawyerLicenceCredential', subject);
    await mojIssuer().suspend(suspended.id, 'DISCIPLINARY_SUSPENSION');
    const { issuer, signed } = countingIssuer();
    await expect(issuer.issue('LawyerLicenceCredential', subject, { supersede: true })).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { conflicts: [{ credentialId: suspended.id, status: 'SUSPENDED' }] },
    });
    await expect(issuer.issue('LawyerLicenceCredential', subject)).rejects.toMatchObject({
      code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL',
    });
    expect(signed()).toBe(0);
    // Revoked, the licence frees its number.
    await mojIssuer().revoke(suspended.id, 'DISBARMENT');
    await expect(issuer.issue('LawyerLicenceCredential', subject)).resolves.toMatchObject({ id: expect.any(String) });
  });

  it('lets one company hold a registration and a certificate of origin at once, but not two registrations', async () => {
    const issuer = createIssuer({
      registry: moeaRegistry,
      issuerDid: moeaDid,
      key: moeaKey,
      statusAllocator: statusIndexAllocators.inMemory(),
      statusBaseUrl,
      now: fixedNow,
    });
    const company = { ...companySubject, ubn: '22099131' };
    const origin = { ...originSubject, ubn: '22099131', certificateNumber: 'CO-2026-0009999' };
    const [registration] = await issuer.issueBatch('EconomicCertificateCredential', [company, origin]);
    await expect(
      issuer.issue('EconomicCertificateCredential', { ...company, certificateNumber: '經授商字第11509999990號' }),
    ).rejects.toMatchObject({
      code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL',
      details: { conflicts: [{ credentialId: registration?.id }] },
    });
  });
});

describe('signCredentials + anchorCredentials (journal-driven)', () => {
  it('signs without the ledger, then anchors; anchoring again is a no-op', async () => {
    const issuer = mojIssuer();
    const items = lawyers(3).map((subject) => ({ id: newCredentialId(), subject }));
    const signed = await issuer.signCredentials('LawyerLicenceCredential', items);
    await expect(mojRegistry.getCredential(signed[0]?.id ?? '')).rejects.toMatchObject({
      code: 'CREDENTIAL_NOT_FOUND',
    });
    const jwts = signed.map((c) => c.jwt);
    await expect(issuer.anchorCredentials(jwts)).resolves.toMatchObject({
      anchored: items.map((i) => i.id),
      unchanged: [],
    });
    await expect(issuer.anchorCredentials(jwts)).resolves.toMatchObject({
      anchored: [],
      unchanged: items.map((i) => i.id),
    });
    await expectAnchored(mojRegistry, signed);
  });

  it('anchors a journalled credential for a held subject only when told to supersede', async () => {
    const issuer = mojIssuer();
    const [subject] = lawyers(1);
    const old = await issuer.issue('LawyerLicenceCredential', subject);
    const [renewal] = await issuer.signCredentials('LawyerLicenceCredential', [{ id: newCredentialId(), subject }]);
    const jwts = [renewal?.jwt ?? ''];
    await expect(issuer.anchorCredentials(jwts)).rejects.toMatchObject({ code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL' });
    await expect(issuer.anchorCredentials(jwts, { supersede: true })).resolves.toMatchObject({
      anchored: [renewal?.id],
      superseded: [{ id: old.id, by: renewal?.id }],
    });
  });

  it('refuses to anchor another issuer key’s credential', async () => {
    const [foreign] = await createIssuer({
      registry: moeaRegistry,
      issuerDid: moeaDid,
      key: moeaKey,
      statusAllocator: statusIndexAllocators.inMemory(),
      statusBaseUrl,
    }).signCredentials('EconomicCertificateCredential', [{ id: newCredentialId(), subject: companySubject }]);
    await expect(mojIssuer().anchorCredentials([foreign?.jwt ?? ''])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(mojIssuer().anchorCredentials(['not.a.jwt'])).rejects.toMatchObject({ code: 'CREDENTIAL_MALFORMED' });
  });
});

describe('status changes', () => {
  it('suspends, reinstates and revokes, single and in bulk; repeats are no-ops', async () => {
    const issuer = mojIssuer();
    const [a, b, c] = await issuer.issueBatch('LawyerLicenceCredential', lawyers(3));
    const ids = [a?.id ?? '', b?.id ?? '', c?.id ?? ''];
    await expect(issuer.suspend(ids[0] ?? '', 'DISCIPLINARY_SUSPENSION')).resolves.toMatchObject({
      changed: [{ id: ids[0], from: 'ACTIVE', to: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' }],
    });
    await expect(mojRegistry.getCredential(ids[0] ?? '')).resolves.toMatchObject({ status: 'SUSPENDED' });
    await expect(issuer.reinstate(ids[0] ?? '')).resolves.toMatchObject({
      changed: [{ to: 'ACTIVE', reason: 'SUSPENSION_LIFTED' }],
    });
    const revoked = await issuer.revoke(ids, 'DISBARMENT');
    expect(revoked.changed.map((change) => change.id).sort()).toEqual([...ids].sort());
    for (const id of ids)
      await expect(mojRegistry.getCredential(id)).resolves.toMatchObject({ status: 'REVOKED', reason: 'DISBARMENT' });
    await expect(issuer.revoke(ids, 'DISBARMENT')).resolves.toMatchObject({
      changed: [],
      unchanged: expect.arrayContaining(ids),
    });
    await expect(issuer.reinstate(ids[1] ?? '')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
  });
});

describe('issue as SD-JWT VC (docs/wallet.md)', () => {
  it.each([
    ['ietf', 'a local key'],
    ['tw-diw', 'a credentialSigner'],
  ] as const)(
    '%s, signed with %s: the ledger anchors the issuer-signed JWT, and it verifies VALID',
    async (profile, how) => {
      const issuer = mojIssuer(
        how === 'a credentialSigner'
          ? { key: { kid: mojKey.kid, alg: 'ES256', credentialSigner: nodeCredentialSigner(mojKey.privateKey) } }
          : {},
      );
      const [subject] = lawyers(1);
      const issued = await issuer.issue('LawyerLicenceCredential', subject, { sdJwt: { profile } });
      expect(issued.jwt).toContain('~');
      expect(issued.digest).toBe(credentialDigest(issuedSigned(issued.jwt)));
      const record = await mojRegistry.getCredential(issued.id);
      expect(record).toMatchObject({ digest: issued.digest, type: 'LawyerLicenceCredential', kid: mojKey.kid });
      const result = await verifyCredential(issued.jwt, {
        status: ledgerStatusSource(mojRegistry),
        now: new Date('2027-01-01T00:00:00Z'),
      });
      expect(result.verdict).toBe('VALID');
      expect(result.presentation).toMatchObject({ format: 'sd-jwt', profile });
      // One active credential per subject holds for SD-JWTs too: the subject digest was anchored.
      await expect(issuer.issue('LawyerLicenceCredential', subject, { sdJwt: { profile } })).rejects.toMatchObject({
        code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL',
      });
    },
  );

  it('a batch resumed with SD-JWTs signed earlier anchors exactly those, never re-signing', async () => {
    const issuer = mojIssuer();
    const subjects = lawyers(2);
    const ids = subjects.map(() => newCredentialId());
    const signed = await issuer.signCredentials(
      'LawyerLicenceCredential',
      subjects.map((subject, i) => ({ id: ids[i] ?? '', subject })),
      { sdJwt: { profile: 'tw-diw' } },
    );
    const issued = await issuer.issueBatch('LawyerLicenceCredential', subjects, {
      ids,
      signed: new Map(signed.map((c) => [c.id, c.jwt])),
      sdJwt: { profile: 'tw-diw' },
    });
    expect(issued.map((c) => c.jwt)).toEqual(signed.map((c) => c.jwt));
    for (const credential of issued)
      expect((await mojRegistry.getCredential(credential.id)).digest).toBe(
        credentialDigest(issuedSigned(credential.jwt)),
      );
  });
});

function issuedSigned(sdJwt: string): string {
  return sdJwt.slice(0, sdJwt.indexOf('~'));
}
