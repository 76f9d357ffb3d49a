/**
 * Input shown in a CLI error message goes through the sdk's `quoteInput` (quoted, at most 80
 * characters, control characters escaped). Loaded on first use: start-up and `--help` load no sdk.
 */

/** `quoteInput` of `@credledger/verify`, for a message about to be thrown. */
export async function quoted(value: unknown): Promise<string> {
  const { quoteInput } = await import('@credledger/verify');
  return quoteInput(value);
}
