import { describe, expect, it } from '@jest/globals';
import { credentialTransitions, isKeyActive, issuerTransitions, reasonsFor } from '../src/lifecycle';
import { credentialStatuses, reasonCodes } from '../src/records';

describe('credential transitions', () => {
  it('allow exactly ACTIVE ⇄ SUSPENDED and ACTIVE|SUSPENDED → REVOKED', () => {
    const edges = credentialStatuses.flatMap((from) =>
      credentialStatuses.filter((to) => reasonsFor(from, to) !== undefined).map((to) => `${from}→${to}`),
    );
    expect(edges.sort()).toEqual(['ACTIVE→REVOKED', 'ACTIVE→SUSPENDED', 'SUSPENDED→ACTIVE', 'SUSPENDED→REVOKED']);
  });

  it('keep SUSPENSION_LIFTED for SUSPENDED → ACTIVE only', () => {
    for (const [from, targets] of Object.entries(credentialTransitions)) {
      for (const [to, reasons] of Object.entries(targets)) {
        expect([from, to, reasons.includes('SUSPENSION_LIFTED')]).toEqual([
          from,
          to,
          from === 'SUSPENDED' && to === 'ACTIVE',
        ]);
      }
    }
  });

  it('use every reason code somewhere, and only known ones', () => {
    const used = new Set(Object.values(credentialTransitions).flatMap((targets) => Object.values(targets).flat()));
    expect([...used].sort()).toEqual([...reasonCodes].sort());
  });
});

describe('issuer transitions', () => {
  it('make DEACTIVATED terminal', () => {
    expect(issuerTransitions.DEACTIVATED).toEqual([]);
    expect(issuerTransitions.ACTIVE).toContain('SUSPENDED');
    expect(issuerTransitions.SUSPENDED).toContain('ACTIVE');
  });
});

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
