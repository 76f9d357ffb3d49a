/**
 * Ordering a signed transaction through a passing failure of the ordering service (an orderer down, a
 * Raft leader change): the very same signed transaction is sent again with capped exponential backoff
 * and jitter, for a bounded total time. Where a failed send may still have reached an orderer
 * (DEADLINE_EXCEEDED), the transaction's commit status is asked before anything is sent again; a send
 * an orderer took is waited for a bounded time too, and sent again if it does not commit (a Raft
 * leader that stops loses what it had not yet cut into a block).
 *
 * Nothing can commit twice: a transaction keeps its id however often it is sent, Fabric's committer
 * marks any later occurrence of a committed id DUPLICATE_TXID (it changes no state), and the Gateway's
 * commit status reports the first occurrence. Endorsement and chaincode failures never reach this
 * module (they happen before there is a transaction to order); an orderer refusing the transaction is
 * not retried (recognizeOrderingFailure).
 *
 * @see docs/decisions/0021-ordering-retries.md
 * @see https://hyperledger.github.io/fabric-gateway/main/api/node/interfaces/Transaction.html
 */
import type { CallOptions } from '@grpc/grpc-js';
import type { Status } from '@hyperledger/fabric-gateway';

import { CredledgerError } from '@credledger/verify';
import {
  grpcStatus,
  recognizeLedgerFailure,
  recognizeOrderingFailure,
  type OrderingFailure,
  type PeerErrorDetail,
} from '@credledger/ledger/backend';
import { fromLedgerError, type OrderingRetryPolicy } from '@credledger/ledger';

/** About 30 s in all: a Raft leader election (a few seconds) with room to spare. */
export const defaultOrderingRetryPolicy: OrderingRetryPolicy = {
  totalMs: 30_000,
  firstDelayMs: 250,
  maxDelayMs: 4_000,
  statusCheckMs: 10_000,
};

/**
 * The policy with `overrides` applied. Throws CONFIG_INVALID naming the field that is not a number ≥ 0.
 * @param overrides fields to change (`{ totalMs: 60_000 }`)
 */
export function orderingRetryPolicy(overrides: Partial<OrderingRetryPolicy> = {}): OrderingRetryPolicy {
  const policy = { ...defaultOrderingRetryPolicy, ...overrides };
  for (const [field, value] of Object.entries(policy)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new CredledgerError('CONFIG_INVALID', `orderingRetry.${field} must be a number of milliseconds ≥ 0`, {
        details: { field: `orderingRetry.${field}` },
      });
    }
  }
  return policy;
}

/** Time as the retry loop sees it; tests pass their own so that nothing waits. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export const systemClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/**
 * The part of fabric-gateway's `Transaction` (endorsed and, once sent, signed) that ordering uses.
 * Its `submit()` sends the same signed envelope every time it is called.
 */
export interface OrderableTransaction {
  getTransactionId(): string;
  /** Sends the signed transaction; the result's `getStatus()` waits for its commit (fabric-gateway's `SubmittedTransaction`). */
  submit(): Promise<{ getStatus(options?: CallOptions): Promise<Status> }>;
}

/**
 * Asks a peer for a transaction's commit status by its id, waiting at most `waitMs` for it to commit.
 * Rejects as fabric-gateway's `Commit.getStatus()` does: a CommitStatusError, DEADLINE_EXCEEDED when
 * the transaction has not committed by then.
 */
export type CommitStatusLookup = (txId: string, waitMs: number) => Promise<Status>;

/**
 * The delay before send number `attempt + 1`: `firstDelayMs · 2^(attempt-1)`, capped at `maxDelayMs`,
 * of which the upper half is random ("equal jitter") so that clients that failed together do not
 * return together.
 */
export function backoffMs(attempt: number, policy: OrderingRetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}

/**
 * Orders a transaction and waits for its commit status, sending it again (the same signed bytes) while
 * the ordering service fails in a way that passes, for at most `policy.totalMs`.
 *
 * Rejects with what the transaction's `submit()` or `getStatus()` rejected with for failures that are
 * not retried (the caller maps them with fromLedgerError), and with a CredledgerError when retries run
 * out: the code of the last failure (LEDGER_UNAVAILABLE, DEADLINE_EXCEEDED), a message naming every
 * orderer's last answer, the number of sends and how long it retried; `details` has `attempts`,
 * `retriedMs`, `orderers` and `outcome` (`unknown` when the transaction may still commit).
 *
 * @param transaction an endorsed transaction (fabric-gateway's `Proposal.endorse()` result)
 * @param lookUp commit status by transaction id, for sends whose outcome is unknown
 * @param policy how long and how often
 * @param clock time; the system clock by default
 * @returns the commit status (successful or not: the caller decides what an invalid commit means)
 */
export async function orderTransaction(
  transaction: OrderableTransaction,
  lookUp: CommitStatusLookup,
  policy: OrderingRetryPolicy = defaultOrderingRetryPolicy,
  clock: RetryClock = systemClock,
): Promise<Status> {
  const txId = transaction.getTransactionId();
  const started = clock.now();
  /** The last answer of each orderer, by address: a timed-out attempt carries none. */
  const answers = new Map<string, PeerErrorDetail>();
  let sends = 0;
  let last: { error: unknown; failure: OrderingFailure } | undefined;
  let outcomeUnknown = false;
  /** A send was taken or timed out: a copy may commit even if later sends fail. */
  let mayCommit = false;
  for (let attempt = 1; ; attempt++) {
    if (outcomeUnknown) {
      try {
        // Returns as soon as the transaction commits (valid or not); it was ordered, and once is enough.
        return await lookUp(txId, policy.statusCheckMs);
      } catch (err) {
        if (notCommittedWithin(err)) outcomeUnknown = false;
        else if (!statusUnreachable(err)) throw err;
        // Unreachable: still unknown, so nothing is sent; ask again after the backoff.
      }
    }
    if (!outcomeUnknown) {
      let submitted: Awaited<ReturnType<OrderableTransaction['submit']>> | undefined;
      try {
        sends++;
        submitted = await transaction.submit();
      } catch (err) {
        const failure = recognizeOrderingFailure(err);
        if (failure === undefined) throw err;
        for (const orderer of failure.orderers) answers.set(orderer.address, orderer);
        last = { error: err, failure };
        outcomeUnknown = failure.outcome === 'unknown';
        mayCommit ||= outcomeUnknown;
      }
      if (submitted !== undefined) {
        mayCommit = true;
        // Budget spent: wait for the commit as long as the commit status deadline allows, as without retries.
        if (clock.now() - started >= policy.totalMs) return submitted.getStatus();
        try {
          return await submitted.getStatus({ deadline: Date.now() + policy.statusCheckMs });
        } catch (err) {
          // Any other commit status failure is not an ordering failure: the caller maps it.
          if (!notCommittedWithin(err)) throw err;
        }
        // Taken, not committed: lost with a stopped leader, or slow; sent again after the backoff.
        if (clock.now() - started >= policy.totalMs) return submitted.getStatus();
      }
    }
    const elapsed = clock.now() - started;
    if (elapsed >= policy.totalMs && last !== undefined) {
      throw retriesExhausted({ txId, last, answers, sends, elapsed, outcomeUnknown: outcomeUnknown || mayCommit });
    }
    await clock.sleep(
      Math.min(
        backoffMs(attempt, policy, () => clock.random()),
        Math.max(0, policy.totalMs - elapsed),
      ),
    );
  }
}

/** The commit status call ran out of time: the transaction is not in a block (yet). */
function notCommittedWithin(err: unknown): boolean {
  const failure = recognizeLedgerFailure(err);
  return (
    failure?.kind === 'gateway' && failure.phase === 'commitStatus' && failure.grpcCode === grpcStatus.DEADLINE_EXCEEDED
  );
}

/** The peer could not be asked: the outcome stays unknown. */
function statusUnreachable(err: unknown): boolean {
  const failure = recognizeLedgerFailure(err);
  return failure?.kind === 'gateway' && failure.phase === 'commitStatus' && failure.grpcCode === grpcStatus.UNAVAILABLE;
}

const grpcStatusName: ReadonlyMap<number, string> = new Map<number, string>(
  Object.entries(grpcStatus).map(([name, code]) => [code, name]),
);

function retriesExhausted(state: {
  readonly txId: string;
  readonly last: { readonly error: unknown; readonly failure: OrderingFailure };
  readonly answers: ReadonlyMap<string, PeerErrorDetail>;
  readonly sends: number;
  readonly elapsed: number;
  readonly outcomeUnknown: boolean;
}): CredledgerError {
  const { txId, last, answers, sends, elapsed, outcomeUnknown } = state;
  const mapped = fromLedgerError(last.error, { txId });
  const base = mapped instanceof CredledgerError ? mapped : undefined;
  const orderers = [...answers.values()];
  const said =
    orderers.length === 0
      ? "the Gateway reported no orderer's answer"
      : `the orderers answered: ${orderers.map((o) => `${o.address} (${o.mspId || 'unknown MSP'}): ${o.message}`).join('; ')}`;
  const lastCode = grpcStatusName.get(last.failure.grpcCode) ?? String(last.failure.grpcCode);
  // grpc-js starts the message with the status (`14 UNAVAILABLE: …`); it is said once, by name.
  const lastWords = last.failure.message.replace(/^\d+ [A-Z_]+: /, '');
  const tried = sends === 1 ? 'sent once' : `sent ${String(sends)} times over ${(elapsed / 1000).toFixed(1)} s`;
  const maybe = outcomeUnknown ? '; it may still commit: look the transaction up by its id before issuing again' : '';
  return new CredledgerError(
    base?.code ?? 'LEDGER_UNAVAILABLE',
    `the ordering service did not take transaction ${txId} (${tried}); ${said}; last: ${lastCode} ${lastWords}${maybe}`,
    {
      cause: last.error,
      details: {
        ...base?.details,
        txId,
        attempts: sends,
        retriedMs: elapsed,
        orderers: orderers.map(({ address, mspId, message }) => ({ address, mspId, message })),
        outcome: outcomeUnknown ? 'unknown' : 'not-ordered',
      },
    },
  );
}
