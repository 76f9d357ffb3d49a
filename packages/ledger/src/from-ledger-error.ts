/**
 * The one place where what a ledger call fails with becomes a `CredledgerError` — for the Fabric
 * backend (fabric-gateway's errors) and the embedded ledger (its `EmbeddedLedgerError`, a
 * `LedgerCallError`) alike: fabric-errors.ts recognises both as one `LedgerFailure`.
 */
import { CredledgerError, type ErrorCode } from '@credledger/verify';
import { parseChaincodeMessage } from '@credledger/verify/formats';
import { grpcStatus, recognizeLedgerFailure, txValidationCodes, type LedgerFailure } from './fabric-errors.js';

export { txValidationCodes } from './fabric-errors.js';

/** What the caller knows about the failed call, kept in `details`. */
export interface LedgerErrorContext {
  /** The transaction name (`IssueCredentials`). */
  readonly transaction?: string;
  /** The transaction id, when the caller learnt it before the error did not carry it. */
  readonly txId?: string;
}

/** Transaction validation codes that mean "lost a race with another transaction". */
const MVCC_READ_CONFLICT = 11;
const PHANTOM_READ_CONFLICT = 12;

/**
 * Turns a ledger failure into a CredledgerError. One table for both backends:
 *
 * | failure | code |
 * |---|---|
 * | the chaincode failed with `CODE: detail` (message or any peer's detail) | that code |
 * | the chaincode failed without a known code (`chaincode response 500, …`) | CHAINCODE_ERROR |
 * | commit status 11 MVCC_READ_CONFLICT / 12 PHANTOM_READ_CONFLICT | MVCC_CONFLICT |
 * | any other invalid commit status | TRANSACTION_INVALID |
 * | gRPC UNAVAILABLE or CANCELLED | LEDGER_UNAVAILABLE |
 * | gRPC DEADLINE_EXCEEDED | DEADLINE_EXCEEDED |
 * | gRPC PERMISSION_DENIED / UNAUTHENTICATED (not a channel member) | ACCESS_DENIED |
 * | gRPC INVALID_ARGUMENT / NOT_FOUND / FAILED_PRECONDITION (wrong channel or chaincode) | CONFIG_INVALID |
 * | endorse, or evaluate answered UNKNOWN/ABORTED, without a chaincode failure (creator refused, endorsers disagree) | ENDORSEMENT_FAILED |
 * | submit refused by the orderer | TRANSACTION_INVALID |
 * | commit status unknown (CommitStatusError) | LEDGER_UNAVAILABLE |
 * | any other gRPC failure | LEDGER_UNAVAILABLE |
 *
 * A CredledgerError passes through. Anything else is not a ledger error but a bug, and is returned
 * untouched for the caller to rethrow.
 *
 * `details` keeps, for `--debug`: `phase`, `grpcCode`, `txId`, `transaction`, `peers` (address, mspId,
 * message), `chaincodeMessage` and `chaincodeStatus` (the chaincode's own words), `validationCode` and
 * `validationCodeName`.
 *
 * @param err what a ledger call rejected with
 * @param context what the caller knows about the call
 * @returns a CredledgerError, or `err` itself when it is not a ledger error
 * @example
 * try { await ledger.submit('IssueCredentials', request) } catch (err) { throw fromLedgerError(err, { transaction: 'IssueCredentials' }) }
 */
export function fromLedgerError(err: unknown, context: LedgerErrorContext = {}): unknown {
  if (err instanceof CredledgerError) return err;
  const failure = recognizeLedgerFailure(err);
  if (failure === undefined) return err;
  const [code, message, details] = classify(failure);
  const txId = 'txId' in failure ? failure.txId : undefined;
  return new CredledgerError(code, message, {
    cause: err,
    details: {
      ...(context.transaction === undefined ? {} : { transaction: context.transaction }),
      ...(context.txId === undefined ? {} : { txId: context.txId }),
      ...(txId === undefined ? {} : { txId }),
      ...details,
    },
  });
}

function classify(failure: LedgerFailure): [ErrorCode, string, Record<string, unknown>] {
  if (failure.kind === 'commit') {
    const { validationCode, txId } = failure;
    const name = txValidationCodes[validationCode] ?? String(validationCode);
    const details = { phase: 'commit', validationCode, validationCodeName: name };
    if (validationCode === MVCC_READ_CONFLICT || validationCode === PHANTOM_READ_CONFLICT)
      return ['MVCC_CONFLICT', `transaction ${txId} lost a race with another transaction (${name}); retry it`, details];
    return ['TRANSACTION_INVALID', `transaction ${txId} was ordered but is invalid (${name})`, details];
  }

  if (failure.kind === 'grpc') {
    const { grpcCode, message } = failure;
    return [
      ...(byGrpcCode(grpcCode, 'call', message) ?? ['LEDGER_UNAVAILABLE', `the ledger failed (${message})`]),
      { grpcCode },
    ];
  }

  const { phase, grpcCode, message, peers, chaincode } = failure;
  const details: Record<string, unknown> = {
    phase,
    grpcCode,
    peers: peers.map(({ address, mspId, message: said }) => ({ address, mspId, message: said })),
  };
  if (chaincode) {
    details.chaincodeMessage = chaincode.message;
    details.chaincodeStatus = chaincode.status;
  }
  for (const text of [chaincode?.message, message, ...peers.map((peer) => peer.message)]) {
    const parsed = text === undefined ? undefined : parseChaincodeMessage(text);
    if (parsed) return [parsed.code, parsed.detail, details];
  }
  const first = peers[0]?.message;
  const said = first === undefined || first === message ? message : `${message}: ${first}`;
  const byCode = byGrpcCode(grpcCode, phase, said);
  if (byCode) return [...byCode, details];
  if (chaincode) return ['CHAINCODE_ERROR', `the chaincode failed: ${chaincode.message}`, details];
  switch (phase) {
    case 'endorse':
      return ['ENDORSEMENT_FAILED', `the transaction could not be endorsed (${said})`, details];
    case 'evaluate':
      // The gateway answers UNKNOWN/ABORTED when the peer did not run the proposal (e.g. it refused the creator).
      return grpcCode === grpcStatus.UNKNOWN || grpcCode === grpcStatus.ABORTED
        ? ['ENDORSEMENT_FAILED', `the peer did not run the proposal (${said})`, details]
        : ['LEDGER_UNAVAILABLE', `the ledger failed (${said})`, details];
    case 'submit':
      return ['TRANSACTION_INVALID', `the orderer did not accept the transaction (${said})`, details];
    case 'commitStatus':
      // Ordered or not, nobody knows: the transaction may still commit.
      return [
        'LEDGER_UNAVAILABLE',
        `the commit status is unknown (${said}); look the transaction up by its id`,
        details,
      ];
  }
}

/** The code a gRPC status gives whatever the phase; undefined when the status alone says too little. */
function byGrpcCode(grpcCode: number, phase: string, said: string): [ErrorCode, string] | undefined {
  switch (grpcCode) {
    case grpcStatus.UNAVAILABLE:
    case grpcStatus.CANCELLED:
      return ['LEDGER_UNAVAILABLE', `the ledger is unavailable (${said})`];
    case grpcStatus.DEADLINE_EXCEEDED:
      return ['DEADLINE_EXCEEDED', `the ledger did not answer the ${phase} in time`];
    case grpcStatus.PERMISSION_DENIED:
    case grpcStatus.UNAUTHENTICATED:
      return ['ACCESS_DENIED', `the ledger refused this identity (${said})`];
    case grpcStatus.INVALID_ARGUMENT:
    case grpcStatus.NOT_FOUND:
    case grpcStatus.FAILED_PRECONDITION:
      return ['CONFIG_INVALID', `the ledger rejected the request; check channel and chaincode names (${said})`];
    default:
      return undefined;
  }
}
