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
