/**
 * The status machines, written out here as docs/data-model.md states them: the one place that pins
 * the tables' content. Tests elsewhere (the chaincode on a ledger, the CLI's reasons) take the tables
 * from this package and check that they are enforced and offered.
 */
import { describe, expect, it } from '@jest/globals';
import { reasonCodes } from './reason-codes.js';
import { credentialStatuses, issuerStatuses } from './statuses.js';
import { credentialTransitions, issuerTransitions, reasonsFor } from './transitions.js';

const revocation = [
  'DISBARMENT',
  'SURRENDERED',
  'DECEASED',
  'ISSUED_IN_ERROR',
  'KEY_COMPROMISE',
  'SUPERSEDED',
  'COURT_ORDER',
];

describe('credential transitions', () => {
  it('are exactly ACTIVE ⇄ SUSPENDED and ACTIVE|SUSPENDED → REVOKED, each with its reasons in order', () => {
    const table = Object.fromEntries(
      credentialStatuses.flatMap((from) =>
        credentialStatuses.flatMap((to) => {
          const reasons = reasonsFor(from, to);
          return reasons === undefined ? [] : [[`${from}→${to}`, [...reasons]]];
        }),
      ),
    );
    expect(table).toEqual({
      'ACTIVE→SUSPENDED': ['DISCIPLINARY_SUSPENSION', 'COURT_ORDER', 'KEY_COMPROMISE'],
      'ACTIVE→REVOKED': revocation,
      'SUSPENDED→ACTIVE': ['SUSPENSION_LIFTED', 'COURT_ORDER'],
      'SUSPENDED→REVOKED': revocation,
    });
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
  it('are exactly ACTIVE ⇄ SUSPENDED and either → DEACTIVATED (terminal)', () => {
    const edges = issuerStatuses.flatMap((from) => issuerTransitions[from].map((to) => `${from}→${to}`));
    expect(edges.sort()).toEqual([
      'ACTIVE→DEACTIVATED',
      'ACTIVE→SUSPENDED',
      'SUSPENDED→ACTIVE',
      'SUSPENDED→DEACTIVATED',
    ]);
  });
});
