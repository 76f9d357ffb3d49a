/**
 * credledger's retry policy for ordering failures (packages/ledger-fabric/src/ordering-retry.ts), tested on its own:
 * the transaction and the commit-status lookup are test objects that fail with fabric-gateway's real
 * error classes (SubmitError, CommitStatusError, EndorseError), built as fabric-gateway's client builds
 * them, and time is a test clock, so nothing waits. These are tests of credledger's retry logic, not a
 * Fabric run: what a real ordering service does when its Raft leader stops is the leader-stop test in
 * fabric-network.test.ts (needs network/), and the same path through fabric-gateway's real `connect()`
 * is in fabric-gateway.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Metadata, status as grpcCode, type CallOptions, type ServiceError } from '@grpc/grpc-js';
import { CommitStatusError, EndorseError, type ErrorDetail, type Status } from '@hyperledger/fabric-gateway';
// fabric-gateway exports SubmitError as a type only; this is the module its client throws it from.
import { SubmitError } from '@hyperledger/fabric-gateway/dist/submiterror.js';

import { CredledgerError } from '@credledger/verify';
import {
  backoffMs,
  defaultOrderingRetryPolicy,
  orderingRetryPolicy,
  orderTransaction,
  type CommitStatusLookup,
  type OrderableTransaction,
  type RetryClock,
} from '../src/ordering-retry.js';

const TX = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** The grpc-js error fabric-gateway wraps (`cause`). */
function serviceError(code: grpcCode, message: string): ServiceError {
  return Object.assign(new Error(`${String(code)} ${grpcCode[code]}: ${message}`), {
    code,
    details: message,
    metadata: new Metadata(),
  });
}

function submitError(code: grpcCode, message: string, details: ErrorDetail[] = []): SubmitError {
  return new SubmitError({ code, message, details, cause: serviceError(code, message), transactionId: TX });
}

function commitStatusError(code: grpcCode, message: string): CommitStatusError {
  return new CommitStatusError({ code, message, details: [], cause: serviceError(code, message), transactionId: TX });
}

/** Orderer `n` of network/'s Raft cluster (OrdererMSP; ports 7050, 8050, 9050). */
const orderer = (n: number, message: string): ErrorDetail => ({
  address: `orderer${String(n)}.orderer.credledger.example:${String(6050 + 1000 * n)}`,
  mspId: 'OrdererMSP',
  message,
});

/** What Fabric's gateway answered while the Raft leader was down (issue 18). */
const leaderDown = (): SubmitError =>
  submitError(grpcCode.UNAVAILABLE, 'no orderers could successfully process transaction', [
    orderer(2, 'rpc error: code = Unavailable desc = dial tcp 127.0.0.1:8050: connect: connection refused'),
    orderer(1, 'received unsuccessful response from orderer: status=SERVICE_UNAVAILABLE, info=no Raft leader'),
    orderer(3, 'received unsuccessful response from orderer: status=SERVICE_UNAVAILABLE, info=no Raft leader'),
  ]);

const broadcastTimeout = (): SubmitError =>
  submitError(grpcCode.DEADLINE_EXCEEDED, 'submit timeout expired while broadcasting to ordering service');

const committed = (blockNumber: bigint, code = 0): Status => ({
  blockNumber,
  code: code as Status['code'],
  successful: code === 0,
  transactionId: TX,
});

/** A send's outcome: failed; taken and committed; taken and never committed (`lost`: its status wait ends in DEADLINE_EXCEEDED). */
type Send = Error | 'accepted' | 'lost';

/**
 * An endorsed, signed transaction as `orderTransaction` sees it. Each `submit()` records the bytes it
 * would send and answers with the next scripted outcome; `committedAs` is what the peer's commit
 * status would report once an accepted send commits.
 */
class ScriptedTransaction implements OrderableTransaction {
  /** The signed envelope: fixed for the life of the transaction, as fabric-gateway's is once signed. */
  readonly #envelope = randomBytes(96);
  readonly sentBytes: Buffer[] = [];
  /** The options of each `getStatus()` call: a deadline while the budget lasts, none after. */
  readonly statusOptions: (CallOptions | undefined)[] = [];
  readonly #sends: Send[];
  constructor(
    sends: readonly Send[],
    readonly committedAs: Status = committed(7n),
  ) {
    this.#sends = [...sends];
  }
  getTransactionId(): string {
    return TX;
  }
  getBytes(): Uint8Array {
    return this.#envelope;
  }
  submit(): Promise<{ getStatus(options?: CallOptions): Promise<Status> }> {
    this.sentBytes.push(Buffer.from(this.#envelope));
    const next = this.#sends.shift() ?? new Error('the test sent more often than scripted');
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve({
      getStatus: (options?: CallOptions) => {
        this.statusOptions.push(options);
        return next === 'lost'
          ? Promise.reject(commitStatusError(grpcCode.DEADLINE_EXCEEDED, 'context deadline exceeded'))
          : Promise.resolve(this.committedAs);
      },
    });
  }
}

/** A commit-status lookup answering from a script; records how long each call was allowed to wait. */
function scriptedLookUp(answers: ReadonlyArray<Status | Error>): CommitStatusLookup & { waits: number[] } {
  const queue = [...answers];
  const waits: number[] = [];
  const lookUp = (txId: string, waitMs: number): Promise<Status> => {
    expect(txId).toBe(TX);
    waits.push(waitMs);
    const next = queue.shift() ?? new Error('the test looked up more often than scripted');
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return Object.assign(lookUp, { waits });
}

const noLookUp: CommitStatusLookup = () => Promise.reject(new Error('no commit status lookup expected'));

/** A clock that moves only when slept on (and by `advancePerSend` to stand for a send's own time). */
function testClock(): RetryClock & { sleeps: number[]; advance(ms: number): void } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    advance: (ms) => {
      now += ms;
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('ordering retries (credledger retry logic with fabric-gateway error classes, not a Fabric run)', () => {
  it('sends the same signed transaction again after the orderers were unavailable, and returns its commit', async () => {
    const transaction = new ScriptedTransaction([leaderDown(), 'accepted']);
    const clock = testClock();

    const status = await orderTransaction(transaction, noLookUp, defaultOrderingRetryPolicy, clock);

    expect(status).toEqual(committed(7n));
    expect(transaction.sentBytes).toHaveLength(2);
    expect(transaction.sentBytes[1]).toEqual(transaction.sentBytes[0]);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('retries an orderer answering SERVICE_UNAVAILABLE the way older Fabric gateways report it (ABORTED)', async () => {
    const olderWording = submitError(
      grpcCode.ABORTED,
      'received unsuccessful response from orderer: SERVICE_UNAVAILABLE',
    );
    const transaction = new ScriptedTransaction([olderWording, 'accepted']);

    await expect(orderTransaction(transaction, noLookUp, defaultOrderingRetryPolicy, testClock())).resolves.toEqual(
      committed(7n),
    );
    expect(transaction.sentBytes).toHaveLength(2);
  });

  it('after DEADLINE_EXCEEDED asks the commit status first, and does not send a committed transaction again', async () => {
    const transaction = new ScriptedTransaction([broadcastTimeout()]);
    const lookUp = scriptedLookUp([committed(12n)]);

    const status = await orderTransaction(transaction, lookUp, defaultOrderingRetryPolicy, testClock());

    expect(status).toEqual(committed(12n));
    expect(transaction.sentBytes).toHaveLength(1);
    expect(lookUp.waits).toEqual([defaultOrderingRetryPolicy.statusCheckMs]);
  });

  it('after DEADLINE_EXCEEDED returns an invalid commit as it is, without sending again (the caller maps it)', async () => {
    const transaction = new ScriptedTransaction([broadcastTimeout()]);
    const lookUp = scriptedLookUp([committed(12n, 11)]);

    await expect(orderTransaction(transaction, lookUp, defaultOrderingRetryPolicy, testClock())).resolves.toEqual(
      committed(12n, 11),
    );
    expect(transaction.sentBytes).toHaveLength(1);
  });

  it('after DEADLINE_EXCEEDED sends again only once the status check says it has not committed', async () => {
    const transaction = new ScriptedTransaction([broadcastTimeout(), 'accepted']);
    const lookUp = scriptedLookUp([
      commitStatusError(grpcCode.UNAVAILABLE, 'failed to connect to peer'),
      commitStatusError(grpcCode.DEADLINE_EXCEEDED, 'context deadline exceeded'),
    ]);
    const clock = testClock();

    await expect(orderTransaction(transaction, lookUp, defaultOrderingRetryPolicy, clock)).resolves.toEqual(
      committed(7n),
    );
    // The unreachable peer left the outcome unknown: nothing was sent until the second check.
    expect(lookUp.waits).toHaveLength(2);
    expect(transaction.sentBytes).toHaveLength(2);
    expect(transaction.sentBytes[1]).toEqual(transaction.sentBytes[0]);
  });

  it('sends again a transaction an orderer took that does not commit in time (lost with a stopped leader)', async () => {
    const transaction = new ScriptedTransaction(['lost', 'accepted']);
    const clock = testClock();

    await expect(orderTransaction(transaction, noLookUp, defaultOrderingRetryPolicy, clock)).resolves.toEqual(
      committed(7n),
    );
    expect(transaction.sentBytes).toHaveLength(2);
    expect(transaction.sentBytes[1]).toEqual(transaction.sentBytes[0]);
    // Both waits were bounded while the budget lasted.
    expect(transaction.statusOptions).toEqual([{ deadline: expect.any(Number) }, { deadline: expect.any(Number) }]);
  });

  it('once the budget is spent, waits for a taken transaction without a bound of its own, as without retries', async () => {
    const transaction = new ScriptedTransaction(['accepted']);
    await orderTransaction(transaction, noLookUp, orderingRetryPolicy({ totalMs: 0 }), testClock());
    expect(transaction.statusOptions).toEqual([undefined]);
  });

  it('says a transaction may still commit when a copy was taken and later sends failed', async () => {
    const policy = orderingRetryPolicy({ totalMs: 1_000, firstDelayMs: 600, maxDelayMs: 600 });
    const transaction = new ScriptedTransaction(['lost', ...Array.from({ length: 10 }, leaderDown)]);
    const error = await rejection(orderTransaction(transaction, noLookUp, policy, testClock()));
    expect(error).toMatchObject({ code: 'LEDGER_UNAVAILABLE', details: { outcome: 'unknown' } });
    expect((error as Error).message).toContain('it may still commit');
  });

  it('when retries run out, names every orderer and its answer, the number of sends and how long it retried', async () => {
    const policy = orderingRetryPolicy({ totalMs: 3_000, firstDelayMs: 400, maxDelayMs: 1_000 });
    const transaction = new ScriptedTransaction(Array.from({ length: 20 }, leaderDown));
    const clock = testClock();

    const error = await rejection(orderTransaction(transaction, noLookUp, policy, clock));

    expect(error).toBeInstanceOf(CredledgerError);
    const { code, message, details } = error as CredledgerError;
    expect(code).toBe('LEDGER_UNAVAILABLE');
    const sends = transaction.sentBytes.length;
    const retried = clock.sleeps.reduce((sum, ms) => sum + ms, 0);
    expect(sends).toBe(clock.sleeps.length + 1);
    expect(retried).toBe(3_000);
    expect(message).toContain(`sent ${String(sends)} times over 3.0 s`);
    for (const { address, mspId, message: said } of leaderDown().details) {
      expect(message).toContain(`${address} (${mspId}): ${said}`);
    }
    expect(message).toContain('no orderers could successfully process transaction');
    expect(details).toMatchObject({
      txId: TX,
      attempts: sends,
      retriedMs: 3_000,
      outcome: 'not-ordered',
      orderers: leaderDown().details,
    });
  });

  it("keeps each orderer's last answer across attempts, and says a timed-out transaction may still commit", async () => {
    const policy = orderingRetryPolicy({ totalMs: 1_000, statusCheckMs: 2_000 });
    const first = submitError(grpcCode.UNAVAILABLE, 'no orderers could successfully process transaction', [
      orderer(2, 'dial tcp 127.0.0.1:8050: connect: connection refused'),
    ]);
    const later = submitError(grpcCode.UNAVAILABLE, 'no orderers could successfully process transaction', [
      orderer(1, 'received unsuccessful response from orderer: status=SERVICE_UNAVAILABLE, info=no Raft leader'),
    ]);
    const transaction = new ScriptedTransaction([first, later, broadcastTimeout()]);
    const clock = testClock();
    // Each send takes 400 ms of the budget, as a real broadcast would.
    const sendTime = (): void => {
      clock.advance(400);
    };
    const timed: OrderableTransaction = {
      getTransactionId: () => transaction.getTransactionId(),
      submit: () => {
        sendTime();
        return transaction.submit();
      },
    };

    const error = await rejection(orderTransaction(timed, noLookUp, policy, clock));

    expect(error).toBeInstanceOf(CredledgerError);
    const { code, message, details } = error as CredledgerError;
    expect(code).toBe('DEADLINE_EXCEEDED');
    expect(message).toContain('orderer2.orderer.credledger.example:8050 (OrdererMSP): dial tcp');
    expect(message).toContain('orderer1.orderer.credledger.example:7050 (OrdererMSP): received unsuccessful response');
    expect(message).toContain('DEADLINE_EXCEEDED submit timeout expired while broadcasting');
    expect(message).toContain('it may still commit');
    expect(details).toMatchObject({ attempts: 3, outcome: 'unknown' });
  });

  it('with totalMs 0 sends once, and the error still names every orderer', async () => {
    const transaction = new ScriptedTransaction([leaderDown()]);
    const clock = testClock();

    const error = await rejection(orderTransaction(transaction, noLookUp, orderingRetryPolicy({ totalMs: 0 }), clock));

    expect(transaction.sentBytes).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect((error as CredledgerError).message).toContain('(sent once)');
    expect((error as CredledgerError).message).toContain('orderer3.orderer.credledger.example:9050 (OrdererMSP)');
  });

  it.each([
    [
      'an orderer refusing the transaction (BAD_REQUEST)',
      () =>
        submitError(
          grpcCode.ABORTED,
          'received unsuccessful response from orderer: status=BAD_REQUEST, info=transaction too large',
        ),
    ],
    ['a refused identity', () => submitError(grpcCode.PERMISSION_DENIED, 'access denied')],
    ['a wrong channel', () => submitError(grpcCode.NOT_FOUND, 'channel not found')],
    [
      'an endorsement failure',
      () =>
        new EndorseError({
          code: grpcCode.ABORTED,
          message: 'failed to endorse transaction, see attached details for more info',
          details: [{ address: 'peer0.moj:7051', mspId: 'MojMSP', message: 'chaincode response 500, ID_CONFLICT: x' }],
          cause: serviceError(grpcCode.ABORTED, 'failed to endorse transaction'),
          transactionId: TX,
        }),
    ],
    ['a bug (not a ledger error)', () => new TypeError('cannot read properties of undefined')],
  ])('does not retry %s: rethrows it untouched after one send', async (_, make) => {
    const thrown = make();
    const transaction = new ScriptedTransaction([thrown, 'accepted']);
    const clock = testClock();

    await expect(orderTransaction(transaction, noLookUp, defaultOrderingRetryPolicy, clock)).rejects.toBe(thrown);
    expect(transaction.sentBytes).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not retry a commit status failure after an accepted send (the transaction is ordered)', async () => {
    const lost = commitStatusError(grpcCode.UNAVAILABLE, 'peer went away');
    const transaction: OrderableTransaction = {
      getTransactionId: () => TX,
      submit: () => Promise.resolve({ getStatus: () => Promise.reject(lost) }),
    };
    await expect(orderTransaction(transaction, noLookUp, defaultOrderingRetryPolicy, testClock())).rejects.toBe(lost);
  });

  it('backs off exponentially with jitter in the upper half, capped', () => {
    const policy = orderingRetryPolicy({ firstDelayMs: 100, maxDelayMs: 1_000 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, policy, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, policy, () => 0.999_999))).toEqual(
      [100, 200, 400, 800, 1_000, 1_000].map((ms) => expect.closeTo(ms, 0) as unknown as number),
    );
  });

  it('never sleeps past the budget', async () => {
    const policy = orderingRetryPolicy({ totalMs: 1_000, firstDelayMs: 800, maxDelayMs: 800 });
    const clock = testClock();
    await rejection(
      orderTransaction(new ScriptedTransaction(Array.from({ length: 5 }, leaderDown)), noLookUp, policy, clock),
    );
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(1_000);
  });

  it.each([
    ['totalMs', -1],
    ['firstDelayMs', Number.NaN],
    ['statusCheckMs', Infinity],
  ])('refuses %s = %s with CONFIG_INVALID naming the field', (field, value) => {
    expect(() => orderingRetryPolicy({ [field]: value })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: { field: `orderingRetry.${field}` } }),
    );
  });
});
