/**
 * Credential anchoring through the embedded ledger: batches (all or nothing), safe retries,
 * ID_CONFLICT, key validity at the transaction time, digests, pagination, the audit trail and events.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AnchorRequest } from '@credledger/vocabulary';
import {
  anchorOf,
  companyRegistration,
  daysFromNow,
  governance,
  lawyerLicence,
  mojAuditor,
  mojDid,
  mojOperator,
  moeaDid,
  moeaOperator,
  openWorld,
  outcome,
  publicKey,
  registration,
  type World,
} from './registry-world.js';

let world: World;
let serial = 0;

beforeAll(async () => {
  world = await openWorld();
}, 60_000);

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed
  await world?.close();
});

const operator = () => world.as(mojOperator);
const reader = () => world.as(mojAuditor);
const issue = (credentials: AnchorRequest[]) => operator().issueCredentials({ issuerDid: mojDid, credentials });
const batchOf = (n: number) => Array.from({ length: n }, () => anchorOf(mojDid, lawyerLicence));

/** A fresh MOJ-owned issuer, registered by governance. */
async function freshIssuer(): Promise<string> {
  serial += 1;
  const did = `did:web:cred-${serial}.moj.gov.tw`;
  await world.as(governance).registerIssuer(registration(did, 'MojMSP', [lawyerLicence]));
  return did;
}

async function anchored(ids: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const id of ids) if ((await outcome(reader().getCredential(id))) === 'ok') found.push(id);
  return found;
}

describe('IssueCredentials', () => {
  it('anchors a batch: ACTIVE records with the request’s fields, tx-time stamps and the acting MSP', async () => {
    const batch = batchOf(3);
    const result = await issue(batch);
    expect(result.anchored).toEqual(batch.map((c) => c.id));
    expect(result.unchanged).toEqual([]);
    expect(typeof result.txId).toBe('string');
    expect(typeof result.blockNumber).toBe('bigint');
    const record = await reader().getCredential(batch[0]!.id);
    expect(record).toEqual({
      ...batch[0],
      issuerDid: mojDid,
      status: 'ACTIVE',
      reason: null,
      anchoredAt: record.anchoredAt,
      updatedAt: record.anchoredAt,
      updatedByMspId: 'MojMSP',
      supersedes: null,
      supersededBy: null,
    });
    expect(record.anchoredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('accepts a batch of 2,000 in one transaction', async () => {
    const batch = batchOf(2000);
    const result = await issue(batch);
    expect(result.anchored).toHaveLength(2000);
    expect(await anchored([batch[0]!.id, batch[1999]!.id])).toHaveLength(2);
  }, 60_000);

  it('refuses 2,001 with BATCH_TOO_LARGE', async () => {
    expect(await outcome(issue(batchOf(2001)))).toBe('BATCH_TOO_LARGE');
  });

  describe('all or nothing: one bad record and nothing is written', () => {
    it.each<[string, (batch: AnchorRequest[]) => AnchorRequest[], string]>([
      ['a type the issuer may not issue', (b) => [...b, anchorOf(mojDid, companyRegistration)], 'TYPE_NOT_ALLOWED'],
      ['an unknown key', (b) => [...b, anchorOf(mojDid, lawyerLicence, { kid: `${mojDid}#key-404` })], 'KEY_NOT_FOUND'],
      [
        'a malformed digest',
        (b) => [...b, { ...anchorOf(mojDid, lawyerLicence), digest: 'not-a-digest' }],
        'INVALID_INPUT',
      ],
    ])('%s → %s', async (_what, spoil, code) => {
      const batch = batchOf(4);
      expect(await outcome(issue(spoil(batch)))).toBe(code);
      expect(await anchored(batch.map((c) => c.id))).toEqual([]);
    });

    it('an id already anchored with another digest → ID_CONFLICT', async () => {
      const [first] = batchOf(1);
      await issue([first!]);
      const batch = batchOf(3);
      expect(await outcome(issue([...batch, { ...first!, digest: 'f'.repeat(64) }]))).toBe('ID_CONFLICT');
      expect(await anchored(batch.map((c) => c.id))).toEqual([]);
    });
  });

  describe('retries and conflicts', () => {
    it('re-sending anchored credentials is a no-op reported as unchanged', async () => {
      const batch = batchOf(2);
      await issue(batch);
      const before = await reader().getCredential(batch[0]!.id);
      const extra = anchorOf(mojDid, lawyerLicence);
      const retry = await issue([...batch, extra]);
      expect(retry.anchored).toEqual([extra.id]);
      expect(retry.unchanged).toEqual(batch.map((c) => c.id));
      expect(await reader().getCredential(batch[0]!.id)).toEqual(before);
      expect(await reader().getCredentialHistory(batch[0]!.id)).toHaveLength(1);
    });

    it('a retry never reactivates a revoked credential', async () => {
      const [credential] = batchOf(1);
      await issue([credential!]);
      await operator().setCredentialStatus({ id: credential!.id, status: 'REVOKED', reason: 'ISSUED_IN_ERROR' });
      expect((await issue([credential!])).unchanged).toEqual([credential!.id]);
      expect((await reader().getCredential(credential!.id)).status).toBe('REVOKED');
    });

    it.each<[string, Partial<AnchorRequest>]>([
      ['digest', { digest: 'e'.repeat(64) }],
      ['validUntil', { validUntil: null }],
      ['validFrom', { validFrom: '2026-02-01T00:00:00.000Z' }],
    ])('the same id with another %s → ID_CONFLICT', async (_field, change) => {
      const [credential] = batchOf(1);
      await issue([credential!]);
      expect(await outcome(issue([{ ...credential!, ...change }]))).toBe('ID_CONFLICT');
      expect((await reader().getCredential(credential!.id)).digest).toBe(credential!.digest);
    });

    it('another issuer cannot anchor an id already taken → ID_CONFLICT', async () => {
      const [credential] = batchOf(1);
      await issue([credential!]);
      const claim = anchorOf(moeaDid, companyRegistration, { id: credential!.id });
      expect(await outcome(world.as(moeaOperator).issueCredentials({ issuerDid: moeaDid, credentials: [claim] }))).toBe(
        'ID_CONFLICT',
      );
      expect((await reader().getCredential(credential!.id)).issuerDid).toBe(mojDid);
    });

    it('an id twice in one batch: identical is anchored once, different is ID_CONFLICT', async () => {
      const [credential] = batchOf(1);
      expect((await issue([credential!, credential!])).anchored).toEqual([credential!.id]);
      const [other] = batchOf(1);
      expect(await outcome(issue([other!, { ...other!, digest: 'd'.repeat(64) }]))).toBe('ID_CONFLICT');
      expect(await anchored([other!.id])).toEqual([]);
    });
  });

  describe('the signing key must be active at the transaction time', () => {
    let did: string;
    beforeAll(async () => {
      did = await freshIssuer();
      const admin = world.as(governance);
      await admin.addIssuerKey({ did, key: publicKey(`${did}#future`, { validFrom: daysFromNow(30) }) });
      await admin.addIssuerKey({
        did,
        key: publicKey(`${did}#expired`, { validFrom: '2020-01-01T00:00:00Z', validUntil: '2021-01-01T00:00:00Z' }),
      });
      await admin.addIssuerKey({ did, key: publicKey(`${did}#retired`, { validFrom: '2020-01-01T00:00:00Z' }) });
      await admin.retireIssuerKey({ did, kid: `${did}#retired` });
      await admin.addIssuerKey({ did, key: publicKey(`${did}#compromised`, { validFrom: '2020-01-01T00:00:00Z' }) });
      await admin.markIssuerKeyCompromised({
        did,
        kid: `${did}#compromised`,
        compromisedSince: '2025-01-01T00:00:00Z',
      });
    });

    it.each([
      ['key-1', 'ok'],
      ['future', 'KEY_NOT_ACTIVE'],
      ['expired', 'KEY_NOT_ACTIVE'],
      ['retired', 'KEY_NOT_ACTIVE'],
      ['compromised', 'KEY_NOT_ACTIVE'],
      ['unknown', 'KEY_NOT_FOUND'],
    ])('#%s → %s', async (fragment, expected) => {
      const credential = anchorOf(did, lawyerLicence, { kid: `${did}#${fragment}` });
      expect(await outcome(operator().issueCredentials({ issuerDid: did, credentials: [credential] }))).toBe(expected);
      expect(await anchored([credential.id])).toEqual(expected === 'ok' ? [credential.id] : []);
    });
  });

  it('an issuer that is not ACTIVE anchors nothing (ISSUER_INACTIVE); unknown issuers: ISSUER_NOT_FOUND', async () => {
    const did = await freshIssuer();
    await world.as(governance).setIssuerStatus({ did, status: 'SUSPENDED' });
    expect(
      await outcome(operator().issueCredentials({ issuerDid: did, credentials: [anchorOf(did, lawyerLicence)] })),
    ).toBe('ISSUER_INACTIVE');
    await world.as(governance).setIssuerStatus({ did, status: 'DEACTIVATED' });
    expect(
      await outcome(operator().issueCredentials({ issuerDid: did, credentials: [anchorOf(did, lawyerLicence)] })),
    ).toBe('ISSUER_INACTIVE');
    const unknown = 'did:web:nobody.gov.tw';
    expect(
      await outcome(
        operator().issueCredentials({ issuerDid: unknown, credentials: [anchorOf(unknown, lawyerLicence)] }),
      ),
    ).toBe('ISSUER_NOT_FOUND');
  });

  it('emits one CredentialsIssued event with only the newly anchored ids', async () => {
    const [old] = batchOf(1);
    await issue([old!]);
    const fresh = batchOf(2);
    const result = await issue([old!, ...fresh]);
    // A later block with an event ends the scan even if this transaction had none.
    await issue(batchOf(1));
    const ledger = world.network.connect(mojAuditor);
    const events = [];
    for await (const event of ledger.events({ startBlock: result.blockNumber })) {
      if (event.blockNumber > result.blockNumber) break;
      if (event.txId === result.txId) events.push(event);
    }
    expect(events).toHaveLength(1);
    expect(events[0]?.eventName).toBe('CredentialsIssued');
    expect(JSON.parse(new TextDecoder().decode(events[0]?.payload))).toEqual({
      issuerDid: mojDid,
      ids: fresh.map((c) => c.id),
    });
  });
});

describe('reads', () => {
  it('VerifyDigest says whether a digest matches the anchor and returns the record', async () => {
    const [credential] = batchOf(1);
    await issue([credential!]);
    expect(await reader().verifyDigest(credential!.id, credential!.digest)).toMatchObject({
      id: credential!.id,
      matches: true,
      credential: { status: 'ACTIVE' },
    });
    expect((await reader().verifyDigest(credential!.id, '0'.repeat(64))).matches).toBe(false);
    expect(await outcome(reader().verifyDigest(anchorOf(mojDid, lawyerLicence).id, credential!.digest))).toBe(
      'CREDENTIAL_NOT_FOUND',
    );
    expect(await outcome(reader().getCredential('urn:uuid:not-a-uuid'))).toBe('INVALID_INPUT');
  });

  it('ListCredentialsByIssuer pages through one issuer’s credentials in id order', async () => {
    const did = await freshIssuer();
    const batch = Array.from({ length: 25 }, () => anchorOf(did, lawyerLicence));
    await operator().issueCredentials({ issuerDid: did, credentials: batch });
    const expected = batch.map((c) => c.id).sort();

    const pages: string[][] = [];
    let bookmark = '';
    do {
      const page = await reader().listCredentialsByIssuer(did, { pageSize: 10, bookmark });
      pages.push(page.records.map((r) => r.id));
      expect(page.records.every((r) => r.issuerDid === did)).toBe(true);
      bookmark = page.bookmark;
    } while (bookmark !== '' && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(expected);

    const all = [];
    for await (const record of reader().credentialsByIssuer(did, { pageSize: 7 })) all.push(record.id);
    expect(all).toEqual(expected);
    expect(await outcome(reader().listCredentialsByIssuer('did:web:nobody.gov.tw'))).toBe('ISSUER_NOT_FOUND');
    expect(await outcome(reader().listCredentialsByIssuer(did, { pageSize: 1001 }))).toBe('INVALID_INPUT');
  });

  it('GetCredentialHistory is the audit trail: every version, oldest first, with tx id, time, status, reason and acting MSP', async () => {
    const [credential] = batchOf(1);
    const id = credential!.id;
    const steps = [
      await issue([credential!]),
      await operator().setCredentialStatus({ id, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' }),
      await operator().setCredentialStatus({ id, status: 'ACTIVE', reason: 'SUSPENSION_LIFTED' }),
      await operator().setCredentialStatuses({
        issuerDid: mojDid,
        changes: [{ id, status: 'REVOKED', reason: 'DISBARMENT' }],
      }),
    ];
    // A refused change and a no-op leave no version behind.
    expect(await outcome(operator().setCredentialStatus({ id, status: 'ACTIVE', reason: 'SUSPENSION_LIFTED' }))).toBe(
      'INVALID_TRANSITION',
    );
    await operator().setCredentialStatus({ id, status: 'REVOKED', reason: 'DISBARMENT' });

    const history = await world.as('NdcMSP/auditor').getCredentialHistory(id);
    expect(history.map((e) => [e.txId, e.status, e.reason, e.mspId])).toEqual([
      [steps[0]!.txId, 'ACTIVE', null, 'MojMSP'],
      [steps[1]!.txId, 'SUSPENDED', 'DISCIPLINARY_SUSPENSION', 'MojMSP'],
      [steps[2]!.txId, 'ACTIVE', 'SUSPENSION_LIFTED', 'MojMSP'],
      [steps[3]!.txId, 'REVOKED', 'DISBARMENT', 'MojMSP'],
    ]);
    const times = history.map((e) => e.time);
    expect(times).toEqual([...times].sort());
    expect(times[3]).toBe((await reader().getCredential(id)).updatedAt);
    expect(await outcome(reader().getCredentialHistory(anchorOf(mojDid, lawyerLicence).id))).toBe(
      'CREDENTIAL_NOT_FOUND',
    );
  });
});
