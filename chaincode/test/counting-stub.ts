/**
 * fabric-shim's real ChaincodeStub over a handler that stands where the peer's gRPC stream would be.
 * Every state call the stub forwards to its handler is one message to the peer and one answer back
 * (the shim sends a transaction's messages one at a time and waits for each answer), so the messages
 * recorded here are the round trips a transaction costs on a real peer. Committed state comes from a
 * map; writes are collected apart from it (no read-your-writes, as on Fabric). A handler method this
 * file does not know fails the transaction, so no kind of call can go uncounted.
 */
import type { Context } from 'fabric-contract-api';
import { ChaincodeStub } from 'fabric-shim';

/** The peer messages behind `getState`, `putState` and `setStateValidationParameter`. */
export type PeerMessage = 'GET_STATE' | 'PUT_STATE' | 'PUT_STATE_METADATA';

export interface CountingContext {
  ctx: Context;
  /** Every message sent to the peer, in order, with its key. */
  messages: { type: PeerMessage; key: string }[];
  written: Map<string, Buffer>;
}

type StubConstructor = new (
  handler: object,
  channelId: string,
  txId: string,
  input: { getArgsList_asU8(): Uint8Array[] },
  signedProposal: undefined,
) => ChaincodeStub;

export function countingContext(options: {
  committed: ReadonlyMap<string, Buffer>;
  mspId: string;
  role: string | null;
  millis: number;
}): CountingContext {
  const messages: CountingContext['messages'] = [];
  const written = new Map<string, Buffer>();
  const known = {
    handleGetState: async (_collection: string, key: string) => {
      messages.push({ type: 'GET_STATE', key });
      return options.committed.get(key) ?? Buffer.alloc(0);
    },
    handlePutState: async (_collection: string, key: string, value: Uint8Array) => {
      messages.push({ type: 'PUT_STATE', key });
      written.set(key, Buffer.from(value));
    },
    handlePutStateMetadata: async (_collection: string, key: string) => {
      messages.push({ type: 'PUT_STATE_METADATA', key });
    },
  };
  const handler = new Proxy(known, {
    get(target, name) {
      if (typeof name === 'string' && name in target) return target[name as keyof typeof known];
      return () => Promise.reject(new Error(`the counting handler does not know ${String(name)}`));
    },
  });
  const Stub = ChaincodeStub as unknown as StubConstructor;
  const stub = new Stub(handler, 'credledger', 'tx-1', { getArgsList_asU8: () => [] }, undefined);
  // Without a signed proposal the stub has no header to take the time from; this is what it would hold.
  Object.assign(stub, {
    txTimestamp: {
      getSeconds: () => Math.floor(options.millis / 1000),
      getNanos: () => (options.millis % 1000) * 1_000_000,
    },
  });
  const clientIdentity = {
    getMSPID: () => options.mspId,
    getAttributeValue: (name: string) => (name === 'credledger.role' ? options.role : null),
  };
  return { ctx: { stub, clientIdentity } as unknown as Context, messages, written };
}
