/**
 * The status index in a LevelDB (classic-level) directory, for a country's worth of credentials:
 * opening reads no allocation, `allocate` looks up only the keys it needs, and memory holds only the
 * allocations still being written and one counter per list.
 *
 * Keys (utf8; `<group>` is `<purpose>:<issuer length>:<issuer>`, so no issuer's keys run into another's):
 * - `a:<group>:<credential id>` → `<list>:<index>` — the credential's allocation;
 * - `u:<group>:<list>:<index>` → credential id — that index is taken;
 * - `n:<group>:<list>` → how many indexes of the list are taken;
 * - `m:listSize` → the list size the store was created with.
 * An allocation's three keys (its `a:` and `u:` keys and its list's new count) land in one synced batch.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

import type { ClassicLevel } from 'classic-level';

import { CredledgerError, type StatusPurpose } from '@credledger/verify';
import type { StatusAllocation } from '@credledger/verify/formats';

import {
  type AllocationLine,
  type AllocatorOptions,
  checkAllocateInput,
  listSizeOf,
  parseLine,
  secureRandomSource,
} from './allocator-shared.js';

type Db = ClassicLevel;
type Op = { type: 'put'; key: string; value: string };

export interface LevelAllocatorOptions extends AllocatorOptions {
  /**
   * A JSON Lines file of {@link statusIndexAllocators.file} to import once, when the store opens: its
   * allocations are written (synced) into the store, then the file is renamed `<file>.migrated`. An
   * import cut short is finished by the next open; an allocation already in the store is kept as it is.
   */
  readonly migrateFrom?: string;
}

const groupOf = (issuerDid: string, purpose: StatusPurpose): string => `${purpose}:${issuerDid.length}:${issuerDid}`;
const idKey = (group: string, id: string): string => `a:${group}:${id}`;
const usedKey = (group: string, list: number, index: number): string => `u:${group}:${list}:${index}`;
const countKey = (group: string, list: number): string => `n:${group}:${list}`;
const listSizeKey = 'm:listSize';
const allocationValue = (a: StatusAllocation): string => `${a.list}:${a.index}`;

function parseAllocation(value: string): StatusAllocation {
  const colon = value.indexOf(':');
  return { list: Number(value.slice(0, colon)), index: Number(value.slice(colon + 1)) };
}

/** Lines imported per synced batch when migrating a JSON Lines file. */
const importChunk = 10_000;
/** Draws per credential before walking the list for a free index. */
const maxDraws = 64;
/** Indexes looked up at once while walking a nearly full list. */
const walkChunk = 1024;
/** A group commit writes at once what this many allocations need, even while more are being decided. */
const maxGroupOps = 60_000;

/** Taken-index counts of one (issuer, purpose): `taken` includes allocations being written, `durable` not. */
interface GroupCounts {
  readonly taken: number[];
  readonly durable: number[];
}

/** An allocate call's new allocations, waiting for their group commit. */
interface PendingWrite {
  readonly group: string;
  readonly ops: Op[];
  /** Per list: allocations added to it. */
  readonly added: Map<number, number>;
  readonly idKeys: readonly string[];
  readonly usedKeys: readonly string[];
  readonly done: (error?: unknown) => void;
}

/** A StatusIndexAllocator on LevelDB; see {@link statusIndexAllocators.level}. */
export class LevelStatusIndexAllocator {
  readonly listSize: number;
  readonly #directory: string;
  readonly #random: (bound: number) => number;
  readonly #migrateFrom: string | undefined;
  #opening: Promise<Db> | undefined;
  #db: Db | undefined;
  #closed = false;
  /** The decide step of allocate calls runs one at a time (reads, then reserves). */
  #lock: Promise<unknown> = Promise.resolve();
  /** Allocate calls between their start and their write being queued. */
  #deciding = 0;
  #waiting: PendingWrite[] = [];
  #flushing: Promise<void> | undefined;
  readonly #counts = new Map<string, GroupCounts>();
  /** Allocations not yet durable: `a:` key → allocation and its write. */
  readonly #pendingIds = new Map<string, { allocation: StatusAllocation; written: Promise<void> }>();
  /** `u:` keys of allocations not yet durable. */
  readonly #reserved = new Set<string>();

  constructor(directory: string, options: LevelAllocatorOptions = {}) {
    this.listSize = listSizeOf(options);
    this.#directory = directory;
    this.#random = options.random ?? secureRandomSource();
    this.#migrateFrom = options.migrateFrom;
  }

  /** Opens the store (and finishes a migration) on first use; a failed open is tried again next time. */
  #db_(): Promise<Db> {
    if (this.#closed) return Promise.reject(new CredledgerError('CONFIG_INVALID', 'the status index store is closed'));
    this.#opening ??= this.#open().catch((error: unknown) => {
      this.#opening = undefined;
      throw error;
    });
    return this.#opening;
  }

  async #open(): Promise<Db> {
    const directory = this.#directory;
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const { ClassicLevel } = await import('classic-level');
    const db: Db = new ClassicLevel<string, string>(directory, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    try {
      await db.open({ createIfMissing: true });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') {
        throw new CredledgerError('LEDGER_LOCKED', `status index ${directory} is in use by another process`, {
          cause: error,
          details: { directory },
        });
      }
      throw new CredledgerError('CONFIG_INVALID', `cannot open status index ${directory}`, {
        cause: error,
        details: { directory },
      });
    }
    try {
      const stored = await db.get(listSizeKey);
      if (stored === undefined) await db.put(listSizeKey, String(this.listSize), { sync: true });
      else if (Number(stored) !== this.listSize) {
        throw new CredledgerError(
          'CONFIG_INVALID',
          `status index ${directory} has lists of ${stored} entries, not ${this.listSize}`,
          { details: { directory } },
        );
      }
      if (this.#migrateFrom !== undefined && existsSync(this.#migrateFrom)) {
        await importJsonLines(db, this.#migrateFrom, this.listSize);
      }
    } catch (error) {
      await db.close();
      if (error instanceof CredledgerError) throw error;
      throw new CredledgerError('CONFIG_INVALID', `cannot import ${this.#migrateFrom ?? ''} into ${directory}`, {
        cause: error,
        details: { directory },
      });
    }
    if (this.#closed) {
      await db.close();
      throw new CredledgerError('CONFIG_INVALID', 'the status index store is closed');
    }
    this.#db = db;
    return db;
  }

  async allocate(
    issuerDid: string,
    purpose: StatusPurpose,
    credentialIds: readonly string[],
  ): Promise<StatusAllocation[]> {
    checkAllocateInput(issuerDid, purpose, credentialIds);
    this.#deciding += 1;
    // Set once this call's write is queued (inside the lock), so it stops holding the group commit back.
    const call = { queued: false };
    let decided: { result: StatusAllocation[]; waits: Promise<void>[] };
    try {
      const db = await this.#db_();
      decided = await this.#locked(async () => {
        const out = await this.#decide(db, groupOf(issuerDid, purpose), credentialIds);
        call.queued = true;
        this.#deciding -= 1;
        return out;
      });
    } finally {
      if (!call.queued) this.#deciding -= 1;
      this.#maybeFlush();
    }
    await Promise.all(decided.waits);
    return decided.result;
  }

  #locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Looks the ids up, picks and reserves indexes for new ones and queues their write. Runs under the lock. */
  async #decide(
    db: Db,
    group: string,
    ids: readonly string[],
  ): Promise<{ result: StatusAllocation[]; waits: Promise<void>[] }> {
    const result: (StatusAllocation | undefined)[] = new Array<StatusAllocation | undefined>(ids.length);
    const waits: Promise<void>[] = [];
    const keys = ids.map((id) => idKey(group, id));
    const lookup: number[] = [];
    keys.forEach((key, i) => {
      const pending = this.#pendingIds.get(key);
      if (pending) {
        // Being written by another call: the same allocation, returned once it is stored.
        result[i] = pending.allocation;
        waits.push(pending.written);
      } else lookup.push(i);
    });
    if (lookup.length > 0) {
      const found = await db.getMany(lookup.map((i) => keys[i] ?? ''));
      found.forEach((value, j) => {
        if (value !== undefined) result[lookup[j] ?? 0] = parseAllocation(value);
      });
    }
    const fresh = lookup.filter((i) => result[i] === undefined);
    if (fresh.length > 0) {
      const counts = await this.#groupCounts(db, group);
      const picked = await this.#pick(db, group, counts, fresh.length).catch((error: unknown) => {
        throw new CredledgerError('FILE_NOT_FOUND', 'cannot read the status index store', { cause: error });
      });
      const ops: Op[] = [];
      const added = new Map<number, number>();
      const usedKeys: string[] = [];
      const idKeys: string[] = [];
      let done!: (error?: unknown) => void;
      const written = new Promise<void>((resolve, reject) => {
        done = (error) => {
          if (error === undefined) resolve();
          else reject(new CredledgerError('FILE_NOT_FOUND', 'cannot write the status index store', { cause: error }));
        };
      });
      fresh.forEach((i, j) => {
        const allocation = picked[j] as StatusAllocation;
        const id = ids[i] ?? '';
        const key = keys[i] ?? '';
        const used = usedKey(group, allocation.list, allocation.index);
        result[i] = allocation;
        ops.push({ type: 'put', key, value: allocationValue(allocation) }, { type: 'put', key: used, value: id });
        added.set(allocation.list, (added.get(allocation.list) ?? 0) + 1);
        usedKeys.push(used);
        idKeys.push(key);
        this.#pendingIds.set(key, { allocation, written });
      });
      // Others waiting on these ids see the failure through their own await; this one is awaited below.
      written.catch(() => undefined);
      waits.push(written);
      this.#waiting.push({ group, ops, added, idKeys, usedKeys, done });
    }
    return { result: result as StatusAllocation[], waits };
  }

  /** The taken counts of every list of the group, read once (one `get` per list) and then kept. */
  async #groupCounts(db: Db, group: string): Promise<GroupCounts> {
    let counts = this.#counts.get(group);
    if (counts) return counts;
    const durable: number[] = [];
    for (;;) {
      const value = await db.get(countKey(group, durable.length));
      if (value === undefined) break;
      durable.push(Number(value));
    }
    counts = { taken: [...durable], durable };
    this.#counts.set(group, counts);
    return counts;
  }

  #firstListWithRoom(counts: GroupCounts): number {
    let list = 0;
    while ((counts.taken[list] ?? 0) >= this.listSize) list++;
    return list;
  }

  #reserve(counts: GroupCounts, key: string, list: number): void {
    this.#reserved.add(key);
    counts.taken[list] = (counts.taken[list] ?? 0) + 1;
  }

  #unreserve(counts: GroupCounts, key: string, list: number): void {
    this.#reserved.delete(key);
    counts.taken[list] = (counts.taken[list] ?? 1) - 1;
  }

  /**
   * `count` random free indexes, each in the first list with room: random draws checked against the
   * store a round at a time (one `getMany` per round), then, for a credential whose draws kept landing
   * on taken indexes (a nearly full list), a walk from a random start to the next free index.
   */
  async #pick(db: Db, group: string, counts: GroupCounts, count: number): Promise<StatusAllocation[]> {
    const picked: (StatusAllocation | undefined)[] = new Array<StatusAllocation | undefined>(count);
    try {
      await this.#pickInto(db, group, counts, picked);
    } catch (error) {
      // A failed read reserves nothing.
      for (const a of picked) if (a) this.#unreserve(counts, usedKey(group, a.list, a.index), a.list);
      throw error;
    }
    return picked as StatusAllocation[];
  }

  async #pickInto(db: Db, group: string, counts: GroupCounts, picked: (StatusAllocation | undefined)[]): Promise<void> {
    let todo = Array.from({ length: picked.length }, (_, i) => i);
    for (let round = 0; round < maxDraws && todo.length > 0; round++) {
      const candidates: { pos: number; list: number; index: number; key: string }[] = [];
      const next: number[] = [];
      for (const pos of todo) {
        const list = this.#firstListWithRoom(counts);
        const index = this.#random(this.listSize);
        const key = usedKey(group, list, index);
        if (this.#reserved.has(key)) next.push(pos);
        else {
          this.#reserve(counts, key, list);
          candidates.push({ pos, list, index, key });
        }
      }
      if (candidates.length > 0) {
        let taken: (string | undefined)[];
        try {
          taken = await db.getMany(candidates.map((c) => c.key));
        } catch (error) {
          for (const c of candidates) this.#unreserve(counts, c.key, c.list);
          throw error;
        }
        candidates.forEach((c, j) => {
          if (taken[j] === undefined) picked[c.pos] = { list: c.list, index: c.index };
          else {
            this.#unreserve(counts, c.key, c.list);
            next.push(c.pos);
          }
        });
      }
      todo = next;
    }
    for (const pos of todo) picked[pos] = await this.#walk(db, group, counts);
  }

  /** Nearly full: walk from a random start to the next free slot (still unpredictable). */
  async #walk(db: Db, group: string, counts: GroupCounts): Promise<StatusAllocation> {
    for (;;) {
      const list = this.#firstListWithRoom(counts);
      const start = this.#random(this.listSize);
      for (let step = 0; step < this.listSize; step += walkChunk) {
        const indexes: number[] = [];
        for (let k = step; k < Math.min(step + walkChunk, this.listSize); k++) {
          const index = (start + k) % this.listSize;
          if (!this.#reserved.has(usedKey(group, list, index))) indexes.push(index);
        }
        if (indexes.length === 0) continue;
        const taken = await db.getMany(indexes.map((index) => usedKey(group, list, index)));
        const free = taken.findIndex((value) => value === undefined);
        if (free >= 0) {
          const index = indexes[free] ?? 0;
          this.#reserve(counts, usedKey(group, list, index), list);
          return { list, index };
        }
      }
      // No free index although the count said so (it cannot be below the truth): the list is full.
      counts.taken[list] = this.listSize;
    }
  }

  /** Starts a group commit when no allocate call is still deciding (so calls made together share it). */
  #maybeFlush(): void {
    if (this.#flushing || this.#waiting.length === 0) return;
    const opCount = this.#waiting.reduce((sum, w) => sum + w.ops.length, 0);
    if (this.#deciding > 0 && opCount < maxGroupOps) return;
    this.#flushing = this.#flush().finally(() => {
      this.#flushing = undefined;
      this.#maybeFlush();
    });
  }

  async #flush(): Promise<void> {
    const db = this.#db;
    while (this.#waiting.length > 0) {
      const writes = this.#waiting;
      this.#waiting = [];
      // Each touched list's new durable count goes into the same batch as its allocations.
      const newCounts = new Map<string, { counts: GroupCounts; list: number; value: number }>();
      const ops: Op[] = [];
      for (const w of writes) {
        ops.push(...w.ops);
        const counts = this.#counts.get(w.group);
        if (!counts) continue;
        for (const [list, n] of w.added) {
          const key = countKey(w.group, list);
          const entry = newCounts.get(key) ?? { counts, list, value: counts.durable[list] ?? 0 };
          entry.value += n;
          newCounts.set(key, entry);
        }
      }
      for (const [key, { value }] of newCounts) ops.push({ type: 'put', key, value: String(value) });
      let failure: unknown;
      try {
        if (!db) throw new Error('the status index store is not open');
        await db.batch(ops, { sync: true });
        for (const { counts, list, value } of newCounts.values()) counts.durable[list] = value;
      } catch (error) {
        failure = error;
      }
      for (const w of writes) {
        for (const key of w.idKeys) this.#pendingIds.delete(key);
        for (const key of w.usedKeys) this.#reserved.delete(key);
        if (failure !== undefined) {
          // Not stored means not allocated: the indexes are free again.
          const counts = this.#counts.get(w.group);
          if (counts) for (const [list, n] of w.added) counts.taken[list] = (counts.taken[list] ?? n) - n;
        }
        w.done(failure);
      }
    }
  }

  async allocations(issuerDid: string, purpose: StatusPurpose): Promise<ReadonlyMap<string, StatusAllocation>> {
    const db = await this.#db_();
    const prefix = `a:${groupOf(issuerDid, purpose)}:`;
    const out = new Map<string, StatusAllocation>();
    for await (const [key, value] of db.iterator({ gte: prefix, lt: `${prefix}\uffff` })) {
      out.set(key.slice(prefix.length), parseAllocation(value));
    }
    return out;
  }

  /** Waits for allocations being written, then closes the store (releasing its lock). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#lock;
    this.#maybeFlush();
    while (this.#flushing) await this.#flushing;
    this.#closed = true;
    const opening = this.#opening;
    this.#opening = undefined;
    if (opening) await opening.catch(() => undefined);
    const db = this.#db;
    this.#db = undefined;
    await db?.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Imports a JSON Lines status index into the store, `importChunk` lines per synced batch, skipping
 * lines already imported (an earlier import cut short) and lines that are not whole allocations (a
 * torn last line), and refusing (CONFIG_INVALID, nothing of that chunk written, the file kept) a line
 * that would change a stored allocation or give a taken index to a second credential; then renames the file `<file>.migrated` and syncs its directory. Memory holds one
 * chunk and one count per list.
 */
async function importJsonLines(db: Db, path: string, listSize: number): Promise<void> {
  const conflict = (line: AllocationLine, why: string): CredledgerError =>
    new CredledgerError(
      'CONFIG_INVALID',
      `cannot import ${path}: ${line.id} (${line.purpose}, ${line.issuer}) at ${allocationValue(line)}: ${why}`,
      { details: { file: path } },
    );
  const counts = new Map<string, number>();
  const countOf = async (key: string): Promise<number> => {
    let value = counts.get(key);
    if (value === undefined) {
      value = Number((await db.get(key)) ?? 0);
      counts.set(key, value);
    }
    return value;
  };
  const importLines = async (lines: readonly AllocationLine[]): Promise<void> => {
    const byKey = new Map<string, AllocationLine>();
    for (const line of lines) byKey.set(idKey(groupOf(line.issuer, line.purpose), line.id), line);
    const keys = [...byKey.keys()];
    const existing = await db.getMany(keys);
    const fresh: { key: string; line: AllocationLine; used: string }[] = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] ?? '';
      const line = byKey.get(key) as AllocationLine;
      const stored = existing[i];
      if (stored !== undefined) {
        // Imported by an import cut short: the same allocation. Anything else is a conflict to resolve by hand.
        if (stored !== allocationValue(line)) throw conflict(line, `the store gives it ${stored}`);
        continue;
      }
      if (line.index >= listSize) throw conflict(line, `index beyond the list size ${listSize}`);
      fresh.push({ key, line, used: usedKey(groupOf(line.issuer, line.purpose), line.list, line.index) });
    }
    // No index may belong to two credentials, in the store or in this chunk.
    const holders = await db.getMany(fresh.map((f) => f.used));
    const inChunk = new Map<string, string>();
    fresh.forEach(({ line, used }, i) => {
      const holder = holders[i] ?? inChunk.get(used);
      if (holder !== undefined && holder !== line.id) throw conflict(line, `its index belongs to ${holder}`);
      inChunk.set(used, line.id);
    });
    const ops: Op[] = [];
    const touched = new Set<string>();
    for (const { key, line } of fresh) {
      const group = groupOf(line.issuer, line.purpose);
      ops.push(
        { type: 'put', key, value: allocationValue(line) },
        { type: 'put', key: usedKey(group, line.list, line.index), value: line.id },
      );
      const count = countKey(group, line.list);
      counts.set(count, (await countOf(count)) + 1);
      touched.add(count);
    }
    // Counts of lists below a used one must exist too: a store's lists are read 0, 1, … until one is missing.
    for (const count of [...touched]) {
      const at = count.lastIndexOf(':');
      const group = count.slice(2, at);
      for (let list = Number(count.slice(at + 1)) - 1; list >= 0; list--) {
        const lower = countKey(group, list);
        if (touched.has(lower)) break;
        await countOf(lower);
        touched.add(lower);
      }
    }
    for (const key of touched) ops.push({ type: 'put', key, value: String(counts.get(key) ?? 0) });
    if (ops.length > 0) await db.batch(ops, { sync: true });
  };

  const input = createReadStream(path, { encoding: 'utf8' });
  const reader = createInterface({ input, crlfDelay: Infinity });
  let chunk: AllocationLine[] = [];
  try {
    for await (const raw of reader) {
      if (raw.trim() === '') continue;
      const line = parseLine(raw);
      if (!line) continue;
      chunk.push(line);
      if (chunk.length >= importChunk) {
        await importLines(chunk);
        chunk = [];
      }
    }
  } finally {
    reader.close();
    input.destroy();
  }
  if (chunk.length > 0) await importLines(chunk);

  // Every allocation is durable in the store: only now does the file step aside.
  let target = `${path}.migrated`;
  if (existsSync(target)) target = `${path}.migrated-${Date.now()}`;
  await rename(path, target);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
