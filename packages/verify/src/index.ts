/**
 * `@credledger/verify`: what a verifier needs and nothing else — decode a credential (JWT, link, QR
 * payload), check its signature, issuer, key window, validity, claims and status, from a signed status
 * list and trust list (offline), the HTTP API, or a ledger reader the caller injects. Everything here
 * runs in Node 24 and in browsers alike: no `node:*`, no Fabric, no file system (test/dependency.test.ts
 * proves it on the import graph). What issuers write in these same formats is `@credledger/verify/formats`.
 *
 * @example
 * import { verifyCredential, offlineStatusSource } from '@credledger/verify';
 * const status = offlineStatusSource({ trustList, governanceKeys, statusLists });
 * const { verdict, checks, credential } = await verifyCredential(scannedLink, { status, decodeLink });
 * // Many at once (a service, a bulk check): results in input order, many verifications in flight.
 * const results = await verifyCredentials(jwts, { status }, { concurrency: 64 });
 *
 * @module @credledger/verify
 */
export {
  verifyCredential,
  verifyCredentials,
  createVerifier,
  type Verifier,
  DEFAULT_BATCH_CONCURRENCY,
  MAX_BATCH_CONCURRENCY,
  verdictOf,
  verdicts,
  checkNames,
  type Verdict,
  type CheckName,
  type CheckReason,
  type Check,
  type CredentialSummary,
  type StatusSummary,
  type VerificationResult,
  type VerifyOptions,
  type VerifyBatchOptions,
  type Presentation,
} from './pipeline.js';
export { type KeyBindingExpectation, type PresentationFailure, type SdJwtPresented } from './sd-jwt/presented.js';
export { sdJwtProfiles, sdJwtTyp, vctOf, typeOfVct, type SdJwtProfile } from './sd-jwt/profiles.js';
export { looksLikeSdJwt } from './sd-jwt/decode-sd-jwt.js';
export { established, type Established, type ClaimsStanding } from './established.js';
export { type ClaimsReason } from './claims.js';
export { showHiddenCharacters } from './credentials/text-rules.js';
export {
  decodeCredential,
  MAX_INPUT_LENGTH,
  type DecodedCredential,
  type DecodeOutcome,
  type DecodeReason,
  type LinkDecoder,
  type LinkDecoderResult,
} from './decode.js';
export {
  StatusSourceError,
  type StatusSource,
  type IssuerLookup,
  type StatusLookup,
  type StatusRequest,
  type StatusUnavailableReason,
  type SourceFailureReason,
} from './status-source.js';
export { httpStatusSource, type HttpStatusSourceOptions } from './http-source.js';
export { offlineStatusSource, type OfflineStatusSourceOptions } from './offline-source.js';
export { selectIssuerKey, didOfKid, CLOCK_SKEW_MS, type KeyRuleReason, type KeyRuleResult } from './key-rules.js';
export {
  parseIssuerRecord,
  parseCredentialRecord,
  type IssuerRecord,
  type IssuerKeyRecord,
  type IssuerStatus,
  type CredentialRecord,
  type CredentialState,
} from './records.js';
export {
  algorithmForJwk,
  sha256Hex,
  KeyCache,
  DEFAULT_KEY_CACHE_LIMIT,
  type JwsAlgorithm,
  type JwsSigner,
  type SignatureFailure,
} from './jws.js';
export { Bitstring } from './status/bitstring.js';
export {
  verifyStatusList,
  statusListFormats,
  statusListTypes,
  STATUS_LIST_2021_CONTEXT,
  type StatusListFormat,
  type StatusListOutcome,
  type StatusListProblem,
} from './status/status-list.js';
export {
  TokenStatusList,
  tokenStatusTypes,
  MAX_TOKEN_STATUS_LIST_BYTES,
  type TokenStatusBits,
} from './status/token-status-list.js';
export {
  verifyStatusListToken,
  STATUS_LIST_TOKEN_MEDIA_TYPE,
  type StatusListTokenOutcome,
} from './status/status-list-token.js';
export { verifyTrustList, type PinnedKey, type TrustList, type TrustListOutcome } from './status/trust-list.js';
export { type StatusPurpose } from './status/status-purpose.js';
export { ledgerStatusSource, type RegistryReader } from './ledger-source.js';
// The link inside a QR code: its decoder (fflate, browser-safe).
export { decodeCredentialLink, type DecodedCredentialLink, type CredentialLinkError } from './link/codec.js';
// The credential types: their fields, rules and labels in both languages, and the subject check.
export {
  credentialTypes,
  getCredentialType,
  credentialNoun,
  enumValueOf,
  type CredentialTypeName,
} from './credentials/types/index.js';
export type * from './credentials/types/definition.js';
export {
  validateSubject,
  subjectValidator,
  checkSubject,
  subjectChecker,
  schemaIssueText,
  isCalendarDate,
  type CredentialSubject,
  type SchemaIssue,
  type SchemaProblem,
  type SubjectCheck,
} from './credentials/schema.js';
export { isValidUbn } from './credentials/ubn.js';
export { hasHiddenCharacter, visibleText, visibleChars, type TextProblem } from './credentials/text-rules.js';
// Typed errors with stable codes, shared by every credledger package.
export {
  CredledgerError,
  isCredledgerError,
  errorCodes,
  chaincodeErrorCodes,
  type ErrorCode,
  type ChaincodeErrorCode,
} from './errors.js';
// Error messages that show rejected input quote it the same way everywhere.
export { quoteInput, MAX_QUOTED_CHARACTERS } from './quote-input.js';
