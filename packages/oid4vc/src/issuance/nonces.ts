/**
 * `c_nonce` values a wallet signs into its proof of possession: random, short-lived, each accepted once.
 * Held in memory and bounded: after a restart a wallet gets `invalid_nonce` with a fresh one and signs
 * again, as OpenID4VCI provides.
 */
import { randomBytes } from 'node:crypto';

export interface NonceBook {
  issue(now: Date): { readonly nonce: string; readonly expiresInSeconds: number };
  /** True once for a nonce issued and not yet expired; it is forgotten either way. */
  consume(nonce: string, now: Date): boolean;
}

export function createNonceBook(options: { readonly lifetimeMs?: number; readonly max?: number } = {}): NonceBook {
  const lifetimeMs = options.lifetimeMs ?? 5 * 60_000;
  const max = options.max ?? 10_000;
  // Insertion order is expiry order: the oldest go first when full.
  const expiries = new Map<string, number>();
  return {
    issue(now) {
      for (const [nonce, expiresAt] of expiries) {
        if (expiresAt > now.getTime() && expiries.size < max) break;
        expiries.delete(nonce);
      }
      const nonce = randomBytes(24).toString('base64url');
      expiries.set(nonce, now.getTime() + lifetimeMs);
      return { nonce, expiresInSeconds: Math.floor(lifetimeMs / 1000) };
    },
    consume(nonce, now) {
      const expiresAt = expiries.get(nonce);
      expiries.delete(nonce);
      return expiresAt !== undefined && expiresAt > now.getTime();
    },
  };
}
