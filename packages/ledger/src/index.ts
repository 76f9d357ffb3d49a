/**
 * `@credledger/ledger`: the one interface between credledger and a ledger. `Ledger` (strings in, bytes
 * out, as on the Fabric wire), `Registry` (the chaincode's transactions as typed calls), `openLedger` that returns the same network interface for every backend,
 * the mapping of every ledger failure to a `CredledgerError` code, and event checkpoints. The backends
 * are packages of their own, loaded when a ledger of their kind is opened:
 * `@credledger/ledger-embedded` (the in-process peer) and `@credledger/ledger-fabric` (a peer's Gateway).
 *
 * @module @credledger/ledger
 */
// Typed calls to the chaincode, with the records, requests and results they carry (@credledger/vocabulary's).
export * from './registry.js';
export { credentialDigest } from './digest.js';
export type { Committed, EventsOptions, Ledger, LedgerEvent, LedgerIdentity, TransactionName } from './ledger.js';
export type { EmbeddedLedgerConfig, FabricNetworkConfig, LedgerConfig, LedgerNetwork } from './network.js';
export { openLedger, ledgers, loadEmbeddedBackend, loadFabricBackend } from './open-ledger.js';
export { protectLocalKeys, loadConnectionProfile } from './backend-calls.js';
export { fromLedgerError, type LedgerErrorContext } from './from-ledger-error.js';
export { checkpointers, type Checkpoint, type Checkpointer } from './checkpointer.js';
export { defaultOrgs } from './default-orgs.js';
export type { EmbeddedBackend, FabricBackend, ProtectedOrg } from './backend-contract.js';
export type {
  CertificateRequest,
  ChainVerification,
  EmbeddedIdentityInfo,
  EmbeddedLedger,
  EmbeddedNetwork,
  EmbeddedNetworkOptions,
  EndorsedTransaction,
  IdentityKeyProtection,
  OrgSpec,
  SignerIdentity,
  UserSpec,
} from './embedded-types.js';
export type {
  FabricConnectionProfile,
  FabricDeadlines,
  FabricEndorsedTransaction,
  FabricEventsOptions,
  FabricIdentityFiles,
  FabricLedger,
  FabricLedgerOptions,
  HsmKeyReference,
  OrderingRetryPolicy,
} from './fabric-types.js';
