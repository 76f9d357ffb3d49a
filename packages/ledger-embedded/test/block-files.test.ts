/**
 * Blocks live in append-only block files, LevelDB keeping where each is (decision 0045): a tail no batch
 * names (a process stopped between the append and its batch) is cut at the next open, a file shorter
 * than the ledger says is refused, files roll over at their size, and a ledger of storage format 2
 * (blocks in LevelDB) is moved to the files when opened — also when a move stopped half way.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ClassicLevel } from 'classic-level';
import type { EmbeddedNetwork } from '@credledger/ledger';
import { BlockFiles, blockFileName, decodeLocation, type BlockLocation } from '../src/block-file.js';
import { openNetwork } from '../src/network.js';
import { blockKey, encodeFormat, formatKey, heightKey } from '../src/store.js';
import { testContract, type Stub } from './test-contract.js';

const contracts = testContract(
  'kv',
  (Base) =>
    class extends Base {
      async Put(ctx: { stub: Stub }, key: string, value: string): Promise<void> {
        await ctx.stub.putState(key, Buffer.from(value));
      }
    },
  { Put: 3 },
);

const open = (directory: string): Promise<EmbeddedNetwork> =>
  openNetwork({ directory, chaincodeName: 'kv', contracts, fsync: false });

/** A ledger with `blocks` blocks after genesis, closed; `use` gets its directory. */
async function withLedger(blocks: number, use: (directory: string) => Promise<void>): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'credledger-block-files-'));
  try {
    const network = await open(directory);
    const ledger = network.connect('MojMSP/operator');
    for (let i = 0; i < blocks; i++) await ledger.submit('Put', `k${i}`, `value ${i}`);
    await network.close();
    await use(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function withDb<T>(directory: string, use: (db: ClassicLevel<Buffer, Buffer>) => Promise<T>): Promise<T> {
  const db = new ClassicLevel<Buffer, Buffer>(join(directory, 'db'), {
    keyEncoding: 'buffer',
    valueEncoding: 'buffer',
  });
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

/** Reopens the ledger, checks it whole and writable, and returns its height. */
async function reopenAndCheck(directory: string): Promise<bigint> {
  const network = await open(directory);
  try {
    await expect(network.verifyChain()).resolves.toMatchObject({ ok: true, problems: [] });
    const height = network.height();
    await network.connect('MojMSP/operator').submit('Put', 'after', 'reopen');
    expect(network.height()).toBe(height + 1n);
    await expect(network.verifyChain()).resolves.toMatchObject({ ok: true, problems: [] });
    return height;
  } finally {
    await network.close();
  }
}

const blockFile = (directory: string, n = 0): string => join(directory, 'blocks', blockFileName(n));

describe('block files', () => {
  it('keeps every block in the block file, and LevelDB only where each is', () =>
    withLedger(3, async (directory) => {
      const size = (await stat(blockFile(directory))).size;
      const locations = await withDb(directory, (db) => db.values({ gte: blockKey(0), lt: blockKey(99) }).all());
      expect(locations.map((l) => l.length)).toEqual([16, 16, 16, 16]);
      const last = decodeLocation(locations[3] as Buffer);
      expect(last.offset + last.length).toBe(size);
      expect(await reopenAndCheck(directory)).toBe(4n);
    }));

  it('cuts off a tail of bytes no batch names when the ledger opens', () =>
    withLedger(2, async (directory) => {
      const size = (await stat(blockFile(directory))).size;
      await appendFile(blockFile(directory), Buffer.alloc(5000, 7));
      const network = await open(directory);
      await network.close();
      expect((await stat(blockFile(directory))).size).toBe(size);
      expect(await reopenAndCheck(directory)).toBe(3n);
    }));

  it('refuses a ledger whose block file is shorter than its blocks, naming the file', () =>
    withLedger(2, async (directory) => {
      const size = (await stat(blockFile(directory))).size;
      await truncate(blockFile(directory), size - 10);
      await expect(open(directory)).rejects.toMatchObject({
        code: 'LEDGER_CORRUPT',
        message: expect.stringContaining(`${blockFile(directory)} has ${size - 10} bytes`),
      });
    }));

  it('starts the next file when a block would take the current one past its size', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'credledger-block-files-'));
    try {
      const blocks = Array.from({ length: 7 }, (_, i) => Buffer.alloc(40, i + 1));
      const files = await BlockFiles.open(directory, undefined, true, 100);
      const at: BlockLocation[] = [];
      for (const b of blocks) at.push(await files.append(b));
      expect(at.map((l) => l.file)).toEqual([0, 0, 1, 1, 2, 2, 3]);
      for (const [i, l] of at.entries()) {
        expect(await files.read(l)).toEqual(blocks[i]);
        expect(files.readSync(l)).toEqual(blocks[i]);
      }
      files.close();
      expect((await readdir(directory)).sort()).toEqual([0, 1, 2, 3].map(blockFileName));

      // Reopened at the fifth block: the sixth and seventh (file 2's second record, file 3) are cut.
      const reopened = await BlockFiles.open(directory, at[4], true, 100);
      expect((await readdir(directory)).sort()).toEqual([0, 1, 2].map(blockFileName));
      const next = await reopened.append(Buffer.alloc(40, 9));
      expect(next).toEqual(at[5]);
      expect(await reopened.read(at[0] as BlockLocation)).toEqual(blocks[0]);
      reopened.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  /** Puts the blocks from `from` on back into LevelDB as storage format 2 kept them. */
  async function toFormat2(directory: string, from: number): Promise<void> {
    const file = await readFile(blockFile(directory));
    await withDb(directory, async (db) => {
      const height = (JSON.parse(((await db.get(heightKey)) as Buffer).toString()) as { height: number }).height;
      let end = 0;
      for (let n = 0; n < height; n++) {
        const at = decodeLocation((await db.get(blockKey(n))) as Buffer);
        if (n < from) end = at.offset + at.length;
        else await db.put(blockKey(n), file.subarray(at.offset, at.offset + at.length));
      }
      await db.put(formatKey, encodeFormat(2));
      await truncate(blockFile(directory), end);
    });
    if (from === 0) await rm(join(directory, 'blocks'), { recursive: true });
  }

  it('moves the blocks of a format-2 ledger to block files when it opens', () =>
    withLedger(3, async (directory) => {
      await toFormat2(directory, 0);
      expect(await reopenAndCheck(directory)).toBe(4n);
      const format = await withDb(directory, (db) => db.get(formatKey));
      expect(format?.readUInt32BE(0)).toBe(3);
    }));

  it('finishes a move to block files that stopped half way', () =>
    withLedger(4, async (directory) => {
      // Blocks 0–1 moved, 2–4 still in LevelDB, and a block appended to the file no batch named.
      await toFormat2(directory, 2);
      await appendFile(blockFile(directory), Buffer.alloc(300, 1));
      expect(await reopenAndCheck(directory)).toBe(5n);
    }));
});
