/**
 * What the status index stores share: options, input checks, the random source and the JSON Lines
 * record of the file store (which the LevelDB store also imports from when it migrates).
 */
import { CredledgerError, quoteInput, type StatusPurpose } from '@credledger/verify';

import { DEFAULT_STATUS_LIST_SIZE, statusPurposes } from '@credledger/verify/formats';

export interface AllocatorOptions {
  /** Entries per list; default and minimum 131,072, a multiple of 8. */
  readonly listSize?: number;
  /** Random source (tests pass a seeded one); default `crypto.getRandomValues`. */
  readonly random?: (bound: number) => number;
}

/** One allocation as persisted (one JSON line in the file store). */
export interface AllocationLine {
  readonly issuer: string;
  readonly purpose: StatusPurpose;
  readonly id: string;
  readonly list: number;
  readonly index: number;
}

/** The list size of `options`, checked. Fails: CONFIG_INVALID. */
export function listSizeOf(options: AllocatorOptions): number {
  const size = options.listSize ?? DEFAULT_STATUS_LIST_SIZE;
  if (!Number.isSafeInteger(size) || size < DEFAULT_STATUS_LIST_SIZE || size % 8 !== 0) {
    throw new CredledgerError(
      'CONFIG_INVALID',
      `status list size must be a multiple of 8 and at least ${DEFAULT_STATUS_LIST_SIZE}`,
    );
  }
  return size;
}

/** Checks an `allocate` call's arguments. Fails: INVALID_INPUT. */
export function checkAllocateInput(issuerDid: string, purpose: StatusPurpose, credentialIds: readonly string[]): void {
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
}

/**
 * Uniform integers in [0, bound) from the platform CSPRNG, without modulo bias. Draws 4 KiB of
 * randomness at a time: one `getRandomValues` call per index made allocation a visible cost of a
 * 10,000-credential batch.
 */
export function secureRandomSource(): (bound: number) => number {
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

/** One line of the file store, or undefined for a line that is not a whole allocation (a torn last line). */
export function parseLine(text: string): AllocationLine | undefined {
  try {
    const value = JSON.parse(text) as Partial<AllocationLine>;
    if (
      typeof value.issuer === 'string' &&
      value.issuer !== '' &&
      typeof value.id === 'string' &&
      value.id !== '' &&
      (value.purpose === 'revocation' || value.purpose === 'suspension') &&
      Number.isSafeInteger(value.list) &&
      (value.list ?? -1) >= 0 &&
      Number.isSafeInteger(value.index) &&
      (value.index ?? -1) >= 0
    ) {
      return value as AllocationLine;
    }
  } catch {
    // fall through: a torn last line from a crash mid-append is skipped.
  }
  return undefined;
}
