/**
 * The embedded ledger's LevelDB keeps a 64 MiB write buffer (decision 0045). LevelDB replays an
 * unflushed buffer's log when it next opens, so closing after a large batch flushes the buffer into a
 * table: the next command opens without replaying it. Closing after a few writes leaves them in the log,
 * as LevelDB's own close does, and waits for nothing.
 */
import { readdir, stat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { EmbeddedNetwork } from '@credledger/ledger';
import { openNetwork } from '../src/network.js';
import { testContract, type Stub } from './test-contract.js';

const contracts = testContract(
  'bulk',
  (Base) =>
    class extends Base {
      async PutMany(ctx: { stub: Stub }, keyPrefix: string, count: string, size: string): Promise<void> {
        for (let i = 0; i < Number(count); i++) {
          const value = Buffer.alloc(Number(size), `${keyPrefix}${i}`);
          await ctx.stub.putState(`${keyPrefix}/${String(i).padStart(6, '0')}`, value);
        }
      }
    },
  { PutMany: 4 },
);

/** Bytes of LevelDB's write-ahead logs (`*.log`) in the ledger's store: what the next open replays. */
async function logBytes(directory: string): Promise<number> {
  const db = join(directory, 'db');
  let total = 0;
  for (const name of await readdir(db)) if (name.endsWith('.log')) total += (await stat(join(db, name))).size;
  return total;
}

describe('the embedded ledger at close', () => {
  const open = (directory: string): Promise<EmbeddedNetwork> =>
    openNetwork({ directory, chaincodeName: 'bulk', contracts, fsync: false });

  it('flushes the write buffer after a large batch, so the next open replays nothing, and keeps every block', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'credledger-write-buffer-'));
    let network: EmbeddedNetwork | undefined;
    try {
      network = await open(directory);
      const operator = network.connect('MojMSP/operator');
      // Sixteen blocks of 500 values of 1 KiB: ~8 MiB of world state in LevelDB (the blocks go to their files).
      for (let block = 0; block < 16; block++) await operator.submit('PutMany', `k${block}`, '500', '1024');
      const height = network.height();
      await network.close();
      network = undefined;

      expect(await logBytes(directory)).toBeLessThan(64 * 1024);
      network = await open(directory);
      expect(network.height()).toBe(height);
      await expect(network.verifyChain()).resolves.toMatchObject({ ok: true, problems: [] });
    } finally {
      await network?.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('leaves a few writes in the log for the next open to replay', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'credledger-write-buffer-'));
    let network: EmbeddedNetwork | undefined;
    try {
      network = await open(directory);
      await network.connect('MojMSP/operator').submit('PutMany', 'few', '3', '100');
      const height = network.height();
      await network.close();
      network = undefined;

      expect(await logBytes(directory)).toBeGreaterThan(0);
      network = await open(directory);
      expect(network.height()).toBe(height);
      await expect(network.verifyChain()).resolves.toMatchObject({ ok: true, problems: [] });
    } finally {
      await network?.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
