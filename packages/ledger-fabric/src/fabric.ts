/**
 * The Fabric backend: the `Ledger` interface over a peer's Gateway service with
 * @hyperledger/fabric-gateway, gRPC over TLS, and the organisation's Fabric CA identity.
 *
 * fabric-gateway and grpc-js are loaded on first use (dynamic import), so commands that never
 * touch Fabric never load them.
 *
 * @see https://hyperledger-fabric.readthedocs.io/en/release-2.5/gateway.html
 * @see https://hyperledger.github.io/fabric-gateway/main/api/node/
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

import type {
  ChaincodeEvent,
  CommitError,
  Contract,
  Gateway,
  Network,
  Status,
  Transaction,
} from '@hyperledger/fabric-gateway';
import type { CallOptions } from '@grpc/grpc-js';

import { CredledgerError } from '@credledger/verify';
import {
  fromLedgerError,
  type Checkpoint,
  type Committed,
  type FabricConnectionProfile,
  type FabricDeadlines,
  type FabricEndorsedTransaction,
  type FabricEventsOptions,
  type FabricLedger,
  type FabricLedgerOptions,
  type LedgerEvent,
  type LedgerIdentity,
  type OrderingRetryPolicy,
  type TransactionName,
} from '@credledger/ledger';
import { txValidationCodes } from '@credledger/ledger/backend';
import { loadConnectionProfile } from './fabric-connection-profile.js';
import { loadLedgerSigner } from './fabric-identity.js';
import { orderingRetryPolicy, orderTransaction, type CommitStatusLookup } from './ordering-retry.js';

/**
 * Transactions of credledger's chaincode that are idempotent by design, so `submit` retries them on an
 * MVCC conflict: `IssueCredentials` re-sending identical records is a no-op (and a different digest
 * under the same id is ID_CONFLICT, never an overwrite). Both spellings: the default contract and
 * the `Contract:` name `Registry` uses.
 */
export const idempotentByDesign: readonly TransactionName[] = [
  'CredentialContract:IssueCredentials',
  'IssueCredentials',
];

/** The deadlines fabric-samples' Gateway applications use. */
export const defaultFabricDeadlines: FabricDeadlines = {
  evaluateMs: 5_000,
  endorseMs: 15_000,
  submitMs: 5_000,
  commitStatusMs: 60_000,
};

/**
 * Opens a connection to a peer's Gateway. Nothing is sent until the first call; a peer that is
 * down shows up as LEDGER_UNAVAILABLE on that call.
 *
 * Throws FILE_NOT_FOUND / CONFIG_INVALID (connection file, certificates), KEY_STORE_ERROR,
 * PASSPHRASE_REQUIRED (HSM PIN).
 *
 * @example
 * await using ledger = await openFabricLedger({ profile: 'network/out/moj.json' });
 * const payload = await ledger.evaluate('GetCredential', 'urn:uuid:…');
 */
export async function openFabricLedger(options: FabricLedgerOptions): Promise<FabricLedger> {
  const profile = typeof options.profile === 'string' ? await loadConnectionProfile(options.profile) : options.profile;
  const deadlines = { ...defaultFabricDeadlines, ...options.deadlines };
  const mvccRetries = options.mvccRetries ?? 3;
  if (!Number.isInteger(mvccRetries) || mvccRetries < 0) {
    throw new CredledgerError('CONFIG_INVALID', 'mvccRetries must be a whole number ≥ 0');
  }
  const policy = orderingRetryPolicy(options.orderingRetry);
  // A bounded wait for a commit never outlasts the commit status deadline.
  const ordering = { ...policy, statusCheckMs: Math.min(policy.statusCheckMs, deadlines.commitStatusMs) };

  const [gatewayModule, grpc, protos] = await Promise.all([
    import('@hyperledger/fabric-gateway'),
    import('@grpc/grpc-js'),
    import('@hyperledger/fabric-protos'),
  ]);

  const tlsRootCert = await readFileOrFail(profile.tlsRootCertPath, 'TLS root certificate');
  let tlsClientKey: Buffer | undefined;
  let tlsClientCert: Buffer | undefined;
  if (profile.tlsClient) {
    tlsClientKey = await readFileOrFail(profile.tlsClient.keyPath, 'TLS client key');
    tlsClientCert = await readFileOrFail(profile.tlsClient.certPath, 'TLS client certificate');
  }
  const signerHandle = await loadLedgerSigner(profile.identity, gatewayModule, options.env);

  let client: InstanceType<typeof grpc.Client>;
  try {
    const credentials = grpc.credentials.createSsl(tlsRootCert, tlsClientKey ?? null, tlsClientCert ?? null);
    const channelOptions: Record<string, string> = {};
    if (profile.hostAlias !== undefined) channelOptions['grpc.ssl_target_name_override'] = profile.hostAlias;
    client = new grpc.Client(profile.peerEndpoint, credentials, channelOptions);
  } catch (err) {
    signerHandle.close();
    throw new CredledgerError('CONFIG_INVALID', `cannot set up TLS to ${profile.peerEndpoint}`, {
      cause: err,
      details: { peerEndpoint: profile.peerEndpoint },
    });
  }

  const within = (ms: number) => (): CallOptions => ({ deadline: Date.now() + ms });
  const gateway = gatewayModule.connect({
    client,
    identity: { mspId: profile.mspId, credentials: Buffer.from(signerHandle.certificate) },
    signer: signerHandle.ledgerSigner,
    hash: gatewayModule.hash.sha256,
    ...(tlsClientCert ? { tlsClientCertificateHash: tlsCertificateHash(tlsClientCert) } : {}),
    evaluateOptions: within(deadlines.evaluateMs),
    endorseOptions: within(deadlines.endorseMs),
    submitOptions: within(deadlines.submitMs),
    commitStatusOptions: within(deadlines.commitStatusMs),
    // Filtered blocks are only read to find the outcome of a re-submitted transaction (see endorse()).
    filteredBlockEventsOptions: within(deadlines.commitStatusMs),
  });

  // The creator fabric-gateway puts in every request it signs: the MSP id and the certificate.
  const creator = new protos.msp.SerializedIdentity();
  creator.setMspid(profile.mspId);
  creator.setIdBytes(signerHandle.certificate);
  const creatorBytes = creator.serializeBinary();
  /**
   * Commit status by transaction id, for a transaction whose send failed (so fabric-gateway handed back
   * no `Commit` for it): the same signed CommitStatusRequest that `Transaction.submit()` would build.
   */
  const lookUpCommitStatus: CommitStatusLookup = (txId, waitMs) => {
    const request = new protos.gateway.CommitStatusRequest();
    request.setChannelId(profile.channel);
    request.setTransactionId(txId);
    request.setIdentity(creatorBytes);
    const signed = new protos.gateway.SignedCommitStatusRequest();
    signed.setRequest(request.serializeBinary());
    return gateway.newCommit(signed.serializeBinary()).getStatus({ deadline: Date.now() + waitMs });
  };

  return new FabricGatewayLedger({
    profile,
    ordering,
    lookUpCommitStatus,
    identity: { mspId: profile.mspId, certificate: signerHandle.certificate },
    gateway,
    idempotent: new Set([...idempotentByDesign, ...(options.idempotentTransactions ?? [])]),
    commitError: (status) =>
      new gatewayModule.CommitError({
        code: status.code,
        transactionId: status.transactionId,
        message: `Transaction ${status.transactionId} failed to commit with status code ${String(status.code)} (${txValidationCodes[status.code] ?? 'UNKNOWN'})`,
      }),
    mvccRetries,
    ...(options.endorsingOrganizations === undefined
      ? {}
      : { endorsingOrganizations: [...options.endorsingOrganizations] }),
    close: () => {
      gateway.close();
      client.close();
      signerHandle.close();
    },
  });
}

interface FabricGatewayLedgerParts {
  readonly profile: FabricConnectionProfile;
  readonly identity: LedgerIdentity;
  readonly gateway: Gateway;
  readonly idempotent: ReadonlySet<TransactionName>;
  readonly mvccRetries: number;
  readonly ordering: OrderingRetryPolicy;
  readonly lookUpCommitStatus: CommitStatusLookup;
  readonly endorsingOrganizations?: string[];
  /** fabric-gateway's own error for a transaction that committed invalid (what `submitTransaction` throws). */
  readonly commitError: (status: Status) => CommitError;
  readonly close: () => void;
}

class FabricGatewayLedger implements FabricLedger {
  readonly identity: LedgerIdentity;
  readonly #parts: FabricGatewayLedgerParts;
  readonly #network: Network;
  readonly #contract: Contract;
  #closed = false;

  constructor(parts: FabricGatewayLedgerParts) {
    this.#parts = parts;
    this.identity = parts.identity;
    this.#network = parts.gateway.getNetwork(parts.profile.channel);
    // Transaction names already carry `Contract:` when they need one (TransactionName).
    this.#contract = this.#network.getContract(parts.profile.chaincode);
  }

  async evaluate(name: TransactionName, ...args: string[]): Promise<Uint8Array> {
    this.#assertOpen();
    try {
      return await this.#contract.evaluate(name, { arguments: args });
    } catch (err) {
      throw fromLedgerError(err, { transaction: name });
    }
  }

  submit(name: TransactionName, ...args: string[]): Promise<Committed> {
    return this.#submitWithRetries(name, args, this.#parts.idempotent.has(name));
  }

  submitIdempotent(name: TransactionName, ...args: string[]): Promise<Committed> {
    return this.#submitWithRetries(name, args, true);
  }

  async #submitWithRetries(name: TransactionName, args: readonly string[], idempotent: boolean): Promise<Committed> {
    this.#assertOpen();
    const attempts = idempotent ? this.#parts.mvccRetries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#submitOnce(name, args);
      } catch (err) {
        // An MVCC-invalid transaction changed nothing, so running it again cannot apply it twice.
        if (err instanceof CredledgerError && err.code === 'MVCC_CONFLICT' && attempt < attempts) {
          await delay(Math.floor(Math.random() * 50 * attempt));
          continue;
        }
        if (err instanceof CredledgerError && err.code === 'MVCC_CONFLICT' && idempotent) {
          throw new CredledgerError(err.code, `${err.message} (gave up after ${String(attempt)} attempts)`, {
            cause: err.cause,
            details: { ...err.details, attempts: attempt },
          });
        }
        throw err;
      }
    }
  }

  async #submitOnce(name: TransactionName, args: readonly string[]): Promise<Committed> {
    let txId: string | undefined;
    try {
      const proposal = this.#contract.newProposal(name, { arguments: [...args], ...this.#endorsingOptions() });
      const transaction = await proposal.endorse();
      txId = transaction.getTransactionId();
      const payload = transaction.getResult();
      const status = await this.#order(transaction);
      if (!status.successful) throw this.#parts.commitError(status);
      return { txId: status.transactionId, blockNumber: status.blockNumber, payload };
    } catch (err) {
      throw fromLedgerError(err, { transaction: name, ...(txId === undefined ? {} : { txId }) });
    }
  }

  async endorse(name: TransactionName, ...args: string[]): Promise<FabricEndorsedTransaction> {
    this.#assertOpen();
    let transaction: Awaited<ReturnType<ReturnType<Contract['newProposal']>['endorse']>>;
    try {
      transaction = await this.#contract.newProposal(name, { arguments: args, ...this.#endorsingOptions() }).endorse();
    } catch (err) {
      throw fromLedgerError(err, { transaction: name });
    }
    const txId = transaction.getTransactionId();
    const result = transaction.getResult();
    const commitError = this.#parts.commitError;
    const network = this.#network;
    const order = (tx: Transaction): Promise<Status> => this.#order(tx);
    /** The block of the first submission's commit, once its status is known. */
    let firstCommit: bigint | undefined;
    return {
      txId,
      result,
      async submit(): Promise<Committed> {
        try {
          if (firstCommit !== undefined) return await resubmit(firstCommit);
          const status = await order(transaction);
          firstCommit = status.blockNumber;
          if (!status.successful) throw commitError(status);
          return { txId, blockNumber: status.blockNumber, payload: result };
        } catch (err) {
          throw fromLedgerError(err, { transaction: name, txId });
        }
      },
    };

    /**
     * The same envelope again. The committer records it in a later block as DUPLICATE_TXID, but the
     * Gateway's commit status looks the transaction id up in the block index, which keeps the first
     * occurrence, so it would report the first outcome. This submission's own outcome is read from
     * the filtered blocks after the first commit instead.
     */
    async function resubmit(after: bigint): Promise<Committed> {
      const blocks = await network.getFilteredBlockEvents({ startBlock: after + 1n });
      try {
        await transaction.submit();
        for await (const block of blocks) {
          const found = block.getFilteredTransactionsList().find((tx) => tx.getTxid() === txId);
          if (found === undefined) continue;
          const code = found.getTxValidationCode();
          const blockNumber = BigInt(block.getNumber());
          if (code !== 0) throw commitError({ code, transactionId: txId, blockNumber, successful: false });
          return { txId, blockNumber, payload: result };
        }
        throw new CredledgerError(
          'LEDGER_UNAVAILABLE',
          `the block events ended before transaction ${txId} was committed again`,
        );
      } finally {
        blocks.close();
      }
    }
  }

  /** Orders an endorsed transaction and waits for its commit, through passing ordering failures. */
  #order(transaction: Transaction): Promise<Status> {
    // A connection closed while the loop waits ends it (LEDGER_UNAVAILABLE, not retried) instead of
    // sending on a closed channel until the budget is spent.
    const whileOpen = {
      getTransactionId: () => transaction.getTransactionId(),
      submit: () => {
        this.#assertOpen();
        return transaction.submit();
      },
    };
    const lookUp: CommitStatusLookup = (txId, waitMs) => {
      this.#assertOpen();
      return this.#parts.lookUpCommitStatus(txId, waitMs);
    };
    return orderTransaction(whileOpen, lookUp, this.#parts.ordering);
  }

  #endorsingOptions(): { endorsingOrganizations?: string[] } {
    const orgs = this.#parts.endorsingOrganizations;
    return orgs === undefined ? {} : { endorsingOrganizations: [...orgs] };
  }

  async *events(options: FabricEventsOptions = {}): AsyncGenerator<LedgerEvent> {
    this.#assertOpen();
    const { signal, checkpointer } = options;
    if (signal?.aborted) return;
    const start = startingPoint(options);
    let stream: Awaited<ReturnType<Network['getChaincodeEvents']>>;
    try {
      stream = await this.#network.getChaincodeEvents(
        this.#parts.profile.chaincode,
        start === undefined ? {} : { checkpoint: start },
      );
    } catch (err) {
      throw fromLedgerError(err, { transaction: 'ChaincodeEvents' });
    }
    const stop = (): void => {
      stream.close();
    };
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const iterator = stream[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<ChaincodeEvent>;
        try {
          next = await iterator.next();
        } catch (err) {
          // Closing the stream on abort ends it with CANCELLED; that is the requested end, not a failure.
          if (signal?.aborted) return;
          throw fromLedgerError(err, { transaction: 'ChaincodeEvents' });
        }
        if (next.done) return;
        const event = next.value;
        yield {
          blockNumber: event.blockNumber,
          txId: event.transactionId,
          chaincodeName: event.chaincodeName,
          eventName: event.eventName,
          payload: event.payload,
        };
        // Reached only when the consumer asks for the next event: this one is processed.
        await checkpointer?.checkpointChaincodeEvent(event);
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      stream.close();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#parts.close();
    await Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new CredledgerError('LEDGER_UNAVAILABLE', 'this Fabric ledger connection is closed');
  }
}

/** The resume point: a checkpointer's stored position wins over `startBlock`/`afterTxId`. */
function startingPoint(options: FabricEventsOptions): Checkpoint | undefined {
  const stored = options.checkpointer?.getBlockNumber();
  if (stored !== undefined) {
    const txId = options.checkpointer?.getTransactionId();
    return { getBlockNumber: () => stored, getTransactionId: () => txId };
  }
  if (options.startBlock === undefined && options.afterTxId === undefined) return undefined;
  const { startBlock, afterTxId } = options;
  return { getBlockNumber: () => startBlock, getTransactionId: () => afterTxId };
}

/** The Gateway binds a mutual-TLS client to its certificate: SHA-256 of the DER bytes. */
function tlsCertificateHash(pem: Buffer): Uint8Array {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest();
}

async function readFileOrFail(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new CredledgerError('FILE_NOT_FOUND', `cannot read the ${what} ${path}`, { cause: err, details: { path } });
  }
}
