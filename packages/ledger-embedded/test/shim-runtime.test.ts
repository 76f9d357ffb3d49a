/**
 * What fabric-shim does to the process belongs to the networks that use it (`ShimRuntime`, shim.ts):
 * while a network is open the shim's certificate parser answers from a memo; closing one network leaves
 * another in the same process working; closing the last puts the library's own parser back and leaves no
 * process listener behind, and a network opened after that works as the first did.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it, jest } from '@jest/globals';
import type { EmbeddedNetwork } from '@credledger/ledger';

import { openNetwork } from '../src/network.js';

interface Stub {
  putState(key: string, value: Uint8Array): Promise<void>;
  getState(key: string): Promise<Uint8Array>;
}

/** A contract that writes and reads one key. */
async function contracts(): Promise<readonly unknown[]> {
  const api = (await import('fabric-contract-api')) as unknown as {
    Contract: new (name: string) => object;
    Context: unknown;
    Transaction: (submit?: boolean) => (target: object, name: string) => void;
  };
  class KeyValueContract extends api.Contract {
    constructor() {
      super('kv');
    }
    async Put(ctx: { stub: Stub }, key: string, value: string): Promise<void> {
      await ctx.stub.putState(key, Buffer.from(value));
    }
    async Get(ctx: { stub: Stub }, key: string): Promise<string> {
      return Buffer.from(await ctx.stub.getState(key)).toString('utf8');
    }
  }
  // What `@Transaction()` with TypeScript's emitted parameter types would record.
  const reflect = Reflect as unknown as { defineMetadata(k: string, v: unknown, t: object, p: string): void };
  for (const [name, arity, submit] of [
    ['Put', 3, true],
    ['Get', 2, false],
  ] as const) {
    reflect.defineMetadata(
      'design:paramtypes',
      [api.Context, ...Array.from({ length: arity - 1 }, () => String)],
      KeyValueContract.prototype,
      name,
    );
    api.Transaction(submit)(KeyValueContract.prototype, name);
  }
  return [KeyValueContract];
}

/** `@fidm/x509`'s Certificate as fabric-shim resolves it: its `fromPEM` is what ClientIdentity calls. */
const shimRequire = createRequire(createRequire(import.meta.url).resolve('fabric-shim/package.json'));
const { Certificate } = shimRequire('@fidm/x509') as { Certificate: { fromPEM: unknown } };

const exceptionEvents = ['uncaughtException', 'unhandledRejection', 'uncaughtExceptionMonitor'] as const;
const listenerCounts = (): number[] => exceptionEvents.map((event) => process.listenerCount(event));

describe('the shim runtime of each embedded network', () => {
  it('is released by its network’s close: another network keeps working, and the last one gives the process back', async () => {
    const root = await mkdtemp(join(tmpdir(), 'credledger-shim-runtime-'));
    const open = (name: string): Promise<EmbeddedNetwork> =>
      openNetwork({ directory: join(root, name), chaincodeName: 'kv', contracts, fsync: false });
    const parser = Certificate.fromPEM;
    const listeners = listenerCounts();
    const opened: EmbeddedNetwork[] = [];
    try {
      const first = await open('first');
      opened.push(first);
      const second = await open('second');
      opened.push(second);
      expect(Certificate.fromPEM).not.toBe(parser);
      await first.connect('MojMSP/operator').submit('Put', 'k', 'first');
      await second.connect('MojMSP/operator').submit('Put', 'k', 'second');

      await first.close();
      // The second network still holds the runtime: it goes on, the memo with it.
      expect(Certificate.fromPEM).not.toBe(parser);
      const moj = second.connect('MojMSP/operator');
      await moj.submit('Put', 'k', 'second again');
      expect(Buffer.from(await moj.evaluate('Get', 'k')).toString()).toBe('second again');

      await second.close();
      expect(Certificate.fromPEM).toBe(parser);
      expect(listenerCounts()).toEqual(listeners);
      expect(process.env.GRPC_SSL_CIPHER_SUITES).toBeUndefined();

      // A network opened after every other closed loads the runtime again and works as the first did.
      const third = await open('first');
      opened.push(third);
      expect(Certificate.fromPEM).not.toBe(parser);
      const reader = third.connect('MoeaMSP/operator');
      expect(Buffer.from(await reader.evaluate('Get', 'k')).toString()).toBe('first');
      await reader.submit('Put', 'k', 'third');
      await third.close();
      expect(Certificate.fromPEM).toBe(parser);
      expect(listenerCounts()).toEqual(listeners);
    } finally {
      for (const network of opened) await network.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('keeps fabric-shim’s and fabric-contract-api’s loggers quiet, in a test runner’s module registry too', async () => {
    const root = await mkdtemp(join(tmpdir(), 'credledger-shim-runtime-'));
    const network = await openNetwork({ directory: join(root, 'quiet'), chaincodeName: 'kv', contracts, fsync: false });
    const written: string[] = [];
    const capture = (...args: unknown[]): boolean => {
      written.push(args.map(String).join(' '));
      return true;
    };
    const spies = [
      jest.spyOn(console, 'log').mockImplementation(capture),
      jest.spyOn(console, 'info').mockImplementation(capture),
      jest.spyOn(console, 'warn').mockImplementation(capture),
      jest.spyOn(console, 'error').mockImplementation(capture),
      jest.spyOn(process.stdout, 'write').mockImplementation(capture),
      jest.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    try {
      // An unknown function: fabric-contract-api's contract and fabric-shim's dispatcher both log it.
      await expect(network.connect('MojMSP/operator').evaluate('NoSuchFunction')).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      for (const spy of spies) spy.mockRestore();
      await network.close();
      await rm(root, { recursive: true, force: true });
    }
    expect(written).toEqual([]);
  });

  it('is released when opening fails', async () => {
    const root = await mkdtemp(join(tmpdir(), 'credledger-shim-runtime-'));
    const parser = Certificate.fromPEM;
    try {
      await expect(openNetwork({ directory: join(root, 'absent'), create: false, contracts })).rejects.toMatchObject({
        code: 'LEDGER_UNAVAILABLE',
      });
      await expect(
        openNetwork({
          directory: join(root, 'broken'),
          contracts: () => Promise.reject(new Error('no contracts')),
          fsync: false,
        }),
      ).rejects.toThrow('no contracts');
      expect(Certificate.fromPEM).toBe(parser);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
