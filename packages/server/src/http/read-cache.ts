/**
 * The server's copy of ledger answers. Two ways an answer stays usable:
 * - **timed**: for `ttlMs` after it was read (the only way when the server cannot follow the ledger);
 * - **followed**: while a {@link LedgerFollower} is live, until a committed transaction touches what it
 *   holds — the follower drops the entry then, so the next request reads the ledger again.
 *
 * A TTL of 0 keeps nothing: every request reads the ledger. Concurrent requests for the same key share
 * one ledger read; failures are never kept. Bounded: the oldest entries go first when it is full.
 */

/** A ledger answer and when it was read; `text` is the JSON the route made of it, kept with it. */
export interface CachedRead<T> {
  readonly value: T;
  /** When the ledger answered (ISO 8601). */
  readonly readAt: string;
  /** True while the server follows the ledger and nothing has changed the answer since it was read. */
  readonly followed: boolean;
  text?: string;
}

interface Entry {
  /** performance.now() after which a timed entry is stale; Infinity for a followed one. */
  expiresMs: number;
  readonly read: Promise<CachedRead<unknown>>;
}

export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  /** Set by the follower: reads that start from now on may be followed. */
  private following = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** The answer for `key`: a kept one, or `read()` (shared by concurrent callers). */
  get<T>(key: string, read: () => Promise<T>, sameRecord: (value: T) => boolean = () => true): Promise<CachedRead<T>> {
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresMs > now) return hit.read as Promise<CachedRead<T>>;
    if (this.ttlMs <= 0 && !this.following)
      return read().then((value) => ({ value, readAt: isoNow(), followed: false }));

    const followed = this.following;
    const entry: Entry = {
      expiresMs: followed ? Number.POSITIVE_INFINITY : now + this.ttlMs,
      read: read().then((value): CachedRead<T> => {
        // An answer kept under another spelling of its id would not be found by the id a change names.
        const keep = followed && this.entries.get(key) === entry && sameRecord(value);
        if (!keep) entry.expiresMs = Math.min(entry.expiresMs, performance.now() + this.ttlMs);
        return { value, readAt: isoNow(), followed: keep };
      }),
    };
    if (hit) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
    entry.read.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.read as Promise<CachedRead<T>>;
  }

  /** A committed transaction changed what these keys hold: the next request reads the ledger. */
  invalidate(keys: Iterable<string>): void {
    for (const key of keys) this.entries.delete(key);
  }

  /** Something this cache cannot place changed: every answer is read again. */
  clear(): void {
    this.entries.clear();
  }

  /**
   * Starts or stops trusting the follower. Stopping (the event stream failed or ended) drops every
   * followed entry: changes may have been missed. Starting affects reads that begin afterwards.
   */
  setFollowing(following: boolean): void {
    if (this.following && !following) {
      for (const [key, entry] of this.entries)
        if (entry.expiresMs === Number.POSITIVE_INFINITY) this.entries.delete(key);
    }
    this.following = following;
  }

  /** Whether answers read now may be kept until a change (for tests and the health answer). */
  get isFollowing(): boolean {
    return this.following;
  }
}

function isoNow(): string {
  return new Date().toISOString();
}
