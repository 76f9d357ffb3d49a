/**
 * The ledger behaviour suite (shared/fabric-semantics.md §10), written against the `Ledger` interface so
 * the same functions run against the embedded ledger and against a real Fabric network. Two parts:
 *
 * - credledger behaviours: what a client sees through credledger's own chaincode (`Registry`) —
 *   authorization by MSP, idempotent retry and ID_CONFLICT, the status state machine, MVCC conflicts,
 *   history and events. They need nothing but the chaincode every network runs.
 * - raw-stub behaviours: one test per §10 item, through the fixture chaincode
 *   (test/fixtures/test-chaincode.cjs), which exercises the stub directly. On Fabric they need that
 *   fixture deployed as a second chaincode (`network/fabric.sh deploy-fixture`).
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fromLedgerError,
  Registry,
  transactionNames,
  type Committed,
  type Ledger,
  type LedgerEvent,
} from '@credledger/ledger';

/** A transaction endorsed but not yet submitted (fabric-gateway's `proposal.endorse()`). */
export interface Endorsed {
  readonly txId: string;
  submit(): Promise<Committed>;
}

/** What a backend gives the raw-stub behaviours: connections to the fixture chaincode. */
export interface LedgerSuiteContext {
  /** Two issuer operators of different organisations, and their MSP ids and roles. */
  readonly a: { readonly ledger: Ledger; readonly mspId: string; readonly role: string | null };
  readonly b: { readonly ledger: Ledger; readonly mspId: string; readonly role: string | null };
  /** Endorses without ordering (Fabric's endorse → submit flow), as `who`. */
  endorse(who: 'a' | 'b', name: string, ...args: string[]): Promise<Endorsed>;
  /** PEM of the CA certificate of an MSP. */
  caCertificate(mspId: string): string;
  /** The chaincode name events carry. */
  readonly chaincodeName: string;
  /** The peer's `ledger.state.totalQueryLimit`. */
  readonly totalQueryLimit: number;
  /** A ledger on a peer with the history database disabled (called only when the backend's {@link FixtureCapabilities} say it can). */
  withoutHistory?(): Promise<{ ledger: Ledger; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** What a backend gives the credledger behaviours: connections to credledger's chaincode, initialised. */
export interface CredledgerSuiteContext {
  /** An identity with the governance-admin role of a governance organisation (registers issuers). */
  readonly governance: Ledger;
  /** Issuer operators (issuer-operator role) of two organisations. */
  readonly a: { readonly ledger: Ledger; readonly mspId: string };
  readonly b: { readonly ledger: Ledger; readonly mspId: string };
  /** Endorses a credledger transaction without ordering it, as `who` (to set up races deterministically). */
  endorse(who: 'a' | 'b', name: string, ...args: string[]): Promise<Endorsed>;
  /** The chaincode name events carry. */
  readonly chaincodeName: string;
  close(): Promise<void>;
}

/**
 * What the fixture's peer can show, known when the tests are registered: a behaviour the backend cannot
 * set up is registered as skipped with the reason in its title, never run as a test that asserts nothing.
 */
export interface FixtureCapabilities {
  /** The peer's `ledger.state.totalQueryLimit`; §10.16 fills it, so it must be small enough to fill in a test. */
  readonly totalQueryLimit: number;
  /** Whether {@link LedgerSuiteContext.withoutHistory} can open a peer with the history database disabled. */
  readonly peerWithoutHistory: boolean;
}

/**
 * A backend for {@link ledgerSuite}: its initialised credledger connections, and its fixture
 * connections with their capabilities; for either, why there are none.
 */
export interface LedgerSuiteBackend {
  readonly credledger: (() => Promise<CredledgerSuiteContext>) | { readonly unavailable: string };
  readonly fixture:
    | { readonly open: () => Promise<LedgerSuiteContext>; readonly capabilities: FixtureCapabilities }
    | { readonly unavailable: string };
}

/** The largest totalQueryLimit §10.16 fills in a test (it writes limit + 7 keys). */
const fillableQueryLimit = 2000;

/**
 * Registers the whole suite under `ledger behaviour: <name>`. A half the backend cannot run (no
 * initialised registry, no fixture chaincode) is skipped and one line says why.
 */
export function ledgerSuite(name: string, backend: LedgerSuiteBackend): void {
  if (typeof backend.credledger === 'function') {
    credledgerBehaviours(name, backend.credledger);
  } else {
    console.log(`ledger behaviour: ${name}: credledger behaviours skipped, ${backend.credledger.unavailable}`);
    describe.skip(`ledger behaviour: ${name} (credledger chaincode)`, () => {
      it('needs an initialised registry', () => undefined);
    });
  }
  if ('open' in backend.fixture) {
    rawStubBehaviours(name, backend.fixture.open, backend.fixture.capabilities);
  } else {
    console.log(`ledger behaviour: ${name}: raw-stub behaviours skipped, ${backend.fixture.unavailable}`);
    describe.skip(`ledger behaviour: ${name} (raw stub)`, () => {
      it('needs the fixture chaincode', () => undefined);
    });
  }
}

const lawyerLicence = 'LawyerLicenceCredential';
const companyRegistration = 'CompanyRegistrationCredential';

/** Behaviours observable through credledger's own chaincode. Each run registers fresh issuers, so it can repeat on one network. */
export function credledgerBehaviours(name: string, open: () => Promise<CredledgerSuiteContext>): void {
  describe(`ledger behaviour: ${name} (credledger chaincode)`, () => {
    let ctx: CredledgerSuiteContext;
    let governance: Registry;
    let a: Registry;
    let b: Registry;
    const run = randomUUID().replaceAll('-', '').slice(0, 12);
    const didA = `did:web:issuer-a.gov.tw:suite:${run}`;
    const didB = `did:web:issuer-b.gov.tw:suite:${run}`;
    let serial = 0;
    const newId = (): string => {
      serial += 1;
      const hex = createHash('sha256')
        .update(`${run} ${String(serial)}`)
        .digest('hex');
      return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    };
    const anchor = (did: string, type: string, id = newId(), subject = `subject of ${id}`) => ({
      id,
      digest: createHash('sha256').update(`jws of ${id}`).digest('hex'),
      type,
      kid: `${did}#key-1`,
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: '2036-01-01T00:00:00.000Z',
      subjectDigest: createHash('sha256').update(`${run} ${subject}`).digest('hex'),
    });
    const coordinate = (seed: string): string => createHash('sha256').update(seed).digest('base64url');
    const registration = (did: string, mspId: string, type: string) => ({
      did,
      mspId,
      name: { 'zh-TW': `測試機關 ${run}`, en: `Test agency ${run}` },
      credentialTypes: [type],
      keys: [
        {
          kid: `${did}#key-1`,
          publicKeyJwk: {
            kty: 'EC' as const,
            crv: 'P-256' as const,
            x: coordinate(`${did} x`),
            y: coordinate(`${did} y`),
          },
          validFrom: '2020-01-01T00:00:00.000Z',
        },
      ],
    });

    beforeAll(async () => {
      ctx = await open();
      governance = new Registry(ctx.governance);
      a = new Registry(ctx.a.ledger);
      b = new Registry(ctx.b.ledger);
      await governance.registerIssuer(registration(didA, ctx.a.mspId, lawyerLicence));
      await governance.registerIssuer(registration(didB, ctx.b.mspId, companyRegistration));
    });
    afterAll(async () => {
      await ctx.close();
    });

    it("an operator anchors credentials of its own issuer; they read back ACTIVE on both organisations' peers", async () => {
      const records = [anchor(didA, lawyerLicence), anchor(didA, lawyerLicence)];
      const result = await a.issueCredentials({ issuerDid: didA, credentials: records });
      expect(result.anchored).toEqual(records.map((r) => r.id));
      for (const reader of [a, b]) {
        expect(await reader.getCredential(records[0]?.id ?? '')).toMatchObject({
          id: records[0]?.id,
          digest: records[0]?.digest,
          status: 'ACTIVE',
          updatedByMspId: ctx.a.mspId,
        });
      }
    });

    it('authorization: another organisation may neither anchor for an issuer nor change its credentials', async () => {
      const record = anchor(didA, lawyerLicence);
      await expect(b.issueCredentials({ issuerDid: didA, credentials: [record] })).rejects.toMatchObject({
        code: 'ACCESS_DENIED',
      });
      await expect(b.getCredential(record.id)).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
      await a.issueCredentials({ issuerDid: didA, credentials: [record] });
      await expect(
        b.setCredentialStatus({ id: record.id, status: 'REVOKED', reason: 'DISBARMENT' }),
      ).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
      await expect(
        governance.issueCredentials({ issuerDid: didA, credentials: [anchor(didA, lawyerLicence)] }),
      ).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
      expect((await a.getCredential(record.id)).status).toBe('ACTIVE');
    });

    it('a batch is all or nothing: one record of a type the issuer may not issue leaves nothing written', async () => {
      const good = anchor(didA, lawyerLicence);
      const bad = anchor(didA, companyRegistration);
      await expect(a.issueCredentials({ issuerDid: didA, credentials: [good, bad] })).rejects.toMatchObject({
        code: 'TYPE_NOT_ALLOWED',
      });
      await expect(a.getCredential(good.id)).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    });

    it('re-sending an identical record is a no-op; the same id with another digest is ID_CONFLICT', async () => {
      const record = anchor(didA, lawyerLicence);
      const first = await a.issueCredentials({ issuerDid: didA, credentials: [record] });
      const again = await a.issueCredentials({ issuerDid: didA, credentials: [record] });
      expect(again).toMatchObject({ anchored: [], unchanged: [record.id] });
      expect(await a.getCredentialHistory(record.id)).toEqual([expect.objectContaining({ txId: first.txId })]);
      await expect(
        a.issueCredentials({ issuerDid: didA, credentials: [{ ...record, digest: 'f'.repeat(64) }] }),
      ).rejects.toMatchObject({ code: 'ID_CONFLICT' });
      expect((await a.getCredential(record.id)).digest).toBe(record.digest);
    });

    it('status: ACTIVE ⇄ SUSPENDED, then REVOKED for good; history lists every change oldest first with who acted', async () => {
      const record = anchor(didA, lawyerLicence);
      const issued = await a.issueCredentials({ issuerDid: didA, credentials: [record] });
      const suspended = await a.setCredentialStatus({
        id: record.id,
        status: 'SUSPENDED',
        reason: 'DISCIPLINARY_SUSPENSION',
      });
      expect(suspended.change).toEqual({
        id: record.id,
        from: 'ACTIVE',
        to: 'SUSPENDED',
        reason: 'DISCIPLINARY_SUSPENSION',
      });
      const reinstated = await a.setCredentialStatus({ id: record.id, status: 'ACTIVE', reason: 'SUSPENSION_LIFTED' });
      const revoked = await a.setCredentialStatus({ id: record.id, status: 'REVOKED', reason: 'DISBARMENT' });
      await expect(
        a.setCredentialStatus({ id: record.id, status: 'ACTIVE', reason: 'SUSPENSION_LIFTED' }),
      ).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      const history = await b.getCredentialHistory(record.id);
      expect(history.map((h) => [h.txId, h.status, h.mspId])).toEqual([
        [issued.txId, 'ACTIVE', ctx.a.mspId],
        [suspended.txId, 'SUSPENDED', ctx.a.mspId],
        [reinstated.txId, 'ACTIVE', ctx.a.mspId],
        [revoked.txId, 'REVOKED', ctx.a.mspId],
      ]);
    });

    it('concurrent status changes of one credential: one change commits, every loser is an MVCC conflict or a no-op', async () => {
      const record = anchor(didA, lawyerLicence);
      await a.issueCredentials({ issuerDid: didA, credentials: [record] });
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () =>
          a.setCredentialStatus({ id: record.id, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' }),
        ),
      );
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'MVCC_CONFLICT' });
      const changed = results.filter((r) => r.status === 'fulfilled' && r.value.change !== null);
      expect(changed).toHaveLength(1);
      const history = await a.getCredentialHistory(record.id);
      expect(history.map((h) => h.status)).toEqual(['ACTIVE', 'SUSPENDED']);
    });

    it('one ACTIVE credential per subject: a second is SUBJECT_HAS_ACTIVE_CREDENTIAL naming the first; suspension keeps the subject, revocation frees it', async () => {
      const first = anchor(didA, lawyerLicence, newId(), 'licence 1');
      await a.issueCredentials({ issuerDid: didA, credentials: [first] });
      const second = anchor(didA, lawyerLicence, newId(), 'licence 1');
      const refused = a.issueCredentials({ issuerDid: didA, credentials: [second] });
      await expect(refused).rejects.toMatchObject({ code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL' });
      await expect(refused).rejects.toThrow(first.id);
      await expect(a.getCredential(second.id)).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
      expect(await b.getSubjectHolders(didA, [first.subjectDigest])).toEqual([
        { subjectDigest: first.subjectDigest, credentialId: first.id, status: 'ACTIVE' },
      ]);

      await a.setCredentialStatus({ id: first.id, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' });
      await expect(a.issueCredentials({ issuerDid: didA, credentials: [second] })).rejects.toMatchObject({
        code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL',
      });
      // A suspended credential is never superseded: the suspension cannot be sidestepped.
      await expect(
        a.issueCredentials({ issuerDid: didA, credentials: [second], supersede: true }),
      ).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });

      await a.setCredentialStatus({ id: first.id, status: 'REVOKED', reason: 'DISBARMENT' });
      expect(await a.getSubjectHolders(didA, [first.subjectDigest])).toEqual([]);
      expect(await a.issueCredentials({ issuerDid: didA, credentials: [second] })).toMatchObject({
        anchored: [second.id],
        superseded: [],
      });
      // Another issuer's subject space is its own; the same subject seed digests differently there.
      expect(await b.getSubjectHolders(didB, [first.subjectDigest])).toEqual([]);
    });

    it('supersede: the new credential ACTIVE, the old REVOKED (SUPERSEDED) in the same transaction, linked in both records and histories', async () => {
      const old = anchor(didA, lawyerLicence, newId(), 'licence 2');
      const issued = await a.issueCredentials({ issuerDid: didA, credentials: [old] });
      const successor = anchor(didA, lawyerLicence, newId(), 'licence 2');
      const result = await a.issueCredentials({ issuerDid: didA, credentials: [successor], supersede: true });
      expect(result).toMatchObject({ anchored: [successor.id], superseded: [{ id: old.id, by: successor.id }] });
      expect(await b.getCredential(successor.id)).toMatchObject({ status: 'ACTIVE', supersedes: old.id });
      expect(await b.getCredential(old.id)).toMatchObject({
        status: 'REVOKED',
        reason: 'SUPERSEDED',
        supersededBy: successor.id,
      });
      expect((await b.getCredentialHistory(old.id)).map((h) => [h.txId, h.status, h.reason, h.supersededBy])).toEqual([
        [issued.txId, 'ACTIVE', null, null],
        [result.txId, 'REVOKED', 'SUPERSEDED', successor.id],
      ]);
      expect((await b.getCredentialHistory(successor.id)).map((h) => [h.txId, h.supersedes])).toEqual([
        [result.txId, old.id],
      ]);
      expect(await a.getSubjectHolders(didA, [old.subjectDigest])).toEqual([
        { subjectDigest: old.subjectDigest, credentialId: successor.id, status: 'ACTIVE' },
      ]);
      // A retry of the superseding batch is a no-op, as any identical re-anchor.
      expect(await a.issueCredentials({ issuerDid: didA, credentials: [successor], supersede: true })).toMatchObject({
        anchored: [],
        unchanged: [successor.id],
        superseded: [],
      });
    });

    /**
     * How a transaction that lost the race for a subject fails: MVCC_CONFLICT when the winner committed in an
     * earlier block (the holder key it read has changed); TRANSACTION_INVALID (ENDORSEMENT_POLICY_FAILURE)
     * when both landed in one block, since the winner also pinned the new holder key to its organisation
     * and Fabric invalidates later writers of a key whose policy changed earlier in the block; or,
     * simulated after the winner committed, SUBJECT_HAS_ACTIVE_CREDENTIAL. Never a second commit.
     */
    const expectLostRace = (reason: unknown): void => {
      const { code, details } = reason as { code?: string; details?: { validationCodeName?: string } };
      if (code === 'TRANSACTION_INVALID') expect(details?.validationCodeName).toBe('ENDORSEMENT_POLICY_FAILURE');
      else expect(code).toMatch(/^(MVCC_CONFLICT|SUBJECT_HAS_ACTIVE_CREDENTIAL)$/);
    };

    it('two issuances for one subject, both endorsed against the same state: the first commits, the second is an MVCC conflict', async () => {
      const [first, second] = [
        anchor(didA, lawyerLicence, newId(), 'licence 3'),
        anchor(didA, lawyerLicence, newId(), 'licence 3'),
      ];
      const [tx1, tx2] = await Promise.all(
        [first, second].map((rival) =>
          ctx.endorse(
            'a',
            transactionNames.issueCredentials,
            JSON.stringify({ issuerDid: didA, credentials: [rival] }),
          ),
        ),
      );
      // Each simulation saw the subject free; only validation at commit can tell them apart.
      await tx1?.submit();
      await expect(
        tx2?.submit().catch((error: unknown) => {
          throw fromLedgerError(error);
        }),
      ).rejects.toMatchObject({ code: 'MVCC_CONFLICT' });
      expect(await a.getSubjectHolders(didA, [first.subjectDigest])).toEqual([
        { subjectDigest: first.subjectDigest, credentialId: first.id, status: 'ACTIVE' },
      ]);
      await expect(a.getCredential(second.id)).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
      // Submitted again, the loser meets the winner.
      await expect(a.issueCredentials({ issuerDid: didA, credentials: [second] })).rejects.toMatchObject({
        code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL',
      });
    });

    it('concurrent issuance: of several transactions for one subject submitted at once, exactly one commits', async () => {
      const rivals = Array.from({ length: 4 }, () => anchor(didA, lawyerLicence, newId(), 'licence 4'));
      const outcomes = await Promise.allSettled(
        rivals.map((rival) => a.issueCredentials({ issuerDid: didA, credentials: [rival] })),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expectLostRace(o.reason);
      const anchored = await Promise.allSettled(rivals.map((rival) => a.getCredential(rival.id)));
      expect(anchored.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    });

    it('events: one per VALID transaction, with its txid, block and the chaincode name', async () => {
      const record = anchor(didB, companyRegistration);
      const issued = await b.issueCredentials({ issuerDid: didB, credentials: [record] });
      const changed = await b.setCredentialStatus({ id: record.id, status: 'REVOKED', reason: 'SURRENDERED' });
      const controller = new AbortController();
      const seen: LedgerEvent[] = [];
      for await (const event of ctx.a.ledger.events({ startBlock: issued.blockNumber, signal: controller.signal })) {
        if (event.txId === issued.txId || event.txId === changed.txId) seen.push(event);
        if (event.txId === changed.txId) controller.abort();
      }
      expect(seen.map((e) => [e.eventName, e.txId, e.blockNumber, e.chaincodeName])).toEqual([
        ['CredentialsIssued', issued.txId, issued.blockNumber, ctx.chaincodeName],
        ['CredentialStatusChanged', changed.txId, changed.blockNumber, ctx.chaincodeName],
      ]);
      expect(JSON.parse(Buffer.from(seen[0]?.payload ?? new Uint8Array()).toString('utf8'))).toMatchObject({
        issuerDid: didB,
        ids: [record.id],
      });
    });
  });
}

const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** The raw-stub behaviours: one test per §10 item, through the fixture chaincode. */
export function rawStubBehaviours(
  name: string,
  open: () => Promise<LedgerSuiteContext>,
  capabilities: FixtureCapabilities,
): void {
  const fillsQueryLimit = capabilities.totalQueryLimit <= fillableQueryLimit;
  const itFillingLimit = fillsQueryLimit ? it : it.skip;
  const limitNote = fillsQueryLimit
    ? ''
    : ` (skipped: totalQueryLimit ${String(capabilities.totalQueryLimit)} is above ${String(fillableQueryLimit)}, too large to fill in a test)`;
  const itWithoutHistory = capabilities.peerWithoutHistory ? it : it.skip;
  const historyNote = capabilities.peerWithoutHistory
    ? ''
    : ' (skipped: this backend cannot provide a peer without a history database)';
  describe(`ledger behaviour: ${name} (raw stub)`, () => {
    let ctx: LedgerSuiteContext;
    let a: Ledger;
    let b: Ledger;
    const key = (label: string): string => `${label}-${randomUUID()}`;
    const get = async (k: string): Promise<string> => text(await a.evaluate('Get', k));
    const json = async <T>(p: Promise<Uint8Array> | Promise<Committed>): Promise<T> => {
      const r = await p;
      return JSON.parse(text(r instanceof Uint8Array ? r : r.payload)) as T;
    };

    /** Collects the events of the next transactions until one named `until` arrives. */
    async function eventsUntil(startBlock: bigint, until: string): Promise<LedgerEvent[]> {
      const controller = new AbortController();
      const seen: LedgerEvent[] = [];
      for await (const e of a.events({ startBlock, signal: controller.signal })) {
        seen.push(e);
        if (e.eventName === until) controller.abort();
      }
      return seen;
    }

    beforeAll(async () => {
      ctx = await open();
      a = ctx.a.ledger;
      b = ctx.b.ledger;
    });
    afterAll(async () => {
      await ctx.close();
    });

    it('§10.1 getState of a missing key returns an empty Buffer, not null', async () => {
      expect(await json(a.evaluate('Probe', key('missing')))).toEqual({ isBuffer: true, length: 0 });
    });

    it('§10.2 no read-your-writes: reads after put or delete return the committed value', async () => {
      const k = key('ryw');
      await a.submit('Put', k, 'v1');
      expect(text((await a.submit('PutThenGet', k, 'v2')).payload)).toBe('v1');
      expect(await get(k)).toBe('v2');
      expect(text((await a.submit('DelThenGet', k)).payload)).toBe('v2');
      expect(await get(k)).toBe('');
    });

    it('§10.3 an empty value deletes the key at commit, and history records a delete', async () => {
      for (const kind of ['string', 'bytes']) {
        const k = key(`empty-${kind}`);
        await a.submit('Put', k, 'present');
        await a.submit('PutEmpty', k, kind);
        expect(await json(a.evaluate('Probe', k))).toEqual({ isBuffer: true, length: 0 });
        const history = await json<{ isDelete: boolean; value: string }[]>(a.evaluate('History', k));
        expect(history.map((h) => h.isDelete)).toEqual([true, false]);
        expect(history[0]?.value).toBe('');
      }
    });

    it('§10.4 several writes to one key: only the last one commits', async () => {
      const k1 = key('put-del');
      await a.submit('Put', k1, 'old');
      await a.submit('PutThenDel', k1, 'new');
      expect(await get(k1)).toBe('');
      const k2 = key('del-put');
      await a.submit('Put', k2, 'old');
      await a.submit('DelThenPut', k2, 'new');
      expect(await get(k2)).toBe('new');
      const k3 = key('put-put');
      await a.submit('PutTwice', k3, 'first', 'second');
      expect(await get(k3)).toBe('second');
      expect(await json<unknown[]>(a.evaluate('History', k3))).toHaveLength(1);
    });

    it('§10.5 a chaincode throw leaves no writes and no event; evaluate never commits', async () => {
      const k = key('throw');
      const start = (await a.submit('Put', key('marker'), 'x')).blockNumber;
      await expect(a.submit('PutThenThrow', k, 'v')).rejects.toMatchObject({
        code: 'CHAINCODE_ERROR',
        details: { chaincodeMessage: 'fixture failure after a write' },
      });
      expect(await get(k)).toBe('');
      expect(await json<unknown[]>(a.evaluate('History', k))).toEqual([]);
      await a.evaluate('Put', k, 'evaluated');
      expect(await get(k)).toBe('');
      await a.submit('PutWithEvent', key('after-throw'), 'x', 'AfterThrow');
      const events = await eventsUntil(start, 'AfterThrow');
      expect(events.map((e) => e.eventName)).not.toContain('NeverSeen');
    });

    it('§10.6 read-modify-write on one snapshot: first VALID, second MVCC_READ_CONFLICT with its writes dropped', async () => {
      const k = key('mvcc');
      await a.submit('Put', k, '1');
      const first = await ctx.endorse('a', 'Increment', k);
      const second = await ctx.endorse('b', 'Increment', k);
      await first.submit();
      await expect(second.submit()).rejects.toMatchObject({
        code: 'MVCC_CONFLICT',
        details: { validationCode: 11, txId: second.txId },
      });
      expect(await get(k)).toBe('2');
      expect((await json<{ txId: string }[]>(a.evaluate('History', k))).map((h) => h.txId)).not.toContain(second.txId);
    });

    it('§10.6 concurrent submits on one key: every loser is an MVCC conflict and no increment is lost', async () => {
      const k = key('concurrent');
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).submit('Increment', k)),
      );
      const won = results.filter((r) => r.status === 'fulfilled').length;
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'MVCC_CONFLICT' });
      expect(won).toBeGreaterThanOrEqual(1);
      expect(await get(k)).toBe(String(won));
    });

    it('§10.7 a key read as absent and created by another transaction first: MVCC_READ_CONFLICT', async () => {
      const k = key('absent');
      const reader = await ctx.endorse('a', 'Increment', k);
      await b.submit('Put', k, '5');
      await expect(reader.submit()).rejects.toMatchObject({ code: 'MVCC_CONFLICT', details: { validationCode: 11 } });
      expect(await get(k)).toBe('5');
    });

    it('§10.8 a range scan whose range gains a key before commit: PHANTOM_READ_CONFLICT', async () => {
      const p = key('phantom');
      await a.submit('Put', `${p}/a`, '1');
      await a.submit('Put', `${p}/c`, '1');
      const scan = await ctx.endorse('a', 'RangeThenPut', `${p}/a`, `${p}/d`, `${p}-out`);
      await b.submit('Put', `${p}/b1`, '1');
      await expect(scan.submit()).rejects.toMatchObject({ code: 'MVCC_CONFLICT', details: { validationCode: 12 } });
      expect(await get(`${p}-out`)).toBe('');
    });

    it('§10.8 rich queries and history queries never cause phantom conflicts', async () => {
      const k = key('no-phantom');
      await a.submit('Put', k, '1');
      const history = await ctx.endorse('a', 'HistoryThenPut', k, `${k}-h`);
      const rich = await ctx.endorse('a', 'RichQueryThenPut', '{"selector":{}}', `${k}-r`);
      await b.submit('Put', k, '2');
      await history.submit();
      await rich.submit();
      expect(JSON.parse(await get(`${k}-h`))).toHaveLength(1);
    });

    it('§10.9 blind writes from concurrent transactions both commit; the later one wins', async () => {
      const k = key('blind');
      const first = await ctx.endorse('a', 'Put', k, 'x');
      const second = await ctx.endorse('b', 'Put', k, 'y');
      await first.submit();
      await second.submit();
      expect(await get(k)).toBe('y');
    });

    it('§10.10 range bounds: start inclusive, end exclusive, empty start and end, composite keys excluded', async () => {
      const p = key('bounds');
      for (const s of ['a', 'b', 'c']) await a.submit('Put', `${p}/${s}`, s);
      await a.submit('PutComposite', p, '["x"]', 'composite');
      expect(await json(a.evaluate('Range', `${p}/a`, `${p}/c`))).toEqual([`${p}/a`, `${p}/b`]);
      const open = await json<string[]>(a.evaluate('Range', `${p}/b`, ''));
      expect(open.slice(0, 2)).toEqual([`${p}/b`, `${p}/c`]);
      const all = await json<string[]>(a.evaluate('Range', '', ''));
      expect(all).toEqual(expect.arrayContaining([`${p}/a`, `${p}/b`, `${p}/c`]));
      expect(all.some((k) => k.startsWith('\u0000'))).toBe(false);
    });

    it('§10.11 keys sort in UTF-8 byte order, as LevelDB orders them', async () => {
      const p = key('utf8');
      const suffixes = ['a', '\uE000', '\uFFFD', '\u{1F600}', '\u00E9', 'z'];
      for (const s of suffixes) await a.submit('Put', `${p}/${s}`, '1');
      const expected = suffixes.map((s) => `${p}/${s}`).sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect(await json(a.evaluate('Range', `${p}/`, `${p}0`))).toEqual(expected);
      // JavaScript's UTF-16 order would put U+1F600 before U+E000.
      expect(expected.indexOf(`${p}/\uE000`)).toBeLessThan(expected.indexOf(`${p}/\u{1F600}`));
    });

    it('§10.12 a range key beginning with U+0000 is refused', async () => {
      await expect(a.evaluate('RangeAwaited', '\u0000x', '')).rejects.toMatchObject({
        code: 'CHAINCODE_ERROR',
        details: { chaincodeMessage: expect.stringContaining('null character') },
      });
      await expect(a.evaluate('RangeAwaited', 'a', '\u0000x')).rejects.toMatchObject({
        code: 'CHAINCODE_ERROR',
        details: { chaincodeMessage: expect.stringContaining('null character') },
      });
    });

    it('§10.13 composite keys: format, validation, partial-key scan bound', async () => {
      expect(text(await a.evaluate('Composite', 'type', '["a","b"]'))).toBe('\u0000type\u0000a\u0000b\u0000');
      for (const args of [
        ['', '["a"]'],
        ['type', '[""]'],
      ] as const) {
        await expect(a.evaluate('Composite', ...args)).rejects.toMatchObject({
          details: { chaincodeMessage: 'object type or attribute not a non-zero length string' },
        });
      }
      const t = key('ctype');
      for (const attrs of [
        ['a', 'b'],
        ['a', 'c'],
        ['b', 'a'],
        ['a', '\u{10FFFF}x'],
      ])
        await a.submit('PutComposite', t, JSON.stringify(attrs), '1');
      const found = await json<{ objectType: string; attributes: string[] }[]>(a.evaluate('Partial', t, '["a"]'));
      // The scan ends at partial key + U+10FFFF: an attribute starting with U+10FFFF lies beyond it.
      expect(found).toEqual([
        { objectType: t, attributes: ['a', 'b'] },
        { objectType: t, attributes: ['a', 'c'] },
      ]);
    });

    it('§10.14 pagination only in read-only transactions; LevelDB bookmarks', async () => {
      const p = key('page');
      await expect(a.submit('PageThenPut', `${p}/`, `${p}0`, `${p}-w`)).rejects.toMatchObject({
        details: {
          chaincodeMessage: expect.stringContaining(
            'Transaction has already performed a paginated query. Writes are not allowed',
          ),
        },
      });
      await expect(a.submit('PutThenPage', `${p}-w`, `${p}/`, `${p}0`)).rejects.toMatchObject({
        details: {
          chaincodeMessage: expect.stringContaining('Paginated queries are supported only in a read-only transaction'),
        },
      });
      for (const n of [1, 2, 3, 4, 5]) await a.submit('Put', `${p}/${n}`, '1');
      expect(await json(a.evaluate('Page', `${p}/`, `${p}0`, '2', ''))).toEqual({
        keys: [`${p}/1`, `${p}/2`],
        bookmark: `${p}/3`,
        fetchedRecordsCount: 2,
      });
      expect(await json(a.evaluate('Page', `${p}/`, `${p}0`, '2', `${p}/3`))).toEqual({
        keys: [`${p}/3`, `${p}/4`],
        bookmark: `${p}/5`,
        fetchedRecordsCount: 2,
      });
      expect(await json(a.evaluate('Page', `${p}/`, `${p}0`, '2', `${p}/5`))).toEqual({
        keys: [`${p}/5`],
        bookmark: '',
        fetchedRecordsCount: 1,
      });
    });

    it('§10.15 rich queries are refused on a LevelDB state database', async () => {
      await expect(a.evaluate('RichQuery', '{"selector":{}}')).rejects.toMatchObject({
        code: 'CHAINCODE_ERROR',
        details: { chaincodeMessage: expect.stringContaining('ExecuteQuery not supported for leveldb') },
      });
    });

    itFillingLimit(`§10.16 a non-paginated query stops at totalQueryLimit${limitNote}`, async () => {
      const limit = ctx.totalQueryLimit;
      expect(limit).toBe(capabilities.totalQueryLimit);
      const p = key('limit');
      await a.submit('PutMany', p, String(limit + 7));
      expect(text(await a.evaluate('Count', `${p}/`, `${p}0`))).toBe(String(limit));
    });

    it('§10.17 history: newest first, valid transactions only, client timestamps, current tx excluded', async () => {
      const k = key('history');
      const before = Date.now();
      const t1 = await a.submit('Put', k, 'v1');
      const t2 = await a.submit('Put', k, 'v2');
      const t3 = await a.submit('Del', k);
      const loser = await ctx.endorse('a', 'Increment', k);
      await a.submit('Put', k, 'v4');
      await expect(loser.submit()).rejects.toMatchObject({ code: 'MVCC_CONFLICT' });
      const history = await json<
        { txId: string; value: string; isDelete: boolean; timestamp: { seconds: number; nanos: number } }[]
      >(a.evaluate('History', k));
      expect(history.map((h) => [h.value, h.isDelete])).toEqual([
        ['v4', false],
        ['', true],
        ['v2', false],
        ['v1', false],
      ]);
      expect(history.slice(1).map((h) => h.txId)).toEqual([t3.txId, t2.txId, t1.txId]);
      for (const h of history) {
        expect(Object.keys(h.timestamp).sort()).toEqual(['nanos', 'seconds']);
        const ms = h.timestamp.seconds * 1000 + h.timestamp.nanos / 1e6;
        expect(ms).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      }
      const own = await json<{ value: string }[]>(a.submit('PutThenHistory', k, 'v5'));
      expect(own.map((h) => h.value)).toEqual(['v4', '', 'v2', 'v1']);
    });

    itWithoutHistory(`§10.17 history fails when the peer has no history database${historyNote}`, async () => {
      if (!ctx.withoutHistory) throw new Error('the backend declared peerWithoutHistory but gives no withoutHistory()');
      const other = await ctx.withoutHistory();
      try {
        await expect(other.ledger.evaluate('History', 'k')).rejects.toMatchObject({
          code: 'CHAINCODE_ERROR',
          details: { chaincodeMessage: expect.stringContaining('history database is not enabled') },
        });
      } finally {
        await other.close();
      }
    });

    it('§10.18 events: last setEvent wins, empty name throws, only VALID transactions, with txid and chaincode name', async () => {
      const k = key('events');
      await a.submit('Put', k, '1');
      const start = (await a.submit('TwoEvents', 'Dropped', 'Kept')).blockNumber;
      await expect(a.submit('EmptyEventName')).rejects.toMatchObject({
        details: { chaincodeMessage: 'Event name must be a non-empty string' },
      });
      const invalid = await ctx.endorse('a', 'Increment', k);
      await a.submit('Put', k, '2');
      await expect(invalid.submit()).rejects.toMatchObject({ code: 'MVCC_CONFLICT' });
      const last = await a.submit('PutWithEvent', key('ev'), 'payload', 'Last');
      const events = await eventsUntil(start, 'Last');
      expect(events.map((e) => e.eventName)).toEqual(['Kept', 'Last']);
      const lastEvent = events[1];
      expect(lastEvent).toMatchObject({
        txId: last.txId,
        blockNumber: last.blockNumber,
        chaincodeName: ctx.chaincodeName,
      });
      expect(text(lastEvent?.payload ?? new Uint8Array())).toBe('payload');
      expect(events.map((e) => e.txId)).not.toContain(invalid.txId);
      // Resuming after a transaction skips it and everything before it in its block.
      const resumed: LedgerEvent[] = [];
      const controller = new AbortController();
      const next = a.submit('PutWithEvent', key('ev'), 'p', 'AfterResume');
      for await (const e of a.events({
        startBlock: start,
        afterTxId: events[0]?.txId ?? '',
        signal: controller.signal,
      })) {
        resumed.push(e);
        if (e.eventName === 'AfterResume') controller.abort();
      }
      await next;
      expect(resumed.map((e) => e.eventName)).toEqual(['Last', 'AfterResume']);
    });

    it('§10.19 tx timestamp from the proposal (Long seconds, ms precision), txid = sha256(nonce‖creator), reused txid is DUPLICATE_TXID', async () => {
      const before = Date.now();
      const committed = await a.submit('TxInfo');
      const info = JSON.parse(text(committed.payload)) as {
        txId: string;
        seconds: string;
        secondsIsLong: boolean;
        nanos: number;
      };
      expect(info.txId).toBe(committed.txId);
      expect(info.txId).toMatch(/^[0-9a-f]{64}$/);
      expect(info.secondsIsLong).toBe(true);
      expect(info.nanos % 1_000_000).toBe(0);
      const ms = Number(info.seconds) * 1000 + info.nanos / 1e6;
      expect(ms).toBeGreaterThanOrEqual(before - 1);
      expect(ms).toBeLessThanOrEqual(Date.now());

      const once = await ctx.endorse('a', 'Put', key('dup'), 'x');
      await once.submit();
      await expect(once.submit()).rejects.toMatchObject({
        code: 'TRANSACTION_INVALID',
        details: { validationCode: 9 },
      });
      // Even a transaction that was invalid keeps its txid.
      const k = key('dup-invalid');
      const winner = await ctx.endorse('a', 'Increment', k);
      const loser = await ctx.endorse('b', 'Increment', k);
      await winner.submit();
      await expect(loser.submit()).rejects.toMatchObject({ details: { validationCode: 11 } });
      await expect(loser.submit()).rejects.toMatchObject({
        code: 'TRANSACTION_INVALID',
        details: { validationCode: 9 },
      });
    });

    it('§10.20 the creator is an X.509 certificate chaining to its MSP CA; Node ID format; attributes; peer MSP', async () => {
      for (const who of ['a', 'b'] as const) {
        const side = ctx[who];
        const info = JSON.parse(text(await side.ledger.evaluate('TxInfo'))) as Record<string, string | null>;
        expect(info.clientMspId).toBe(side.mspId);
        expect(info.peerMspId).toBe(side.mspId);
        expect(info.role).toBe(side.role);
        expect(info.missingAttribute).toBeNull();
        const cert = new X509Certificate(String(info.creatorPem));
        const ca = new X509Certificate(ctx.caCertificate(side.mspId));
        expect(cert.checkIssued(ca)).toBe(true);
        expect(cert.verify(ca.publicKey)).toBe(true);
        expect(info.clientId).toMatch(/^x509::(\/[A-Z]+=[^/]+)+::(\/[A-Z]+=[^/]+)+$/);
        expect(String(info.clientId)).toContain(
          `/CN=${cert.subject
            .split('\n')
            .find((l) => l.startsWith('CN='))
            ?.slice(3)}`,
        );
      }
    });

    it('§10.21 a key-level endorsement policy refuses writes endorsed outside it', async () => {
      const k = key('sbe');
      await a.submit('PutWithPolicy', k, 'owned', ctx.a.mspId);
      expect(await json(a.evaluate('PolicyOrgs', k))).toEqual([ctx.a.mspId]);
      await expect(b.submit('Put', k, 'taken')).rejects.toMatchObject({
        code: 'TRANSACTION_INVALID',
        details: { validationCode: 10 },
      });
      expect(await get(k)).toBe('owned');
      await a.submit('Put', k, 'updated');
      expect(await get(k)).toBe('updated');
      expect(await json(a.evaluate('PolicyOrgs', k))).toEqual([ctx.a.mspId]);
    });

    it('§10.22 dispatcher errors reach the client as the chaincode message of a status 500 response', async () => {
      const cases: [string, string[], string][] = [
        ['NoSuchFunction', [], "You've asked to invoke a function that does not exist: NoSuchFunction"],
        ['nosuch:Fn', [], 'Contract name is not known: nosuch'],
        ['TwoArgs', ['only one'], 'Expected 2 parameters, but 1 have been supplied'],
      ];
      for (const [fn, args, message] of cases) {
        await expect(a.evaluate(fn, ...args)).rejects.toMatchObject({
          code: 'CHAINCODE_ERROR',
          details: { chaincodeMessage: message, chaincodeStatus: 500 },
        });
        await expect(a.submit(fn, ...args)).rejects.toMatchObject({
          code: 'CHAINCODE_ERROR',
          details: { chaincodeMessage: message, chaincodeStatus: 500 },
        });
      }
      expect(text(await a.evaluate('TwoArgs', 'x', 'y'))).toBe('x|y');
    });

    it('§10.23 return values: strings raw, numbers as text, objects as JSON, undefined as an empty payload', async () => {
      expect(text(await a.evaluate('ReturnString'))).toBe('plain text');
      expect(text(await a.evaluate('ReturnNumber'))).toBe('42');
      expect(text(await a.evaluate('ReturnObject'))).toBe('{"b":1,"a":"x"}');
      expect(await a.evaluate('ReturnNothing')).toHaveLength(0);
      expect((await a.submit('ReturnNothing')).payload).toHaveLength(0);
    });
  });
}
