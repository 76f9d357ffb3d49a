import { describe, expect, it } from '@jest/globals';
import { isKeyActive } from '../src/key-window';

describe('isKeyActive', () => {
  const key = { validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-01-01T00:00:00.000Z', compromisedSince: null };
  it('is true from validFrom (inclusive) to validUntil (exclusive)', () => {
    expect(isKeyActive(key, '2025-12-31T23:59:59.999Z')).toBe(false);
    expect(isKeyActive(key, '2026-01-01T00:00:00.000Z')).toBe(true);
    expect(isKeyActive(key, '2026-12-31T23:59:59.999Z')).toBe(true);
    expect(isKeyActive(key, '2027-01-01T00:00:00.000Z')).toBe(false);
    expect(isKeyActive({ ...key, validUntil: null }, '2099-01-01T00:00:00.000Z')).toBe(true);
  });

  it('is false once the key is marked compromised', () => {
    expect(isKeyActive({ ...key, compromisedSince: '2026-06-01T00:00:00.000Z' }, '2026-03-01T00:00:00.000Z')).toBe(
      false,
    );
  });
});
