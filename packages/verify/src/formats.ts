/**
 * `@credledger/verify/formats`: the writing side of the formats a verifier reads — credential links,
 * signed status lists and trust lists, compact JWS with canonical (low-S) signatures — and the field
 * rules behind the subject check, for issuers (`@credledger/sdk`) that must produce exactly what
 * `@credledger/verify` accepts. Browser-safe like the main entry; keys are injected signers, never held.
 *
 * @example
 * import { encodeCredentialLink } from '@credledger/verify/formats';
 * const link = encodeCredentialLink(jwt, 'https://verify.moj.gov.tw/');
 *
 * @module @credledger/verify/formats
 */
export {
  encodeCredentialLink,
  normaliseBaseUrl,
  credentialLinkFormats,
  credentialLinkSegments,
  type CredentialLinkSegment,
} from './link/codec.js';
export {
  signStatusList,
  statusListPayload,
  VC_CONTEXT_V2,
  type ListSigningKey,
  type StatusListInput,
} from './status/status-list.js';
export {
  signStatusListToken,
  statusListTokenPayload,
  STATUS_LIST_TOKEN_TYP,
  type StatusListTokenInput,
} from './status/status-list-token.js';
export { encodeBitstring, encodeStatusList2021 } from './status/bitstring.js';
export { encodeTokenStatusList } from './status/token-status-list.js';
export { signTrustList, trustListPayload, CREDLEDGER_CONTEXT, type TrustListInput } from './status/trust-list.js';
export {
  statusPurposes,
  DEFAULT_STATUS_LIST_SIZE,
  type StatusAllocation,
  type StatusPurpose,
} from './status/status-purpose.js';
export {
  signCompactJws,
  parseCompactJws,
  canonicalJwsSignature,
  base64urlDecode,
  base64urlEncode,
  MAX_JWS_LENGTH,
  type ParsedJws,
  type JwsParseError,
} from './jws.js';
export { isLowS, toLowS } from './low-s.js';
export { fieldRule, formatRule, presenceRule } from './credentials/field-rules.js';
export { issueSentence, shownValue, schemaError } from './credentials/schema.js';
export { parseChaincodeMessage, sdkErrorCodes } from './errors.js';
export { sdJwtProfiles, sdJwtTyp, vctOf, typeOfVct, type SdJwtProfile } from './sd-jwt/profiles.js';
export { credentialJsonSchema, type JsonSchema } from './credentials/json-schema.js';
