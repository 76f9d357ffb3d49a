/**
 * The LevelDB status index (`statusIndexAllocators.level`) on a real classic-level store in a temp
 * directory: idempotency, uniqueness under concurrent calls, durability across reopen, migration from
 * the JSON Lines file (torn last line, interrupted import), open without reading the allocations, and
 * nothing allocated when a write fails.
 */
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';
import { ClassicLevel } from 'classic-level';

import { DEFAULT_STATUS_LIST_SIZE, statusIndexAllocators } from '../src/status/allocator.js';

const MOJ = 'did:web:moj.gov.tw';
const MOEA = 'did:web:moea.gov.tw';
const ids = (n: number, prefix = 'a'): string[] => Array.from({ length: n }, (_, i) => `urn:uuid:${prefix}-${i}`);

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'credledger-status-index-'));
  dirs.push(dir);
  return dir;
}

type Proto = Record<string, (...args: unknown[]) => unknown>;
const proto = ClassicLevel.prototype as unknown as Proto;
const restores: (() => void)[] = [];
/** Replaces a ClassicLevel method for every instance until the test ends. */
function wrap(name: string, make: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown) {
  const had = Object.prototype.hasOwnProperty.call(proto, name);
  const original = proto[name] as (...args: unknown[]) => unknown;
  proto[name] = make(original);
  restores.push(() => {
    if (had) proto[name] = original;
    else Reflect.deleteProperty(proto, name);
  });
}

afterEach(() => {
  for (const restore of restores.splice(0).reverse()) restore();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The stored taken-count of a list, read with a raw classic-level (the store closed). */
async function storedCount(directory: string, issuer: string, purpose: string, list: number): Promise<number> {
  const db = new ClassicLevel<string, string>(directory, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  try {
    return Number((await db.get(`n:${purpose}:${issuer.length}:${issuer}:${list}`)) ?? 0);
  } finally {
    await db.close();
  }
}

describe('statusIndexAllocators.level', () => {
  it('allocates unique random indexes, idempotent per credential id, and keeps them across reopen', async () => {
    const directory = join(tempDir(), 'status-index');
    const first = statusIndexAllocators.level(directory);
    const allocated = await first.allocate(MOJ, 'revocation', ids(2000));
    expect(new Set(allocated.map((a) => a.index)).size).toBe(2000);
    for (const a of allocated) {
      expect(a.list).toBe(0);
      expect(a.index).toBeGreaterThanOrEqual(0);
      expect(a.index).toBeLessThan(DEFAULT_STATUS_LIST_SIZE);
    }
    expect(allocated.every((a, i) => i === 0 || a.index > (allocated[i - 1]?.index ?? -1))).toBe(false);
    // A retried batch (some old ids, some new) gets the old allocations back.
    const retried = await first.allocate(MOJ, 'revocation', [...ids(3), 'urn:uuid:new']);
    expect(retried.slice(0, 3)).toEqual(allocated.slice(0, 3));
    expect(allocated.map((a) => a.index)).not.toContain(retried[3]?.index);
    await first.close();

    await using reopened = statusIndexAllocators.level(directory);
    expect(await reopened.allocate(MOJ, 'revocation', ids(2000))).toEqual(allocated);
    const all = await reopened.allocations(MOJ, 'revocation');
    expect(all.size).toBe(2001);
    expect(all.get('urn:uuid:a-7')).toEqual(allocated[7]);
    expect((await reopened.allocations(MOJ, 'suspension')).size).toBe(0);
  });

  it('keeps issuers and purposes apart, and walks to a free index when draws keep colliding', async () => {
    await using allocator = statusIndexAllocators.level(join(tempDir(), 'idx'), { random: () => 5 });
    expect(await allocator.allocate(MOJ, 'revocation', ids(3))).toEqual([
      { list: 0, index: 5 },
      { list: 0, index: 6 },
      { list: 0, index: 7 },
    ]);
    expect(await allocator.allocate(MOJ, 'revocation', ['urn:uuid:later'])).toEqual([{ list: 0, index: 8 }]);
    const [sus] = await allocator.allocate(MOJ, 'suspension', ['urn:uuid:a-0']);
    const [other] = await allocator.allocate(MOEA, 'revocation', ['urn:uuid:a-0']);
    // An issuer whose DID is another's with more characters has lists of its own too.
    const [longer] = await allocator.allocate(`${MOJ}:x`, 'revocation', ['urn:uuid:a-0']);
    expect([sus, other, longer]).toEqual([
      { list: 0, index: 5 },
      { list: 0, index: 5 },
      { list: 0, index: 5 },
    ]);
    expect([...(await allocator.allocations(MOJ, 'revocation')).keys()].sort()).toEqual(
      [...ids(3), 'urn:uuid:later'].sort(),
    );
  });

  it('never hands out one index twice to concurrent calls, and commits calls made together in one write', async () => {
    const directory = join(tempDir(), 'idx');
    let batches = 0;
    wrap(
      'batch',
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          batches++;
          return original.apply(this, args);
        },
    );
    // A small random range makes draws collide often, between calls and with stored indexes.
    let n = 0;
    await using allocator = statusIndexAllocators.level(directory, { random: (bound) => ((n++ * 7919) % 300) % bound });
    const before = batches;
    const calls = Array.from({ length: 12 }, (_, c) =>
      allocator.allocate(MOJ, 'revocation', [...ids(20, `c${c}`), `urn:uuid:shared-${c % 3}`]),
    );
    const results = await Promise.all(calls);
    expect(batches - before).toBeLessThanOrEqual(2);
    const byId = new Map<string, string>();
    const taken = new Map<string, string>();
    results.forEach((result, c) => {
      const callIds = [...ids(20, `c${c}`), `urn:uuid:shared-${c % 3}`];
      result.forEach((a, i) => {
        const id = callIds[i] ?? '';
        const where = `${a.list}:${a.index}`;
        // The same id in two concurrent calls gets the same allocation …
        if (byId.has(id)) expect(byId.get(id)).toBe(where);
        byId.set(id, where);
        // … and no index belongs to two ids.
        if (taken.has(where)) expect(taken.get(where)).toBe(id);
        taken.set(where, id);
      });
    });
    expect(byId.size).toBe(12 * 20 + 3);
    expect(taken.size).toBe(12 * 20 + 3);
    // The revocation and suspension indexes of one chunk, asked for together, share one synced batch.
    const together = batches;
    await Promise.all([
      allocator.allocate(MOJ, 'revocation', ids(50, 'pair')),
      allocator.allocate(MOJ, 'suspension', ids(50, 'pair')),
    ]);
    expect(batches - together).toBe(1);
    await allocator.close();
    expect(await storedCount(directory, MOJ, 'revocation', 0)).toBe(12 * 20 + 3 + 50);
    expect(await storedCount(directory, MOJ, 'suspension', 0)).toBe(50);
  });

  it('returns nothing allocated when the write fails, and frees the indexes it drew', async () => {
    const directory = join(tempDir(), 'idx');
    let fail = true;
    wrap(
      'batch',
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          if (fail && Array.isArray(args[0])) return Promise.reject(new Error('disk full'));
          return original.apply(this, args);
        },
    );
    const allocator = statusIndexAllocators.level(directory, { random: () => 9 });
    await expect(allocator.allocate(MOJ, 'revocation', ['urn:uuid:x', 'urn:uuid:y'])).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
    expect((await allocator.allocations(MOJ, 'revocation')).size).toBe(0);
    fail = false;
    // Index 9 was never stored, so it is free for the next credential.
    expect(await allocator.allocate(MOJ, 'revocation', ['urn:uuid:z'])).toEqual([{ list: 0, index: 9 }]);
    await allocator.close();
    expect(await storedCount(directory, MOJ, 'revocation', 0)).toBe(1);
    await using reopened = statusIndexAllocators.level(directory, { random: () => 9 });
    expect([...(await reopened.allocations(MOJ, 'revocation')).keys()]).toEqual(['urn:uuid:z']);
  });

  it('opens a store of 200,000 allocations without reading them: open and one lookup take a few reads', async () => {
    const directory = join(tempDir(), 'idx');
    const total = 200_000;
    {
      await using writer = statusIndexAllocators.level(directory);
      for (let chunk = 0; chunk < total / 10_000; chunk++) {
        await writer.allocate(MOJ, 'revocation', ids(10_000, `big${chunk}`));
      }
    }
    let reads = 0;
    let iterators = 0;
    for (const name of ['get', 'getMany']) {
      wrap(
        name,
        (original) =>
          function (this: unknown, ...args: unknown[]) {
            reads += Array.isArray(args[0]) ? args[0].length : 1;
            return original.apply(this, args);
          },
      );
    }
    for (const name of ['iterator', 'keys', 'values']) {
      wrap(
        name,
        (original) =>
          function (this: unknown, ...args: unknown[]) {
            iterators++;
            return original.apply(this, args);
          },
      );
    }
    await using reader = statusIndexAllocators.level(directory);
    const [found] = await reader.allocate(MOJ, 'revocation', ['urn:uuid:big7-1234']);
    expect(found?.list).toBeGreaterThanOrEqual(0);
    expect(iterators).toBe(0);
    expect(reads).toBeGreaterThan(0); // the count is live: the lookup itself is one read
    expect(reads).toBeLessThan(10);
    // A new allocation reads its list counts (one per list) and checks the indexes it draws.
    const readsBefore = reads;
    const [fresh] = await reader.allocate(MOJ, 'revocation', ['urn:uuid:one-more']);
    expect(fresh?.list).toBe(1); // 200,000 > 131,072: list 0 is full
    expect(iterators).toBe(0);
    expect(reads - readsBefore).toBeLessThan(100);
    expect(reads).toBeLessThan(total / 1000);
  }, 120_000);

  it('imports a JSON Lines status index once (a torn last line skipped), then renames it', async () => {
    const dir = tempDir();
    const file = join(dir, 'status-index.jsonl');
    const old = statusIndexAllocators.file(file);
    const revocation = await old.allocate(MOJ, 'revocation', ids(300, 'old'));
    const suspension = await old.allocate(MOJ, 'suspension', ids(300, 'old'));
    const moea = await old.allocate(MOEA, 'revocation', ['urn:uuid:moea']);
    appendFileSync(file, '{"issuer":"did:web:moj.gov.tw","purp'); // crash mid-append

    const directory = join(dir, 'status-index');
    const allocator = statusIndexAllocators.level(directory, { migrateFrom: file });
    expect(await allocator.allocate(MOJ, 'revocation', ids(300, 'old'))).toEqual(revocation);
    expect(await allocator.allocate(MOJ, 'suspension', ids(300, 'old'))).toEqual(suspension);
    expect(await allocator.allocate(MOEA, 'revocation', ['urn:uuid:moea'])).toEqual(moea);
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(`${file}.migrated`, 'utf8').split('\n').filter(Boolean)).toHaveLength(602);
    const [next] = await allocator.allocate(MOJ, 'revocation', ['urn:uuid:new']);
    expect(revocation.map((a) => a.index)).not.toContain(next?.index);
    await allocator.close();
    expect(await storedCount(directory, MOJ, 'revocation', 0)).toBe(301);
    expect(await storedCount(directory, MOJ, 'suspension', 0)).toBe(300);
  });

  it('finishes an interrupted migration on the next open, losing and changing nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'status-index.jsonl');
    const old = statusIndexAllocators.file(file);
    const count = 25_000; // three import batches of 10,000 lines
    const expected = await old.allocate(MOJ, 'revocation', ids(count, 'm'));
    const directory = join(dir, 'status-index');

    // The second import batch fails (a crash there): the first is stored, the file stays.
    let batches = 0;
    wrap(
      'batch',
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          if (Array.isArray(args[0]) && ++batches === 2) return Promise.reject(new Error('power cut'));
          return original.apply(this, args);
        },
    );
    const interrupted = statusIndexAllocators.level(directory, { migrateFrom: file });
    await expect(interrupted.allocate(MOJ, 'revocation', ['urn:uuid:x'])).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    await interrupted.close();
    expect(existsSync(file)).toBe(true);
    expect(await storedCount(directory, MOJ, 'revocation', 0)).toBe(10_000);

    const resumed = statusIndexAllocators.level(directory, { migrateFrom: file });
    expect(await resumed.allocate(MOJ, 'revocation', ids(count, 'm'))).toEqual(expected);
    expect(existsSync(file)).toBe(false);
    await resumed.close();
    expect(await storedCount(directory, MOJ, 'revocation', 0)).toBe(count);

    // Stored but not yet renamed (a crash between the two): the next open imports nothing twice.
    copyFileSync(`${file}.migrated`, file);
    const again = statusIndexAllocators.level(directory, { migrateFrom: file });
    expect((await again.allocations(MOJ, 'revocation')).size).toBe(count);
    expect(existsSync(file)).toBe(false);
    await again.close();
    expect(await storedCount(directory, MOJ, 'revocation', 0)).toBe(count);
  }, 60_000);

  it('refuses to import a line that would give a stored index to another credential, keeping the file', async () => {
    const dir = tempDir();
    const directory = join(dir, 'status-index');
    {
      await using allocator = statusIndexAllocators.level(directory, { random: () => 5 });
      expect(await allocator.allocate(MOJ, 'revocation', ['urn:uuid:stored'])).toEqual([{ list: 0, index: 5 }]);
    }
    const file = join(dir, 'status-index.jsonl');
    const line = { issuer: MOJ, purpose: 'revocation', id: 'urn:uuid:other', list: 0, index: 5 };
    writeFileSync(file, `${JSON.stringify(line)}\n`);
    const allocator = statusIndexAllocators.level(directory, { migrateFrom: file });
    await expect(allocator.allocations(MOJ, 'revocation')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('urn:uuid:stored'),
    });
    await allocator.close();
    expect(existsSync(file)).toBe(true);
    expect(await storedCount(directory, MOJ, 'revocation', 0)).toBe(1);
  });

  it('is closable, locked while open, and refuses a different list size', async () => {
    const directory = join(tempDir(), 'idx');
    const allocator = statusIndexAllocators.level(directory);
    await allocator.allocate(MOJ, 'revocation', ['urn:uuid:a']);
    const second = statusIndexAllocators.level(directory);
    await expect(second.allocations(MOJ, 'revocation')).rejects.toMatchObject({ code: 'LEDGER_LOCKED' });
    await second.close();
    await allocator.close();
    await allocator.close();
    await expect(allocator.allocate(MOJ, 'revocation', ['urn:uuid:b'])).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    const bigger = statusIndexAllocators.level(directory, { listSize: DEFAULT_STATUS_LIST_SIZE * 2 });
    await expect(bigger.allocations(MOJ, 'revocation')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await bigger.close();
  });
});
