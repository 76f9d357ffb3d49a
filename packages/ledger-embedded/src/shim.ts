/**
 * Loads the real fabric-shim pieces the embedded peer drives (ChaincodeStub, the contract dispatcher,
 * iterators, the shim's own protobuf messages) and contains fabric-shim's process-wide side effects:
 * its winston loggers (replaced by no-op loggers: winston formats every debug line even when the level
 * is off), the uncaughtException / unhandledRejection listeners they install, and the
 * GRPC_SSL_CIPHER_SUITES variable its gRPC handler sets. Loaded only when a ledger is opened (~0.4 s).
 */
import { createRequire } from 'node:module';
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

let loading: Promise<FabricShim> | undefined;

/** Loads fabric-shim once per module registry, contained. */
export function loadFabricShim(): Promise<FabricShim> {
  loading ??= Promise.resolve().then(load);
  return loading;
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

function load(): FabricShim {
  const require = createRequire(import.meta.url);
  const before = new Map(
    exceptionEvents.map((event) => [event, new Set(process.listeners(event as 'uncaughtException'))]),
  );
  const cipherSuites = process.env.GRPC_SSL_CIPHER_SUITES;
  try {
    // Replace the loggers before any module takes one at load time.
    for (const id of ['fabric-shim/lib/logger.js', 'fabric-contract-api/lib/logger.js']) {
      const logger = require(id) as { getLogger: unknown; setLevel: unknown };
      logger.getLogger = () => noopLogger;
      logger.setLevel = () => undefined;
    }
    const ChaincodeStub = require('fabric-shim/lib/stub.js');
    const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js');
    const { StateQueryIterator, HistoryQueryIterator } = require('fabric-shim/lib/iterators.js');
    const { JSONSerializer } = require('fabric-contract-api');
    // The shim's own copy of the protos (0.2.x, google-protobuf); fabric-gateway brings another.
    const shimDir = dirname(require.resolve('fabric-shim/package.json'));
    const shimRequire = createRequire(`${shimDir}/package.json`);
    const protos = shimRequire('@hyperledger/fabric-protos');
    const protosRequire = createRequire(shimRequire.resolve('@hyperledger/fabric-protos'));
    const { Timestamp } = protosRequire('google-protobuf/google/protobuf/timestamp_pb.js');
    memoizeCertificateParsing(shimRequire);
    return {
      ChaincodeStub,
      ChaincodeFromContract,
      StateQueryIterator,
      HistoryQueryIterator,
      JSONSerializer,
      protos,
      Timestamp,
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
 * fabric-contract-api may have been loaded before us (a caller passing contract classes it imported):
 * its logger then installed its listeners already. They are recognisable by name.
 */
export function removeLoggerListeners(): void {
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

/**
 * ClientIdentity parses the creator certificate on every transaction (about 60% of a small
 * transaction's cost). The parsed certificate depends only on the PEM, so parses are cached.
 */
function memoizeCertificateParsing(shimRequire: NodeJS.Require): void {
  const fidm = shimRequire('@fidm/x509') as {
    Certificate: { fromPEM: (pem: Buffer) => unknown; __credledgerMemo?: true };
  };
  const Certificate = fidm.Certificate;
  if (Certificate.__credledgerMemo) return;
  const original = Certificate.fromPEM.bind(Certificate);
  const cache = new Map<string, unknown>();
  Certificate.fromPEM = (pem: Buffer) => {
    const key = pem.toString();
    let cert = cache.get(key);
    if (cert === undefined) {
      cert = original(pem);
      if (cache.size >= 1024) cache.clear();
      cache.set(key, cert);
    }
    return cert;
  };
  Certificate.__credledgerMemo = true;
}
