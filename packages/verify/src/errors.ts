/**
 * Typed errors with stable codes. Every boundary (CLI exit codes, verifier messages, HTTP API)
 * maps `ErrorCode` exhaustively, so adding a code fails the build until each map has it.
 */
import { chaincodeErrorCodes, type ChaincodeErrorCode, type ErrorCode } from '@credledger/vocabulary';

// The codes themselves live in @credledger/vocabulary, the one home the chaincode shares.
export {
  chaincodeErrorCodes,
  sdkErrorCodes,
  errorCodes,
  type ChaincodeErrorCode,
  type ErrorCode,
} from '@credledger/vocabulary';

/** An error with a stable `code`; `details` keeps what a `--debug` reader needs (peer messages, tx ids). */
export class CredledgerError extends Error {
  override readonly name = 'CredledgerError';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True when `value` is a CredledgerError, optionally with the given code. */
export function isCredledgerError(value: unknown, code?: ErrorCode): value is CredledgerError {
  return value instanceof CredledgerError && (code === undefined || value.code === code);
}

const codePrefix = new RegExp(`(?:^|[\\s,:])(${chaincodeErrorCodes.join('|')}): (.*)$`, 's');

/**
 * Reads a chaincode error code out of a message as Fabric delivers it: only `error.message`
 * crosses from chaincode to client, often wrapped (`chaincode response 500, CODE: detail`).
 */
export function parseChaincodeMessage(message: string): { code: ChaincodeErrorCode; detail: string } | undefined {
  const match = codePrefix.exec(message);
  if (!match) return undefined;
  return { code: match[1] as ChaincodeErrorCode, detail: match[2] ?? '' };
}
