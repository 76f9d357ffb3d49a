/**
 * An in-process fake of a peer's Gateway gRPC service (`gateway.Gateway` from
 * @hyperledger/fabric-protos) on 127.0.0.1 with TLS, so tests drive fabric-gateway's real
 * `connect()` path: real proposals, real envelopes, real gRPC status trailers.
 *
 * It answers like Fabric 2.5's gateway does (internal/pkg/gateway): chaincode failures during
 * evaluate as UNKNOWN, during endorse as ABORTED, each with `gateway.ErrorDetail`s in the
 * `grpc-status-details-bin` trailer; commit status with a TxValidationCode and block number;
 * chaincode events per block, honouring the start block and `afterTransactionId`. Its Deliver
 * service sends filtered blocks (transaction ids and validation codes). As on Fabric, a transaction
 * submitted again after its commit is recorded as DUPLICATE_TXID in a new block, while its commit
 * status stays the first one (the block index keeps the first occurrence). Submits can be made to
 * fail as ordering fails (`submitFailures`: the gateway's code and message with each orderer's
 * answer), and a commit status asked for a transaction no orderer took waits for the caller's
 * deadline, as Fabric's does. It is a fake of the peer's service, not of an ordering service: what
 * orderers do in a leader change is what the scripted failures say they do.
 */
import { webcrypto } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import { common, gateway, google, msp, orderer, peer } from '@hyperledger/fabric-protos';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/**
 * What the fake chaincode answers for one invocation: a payload; a chaincode failure (`error`, worded
 * by the peer as `chaincode response 500, <error>`, or the given per-peer `peers` messages); or the peer
 * refusing the proposal before any chaincode runs (`refused`, e.g. a creator outside the MSP).
 */
export type ChaincodeOutcome = { payload: string } | { error: string; peers?: readonly string[] } | { refused: string };

export interface Invocation {
  readonly method: 'evaluate' | 'endorse';
  readonly txId: string;
  readonly channel: string;
  readonly chaincode: string;
  readonly fn: string;
  readonly args: readonly string[];
}

export interface FakeEvent {
  readonly txId: string;
  readonly name: string;
  readonly payload: string;
}

export interface EventsRequestSeen {
  readonly startBlock: bigint | 'next-commit';
  readonly afterTransactionId: string;
}

type Method = 'evaluate' | 'endorse' | 'submit' | 'commitStatus' | 'chaincodeEvents';

/** One transaction of a filtered block: its id and validation code. */
export interface FilteredTx {
  readonly txId: string;
  readonly code: number;
}

const DUPLICATE_TXID = 9;

/** One node's account of a failure, as the gateway attaches it (`gateway.ErrorDetail`). */
export interface NodeAnswer {
  readonly address: string;
  readonly mspId: string;
  readonly message: string;
}

/**
 * A submit the fake fails as Fabric's gateway does when ordering fails: a gRPC code and message with
 * each orderer's answer. `reachedOrderer`: an orderer took the envelope before the call failed (a
 * broadcast that timed out after it was sent), so the transaction commits all the same.
 */
export interface SubmitFailure {
  readonly code: grpc.status;
  readonly message: string;
  readonly orderers?: readonly NodeAnswer[];
  readonly reachedOrderer?: boolean;
}

export const PEER_ADDRESS = 'peer0.fake.credledger.example:7051';
export const PEER_MSP = 'MojMSP';
export const HOST_ALIAS = 'peer0.fake.credledger.example';

/** Self-signed EC P-256 certificate + PKCS#8 key, PEM. */
export async function selfSigned(
  subject: string,
  names: { dns?: string[]; ip?: string[] } = {},
): Promise<{ cert: string; key: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(true, undefined, true)];
  const alt = [
    ...(names.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(names.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (alt.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(alt));
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 24 * 3600_000),
    signingAlgorithm: algorithm,
    keys,
    extensions,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
  return { cert: certificate.toString('pem'), key };
}

export class FakeGateway {
  /** Decides each evaluate/endorse. Default: echo `fn(args)` as the payload. */
  chaincode: (invocation: Invocation) => ChaincodeOutcome = (inv) => ({ payload: `${inv.fn}(${inv.args.join(',')})` });
  /** Validation codes handed out by commitStatus, in order; VALID (0) once empty. */
  readonly commitCodes: number[] = [];
  /** Methods that never answer (to exercise deadlines). */
  readonly hang = new Set<Method>();
  /**
   * When set, commit-status calls are held until this many wait, then all are answered together: a
   * client that keeps fewer transactions in flight never gets an answer. `commitReleases` records
   * how many were waiting at each release.
   */
  commitBarrier: number | undefined;
  readonly commitReleases: number[] = [];
  #heldCommits: Array<() => void> = [];
  readonly invocations: Invocation[] = [];
  /** The `endorsingOrganizations` of each endorse request (empty: the Gateway's own plan). */
  readonly endorsingOrganizations: string[][] = [];
  readonly submitted: string[] = [];
  /** Answers for the next submits, in order; a submit finding none succeeds. */
  readonly submitFailures: SubmitFailure[] = [];
  /**
   * Submits (after any `submitFailures`) that succeed but never commit: an orderer took them and was
   * stopped before cutting them into a block. Their commit status waits for the caller's deadline.
   */
  lostSubmits = 0;
  /** The signed envelope of every submit call, failed or not, as it arrived. */
  readonly submittedEnvelopes: Buffer[] = [];
  /** Every commit status request: the transaction id and the MSP id of the identity that asked. */
  readonly commitStatusRequests: Array<{ readonly txId: string; readonly mspId: string }> = [];
  /** Filtered blocks, by number: every commit status handed out, and every duplicate submission. */
  readonly filteredBlocks = new Map<bigint, FilteredTx[]>();
  /** The start block of each filtered block events request. */
  readonly deliverRequests: bigint[] = [];
  readonly eventRequests: EventsRequestSeen[] = [];
  /** The channel's blocks that carry chaincode events. */
  readonly blocks = new Map<bigint, FakeEvent[]>();

  #server: grpc.Server | undefined;
  #nextBlock = 100n;
  #pending: Array<() => void> = [];
  #streams = new Set<
    grpc.ServerWritableStream<gateway.SignedChaincodeEventsRequest, gateway.ChaincodeEventsResponse>
  >();
  #deliverStreams = new Set<grpc.ServerDuplexStream<common.Envelope, peer.DeliverResponse>>();
  /** The first commit status of each transaction id, as Fabric's block index keeps it. */
  #statuses = new Map<string, { code: number; block: bigint }>();

  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly tlsRootCertPath: string,
  ) {}

  /** Starts the fake with fresh TLS material; `profile()` points a client at it. */
  static async start(): Promise<FakeGateway> {
    const dir = await mkdtemp(join(tmpdir(), 'credledger-fake-gateway-'));
    const tls = await selfSigned(`CN=${HOST_ALIAS}`, { dns: [HOST_ALIAS], ip: ['127.0.0.1'] });
    const tlsRootCertPath = join(dir, 'tls-ca.pem');
    await writeFile(tlsRootCertPath, tls.cert);
    const client = await selfSigned('CN=operator1,OU=client,O=MojMSP');
    await writeFile(join(dir, 'cert.pem'), client.cert);
    await writeFile(join(dir, 'key.pem'), client.key);

    const server = new grpc.Server();
    const credentials = grpc.ServerCredentials.createSsl(
      null,
      [{ private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) }],
      false,
    );
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', credentials, (err, bound) => {
        if (err) reject(err);
        else resolve(bound);
      });
    });
    const fake = new FakeGateway(port, dir, tlsRootCertPath);
    fake.#server = server;
    server.addService(gateway.GatewayService, fake.#handlers());
    server.addService(peer.DeliverService, fake.#deliverHandlers());
    return fake;
  }

  /** A connection profile object for the sdk (paths inside this fake's temp dir). */
  profile(): {
    mspId: string;
    peerEndpoint: string;
    tlsRootCertPath: string;
    hostAlias: string;
    identity: { certPath: string; keyPath: string };
    channel: string;
    chaincode: string;
  } {
    return {
      mspId: 'MojMSP',
      peerEndpoint: `127.0.0.1:${String(this.port)}`,
      tlsRootCertPath: this.tlsRootCertPath,
      hostAlias: HOST_ALIAS,
      identity: { certPath: join(this.dir, 'cert.pem'), keyPath: join(this.dir, 'key.pem') },
      channel: 'credentials',
      chaincode: 'credledger',
    };
  }

  /** Appends a block with these events and sends it to open event streams. */
  addBlock(blockNumber: bigint, events: FakeEvent[]): void {
    this.blocks.set(blockNumber, events);
    for (const stream of this.#streams) stream.write(eventsResponse(blockNumber, events));
  }

  /** Stops (if a test has not already) and removes the fake's temp folder. */
  async dispose(): Promise<void> {
    this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Stops at once, dropping open calls: clients see UNAVAILABLE afterwards. */
  stop(): void {
    for (const release of this.#pending) release();
    this.#pending = [];
    this.#heldCommits = [];
    for (const stream of this.#streams) stream.destroy();
    this.#streams.clear();
    for (const stream of this.#deliverStreams) stream.destroy();
    this.#deliverStreams.clear();
    this.#server?.forceShutdown();
    this.#server = undefined;
  }

  #handlers(): grpc.UntypedServiceImplementation {
    // A call that must never answer: kept until stop() so the server can be torn down.
    const park = (): void => {
      this.#pending.push(() => undefined);
    };
    return {
      evaluate: (
        call: grpc.ServerUnaryCall<gateway.EvaluateRequest, gateway.EvaluateResponse>,
        callback: grpc.sendUnaryData<gateway.EvaluateResponse>,
      ) => {
        if (this.hang.has('evaluate')) {
          park();
          return;
        }
        const invocation = this.#record('evaluate', call.request.getProposedTransaction());
        const outcome = this.chaincode(invocation);
        if ('refused' in outcome) {
          callback(
            gatewayFailure(grpc.status.UNKNOWN, `evaluate call to endorser returned error: ${outcome.refused}`, [
              outcome.refused,
            ]),
          );
          return;
        }
        if ('error' in outcome) {
          const message = `chaincode response 500, ${outcome.error}`;
          callback(
            gatewayFailure(grpc.status.UNKNOWN, `evaluate call to endorser returned error: ${message}`, [message]),
          );
          return;
        }
        const response = new gateway.EvaluateResponse();
        response.setResult(chaincodeResponse(outcome.payload));
        callback(null, response);
      },
      endorse: (
        call: grpc.ServerUnaryCall<gateway.EndorseRequest, gateway.EndorseResponse>,
        callback: grpc.sendUnaryData<gateway.EndorseResponse>,
      ) => {
        if (this.hang.has('endorse')) {
          park();
          return;
        }
        const invocation = this.#record('endorse', call.request.getProposedTransaction());
        this.endorsingOrganizations.push(call.request.getEndorsingOrganizationsList());
        const outcome = this.chaincode(invocation);
        if ('refused' in outcome) {
          callback(
            gatewayFailure(grpc.status.ABORTED, 'failed to endorse transaction, see attached details for more info', [
              outcome.refused,
            ]),
          );
          return;
        }
        if ('error' in outcome) {
          const peers = outcome.peers ?? [`chaincode response 500, ${outcome.error}`];
          callback(
            gatewayFailure(
              grpc.status.ABORTED,
              'failed to endorse transaction, see attached details for more info',
              peers,
            ),
          );
          return;
        }
        const response = new gateway.EndorseResponse();
        response.setPreparedTransaction(endorsedEnvelope(invocation, outcome.payload));
        callback(null, response);
      },
      submit: (
        call: grpc.ServerUnaryCall<gateway.SubmitRequest, gateway.SubmitResponse>,
        callback: grpc.sendUnaryData<gateway.SubmitResponse>,
      ) => {
        if (this.hang.has('submit')) {
          park();
          return;
        }
        const txId = call.request.getTransactionId();
        this.submittedEnvelopes.push(Buffer.from(call.request.getPreparedTransaction()?.serializeBinary() ?? []));
        const failure = this.submitFailures.shift();
        if (failure !== undefined) {
          if (failure.reachedOrderer === true) this.submitted.push(txId);
          callback(nodeFailure(failure.code, failure.message, failure.orderers ?? []));
          return;
        }
        if (this.lostSubmits > 0) {
          this.lostSubmits -= 1;
          callback(null, new gateway.SubmitResponse());
          return;
        }
        this.submitted.push(txId);
        // The committer finds the transaction id in the ledger already: DUPLICATE_TXID in a new block.
        if (this.#statuses.has(txId)) this.#addFilteredBlock(this.#nextBlock++, [{ txId, code: DUPLICATE_TXID }]);
        callback(null, new gateway.SubmitResponse());
      },
      commitStatus: (
        call: grpc.ServerUnaryCall<gateway.SignedCommitStatusRequest, gateway.CommitStatusResponse>,
        callback: grpc.sendUnaryData<gateway.CommitStatusResponse>,
      ) => {
        if (this.hang.has('commitStatus')) {
          park();
          return;
        }
        const request = gateway.CommitStatusRequest.deserializeBinary(call.request.getRequest_asU8());
        this.commitStatusRequests.push({
          txId: request.getTransactionId(),
          mspId: msp.SerializedIdentity.deserializeBinary(request.getIdentity_asU8()).getMspid(),
        });
        if (!this.submitted.includes(request.getTransactionId())) {
          // Fabric's gateway waits for a transaction it has not seen committed, until the caller's deadline.
          park();
          return;
        }
        const answer = (): void => {
          const txId = request.getTransactionId();
          let status = this.#statuses.get(txId);
          if (status === undefined) {
            status = { code: this.commitCodes.shift() ?? 0, block: this.#nextBlock++ };
            this.#statuses.set(txId, status);
            this.#addFilteredBlock(status.block, [{ txId, code: status.code }]);
          }
          const response = new gateway.CommitStatusResponse();
          response.setResult(status.code as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
          response.setBlockNumber(Number(status.block));
          callback(null, response);
        };
        if (this.commitBarrier === undefined) {
          answer();
          return;
        }
        this.#heldCommits.push(answer);
        if (this.#heldCommits.length >= this.commitBarrier) {
          const released = this.#heldCommits.splice(0);
          this.commitReleases.push(released.length);
          for (const release of released) release();
        }
      },
      chaincodeEvents: (
        call: grpc.ServerWritableStream<gateway.SignedChaincodeEventsRequest, gateway.ChaincodeEventsResponse>,
      ) => {
        const request = gateway.ChaincodeEventsRequest.deserializeBinary(call.request.getRequest_asU8());
        const start = request.getStartPosition();
        const startBlock = start?.hasSpecified() ? BigInt(start.getSpecified()?.getNumber() ?? 0) : 'next-commit';
        const after = request.getAfterTransactionId();
        this.eventRequests.push({ startBlock, afterTransactionId: after });
        // Fabric skips events up to and including `afterTransactionId` in the start block.
        let skipping = after !== '';
        const numbers = [...this.blocks.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        if (startBlock !== 'next-commit') {
          for (const number of numbers.filter((n) => n >= startBlock)) {
            let events = this.blocks.get(number) ?? [];
            if (skipping) {
              const index = events.findIndex((event) => event.txId === after);
              if (index >= 0) events = events.slice(index + 1);
              skipping = false;
            }
            if (events.length > 0) call.write(eventsResponse(number, events));
          }
        }
        this.#streams.add(call);
        call.on('cancelled', () => this.#streams.delete(call));
      },
    };
  }

  #addFilteredBlock(number: bigint, txs: FilteredTx[]): void {
    this.filteredBlocks.set(number, txs);
    for (const stream of this.#deliverStreams) stream.write(deliverResponse(number, txs));
  }

  #deliverHandlers(): grpc.UntypedServiceImplementation {
    const unimplemented = (call: grpc.ServerDuplexStream<common.Envelope, peer.DeliverResponse>): void => {
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'the fake delivers filtered blocks only' });
    };
    return {
      deliver: unimplemented,
      deliverWithPrivateData: unimplemented,
      deliverFiltered: (call: grpc.ServerDuplexStream<common.Envelope, peer.DeliverResponse>) => {
        call.once('data', (envelope: common.Envelope) => {
          const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
          const seek = orderer.SeekInfo.deserializeBinary(payload.getData_asU8());
          const start = BigInt(seek.getStart()?.getSpecified()?.getNumber() ?? 0);
          this.deliverRequests.push(start);
          const numbers = [...this.filteredBlocks.keys()]
            .filter((n) => n >= start)
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          for (const number of numbers) call.write(deliverResponse(number, this.filteredBlocks.get(number) ?? []));
          this.#deliverStreams.add(call);
        });
        call.on('cancelled', () => this.#deliverStreams.delete(call));
        call.on('end', () => this.#deliverStreams.delete(call));
      },
    };
  }

  #record(method: 'evaluate' | 'endorse', signed: peer.SignedProposal | undefined): Invocation {
    if (!signed) throw new Error('request without a proposal');
    const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
    const spec = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8()).getChaincodeSpec();
    const [fn = '', ...args] = (spec?.getInput()?.getArgsList_asU8() ?? []).map((bytes) =>
      Buffer.from(bytes).toString('utf8'),
    );
    const invocation: Invocation = {
      method,
      txId: channelHeader.getTxId(),
      channel: channelHeader.getChannelId(),
      chaincode: spec?.getChaincodeId()?.getName() ?? '',
      fn,
      args,
    };
    this.invocations.push(invocation);
    return invocation;
  }
}

function chaincodeResponse(payload: string): peer.Response {
  const response = new peer.Response();
  response.setStatus(200);
  response.setPayload(Buffer.from(payload));
  return response;
}

/** Envelope → Payload(ChannelHeader, Transaction) → … → ChaincodeAction.response, as a peer builds it. */
function endorsedEnvelope(invocation: Invocation, result: string): common.Envelope {
  const chaincodeAction = new peer.ChaincodeAction();
  chaincodeAction.setResponse(chaincodeResponse(result));
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setExtension$(chaincodeAction.serializeBinary());
  const endorsedAction = new peer.ChaincodeEndorsedAction();
  endorsedAction.setProposalResponsePayload(responsePayload.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsedAction);
  const transactionAction = new peer.TransactionAction();
  transactionAction.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.addActions(transactionAction);

  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(invocation.channel);
  channelHeader.setTxId(invocation.txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}

/** A gRPC error with the gateway's `grpc-status-details-bin` trailer (google.rpc.Status of ErrorDetail). */
function gatewayFailure(
  code: grpc.status,
  message: string,
  peerMessages: readonly string[],
): Partial<grpc.StatusObject> {
  return nodeFailure(
    code,
    message,
    peerMessages.map((said) => ({ address: PEER_ADDRESS, mspId: PEER_MSP, message: said })),
  );
}

/** A gRPC error whose trailer carries each node's answer. */
function nodeFailure(code: grpc.status, message: string, answers: readonly NodeAnswer[]): Partial<grpc.StatusObject> {
  const status = new google.rpc.Status();
  status.setCode(code);
  status.setMessage(message);
  for (const answer of answers) {
    const detail = new gateway.ErrorDetail();
    detail.setAddress(answer.address);
    detail.setMspId(answer.mspId);
    detail.setMessage(answer.message);
    const any = status.addDetails();
    // eslint-disable-next-line @typescript-eslint/no-unsafe-call -- google.protobuf.Any typings are unresolved
    any.setTypeUrl('type.googleapis.com/gateway.ErrorDetail');
    // eslint-disable-next-line @typescript-eslint/no-unsafe-call -- google.protobuf.Any typings are unresolved
    any.setValue(detail.serializeBinary());
  }
  const metadata = new grpc.Metadata();
  metadata.add('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  return { code, details: message, metadata };
}

function deliverResponse(blockNumber: bigint, txs: readonly FilteredTx[]): peer.DeliverResponse {
  const block = new peer.FilteredBlock();
  block.setChannelId('credentials');
  block.setNumber(Number(blockNumber));
  for (const { txId, code } of txs) {
    const tx = new peer.FilteredTransaction();
    tx.setTxid(txId);
    tx.setType(common.HeaderType.ENDORSER_TRANSACTION);
    tx.setTxValidationCode(code as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
    block.addFilteredTransactions(tx);
  }
  const response = new peer.DeliverResponse();
  response.setFilteredBlock(block);
  return response;
}

function eventsResponse(blockNumber: bigint, events: readonly FakeEvent[]): gateway.ChaincodeEventsResponse {
  const response = new gateway.ChaincodeEventsResponse();
  response.setBlockNumber(Number(blockNumber));
  for (const { txId, name, payload } of events) {
    const event = new peer.ChaincodeEvent();
    event.setChaincodeId('credledger');
    event.setTxId(txId);
    event.setEventName(name);
    event.setPayload(Buffer.from(payload));
    response.addEvents(event);
  }
  return response;
}
