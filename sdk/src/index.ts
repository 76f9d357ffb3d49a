export * from './errors.js';
export { ledgers, fromLedgerError, defaultOrgs } from './ledger/index.js';
export type {
  ChainVerification,
  Committed,
  EmbeddedIdentityInfo,
  EmbeddedLedger,
  EmbeddedNetwork,
  EmbeddedNetworkOptions,
  EndorsedTransaction,
  EventsOptions,
  Ledger,
  LedgerEvent,
  LedgerIdentity,
  OrgSpec,
  TransactionName,
  UserSpec,
} from './ledger/index.js';
export * from './batch/index.js';
export { Registry, transactionNames, maxCredentialsPerTransaction } from './registry.js';
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
  VerifyDigestResult,
} from './registry.js';
