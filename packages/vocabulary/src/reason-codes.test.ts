import { describe, expect, it } from '@jest/globals';
import { isReasonCode, reasonCodes, reasonLabels } from './reason-codes.js';

describe('reason codes', () => {
  it('each have words in both languages, and the labels name no other code', () => {
    expect(Object.keys(reasonLabels)).toEqual([...reasonCodes]);
    for (const code of reasonCodes) {
      expect(reasonLabels[code]['zh-TW']).toMatch(/\S/);
      expect(reasonLabels[code].en).toMatch(/\S/);
    }
  });

  it('are recognised in untrusted input exactly', () => {
    for (const code of reasonCodes) expect(isReasonCode(code)).toBe(true);
    for (const other of ['', 'disbarment', 'DISBARMENT ', 'toString', 'ACTIVE', null, undefined, 1, ['DISBARMENT']])
      expect(isReasonCode(other)).toBe(false);
  });
});
