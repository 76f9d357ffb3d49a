/**
 * A minimal stand-in for the Context a peer hands a transaction: committed state in a map, writes
 * collected apart from it (no read-your-writes, as on Fabric), a fixed transaction timestamp and a
 * caller identity. For unit tests of what a transaction writes; ledger behaviour is tested in the sdk
 * against the embedded ledger, which runs the real fabric-shim stub.
 */
import type { Context } from 'fabric-contract-api';

export interface Written {
  state: Map<string, Buffer>;
  validationParameters: Map<string, Uint8Array>;
  events: { name: string; payload: Uint8Array }[];
}

export function compositeKey(objectType: string, attributes: string[]): string {
  return `\u0000${[objectType, ...attributes].map((part) => `${part}\u0000`).join('')}`;
}

export function fakeContext(options: {
  committed: Map<string, Buffer>;
  mspId: string;
  role: string | null;
  millis: number;
}): { ctx: Context; written: Written } {
  const written: Written = { state: new Map(), validationParameters: new Map(), events: [] };
  const stub = {
    createCompositeKey: compositeKey,
    getTxTimestamp: () => ({
      seconds: { toNumber: () => Math.floor(options.millis / 1000) },
      nanos: (options.millis % 1000) * 1_000_000,
    }),
    getState: async (key: string) => options.committed.get(key) ?? Buffer.alloc(0),
    // Committed keys under the partial key in key order, from the bookmark (a key) on; the bookmark
    // returned is the first key not on the page, '' when none is left, as the peer's state database does.
    getStateByPartialCompositeKeyWithPagination: async (
      objectType: string,
      attributes: string[],
      pageSize: number,
      bookmark = '',
    ) => {
      const prefix = compositeKey(objectType, attributes);
      const keys = [...options.committed.keys()].filter((key) => key.startsWith(prefix) && key >= bookmark).sort();
      const page = keys.slice(0, pageSize).map((key) => ({ key, value: options.committed.get(key)! }));
      const entries = page[Symbol.iterator]();
      return {
        iterator: { next: async () => entries.next(), close: async () => undefined },
        metadata: { fetchedRecordsCount: page.length, bookmark: keys[pageSize] ?? '' },
      };
    },
    putState: async (key: string, value: Uint8Array) => {
      written.state.set(key, Buffer.from(value));
    },
    setStateValidationParameter: async (key: string, policy: Uint8Array) => {
      written.validationParameters.set(key, policy);
    },
    setEvent: (name: string, payload: Uint8Array) => {
      written.events = [{ name, payload }];
    },
  };
  const clientIdentity = {
    getMSPID: () => options.mspId,
    getAttributeValue: (name: string) => (name === 'credledger.role' ? options.role : null),
  };
  return { ctx: { stub, clientIdentity } as unknown as Context, written };
}
