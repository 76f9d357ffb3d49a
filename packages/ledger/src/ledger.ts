/**
 * The one interface every ledger backend implements: strings in, bytes out, as on the Fabric wire.
 * Only `Registry` calls it; everything above (CLI, server, verifier) is backend-agnostic.
 */

/** A chaincode transaction name: `Function` (default contract) or `Contract:Function`. */
export type TransactionName = string;

/** What a committed (VALID) transaction returns. */
export interface Committed {
  readonly txId: string;
  readonly blockNumber: bigint;
  /** The chaincode's response payload. */
  readonly payload: Uint8Array;
}

/** A chaincode event from a VALID transaction, as the Gateway's ChaincodeEvents stream delivers it. */
export interface LedgerEvent {
  readonly blockNumber: bigint;
  readonly txId: string;
  readonly chaincodeName: string;
  readonly eventName: string;
  readonly payload: Uint8Array;
}

export interface EventsOptions {
  /** First block to read (inclusive). Without it (and without `afterTxId`) listening starts at the next commit. */
  readonly startBlock?: bigint;
  /** Resume point: events up to and including this transaction (in `startBlock`) are skipped. */
  readonly afterTxId?: string;
  /** Ends the stream. */
  readonly signal?: AbortSignal;
}

/** The identity a ledger connection acts as. */
export interface LedgerIdentity {
  readonly mspId: string;
  /** PEM X.509 certificate. */
  readonly certificate: string;
}

export interface Ledger extends AsyncDisposable {
  /** Who this connection acts as. */
  readonly identity: LedgerIdentity;
  /**
   * Endorses, orders and waits for commit. Resolves only when the transaction is VALID.
   * Fails: a CredledgerError from `fromLedgerError` (chaincode codes, MVCC_CONFLICT, LEDGER_UNAVAILABLE, …).
   */
  submit(name: TransactionName, ...args: string[]): Promise<Committed>;
  /** Runs a transaction on committed state and discards its writes. */
  evaluate(name: TransactionName, ...args: string[]): Promise<Uint8Array>;
  /** Chaincode events of VALID transactions, in block order. */
  events(options?: EventsOptions): AsyncIterable<LedgerEvent>;
  close(): Promise<void>;
}
