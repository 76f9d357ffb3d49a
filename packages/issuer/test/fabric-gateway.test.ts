/**
 * The Fabric backend against an in-process fake of the peer's Gateway service: fabric-gateway's
 * real `connect()`, real gRPC over TLS, real proposals and error trailers.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { status as grpcStatus } from '@grpc/grpc-js';

import { isCredledgerError, type CredledgerError } from '@credledger/verify';
import {
  checkpointers,
  Registry,
  type FabricLedger,
  type FabricLedgerOptions,
  type LedgerEvent,
} from '@credledger/ledger';
import { openFabricLedger } from '@credledger/ledger-fabric';
import { createIssuer } from '../src/issuer.js';
import { issuerKeyFromPrivateKey } from '../src/keys/issuer-key.js';
import { statusIndexAllocators } from '../src/status/allocator.js';
import { lawyerSubject } from './credentials-samples.js';
import { FakeGateway, PEER_ADDRESS, PEER_MSP } from './fabric-fake-gateway.js';
import { testPrivateKey } from './fixtures/keys.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

async function failure(promise: Promise<unknown>): Promise<CredledgerError> {
  try {
    await promise;
  } catch (err) {
    if (isCredledgerError(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('Fabric ledger over the Gateway service', () => {
  let fake: FakeGateway;
  const open: FabricLedger[] = [];

  const connect = async (options: Partial<FabricLedgerOptions> = {}): Promise<FabricLedger> => {
    const ledger = await openFabricLedger({ profile: fake.profile(), ...options });
    open.push(ledger);
    return ledger;
  };

  beforeEach(async () => {
    fake = await FakeGateway.start();
  });

  afterEach(async () => {
    for (const ledger of open.splice(0)) await ledger.close();
    await fake.dispose();
  });

  it('evaluates on the configured channel and chaincode and returns the payload', async () => {
    const ledger = await connect();
    const payload = await ledger.evaluate('GetCredential', 'urn:uuid:1');
    expect(text(payload)).toBe('GetCredential(urn:uuid:1)');
    expect(fake.invocations).toEqual([
      expect.objectContaining({
        method: 'evaluate',
        channel: 'credentials',
        chaincode: 'credledger',
        fn: 'GetCredential',
        args: ['urn:uuid:1'],
      }),
    ]);
    expect(ledger.identity.mspId).toBe('MojMSP');
    expect(ledger.identity.certificate).toContain('BEGIN CERTIFICATE');
  });

  it('submits: endorses, orders and returns the committed transaction', async () => {
    const ledger = await connect();
    const committed = await ledger.submit('IssueCredentials', '{"issuerDid":"did:web:moj.gov.tw"}');
    expect(text(committed.payload)).toBe('IssueCredentials({"issuerDid":"did:web:moj.gov.tw"})');
    expect(committed.blockNumber).toBe(100n);
    expect(fake.submitted).toEqual([committed.txId]);
    expect(fake.invocations.map((inv) => [inv.method, inv.txId])).toEqual([['endorse', committed.txId]]);
  });

  it('keeps a `Contract:` prefix in the transaction name', async () => {
    const ledger = await connect();
    await ledger.evaluate('IssuerRegistry:GetIssuer', 'did:web:moj.gov.tw');
    expect(fake.invocations[0]?.fn).toBe('IssuerRegistry:GetIssuer');
  });

  it('maps a chaincode error code from an evaluate failure and keeps the peer details', async () => {
    fake.chaincode = () => ({ error: 'ACCESS_DENIED: MoeaMSP may not read drafts' });
    const ledger = await connect();
    const error = await failure(ledger.evaluate('GetCredential', 'urn:uuid:1'));
    expect(error).toMatchObject({
      code: 'ACCESS_DENIED',
      details: {
        phase: 'evaluate',
        transaction: 'GetCredential',
        grpcCode: 2,
        peers: [
          {
            address: PEER_ADDRESS,
            mspId: PEER_MSP,
            message: 'chaincode response 500, ACCESS_DENIED: MoeaMSP may not read drafts',
          },
        ],
      },
    });
  });

  it('maps a chaincode error code from an endorsement failure, with the transaction id', async () => {
    fake.chaincode = () => ({ error: 'ISSUER_NOT_FOUND: did:web:nobody.gov.tw' });
    const ledger = await connect();
    const error = await failure(ledger.submit('IssueCredentials', '{}'));
    expect(error).toMatchObject({
      code: 'ISSUER_NOT_FOUND',
      details: { phase: 'endorse', grpcCode: 10, txId: fake.invocations[0]?.txId },
    });
    expect(fake.submitted).toEqual([]);
  });

  it('reports a chaincode failure without a code as CHAINCODE_ERROR and disagreeing endorsers as ENDORSEMENT_FAILED', async () => {
    const ledger = await connect();
    fake.chaincode = () => ({ error: "You've asked to invoke a function that does not exist: Nope" });
    await expect(ledger.submit('Nope')).rejects.toMatchObject({ code: 'CHAINCODE_ERROR' });
    await expect(ledger.evaluate('Nope')).rejects.toMatchObject({ code: 'CHAINCODE_ERROR' });
    fake.chaincode = () => ({ error: 'x', peers: ['ProposalResponsePayloads do not match'] });
    await expect(ledger.submit('IssueCredentials', '{}')).rejects.toMatchObject({ code: 'ENDORSEMENT_FAILED' });
  });

  it('retries an MVCC conflict at commit for idempotent transactions, with a new transaction id', async () => {
    fake.commitCodes.push(11, 12);
    const ledger = await connect({ idempotentTransactions: ['IssueCredentials'] });
    const committed = await ledger.submit('IssueCredentials', '{}');
    expect(fake.submitted).toHaveLength(3);
    expect(new Set(fake.submitted).size).toBe(3);
    expect(committed.txId).toBe(fake.submitted[2]);
  });

  it('maps an MVCC conflict of a non-idempotent transaction without retrying', async () => {
    fake.commitCodes.push(11);
    const ledger = await connect({ idempotentTransactions: ['IssueCredentials'] });
    const error = await failure(ledger.submit('RevokeCredential', '{}'));
    expect(error).toMatchObject({
      code: 'MVCC_CONFLICT',
      details: { phase: 'commit', validationCode: 11, txId: fake.submitted[0] },
    });
    expect(fake.submitted).toHaveLength(1);
  });

  it('retries IssueCredentials on an MVCC conflict without being told (idempotent by design)', async () => {
    fake.commitCodes.push(11);
    const ledger = await connect();
    const committed = await ledger.submit('CredentialContract:IssueCredentials', '{}');
    expect(fake.submitted).toEqual([expect.any(String), committed.txId]);
  });

  it('issues a batch of 5,000 credentials as 3 anchor transactions in flight together, each within the chaincode limit', async () => {
    const issuerDid = 'did:web:moj.gov.tw';
    fake.chaincode = (inv) => {
      // Before signing, the issuer asks which subjects are taken (none here), 2,000 at a time.
      if (inv.fn === 'CredentialContract:GetSubjectHolders') return { payload: JSON.stringify({ holders: [] }) };
      const request = JSON.parse(inv.args[0] ?? '{}') as { credentials: { id: string }[] };
      return {
        payload: JSON.stringify({
          issuerDid,
          anchored: request.credentials.map((c) => c.id),
          unchanged: [],
          superseded: [],
        }),
      };
    };
    // Commit statuses are answered only once three transactions wait for theirs.
    fake.commitBarrier = 3;
    const issuer = createIssuer({
      registry: new Registry(await connect()),
      issuerDid,
      key: issuerKeyFromPrivateKey(testPrivateKey('es256'), `${issuerDid}#key-1`),
      statusAllocator: statusIndexAllocators.inMemory(),
      statusBaseUrl: 'https://verify.gov.tw',
      workers: 0,
      now: () => new Date('2026-11-26T08:00:00.000Z'),
    });
    try {
      const subjects = Array.from({ length: 5000 }, (_, i) => ({
        ...lawyerSubject,
        licenceNumber: `(115)台檢證字第${String(i + 1).padStart(6, '0')}號`,
      }));
      const issued = await issuer.issueBatch('LawyerLicenceCredential', subjects);
      expect(issued).toHaveLength(5000);
      const endorsed = fake.invocations.filter((inv) => inv.method === 'endorse');
      expect(endorsed.map((inv) => inv.fn)).toEqual(Array(3).fill('CredentialContract:IssueCredentials'));
      const batches = endorsed.map((inv) =>
        (JSON.parse(inv.args[0] ?? '{}') as { credentials: { id: string }[] }).credentials.map((c) => c.id),
      );
      // The three transactions are endorsed concurrently: which chunk reaches the Gateway first is not
      // fixed, so compare the chunk sizes and the anchored ids without their arrival order.
      expect(batches.map((ids) => ids.length).sort((a, b) => b - a)).toEqual([2000, 2000, 1000]);
      expect(batches.flat().sort()).toEqual(issued.map((credential) => credential.id).sort());
      expect(fake.submitted).toHaveLength(3);
      expect(fake.commitReleases).toEqual([3]);
    } finally {
      await issuer.close();
    }
  });

  it('gives up after the configured retries', async () => {
    fake.commitCodes.push(11, 11, 11);
    const ledger = await connect({ mvccRetries: 2 });
    const error = await failure(ledger.submitIdempotent('RevokeCredential', '{}'));
    expect(error).toMatchObject({ code: 'MVCC_CONFLICT', details: { attempts: 3 } });
    expect(fake.submitted).toHaveLength(3);
  });

  it('maps other validation codes to TRANSACTION_INVALID', async () => {
    fake.commitCodes.push(10);
    const ledger = await connect({ idempotentTransactions: ['IssueCredentials'] });
    const error = await failure(ledger.submit('IssueCredentials', '{}'));
    expect(error).toMatchObject({
      code: 'TRANSACTION_INVALID',
      details: { validationCode: 10, validationCodeName: 'ENDORSEMENT_POLICY_FAILURE' },
    });
    expect(fake.submitted).toHaveLength(1);
  });

  it('leaves endorsers to the Gateway unless endorsingOrganizations names them', async () => {
    const planned = await connect();
    await planned.submit('IssueCredentials', '{}');
    await planned.endorse('Put', 'k', 'v');
    const pinned = await connect({ endorsingOrganizations: ['MojMSP'] });
    await pinned.submit('IssueCredentials', '{}');
    await (await pinned.endorse('Put', 'k', 'v')).submit();
    expect(fake.endorsingOrganizations).toEqual([[], [], ['MojMSP'], ['MojMSP']]);
  });

  it('an endorsed transaction submitted again reports its own outcome, DUPLICATE_TXID, not the first commit status', async () => {
    const ledger = await connect();
    const once = await ledger.endorse('Put', 'k', 'v');
    const first = await once.submit();
    expect(first).toMatchObject({ txId: once.txId });
    const again = await failure(once.submit());
    expect(again).toMatchObject({ code: 'TRANSACTION_INVALID', details: { validationCode: 9, txId: once.txId } });
    // Read from the filtered blocks after the first commit; the first commit status is unchanged.
    expect(fake.deliverRequests).toEqual([first.blockNumber + 1n]);
    expect(fake.filteredBlocks.get(first.blockNumber)).toEqual([{ txId: once.txId, code: 0 }]);
    expect(fake.submitted).toEqual([once.txId, once.txId]);

    // A transaction that committed invalid and is sent again: the duplicate, not the first code.
    fake.commitCodes.push(11);
    const loser = await ledger.endorse('Increment', 'k');
    await expect(loser.submit()).rejects.toMatchObject({ details: { validationCode: 11 } });
    await expect(loser.submit()).rejects.toMatchObject({ code: 'TRANSACTION_INVALID', details: { validationCode: 9 } });
  });

  it('reports a stopped peer as LEDGER_UNAVAILABLE', async () => {
    const ledger = await connect();
    await ledger.evaluate('Ping');
    fake.stop();
    await expect(ledger.evaluate('Ping')).rejects.toMatchObject({
      code: 'LEDGER_UNAVAILABLE',
      details: { grpcCode: 14 },
    });
    await expect(ledger.submit('IssueCredentials', '{}')).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });

  it('ends a call that gets no answer at its deadline with DEADLINE_EXCEEDED', async () => {
    fake.hang.add('evaluate');
    fake.hang.add('commitStatus');
    // Without ordering retries: a commit status that never comes would otherwise be re-sent for 30 s.
    const ledger = await connect({
      deadlines: { evaluateMs: 150, commitStatusMs: 150 },
      orderingRetry: { totalMs: 0 },
    });
    await expect(ledger.evaluate('GetCredential', 'urn:uuid:1')).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      details: { grpcCode: 4 },
    });
    const error = await failure(ledger.submit('IssueCredentials', '{}'));
    // The transaction was ordered but its fate is unknown: the id lets the caller look it up.
    expect(error).toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      details: { phase: 'commitStatus', txId: fake.submitted[0] },
    });
  });

  describe('ordering failures (scripted orderer answers through the real fabric-gateway client)', () => {
    const ordererAnswers = [
      {
        address: 'orderer2.orderer.credledger.example:8050',
        mspId: 'OrdererMSP',
        message: 'rpc error: code = Unavailable desc = dial tcp 127.0.0.1:8050: connect: connection refused',
      },
      {
        address: 'orderer1.orderer.credledger.example:7050',
        mspId: 'OrdererMSP',
        message: 'received unsuccessful response from orderer: status=SERVICE_UNAVAILABLE, info=no Raft leader',
      },
      {
        address: 'orderer3.orderer.credledger.example:9050',
        mspId: 'OrdererMSP',
        message: 'received unsuccessful response from orderer: status=SERVICE_UNAVAILABLE, info=no Raft leader',
      },
    ];
    const leaderDown = {
      code: grpcStatus.UNAVAILABLE,
      message: 'no orderers could successfully process transaction',
      orderers: ordererAnswers,
    };
    const broadcastTimeout = {
      code: grpcStatus.DEADLINE_EXCEEDED,
      message: 'submit timeout expired while broadcasting to ordering service',
    };
    // Short waits so that the test does not sit out the 30 s default; no assertion depends on them.
    const quick = { orderingRetry: { firstDelayMs: 5, maxDelayMs: 20, statusCheckMs: 300 } };

    it('sends the same signed envelope again after UNAVAILABLE, endorsed once, and commits it once', async () => {
      const ledger = await connect(quick);
      fake.submitFailures.push(leaderDown, leaderDown);
      const committed = await ledger.submit('Put', 'k', 'v');
      expect(fake.invocations.filter((i) => i.method === 'endorse')).toHaveLength(1);
      expect(fake.submittedEnvelopes).toHaveLength(3);
      expect(fake.submittedEnvelopes[1]).toEqual(fake.submittedEnvelopes[0]);
      expect(fake.submittedEnvelopes[2]).toEqual(fake.submittedEnvelopes[0]);
      expect(fake.submitted).toEqual([committed.txId]);
      expect(fake.filteredBlocks.get(committed.blockNumber)).toEqual([{ txId: committed.txId, code: 0 }]);
    });

    it('after DEADLINE_EXCEEDED finds by its id that the transaction committed, and does not send it again', async () => {
      const ledger = await connect(quick);
      fake.submitFailures.push({ ...broadcastTimeout, reachedOrderer: true });
      const committed = await ledger.submit('Put', 'k', 'v');
      expect(fake.submittedEnvelopes).toHaveLength(1);
      // The lookup by id (signed as this identity), then nothing more: the first status was the commit.
      expect(fake.commitStatusRequests).toEqual([{ txId: committed.txId, mspId: PEER_MSP }]);
    });

    it('after DEADLINE_EXCEEDED sends again once the commit status says it has not committed', async () => {
      const ledger = await connect(quick);
      fake.submitFailures.push(broadcastTimeout);
      const committed = await ledger.submit('Put', 'k', 'v');
      expect(fake.submittedEnvelopes).toHaveLength(2);
      expect(fake.submittedEnvelopes[1]).toEqual(fake.submittedEnvelopes[0]);
      expect(fake.commitStatusRequests.map((r) => r.txId)).toEqual([committed.txId, committed.txId]);
    });

    it('when retries run out, the error names every orderer and its answer, and how long it retried', async () => {
      const ledger = await connect({ orderingRetry: { totalMs: 200, firstDelayMs: 5, maxDelayMs: 20 } });
      fake.submitFailures.push(...Array.from({ length: 1_000 }, () => leaderDown));
      const error = await failure(ledger.submit('Put', 'k', 'v'));
      expect(error.code).toBe('LEDGER_UNAVAILABLE');
      for (const { address, mspId, message } of ordererAnswers) {
        expect(error.message).toContain(`${address} (${mspId}): ${message}`);
      }
      expect(error.message).toMatch(/sent \d+ times over \d+\.\d s/);
      expect(error.message).toContain('; last: UNAVAILABLE no orderers could successfully process transaction');
      expect(error.details).toMatchObject({
        attempts: fake.submittedEnvelopes.length,
        orderers: ordererAnswers,
        outcome: 'not-ordered',
      });
      expect(fake.submitted).toEqual([]);
    });

    it('sends again a transaction an orderer took but never cut into a block, and it commits once', async () => {
      const ledger = await connect(quick);
      fake.lostSubmits = 1;
      const committed = await ledger.submit('Put', 'k', 'v');
      expect(fake.submittedEnvelopes).toHaveLength(2);
      expect(fake.submittedEnvelopes[1]).toEqual(fake.submittedEnvelopes[0]);
      expect(fake.submitted).toEqual([committed.txId]);
      expect(fake.filteredBlocks.get(committed.blockNumber)).toEqual([{ txId: committed.txId, code: 0 }]);
    });

    it('stops re-sending when the connection is closed meanwhile', async () => {
      const ledger = await connect({ orderingRetry: { firstDelayMs: 50, maxDelayMs: 50 } });
      fake.submitFailures.push(...Array.from({ length: 1_000 }, () => leaderDown));
      const submitting = failure(ledger.submit('Put', 'k', 'v'));
      while (fake.submittedEnvelopes.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      await ledger.close();
      const error = await submitting;
      // The loop ended at the close, not at the 30 s budget: nothing is sent on a closed connection.
      expect(error).toMatchObject({ code: 'LEDGER_UNAVAILABLE', message: 'this Fabric ledger connection is closed' });
    });

    it('does not send again when an orderer refuses the transaction', async () => {
      const ledger = await connect(quick);
      fake.submitFailures.push({
        code: grpcStatus.ABORTED,
        message: 'received unsuccessful response from orderer: status=BAD_REQUEST, info=envelope too large',
      });
      await expect(ledger.submit('Put', 'k', 'v')).rejects.toMatchObject({ code: 'TRANSACTION_INVALID' });
      expect(fake.submittedEnvelopes).toHaveLength(1);
    });
  });

  it('refuses calls after close', async () => {
    const ledger = await connect();
    await ledger.close();
    await expect(ledger.evaluate('Ping')).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });

  describe('chaincode events', () => {
    beforeEach(() => {
      fake.addBlock(5n, [
        { txId: 'tx-a', name: 'CredentialsIssued', payload: '{"n":1}' },
        { txId: 'tx-b', name: 'CredentialsIssued', payload: '{"n":2}' },
      ]);
      fake.addBlock(6n, [{ txId: 'tx-c', name: 'CredentialStatusChanged', payload: '{"n":3}' }]);
    });

    const take = async (events: AsyncIterable<LedgerEvent>, count: number): Promise<LedgerEvent[]> => {
      const seen: LedgerEvent[] = [];
      for await (const event of events) {
        seen.push(event);
        if (seen.length === count) break;
      }
      return seen;
    };

    it('reads events from a start block, skipping through afterTxId', async () => {
      const ledger = await connect();
      const seen = await take(ledger.events({ startBlock: 5n, afterTxId: 'tx-a' }), 2);
      expect(seen.map((e) => [e.blockNumber, e.txId, e.eventName, text(e.payload)])).toEqual([
        [5n, 'tx-b', 'CredentialsIssued', '{"n":2}'],
        [6n, 'tx-c', 'CredentialStatusChanged', '{"n":3}'],
      ]);
      expect(seen[0]?.chaincodeName).toBe('credledger');
      expect(fake.eventRequests).toEqual([{ startBlock: 5n, afterTransactionId: 'tx-a' }]);
    });

    it('resumes after a restart exactly where the file checkpoint says', async () => {
      const path = join(fake.dir, 'events.checkpoint.json');
      const first = await connect();
      // Processes tx-a, is handed tx-b and stops before finishing it (a crash or shutdown).
      const seenBefore = await take(first.events({ startBlock: 5n, checkpointer: await checkpointers.file(path) }), 2);
      expect(seenBefore.map((e) => e.txId)).toEqual(['tx-a', 'tx-b']);
      await first.close();
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ blockNumber: '5', transactionId: 'tx-a' });

      const second = await connect();
      const seenAfter = await take(second.events({ startBlock: 0n, checkpointer: await checkpointers.file(path) }), 2);
      expect(seenAfter.map((e) => e.txId)).toEqual(['tx-b', 'tx-c']);
      expect(fake.eventRequests[1]).toEqual({ startBlock: 5n, afterTransactionId: 'tx-a' });
    });

    it('delivers live events and ends cleanly when the signal aborts', async () => {
      const ledger = await connect();
      const controller = new AbortController();
      const seen: string[] = [];
      const consumer = (async () => {
        for await (const event of ledger.events({ signal: controller.signal })) {
          seen.push(event.txId);
          controller.abort();
        }
      })();
      // The stream is open once the fake has seen the request; then a new block arrives.
      while (fake.eventRequests.length === 0) await new Promise((resolve) => setImmediate(resolve));
      fake.addBlock(7n, [{ txId: 'tx-d', name: 'IssuerRegistered', payload: '{}' }]);
      await consumer;
      expect(seen).toEqual(['tx-d']);
      expect(fake.eventRequests).toEqual([{ startBlock: 'next-commit', afterTransactionId: '' }]);
    });

    it('reports a lost event stream as LEDGER_UNAVAILABLE', async () => {
      const ledger = await connect();
      const events = ledger.events({ startBlock: 5n })[Symbol.asyncIterator]();
      await events.next();
      await events.next();
      await events.next();
      fake.stop();
      await expect(events.next()).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
    });
  });
});
