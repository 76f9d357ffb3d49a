/**
 * Keeps the server's {@link ReadCache} current by reading the ledger's chaincode events: every VALID
 * transaction that changes a credential or an issuer emits one, and the follower drops the answers it
 * touched. While the event stream is open, a kept answer is the ledger's current state (a change shows
 * as soon as its event arrives, milliseconds after commit); when the stream fails, the cache falls back
 * to answers kept for at most its TTL, and the follower reconnects with backoff.
 *
 * A new stream starts at the ledger's next commit, and a backend may take a moment to open it, so the
 * cache trusts the stream only after it has been open for `settleMs`: answers read before then are
 * timed (they expire within the TTL), so a change committed while the stream was opening is never
 * kept past it.
 */
import type { Ledger, LedgerEvent } from '@credledger/ledger';
import type { ReadCache } from './read-cache.js';

/** The cache keys the server uses for ledger answers. */
export const readKeys = {
  credential: (id: string): string => `credential\n${id}`,
  issuer: (did: string): string => `issuer\n${did}`,
  issuers: 'issuers',
} as const;

export interface LedgerFollowerOptions {
  /** How long the stream must be open before answers are kept until a change (default 1000 ms). */
  readonly settleMs?: number;
  /** Called when the stream fails; the follower reconnects (default: nothing). */
  readonly onError?: (error: unknown) => void;
}

export class LedgerFollower {
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;
  private settleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ledger: Pick<Ledger, 'events'>,
    private readonly cache: ReadCache,
    private readonly options: LedgerFollowerOptions = {},
  ) {
    this.done = this.run();
  }

  /** Stops following; resolves when the stream is closed. */
  async close(): Promise<void> {
    this.abort.abort();
    clearTimeout(this.settleTimer);
    this.cache.setFollowing(false);
    await this.done;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    let delay = 500;
    while (!signal.aborted) {
      try {
        const stream = this.ledger.events({ signal })[Symbol.asyncIterator]();
        const first = stream.next();
        this.settleTimer = setTimeout(() => {
          if (!signal.aborted) this.cache.setFollowing(true);
        }, this.options.settleMs ?? 1000);
        this.settleTimer.unref();
        for (let next = await first; !next.done; next = await stream.next()) {
          delay = 500;
          const keys = keysTouchedBy(next.value);
          if (keys === 'everything') this.cache.clear();
          else this.cache.invalidate(keys);
        }
        // The ledger closed the stream: nothing more will come, so nothing kept can be trusted.
        this.stopTrusting();
        return;
      } catch (error) {
        this.stopTrusting();
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may have aborted it meanwhile
        if (signal.aborted) return;
        this.options.onError?.(error);
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  private stopTrusting(): void {
    clearTimeout(this.settleTimer);
    this.cache.setFollowing(false);
  }
}

/**
 * The cache keys a chaincode event changes: the credentials it names (`ids` anchored, `changes[].id`
 * whose status moved), or the issuer it names (`did`, and the list of issuers). An event this server
 * does not know, or cannot read, might change anything: it names every key.
 */
export function keysTouchedBy(event: LedgerEvent): readonly string[] | 'everything' {
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(event.payload));
  } catch {
    return 'everything';
  }
  if (typeof payload !== 'object' || payload === null) return 'everything';
  const { ids, changes, did } = payload as { ids?: unknown; changes?: unknown; did?: unknown };
  const keys: string[] = [];
  if (typeof did === 'string') keys.push(readKeys.issuer(did), readKeys.issuers);
  if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') keys.push(readKeys.credential(id));
  if (Array.isArray(changes))
    for (const change of changes as unknown[]) {
      const id = (change as { id?: unknown } | null)?.id;
      if (typeof id === 'string') keys.push(readKeys.credential(id));
    }
  return keys.length > 0 ? keys : 'everything';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
