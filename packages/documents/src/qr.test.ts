import { describe, expect, it } from '@jest/globals';

import { credentialQrSymbol, dotPt, qrPlacement, qrRectangles } from './qr.js';

describe('the printed QR code', () => {
  it('takes the largest whole number of 300 dpi dots per module that fits, never below 0.5 mm', () => {
    // Version 10: 57 modules + 8 of quiet zone = 65.
    const a4 = qrPlacement(10, 150);
    expect(a4.dotsPerModule).toBe(9);
    expect(a4.sidePt).toBeCloseTo(65 * 9 * dotPt);
    expect(a4.moduleMm).toBeGreaterThanOrEqual(0.5);
    const card = qrPlacement(9, 90);
    expect(card.dotsPerModule).toBe(6);
    expect(card.moduleMm).toBeCloseTo(0.508, 3);
  });

  it('refuses a slot too small for 0.5 mm modules', () => {
    expect(() => qrPlacement(12, 90)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('caps the module size', () => {
    expect(qrPlacement(1, 1000, 10).dotsPerModule).toBe(10);
  });

  it('merges each row’s runs of dark modules into rectangles that cover exactly the dark modules', () => {
    const symbol = credentialQrSymbol('http://localhost:8080/#6201234567890');
    const rects = qrRectangles(symbol, 0, 0, 1);
    let dark = 0;
    for (let r = 0; r < symbol.size; r++) for (let c = 0; c < symbol.size; c++) if (symbol.isDark(r, c)) dark++;
    expect(rects.reduce((sum, [, , w]) => sum + w, 0)).toBe(dark);
    // The top-left finder pattern's first row: seven dark modules from the quiet zone's edge.
    const top = rects.filter(([, y]) => y === 4 + symbol.size - 1);
    expect(top[0]).toEqual([4, 4 + symbol.size - 1, 7, 1]);
  });
});
