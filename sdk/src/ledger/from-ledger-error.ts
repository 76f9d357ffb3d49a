import { CredledgerError, parseChaincodeMessage } from '../errors.js';

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

/** gRPC status codes that mean "the ledger could not be reached", not "the request was wrong". */
const grpcUnavailable = new Set([14 /* UNAVAILABLE */, 1 /* CANCELLED */]);
const grpcDeadlineExceeded = 4;

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly details?: unknown;
  readonly transactionId?: unknown;
}

/** `chaincode response 500, <msg>` as the peer's gateway words a chaincode failure. */
const chaincodeResponse = /chaincode response (\d+), ([\s\S]*)$/;

/**
 * Turns an error from a ledger backend (fabric-gateway's GatewayError / EndorseError / CommitError, or the
 * embedded ledger's errors, which have the same shapes) into a CredledgerError:
 * - a chaincode `CODE: detail` message → that code;
 * - a chaincode failure without a known code → CHAINCODE_ERROR;
 * - commit status MVCC_READ_CONFLICT (11) or PHANTOM_READ_CONFLICT (12) → MVCC_CONFLICT;
 * - any other invalid commit status → TRANSACTION_INVALID;
 * - endorsements that cannot be collected (not a chaincode failure) → ENDORSEMENT_FAILED;
 * - gRPC UNAVAILABLE / CANCELLED → LEDGER_UNAVAILABLE; DEADLINE_EXCEEDED → DEADLINE_EXCEEDED.
 * A CredledgerError passes through; anything else is returned untouched (callers rethrow it: it is a bug).
 * `details` keeps `chaincodeMessage` (the chaincode's own message), `transactionId` and `validationCode`.
 * @param err what a ledger call rejected with
 * @returns a CredledgerError, or `err` itself when it is not a ledger error
 */
export function fromLedgerError(err: unknown): unknown {
  if (err instanceof CredledgerError) return err;
  if (typeof err !== 'object' || err === null) return err;
  const e = err as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : '';
  const name = typeof e.name === 'string' ? e.name : '';
  const transactionId = typeof e.transactionId === 'string' ? e.transactionId : undefined;
  const txDetails = transactionId === undefined ? {} : { transactionId };

  // CommitError: ordered, then marked invalid at validation. `code` is the TxValidationCode.
  if (name === 'CommitError' && typeof e.code === 'number') {
    const validationCode = e.code;
    const codeName = txValidationCodes[validationCode] ?? String(validationCode);
    const details = { ...txDetails, validationCode, validationCodeName: codeName };
    if (validationCode === 11 || validationCode === 12) {
      return new CredledgerError(
        'MVCC_CONFLICT',
        `transaction conflicted with a concurrent one (${codeName}); retry it`,
        { cause: err, details },
      );
    }
    return new CredledgerError('TRANSACTION_INVALID', `transaction was ordered but marked invalid (${codeName})`, {
      cause: err,
      details,
    });
  }

  // GatewayError and its subclasses: a gRPC status plus per-peer details.
  const peerMessages = Array.isArray(e.details)
    ? (e.details as unknown[]).flatMap((d) =>
        typeof d === 'object' && d !== null && typeof (d as { message?: unknown }).message === 'string'
          ? [(d as { message: string }).message]
          : [],
      )
    : [];
  for (const text of [...peerMessages, message]) {
    const response = chaincodeResponse.exec(text);
    if (response) {
      const chaincodeMessage = response[2] ?? '';
      const parsed = parseChaincodeMessage(chaincodeMessage);
      const details = { ...txDetails, chaincodeMessage, chaincodeStatus: Number(response[1]) };
      if (parsed) return new CredledgerError(parsed.code, parsed.detail, { cause: err, details });
      return new CredledgerError('CHAINCODE_ERROR', `chaincode failed: ${chaincodeMessage}`, { cause: err, details });
    }
  }

  const isGatewayError = /^(Gateway|Endorse|Submit|CommitStatus)Error$/.test(name);
  if (isGatewayError && typeof e.code === 'number') {
    const details = { ...txDetails, grpcCode: e.code, peerMessages };
    if (grpcUnavailable.has(e.code)) {
      return new CredledgerError('LEDGER_UNAVAILABLE', `ledger unavailable: ${message}`, { cause: err, details });
    }
    if (e.code === grpcDeadlineExceeded) {
      return new CredledgerError('DEADLINE_EXCEEDED', `ledger did not answer in time: ${message}`, {
        cause: err,
        details,
      });
    }
    if (name === 'EndorseError') {
      return new CredledgerError(
        'ENDORSEMENT_FAILED',
        `transaction could not be endorsed: ${[message, ...peerMessages].join('; ')}`,
        { cause: err, details },
      );
    }
  }
  // A bare gRPC ServiceError (e.g. from a Deliver stream) carries only the status code.
  if (name !== '' && typeof e.code === 'number' && grpcUnavailable.has(e.code) && 'metadata' in e) {
    return new CredledgerError('LEDGER_UNAVAILABLE', `ledger unavailable: ${message}`, {
      cause: err,
      details: { grpcCode: e.code },
    });
  }
  return err;
}
