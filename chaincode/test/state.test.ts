import { describe, expect, it } from '@jest/globals';
import { canonicalJson, isoFromTimestamp, marshal, sortKeys, unmarshal } from '../src/state';

describe('canonical JSON', () => {
  it('sorts keys at every depth and keeps array order', () => {
    const value = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same bytes whatever order the members were set in', () => {
    expect(marshal({ id: '1', status: 'ACTIVE' }).equals(marshal({ status: 'ACTIVE', id: '1' }))).toBe(true);
  });

  it('leaves out absent optional members, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => sortKeys(Number.NaN)).toThrow(TypeError);
    expect(() => sortKeys([undefined])).toThrow(TypeError);
    expect(() => sortKeys(1n)).toThrow(TypeError);
  });

  it('round-trips through marshal and unmarshal, non-ASCII included', () => {
    const record = { name: { 'zh-TW': '法務部', en: 'Ministry of Justice' } };
    expect(unmarshal(marshal(record))).toEqual(record);
  });
});

describe('isoFromTimestamp', () => {
  it('reads seconds as a Long, a number or a string, and truncates nanos to milliseconds', () => {
    const seconds = 1_795_651_200; // 2026-11-26T00:00:00Z
    expect(isoFromTimestamp({ seconds: { toNumber: () => seconds }, nanos: 123_999_999 })).toBe(
      '2026-11-26T00:00:00.123Z',
    );
    expect(isoFromTimestamp({ seconds, nanos: 0 })).toBe('2026-11-26T00:00:00.000Z');
    expect(isoFromTimestamp({ seconds: String(seconds), nanos: 5_000_000 })).toBe('2026-11-26T00:00:00.005Z');
  });
});
