/**
 * The minimum strength of a new passphrase (issuer key files, organisation keyrings): at least 12
 * characters, where a Han, kana or Hangul character counts as two (each carries far more choice than a
 * Latin letter), and at least 5 different characters. Measured after NFC normalisation, in characters as a reader sees them (grapheme clusters).
 * Existing files are opened whatever their passphrase; only new passphrases are held to this.
 */
import { CredledgerError } from '@credledger/verify';

export const passphraseMinimum = { length: 12, distinct: 5 } as const;

const wide = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;

/** The passphrase's length score and distinct characters, as the rule counts them. */
export function passphraseMeasure(passphrase: string): { length: number; distinct: number } {
  const segments = new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(passphrase.normalize('NFC'));
  const chars = Array.from(segments, (s) => s.segment);
  return {
    length: chars.reduce((sum, ch) => sum + (wide.test(ch) ? 2 : 1), 0),
    distinct: new Set(chars).size,
  };
}

/**
 * Throws PASSPHRASE_WEAK unless a new passphrase meets {@link passphraseMinimum}; the message states the
 * rule and never the passphrase. PASSPHRASE_REQUIRED for an empty one.
 */
export function assertNewPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length === 0)
    throw new CredledgerError('PASSPHRASE_REQUIRED', 'a new passphrase is needed');
  const { length, distinct } = passphraseMeasure(passphrase);
  if (length < passphraseMinimum.length || distinct < passphraseMinimum.distinct)
    throw new CredledgerError(
      'PASSPHRASE_WEAK',
      `a new passphrase needs at least ${passphraseMinimum.length} characters (a Chinese character counts as two) and ${passphraseMinimum.distinct} different characters`,
      { details: { minLength: passphraseMinimum.length, minDistinct: passphraseMinimum.distinct, length, distinct } },
    );
}
