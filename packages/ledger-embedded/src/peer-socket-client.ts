/**
 * The client's side of the peer socket: an embedded network whose ledger another process holds, reached
 * through that process (peer-socket-server.ts). It is the same `EmbeddedNetwork` / `EmbeddedLedger` as
 * the in-process one — the same calls, the same errors through `fromLedgerError` — so nothing above the
 * ledger knows which it has. Proposals, transactions and event requests are built and signed here with
 * the identity's own key from the ledger folder's `msp/`, as a Fabric client signs for its Gateway.
 */
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { CredledgerError } from '@credledger/verify';
import { grpcStatus } from '@credledger/ledger/backend';
import {
  fromLedgerError,
  type CertificateRequest,
  type ChainVerification,
  type Committed,
  type EmbeddedIdentityInfo,
  type EmbeddedLedger,
  type EmbeddedNetwork,
  type EndorsedTransaction,
  type EventsOptions,
  type IdentityKeyProtection,
  type LedgerEvent,
  type SignerIdentity,
} from '@credledger/ledger';
import { certifyPublicKey, loadOrCreateOrgs, storedUsers, type LocalIdentity } from './local-ca.js';
import { OrgKeyrings } from './org-keyring.js';
import { callFailed, commitFailed, type CallPhase } from './errors.js';
import { encodeFrame, FrameReader } from './peer-socket-frames.js';
import {
  fromWireError,
  fromWireEvent,
  peerProtocolVersion,
  peerSocketPath,
  type EndorseResult,
  type HelloResult,
  type PeerReply,
  type PeerRequest,
  type SubmitResult,
} from './peer-socket-protocol.js';
import { buildSignedProposal, keyCreator, signerCreator, type Creator } from './proposal.js';
import type { FabricShim, ShimRuntime } from './shim.js';
import { signRequest } from './signed-request.js';

const VALID = 0;

/** How long a holder may take to answer the first message before it counts as not answering. */
const helloTimeoutMs = 15_000;

/** An event stream stops reading from the socket while this many events wait to be consumed. */
const pauseAt = 256;
const resumeAt = 64;

/**
 * Connects to the process that holds the ledger in `directory`, when it serves its peer socket.
 * @param runtime fabric-shim for the network reached, which then owns it (its close releases it);
 *   still the caller's when none is returned or this throws
 * @returns the network reached through it, or undefined when nothing listens there (no holder serves
 *   it, or a socket file a crashed holder left behind)
 * Fails: LEDGER_LOCKED (a holder that does not answer as one), CONFIG_INVALID (another channel or
 *   chaincode than `expect` names), KEY_STORE_ERROR (the identities in `msp/` cannot be read).
 */
export async function reachHolder(
  directory: string,
  runtime: ShimRuntime,
  expect: {
    readonly channel?: string;
    readonly chaincodeName?: string;
    readonly identityKeys?: IdentityKeyProtection;
  },
): Promise<EmbeddedNetwork | undefined> {
  const path = peerSocketPath(directory);
  const link = await PeerLink.connect(path);
  if (link === undefined) return undefined;
  try {
    let hello: HelloResult;
    try {
      hello = await greet(link);
    } catch (err) {
      throw new CredledgerError(
        'LEDGER_LOCKED',
        `ledger ${directory} is held by a process that does not answer on ${path} (${(err as Error).message})`,
        { cause: err, details: { directory, socket: path } },
      );
    }
    if (expect.channel !== undefined && expect.channel !== hello.channel)
      throw new CredledgerError(
        'CONFIG_INVALID',
        `ledger ${directory} holds channel ${hello.channel}, not ${expect.channel}`,
      );
    if (expect.chaincodeName !== undefined && expect.chaincodeName !== hello.chaincode)
      throw new CredledgerError(
        'CONFIG_INVALID',
        `ledger ${directory} runs chaincode ${hello.chaincode}, not ${expect.chaincodeName}`,
      );
    const keyrings = new OrgKeyrings(join(directory, 'msp'), expect.identityKeys);
    const specs = await Promise.all(
      hello.orgs.map(async (mspId) => ({ mspId, users: await storedUsers(keyrings.mspDir, mspId) })),
    );
    const orgs = await loadOrCreateOrgs(keyrings, specs, false);
    // The holder's identities in its order; any the folder has gained since it started, after them.
    const rank = (name: string): number => {
      const at = hello.identities.indexOf(name);
      return at < 0 ? hello.identities.length : at;
    };
    const identities = orgs.flatMap((o) => o.identities).sort((a, b) => rank(a.name) - rank(b.name));
    return new RemoteNetwork(directory, path, runtime, link, hello, identities, keyrings);
  } catch (err) {
    link.close();
    throw err;
  }
}

/** The first exchange on a connection: the holder's channel, chaincode, height and identities. */
async function greet(link: PeerLink): Promise<HelloResult> {
  const hello = (await withTimeout(
    link.call({ op: 'hello', protocol: peerProtocolVersion }),
    helloTimeoutMs,
  )) as HelloResult;
  link.holderPid = hello.pid;
  return hello;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${ms / 1000} s`));
    }, ms);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => {
    clearTimeout(timer);
  });
}

interface StreamHandlers {
  event(event: LedgerEvent): void;
  end(): void;
  error(err: unknown): void;
}

/** What a call fails with when the connection ends before its answer: a submit's outcome is then unknown. */
interface LostAs {
  readonly phase: CallPhase;
  readonly txId?: string;
}

type RequestBody = PeerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** One connection to the holder: calls matched to replies by id, and event streams. */
class PeerLink {
  holderPid = 0;
  private nextId = 1;
  private readonly reader = new FrameReader();
  private readonly calls = new Map<
    number,
    { resolve(value: unknown): void; reject(err: unknown): void; lostAs: LostAs | undefined }
  >();
  private readonly streams = new Map<number, StreamHandlers>();
  private readonly waiting = new Set<Promise<void>>();
  private ended: 'by us' | 'by the holder' | undefined;

  /** Connects to the socket at `path`; undefined when nothing accepts there. */
  static connect(path: string): Promise<PeerLink | undefined> {
    return new Promise((resolve) => {
      const socket = createConnection(path);
      const fail = (): void => {
        socket.destroy();
        resolve(undefined);
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        resolve(new PeerLink(socket));
      });
    });
  }

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      let messages: unknown[];
      try {
        messages = this.reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const message of messages) this.receive(message as PeerReply);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.lost();
    });
    // Idle, the connection does not keep Node running, as an idle in-process ledger does not.
    socket.unref();
  }

  /** Sends a request; resolves with its result, rejects with its error (as the in-process peer throws it). */
  call(request: RequestBody, lostAs?: LostAs): Promise<unknown> {
    const answer = new Promise((resolve, reject) => {
      if (this.ended !== undefined) {
        reject(this.lostError(lostAs));
        return;
      }
      const id = this.nextId++;
      let frame: Buffer;
      try {
        frame = encodeFrame({ ...request, id });
      } catch (err) {
        reject(new CredledgerError('INVALID_INPUT', (err as Error).message, { cause: err }));
        return;
      }
      this.calls.set(id, { resolve, reject, lostAs });
      this.socket.ref();
      this.socket.write(frame);
    });
    const settled = answer.then(
      () => undefined,
      () => undefined,
    );
    this.waiting.add(settled);
    void settled.then(() => this.waiting.delete(settled));
    return answer;
  }

  /** Opens an event stream; its events, end or error go to `handlers`. */
  stream(request: RequestBody, handlers: StreamHandlers): void {
    if (this.ended !== undefined) {
      handlers.error(this.lostError(undefined));
      return;
    }
    const id = this.nextId++;
    this.streams.set(id, handlers);
    this.socket.write(encodeFrame({ ...request, id }));
  }

  /** True once the holder has ended the connection (it stopped, or was killed). */
  get lostHolder(): boolean {
    return this.ended === 'by the holder';
  }

  /** Stops reading (back-pressure reaches the holder through the socket); `resume` reads on. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Resolves once every call sent so far has its answer (or has failed). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.waiting]);
  }

  close(): void {
    this.ended ??= 'by us';
    this.socket.destroy();
  }

  private receive(reply: PeerReply): void {
    if ('event' in reply) {
      this.streams.get(reply.id)?.event(fromWireEvent(reply.event));
      return;
    }
    if ('end' in reply) {
      const stream = this.streams.get(reply.id);
      this.streams.delete(reply.id);
      stream?.end();
      return;
    }
    const stream = this.streams.get(reply.id);
    if (stream !== undefined) {
      this.streams.delete(reply.id);
      if ('error' in reply) stream.error(fromWireError(reply.error, this.holderPid));
      return;
    }
    const call = this.calls.get(reply.id);
    if (call === undefined) return;
    this.calls.delete(reply.id);
    if (this.calls.size === 0) this.socket.unref();
    if ('error' in reply) call.reject(fromWireError(reply.error, this.holderPid));
    else call.resolve(reply.result);
  }

  private lostError(lostAs: LostAs | undefined): Error {
    const who =
      this.holderPid === 0 ? 'the process holding the ledger' : `process ${this.holderPid}, which holds the ledger,`;
    const message = this.ended === 'by us' ? 'the ledger connection is closed' : `${who} ended the connection`;
    return callFailed(lostAs?.phase ?? 'evaluate', grpcStatus.UNAVAILABLE, message, [], { txId: lostAs?.txId });
  }

  private lost(): void {
    this.ended ??= 'by the holder';
    for (const [id, call] of this.calls) {
      this.calls.delete(id);
      call.reject(this.lostError(call.lostAs));
    }
    for (const [id, stream] of this.streams) {
      this.streams.delete(id);
      if (this.ended === 'by us') stream.end();
      else stream.error(this.lostError(undefined));
    }
  }
}

/** An embedded network held by another process and reached through its peer socket. */
class RemoteNetwork implements EmbeddedNetwork {
  readonly sharing = undefined;
  private heightSeen: bigint;
  private readonly identityByName: Map<string, LocalIdentity>;
  private readonly streams = new Set<PeerLink>();
  private closing: Promise<void> | undefined;
  private relinking: Promise<void> | undefined;
  private readonly shim: FabricShim;

  constructor(
    readonly directory: string,
    private readonly path: string,
    /** fabric-shim for this connection (to build and sign proposals): released by `close`. */
    private readonly runtime: ShimRuntime,
    private link: PeerLink,
    private hello: HelloResult,
    identities: readonly LocalIdentity[],
    private readonly keyrings: OrgKeyrings,
  ) {
    this.shim = runtime.shim;
    this.heightSeen = BigInt(hello.height);
    this.identityByName = new Map(identities.map((i) => [i.name, i]));
  }

  identities(): EmbeddedIdentityInfo[] {
    return [...this.identityByName.values()].map((i) => ({
      name: i.name,
      mspId: i.mspId,
      role: i.role,
      sealed: i.sealed,
    }));
  }

  connect(identity: string | SignerIdentity): EmbeddedLedger {
    if (typeof identity !== 'string') {
      if (![...this.identityByName.values()].some((i) => i.mspId === identity.mspId))
        throw new CredledgerError('CONFIG_INVALID', `no local organisation ${identity.mspId}`);
      return new RemoteLedger(this, signerCreator(identity));
    }
    const id = this.identityByName.get(identity);
    if (!id)
      throw new CredledgerError(
        'CONFIG_INVALID',
        `no local identity ${identity} (known: ${[...this.identityByName.keys()].join(', ')})`,
      );
    return new RemoteLedger(this, keyCreator(id));
  }

  /** The organisations' CAs are in the ledger folder, which this process may read as the holder does. */
  certify(request: CertificateRequest): Promise<string> {
    return certifyPublicKey(this.keyrings, request.mspId, request, request.publicKeyJwk);
  }

  /** The height the holder last reported (at connection, or through a commit or event seen since). */
  height(): bigint {
    return this.heightSeen;
  }

  /** Any member may ask for the check: it is signed by the first local identity. */
  async verifyChain(): Promise<ChainVerification> {
    const [signer] = [...this.identityByName.values()].sort((a, b) => a.name.localeCompare(b.name));
    if (signer === undefined) throw new CredledgerError('KEY_STORE_ERROR', `no local identity in ${this.directory}`);
    try {
      const result = (await this.call({
        op: 'verifyChain',
        request: await signRequest(this.shim, keyCreator(signer), { op: 'verifyChain' }),
      })) as { ok: boolean; blocks: string; problems: string[] };
      return { ok: result.ok, blocks: BigInt(result.blocks), problems: result.problems };
    } catch (err) {
      throw fromLedgerError(err, {});
    }
  }

  /** Waits for the calls in progress, then ends the connection and every event stream. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.link.idle();
        this.link.close();
        for (const stream of this.streams) stream.close();
      } finally {
        this.runtime.release();
      }
    })();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // --- what the ledger connections use -----------------------------------------------------------------

  async propose(creator: Creator, args: readonly string[]): Promise<{ txId: string; proposal: string }> {
    const built = await buildSignedProposal(this.shim, {
      channel: this.hello.channel,
      chaincode: this.hello.chaincode,
      creator,
      args,
    });
    return { txId: built.txId, proposal: Buffer.from(built.bytes).toString('base64') };
  }

  async call(request: RequestBody, lostAs?: LostAs): Promise<unknown> {
    if (this.closing !== undefined) throw callFailed('evaluate', grpcStatus.UNAVAILABLE, 'embedded ledger is closed');
    if (this.link.lostHolder) await this.relink();
    return this.link.call(request, lostAs);
  }

  /**
   * After the holder went away, connects to whichever process serves the ledger now (a restarted
   * `serve`), as a Gateway client's channel reconnects to a restarted peer. When none does, calls keep
   * failing LEDGER_UNAVAILABLE.
   */
  private relink(): Promise<void> {
    this.relinking ??= (async () => {
      const link = await PeerLink.connect(this.path);
      if (link === undefined) return;
      try {
        const hello = await greet(link);
        if (hello.channel !== this.hello.channel || hello.chaincode !== this.hello.chaincode)
          throw new Error('another channel or chaincode');
        this.link = link;
        this.hello = hello;
      } catch {
        link.close();
      }
    })().finally(() => {
      this.relinking = undefined;
    });
    return this.relinking;
  }

  saw(blockNumber: bigint): void {
    if (blockNumber + 1n > this.heightSeen) this.heightSeen = blockNumber + 1n;
  }

  /** Chaincode events on a connection of their own, so a slow reader holds back nothing else. */
  async *events(signer: Creator, options: EventsOptions): AsyncGenerator<LedgerEvent> {
    const { signal } = options;
    if (signal?.aborted || this.closing !== undefined) return;
    const link = await PeerLink.connect(this.path);
    if (link === undefined)
      throw fromLedgerError(callFailed('evaluate', grpcStatus.UNAVAILABLE, 'the process holding the ledger is gone'));
    link.holderPid = this.hello.pid;
    this.streams.add(link);
    const queue: LedgerEvent[] = [];
    // Set by the stream's handlers while this generator waits.
    const state: { ended: boolean; failure?: unknown } = { ended: false };
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const waiting = wake;
      wake = undefined;
      waiting?.();
    };
    signal?.addEventListener('abort', notify);
    try {
      const request = await signRequest(this.shim, signer, {
        op: 'events',
        ...(options.startBlock === undefined ? {} : { startBlock: options.startBlock.toString() }),
        ...(options.afterTxId === undefined ? {} : { afterTxId: options.afterTxId }),
      });
      link.stream(
        { op: 'events', request },
        {
          event: (event) => {
            queue.push(event);
            if (queue.length >= pauseAt) link.pause();
            notify();
          },
          end: () => {
            state.ended = true;
            notify();
          },
          error: (err) => {
            state.failure = err;
            notify();
          },
        },
      );
      for (;;) {
        if (signal?.aborted) return;
        const next = queue.shift();
        if (next !== undefined) {
          if (queue.length < resumeAt) link.resume();
          this.saw(next.blockNumber);
          yield next;
          continue;
        }
        if (state.failure !== undefined) throw fromLedgerError(state.failure, {});
        if (state.ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      signal?.removeEventListener('abort', notify);
      this.streams.delete(link);
      link.close();
    }
  }
}

/** A connection acting as one local identity, through the holder's peer. */
class RemoteLedger implements EmbeddedLedger {
  readonly identity: { mspId: string; certificate: string };
  private closed = false;

  constructor(
    private readonly network: RemoteNetwork,
    private readonly id: Creator,
  ) {
    this.identity = { mspId: id.mspId, certificate: id.certificate };
  }

  private open(): void {
    if (this.closed) throw new CredledgerError('LEDGER_UNAVAILABLE', 'ledger connection is closed');
  }

  async evaluate(name: string, ...args: string[]): Promise<Uint8Array> {
    this.open();
    const { proposal } = await this.network.propose(this.id, [name, ...args]);
    try {
      const { payload } = (await this.network.call({ op: 'evaluate', proposal })) as { payload: string };
      return new Uint8Array(Buffer.from(payload, 'base64'));
    } catch (err) {
      throw fromLedgerError(err, { transaction: name });
    }
  }

  async endorse(name: string, ...args: string[]): Promise<EndorsedTransaction> {
    this.open();
    const { txId, proposal } = await this.network.propose(this.id, [name, ...args]);
    let endorsed: EndorseResult;
    try {
      endorsed = (await this.network.call({ op: 'endorse', proposal })) as EndorseResult;
    } catch (err) {
      throw fromLedgerError(err, { transaction: name, txId });
    }
    if (endorsed.txId !== txId)
      throw new CredledgerError(
        'LEDGER_UNAVAILABLE',
        `the ledger's holder endorsed ${endorsed.txId} for proposal ${txId}`,
      );
    const payload = new Uint8Array(Buffer.from(endorsed.payload, 'base64'));
    const { network, id } = this;
    return {
      txId,
      result: payload,
      async submit(): Promise<Committed> {
        // The creator signs the prepared transaction, as a Fabric client signs the envelope it submits.
        const signature = Buffer.from(await id.sign(Buffer.from(endorsed.transaction, 'base64'))).toString('base64');
        try {
          const status = (await network.call(
            { op: 'submit', txId, signature },
            { phase: 'commitStatus', txId },
          )) as SubmitResult;
          const blockNumber = BigInt(status.blockNumber);
          network.saw(blockNumber);
          if (status.code !== VALID) throw commitFailed(status.code, txId);
          return { txId, blockNumber, payload };
        } catch (err) {
          throw fromLedgerError(err, { transaction: name, txId });
        }
      },
    };
  }

  async submit(name: string, ...args: string[]): Promise<Committed> {
    const endorsed = await this.endorse(name, ...args);
    return endorsed.submit();
  }

  events(options: EventsOptions = {}): AsyncIterable<LedgerEvent> {
    this.open();
    return this.network.events(this.id, options);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
