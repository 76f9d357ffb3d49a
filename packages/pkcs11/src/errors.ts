/**
 * Typed errors of the token: one code per thing an operator does something different about. A
 * Cryptoki return value (`CKR_…`) is mapped to a code once, here; callers never read CKR values.
 * No message or detail ever holds the PIN.
 */

/** What can go wrong with a PKCS#11 token, each with its own exit code in the CLI. */
export const pkcs11ErrorCodes = [
  /** The module (the vendor's `.so`) cannot be loaded or initialised, or pkcs11js is not installed/built. */
  'PKCS11_MODULE_UNAVAILABLE',
  /** No token with the label is present in any slot of the module. */
  'PKCS11_TOKEN_NOT_FOUND',
  /** No PIN was given (no environment variable and no terminal to ask on). */
  'PKCS11_PIN_REQUIRED',
  /** The token refused the PIN (CKR_PIN_INCORRECT and kin). */
  'PKCS11_PIN_INCORRECT',
  /** The user PIN is locked after too many wrong attempts: the security officer must reset it. */
  'PKCS11_PIN_LOCKED',
  /** No private key with the label in the token. */
  'PKCS11_KEY_NOT_FOUND',
  /** A key with the label already exists where a new one was asked for. */
  'PKCS11_KEY_EXISTS',
  /** The labelled key is not a usable ES256 signing key (curve, flags, extractable, no public half, ambiguous label). */
  'PKCS11_KEY_UNSUITABLE',
  /** The token failed while in use: removed, device error, session lost. */
  'PKCS11_DEVICE_ERROR',
] as const;

export type Pkcs11ErrorCode = (typeof pkcs11ErrorCodes)[number];

/** An error of the token with a stable `code`; `details` never holds the PIN. */
export class Pkcs11Error extends Error {
  override readonly name = 'Pkcs11Error';
  readonly code: Pkcs11ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: Pkcs11ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True when `value` is a Pkcs11Error, optionally with the given code. */
export function isPkcs11Error(value: unknown, code?: Pkcs11ErrorCode): value is Pkcs11Error {
  return value instanceof Pkcs11Error && (code === undefined || value.code === code);
}

/**
 * Cryptoki return values this package tells apart, from PKCS#11 v2.40 `pkcs11t.h`.
 * @see https://docs.oasis-open.org/pkcs11/pkcs11-base/v2.40/os/pkcs11-base-v2.40-os.html#_Toc416959738
 */
export const ckr = {
  CKR_GENERAL_ERROR: 0x05,
  CKR_FUNCTION_FAILED: 0x06,
  CKR_ATTRIBUTE_SENSITIVE: 0x11,
  CKR_DEVICE_ERROR: 0x30,
  CKR_DEVICE_MEMORY: 0x31,
  CKR_DEVICE_REMOVED: 0x32,
  CKR_KEY_HANDLE_INVALID: 0x60,
  CKR_OBJECT_HANDLE_INVALID: 0x82,
  CKR_PIN_INCORRECT: 0xa0,
  CKR_PIN_INVALID: 0xa1,
  CKR_PIN_LEN_RANGE: 0xa2,
  CKR_PIN_EXPIRED: 0xa3,
  CKR_PIN_LOCKED: 0xa4,
  CKR_SESSION_CLOSED: 0xb0,
  CKR_SESSION_HANDLE_INVALID: 0xb3,
  CKR_TOKEN_NOT_PRESENT: 0xe0,
  CKR_TOKEN_NOT_RECOGNIZED: 0xe1,
  CKR_USER_ALREADY_LOGGED_IN: 0x100,
  CKR_USER_NOT_LOGGED_IN: 0x101,
  CKR_CRYPTOKI_NOT_INITIALIZED: 0x190,
  CKR_CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const;

/** The CKR value of an error pkcs11js threw (its `Pkcs11Error` has a numeric `code`), if any. */
export function ckrOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The name pkcs11js gives a Cryptoki error (`CKR_PIN_INCORRECT`), else the error's message. */
function ckrName(error: unknown): string {
  return error instanceof Error ? error.message.split(/[\s:]/)[0] || error.message : String(error);
}

/**
 * A pkcs11js error, as one of ours. The PIN errors only come from logging in; everything else a token
 * says while it is in use means it is no longer the token it was (removed, failed, its session gone).
 */
export function fromCryptoki(error: unknown, doing: string, details: Record<string, unknown>): Pkcs11Error {
  if (error instanceof Pkcs11Error) return error;
  const value = ckrOf(error);
  const name = ckrName(error);
  const withCause = { cause: error, details: { ...details, ckr: name } };
  const token = typeof details.token === 'string' ? `token ${JSON.stringify(details.token)}` : 'the token';
  switch (value) {
    case ckr.CKR_PIN_INCORRECT:
    case ckr.CKR_PIN_INVALID:
    case ckr.CKR_PIN_LEN_RANGE:
      return new Pkcs11Error('PKCS11_PIN_INCORRECT', `${token} refused the PIN (${name})`, withCause);
    case ckr.CKR_PIN_LOCKED:
    case ckr.CKR_PIN_EXPIRED:
      return new Pkcs11Error('PKCS11_PIN_LOCKED', `the user PIN of ${token} is locked (${name})`, withCause);
    case ckr.CKR_DEVICE_REMOVED:
    case ckr.CKR_TOKEN_NOT_PRESENT:
      return new Pkcs11Error('PKCS11_DEVICE_ERROR', `${token} was removed while ${doing} (${name})`, withCause);
    default:
      return new Pkcs11Error('PKCS11_DEVICE_ERROR', `${token} failed while ${doing} (${name})`, withCause);
  }
}
