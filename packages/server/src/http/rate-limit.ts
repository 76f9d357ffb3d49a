/**
 * Token bucket per client address: each address may make `burst` requests at once and then
 * `perSecond` requests a second. Memory is bounded: idle buckets (full again) are swept, and at most
 * `maxClients` buckets are kept.
 */

export interface RateLimitOptions {
  /** Sustained requests per second per client. */
  readonly perSecond: number;
  /** Requests a client may make at once after being idle. */
  readonly burst: number;
  /** Most clients tracked at once; beyond it the longest-idle are forgotten (default 100,000). */
  readonly maxClients?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** The answer for one request: allowed, or how many whole seconds to wait. */
export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxClients: number;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) {
      throw new RangeError('rate limit needs perSecond > 0 and burst >= 1');
    }
    this.perMs = options.perSecond / 1000;
    this.maxClients = options.maxClients ?? 100_000;
  }

  /** Takes one token for `client` at time `nowMs` (a monotonic clock in ms). */
  take(client: string, nowMs: number): RateDecision {
    let bucket = this.buckets.get(client);
    if (bucket) {
      bucket.tokens = Math.min(this.options.burst, bucket.tokens + (nowMs - bucket.updatedMs) * this.perMs);
      bucket.updatedMs = nowMs;
      // Re-insert so Map order stays least-recently-used first, which the eviction below relies on.
      this.buckets.delete(client);
      this.buckets.set(client, bucket);
    } else {
      if (this.buckets.size >= this.maxClients) this.evict(nowMs);
      bucket = { tokens: this.options.burst, updatedMs: nowMs };
      this.buckets.set(client, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond)) };
  }

  /** Forgets buckets that have refilled completely: they behave exactly like new ones. */
  sweep(nowMs: number): void {
    const refillMs = this.options.burst / this.perMs;
    for (const [client, bucket] of this.buckets) {
      if (nowMs - bucket.updatedMs >= refillMs) this.buckets.delete(client);
    }
  }

  /** Number of clients currently tracked. */
  get size(): number {
    return this.buckets.size;
  }

  private evict(nowMs: number): void {
    this.sweep(nowMs);
    // Still full: drop the least recently seen tenth (they get a fresh bucket if they return).
    if (this.buckets.size >= this.maxClients) {
      let drop = Math.max(1, Math.floor(this.maxClients / 10));
      for (const client of this.buckets.keys()) {
        this.buckets.delete(client);
        if (--drop === 0) break;
      }
    }
  }
}
