/**
 * Errors as the HTTP API reports them: `{ "error": { "code", "message" } }` with a status that follows
 * from the code. SDK codes map exhaustively, so a new ErrorCode fails the build until it has a status.
 */
import { isCredledgerError, type ErrorCode } from '@credledger/verify';

/** Codes only the HTTP layer produces. */
export type HttpErrorCode =
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'BAD_REQUEST'
  | 'URI_TOO_LONG'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR';

export type ApiErrorCode = ErrorCode | HttpErrorCode;

/** HTTP status for each sdk error code a read-only API can meet. */
export const errorStatus = {
  INVALID_INPUT: 400,
  ACCESS_DENIED: 403,
  NOT_INITIALIZED: 503,
  ISSUER_NOT_FOUND: 404,
  ISSUER_EXISTS: 409,
  ISSUER_INACTIVE: 409,
  TYPE_NOT_ALLOWED: 409,
  KEY_NOT_FOUND: 404,
  KEY_EXISTS: 409,
  KEY_NOT_ACTIVE: 409,
  CREDENTIAL_NOT_FOUND: 404,
  ID_CONFLICT: 409,
  INVALID_TRANSITION: 409,
  BATCH_TOO_LARGE: 413,
  SUBJECT_HAS_ACTIVE_CREDENTIAL: 409,
  SCHEMA_INVALID: 400,
  UNKNOWN_CREDENTIAL_TYPE: 400,
  MVCC_CONFLICT: 503,
  ENDORSEMENT_FAILED: 503,
  TRANSACTION_INVALID: 503,
  LEDGER_UNAVAILABLE: 503,
  LEDGER_LOCKED: 503,
  LEDGER_CORRUPT: 500,
  DEADLINE_EXCEEDED: 504,
  CHAINCODE_ERROR: 502,
  KEY_STORE_ERROR: 500,
  PASSPHRASE_REQUIRED: 500,
  PASSPHRASE_WRONG: 500,
  PASSPHRASE_WEAK: 500,
  CONFIG_INVALID: 500,
  WORKSPACE_NOT_FOUND: 500,
  WORKSPACE_EXISTS: 500,
  FILE_NOT_FOUND: 404,
  QR_UNREADABLE: 400,
  CREDENTIAL_MALFORMED: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  BAD_REQUEST: 400,
  URI_TOO_LONG: 414,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
} satisfies Record<ApiErrorCode, number>;

/** An error the API answers with; `headers` carries e.g. `Retry-After` or `Allow`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}

/**
 * Turns anything thrown while answering into an HttpError. Ledger details (peer messages, paths) stay in
 * the server log: a public API tells the caller the code, not the internals.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const framework = frameworkError(error);
  if (framework) return framework;
  if (isCredledgerError(error)) {
    const status = errorStatus[error.code];
    // Client-caused codes keep their message; server-side trouble gets a generic one.
    const message = status < 500 ? error.message : 'the ledger cannot answer right now';
    return new HttpError(error.code, message, status === 503 ? { 'Retry-After': '5' } : {});
  }
  return new HttpError('INTERNAL_ERROR', 'internal error');
}

/**
 * The errors Fastify raises while reading a request body (tracking's subscription requests are the only
 * routes that read one), in the API's codes. Undefined for anything else.
 */
function frameworkError(error: unknown): HttpError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_') || typeof statusCode !== 'number') return undefined;
  if (statusCode === 413) return new HttpError('PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (statusCode === 415) return new HttpError('BAD_REQUEST', 'send the body as application/json');
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return new HttpError('INVALID_INPUT', 'the request body is not JSON');
  if (statusCode >= 400 && statusCode < 500) return new HttpError('BAD_REQUEST', 'the request cannot be read');
  return undefined;
}
