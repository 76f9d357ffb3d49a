import { describe, expect, it } from '@jest/globals';
import { checkNames, type Check, type VerificationResult } from '@credledger/verify';

import { outcomeOf } from './outcome.js';

const LAWYER = 'LawyerLicenceCredential';
const AT = new Date('2026-11-27T10:00:00.000Z');
const request = { credentialType: LAWYER, claims: ['name', 'licenceNumber'], profile: 'ietf' } as const;
const subject = { name: '陳雅婷', licenceNumber: '(115)台檢證字第012345號', lawFirm: '明理法律事務所' };

/** A result whose checks all pass but those given. */
function resultOf(
  verdict: VerificationResult['verdict'],
  changed: readonly Check[],
  presentation: VerificationResult['presentation'] = {
    format: 'sd-jwt',
    profile: 'ietf',
    disclosed: ['name', 'licenceNumber', 'lawFirm'],
    keyBound: true,
  },
): VerificationResult {
  return {
    verdict,
    checks: checkNames.map(
      (name) => changed.find((check) => check.name === name) ?? { name, result: 'pass', reason: 'DECODED' },
    ),
    credential: {
      id: 'urn:uuid:0b3c6f0e-5d2a-4c1e-9f1a-2b7c8d9e0f10',
      type: LAWYER,
      issuer: 'did:web:moj.gov.tw',
      subject,
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: null,
    },
    presentation,
  };
}

describe('outcomeOf', () => {
  it('keeps only the claims asked for, and no credential id', () => {
    const outcome = outcomeOf(resultOf('VALID', []), request, AT);
    expect(outcome).toEqual({
      verdict: 'VALID',
      reasons: [],
      claims: { name: subject.name, licenceNumber: subject.licenceNumber },
      credential: { type: LAWYER, issuer: 'did:web:moj.gov.tw', validFrom: '2026-01-01T00:00:00Z', validUntil: null },
      answeredAt: AT.toISOString(),
    });
  });

  it('is NOT_AS_REQUESTED for a genuine presentation without key binding, when the verify function did not require one', () => {
    const unbound = resultOf('VALID', [], { format: 'sd-jwt', profile: 'ietf', disclosed: ['name'], keyBound: false });
    expect(outcomeOf(unbound, request, AT)).toEqual({
      verdict: 'NOT_AS_REQUESTED',
      reasons: ['KEY_BINDING_MISSING', 'CLAIM_NOT_DISCLOSED'],
      claims: {},
      answeredAt: AT.toISOString(),
    });
  });

  it('is NOT_AS_REQUESTED, FORMAT_NOT_REQUESTED, for the other profile: a TW DIW request answered by an IETF SD-JWT, and the reverse', () => {
    const twDiw = resultOf('VALID', [], {
      format: 'sd-jwt',
      profile: 'tw-diw',
      disclosed: ['name', 'licenceNumber'],
      keyBound: true,
    });
    expect(outcomeOf(resultOf('VALID', []), { ...request, profile: 'tw-diw' }, AT)).toEqual({
      verdict: 'NOT_AS_REQUESTED',
      reasons: ['FORMAT_NOT_REQUESTED'],
      claims: {},
      answeredAt: AT.toISOString(),
    });
    expect(outcomeOf(twDiw, request, AT)).toMatchObject({
      verdict: 'NOT_AS_REQUESTED',
      reasons: ['FORMAT_NOT_REQUESTED'],
    });
    expect(outcomeOf(twDiw, { ...request, profile: 'tw-diw' }, AT)).toMatchObject({
      verdict: 'VALID',
      claims: { name: subject.name, licenceNumber: subject.licenceNumber },
    });
  });

  it('gives the reason the verdict rests on first, and no claim unless the signature is established', () => {
    const unknownStatus = resultOf('UNVERIFIABLE', [
      { name: 'anchor', result: 'unknown', reason: 'LEDGER_NOT_CONSULTED' },
      { name: 'status', result: 'unknown', reason: 'STATUS_SOURCE_UNAVAILABLE' },
    ]);
    expect(outcomeOf(unknownStatus, request, AT)).toMatchObject({
      verdict: 'UNVERIFIABLE',
      reasons: ['STATUS_SOURCE_UNAVAILABLE'],
      claims: { name: subject.name, licenceNumber: subject.licenceNumber },
    });
    const forged = resultOf('TAMPERED', [{ name: 'signature', result: 'fail', reason: 'SIGNATURE_INVALID' }]);
    expect(outcomeOf(forged, request, AT)).toEqual({
      verdict: 'TAMPERED',
      reasons: ['SIGNATURE_INVALID'],
      claims: {},
      answeredAt: AT.toISOString(),
    });
  });
});
