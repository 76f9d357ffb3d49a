/**
 * The IETF Token Status List's Status List: the draft's own examples decode to the bytes and statuses
 * its text gives, encoding reproduces its `lst`, every `bits` round-trips with index 0 in the least
 * significant bit, zlib of another implementation (Node's) is read, and hostile input is refused.
 * @see https://datatracker.ietf.org/doc/draft-ietf-oauth-status-list/ (Status List; Test Vectors)
 */
import { deflateSync, deflateRawSync, gzipSync } from 'node:zlib';

import { describe, expect, it } from '@jest/globals';

import { encodeTokenStatusList } from '../src/formats.js';
import { MAX_TOKEN_STATUS_LIST_BYTES, TokenStatusList, tokenStatusTypes } from '../src/index.js';

describe("the draft's examples", () => {
  it('bits 1: "eNrbuRgAAhcBXQ" is the byte array [0xB9, 0xA3], statuses 1,0,0,1,1,1,0,1, 1,1,0,0,0,1,0,1', () => {
    const list = TokenStatusList.decode(1, 'eNrbuRgAAhcBXQ');
    expect(list && [...list.bytes]).toEqual([0xb9, 0xa3]);
    expect(list?.length).toBe(16);
    const statuses = Array.from({ length: 16 }, (_, i) => list?.get(i));
    expect(statuses).toEqual([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]);
    expect(list?.get(16)).toBeUndefined();
    // Encoding at the highest level gives the draft's own `lst`.
    expect(encodeTokenStatusList(new TokenStatusList(1, new Uint8Array([0xb9, 0xa3]))).lst).toBe('eNrbuRgAAhcBXQ');
  });

  it('bits 2: "eNo76fITAAPfAgc" is [0xC9, 0x44, 0xF9], statuses 1,2,0,3, 0,1,0,1, 1,2,3,3', () => {
    const list = TokenStatusList.decode(2, 'eNo76fITAAPfAgc');
    expect(list && [...list.bytes]).toEqual([0xc9, 0x44, 0xf9]);
    expect(list?.length).toBe(12);
    expect(Array.from({ length: 12 }, (_, i) => list?.get(i))).toEqual([1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]);
    // Built status by status, the same bytes and the draft's `lst` again.
    const built = TokenStatusList.valid(2, 12);
    [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3].forEach((value, index) => {
      built.set(index, value);
    });
    expect([...built.bytes]).toEqual([0xc9, 0x44, 0xf9]);
    expect(encodeTokenStatusList(built)).toEqual({ bits: 2, lst: 'eNo76fITAAPfAgc' });
  });

  it('the status types are the registry values', () => {
    expect(tokenStatusTypes).toEqual({ VALID: 0, INVALID: 1, SUSPENDED: 2 });
  });
});

describe('TokenStatusList', () => {
  it.each([1, 2, 4, 8] as const)('bits %i: set and get round-trip through lst, neighbours untouched', (bits) => {
    const list = TokenStatusList.valid(bits, 131_072);
    expect(list.length).toBe(131_072);
    const max = (1 << bits) - 1;
    const writes: [number, number][] = [
      [0, max],
      [1, 1],
      [94_567, max],
      [131_071, 1],
    ];
    for (const [index, value] of writes) list.set(index, value);
    const decoded = TokenStatusList.decode(bits, encodeTokenStatusList(list).lst);
    for (const [index, value] of writes) expect(decoded?.get(index)).toBe(value);
    expect(decoded?.get(2)).toBe(0);
    expect(decoded?.get(94_566)).toBe(0);
    // Clearing a value back to VALID works (a reinstated credential).
    list.set(94_567, 0);
    expect(TokenStatusList.decode(bits, encodeTokenStatusList(list).lst)?.get(94_567)).toBe(0);
    expect(() => {
      list.set(131_072, 1);
    }).toThrow(RangeError);
    expect(() => {
      list.set(0, max + 1);
    }).toThrow(RangeError);
  });

  it('index 0 is the least significant bit of the first byte', () => {
    const list = TokenStatusList.valid(1, 16);
    list.set(0, 1);
    list.set(9, 1);
    expect([...list.bytes]).toEqual([0x01, 0x02]);
  });

  it("reads zlib written by another implementation (Node's zlib)", () => {
    const lst = deflateSync(new Uint8Array([0xc9, 0x44, 0xf9])).toString('base64url');
    expect(TokenStatusList.decode(2, lst)?.get(1)).toBe(tokenStatusTypes.SUSPENDED);
  });

  it('refuses bits other than 1, 2, 4, 8, raw DEFLATE, GZIP, non-base64url and decompression bombs', () => {
    const bytes = new Uint8Array([0xb9, 0xa3]);
    expect(TokenStatusList.decode(3, 'eNrbuRgAAhcBXQ')).toBeUndefined();
    expect(TokenStatusList.decode('1', 'eNrbuRgAAhcBXQ')).toBeUndefined();
    expect(TokenStatusList.decode(1, deflateRawSync(bytes).toString('base64url'))).toBeUndefined();
    expect(TokenStatusList.decode(1, gzipSync(bytes).toString('base64url'))).toBeUndefined();
    expect(TokenStatusList.decode(1, 'eNrb!!')).toBeUndefined();
    expect(TokenStatusList.decode(1, 42)).toBeUndefined();
    const bomb = deflateSync(new Uint8Array(MAX_TOKEN_STATUS_LIST_BYTES + 1), { level: 9 });
    expect(bomb.length).toBeLessThan(10_000);
    expect(TokenStatusList.decode(1, bomb.toString('base64url'))).toBeUndefined();
    // Exactly the limit is still a list.
    const full = deflateSync(new Uint8Array(MAX_TOKEN_STATUS_LIST_BYTES), { level: 9 });
    expect(TokenStatusList.decode(8, full.toString('base64url'))?.length).toBe(MAX_TOKEN_STATUS_LIST_BYTES);
  });
});
