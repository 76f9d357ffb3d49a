import { describe, expect, it } from '@jest/globals';

import { isLowS, toLowS } from './low-s.js';

const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const bytes32 = (value: bigint): Uint8Array =>
  Uint8Array.from(value.toString(16).padStart(64, '0').match(/../g) ?? [], (b) => parseInt(b, 16));
const signature = (r: bigint, s: bigint): Uint8Array => Uint8Array.from([...bytes32(r), ...bytes32(s)]);
const sOf = (sig: Uint8Array): bigint => BigInt(`0x${Buffer.from(sig.subarray(32)).toString('hex')}`);

describe('low-S', () => {
  it('takes s ≤ ⌊n/2⌋ as canonical and anything above as not', () => {
    expect(isLowS(signature(5n, 1n))).toBe(true);
    expect(isLowS(signature(5n, n >> 1n))).toBe(true);
    expect(isLowS(signature(5n, (n >> 1n) + 1n))).toBe(false);
    expect(isLowS(signature(5n, n - 1n))).toBe(false);
    expect(isLowS(new Uint8Array(63))).toBe(false);
  });

  it('turns s into n − s and keeps r, leaving a canonical signature unchanged', () => {
    for (const s of [(n >> 1n) + 1n, n - 1n, 0xc0ffeen << 232n]) {
      const high = signature(123n, s);
      const low = toLowS(high);
      expect(sOf(low)).toBe(n - s);
      expect(low.subarray(0, 32)).toEqual(high.subarray(0, 32));
      expect(isLowS(low)).toBe(true);
      expect(sOf(high)).toBe(s); // the input is not changed
    }
    const already = signature(7n, 42n);
    expect(toLowS(already)).toEqual(already);
  });

  it('refuses what is not a 64-byte r‖s with s below n', () => {
    expect(() => toLowS(new Uint8Array(70))).toThrow(TypeError);
    expect(() => toLowS(signature(1n, n))).toThrow(TypeError);
  });
});
