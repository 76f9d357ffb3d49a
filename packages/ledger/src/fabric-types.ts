/**
 * What the Fabric backend (`@credledger/ledger-fabric`) takes and gives, declared here so that callers of
 * `openLedger` can name them without loading the backend, and the backend implements them.
 */
import type { Checkpointer } from './checkpointer.js';
import type { Committed, EventsOptions, Ledger, LedgerEvent, TransactionName } from './ledger.js';

/** The private key lives in a PKCS#11 token (HSM); the signer asks the token to sign. */
export interface HsmKeyReference {
  /** Path to the PKCS#11 library (e.g. `/usr/lib/softhsm/libsofthsm2.so`). */
  readonly library: string;
  /** Token label. */
  readonly label: string;
  /**
   * CKA_ID of the key, hex. Default: the certificate's subject key identifier as Fabric's PKCS#11 BCCSP
   * computes it (SHA-256 of the uncompressed public point), which is what fabric-ca-client sets when
   * it generates the key inside the token.
   */
  readonly identifier?: string;
  /** Environment variable holding the user PIN (never the PIN itself). Default `CREDLEDGER_HSM_PIN`. */
  readonly pinEnv?: string;
}

/** Where the client's X.509 certificate and private key come from. */
export type FabricIdentityFiles =
  | { readonly certPath: string; readonly keyPath: string }
  | { readonly certPath: string; readonly hsm: HsmKeyReference };

/** One organisation's connection to a Fabric network. Paths are absolute once loaded. */
export interface FabricConnectionProfile {
  /** MSP id of the client identity (e.g. `MojMSP`). */
  readonly mspId: string;
  /** `host:port` of the peer's Gateway service (the peer's listen address). */
  readonly peerEndpoint: string;
  /** PEM file of the CA that issued the peer's TLS certificate. */
  readonly tlsRootCertPath: string;
  /** Name in the peer's TLS certificate when it differs from the endpoint's host (`peer0.moj.credledger.example`). */
  readonly hostAlias?: string;
  readonly identity: FabricIdentityFiles;
  /** Mutual TLS, when the peer requires client certificates (`peer.tls.clientAuthRequired`). */
  readonly tlsClient?: { readonly certPath: string; readonly keyPath: string };
  readonly channel: string;
  readonly chaincode: string;
}

/** How long and how often a transaction is sent again after a passing ordering failure, in milliseconds. */
export interface OrderingRetryPolicy {
  /**
   * Total time from the first send after which no new attempt starts (one under way finishes: at most
   * the submit deadline, or `statusCheckMs`, more). 0 sends once.
   */
  readonly totalMs: number;
  /** The backoff before the second send; it doubles each time up to `maxDelayMs` (with jitter). */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * How long to wait for a sent transaction to commit before sending it again, while the budget lasts:
   * after a send that timed out, and after one an orderer took (a Raft leader that stops before cutting
   * its pending transactions into a block loses them). An orderer cuts a block within its BatchTimeout
   * (2 s in network/), so a transaction still not committed after this is taken as lost; if it was
   * not, sending it again only adds a DUPLICATE_TXID record. Capped by the commit status deadline.
   */
  readonly statusCheckMs: number;
}

/** How long each Gateway call may take, in milliseconds. */
export interface FabricDeadlines {
  readonly evaluateMs: number;
  readonly endorseMs: number;
  readonly submitMs: number;
  /** Commit status blocks until the transaction is in a block, so it always needs a deadline. */
  readonly commitStatusMs: number;
}

export interface FabricLedgerOptions {
  /** A connection file path (`network/out/moj.json`) or an explicit profile. */
  readonly profile: string | FabricConnectionProfile;
  readonly deadlines?: Partial<FabricDeadlines>;
  /**
   * More transactions safe to run again when they lose an MVCC race (their effect does not depend on
   * state the client read earlier), besides those idempotent by design (`IssueCredentials`). Only these are retried by
   * `submit`; `submitIdempotent` retries any.
   */
  readonly idempotentTransactions?: Iterable<TransactionName>;
  /**
   * Sending a transaction again while the ordering service fails in a way that passes (UNAVAILABLE, an
   * orderer's SERVICE_UNAVAILABLE, DEADLINE_EXCEEDED at broadcast): the same signed transaction, with
   * capped exponential backoff, for `totalMs` in all (default 30 s; 0 sends once). See
   * ordering-retry.ts. Endorsement and chaincode failures are never retried.
   */
  readonly orderingRetry?: Partial<OrderingRetryPolicy>;
  /** Extra attempts after an MVCC conflict for idempotent transactions. Default 3. */
  readonly mvccRetries?: number;
  /** Where the HSM PIN variable is read from. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Endorse `submit` and `endorse` only at peers of these organisations (fabric-gateway's
   * `endorsingOrganizations`). Default: the Gateway's plan, from the chaincode's endorsement
   * policy and the key-level policies of the keys the transaction writes (the Gateway adds the
   * owning organisation's peer itself), which is what applications want.
   */
  readonly endorsingOrganizations?: readonly string[];
}

/** Events options of the Fabric backend: the generic ones plus a checkpointer. */
export interface FabricEventsOptions extends EventsOptions {
  /**
   * Resume from, and record progress in, this checkpointer. A stored position overrides
   * `startBlock`/`afterTxId`. Each event is checkpointed when the consumer asks for the next one,
   * i.e. after it was processed; the event in hand when a loop is left (break or throw) is
   * delivered again on resume, so consumers see every event at least once and none twice after a
   * clean hand-over.
   */
  readonly checkpointer?: Checkpointer;
}

/** A transaction endorsed but not yet ordered (fabric-gateway's `proposal.endorse()`). */
export interface FabricEndorsedTransaction {
  readonly txId: string;
  /** The chaincode's response payload. */
  readonly result: Uint8Array;
  /** Orders the endorsed transaction and waits for its commit. Fails as `submit` does (MVCC_CONFLICT, TRANSACTION_INVALID, …). */
  submit(): Promise<Committed>;
}

/** A `Ledger` on a Fabric network. */
export interface FabricLedger extends Ledger {
  /** Endorses without ordering; fails as `submit` does at endorsement. */
  endorse(name: TransactionName, ...args: string[]): Promise<FabricEndorsedTransaction>;
  /** Like `submit`, retrying on MVCC conflict whatever the transaction's name. */
  submitIdempotent(name: TransactionName, ...args: string[]): Promise<Committed>;
  events(options?: FabricEventsOptions): AsyncIterable<LedgerEvent>;
}
