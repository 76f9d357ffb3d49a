/**
 * Storage format 2 → 3: a ledger whose blocks are in LevelDB gets them moved to block files when it is
 * first opened by a version that keeps them there (decision 0045). Blocks are moved in order, a chunk at
 * a time: appended to the files, the files synced, then one batch replaces the chunk's block records by
 * their locations; the last batch also sets the format record. A migration that stops half way resumes
 * at the next open: the records already replaced are a prefix of the chain (a location is 16 bytes, a
 * block never is), and the files are cut after the last of them.
 */
import type { ClassicLevel } from 'classic-level';
import { BlockFiles, decodeLocation, encodeLocation, type BlockLocation } from './block-file.js';
import { blockKey, encodeFormat, formatKey, heightKey, storageFormat } from './store.js';

type Db = ClassicLevel<Buffer, Buffer>;

/** Blocks moved per batch. */
const chunkBlocks = 1000;

/** A block record of format 3: where the block is (16 bytes). Any other length is a block kept inline. */
const isLocation = (value: Buffer): boolean => value.length === 16;

export async function moveBlocksToFiles(db: Db, directory: string, durable: boolean): Promise<void> {
  const headRaw = await db.get(heightKey);
  if (headRaw === undefined) throw new Error('ledger height record missing');
  const height = (JSON.parse(headRaw.toString('utf8')) as { height: number }).height;

  // The first block not yet moved, and where the last moved one is.
  let next = 0;
  let last: BlockLocation | undefined;
  while (next < height) {
    const value = await db.get(blockKey(next));
    if (value === undefined) throw new Error(`block ${next} is missing`);
    if (!isLocation(value)) break;
    last = decodeLocation(value);
    next++;
  }

  // Synced once per chunk, before the batch that names the chunk's blocks.
  const files = await BlockFiles.open(directory, last, false);
  let formatSet = false;
  try {
    while (next < height) {
      const batch = db.batch();
      const end = Math.min(height, next + chunkBlocks);
      for (; next < end; next++) {
        const key = blockKey(next);
        const value = await db.get(key);
        if (value === undefined) throw new Error(`block ${next} is missing`);
        batch.put(key, encodeLocation(await files.append(value)));
      }
      if (next === height) {
        batch.put(formatKey, encodeFormat(storageFormat));
        formatSet = true;
      }
      if (durable) files.sync();
      await batch.write({ sync: durable });
    }
    if (!formatSet) await db.put(formatKey, encodeFormat(storageFormat), { sync: durable });
  } finally {
    files.close();
  }
}
