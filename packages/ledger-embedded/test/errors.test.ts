/**
 * The embedded ledger fails with its own typed error, `EmbeddedLedgerError`, carrying the failure as
 * data (phase, status, peers, the chaincode's response, a commit's validation code); `fromLedgerError`
 * maps it through the table both backends share. Nothing imitates fabric-gateway's error classes, and
 * a chaincode's failure is not read back from a sentence.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedNetwork } from '@credledger/ledger';
import { LedgerCallError } from '@credledger/ledger/backend';
import { CredledgerError } from '@credledger/verify';
import { EmbeddedLedgerError } from '../src/errors.js';
import { openNetwork } from '../src/network.js';
import { testContract, type Stub } from './test-contract.js';

/** A contract that fails as asked, and writes keys pinned to one organisation. */
const contracts = testContract(
  'fail',
  (Base, KeyEndorsementPolicy) =>
    class extends Base {
      Fail(_ctx: unknown, message: string): Promise<void> {
        return Promise.reject(new Error(message));
      }
      async PutPinned(ctx: { stub: Stub }, key: string, mspId: string): Promise<void> {
        const policy = new KeyEndorsementPolicy();
        policy.addOrgs('MEMBER', mspId);
        await ctx.stub.putState(key, Buffer.from('owned'));
        await ctx.stub.setStateValidationParameter(key, policy.getPolicy());
      }
      async Put(ctx: { stub: Stub }, key: string, value: string): Promise<void> {
        await ctx.stub.putState(key, Buffer.from(value));
      }
    },
  { Fail: 2, PutPinned: 3, Put: 3 },
);

/** What a call rejected with, and the embedded error beneath it. */
async function failure(call: Promise<unknown>): Promise<{ error: CredledgerError; cause: EmbeddedLedgerError }> {
  const error = await call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(CredledgerError);
  const cause = (error as CredledgerError).cause;
  expect(cause).toBeInstanceOf(EmbeddedLedgerError);
  expect(cause).toBeInstanceOf(LedgerCallError);
  return { error: error as CredledgerError, cause: cause as EmbeddedLedgerError };
}

describe('the embedded ledger’s errors', () => {
  let directory: string;
  let network: EmbeddedNetwork;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'credledger-embedded-errors-'));
    network = await openNetwork({ directory, chaincodeName: 'fail', contracts, fsync: false });
  });

  afterAll(async () => {
    await network.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('carry a chaincode’s coded failure as its response, and map to its code', async () => {
    const { error, cause } = await failure(
      network.connect('MojMSP/operator').evaluate('Fail', 'CREDENTIAL_NOT_FOUND: urn:uuid:1 is not anchored'),
    );
    expect(error).toMatchObject({
      code: 'CREDENTIAL_NOT_FOUND',
      details: { phase: 'evaluate', chaincodeStatus: 500, chaincodeMessage: expect.stringContaining('urn:uuid:1') },
    });
    expect(cause.failure).toMatchObject({
      kind: 'gateway',
      phase: 'evaluate',
      grpcCode: 2,
      chaincode: { status: 500, message: expect.stringContaining('CREDENTIAL_NOT_FOUND: urn:uuid:1 is not anchored') },
      peers: [{ mspId: 'MojMSP', address: 'peer0.MojMSP' }],
    });
    expect(cause.name).toBe('EmbeddedLedgerError');
  });

  it('keep an uncoded chaincode failure a chaincode error, endorsing or evaluating', async () => {
    const { error, cause } = await failure(network.connect('MojMSP/operator').submit('Fail', 'the disk is on fire'));
    expect(cause.failure).toMatchObject({
      kind: 'gateway',
      phase: 'endorse',
      grpcCode: 10,
      chaincode: { status: 500, message: expect.stringContaining('the disk is on fire') },
    });
    expect(error).toMatchObject({ code: 'CHAINCODE_ERROR', details: { phase: 'endorse', chaincodeStatus: 500 } });
  });

  it('carry an invalid commit as its validation code', async () => {
    await network.connect('MojMSP/operator').submit('PutPinned', 'pinned', 'MojMSP');
    const { error, cause } = await failure(network.connect('MoeaMSP/operator').submit('Put', 'pinned', 'taken'));
    expect(cause.failure).toMatchObject({ kind: 'commit', validationCode: 10, txId: expect.any(String) });
    expect(error).toMatchObject({ code: 'TRANSACTION_INVALID', details: { validationCode: 10 } });
  });

  it('say a closed ledger is unavailable', async () => {
    const other = await mkdtemp(join(tmpdir(), 'credledger-embedded-errors-'));
    try {
      const closing = await openNetwork({ directory: other, chaincodeName: 'fail', contracts, fsync: false });
      const ledger = closing.connect('MojMSP/operator');
      await closing.close();
      const { error, cause } = await failure(ledger.evaluate('Fail', 'x'));
      expect(cause.failure).toMatchObject({ kind: 'gateway', grpcCode: 14 });
      expect(error.code).toBe('LEDGER_UNAVAILABLE');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
