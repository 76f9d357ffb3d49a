/**
 * The browser-safe part of credentials (no node:* imports): type data and labels, subject validation,
 * the credential shape, JWT decoding and the WebCrypto digest. The verifier bundles this module.
 */
export * from './types/index.js';
export { validateSubject, isCalendarDate, type CredentialSubject, type SchemaProblem } from './schema.js';
export { isValidUbn } from './ubn.js';
export * from './credential.js';
export { decodeCredentialJwt, base64UrlToBytes, maxCredentialJwtLength, type DecodedCredentialJwt } from './decode.js';
export { credentialDigestAsync } from './digest-async.js';
