export {
  CredledgerError,
  isCredledgerError,
  errorCodes,
  chaincodeErrorCodes,
  type ErrorCode,
  type ChaincodeErrorCode,
  quoteInput,
  MAX_QUOTED_CHARACTERS,
  credentialTypes,
  getCredentialType,
  credentialNoun,
  enumValueOf,
  type CredentialTypeName,
  validateSubject,
  checkSubject,
  schemaIssueText,
  type CredentialSubject,
  type SchemaIssue,
  type SchemaProblem,
  type SubjectCheck,
  visibleText,
  decodeCredentialLink,
  type CredentialLinkError,
  type DecodedCredentialLink,
  ledgerStatusSource,
  isValidUbn,
} from '@credledger/verify';
export {
  parseChaincodeMessage,
  sdkErrorCodes,
  fieldRule,
  formatRule,
  presenceRule,
  signTrustList,
  encodeCredentialLink,
  credentialLinkSegments,
  credentialLinkFormats,
  type CredentialLinkSegment,
} from '@credledger/verify/formats';
// The ledger interface and its backends are @credledger/ledger's; re-exported for the SDK's callers.
export { ledgers, openLedger, fromLedgerError, defaultOrgs, protectLocalKeys } from '@credledger/ledger';
export type {
  CertificateRequest,
  ChainVerification,
  Committed,
  EmbeddedIdentityInfo,
  EmbeddedLedger,
  EmbeddedNetwork,
  EmbeddedNetworkOptions,
  EndorsedTransaction,
  EventsOptions,
  IdentityKeyProtection,
  Ledger,
  LedgerEvent,
  LedgerIdentity,
  OrgSpec,
  ProtectedOrg,
  SignerIdentity,
  TransactionName,
  UserSpec,
  LedgerConfig,
  LedgerNetwork,
} from '@credledger/ledger';
export * from './batch/index.js';
export { Registry, transactionNames, maxCredentialsPerTransaction } from '@credledger/ledger';
export type {
  AddIssuerKeyRequest,
  AnchorRequest,
  CredentialHistoryEntry,
  CredentialPage,
  InitRequest,
  IssueCredentialsResult,
  IssuerKeyRequest,
  MarkIssuerKeyCompromisedRequest,
  PageOptions,
  Receipt,
  RegisterIssuerRequest,
  RegistryConfig,
  RetireIssuerKeyRequest,
  SetCredentialStatusesRequest,
  SetCredentialStatusesResult,
  SetCredentialStatusRequest,
  SetCredentialStatusResult,
  SetIssuerStatusRequest,
  StatusChangeRequest,
  SubjectHolder,
  Supersession,
  VerifyDigestResult,
} from '@credledger/ledger';

// Credentials, keys, status, QR, verification and serving: what the CLI and Node programs call.
export type {
  Label,
  FieldCondition,
  TextKind,
  NameScript,
  StringSpec,
  DateSpec,
  UbnSpec,
  IntegerSpec,
  EnumValue,
  EnumSpec,
  ItemSpec,
  ListSpec,
  FieldSpec,
  FieldType,
  FieldDefinition,
  IdentifierRewrite,
  SubjectIdentifierRule,
  CredentialTypeDefinition,
  IssuerRecord,
} from '@credledger/verify';
export {
  buildCredential,
  isCredentialId,
  newCredentialId,
  type BuildCredentialInput,
  type CredentialAlgorithm,
  type CredentialPayload,
} from './credentials/credential.js';
export type { BitstringStatusListEntry } from './status/entry.js';
export { decodeCredentialJwt, type DecodedCredentialJwt } from './credentials/decode.js';
export { credentialDigest } from '@credledger/ledger';
export {
  nodeCredentialSigner,
  signCredential,
  type CredentialSigner,
  type CredentialSigning,
} from './credentials/sign.js';
export { createSignPool, type SignedPayload, type SignPool, type SignPoolOptions } from './credentials/sign-pool.js';
export { generateIssuerKey, publicKeyJwk, type IssuerKey, type PublicKeyJwk } from './keys/issuer-key.js';
export {
  readIssuerKeyFile,
  readIssuerKeyFileInfo,
  writeIssuerKeyFile,
  type KeyFileInfo,
  type WriteKeyFileOptions,
} from './keys/key-store.js';
export { assertNewPassphrase, passphraseMinimum } from '@credledger/keys';
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
export { credentialQrVersion, type QrRenderOptions, type RenderedPng } from './qr/render.js';
export { readQrPixels } from './qr/scan.js';
export {
  selfSignedCertificate,
  startServer,
  type RunningServer,
  type SelfSignedCertificate,
  type ServerOptions,
} from '@credledger/server';
export { loadConnectionProfile, type FabricConnectionProfile } from '@credledger/ledger';
export { credentialDigestAsync } from './credentials/digest-async.js';
export {
  credentialHeader,
  toCredentialTime,
  credentialContexts,
  type CredentialHeader,
} from './credentials/credential.js';
export { keyAlgorithm } from './credentials/sign.js';
export { issuerKeyFromPrivateKey, jwkThumbprint } from './keys/issuer-key.js';
export { issuerDidDocument, didWebUrl, type CredledgerVerificationMethod } from '@credledger/server';
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
export { checkpointers, type Checkpoint, type Checkpointer } from '@credledger/ledger';
export {
  watch,
  statusChangesOf,
  parseCursor,
  cursorOf,
  statusChangedEventName,
  createTrackingService,
  openSubscriptionStore,
  proveHolding,
  verifyWebhookSignature,
  signWebhook,
  webhookSigningKey,
  loadOrCreateWebhookSigningKey,
  checkWebhookUrl,
  signatureHeader,
  webhookKeysPath,
} from '@credledger/server';
export type {
  StatusChangeEvent,
  WatchFilter,
  WatchOptions,
  TrackingService,
  TrackingServiceOptions,
  DeliveryOptions,
  WebhookBody,
  CreatedSubscription,
  DeadLetter,
  OutboxEntry,
  SubscriptionLimits,
  SubscriptionRecord,
  SubscriptionRequest,
  SubscriptionState,
  SubscriptionStore,
  SubscriptionView,
  VerifyWebhookSignatureInput,
  WebhookPublicJwk,
  WebhookSignatureCheck,
  WebhookSignatureProblem,
  WebhookSigningKey,
  WebhookUrlPolicy,
} from '@credledger/server';
export {
  createIssuerResolver,
  ledgerDidResolver,
  type DidSource,
  type IssuerDidDocumentMetadata,
  type IssuerResolverOptions,
  type LedgerDidResolverOptions,
} from '@credledger/server';

// Statuses, reason codes and roles: their home is @credledger/vocabulary (dependency-free).
export { credentialStatuses, issuerStatuses, reasonCodes, roles, type ReasonCode } from '@credledger/vocabulary';
