import { describe, expect, it } from '@jest/globals';

import { contentLimits, readContentPaint } from './content-rects.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('readContentPaint', () => {
  it('keeps filled rectangles in page space, with their fill’s lightness, and the XObjects painted', () => {
    const paint = readContentPaint(
      bytes('q 2 0 0 2 10 10 cm 0 g 1 2 3 4 re f Q 1 1 1 rg 0 0 5 5 re 6 6 1 1 re f* 0 0 9 9 re n /Im0 Do'),
    );
    expect(paint.rects).toEqual([
      { x0: 12, y0: 14, x1: 18, y1: 22, lightness: 0 },
      { x0: 0, y0: 0, x1: 5, y1: 5, lightness: expect.closeTo(1, 9) },
      { x0: 6, y0: 6, x1: 7, y1: 7, lightness: expect.closeTo(1, 9) },
    ]);
    expect(paint.painted).toEqual([{ name: 'Im0', matrix: [1, 0, 0, 1, 0, 0] }]);
  });

  it('reads past strings, dictionaries and inline images that hold operator-like bytes', () => {
    const paint = readContentPaint(
      bytes(
        'BT (1 2 3 4 re f \\) \\( (nested) ) Tj <3120322033> Tj ET /P << /MCID 0 >> BDC ' +
          'BI /W 4 /H 1 /BPC 8 /CS /G ID 1 1 1 1 re f EI 1 1 1 1 re f',
      ),
    );
    expect(paint.rects).toEqual([{ x0: 1, y0: 1, x1: 2, y1: 2, lightness: 0 }]);
  });

  it('ends on malformed or endless input, keeping at most its limit of rectangles', () => {
    expect(readContentPaint(bytes('0 0 1 1 re (never closed 1 1 1 1 re f')).rects).toEqual([]);
    expect(readContentPaint(bytes('0 0 1 1 re f BI /W 1 ID 1 2 3')).rects).toHaveLength(1);
    expect(readContentPaint(bytes('Q Q Q 1 0 0 cm re f 0 0 1 1 re f')).rects).toHaveLength(1);
    const many = readContentPaint(bytes('0 0 1 1 re f '.repeat(contentLimits.rects + 10)));
    expect(many.rects).toHaveLength(contentLimits.rects);
  });
});
