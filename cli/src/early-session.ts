/**
 * A resource opened early, while the command still reads and checks its input, so the two overlap
 * (`issue-batch` opens its ledger, key and status index while it checks the CSV). The command either
 * takes it (and owns it from then on, its opening's failure included) or drops it: dropping waits for
 * the opening and disposes of what it opened, and swallows its failure, since the command is already
 * failing for a reason of its own (bad rows come before a locked ledger, as they did when the ledger was
 * opened after the check).
 */
export interface EarlyOpening<T extends AsyncDisposable> {
  /** The opened resource, now the caller's to dispose; fails as the opening did. */
  take(): Promise<T>;
  /** Disposes of the resource unless it was taken; never fails. */
  drop(): Promise<void>;
}

/** Starts `open` now. */
export function openEarly<T extends AsyncDisposable>(open: () => Promise<T>): EarlyOpening<T> {
  const opening = Promise.resolve().then(open);
  // Observed here: a failure belongs to whoever takes it, and is dropped otherwise.
  opening.catch(() => undefined);
  let taken = false;
  return {
    take() {
      taken = true;
      return opening;
    },
    async drop() {
      if (taken) return;
      taken = true;
      try {
        await (await opening)[Symbol.asyncDispose]();
      } catch {
        // The command reports its own failure, not this one.
      }
    },
  };
}
