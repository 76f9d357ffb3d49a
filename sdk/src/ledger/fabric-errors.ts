/**
 * Turns what @hyperledger/fabric-gateway throws into `CredledgerError`, in one place.
 *
 * Errors are recognised by shape (their `name` and fields), not with `instanceof`, so this module
 * never loads fabric-gateway: commands that do not use Fabric keep it out of memory.
 *
 * @see https://hyperledger.github.io/fabric-gateway/main/api/node/ (GatewayError, EndorseError,
 *      SubmitError, CommitStatusError, CommitError)
 */
import { CredledgerError, parseChaincodeMessage, type ErrorCode } from '../errors.js';

/** gRPC status codes used below (@grpc/grpc-js `status`), spelled out so grpc-js need not load. */
export const grpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** Fabric transaction validation codes that mean "lost a race with another transaction". */
const MVCC_READ_CONFLICT = 11;
const PHANTOM_READ_CONFLICT = 12;

/** One endorsing peer's or orderer's account of a failure (`gateway.ErrorDetail`). */
export interface PeerErrorDetail {
  readonly address: string;
  readonly mspId: string;
  readonly message: string;
}

/** Which Gateway step failed. */
export type GatewayPhase = 'evaluate' | 'endorse' | 'submit' | 'commitStatus' | 'commit' | 'events';

interface GatewayErrorShape extends Error {
  code: number;
  details: PeerErrorDetail[];
  transactionId?: string;
}

interface CommitErrorShape extends Error {
  code: number;
  transactionId: string;
}

const gatewayErrorNames = new Set(['GatewayError', 'EndorseError', 'SubmitError', 'CommitStatusError']);

function isGatewayError(error: unknown): error is GatewayErrorShape {
  return (
    error instanceof Error &&
    gatewayErrorNames.has(error.name) &&
    typeof (error as Partial<GatewayErrorShape>).code === 'number' &&
    Array.isArray((error as Partial<GatewayErrorShape>).details)
  );
}

function isCommitError(error: unknown): error is CommitErrorShape {
  return (
    error instanceof Error &&
    error.name === 'CommitError' &&
    typeof (error as Partial<CommitErrorShape>).code === 'number' &&
    typeof (error as Partial<CommitErrorShape>).transactionId === 'string'
  );
}

/** A grpc-js ServiceError that reached us without the gateway wrapping it (e.g. from `waitForReady`). */
function isServiceError(error: unknown): error is Error & { code: number; details: string } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'number' &&
    typeof (error as { details?: unknown }).details === 'string'
  );
}

const phaseOfName: Record<string, GatewayPhase> = {
  EndorseError: 'endorse',
  SubmitError: 'submit',
  CommitStatusError: 'commitStatus',
  GatewayError: 'evaluate',
};

/**
 * Maps a fabric-gateway error to a `CredledgerError`; returns `undefined` for anything that is not
 * a Gateway, commit or gRPC error (a bug: the caller rethrows it untouched).
 *
 * - a chaincode code in the message or in any peer's detail (`chaincode response 500, ACCESS_DENIED: …`) → that code
 * - gRPC UNAVAILABLE → LEDGER_UNAVAILABLE; DEADLINE_EXCEEDED → DEADLINE_EXCEEDED;
 *   PERMISSION_DENIED / UNAUTHENTICATED → ACCESS_DENIED (the identity is not a channel member);
 *   INVALID_ARGUMENT / NOT_FOUND / FAILED_PRECONDITION → CONFIG_INVALID (wrong channel or chaincode)
 * - CommitError 11 MVCC_READ_CONFLICT / 12 PHANTOM_READ_CONFLICT → MVCC_CONFLICT; other codes → TRANSACTION_INVALID
 * - other EndorseError → ENDORSEMENT_FAILED (CHAINCODE_ERROR when the chaincode failed without a code);
 *   other SubmitError → TRANSACTION_INVALID; other CommitStatusError → LEDGER_UNAVAILABLE (the
 *   transaction's fate is unknown: query it by `details.txId`); other evaluate errors → CHAINCODE_ERROR
 *   for UNKNOWN, else LEDGER_UNAVAILABLE.
 *
 * `details` keeps, for `--debug`: `phase`, `grpcCode`, `txId`, `validationCode`, `peers` (address, mspId, message).
 *
 * @param error what fabric-gateway (or grpc-js) threw
 * @param context the transaction name, kept in `details.transaction`
 */
export function fromGatewayError(error: unknown, context: { transaction?: string } = {}): CredledgerError | undefined {
  if (error instanceof CredledgerError) return error;
  const base: Record<string, unknown> = {};
  if (context.transaction !== undefined) base.transaction = context.transaction;

  if (isCommitError(error)) {
    return fromCommitStatus(error.code, error.transactionId, { ...base, cause: error });
  }

  if (isGatewayError(error)) {
    const phase = phaseOfName[error.name] ?? 'evaluate';
    const peers = error.details.map(({ address, mspId, message }) => ({ address, mspId, message }));
    const details: Record<string, unknown> = { ...base, phase, grpcCode: error.code, peers };
    if (error.transactionId !== undefined) details.txId = error.transactionId;
    return new CredledgerError(...classify(phase, error.code, error.message, peers), {
      cause: error,
      details,
    });
  }

  if (isServiceError(error)) {
    return new CredledgerError(...classify('evaluate', error.code, error.message, []), {
      cause: error,
      details: { ...base, grpcCode: error.code },
    });
  }
  return undefined;
}

/**
 * The error for a transaction that was ordered but did not commit VALID.
 * @param validationCode the Fabric `TxValidationCode` (11/12 → MVCC_CONFLICT, else TRANSACTION_INVALID)
 */
export function fromCommitStatus(
  validationCode: number,
  txId: string,
  extra: Record<string, unknown> & { cause?: unknown } = {},
): CredledgerError {
  const { cause, ...rest } = extra;
  const conflict = validationCode === MVCC_READ_CONFLICT || validationCode === PHANTOM_READ_CONFLICT;
  const name = validationCodeNames[validationCode] ?? String(validationCode);
  return new CredledgerError(
    conflict ? 'MVCC_CONFLICT' : 'TRANSACTION_INVALID',
    conflict
      ? `transaction ${txId} lost a race with another transaction (${name}); retry it`
      : `transaction ${txId} was ordered but is invalid (${name})`,
    { cause, details: { ...rest, phase: 'commit', txId, validationCode, validationCodeName: name } },
  );
}

function classify(
  phase: GatewayPhase,
  grpcCode: number,
  message: string,
  peers: readonly PeerErrorDetail[],
): [ErrorCode, string] {
  for (const text of [message, ...peers.map((peer) => peer.message)]) {
    const parsed = parseChaincodeMessage(text);
    if (parsed) return [parsed.code, parsed.detail];
  }
  const first = peers[0]?.message;
  const said = first === undefined ? message : `${message}: ${first}`;
  switch (grpcCode) {
    case grpcStatus.UNAVAILABLE:
      return ['LEDGER_UNAVAILABLE', `the Fabric gateway is unavailable (${said})`];
    case grpcStatus.DEADLINE_EXCEEDED:
      return ['DEADLINE_EXCEEDED', `the Fabric gateway did not answer the ${phase} call in time`];
    case grpcStatus.PERMISSION_DENIED:
    case grpcStatus.UNAUTHENTICATED:
      return ['ACCESS_DENIED', `the Fabric gateway refused this identity (${said})`];
    case grpcStatus.INVALID_ARGUMENT:
    case grpcStatus.NOT_FOUND:
    case grpcStatus.FAILED_PRECONDITION:
      return ['CONFIG_INVALID', `the Fabric gateway rejected the request; check channel and chaincode names (${said})`];
  }
  const chaincodeFailed = [message, ...peers.map((peer) => peer.message)].some((text) => text.includes('chaincode response'));
  switch (phase) {
    case 'endorse':
      return chaincodeFailed ? ['CHAINCODE_ERROR', said] : ['ENDORSEMENT_FAILED', `endorsement failed (${said})`];
    case 'submit':
      return ['TRANSACTION_INVALID', `the orderer did not accept the transaction (${said})`];
    case 'commitStatus':
      return ['LEDGER_UNAVAILABLE', `the commit status is unknown (${said})`];
    default:
      return grpcCode === grpcStatus.UNKNOWN || chaincodeFailed
        ? ['CHAINCODE_ERROR', said]
        : ['LEDGER_UNAVAILABLE', `the Fabric gateway failed (${said})`];
  }
}

/** Names of Fabric's `TxValidationCode`s (protos/peer/transaction.proto), for messages. */
const validationCodeNames: Readonly<Record<number, string>> = {
  0: 'VALID',
  1: 'NIL_ENVELOPE',
  2: 'BAD_PAYLOAD',
  3: 'BAD_COMMON_HEADER',
  4: 'BAD_CREATOR_SIGNATURE',
  5: 'INVALID_ENDORSER_TRANSACTION',
  6: 'INVALID_CONFIG_TRANSACTION',
  7: 'UNSUPPORTED_TX_PAYLOAD',
  8: 'BAD_PROPOSAL_TXID',
  9: 'DUPLICATE_TXID',
  10: 'ENDORSEMENT_POLICY_FAILURE',
  11: 'MVCC_READ_CONFLICT',
  12: 'PHANTOM_READ_CONFLICT',
  13: 'UNKNOWN_TX_TYPE',
  14: 'TARGET_CHAIN_NOT_FOUND',
  15: 'MARSHAL_TX_ERROR',
  16: 'NIL_TXACTION',
  17: 'EXPIRED_CHAINCODE',
  18: 'CHAINCODE_VERSION_CONFLICT',
  19: 'BAD_HEADER_EXTENSION',
  20: 'BAD_CHANNEL_HEADER',
  21: 'BAD_RESPONSE_PAYLOAD',
  22: 'BAD_RWSET',
  23: 'ILLEGAL_WRITESET',
  24: 'INVALID_WRITESET',
  25: 'INVALID_CHAINCODE',
  254: 'NOT_VALIDATED',
  255: 'INVALID_OTHER_REASON',
};
