import { describe, expect, it } from '@jest/globals';

import { breakLines, fitText, type Measure } from './sheet.js';

/** A CJK character is 1 em wide, anything else half an em. */
const measure: Measure = (text, size) =>
  Array.from(text).reduce((sum, char) => sum + (/[\p{Script=Han}]/u.test(char) ? size : size / 2), 0);

describe('line breaking', () => {
  it('breaks Chinese between any two characters', () => {
    expect(breakLines('臺北市中正區重慶南路一段122號', 50, 10, 'regular', measure)).toEqual([
      '臺北市中正',
      '區重慶南路',
      '一段122號',
    ]);
  });

  it('breaks Latin text at spaces, and a word longer than a line between characters', () => {
    expect(breakLines('CNC lathes, model TPM-420', 60, 10, 'regular', measure)).toEqual([
      'CNC lathes,',
      'model',
      'TPM-420',
    ]);
    expect(breakLines('ABCDEFGHIJKL', 30, 10, 'regular', measure)).toEqual(['ABCDEF', 'GHIJKL']);
  });
});

describe('fitting a value to its box', () => {
  it('shrinks the size until the text fits its lines', () => {
    expect(
      fitText(
        '台灣示範科技股份有限公司',
        { width: 100, maxLines: 1 },
        { size: 12, minSize: 6, weight: 'regular' },
        measure,
      ),
    ).toEqual({
      size: 8,
      lines: ['台灣示範科技股份有限公司'],
    });
  });

  it('ends the last line in an ellipsis when even the smallest size is too large', () => {
    const fitted = fitText(
      '一二三四五六七八九十',
      { width: 30, maxLines: 1 },
      { size: 10, minSize: 10, weight: 'regular' },
      measure,
    );
    expect(fitted.lines).toEqual(['一二…']);
  });
});
