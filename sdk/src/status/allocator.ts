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

import { CredledgerError, quoteInput, type StatusPurpose } from '@credledger/verify';

import { DEFAULT_STATUS_LIST_SIZE, statusPurposes, type StatusAllocation } from '@credledger/verify/formats';

export { DEFAULT_STATUS_LIST_SIZE, statusPurposes, type StatusAllocation, type StatusPurpose };

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

export interface AllocatorOptions {
  /** Entries per list; default and minimum 131,072, a multiple of 8. */
  readonly listSize?: number;
  /** Random source (tests pass a seeded one); default `crypto.getRandomValues`. */
  readonly random?: (bound: number) => number;
}

/** One allocation as persisted (one JSON line in the file store). */
interface AllocationLine {
  readonly issuer: string;
  readonly purpose: StatusPurpose;
  readonly id: string;
  readonly list: number;
  readonly index: number;
}

/**
 * Uniform integers in [0, bound) from the platform CSPRNG, without modulo bias. Draws 4 KiB of
 * randomness at a time: one `getRandomValues` call per index made allocation a visible cost of a
 * 10,000-credential batch.
 */
function secureRandomSource(): (bound: number) => number {
  const pool = new Uint32Array(1024);
  let next = pool.length;
  return (bound) => {
    const limit = Math.floor(0x1_0000_0000 / bound) * bound;
    for (;;) {
      if (next === pool.length) {
        globalThis.crypto.getRandomValues(pool);
        next = 0;
      }
      const value = pool[next++] ?? 0;
      if (value < limit) return value % bound;
    }
  };
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
class Allocator implements StatusIndexAllocator {
  readonly listSize: number;
  private readonly random: (bound: number) => number;
  private readonly lists = new Map<string, ListState>();

  constructor(
    options: AllocatorOptions,
    private readonly persist: (lines: readonly AllocationLine[]) => Promise<void>,
  ) {
    const size = options.listSize ?? DEFAULT_STATUS_LIST_SIZE;
    if (!Number.isSafeInteger(size) || size < DEFAULT_STATUS_LIST_SIZE || size % 8 !== 0) {
      throw new CredledgerError(
        'CONFIG_INVALID',
        `status list size must be a multiple of 8 and at least ${DEFAULT_STATUS_LIST_SIZE}`,
      );
    }
    this.listSize = size;
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
    if (!issuerDid) throw new CredledgerError('INVALID_INPUT', 'issuer DID is empty');
    if (!(statusPurposes as readonly string[]).includes(purpose)) {
      throw new CredledgerError('INVALID_INPUT', `unknown status purpose ${quoteInput(purpose)}`);
    }
    const seen = new Set<string>();
    for (const id of credentialIds) {
      if (typeof id !== 'string' || id === '') throw new CredledgerError('INVALID_INPUT', 'credential id is empty');
      if (seen.has(id)) throw new CredledgerError('INVALID_INPUT', `credential id ${quoteInput(id)} appears twice`);
      seen.add(id);
    }
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
}

function parseLine(text: string): AllocationLine | undefined {
  try {
    const value = JSON.parse(text) as Partial<AllocationLine>;
    if (
      typeof value.issuer === 'string' &&
      typeof value.id === 'string' &&
      (value.purpose === 'revocation' || value.purpose === 'suspension') &&
      Number.isSafeInteger(value.list) &&
      Number.isSafeInteger(value.index)
    ) {
      return value as AllocationLine;
    }
  } catch {
    // fall through: a torn last line from a crash mid-append is skipped.
  }
  return undefined;
}

/**
 * Allocator factories (fabric-gateway's `checkpointers` shape).
 *
 * @example
 * const allocator = statusIndexAllocators.file(join(workspace, 'status-index.jsonl'));
 * const [revocation] = await allocator.allocate('did:web:moj.gov.tw', 'revocation', [credentialId]);
 */
export const statusIndexAllocators = {
  /** Keeps allocations in memory only (tests, short-lived tools). */
  inMemory(options: AllocatorOptions = {}): StatusIndexAllocator {
    return new Allocator(options, () => Promise.resolve());
  },

  /**
   * Keeps allocations in an append-only JSON Lines file (one allocation per line, fsynced before
   * `allocate` resolves; a torn last line after a crash is ignored). One writing process at a time:
   * the workspace's ledger lock already serialises issuance. The file holds credential ids and
   * indexes only, no personal data. Fails: CONFIG_INVALID (bad list size), FILE_NOT_FOUND (unwritable).
   */
  file(path: string, options: AllocatorOptions = {}): StatusIndexAllocator {
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
};
