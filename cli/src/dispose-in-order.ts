/**
 * Closing what a command opened, in order, where a failure to close one thing must not leave the next
 * open: an issuing session closes its issuer, its status index, its ledger connection and its token in
 * that order, and a failing issuer close must still release the ledger's lock.
 */

/**
 * Runs every step in order, each even when an earlier one failed; then throws the first failure.
 *
 * @param steps the closes, first to last
 */
export async function disposeInOrder(steps: readonly (() => PromiseLike<void>)[]): Promise<void> {
  let failure: { readonly error: unknown } | undefined;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
