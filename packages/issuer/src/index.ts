/**
 * `@credledger/issuer`: what an issuing agency runs — issuer keys (encrypted key files), building and
 * signing credentials (a worker pool, or an external `CredentialSigner` for an HSM or KMS), anchoring
 * through `Registry` (`createIssuer`), resumable batch issuance with its journal, status-list
 * allocation and publishing (Bitstring, Status List 2021 and IETF Token Status Lists), SD-JWT VC for
 * wallets, and QR images (render and scan). Node only; it reaches the ledger through
 * `@credledger/ledger`, and a credential's trust is checked by `@credledger/verify`.
 */
export * from './batch/index.js';
export {
  buildCredential,
  isCredentialId,
  newCredentialId,
  type BuildCredentialInput,
  type CredentialAlgorithm,
  type CredentialPayload,
} from './credentials/credential.js';
export type { BitstringStatusListEntry, StatusList2021Entry, StatusListEntry } from './status/entry.js';
export { decodeCredentialJwt, type DecodedCredentialJwt } from './credentials/decode.js';
export {
  nodeCredentialSigner,
  signCredential,
  type CredentialSigner,
  type CredentialSigning,
} from './credentials/sign.js';
export { createSignPool, type SignedPayload, type SignPool, type SignPoolOptions } from './credentials/sign-pool.js';
export type { EncodedPayloads } from './credentials/payload-encoder.js';
export { generateIssuerKey, publicKeyJwk, type IssuerKey, type PublicKeyJwk } from './keys/issuer-key.js';
export {
  readIssuerKeyFile,
  readIssuerKeyFileInfo,
  writeIssuerKeyFile,
  type KeyFileInfo,
  type WriteKeyFileOptions,
} from './keys/key-store.js';
export {
  statusIndexAllocators,
  type AllocatorOptions,
  type ClosableStatusIndexAllocator,
  type LevelAllocatorOptions,
  type StatusIndexAllocator,
} from './status/allocator.js';
export {
  publishStatusLists,
  readCredentialRecords,
  type PublishStatusListsInput,
  type PublishResult,
  type PublishedStatusList,
} from './status/publisher.js';
export {
  publishTokenStatusLists,
  DEFAULT_STATUS_LIST_TOKEN_CACHE_SECONDS,
  type PublishTokenStatusListsInput,
  type PublishedTokenStatusList,
} from './status/token-publisher.js';
export { renderPng, renderSvg, renderTerminal } from './qr/render.js';
export {
  createQrPool,
  renderPngBatch,
  type QrPool,
  type QrPoolOptions,
  type RenderBatchOptions,
} from './qr/render-pool.js';
export { readQrImage, readQrTerminalText } from './qr/scan.js';
export {
  credentialQrErrorCorrection,
  credentialQrVersion,
  type QrRenderOptions,
  type RenderedPng,
} from './qr/render.js';
export { readQrPixels } from './qr/scan.js';
export { credentialDigestAsync } from './credentials/digest-async.js';
export {
  credentialHeader,
  toCredentialTime,
  credentialContexts,
  type CredentialHeader,
} from './credentials/credential.js';
export { keyAlgorithm } from './credentials/sign.js';
export { issuerKeyFromPrivateKey, jwkThumbprint } from './keys/issuer-key.js';
export {
  anchorRequestOf,
  createIssuer,
  findSubjectConflicts,
  maxAnchorBatch,
  resolveValidity,
  type AnchorResult,
  type IssueBatchOptions,
  type IssueBatchProgress,
  type IssuedCredential,
  type IssueOptions,
  type Issuer,
  type IssuerConfig,
  type IssuerRegistry,
  type IssuerSigningKey,
  type StatusChangeResult,
  type SubjectConflict,
  type SupersedeOption,
  type ValidityOptions,
  type FormatOption,
} from './issuer.js';
// SD-JWT VC for wallets (docs/wallet.md).
export {
  issueSdJwtCredential,
  issuerSignedJwt,
  isSdJwt,
  readSdJwtCredential,
  sdJwtProfiles,
  type SdJwtCredentialInput,
  type SdJwtOptions,
  type SdJwtProfile,
  type SigningFunction,
} from './credentials/sd-jwt.js';
export { subjectDigestOf, subjectIdentifierOf } from './credentials/subject-digest.js';
