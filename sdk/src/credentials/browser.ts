/**
 * The browser-safe part of credentials (no node:* imports): type data and labels, subject validation,
 * the credential shape, JWT decoding and the WebCrypto digest. The verifier bundles this module.
 */
export * from './types/index.js';
export {
  validateSubject,
  checkSubject,
  schemaIssueText,
  isCalendarDate,
  type CredentialSubject,
  type SchemaIssue,
  type SchemaProblem,
  type SubjectCheck,
} from './schema.js';
export { fieldRule, formatRule, presenceRule } from './field-rules.js';
export { visibleText } from './text-rules.js';
export { isValidUbn } from './ubn.js';
export * from './credential.js';
export { decodeCredentialJwt, base64UrlToBytes, maxCredentialJwtLength, type DecodedCredentialJwt } from './decode.js';
export { credentialDigestAsync } from './digest-async.js';
