/**
 * Characters that change how a text looks without showing themselves: C0/C1 controls (a terminal's
 * escape sequences among them), format characters (bidi overrides and isolates, zero-width spaces and
 * joiners, tags), line and paragraph separators, and blank "filler" letters (Hangul fillers, the blank
 * braille pattern, the combining grapheme joiner, Khmer inherent vowels). `王‮明小‬` is 王, a
 * right-to-left override and 明小: a screen shows 王小明. Browser-safe, plain data.
 *
 * @see https://www.unicode.org/reports/tr36/#Bidirectional_Text_Spoofing
 */

// The combining marks stand outside the class: inside one they would read as joined to their neighbour.
const hiddenSource = '(?:[\\p{Cc}\\p{Cf}\\u2028\\u2029\\u115F\\u1160\\u3164\\uFFA0\\u2800]|\\u034F|\\u17B4|\\u17B5)';
const hiddenOne = new RegExp(hiddenSource, 'u');

/**
 * True when `value` holds a character that hides itself or rearranges the text around it. The schema
 * validator refuses such characters in every string field of every credential type.
 */
export function hasHiddenCharacter(value: string): boolean {
  return hiddenOne.test(value);
}

/**
 * `value` with every hidden character written out as `⟨U+XXXX⟩`, so a terminal or a page shows what is
 * really there: `王‮明小‬` becomes `王⟨U+202E⟩明小⟨U+202C⟩`, never 王小明. Everything else is unchanged.
 * @param value any text taken from a credential (or anything else a person will read)
 */
export function showHiddenCharacters(value: string): string {
  // A fresh global regex per call: a shared one would carry `lastIndex` state between callers.
  return value.replace(
    new RegExp(hiddenSource, 'gu'),
    (c) => `⟨U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`,
  );
}
