/**
 * Key-level endorsement metadata is looked up in the store for the keys a block writes: opening a ledger
 * reads none of it (the chaincode pins every credential's keys, so a ledger holds one metadata record per
 * credential), and the policies still hold after a restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ClassicLevel } from 'classic-level';
import type { EmbeddedNetwork } from '@credledger/ledger';
import { openNetwork } from '../src/network.js';
import { prefix } from '../src/store.js';

interface Stub {
  putState(key: string, value: Uint8Array): Promise<void>;
  setStateValidationParameter(key: string, policy: Uint8Array): Promise<void>;
}

/** A contract that writes keys, each pinned to one organisation when asked. */
async function contracts(): Promise<readonly unknown[]> {
  const api = (await import('fabric-contract-api')) as unknown as {
    Contract: new (name: string) => object;
    Context: unknown;
    Transaction: () => (target: object, name: string) => void;
  };
  const { KeyEndorsementPolicy } = (await import('fabric-shim')) as unknown as {
    KeyEndorsementPolicy: new () => { addOrgs(role: string, ...mspIds: string[]): void; getPolicy(): Uint8Array };
  };
  const pinned = (mspId: string): Uint8Array => {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('MEMBER', mspId);
    return policy.getPolicy();
  };
  class PinContract extends api.Contract {
    constructor() {
      super('pin');
    }
    async PutPinned(ctx: { stub: Stub }, keyPrefix: string, count: string, mspId: string): Promise<void> {
      for (let i = 0; i < Number(count); i++) {
        const key = `${keyPrefix}/${String(i).padStart(6, '0')}`;
        await ctx.stub.putState(key, Buffer.from('owned'));
        await ctx.stub.setStateValidationParameter(key, pinned(mspId));
      }
    }
    async Put(ctx: { stub: Stub }, key: string, value: string): Promise<void> {
      await ctx.stub.putState(key, Buffer.from(value));
    }
  }
  // What `@Transaction()` with TypeScript's emitted parameter types would record.
  const reflect = Reflect as unknown as { defineMetadata(k: string, v: unknown, t: object, p: string): void };
  for (const [name, arity] of [
    ['PutPinned', 4],
    ['Put', 3],
  ] as const) {
    reflect.defineMetadata(
      'design:paramtypes',
      [api.Context, ...Array.from({ length: arity - 1 }, () => String)],
      PinContract.prototype,
      name,
    );
    api.Transaction()(PinContract.prototype, name);
  }
  return [PinContract];
}

type Range = { gt?: Buffer; gte?: Buffer; lt?: Buffer; lte?: Buffer };
type Reads = { metadataRanges: number; metadataGets: number };

/** Counts, while `during` runs, iterators over a range holding metadata keys and gets of metadata keys. */
async function countMetadataReads(during: () => Promise<void>): Promise<Reads> {
  const reads: Reads = { metadataRanges: 0, metadataGets: 0 };
  const proto = ClassicLevel.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const metaStart = Buffer.from([prefix.meta]);
  const metaEnd = Buffer.from([prefix.meta + 1]);
  const coversMetadata = (r: Range = {}): boolean => {
    const low = r.gte ?? r.gt;
    const high = r.lte ?? r.lt;
    return (
      (low === undefined || Buffer.compare(Buffer.from(low), metaEnd) < 0) &&
      (high === undefined || Buffer.compare(Buffer.from(high), metaStart) > 0)
    );
  };
  const isMeta = (k: unknown): boolean => Buffer.isBuffer(k) && k[0] === prefix.meta;
  const originals = new Map<string, PropertyDescriptor | undefined>();
  const wrap = (name: string, count: (args: unknown[]) => void): void => {
    originals.set(name, Object.getOwnPropertyDescriptor(proto, name));
    const original = proto[name] as (...args: unknown[]) => unknown;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      count(args);
      return original.apply(this, args);
    };
  };
  for (const name of ['iterator', 'keys', 'values'])
    wrap(name, (args) => {
      if (coversMetadata(args[0] as Range | undefined)) reads.metadataRanges++;
    });
  wrap('get', (args) => {
    if (isMeta(args[0])) reads.metadataGets++;
  });
  wrap('getMany', (args) => {
    reads.metadataGets += (args[0] as unknown[]).filter(isMeta).length;
  });
  try {
    await during();
  } finally {
    for (const [name, descriptor] of originals) {
      if (descriptor) Object.defineProperty(proto, name, descriptor);
      else Reflect.deleteProperty(proto, name);
    }
  }
  return reads;
}

describe('key-level metadata of the embedded ledger', () => {
  it('opens a ledger without reading its metadata keys, and enforces key-level policies after the restart', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'credledger-key-metadata-'));
    const open = (): Promise<EmbeddedNetwork> =>
      openNetwork({ directory, chaincodeName: 'pin', contracts, fsync: false });
    let network: EmbeddedNetwork | undefined;
    try {
      network = await open();
      await network.connect('MojMSP/operator').submit('PutPinned', 'moj', '300', 'MojMSP');
      await network.close();
      network = undefined;

      const reads = await countMetadataReads(async () => {
        network = await open();
      });
      expect(reads).toEqual({ metadataRanges: 0, metadataGets: 0 });

      const reopened = network as unknown as EmbeddedNetwork;
      const moj = reopened.connect('MojMSP/operator');
      const moea = reopened.connect('MoeaMSP/operator');
      await expect(moea.submit('Put', 'moj/000123', 'taken')).rejects.toMatchObject({
        code: 'TRANSACTION_INVALID',
        details: { validationCode: 10 },
      });
      await expect(moj.submit('Put', 'moj/000123', 'updated')).resolves.toMatchObject({ txId: expect.any(String) });
      // A key nobody pinned takes any member's write.
      await expect(moea.submit('Put', 'free', 'anyone')).resolves.toMatchObject({ txId: expect.any(String) });
    } finally {
      await network?.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
