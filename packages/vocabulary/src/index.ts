/**
 * `@credledger/vocabulary`: the words every credledger package shares — credential and issuer
 * statuses and their transitions, status reason codes with their zh-TW and English labels, error
 * codes, and the roles the chaincode checks. Plain constants and small pure functions with no
 * dependency at all, published as ES module and CommonJS: the chaincode requires it on Node 18 under
 * Fabric, and the verifier page bundles it for the browser.
 *
 * @example
 * import { reasonLabels, reasonsFor } from '@credledger/vocabulary';
 * for (const reason of reasonsFor('ACTIVE', 'SUSPENDED') ?? []) console.log(reason, reasonLabels[reason].en);
 */
export type { Label } from './label.js';
export {
  credentialStatuses,
  issuerStatuses,
  isCredentialStatus,
  isIssuerStatus,
  type CredentialStatus,
  type IssuerStatus,
} from './statuses.js';
export { reasonCodes, reasonLabels, isReasonCode, type ReasonCode } from './reason-codes.js';
export { credentialTransitions, issuerTransitions, reasonsFor } from './transitions.js';
export {
  chaincodeErrorCodes,
  sdkErrorCodes,
  errorCodes,
  isErrorCode,
  type ChaincodeErrorCode,
  type ErrorCode,
} from './error-codes.js';
export { roleAttribute, roles, type Role } from './roles.js';
export type * from './records.js';
export * from './wire.js';
