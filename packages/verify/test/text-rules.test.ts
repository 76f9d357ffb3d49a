/**
 * `checkAnyText` passes plain text (printable ASCII but `<` and `:`, and unified ideographs) with one
 * regular expression instead of every check. That holds only while each such character is NFC as it
 * stands, neither hidden nor a mark, and Latin, Han or common: proved here for every one of them on
 * this runtime's Unicode data.
 */
import { describe, expect, it } from '@jest/globals';
import { checkAnyText, hasHiddenCharacter } from '../src/credentials/text-rules.js';

function plainCodePoints(): number[] {
  const ascii = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => 0x20 + i).filter((c) => c !== 0x3a && c !== 0x3c);
  const ideographs: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++)
    if (/^\p{Unified_Ideograph}$/u.test(String.fromCodePoint(cp))) ideographs.push(cp);
  return [...ascii, ...ideographs];
}

describe('checkAnyText on plain text', () => {
  it('every character it passes at once is NFC, shown, no mark, and Latin, Han or common', () => {
    const codePoints = plainCodePoints();
    expect(codePoints.length).toBeGreaterThan(90_000);
    const odd = codePoints.filter((cp) => {
      const char = String.fromCodePoint(cp);
      return (
        char.normalize('NFC') !== char ||
        hasHiddenCharacter(char) ||
        /\p{M}/u.test(char) ||
        !/^[\p{Script=Latin}\p{Script=Han}\p{Script=Common}]$/u.test(char) ||
        `a${char}b`.normalize('NFC') !== `a${char}b`
      );
    });
    expect(odd).toEqual([]);
  });

  it('still finds what is wrong with text that is almost plain', () => {
    expect(checkAnyText('(115)台檢證字第012345號')).toBeUndefined();
    expect(checkAnyText('WANG, HSIAO-MING')).toBeUndefined();
    expect(checkAnyText('明德法律事務所')).toBeUndefined();
    for (const [text, problem] of [
      [' 王小明', 'whitespace'],
      ['王小明 ', 'whitespace'],
      ['see www.example.tw', 'link'],
      ['WWW.example.tw', 'link'],
      ['javascript:alert(1)', 'link'],
      ['<b>王</b>', 'markup'],
      ['王\u200b小明', 'control-character'],
      ['Wang\tLin', 'control-character'],
      ['Cafe\u0301', 'not-normalized'],
      ['Wаng', 'mixed-script'],
    ] as const) {
      expect(checkAnyText(text)?.problem).toBe(problem);
    }
  });
});
