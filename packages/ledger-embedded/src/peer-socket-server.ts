/**
 * The holder's side of the peer socket: while a long-running process (`credledger serve`) holds an
 * embedded ledger, other processes of the same user reach its peer through a Unix socket in the ledger
 * folder instead of failing with LEDGER_LOCKED. The socket carries what a Fabric Gateway carries —
 * signed proposals, signed transactions, signed event requests — and the peer checks each as it checks
 * its own clients' (creator issued by a channel member's CA, signature valid), so the chaincode's access
 * control and the audit trail are those of the client's identity.
 */
import { verify, type KeyObject } from 'node:crypto';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { ChainVerification, EventsOptions, LedgerEvent } from '@credledger/ledger';
import { grpcStatus } from '@credledger/ledger/backend';
import { callFailed } from './errors.js';
import { encodeFrame, FrameReader } from './peer-socket-frames.js';
import {
  peerProtocolVersion,
  peerSocketPath,
  toWireError,
  toWireEvent,
  type EndorseResult,
  type HelloResult,
  type SubmitResult,
} from './peer-socket-protocol.js';
import { ProposalRejected, type CreatorVerifier } from './proposal.js';
import { checkSignedRequest } from './signed-request.js';
import type { FabricShim } from './shim.js';
import { encodeEnvelope, type TxEnvelope } from './store.js';

/** What the socket needs of the peer that holds the ledger. */
export interface PeerHost {
  readonly shim: FabricShim;
  readonly channel: string;
  readonly chaincode: string;
  /** The channel's organisations' CAs, which creators must chain to. */
  verifier(): CreatorVerifier;
  mspIds(): string[];
  /** Local identity names (`MspId/user`). */
  identities(): string[];
  height(): bigint;
  /** Checks and simulates a SignedProposal on the creator's organisation's peer. */
  endorse(
    proposal: Uint8Array,
    purpose: 'evaluate' | 'endorse',
  ): Promise<{ txId: string; envelope: TxEnvelope; payload: Uint8Array; creatorKey: KeyObject }>;
  order(envelope: TxEnvelope): Promise<{ blockNumber: number; code: number }>;
  events(options: EventsOptions): AsyncIterable<LedgerEvent>;
  verifyChain(): Promise<ChainVerification>;
}

/** A listening peer socket. */
export interface PeerSocketServer {
  readonly path: string;
  /** Stops accepting, ends event streams, lets calls in progress answer, then removes the socket file. */
  close(): Promise<void>;
}

/** A Unix socket address holds a path of 108 bytes on Linux (104 on macOS and the BSDs), its NUL included. */
const maxSocketPathBytes = process.platform === 'linux' ? 107 : 103;

/** Transactions endorsed on one connection and kept for a resubmission (which then gets DUPLICATE_TXID). */
const keptEndorsements = 10_000;

/**
 * Listens on the ledger folder's peer socket. Only the process holding the ledger calls this, so a
 * socket file already there is a crashed holder's and is replaced.
 * Fails for a path longer than a socket address holds, or with the listen error.
 */
export async function servePeerSocket(host: PeerHost, ledgerDirectory: string): Promise<PeerSocketServer> {
  const path = peerSocketPath(ledgerDirectory);
  const bytes = Buffer.byteLength(path);
  if (bytes > maxSocketPathBytes)
    throw new Error(
      `its socket path ${path} is ${bytes} bytes, longer than a socket address holds (${maxSocketPathBytes}); a workspace in a shorter path can be shared`,
    );
  const folder = dirname(path);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  // The folder, not the socket's own mode, is what keeps others out between listen() and chmod().
  await chmod(folder, 0o700);
  await rm(path, { force: true });
  const connections = new Set<PeerConnection>();
  const server: Server = createServer((socket) => {
    const connection = new PeerConnection(host, socket, () => connections.delete(connection));
    connections.add(connection);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(path, 0o600);
  let closing: Promise<void> | undefined;
  return {
    path,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        });
        await Promise.all([...connections].map((c) => c.close()));
        await stopped;
        // server.close() unlinks the socket file; a crashed holder's stays until the next holder starts.
        await rm(path, { force: true });
      })();
      return closing;
    },
  };
}

/** One client connection: its requests in flight, its event streams, its endorsed transactions. */
class PeerConnection {
  private readonly reader = new FrameReader();
  private readonly streams = new Map<number, AbortController>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly endorsed = new Map<string, { envelope: TxEnvelope; bytes: Buffer; creatorKey: KeyObject }>();
  private closing = false;

  constructor(
    private readonly host: PeerHost,
    private readonly socket: Socket,
    private readonly onClose: () => void,
  ) {
    socket.on('data', (chunk: Buffer) => {
      let messages: unknown[];
      try {
        messages = this.reader.push(chunk);
      } catch {
        // A stream that is not frames cannot be answered: whatever it meant, it ends here.
        socket.destroy();
        return;
      }
      for (const message of messages) this.dispatch(message);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      for (const stream of this.streams.values()) stream.abort();
      this.endorsed.clear();
      this.onClose();
    });
  }

  /** Ends the connection after the calls in progress have answered. */
  async close(): Promise<void> {
    this.closing = true;
    for (const stream of this.streams.values()) stream.abort();
    await Promise.allSettled([...this.inFlight]);
    await new Promise<void>((resolve) => {
      if (this.socket.destroyed) resolve();
      else {
        this.socket.once('close', () => {
          resolve();
        });
        // Once the last replies are flushed: a client that never ends its side does not hold the holder up.
        this.socket.end(() => this.socket.destroy());
      }
    });
  }

  /** Writes a reply; waits while the client has not read what was sent (an event stream's back-pressure). */
  private async send(message: unknown): Promise<void> {
    if (this.socket.destroyed) return;
    if (this.socket.write(encodeFrame(message))) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private dispatch(message: unknown): void {
    const { id, op } = (message ?? {}) as { id?: unknown; op?: unknown };
    if (typeof id !== 'number' || typeof op !== 'string') {
      this.socket.destroy();
      return;
    }
    const call = this.answer(id, op, message as Record<string, unknown>).then(
      (result) => (result === undefined ? undefined : this.send({ id, result })),
      (err: unknown) => this.send({ id, error: toWireError(err) }),
    );
    this.inFlight.add(call);
    void call.finally(() => this.inFlight.delete(call));
  }

  /** Runs one request; resolves with its result, or undefined when it answered itself (a stream). */
  private async answer(id: number, op: string, message: Record<string, unknown>): Promise<unknown> {
    if (this.closing) throw callFailed('evaluate', grpcStatus.UNAVAILABLE, 'the ledger is closing');
    switch (op) {
      case 'hello':
        return this.hello(message.protocol);
      case 'evaluate': {
        const { payload } = await this.host.endorse(base64Field(message.proposal), 'evaluate');
        return { payload: Buffer.from(payload).toString('base64') };
      }
      case 'endorse':
        return this.endorse(base64Field(message.proposal));
      case 'submit':
        return this.submit(message.txId, message.signature);
      case 'events':
        await this.events(id, message.request);
        return undefined;
      case 'verifyChain': {
        this.checkRequest(message.request, 'verifyChain');
        const result = await this.host.verifyChain();
        return { ok: result.ok, blocks: result.blocks.toString(), problems: result.problems };
      }
      default:
        throw callFailed('evaluate', grpcStatus.INVALID_ARGUMENT, `unknown request ${op}`);
    }
  }

  private hello(protocol: unknown): HelloResult {
    if (protocol !== peerProtocolVersion)
      throw callFailed(
        'evaluate',
        grpcStatus.FAILED_PRECONDITION,
        `the ledger's holder speaks peer protocol ${peerProtocolVersion}, not ${String(protocol)}`,
      );
    return {
      protocol: peerProtocolVersion,
      channel: this.host.channel,
      chaincode: this.host.chaincode,
      height: this.host.height().toString(),
      orgs: this.host.mspIds(),
      identities: this.host.identities(),
      pid: process.pid,
    };
  }

  private async endorse(proposal: Uint8Array): Promise<EndorseResult> {
    const { txId, envelope, payload, creatorKey } = await this.host.endorse(proposal, 'endorse');
    const bytes = encodeEnvelope(envelope);
    this.endorsed.set(txId, { envelope, bytes, creatorKey });
    if (this.endorsed.size > keptEndorsements) {
      const oldest = this.endorsed.keys().next().value;
      if (oldest !== undefined) this.endorsed.delete(oldest);
    }
    return {
      txId,
      payload: Buffer.from(payload).toString('base64'),
      transaction: bytes.toString('base64'),
    };
  }

  /** The orderer's checks: a transaction this connection had endorsed, signed by its creator. */
  private async submit(txId: unknown, signature: unknown): Promise<SubmitResult> {
    const refuse = (code: number, message: string): never => {
      throw callFailed('submit', code, message, [], { txId: typeof txId === 'string' ? txId : undefined });
    };
    const held = typeof txId === 'string' ? this.endorsed.get(txId) : undefined;
    if (held === undefined) return refuse(grpcStatus.ABORTED, `no transaction ${String(txId)} was endorsed here`);
    if (
      typeof signature !== 'string' ||
      !verify('sha256', held.bytes, { key: held.creatorKey, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'))
    )
      return refuse(
        grpcStatus.PERMISSION_DENIED,
        "access denied: the creator's signature over the transaction is not valid",
      );
    const status = await this.host.order(held.envelope);
    return { blockNumber: status.blockNumber.toString(), code: status.code };
  }

  private async events(id: number, request: unknown): Promise<void> {
    const { body } = this.checkRequest(request, 'events');
    const startBlock = decimalField(body.startBlock, 'startBlock');
    const afterTxId = body.afterTxId;
    if (afterTxId !== undefined && typeof afterTxId !== 'string')
      throw callFailed('evaluate', grpcStatus.INVALID_ARGUMENT, 'afterTxId must be a string');
    const controller = new AbortController();
    this.streams.set(id, controller);
    try {
      const events = this.host.events({
        signal: controller.signal,
        ...(startBlock === undefined ? {} : { startBlock }),
        ...(afterTxId === undefined ? {} : { afterTxId }),
      });
      for await (const event of events) {
        await this.send({ id, event: toWireEvent(event) });
        if (controller.signal.aborted) break;
      }
      // A stream the holder ends is a failure for its reader, as a peer that goes away is for a Fabric client.
      if (this.closing) throw callFailed('evaluate', grpcStatus.UNAVAILABLE, 'the process holding the ledger stopped');
      await this.send({ id, end: true });
    } finally {
      this.streams.delete(id);
    }
  }

  /** A signed request's checks, refused as the Gateway refuses a non-member (PERMISSION_DENIED). */
  private checkRequest(request: unknown, op: string): { mspId: string; body: Record<string, unknown> } {
    try {
      return checkSignedRequest(this.host.shim, this.host.verifier(), request, op);
    } catch (err) {
      if (err instanceof ProposalRejected) throw callFailed('evaluate', grpcStatus.PERMISSION_DENIED, err.message);
      throw err;
    }
  }
}

function base64Field(value: unknown): Uint8Array {
  if (typeof value !== 'string')
    throw callFailed('evaluate', grpcStatus.INVALID_ARGUMENT, 'the request carries no proposal');
  return Buffer.from(value, 'base64');
}

function decimalField(value: unknown, name: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    throw callFailed('evaluate', grpcStatus.INVALID_ARGUMENT, `${name} must be a block number`);
  return BigInt(value);
}
