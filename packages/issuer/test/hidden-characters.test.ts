import { describe, expect, it } from '@jest/globals';

import { hasHiddenCharacter, showHiddenCharacters, validateSubject } from '@credledger/verify';
import { lawyerSubject } from './credentials-samples.js';

describe('hidden characters', () => {
  it('writes out bidi controls so 王‮明小‬ cannot read as 王小明', () => {
    expect(showHiddenCharacters('王\u202e明小\u202c')).toBe('王⟨U+202E⟩明小⟨U+202C⟩');
    expect(showHiddenCharacters('a\u200bb\u2066c\u2069')).toBe('a⟨U+200B⟩b⟨U+2066⟩c⟨U+2069⟩');
    // A terminal escape sequence is shown, not obeyed.
    expect(showHiddenCharacters('\u001b[2J王')).toBe('⟨U+001B⟩[2J王');
    expect(showHiddenCharacters('\u{e0041}')).toBe('⟨U+E0041⟩');
    expect(showHiddenCharacters('陳雅婷 (115)台檢證字第012345號 Chen Ya-Ting')).toBe(
      '陳雅婷 (115)台檢證字第012345號 Chen Ya-Ting',
    );
  });

  it('finds controls, format characters, separators and blank fillers; leaves letters, marks and spaces', () => {
    for (const c of [
      '\u0000',
      '\u0007',
      '\u007f',
      '\u0085',
      '\u00ad',
      '\u061c',
      '\u200b',
      '\u200d',
      '\u200e',
      '\u202a',
      '\u202e',
      '\u2028',
      '\u2066',
      '\ufeff',
      '\u115f',
      '\u1160',
      '\u3164',
      '\uffa0',
      '\u2800',
      '\u034f',
    ]) {
      expect(hasHiddenCharacter(`王${c}明`)).toBe(true);
    }
    for (const text of ['王小明', 'Chen Ya-Ting', 'Müller', '台灣精密機械股份有限公司', '臺北市 中正區', '한국']) {
      expect(hasHiddenCharacter(text)).toBe(false);
    }
  });

  it('the schema refuses a Hangul filler in any string field (the general rule, beside per-field patterns)', () => {
    expect(() => validateSubject('LawyerLicenceCredential', { ...lawyerSubject, lawFirm: '\u3164' })).toThrow(
      expect.objectContaining({
        code: 'SCHEMA_INVALID',
        details: expect.objectContaining({ problem: 'invisible-character' }),
      }),
    );
  });
});
