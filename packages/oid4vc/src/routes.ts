/**
 * The shape in which the wallet endpoints reach an HTTP server: a route is a method, a path and a
 * function from a parsed request to an answer. `@credledger/server` mounts them (JSON and form bodies
 * parsed, at most `WALLET_BODY_LIMIT` bytes); nothing here knows the framework.
 */

/** A request as a wallet endpoint sees it. */
export interface WalletRequest {
  readonly method: string;
  /** The request target as received (`/oid4vci/token?…`). */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The parsed body: a JSON value, or the fields of an `application/x-www-form-urlencoded` body; else undefined. */
  readonly body: unknown;
  /** The client's address (for the log). */
  readonly clientAddress: string;
}

/** What an endpoint answers; `body` is sent as JSON unless `contentType` says otherwise (then a string). */
export interface WalletAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface WalletRoute {
  readonly method: 'GET' | 'POST';
  /** An exact path (`/oid4vci/token`) or one ending in a parameter (`/oid4vp/requests/:id`). */
  readonly path: string;
  /**
   * A route for the server's own verifier page, not for wallets (asking a wallet, reading its answer):
   * the server sends no CORS headers for it and refuses browser requests from another site.
   */
  readonly pageOnly?: boolean;
  handle(request: WalletRequest): Promise<WalletAnswer>;
}

/** A set of wallet endpoints a server mounts. */
export interface WalletService {
  readonly routes: readonly WalletRoute[];
}

/** Largest request body a wallet endpoint accepts (a credential request with its proofs, a presentation). */
export const WALLET_BODY_LIMIT = 64 * 1024;

/** An OAuth-style error answer: `{ error, error_description }`, never cached. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  extra: Record<string, unknown> = {},
): WalletAnswer {
  return { status, body: { error, error_description: description, ...extra }, headers: NO_STORE };
}

/** Token, nonce and credential answers must not be cached (RFC 6749 §5.1). */
export const NO_STORE: Readonly<Record<string, string>> = { 'Cache-Control': 'no-store' };

/** True for a JSON object (a parsed request body), not an array or null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
