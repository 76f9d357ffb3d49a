/**
 * A peer serialises the calls of one transaction in the order the chaincode issued them. The embedded
 * peer runs a call at once when none is in progress and queues it behind one that is (a range query),
 * so calls issued without awaiting still take effect in issue order, against committed state only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { EmbeddedNetwork } from '@credledger/ledger';
import { openNetwork } from '../src/network.js';
import { testContract } from './test-contract.js';

interface Iterator {
  next(): Promise<{ value?: { key: string; value: Uint8Array }; done: boolean }>;
  close(): Promise<void>;
}
interface Stub {
  getState(key: string): Promise<Uint8Array>;
  putState(key: string, value: Uint8Array): Promise<void>;
  deleteState(key: string): Promise<void>;
  getStateByRange(start: string, end: string): Promise<Iterator>;
  getStateByRangeWithPagination(start: string, end: string, pageSize: number): Promise<{ iterator: Iterator }>;
}

async function drain(iterator: Iterator): Promise<string[]> {
  const seen: string[] = [];
  for (let r = await iterator.next(); !r.done; r = await iterator.next())
    if (r.value) seen.push(`${r.value.key}=${Buffer.from(r.value.value).toString()}`);
  await iterator.close();
  return seen;
}

const message = (r: PromiseSettledResult<unknown>): string =>
  r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message;

const contracts = testContract(
  'calls',
  (Base) =>
    class extends Base {
      async Seed(ctx: { stub: Stub }): Promise<void> {
        await ctx.stub.putState('k1', Buffer.from('one'));
        await ctx.stub.putState('k2', Buffer.from('two'));
      }
      async Get(ctx: { stub: Stub }, key: string): Promise<string> {
        return Buffer.from(await ctx.stub.getState(key)).toString();
      }
      /** Reads and writes issued without awaiting, a range query among them. */
      async Unawaited(ctx: { stub: Stub }): Promise<string> {
        const s = ctx.stub;
        const calls = [
          s.getState('k1'),
          s.putState('k1', Buffer.from('changed')),
          s.getStateByRange('k', 'l'),
          s.getState('k1'),
          s.putState('k3', Buffer.from('three')),
          s.deleteState('k2'),
        ] as const;
        const [first, , range, again] = await Promise.all(calls);
        return JSON.stringify({
          first: Buffer.from(first).toString(),
          again: Buffer.from(again).toString(),
          range: await drain(range),
        });
      }
      /** A write issued right after a paginated query, before it answered. */
      async WriteAfterPaginated(ctx: { stub: Stub }): Promise<string> {
        const s = ctx.stub;
        const [query, put] = await Promise.allSettled([
          s.getStateByRangeWithPagination('k', 'l', 10),
          s.putState('k4', Buffer.from('four')),
        ]);
        if (query.status === 'fulfilled') await query.value.iterator.close();
        return JSON.stringify({ query: message(query), put: message(put) });
      }
      /** A paginated query issued right after a write, before it answered. */
      async PaginatedAfterWrite(ctx: { stub: Stub }): Promise<string> {
        const s = ctx.stub;
        const [put, query] = await Promise.allSettled([
          s.putState('k4', Buffer.from('four')),
          s.getStateByRangeWithPagination('k', 'l', 10),
        ]);
        return JSON.stringify({ put: message(put), query: message(query) });
      }
    },
  { Seed: 1, Get: 2, Unawaited: 1, WriteAfterPaginated: 1, PaginatedAfterWrite: 1 },
);

describe('state calls of one transaction', () => {
  it('take effect in the order the chaincode issued them, awaited or not', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'credledger-simulator-calls-'));
    let network: EmbeddedNetwork | undefined;
    try {
      network = await openNetwork({ directory, chaincodeName: 'calls', contracts, fsync: false });
      const moj = network.connect('MojMSP/operator');
      await moj.submit('Seed');

      const committed = await moj.submit('Unawaited');
      // No read-your-writes: both reads and the range see committed state.
      expect(JSON.parse(Buffer.from(committed.payload).toString())).toEqual({
        first: 'one',
        again: 'one',
        range: ['k1=one', 'k2=two'],
      });
      const read = async (key: string): Promise<string> => Buffer.from(await moj.evaluate('Get', key)).toString();
      expect([await read('k1'), await read('k2'), await read('k3')]).toEqual(['changed', '', 'three']);

      const write = JSON.parse(Buffer.from(await moj.evaluate('WriteAfterPaginated')).toString()) as object;
      expect(write).toEqual({
        query: 'ok',
        put: expect.stringContaining('Transaction has already performed a paginated query. Writes are not allowed'),
      });
      const query = JSON.parse(Buffer.from(await moj.evaluate('PaginatedAfterWrite')).toString()) as object;
      expect(query).toEqual({
        put: 'ok',
        query: expect.stringContaining('Paginated queries are supported only in a read-only transaction'),
      });
    } finally {
      await network?.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
