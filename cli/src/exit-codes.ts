/**
 * Exit codes of the `credledger` command. Scripts branch on these, so they never change meaning:
 * a new code gets a new number. Every `ErrorCode` (@credledger/vocabulary) has its own number (the `satisfies` below fails
 * the build until a new code is mapped), and `verify` reports its verdict through the exit code.
 */
import type { Pkcs11ErrorCode } from '@credledger/pkcs11';
import type { ErrorCode } from '@credledger/vocabulary';
import type { Verdict } from '@credledger/verify';

/** Exit codes for CLI-level outcomes that are not sdk errors. */
export const cliExitCodes = {
  OK: 0,
  /** Unknown command or option, missing argument (as commander reports it). */
  USAGE: 2,
  /** `issue-batch --dry-run` found invalid rows. */
  ROWS_INVALID: 3,
  /** An error no code describes: a bug. Re-run with `--debug` and report the stack. */
  INTERNAL: 70,
  /** Interrupted by SIGINT (128 + 2, as shells report it). */
  INTERRUPTED: 130,
} as const;

/**
 * `verify` exits with the verdict: 0 only for VALID, so `credledger verify x && …` reads naturally.
 * 10–19 are reserved for verdicts.
 */
export const verdictExitCodes = {
  VALID: 0,
  REVOKED: 10,
  SUSPENDED: 11,
  EXPIRED: 12,
  NOT_YET_VALID: 13,
  TAMPERED: 14,
  UNKNOWN_ISSUER: 15,
  WRONG_TYPE_FOR_ISSUER: 16,
  MALFORMED: 17,
  UNVERIFIABLE: 18,
  INVALID_CLAIMS: 19,
} as const satisfies Record<Verdict, number>;

/**
 * One exit code per error code, grouped by tens: 20s bad input, 30s registry and credential state
 * (continued in the 60s once the 30s were full), 40s authority and keys, 50s the ledger itself.
 */
export const exitCodes = {
  INVALID_INPUT: 20,
  SCHEMA_INVALID: 21,
  UNKNOWN_CREDENTIAL_TYPE: 22,
  CREDENTIAL_MALFORMED: 23,
  QR_UNREADABLE: 24,
  FILE_NOT_FOUND: 25,
  CONFIG_INVALID: 26,
  WORKSPACE_NOT_FOUND: 27,
  WORKSPACE_EXISTS: 28,
  BATCH_TOO_LARGE: 29,

  ISSUER_NOT_FOUND: 30,
  ISSUER_EXISTS: 31,
  ISSUER_INACTIVE: 32,
  TYPE_NOT_ALLOWED: 33,
  KEY_NOT_FOUND: 34,
  KEY_EXISTS: 35,
  KEY_NOT_ACTIVE: 36,
  CREDENTIAL_NOT_FOUND: 37,
  ID_CONFLICT: 38,
  INVALID_TRANSITION: 39,

  ACCESS_DENIED: 40,
  NOT_INITIALIZED: 41,
  KEY_STORE_ERROR: 42,
  PASSPHRASE_REQUIRED: 43,
  PASSPHRASE_WRONG: 44,
  PASSPHRASE_WEAK: 45,

  LEDGER_UNAVAILABLE: 50,
  LEDGER_LOCKED: 51,
  LEDGER_CORRUPT: 52,
  MVCC_CONFLICT: 53,
  ENDORSEMENT_FAILED: 54,
  TRANSACTION_INVALID: 55,
  DEADLINE_EXCEEDED: 56,
  CHAINCODE_ERROR: 57,

  SUBJECT_HAS_ACTIVE_CREDENTIAL: 60,
} as const satisfies Record<ErrorCode, number>;

/** The 80s: a PKCS#11 token holding an issuer key (@credledger/pkcs11), one code each. */
export const pkcs11ExitCodes = {
  PKCS11_MODULE_UNAVAILABLE: 80,
  PKCS11_TOKEN_NOT_FOUND: 81,
  PKCS11_PIN_REQUIRED: 82,
  PKCS11_PIN_INCORRECT: 83,
  PKCS11_PIN_LOCKED: 84,
  PKCS11_KEY_NOT_FOUND: 85,
  PKCS11_KEY_EXISTS: 86,
  PKCS11_KEY_UNSUITABLE: 87,
  PKCS11_DEVICE_ERROR: 88,
} as const satisfies Record<Pkcs11ErrorCode, number>;

/** The exit code for an error code; codes the table does not know (a newer sdk at run time) are INTERNAL. */
export function exitCodeOf(code: string): number {
  if (Object.hasOwn(exitCodes, code)) return exitCodes[code as ErrorCode];
  if (Object.hasOwn(pkcs11ExitCodes, code)) return pkcs11ExitCodes[code as Pkcs11ErrorCode];
  if (Object.hasOwn(cliExitCodes, code)) return cliExitCodes[code as keyof typeof cliExitCodes];
  return cliExitCodes.INTERNAL;
}
