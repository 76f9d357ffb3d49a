/**
 * Status list index allocation: every issued credential gets, per status purpose, a random unused
 * index in one of its issuer's Bitstring Status Lists. Random (not sequential) indexes give herd
 * privacy: a list's neighbouring bits say nothing about issuance order or batches.
 *
 * The allocation store is also where the status list publisher learns which credential sits at which
 * index: ledger records carry no index (no need to put it on the ledger), and the signed credential's
 * own `credentialStatus[].statusListIndex` is the same number, so either source rebuilds the lists.
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistentry
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';

import { CredledgerError, type StatusPurpose } from '@credledger/verify';

import { DEFAULT_STATUS_LIST_SIZE, statusPurposes, type StatusAllocation } from '@credledger/verify/formats';

import {
  type AllocationLine,
  type AllocatorOptions,
  checkAllocateInput,
  listSizeOf,
  parseLine,
  secureRandomSource,
} from './allocator-shared.js';
import { LevelStatusIndexAllocator, type LevelAllocatorOptions } from './level-allocator.js';

export { DEFAULT_STATUS_LIST_SIZE, statusPurposes, type StatusAllocation, type StatusPurpose };
export type { AllocatorOptions, LevelAllocatorOptions };

/**
 * Hands out status list indexes. The issuer orchestration calls `allocate` while signing and writes
 * the result into `credentialStatus`; the status list publisher reads `allocations`.
 */
export interface StatusIndexAllocator {
  /** Entries per list (at least 131,072). */
  readonly listSize: number;
  /**
   * Allocates a random unused index for each credential id on the issuer's `purpose` lists, in order.
   * Idempotent: a credential id that already has an allocation gets the same one back, so a retried
   * batch signs the same statuses. Fails: INVALID_INPUT (empty or duplicate id in one call).
   */
  allocate(issuerDid: string, purpose: StatusPurpose, credentialIds: readonly string[]): Promise<StatusAllocation[]>;
  /** Every allocation on the issuer's `purpose` lists: credential id → allocation. */
  allocations(issuerDid: string, purpose: StatusPurpose): Promise<ReadonlyMap<string, StatusAllocation>>;
}

/**
 * An allocator that holds a store open: whoever creates it closes it (`close()` or `await using`)
 * once nothing more is allocated, which waits for allocations being written and releases the store.
 */
export interface ClosableStatusIndexAllocator extends StatusIndexAllocator, AsyncDisposable {
  close(): Promise<void>;
}

class ListState {
  readonly byId = new Map<string, StatusAllocation>();
  /** used[list] = set of taken indexes in that list. */
  readonly used: Set<number>[] = [];

  add(id: string, allocation: StatusAllocation): void {
    this.byId.set(id, allocation);
    (this.used[allocation.list] ??= new Set()).add(allocation.index);
  }
}

/** Shared logic of both stores; `persist` writes new allocations before they are returned. */
class Allocator implements ClosableStatusIndexAllocator {
  readonly listSize: number;
  private readonly random: (bound: number) => number;
  private readonly lists = new Map<string, ListState>();

  constructor(
    options: AllocatorOptions,
    private readonly persist: (lines: readonly AllocationLine[]) => Promise<void>,
  ) {
    this.listSize = listSizeOf(options);
    this.random = options.random ?? secureRandomSource();
  }

  /** Loads an allocation read back from storage. */
  restore(line: AllocationLine): void {
    this.state(line.issuer, line.purpose).add(line.id, { list: line.list, index: line.index });
  }

  private state(issuerDid: string, purpose: StatusPurpose): ListState {
    const key = `${purpose} ${issuerDid}`;
    let state = this.lists.get(key);
    if (!state) {
      state = new ListState();
      this.lists.set(key, state);
    }
    return state;
  }

  async allocate(
    issuerDid: string,
    purpose: StatusPurpose,
    credentialIds: readonly string[],
  ): Promise<StatusAllocation[]> {
    checkAllocateInput(issuerDid, purpose, credentialIds);
    // Indexes are reserved in memory at once (a concurrent call never picks the same one), and
    // returned only once stored.
    const state = this.state(issuerDid, purpose);
    const fresh: AllocationLine[] = [];
    const result = credentialIds.map((id) => {
      const existing = state.byId.get(id);
      if (existing) return existing;
      const allocation = this.pick(state);
      state.add(id, allocation);
      fresh.push({ issuer: issuerDid, purpose, id, list: allocation.list, index: allocation.index });
      return allocation;
    });
    if (fresh.length > 0) {
      try {
        await this.persist(fresh);
      } catch (error) {
        // Not stored means not allocated: forget them so memory never runs ahead of the store.
        for (const line of fresh) {
          state.byId.delete(line.id);
          state.used[line.list]?.delete(line.index);
        }
        throw new CredledgerError('FILE_NOT_FOUND', 'cannot write the status index store', { cause: error });
      }
    }
    return result;
  }

  /** A random free index in the first list with room; rejection sampling, then a scan when nearly full. */
  private pick(state: ListState): StatusAllocation {
    for (let list = 0; ; list++) {
      const used = (state.used[list] ??= new Set());
      if (used.size >= this.listSize) continue;
      for (let attempt = 0; attempt < 64; attempt++) {
        const index = this.random(this.listSize);
        if (!used.has(index)) return { list, index };
      }
      // Nearly full: walk from a random start to the next free slot (still unpredictable).
      const start = this.random(this.listSize);
      for (let step = 0; step < this.listSize; step++) {
        const index = (start + step) % this.listSize;
        if (!used.has(index)) return { list, index };
      }
    }
  }

  allocations(issuerDid: string, purpose: StatusPurpose): Promise<ReadonlyMap<string, StatusAllocation>> {
    return Promise.resolve(new Map(this.state(issuerDid, purpose).byId));
  }

  /** Nothing stays open between allocations (each append opens and closes the file). */
  close(): Promise<void> {
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Allocator factories (fabric-gateway's `checkpointers` shape).
 *
 * @example
 * await using allocator = statusIndexAllocators.level(join(workspace, 'status-index'));
 * const [revocation] = await allocator.allocate('did:web:moj.gov.tw', 'revocation', [credentialId]);
 */
export const statusIndexAllocators = {
  /** Keeps allocations in memory only (tests, short-lived tools). */
  inMemory(options: AllocatorOptions = {}): ClosableStatusIndexAllocator {
    return new Allocator(options, () => Promise.resolve());
  },

  /**
   * Keeps allocations in an append-only JSON Lines file (one allocation per line, fsynced before
   * `allocate` resolves; a torn last line after a crash is ignored). One writing process at a time:
   * the workspace's ledger lock already serialises issuance. The file holds credential ids and
   * indexes only, no personal data. It is read whole when opened and kept in memory: for more than a
   * few hundred thousand credentials use {@link statusIndexAllocators.level} (which can import this
   * file). Fails: CONFIG_INVALID (bad list size), FILE_NOT_FOUND (unwritable).
   */
  file(path: string, options: AllocatorOptions = {}): ClosableStatusIndexAllocator {
    // Group commit: allocations requested together (a batch chunk asks for its revocation and
    // suspension indexes at once) share one append and one fdatasync.
    let waiting: { text: string; done: (error?: unknown) => void }[] = [];
    let flushing = false;
    const flush = async (): Promise<void> => {
      // Let the other allocations of this turn of the event loop join the write.
      await Promise.resolve();
      while (waiting.length > 0) {
        const group = waiting;
        waiting = [];
        try {
          const file = await open(path, 'a', 0o600);
          try {
            await file.appendFile(group.map((w) => w.text).join(''));
            await file.datasync();
          } finally {
            await file.close();
          }
          for (const w of group) w.done();
        } catch (error) {
          for (const w of group) w.done(error);
        }
      }
      flushing = false;
    };
    const allocator = new Allocator(
      options,
      (lines) =>
        new Promise<void>((resolve, reject) => {
          waiting.push({
            text: lines.map((line) => JSON.stringify(line) + '\n').join(''),
            done: (error) => {
              if (error === undefined) resolve();
              else reject(error instanceof Error ? error : new Error('cannot write the status index store'));
            },
          });
          if (!flushing) {
            flushing = true;
            void flush();
          }
        }),
    );
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      const lines = text.split('\n');
      for (const raw of lines) {
        if (raw.trim() === '') continue;
        const line = parseLine(raw);
        if (line) allocator.restore(line);
      }
      // A torn final line would glue onto the next append; end the file with a newline first.
      if (text.length > 0 && !text.endsWith('\n')) appendFileSync(path, '\n');
    }
    return allocator;
  },

  /**
   * Keeps allocations in a LevelDB directory (created when missing): opening reads none of them and
   * each `allocate` looks up only its credential ids and the indexes it draws, so open time and
   * memory do not grow with the number of allocations. New allocations are written in one synced
   * batch before `allocate` resolves; calls made together share the batch. One process at a time
   * (LevelDB's lock); the store opens on first use and stays open until `close()`.
   * `migrateFrom` names a {@link statusIndexAllocators.file} JSON Lines file to import once (then
   * renamed `<file>.migrated`). Fails: CONFIG_INVALID (bad list size, unreadable store or import),
   * LEDGER_LOCKED (another process has the store open), FILE_NOT_FOUND (write failed).
   *
   * @example
   * await using allocator = statusIndexAllocators.level(join(workspace, 'status-index'), {
   *   migrateFrom: join(workspace, 'status-index.jsonl'),
   * });
   */
  level(directory: string, options: LevelAllocatorOptions = {}): ClosableStatusIndexAllocator {
    return new LevelStatusIndexAllocator(directory, options);
  },
};
