/**
 * Recognises what a ledger call fails with: as @hyperledger/fabric-gateway shapes it (GatewayError and
 * its EndorseError / SubmitError / CommitStatusError subclasses, CommitError, and a bare grpc-js
 * ServiceError), or a backend's own `LedgerCallError`, which carries the recognised form itself (the
 * embedded ledger's errors); `fromLedgerError` (from-ledger-error.ts) turns both into codes.
 *
 * Errors are recognised by shape (their `name` and fields), not with `instanceof`, so this module
 * never loads fabric-gateway: commands that do not use Fabric keep it out of memory.
 *
 * @see https://hyperledger.github.io/fabric-gateway/main/api/node/ (GatewayError, EndorseError,
 *      SubmitError, CommitStatusError, CommitError)
 */

/** gRPC status codes used by the mapping (@grpc/grpc-js `status`), spelled out so grpc-js need not load. */
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
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/**
 * Fabric's transaction validation codes (fabric-protos `peer/transaction.proto` TxValidationCode), by number.
 * @see https://hyperledger-fabric.readthedocs.io/en/release-2.5/readwrite.html
 */
export const txValidationCodes: Readonly<Record<number, string>> = {
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

/** One endorsing peer's or orderer's account of a failure (`gateway.ErrorDetail`). */
export interface PeerErrorDetail {
  readonly address: string;
  readonly mspId: string;
  readonly message: string;
}

/** Which Gateway step failed. */
export type GatewayPhase = 'evaluate' | 'endorse' | 'submit' | 'commitStatus' | 'commit';

/** A chaincode's own failure as the peer words it: `chaincode response 500, <message>`. */
export interface ChaincodeResponse {
  readonly status: number;
  readonly message: string;
}

/** What a ledger call failed with, once recognised. */
export type LedgerFailure =
  /** Ordered, then marked invalid by validation (CommitError). */
  | { readonly kind: 'commit'; readonly validationCode: number; readonly txId: string }
  /** A Gateway call failed (GatewayError and subclasses): a gRPC status plus per-peer details. */
  | {
      readonly kind: 'gateway';
      readonly phase: Exclude<GatewayPhase, 'commit'>;
      readonly grpcCode: number;
      readonly message: string;
      readonly peers: readonly PeerErrorDetail[];
      readonly txId?: string;
      /** Set when the chaincode itself failed (in the message or any peer's detail). */
      readonly chaincode?: ChaincodeResponse;
    }
  /** A gRPC call failed outside the Gateway's wrapping (e.g. a stream, or `waitForReady`). */
  | { readonly kind: 'grpc'; readonly grpcCode: number; readonly message: string };

/**
 * A backend's own failure of a ledger call, in the form `fromLedgerError` classifies: the embedded
 * ledger throws these (`EmbeddedLedgerError`), so nothing imitates fabric-gateway's classes or words
 * and nothing is read back from a message. `recognizeLedgerFailure` returns `failure` as it is.
 */
export class LedgerCallError extends Error {
  override readonly name: string = 'LedgerCallError';
  constructor(
    readonly failure: LedgerFailure,
    options?: ErrorOptions,
  ) {
    super(failureMessage(failure), options);
  }
}

function failureMessage(failure: LedgerFailure): string {
  if (failure.kind !== 'commit') return failure.message;
  const name = txValidationCodes[failure.validationCode] ?? 'UNKNOWN';
  return `transaction ${failure.txId} failed to commit with status code ${failure.validationCode} (${name})`;
}

const phaseOfName: Readonly<Record<string, Exclude<GatewayPhase, 'commit'>>> = {
  GatewayError: 'evaluate',
  EndorseError: 'endorse',
  SubmitError: 'submit',
  CommitStatusError: 'commitStatus',
};

/** `chaincode response 500, <msg>`: how Fabric's gateway words a chaincode's non-OK response. */
const chaincodeResponsePattern = /chaincode response (\d+), ([\s\S]*)$/;

/**
 * Recognises a ledger failure by its shape; `undefined` for anything else (a bug, which the caller
 * rethrows untouched).
 * @param error what fabric-gateway, grpc-js or a backend (a LedgerCallError) threw
 */
export function recognizeLedgerFailure(error: unknown): LedgerFailure | undefined {
  if (error instanceof LedgerCallError) return error.failure;
  if (!(error instanceof Error)) return undefined;
  const fields = error as Error & { code?: unknown; details?: unknown; transactionId?: unknown; metadata?: unknown };
  if (typeof fields.code !== 'number') return undefined;

  if (error.name === 'CommitError' && typeof fields.transactionId === 'string') {
    return { kind: 'commit', validationCode: fields.code, txId: fields.transactionId };
  }

  const phase = phaseOfName[error.name];
  if (phase !== undefined && Array.isArray(fields.details)) {
    const peers = (fields.details as unknown[]).flatMap(peerDetail);
    const chaincode = [error.message, ...peers.map((p) => p.message)]
      .map(chaincodeResponseIn)
      .find((c) => c !== undefined);
    return {
      kind: 'gateway',
      phase,
      grpcCode: fields.code,
      message: error.message,
      peers,
      ...(typeof fields.transactionId === 'string' ? { txId: fields.transactionId } : {}),
      ...(chaincode === undefined ? {} : { chaincode }),
    };
  }

  // grpc-js ServiceError: a numeric code, the server's text in `details` and a Metadata object.
  if (typeof fields.details === 'string' && typeof fields.metadata === 'object' && fields.metadata !== null) {
    return { kind: 'grpc', grpcCode: fields.code, message: error.message };
  }
  return undefined;
}

function peerDetail(value: unknown): PeerErrorDetail[] {
  if (typeof value !== 'object' || value === null) return [];
  const { address, mspId, message } = value as Partial<Record<keyof PeerErrorDetail, unknown>>;
  if (typeof message !== 'string') return [];
  return [
    { address: typeof address === 'string' ? address : '', mspId: typeof mspId === 'string' ? mspId : '', message },
  ];
}

function chaincodeResponseIn(text: string): ChaincodeResponse | undefined {
  const match = chaincodeResponsePattern.exec(text);
  if (!match) return undefined;
  return { status: Number(match[1]), message: match[2] ?? '' };
}

/**
 * How a failed submit to the ordering service left the transaction, when sending it again may help:
 * - `not-ordered`: no orderer took it — the Gateway answered UNAVAILABLE (every orderer it tried failed;
 *   each one's answer is in `orderers`), or an orderer answered SERVICE_UNAVAILABLE (no Raft leader, or
 *   forwarding to a leader that is gone; older Fabric releases report that as ABORTED);
 * - `unknown`: the broadcast ran out of time (DEADLINE_EXCEEDED); an orderer may hold the transaction,
 *   so its commit status is asked before it is sent again.
 */
export interface OrderingFailure {
  readonly outcome: 'not-ordered' | 'unknown';
  readonly grpcCode: number;
  /** The Gateway's own words (`no orderers could successfully process transaction`). */
  readonly message: string;
  /** Each orderer's answer, as the Gateway attached them (`gateway.ErrorDetail`). */
  readonly orderers: readonly PeerErrorDetail[];
}

/** An orderer's status answer that means "not now" rather than "never" (common.Status 503). */
const serviceUnavailablePattern = /\bSERVICE_UNAVAILABLE\b/;

/**
 * Recognises a submit that failed for a reason that passes (an orderer down, a Raft leader change);
 * `undefined` for anything else — endorsement and chaincode failures, an orderer refusing the
 * transaction (BAD_REQUEST, FORBIDDEN: ABORTED), access and configuration errors — which must not be
 * retried.
 * @param error what fabric-gateway's `Transaction.submit()` rejected with
 */
export function recognizeOrderingFailure(error: unknown): OrderingFailure | undefined {
  const failure = recognizeLedgerFailure(error);
  if (failure?.kind !== 'gateway' || failure.phase !== 'submit') return undefined;
  const { grpcCode, message, peers } = failure;
  const answer = { grpcCode, message, orderers: peers };
  if (grpcCode === grpcStatus.DEADLINE_EXCEEDED) return { outcome: 'unknown', ...answer };
  if (grpcCode === grpcStatus.UNAVAILABLE) return { outcome: 'not-ordered', ...answer };
  const saidServiceUnavailable = [message, ...peers.map((peer) => peer.message)].some((text) =>
    serviceUnavailablePattern.test(text),
  );
  if (grpcCode === grpcStatus.ABORTED && saidServiceUnavailable) return { outcome: 'not-ordered', ...answer };
  return undefined;
}
