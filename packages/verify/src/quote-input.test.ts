import { describe, expect, it } from '@jest/globals';

import { MAX_QUOTED_CHARACTERS, quoteInput } from './quote-input.js';

describe('quoteInput', () => {
  it('quotes short input whole', () => {
    expect(quoteInput('urn:uuid:123')).toBe('"urn:uuid:123"');
  });

  it('shows at most the first 80 characters and says how long the input was', () => {
    const quoted = quoteInput('x'.repeat(120_000));
    expect(quoted).toBe(`"${'x'.repeat(MAX_QUOTED_CHARACTERS)}…" (120000 characters)`);
  });

  it('counts characters, not UTF-16 units, and never splits one', () => {
    expect(quoteInput('台'.repeat(81))).toBe(`"${'台'.repeat(80)}…" (81 characters)`);
    expect(quoteInput('😀'.repeat(81))).toBe(`"${'😀'.repeat(80)}…" (81 characters)`);
  });

  it('writes control, line-break and invisible formatting characters as visible escapes', () => {
    expect(quoteInput('a\nb\r\tc\u001b[2Jd\u202eevil\u200be\u2028')).toBe(
      '"a\\nb\\r\\tc\\u{1b}[2Jd\\u{202e}evil\\u{200b}e\\u{2028}"',
    );
    expect(quoteInput('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
  });

  it('shows non-strings through String', () => {
    expect(quoteInput(42)).toBe('"42"');
  });
});
