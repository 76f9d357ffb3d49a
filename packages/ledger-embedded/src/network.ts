/**
 * The embedded network: local organisations (one peer each), an orderer that cuts blocks by count or
 * timeout, and a committer that validates each block in order and writes it as one fsynced batch.
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClassicLevel } from 'classic-level';
import { CredledgerError } from '@credledger/verify';
import {
  defaultOrgs,
  fromLedgerError,
  type CertificateRequest,
  type ChainVerification,
  type Committed,
  type EmbeddedIdentityInfo,
  type EmbeddedLedger,
  type EmbeddedNetwork,
  type EmbeddedNetworkOptions,
  type EndorsedTransaction,
  type EventsOptions,
  type LedgerEvent,
  type SignerIdentity,
} from '@credledger/ledger';
import { grpcStatus } from '@credledger/ledger/backend';
import {
  certificateFingerprint,
  certifyPublicKey,
  loadOrCreateOrgs,
  storedUsers,
  type LocalIdentity,
  type LocalOrg,
} from './local-ca.js';
import { OrgKeyrings } from './org-keyring.js';
import { callFailed, commitFailed } from './errors.js';
import { reachHolder } from './peer-socket-client.js';
import { servePeerSocket, type PeerHost, type PeerSocketServer } from './peer-socket-server.js';
import { PolicyEvaluator } from './policy.js';
import {
  buildSignedProposal,
  checkSignedProposal,
  CreatorVerifier,
  keyCreator,
  peekProposal,
  ProposalRejected,
  signerCreator,
  type Creator,
} from './proposal.js';
import { ShimRuntime, type FabricShim } from './shim.js';
import { TxSimulator } from './simulator.js';
import {
  blockKey,
  dataHash,
  decodeBlock,
  decodeConfigEnvelope,
  decodeEnvelope,
  encodeBlock,
  encodeConfigEnvelope,
  encodeEnvelopes,
  encodeFormat,
  formatKey,
  storageFormat,
  decodeState,
  decodeTxIndex,
  encodeTxIndex,
  headerHash,
  heightKey,
  metaKey,
  prefix,
  prefixEnd,
  stateKey,
  txKey,
  decodeMetadata,
  type ConfigEnvelope,
  type StoredBlock,
  type RwSet,
  type TxEnvelope,
  type Version,
} from './store.js';
import { writeBlock } from './block-ops.js';
import { Scratch } from './scratch.js';
import { validateBlock, VALID, type StateView } from './validator.js';
import { MemoryState, verifyLedger } from './verify.js';

type Db = ClassicLevel<Buffer, Buffer>;

/**
 * Events and updated keys of recent blocks kept in memory: live listeners need not re-read blocks from
 * disk, and validation knows which keys changed since a transaction's simulation snapshot.
 */
const recentBlocks = 64;

interface Chaincode {
  Invoke(stub: unknown): Promise<{ status: number; message?: string; payload?: Uint8Array }>;
}

interface Pending {
  readonly envelope: TxEnvelope;
  resolve(status: { blockNumber: number; code: number }): void;
  reject(err: unknown): void;
}

interface LedgerHead {
  height: number;
  lastHash: string;
}

export async function openNetwork(options: EmbeddedNetworkOptions): Promise<EmbeddedNetwork> {
  const directory = resolve(options.directory);
  const batchSize = options.batchSize ?? 500;
  const batchTimeoutMs = options.batchTimeoutMs ?? 0;
  const totalQueryLimit = options.totalQueryLimit ?? 100_000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new CredledgerError('CONFIG_INVALID', `batchSize must be a positive integer (got ${batchSize})`);
  if (!(batchTimeoutMs >= 0))
    throw new CredledgerError('CONFIG_INVALID', `batchTimeoutMs must be >= 0 (got ${batchTimeoutMs})`);
  if (!Number.isInteger(totalQueryLimit) || totalQueryLimit < 1)
    throw new CredledgerError('CONFIG_INVALID', `totalQueryLimit must be a positive integer`);

  const dbDir = join(directory, 'db');
  const exists = await stat(join(dbDir, 'CURRENT')).then(
    () => true,
    () => false,
  );
  if (!exists && options.create === false)
    throw new CredledgerError('LEDGER_UNAVAILABLE', `no embedded ledger in ${directory}`, { details: { directory } });
  await mkdir(directory, { recursive: true });

  // An existing ledger's LevelDB opens on libuv's pool while fabric-shim loads on this thread, the
  // larger part of an open: its open is started first and awaited after.
  const opening = openStore(directory, dbDir, exists);
  // What fabric-shim does to this process, held for this network alone: its close (or a failed open)
  // releases it.
  let runtime: ShimRuntime;
  try {
    runtime = ShimRuntime.open();
  } catch (err) {
    void opening.then((db) => (db === 'locked' ? undefined : db.close())).catch(() => undefined);
    throw err;
  }
  try {
    return await openWith(runtime, opening, directory, dbDir, options, {
      batchSize,
      batchTimeoutMs,
      totalQueryLimit,
    });
  } catch (err) {
    runtime.release();
    throw err;
  }
}

async function openWith(
  runtime: ShimRuntime,
  opening: Promise<Db | 'locked'>,
  directory: string,
  dbDir: string,
  options: EmbeddedNetworkOptions,
  limits: { batchSize: number; batchTimeoutMs: number; totalQueryLimit: number },
): Promise<EmbeddedNetwork> {
  const sharing = options.sharing ?? 'reach';
  let db = await opening;
  if (db === 'locked' && sharing !== 'serve') {
    const held = await reachHolder(directory, runtime, options);
    if (held !== undefined) return held;
    // Nothing answers on the holder's socket: it does not serve, or it has just ended. One more try tells.
    db = await openStore(directory, dbDir, true);
  }
  if (db === 'locked') {
    type Owner = { pid?: number; hostname?: string; since?: string };
    const owner = await readFile(join(directory, 'owner.json'), 'utf8').then(
      (t): Owner => JSON.parse(t) as Owner,
      (): Owner => ({}),
    );
    const who =
      owner.pid === undefined
        ? 'another process'
        : `process ${owner.pid}${owner.hostname ? ` on ${owner.hostname}` : ''}`;
    throw new CredledgerError('LEDGER_LOCKED', `ledger ${directory} is in use by ${who}`, {
      details: { directory, ...owner },
    });
  }
  const store = db;
  try {
    await writeFile(
      join(directory, 'owner.json'),
      JSON.stringify({ pid: process.pid, hostname: hostname(), since: new Date().toISOString() }) + '\n',
    );
    const network = await EmbeddedNetworkImpl.start(directory, store, runtime, options, limits);
    if (sharing !== 'reach') await network.serveOthers();
    return network;
  } catch (err) {
    await store.close().catch(() => undefined);
    await rm(join(directory, 'owner.json'), { force: true });
    throw err;
  }
}

/**
 * Opens the LevelDB store; 'locked' when another process holds it. Fails: LEDGER_UNAVAILABLE.
 * Where the store `exists`, LevelDB's open is on libuv's pool when this returns its promise: classic-level
 * is required, not imported, and it creates no folder first.
 */
async function openStore(directory: string, dbDir: string, exists: boolean): Promise<Db | 'locked'> {
  const { ClassicLevel } = createRequire(import.meta.url)('classic-level') as typeof import('classic-level');
  const db: Db = new ClassicLevel<Buffer, Buffer>(dbDir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  try {
    await db.open({ createIfMissing: !exists });
    return db;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') return 'locked';
    throw new CredledgerError('LEDGER_UNAVAILABLE', `cannot open ledger ${directory}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

class EmbeddedNetworkImpl implements EmbeddedNetwork {
  private head: LedgerHead = { height: 0, lastHash: '' };
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The cut scheduled for when the current turn of the event loop ends (batch timeout 0). */
  private idleCut: NodeJS.Immediate | undefined;
  /** Blocks cut and not yet committed. */
  private committing = 0;
  private commitChain: Promise<void> = Promise.resolve();
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly heightWaiters = new Set<() => void>();
  private readonly recent = new Map<number, LedgerEvent[]>();
  /** Keys each recent block updated (valid writes, deletes and metadata changes). */
  private readonly recentUpdates = new Map<number, ReadonlySet<string>>();
  /** The ledger height each endorsed transaction's simulation snapshot was taken at. */
  private readonly simulatedAt = new WeakMap<TxEnvelope, number>();
  private chaincode!: Chaincode;
  /** The key-level endorsement policies this network has compiled, with the shim's protos. */
  private readonly policies: PolicyEvaluator;
  private verifier!: CreatorVerifier;
  private orgs: LocalOrg[] = [];
  private identityByName = new Map<string, LocalIdentity>();
  private keyrings!: OrgKeyrings;
  private enableHistory = true;
  private socketServer: PeerSocketServer | undefined;
  sharing: EmbeddedNetwork['sharing'];

  private readonly shim: FabricShim;
  /** Buffers the committer reuses block after block (commits are one at a time). */
  private readonly scratch = { envelopes: new Scratch(), block: new Scratch(), writes: new Scratch() };

  private constructor(
    readonly directory: string,
    private readonly db: Db,
    /** fabric-shim for this network: released by `close`. */
    private readonly runtime: ShimRuntime,
    private readonly channel: string,
    private readonly chaincodeName: string,
    private readonly fsync: boolean,
    private readonly limits: { batchSize: number; batchTimeoutMs: number; totalQueryLimit: number },
  ) {
    this.shim = runtime.shim;
    this.policies = new PolicyEvaluator(runtime.shim.protos);
  }

  static async start(
    directory: string,
    db: Db,
    runtime: ShimRuntime,
    options: EmbeddedNetworkOptions,
    limits: { batchSize: number; batchTimeoutMs: number; totalQueryLimit: number },
  ): Promise<EmbeddedNetworkImpl> {
    const keyrings = new OrgKeyrings(join(directory, 'msp'), options.identityKeys);
    const mspDir = keyrings.mspDir;
    const headRaw = await db.get(heightKey);
    let config: ConfigEnvelope;
    let net: EmbeddedNetworkImpl;
    if (headRaw === undefined) {
      const orgs = await loadOrCreateOrgs(keyrings, options.orgs ?? defaultOrgs, true);
      config = {
        type: 'CONFIG',
        channel: options.channel ?? 'credentials',
        chaincode: options.chaincodeName ?? 'credledger',
        enableHistory: options.enableHistory ?? true,
        orgs: orgs.map((o) => ({ mspId: o.mspId, caFingerprint: certificateFingerprint(o.caCertificate) })),
      };
      net = new EmbeddedNetworkImpl(
        directory,
        db,
        runtime,
        config.channel,
        config.chaincode,
        options.fsync ?? true,
        limits,
      );
      net.useOrgs(orgs, keyrings);
      await net.writeGenesis(config);
    } else {
      const formatRaw = await db.get(formatKey);
      const format = formatRaw?.length === 4 ? formatRaw.readUInt32BE(0) : formatRaw === undefined ? 1 : -1;
      if (format !== storageFormat)
        throw new CredledgerError(
          'LEDGER_CORRUPT',
          format === -1
            ? `ledger ${directory}: its storage format record is unreadable`
            : `ledger ${directory} is in storage format ${format}; this version of credledger reads format ${storageFormat} only and does not migrate ledgers (re-create it and re-anchor, or open it with the version that wrote it)`,
          { details: { directory, format, supported: storageFormat } },
        );
      let genesis: StoredBlock;
      try {
        const raw = await db.get(blockKey(0));
        if (raw === undefined) throw new Error('genesis block missing');
        genesis = decodeBlock(raw);
        config = decodeConfigEnvelope(genesis.data[0] ?? Buffer.alloc(0));
      } catch (err) {
        throw new CredledgerError('LEDGER_CORRUPT', `ledger ${directory}: cannot read its genesis block`, {
          cause: err,
        });
      }
      if (options.channel !== undefined && options.channel !== config.channel)
        throw new CredledgerError(
          'CONFIG_INVALID',
          `ledger ${directory} holds channel ${config.channel}, not ${options.channel}`,
        );
      if (options.chaincodeName !== undefined && options.chaincodeName !== config.chaincode)
        throw new CredledgerError(
          'CONFIG_INVALID',
          `ledger ${directory} runs chaincode ${config.chaincode}, not ${options.chaincodeName}`,
        );
      const specs = await Promise.all(
        config.orgs.map(async (o) => ({ mspId: o.mspId, users: await storedUsers(mspDir, o.mspId) })),
      );
      const orgs = await loadOrCreateOrgs(keyrings, specs, false);
      for (const o of orgs) {
        const pinned = config.orgs.find((c) => c.mspId === o.mspId)?.caFingerprint;
        if (pinned !== certificateFingerprint(o.caCertificate))
          throw new CredledgerError(
            'LEDGER_CORRUPT',
            `the CA certificate of ${o.mspId} differs from the one in the genesis block`,
          );
      }
      net = new EmbeddedNetworkImpl(
        directory,
        db,
        runtime,
        config.channel,
        config.chaincode,
        options.fsync ?? true,
        limits,
      );
      net.useOrgs(orgs, keyrings);
      net.head = JSON.parse(headRaw.toString('utf8')) as LedgerHead;
    }
    net.enableHistory = config.enableHistory;
    const contracts =
      typeof options.contracts === 'function'
        ? await options.contracts()
        : (options.contracts ?? (await defaultContracts()));
    runtime.removeLoggerListeners();
    const { shim } = runtime;
    const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: shim.JSONSerializer } };
    // The dispatcher appends its SystemContract to the array it is given: hand it a copy.
    net.chaincode = new shim.ChaincodeFromContract([...contracts], serializers, {}, config.chaincode, '0.0.0');
    return net;
  }

  private useOrgs(orgs: LocalOrg[], keyrings: OrgKeyrings): void {
    this.orgs = orgs;
    this.keyrings = keyrings;
    this.verifier = new CreatorVerifier(new Map(orgs.map((o) => [o.mspId, o.ca])));
    for (const o of orgs) for (const id of o.identities) this.identityByName.set(id.name, id);
  }

  private async writeGenesis(config: ConfigEnvelope): Promise<void> {
    const data = [encodeConfigEnvelope(config)];
    const header = { number: 0, previousHash: '', dataHash: dataHash(data) };
    const block: StoredBlock = { header, data, codes: [VALID] };
    const head = { height: 1, lastHash: headerHash(header) };
    await this.db.batch(
      [
        { type: 'put', key: formatKey, value: encodeFormat(storageFormat) },
        { type: 'put', key: blockKey(0), value: encodeBlock(block) },
        { type: 'put', key: heightKey, value: Buffer.from(JSON.stringify(head)) },
      ],
      { sync: true },
    );
    this.head = head;
  }

  identities(): EmbeddedIdentityInfo[] {
    return [...this.identityByName.values()].map((i) => ({
      name: i.name,
      mspId: i.mspId,
      role: i.role,
      sealed: i.sealed,
    }));
  }

  height(): bigint {
    return BigInt(this.head.height);
  }

  connect(identity: string | SignerIdentity): EmbeddedLedger {
    if (typeof identity !== 'string') {
      if (!this.orgs.some((o) => o.mspId === identity.mspId))
        throw new CredledgerError('CONFIG_INVALID', `no local organisation ${identity.mspId}`);
      // The peer checks the certificate against its organisation's CA on every proposal, as Fabric does.
      return new EmbeddedLedgerImpl(this, signerCreator(identity));
    }
    const id = this.identityByName.get(identity);
    if (!id)
      throw new CredledgerError(
        'CONFIG_INVALID',
        `no local identity ${identity} (known: ${[...this.identityByName.keys()].join(', ')})`,
      );
    return new EmbeddedLedgerImpl(this, keyCreator(id));
  }

  certify(request: CertificateRequest): Promise<string> {
    return certifyPublicKey(this.keyrings, request.mspId, request, request.publicKeyJwk);
  }

  // --- endorsement -------------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw callFailed('evaluate', grpcStatus.UNAVAILABLE, 'embedded ledger is closed');
  }

  /** Signs a proposal for `args` as `creator` and runs it on the creator's organisation's peer. */
  async endorse(
    creator: Creator,
    args: readonly string[],
    purpose: 'evaluate' | 'endorse',
  ): Promise<{ txId: string; envelope: TxEnvelope; payload: Uint8Array; creatorKey: KeyObject }> {
    this.assertOpen();
    const proposal = await buildSignedProposal(this.shim, {
      channel: this.channel,
      chaincode: this.chaincodeName,
      creator,
      args,
    });
    this.assertOpen();
    return this.endorseProposal(proposal.bytes, purpose, { txId: proposal.txId, mspId: creator.mspId });
  }

  /**
   * Runs a SignedProposal on the peer of the creator's organisation (a client of the peer socket reaches
   * its own organisation's peer, as the in-process connection does): verify, simulate against a
   * snapshot, collect the rwset. `claimed` (txid, creator MSP) is read from the proposal when not given.
   */
  async endorseProposal(
    proposalBytes: Uint8Array,
    purpose: 'evaluate' | 'endorse',
    claimed: { txId: string; mspId: string } = peekProposal(this.shim, proposalBytes),
  ): Promise<{ txId: string; envelope: TxEnvelope; payload: Uint8Array; creatorKey: KeyObject }> {
    this.assertOpen();
    // What the proposal claims, before any check, names the transaction and the peer in a refusal.
    const peerMspId = claimed.mspId;
    const proposal = { bytes: proposalBytes, txId: claimed.txId };
    const address = `peer0.${peerMspId}`;
    // Fabric's statuses for a peer that refused or failed a proposal: UNKNOWN for an evaluate, ABORTED
    // for an endorsement; the chaincode's own response, when it ran, travels as it is.
    const fail = (message: string, chaincode?: { status: number; message: string }): never => {
      const peers = [{ address, mspId: peerMspId, message }];
      const extra = { txId: proposal.txId, chaincode };
      throw callFailed(
        purpose,
        purpose === 'evaluate' ? grpcStatus.UNKNOWN : grpcStatus.ABORTED,
        message,
        peers,
        extra,
      );
    };
    let checked;
    try {
      checked = checkSignedProposal(this.shim, proposal.bytes, this.verifier, {
        channel: this.channel,
        chaincode: this.chaincodeName,
      });
    } catch (err) {
      if (err instanceof ProposalRejected) return fail(err.message);
      throw err;
    }
    if (purpose === 'endorse' && this.db.getSync(txKey(checked.txId)) !== undefined)
      fail(`duplicate transaction found [${checked.txId}]`);

    // Read before the snapshot: a block being written now may be in the snapshot but not in this height,
    // which only makes validation look it up again (see knownVersions).
    const snapshotHeight = this.head.height;
    const snapshot = this.db.snapshot();
    let response: { status: number; message?: string; payload?: Uint8Array };
    let stub: { chaincodeEvent?: { getEventName(): string; getPayload_asU8(): Uint8Array }; getMspID: () => string };
    let rwset: RwSet;
    try {
      const simulator = new TxSimulator(this.shim, this.db, snapshot, this.channel, this.chaincodeName, checked.txId, {
        totalQueryLimit: this.limits.totalQueryLimit,
        enableHistory: this.enableHistory,
      });
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- fabric-shim's stub is untyped
      stub = new this.shim.ChaincodeStub(simulator, this.channel, checked.txId, checked.input, checked.signedProposal);
      // stub.getMspID() reads CORE_PEER_LOCALMSPID of the chaincode process; here one process serves every
      // org's peer concurrently, so each stub answers with the MSP of the peer that runs it.
      stub.getMspID = () => peerMspId;
      response = await this.chaincode.Invoke(stub);
      rwset = await simulator.finish();
    } finally {
      await snapshot.close();
    }
    if (response.status >= 400) {
      // Only the message crosses to the client; a chaincode that threw a non-Error gives ''.
      const chaincode = { status: response.status, message: response.message ?? '' };
      return fail(`chaincode response ${chaincode.status}, ${chaincode.message}`, chaincode);
    }
    const payload = Buffer.from(response.payload ?? new Uint8Array());
    const event = stub.chaincodeEvent;
    const envelope: TxEnvelope = {
      type: 'ENDORSER_TRANSACTION',
      txId: checked.txId,
      channel: this.channel,
      chaincode: this.chaincodeName,
      creatorMspId: checked.mspId,
      timestamp: checked.timestamp,
      endorsers: [peerMspId],
      proposal: Buffer.from(proposal.bytes.buffer, proposal.bytes.byteOffset, proposal.bytes.byteLength),
      response: { status: response.status, payload },
      event: event ? { name: event.getEventName(), payload: Buffer.from(event.getPayload_asU8()) } : null,
      rwset,
    };
    this.simulatedAt.set(envelope, snapshotHeight);
    return { txId: checked.txId, envelope, payload, creatorKey: checked.publicKey };
  }

  // --- ordering ----------------------------------------------------------------------------------------

  /**
   * Broadcast: queue for the next block; resolves with the commit status.
   *
   * A block is cut when `batchSize` transactions wait. Otherwise, with a batch timeout above 0, this long
   * after its first transaction arrived, as a Fabric orderer does. With a timeout of 0 (the default) the
   * orderer cuts as soon as the committer is idle: at once when nothing is being committed (after the
   * transactions sent in the same turn of the event loop), else the moment the block in progress is
   * committed, with everything that arrived meanwhile (group commit). A lone transaction then waits for
   * no timer, and a stream of them still shares blocks and fsyncs.
   */
  order(envelope: TxEnvelope): Promise<{ blockNumber: number; code: number }> {
    this.assertOpen();
    return new Promise((resolve, reject) => {
      this.pending.push({ envelope, resolve, reject });
      if (this.pending.length >= this.limits.batchSize) this.cut();
      else if (this.limits.batchTimeoutMs > 0)
        this.timer ??= setTimeout(() => {
          this.cut();
        }, this.limits.batchTimeoutMs);
      else if (this.committing === 0) this.cutSoon();
    });
  }

  /** Cuts after the current turn of the event loop, so transactions sent together share the block. */
  private cutSoon(): void {
    this.idleCut ??= setImmediate(() => {
      this.idleCut = undefined;
      if (this.committing === 0) this.cut();
    });
  }

  private cut(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, this.limits.batchSize);
    if (this.pending.length > 0 && this.limits.batchTimeoutMs > 0)
      this.timer = setTimeout(() => {
        this.cut();
      }, this.limits.batchTimeoutMs);
    if (batch.length === 0) return;
    this.committing++;
    this.commitChain = this.commitChain
      .then(() => this.commitBlock(batch))
      .finally(() => {
        this.committing--;
        // Group commit: what arrived while this block was committed is the next block.
        if (this.committing === 0 && this.pending.length > 0 && this.limits.batchTimeoutMs === 0) this.cut();
      });
  }

  // --- committing --------------------------------------------------------------------------------------

  /**
   * Committed versions validation need not read from disk: a key a transaction read from its snapshot at
   * height H that no block since H has updated still has the version the transaction recorded. Known
   * only while every block since H is among the recent ones; everything else is read from the store.
   */
  private knownVersions(txs: readonly TxEnvelope[]): Map<string, Version | null> {
    const known = new Map<string, Version | null>();
    const height = this.head.height;
    for (const tx of txs) {
      const at = this.simulatedAt.get(tx);
      if (at === undefined || height - at > recentBlocks) continue;
      const changed: ReadonlySet<string>[] = [];
      let covered = true;
      for (let n = at; n < height && covered; n++) {
        const keys = this.recentUpdates.get(n);
        if (keys) changed.push(keys);
        else covered = false;
      }
      if (!covered) continue;
      for (const [key, block, txNum] of tx.rwset.reads)
        if (!changed.some((c) => c.has(key))) known.set(key, block === undefined ? null : { block, tx: txNum ?? 0 });
    }
    return known;
  }

  private dbView(known: ReadonlyMap<string, Version | null> = new Map()): StateView {
    const db = this.db;
    const read = (keys: Buffer[]): Promise<(Buffer | undefined)[]> => readPoints(db, keys);
    return {
      versions: async (keys) => {
        const unknown = keys.filter((k) => !known.has(k));
        const found = new Map<string, Version | null>();
        (await read(unknown.map(stateKey))).forEach((v, i) =>
          found.set(unknown[i] ?? '', v === undefined ? null : decodeState(v).version),
        );
        return keys.map((k) => (known.has(k) ? (known.get(k) ?? null) : (found.get(k) ?? null)));
      },
      values: async (keys) =>
        (await read(keys.map(stateKey))).map((v) => (v === undefined ? null : Buffer.from(decodeState(v).value))),
      // Read from the store, one read per block, rather than from a set of every key with metadata held
      // in memory: the chaincode pins each credential's keys, so that set grew with the ledger.
      metadata: async (keys) =>
        (await read(keys.map(metaKey))).map((v) => (v === undefined ? null : decodeMetadata(v))),
      hasTxIds: async (ids) => (await read(ids.map(txKey))).map((v) => v !== undefined),
      range: async (start, end, inclusiveEnd) => {
        const out: [string, Version][] = [];
        const opts = inclusiveEnd
          ? { gte: stateKey(start), lte: stateKey(end) }
          : { gte: stateKey(start), lt: end === '' ? prefixEnd(prefix.state) : stateKey(end) };
        for await (const [k, v] of db.iterator(opts))
          out.push([k.subarray(1).toString('utf8'), decodeState(v).version]);
        return out;
      },
    };
  }

  private async commitBlock(batch: Pending[]): Promise<void> {
    const number = this.head.height;
    const txs = batch.map((p) => p.envelope);
    let codes: number[];
    try {
      const data = encodeEnvelopes(txs, this.scratch.envelopes);
      const header = { number, previousHash: this.head.lastHash, dataHash: dataHash(data) };
      const validation = await validateBlock(number, txs, this.dbView(this.knownVersions(txs)), this.policies);
      codes = validation.codes;
      const block: StoredBlock = { header, data, codes };
      const head = { height: number + 1, lastHash: headerHash(header) };
      const batch = this.db.batch();
      try {
        writeBlock(batch, block, txs, validation, this.enableHistory, this.scratch);
        const indexed = new Set<string>();
        txs.forEach((t, i) => {
          // The index keeps the first transaction with a txid; invalid ones are indexed too.
          if (!validation.inLedger[i] && !indexed.has(t.txId)) {
            indexed.add(t.txId);
            batch.put(txKey(t.txId), encodeTxIndex(number, i, codes[i] ?? 255));
          }
        });
        batch.put(heightKey, Buffer.from(JSON.stringify(head)));
      } catch (err) {
        await batch.close();
        throw err;
      }
      // One atomic write: the whole block or nothing.
      await batch.write({ sync: this.fsync });
      this.head = head;
      this.remember(number, txs, codes);
      this.recentUpdates.set(number, new Set(validation.updates.keys()));
      this.recentUpdates.delete(number - recentBlocks - 1);
    } catch (err) {
      // A storage failure leaves the transactions' fate to the next start, as a peer that lost its
      // disk would: the ledger is unavailable. Anything else is a defect and reaches callers as it is.
      const failure = isStorageError(err)
        ? callFailed('evaluate', grpcStatus.UNAVAILABLE, `commit of block ${number} failed: ${err.message}`)
        : err;
      for (const p of batch) p.reject(failure);
      return;
    }
    batch.forEach((p, i) => {
      p.resolve({ blockNumber: number, code: codes[i] ?? 255 });
    });
    for (const wake of [...this.heightWaiters]) wake();
  }

  private remember(number: number, txs: readonly TxEnvelope[], codes: readonly number[]): void {
    this.recent.set(number, eventsOf(BigInt(number), txs, codes, this.chaincodeName));
    this.recent.delete(number - recentBlocks);
  }

  // --- events ------------------------------------------------------------------------------------------

  async blockEvents(number: number): Promise<LedgerEvent[]> {
    const cached = this.recent.get(number);
    if (cached) return cached;
    const raw = await this.db.get(blockKey(number));
    if (raw === undefined) throw new CredledgerError('LEDGER_CORRUPT', `block ${number} is missing`);
    const block = decodeBlock(raw);
    if (number === 0) return [];
    return eventsOf(BigInt(number), block.data.map(decodeEnvelope), block.codes, this.chaincodeName);
  }

  async *events(options: EventsOptions = {}): AsyncGenerator<LedgerEvent> {
    const { signal } = options;
    let next = options.startBlock === undefined ? this.head.height : Number(options.startBlock);
    let skipThrough: string | undefined;
    if (options.afterTxId !== undefined) {
      const raw = await this.db.get(txKey(options.afterTxId));
      if (raw !== undefined) {
        next = decodeTxIndex(raw).block;
        skipThrough = options.afterTxId;
      }
    }
    while (!signal?.aborted && !this.closed) {
      while (next < this.head.height) {
        const events = await this.blockEvents(next);
        let skipping = skipThrough !== undefined && events.some((e) => e.txId === skipThrough);
        for (const e of events) {
          if (skipping) {
            if (e.txId === skipThrough) skipping = false;
            continue;
          }
          if (signal?.aborted) return;
          yield e;
        }
        skipThrough = undefined;
        next++;
      }
      // An already-aborted signal never fires 'abort' again: check before waiting.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- both change while the generator is suspended
      if (signal?.aborted || this.closed) return;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.heightWaiters.delete(wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.heightWaiters.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  async txStatus(txId: string): Promise<{ block: number; tx: number; code: number } | undefined> {
    const raw = await this.db.get(txKey(txId));
    return raw === undefined ? undefined : decodeTxIndex(raw);
  }

  // --- integrity ---------------------------------------------------------------------------------------

  async verifyChain(): Promise<ChainVerification> {
    await this.commitChain;
    return verifyLedger(this.db, new MemoryState(), this.enableHistory, this.policies);
  }

  // --- lifecycle ---------------------------------------------------------------------------------------

  // --- serving other processes -------------------------------------------------------------------------

  /**
   * Listens on the ledger folder's peer socket for other processes of this user. A socket that cannot
   * be served (a path too long for a socket address) leaves this process the only one that can act.
   */
  async serveOthers(): Promise<void> {
    const host: PeerHost = {
      shim: this.shim,
      channel: this.channel,
      chaincode: this.chaincodeName,
      verifier: () => this.verifier,
      mspIds: () => this.orgs.map((o) => o.mspId),
      identities: () => this.identities().map((i) => i.name),
      height: () => this.height(),
      endorse: (proposal, purpose) => this.endorseProposal(proposal, purpose),
      order: (envelope) => this.order(envelope),
      events: (options) => this.events(options),
      verifyChain: () => this.verifyChain(),
    };
    try {
      this.socketServer = await servePeerSocket(host, this.directory);
      this.sharing = { socket: this.socketServer.path };
    } catch (err) {
      this.sharing = { unavailable: (err as Error).message };
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // Other processes' calls in progress are answered first; new ones are refused from now on.
      await this.socketServer?.close();
      this.closed = true;
      if (this.idleCut) clearImmediate(this.idleCut);
      this.idleCut = undefined;
      while (this.pending.length > 0) this.cut();
      await this.commitChain;
      for (const wake of [...this.heightWaiters]) wake();
      try {
        await this.db.close();
        await rm(join(this.directory, 'owner.json'), { force: true });
      } finally {
        this.runtime.release();
      }
    })();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Most keys read one by one on the event loop (`getSync`) rather than in one `getMany` on the thread
 * pool. A point read answered from LevelDB's caches takes microseconds; a trip through the thread pool
 * costs two thread wake-ups, each a chance to wait for a busy core. A block of one or a few transactions
 * reads a few keys (its txids, a key or two it writes that exist); a large one reads thousands, which
 * would hold the event loop.
 */
const syncReadLimit = 16;

/** The values of `keys` (undefined where absent), from the committed state. */
async function readPoints(db: Db, keys: Buffer[]): Promise<(Buffer | undefined)[]> {
  if (keys.length === 0) return [];
  if (keys.length <= syncReadLimit) return keys.map((k) => db.getSync(k));
  return db.getMany(keys);
}

function eventsOf(
  blockNumber: bigint,
  txs: readonly TxEnvelope[],
  codes: readonly number[],
  chaincodeName: string,
): LedgerEvent[] {
  const out: LedgerEvent[] = [];
  txs.forEach((t, i) => {
    // Only VALID transactions' events are delivered, as the Gateway's ChaincodeEvents service does.
    if (codes[i] !== VALID || !t.event) return;
    out.push({
      blockNumber,
      txId: t.txId,
      chaincodeName,
      eventName: t.event.name,
      payload: new Uint8Array(t.event.payload),
    });
  });
  return out;
}

async function defaultContracts(): Promise<readonly unknown[]> {
  const mod = (await import('@credledger/chaincode')) as {
    contracts?: readonly unknown[];
    default?: { contracts?: readonly unknown[] };
  };
  const contracts = mod.contracts ?? mod.default?.contracts;
  if (!contracts) throw new CredledgerError('CONFIG_INVALID', '@credledger/chaincode exports no contracts');
  return contracts;
}

class EmbeddedLedgerImpl implements EmbeddedLedger {
  readonly identity: { mspId: string; certificate: string };
  private closed = false;

  constructor(
    private readonly network: EmbeddedNetworkImpl,
    private readonly id: Creator,
  ) {
    this.identity = { mspId: id.mspId, certificate: id.certificate };
  }

  private open(): void {
    if (this.closed) throw new CredledgerError('LEDGER_UNAVAILABLE', 'ledger connection is closed');
  }

  async evaluate(name: string, ...args: string[]): Promise<Uint8Array> {
    this.open();
    try {
      const { payload } = await this.network.endorse(this.id, [name, ...args], 'evaluate');
      return new Uint8Array(payload);
    } catch (err) {
      throw mapped(err, name);
    }
  }

  async endorse(name: string, ...args: string[]): Promise<EndorsedTransaction> {
    this.open();
    let endorsed;
    try {
      endorsed = await this.network.endorse(this.id, [name, ...args], 'endorse');
    } catch (err) {
      throw mapped(err, name);
    }
    const { txId, envelope, payload } = endorsed;
    const network = this.network;
    return {
      txId,
      result: new Uint8Array(payload),
      async submit(): Promise<Committed> {
        try {
          const status = await network.order(envelope);
          if (status.code !== VALID) throw commitFailed(status.code, txId);
          return { txId, blockNumber: BigInt(status.blockNumber), payload: new Uint8Array(payload) };
        } catch (err) {
          throw mapped(err, name);
        }
      },
    };
  }

  async submit(name: string, ...args: string[]): Promise<Committed> {
    const endorsed = await this.endorse(name, ...args);
    return endorsed.submit();
  }

  events(options?: EventsOptions): AsyncIterable<LedgerEvent> {
    this.open();
    return this.network.events(options);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function mapped(err: unknown, transaction: string): unknown {
  return fromLedgerError(err, { transaction });
}

/** classic-level's errors carry a `LEVEL_*` code (module-error). */
function isStorageError(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  const { code } = err as Error & { code?: unknown };
  return typeof code === 'string' && code.startsWith('LEVEL_');
}
