/**
 * Typed errors with stable codes. Every boundary (CLI exit codes, verifier messages, HTTP API)
 * maps `ErrorCode` exhaustively, so adding a code fails the build until each map has it.
 */

/** Codes the chaincode puts in front of its error messages (`CODE: detail`). */
export const chaincodeErrorCodes = [
  'INVALID_INPUT',
  'ACCESS_DENIED',
  'NOT_INITIALIZED',
  'ISSUER_NOT_FOUND',
  'ISSUER_EXISTS',
  'ISSUER_INACTIVE',
  'TYPE_NOT_ALLOWED',
  'KEY_NOT_FOUND',
  'KEY_EXISTS',
  'KEY_NOT_ACTIVE',
  'CREDENTIAL_NOT_FOUND',
  'ID_CONFLICT',
  'INVALID_TRANSITION',
  'BATCH_TOO_LARGE',
  'SUBJECT_HAS_ACTIVE_CREDENTIAL',
] as const;

/** Codes raised by the sdk itself (ledger plumbing, files, keys, input). */
export const sdkErrorCodes = [
  'SCHEMA_INVALID',
  'UNKNOWN_CREDENTIAL_TYPE',
  'MVCC_CONFLICT',
  'ENDORSEMENT_FAILED',
  'TRANSACTION_INVALID',
  'LEDGER_UNAVAILABLE',
  'LEDGER_LOCKED',
  'LEDGER_CORRUPT',
  'DEADLINE_EXCEEDED',
  'CHAINCODE_ERROR',
  'KEY_STORE_ERROR',
  'PASSPHRASE_REQUIRED',
  'PASSPHRASE_WRONG',
  'CONFIG_INVALID',
  'WORKSPACE_NOT_FOUND',
  'WORKSPACE_EXISTS',
  'FILE_NOT_FOUND',
  'QR_UNREADABLE',
  'CREDENTIAL_MALFORMED',
] as const;

export type ChaincodeErrorCode = (typeof chaincodeErrorCodes)[number];
export type ErrorCode = ChaincodeErrorCode | (typeof sdkErrorCodes)[number];

export const errorCodes: readonly ErrorCode[] = [...chaincodeErrorCodes, ...sdkErrorCodes];

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
