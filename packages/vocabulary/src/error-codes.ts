/**
 * Stable error codes. Every boundary (CLI exit codes, verifier messages, HTTP API) maps `ErrorCode`
 * exhaustively, so adding a code fails the build until each map has it.
 */

/**
 * Codes the chaincode puts in front of its error messages (`CODE: detail`): Fabric returns only
 * `error.message` to a client, so the code travels as that prefix. Listed in docs/data-model.md.
 */
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

/** Codes raised off the chain (ledger plumbing, files, keys, input). */
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
  'PASSPHRASE_WEAK',
  'CONFIG_INVALID',
  'WORKSPACE_NOT_FOUND',
  'WORKSPACE_EXISTS',
  'FILE_NOT_FOUND',
  'QR_UNREADABLE',
  'CREDENTIAL_MALFORMED',
] as const;

export type ChaincodeErrorCode = (typeof chaincodeErrorCodes)[number];
export type ErrorCode = ChaincodeErrorCode | (typeof sdkErrorCodes)[number];

/** Every error code, the chaincode's first. */
export const errorCodes: readonly ErrorCode[] = [...chaincodeErrorCodes, ...sdkErrorCodes];

/** True when `value` is one of `errorCodes` (a code read back from a wire or a worker). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return (errorCodes as readonly unknown[]).includes(value);
}
