/**
 * How an error message shows input it did not accept: quoted, at most the first 80 characters, and
 * with control and invisible formatting characters written as visible escapes. A message then stays
 * one short line whatever was pasted (a 120 KB blob, an escape sequence that would repaint the
 * terminal, a right-to-left override that makes text read backwards). Browser-safe.
 */

/** The most characters of input an error message quotes. */
export const MAX_QUOTED_CHARACTERS = 80;

// C0/C1 controls, format characters (bidi overrides, zero-width joiners) and the Unicode line breaks.
const invisible = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

const named: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(character: string): string {
  return named[character] ?? `\\u{${(character.codePointAt(0) ?? 0).toString(16)}}`;
}

/**
 * Quotes input for an error message: `"…"`, backslash and quote escaped, control and formatting
 * characters escaped (`\n`, `\u{1b}`), cut after `max` characters (whole code points) with the
 * length said: `"eyJhbGciOi…" (120000 characters)`.
 *
 * @param value the input as given (anything not a string is shown through `String`)
 * @param max how many characters to show (default 80)
 * @example
 * throw new CredledgerError('INVALID_INPUT', `not a credential id: ${quoteInput(id)}`);
 */
export function quoteInput(value: unknown, max: number = MAX_QUOTED_CHARACTERS): string {
  const text = typeof value === 'string' ? value : String(value);
  const characters = Array.from(text);
  const shown = characters
    .slice(0, max)
    .join('')
    .replace(/["\\]/g, (c) => `\\${c}`)
    .replace(invisible, escape);
  return characters.length > max ? `"${shown}…" (${characters.length} characters)` : `"${shown}"`;
}
