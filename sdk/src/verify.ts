/**
 * `@credledger/sdk/verify`: the browser-safe verification entry. Everything reachable from here runs in
 * Node 24 and in browsers alike: no `node:*`, no Fabric, no file system (sdk/test/dependency.test.ts
 * proves it on the import graph). The ledger-backed status source lives in the main SDK entry.
 *
 * @example
 * import { verifyCredential, offlineStatusSource } from '@credledger/sdk/verify';
 * const status = offlineStatusSource({ trustList, governanceKeys, statusLists });
 * const { verdict, checks, credential } = await verifyCredential(scannedLink, { status, decodeLink });
 * // Many at once (a service, a bulk check): results in input order, many verifications in flight.
 * const results = await verifyCredentials(jwts, { status }, { concurrency: 64 });
 */
export {
  verifyCredential,
  verifyCredentials,
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
} from './verify/pipeline.js';
export { established, type Established, type ClaimsStanding } from './verify/established.js';
export { type ClaimsReason } from './verify/claims.js';
export { showHiddenCharacters } from './credentials/text-rules.js';
export {
  decodeCredential,
  MAX_INPUT_LENGTH,
  type DecodedCredential,
  type DecodeReason,
  type LinkDecoder,
} from './verify/decode.js';
export {
  StatusSourceError,
  type StatusSource,
  type IssuerLookup,
  type StatusLookup,
  type StatusRequest,
  type StatusUnavailableReason,
  type SourceFailureReason,
} from './verify/status-source.js';
export { httpStatusSource, type HttpStatusSourceOptions } from './verify/http-source.js';
export { offlineStatusSource, type OfflineStatusSourceOptions } from './verify/offline-source.js';
export {
  selectIssuerKey,
  didOfKid,
  CLOCK_SKEW_MS,
  type KeyRuleReason,
  type KeyRuleResult,
} from './verify/key-rules.js';
export {
  parseIssuerRecord,
  parseCredentialRecord,
  type IssuerRecord,
  type IssuerKeyRecord,
  type IssuerStatus,
  type CredentialRecord,
  type CredentialState,
} from './verify/records.js';
export { algorithmForJwk, sha256Hex, type JwsAlgorithm, type JwsSigner } from './verify/jws.js';
export { Bitstring } from './status/bitstring.js';
export { verifyStatusList, type StatusListOutcome } from './status/status-list.js';
export { verifyTrustList, type PinnedKey, type TrustList, type TrustListOutcome } from './status/trust-list.js';
export { type StatusPurpose } from './status/status-purpose.js';
// The verifier page needs the QR link decoder and the credential types' display labels; both are
// browser-safe (fflate and plain data). Added for verifier-web (issue 5).
export { decodeCredentialLink, type DecodedCredentialLink, type CredentialLinkError } from './qr/codec.js';
export {
  credentialTypes,
  type CredentialTypeDefinition,
  type FieldDefinition,
  type Label,
} from './credentials/types/index.js';
// Error messages that show rejected input quote it the same way everywhere (issue 13).
export { quoteInput, MAX_QUOTED_CHARACTERS } from './quote-input.js';
