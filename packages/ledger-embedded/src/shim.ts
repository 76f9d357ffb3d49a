/**
 * Loads the real fabric-shim pieces the embedded peer drives (ChaincodeStub, the contract dispatcher,
 * iterators, the shim's own protobuf messages) and contains fabric-shim's process-wide side effects in
 * one object with a lifetime, `ShimRuntime`: its winston loggers (replaced by no-op logger modules, so
 * winston, which formats every debug line even when the level is off, is not even loaded), the
 * uncaughtException / unhandledRejection listeners they install where a caller loaded them first, the
 * GRPC_SSL_CIPHER_SUITES variable its gRPC handler sets, and the memo of certificate parses the embedded
 * peer adds to it. The shim's protobuf index is replaced by one that loads each namespace when first
 * read. Loaded only when a ledger is opened (~0.25 s the first time; Node's module cache answers later
 * opens).
 */
import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment -- fabric-shim's internals ship without types */
/** The untyped fabric-shim internals the embedded peer uses; kept in one place. */
export interface FabricShim {
  readonly ChaincodeStub: new (
    handler: unknown,
    channelId: string,
    txId: string,
    input: any,
    signedProposal: any,
  ) => any;
  readonly ChaincodeFromContract: new (
    contracts: unknown[],
    serializers: unknown,
    metadata: unknown,
    title: string,
    version: string,
  ) => {
    Invoke(stub: unknown): Promise<{ status: number; message?: string; payload?: Uint8Array }>;
  };
  readonly StateQueryIterator: new (handler: unknown, channelId: string, txId: string, response: any) => unknown;
  readonly HistoryQueryIterator: new (handler: unknown, channelId: string, txId: string, response: any) => unknown;
  readonly JSONSerializer: unknown;
  /** @hyperledger/fabric-protos 0.2 as fabric-shim resolves it (google-protobuf messages). */
  readonly protos: any;
  readonly Timestamp: any;
}

const noopLogger = Object.freeze({
  level: 'error',
  debug() {},
  info() {},
  warn() {},
  error() {},
  verbose() {},
  silly() {},
  log() {},
  isLevelEnabled: () => false,
});

const exceptionEvents = ['uncaughtException', 'unhandledRejection', 'uncaughtExceptionMonitor'] as const;

/**
 * fabric-shim as one open embedded network uses it, and what fabric-shim does to the process while it
 * is loaded. Created by `openNetwork` (network.ts) before anything else of a ledger, one per network
 * (in-process or reached through its holder's socket); the network's `close` releases it.
 *
 * - Loading requires fabric-shim's modules (Node keeps them for the life of the process: a second
 *   runtime loads nothing new) with its loggers replaced first, then removes every process listener
 *   the load added and restores GRPC_SSL_CIPHER_SUITES. The no-op loggers stay: modules took them at
 *   load time.
 * - While at least one runtime holds it, fabric-shim's certificate parser (`@fidm/x509`'s
 *   `Certificate.fromPEM`, which ClientIdentity calls on every transaction, about 60% of a small
 *   transaction's cost) answers repeated certificates from a memo. The last runtime released puts the
 *   library's own parser back and drops the memo.
 */
export class ShimRuntime {
  readonly shim: FabricShim;
  readonly #memo: CertificateMemo;
  #released = false;

  private constructor(shim: FabricShim, memo: CertificateMemo) {
    this.shim = shim;
    this.#memo = memo;
    memo.holders.add(this);
  }

  /** Loads fabric-shim, contained, for one network. */
  static open(): ShimRuntime {
    const { shim, certificate } = load();
    return new ShimRuntime(shim, certificateMemoOf(certificate));
  }

  /** Whether `release` was called. */
  get released(): boolean {
    return this.#released;
  }

  /**
   * Removes the process listeners fabric-shim's and fabric-contract-api's loggers install when they
   * load, which may happen after this runtime loaded (a caller's contracts importing fabric-contract-api).
   */
  removeLoggerListeners(): void {
    removeLoggerListeners();
  }

  /** Ends this network's use of fabric-shim; the last runtime released restores the certificate parser. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.removeLoggerListeners();
    const memo = this.#memo;
    memo.holders.delete(this);
    if (memo.holders.size > 0) return;
    memo.cache.clear();
    // Put back only what we installed: a wrapper someone placed over ours stays theirs.
    if (memo.certificate.fromPEM === memo.parse) {
      memo.certificate.fromPEM = memo.original;
      delete memo.certificate.__credledgerMemo;
    }
  }
}

/** `@fidm/x509`'s Certificate class as fabric-shim resolves it. */
interface CertificateClass {
  fromPEM: (pem: Buffer) => unknown;
  /** The memo installed on it, while one is. */
  __credledgerMemo?: CertificateMemo;
}

/** A memo of certificate parses, installed on the Certificate class while runtimes hold it. */
interface CertificateMemo {
  readonly certificate: CertificateClass;
  readonly original: (pem: Buffer) => unknown;
  readonly parse: (pem: Buffer) => unknown;
  readonly cache: Map<string, unknown>;
  readonly holders: Set<ShimRuntime>;
}

/**
 * The memo installed on `certificate`, installing one if none is: the parsed certificate depends only
 * on the PEM. The class is the process's (Node's module cache), so the memo lives on it, shared by
 * the runtimes that hold it.
 */
function certificateMemoOf(certificate: CertificateClass): CertificateMemo {
  const installed = certificate.__credledgerMemo;
  if (installed !== undefined && certificate.fromPEM === installed.parse) return installed;
  const original = certificate.fromPEM;
  const cache = new Map<string, unknown>();
  const parse = (pem: Buffer): unknown => {
    const key = pem.toString();
    let cert = cache.get(key);
    if (cert === undefined) {
      cert = original.call(certificate, pem);
      if (cache.size >= 1024) cache.clear();
      cache.set(key, cert);
    }
    return cert;
  };
  const memo: CertificateMemo = { certificate, original, parse, cache, holders: new Set() };
  certificate.fromPEM = parse;
  certificate.__credledgerMemo = memo;
  return memo;
}

function load(): { shim: FabricShim; certificate: CertificateClass } {
  const require = createRequire(import.meta.url);
  const before = new Map(
    exceptionEvents.map((event) => [event, new Set(process.listeners(event as 'uncaughtException'))]),
  );
  const cipherSuites = process.env.GRPC_SSL_CIPHER_SUITES;
  try {
    // Replace the loggers before any module takes one at load time: as modules of their own where
    // none has loaded yet (winston is then never loaded), patched where a caller loaded them first.
    // A module cache that takes no entries (a test runner's registry) gets the loggers patched too.
    for (const id of ['fabric-shim/lib/logger.js', 'fabric-contract-api/lib/logger.js']) {
      const file = require.resolve(id);
      const seeded =
        require.cache[file] === undefined &&
        seedModule(require, file, { getLogger: () => noopLogger, setLevel: () => undefined });
      if (!seeded) {
        const logger = require(id) as { getLogger: unknown; setLevel: unknown };
        logger.getLogger = () => noopLogger;
        logger.setLevel = () => undefined;
      }
    }
    // The shim's own copy of the protos (0.2.x, google-protobuf); fabric-gateway brings another.
    const shimDir = dirname(require.resolve('fabric-shim/package.json'));
    const shimRequire = createRequire(`${shimDir}/package.json`);
    seedLazyProtos(shimRequire);
    const ChaincodeStub = require('fabric-shim/lib/stub.js');
    const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js');
    const { StateQueryIterator, HistoryQueryIterator } = require('fabric-shim/lib/iterators.js');
    const { JSONSerializer } = require('fabric-contract-api');
    const protos = shimRequire('@hyperledger/fabric-protos');
    const protosRequire = createRequire(shimRequire.resolve('@hyperledger/fabric-protos'));
    const { Timestamp } = protosRequire('google-protobuf/google/protobuf/timestamp_pb.js');
    const { Certificate } = shimRequire('@fidm/x509') as { Certificate: CertificateClass };
    return {
      shim: {
        ChaincodeStub,
        ChaincodeFromContract,
        StateQueryIterator,
        HistoryQueryIterator,
        JSONSerializer,
        protos,
        Timestamp,
      },
      certificate: Certificate,
    };
  } finally {
    if (cipherSuites === undefined) delete process.env.GRPC_SSL_CIPHER_SUITES;
    else process.env.GRPC_SSL_CIPHER_SUITES = cipherSuites;
    for (const event of exceptionEvents) {
      const known = before.get(event) ?? new Set();
      for (const listener of process.listeners(event as 'uncaughtException')) {
        if (!known.has(listener)) process.removeListener(event, listener);
      }
    }
    removeLoggerListeners();
  }
}

/**
 * Puts `exports` in Node's module cache as the module `file`, loaded: a later `require` of that file
 * answers them and reads nothing. Node documents adding entries to `require.cache`; whether the cache
 * took the entry is the answer (a test runner's module registry may not).
 */
function seedModule(require: NodeJS.Require, file: string, exports: object): boolean {
  const module = new Module(file);
  module.filename = file;
  module.exports = exports;
  module.loaded = true;
  require.cache[file] = module;
  return (require.cache[file] as NodeJS.Module | undefined)?.exports === exports;
}

/**
 * The index of fabric-shim's `@hyperledger/fabric-protos`, unless it has loaded, replaced by one that
 * requires each namespace when it is first read. The package's own index requires all ten at once,
 * among them discovery's and the orderer's gRPC services, which the embedded peer never uses: about
 * 60 ms of every ledger's open. The namespaces are read from that index's own lines
 * (`exports.peer = __importStar(require("./peer"))`), and each one read is the module the index would
 * have given; an index written otherwise is left to load as it is.
 */
function seedLazyProtos(shimRequire: NodeJS.Require): void {
  const index = shimRequire.resolve('@hyperledger/fabric-protos');
  if (shimRequire.cache[index] !== undefined) return;
  const source = readFileSync(index, 'utf8');
  const namespaces = [...source.matchAll(/^exports\.(\w+) = __importStar\(require\("\.\/(\w+)"\)\);$/gm)];
  const requires = source.match(/require\(/g)?.length ?? 0;
  if (namespaces.length === 0 || namespaces.length !== requires) return;
  const folder = dirname(index);
  const exports: Record<string, unknown> = {};
  Object.defineProperty(exports, '__esModule', { value: true });
  for (const [, name, path] of namespaces) {
    let namespace: unknown;
    Object.defineProperty(exports, name as string, {
      enumerable: true,
      get: (): unknown => (namespace ??= shimRequire(`${folder}/${path as string}`) as unknown),
    });
  }
  seedModule(shimRequire, index, exports);
}

/**
 * fabric-contract-api may have been loaded before us (a caller passing contract classes it imported):
 * its logger then installed its listeners already. They are recognisable by name.
 */
function removeLoggerListeners(): void {
  for (const event of exceptionEvents) {
    for (const listener of process.listeners(event as 'uncaughtException')) {
      const name = listener.name;
      if (
        name === 'loggerUnhandledRejectionFn' ||
        name === 'bound _uncaughtException' ||
        name === 'bound _unhandledRejection'
      ) {
        process.removeListener(event, listener);
      }
    }
  }
}
