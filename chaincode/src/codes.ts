/**
 * Chaincode errors. Fabric returns only `error.message` to the client, so the code travels as a
 * message prefix (`CODE: detail`) that the sdk's `fromLedgerError` reads back. The codes are
 * `chaincodeErrorCodes` of @credledger/vocabulary (listed in docs/data-model.md).
 */
import type { ChaincodeErrorCode } from '@credledger/vocabulary';

export type { ChaincodeErrorCode };

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
