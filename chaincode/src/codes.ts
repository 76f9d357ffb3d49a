/**
 * Error codes of the chaincode. Fabric returns only `error.message` to the client, so the code
 * travels as a message prefix (`CODE: detail`) that the sdk's `fromLedgerError` reads back.
 * The list is fixed in docs/data-model.md and mirrored by the sdk's `chaincodeErrorCodes`.
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

export type ChaincodeErrorCode = (typeof chaincodeErrorCodes)[number];

/** An error whose message is `CODE: detail`, the only part of it that reaches a client. */
export class ChaincodeError extends Error {
  override readonly name = 'ChaincodeError';
  readonly code: ChaincodeErrorCode;

  constructor(code: ChaincodeErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.code = code;
  }
}

/** Throws `Error('<code>: <detail>')`; the transaction is then not endorsed and writes nothing. */
export function fail(code: ChaincodeErrorCode, detail: string): never {
  throw new ChaincodeError(code, detail);
}
