/** `credledger serve`: the verifier page, the read-only API and DID documents over a Ledger. */
export { startServer, API_PREFIX, PAGE_CSP } from './start-server.js';
export type { RunningServer, ServerOptions, ServerRegistry } from './start-server.js';
export { selfSignedCertificate, type SelfSignedCertificate } from './self-signed.js';
export { TokenBucketLimiter } from './rate-limit.js';
export type { RateLimitOptions, RateDecision } from './rate-limit.js';
export { didWebLocation } from './did-documents.js';
export { errorStatus } from './http-error.js';
export type { ApiErrorCode, HttpErrorCode } from './http-error.js';
