import { describe, expect, it } from '@jest/globals';

import { dcqlQueryFor, queriedPresentation } from './dcql-query.js';

const LAWYER = 'LawyerLicenceCredential';

describe('dcqlQueryFor', () => {
  it('asks for one dc+sd-jwt of the type by its vct, holder-bound, with exactly the claims named, in order', () => {
    expect(dcqlQueryFor(LAWYER, ['licenceNumber', 'name'])).toEqual({
      credentials: [
        {
          id: LAWYER,
          format: 'dc+sd-jwt',
          meta: { vct_values: ['https://credledger.org/vct/LawyerLicenceCredential'] },
          claims: [{ path: ['licenceNumber'] }, { path: ['name'] }],
          require_cryptographic_holder_binding: true,
        },
      ],
    });
  });

  it('refuses no claim, a claim twice, a claim the type lacks, and an unknown type', () => {
    for (const claims of [[], ['name', 'name'], ['name', 'salary'], ['__proto__']])
      expect(() => dcqlQueryFor(LAWYER, claims)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => dcqlQueryFor('PassportCredential', ['name'])).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_CREDENTIAL_TYPE' }),
    );
  });
});

describe('queriedPresentation', () => {
  const query = dcqlQueryFor(LAWYER, ['name']);

  it('is the one string presented for the query id', () => {
    expect(queriedPresentation(query, { [LAWYER]: ['eyJ…~'] })).toBe('eyJ…~');
  });

  it('is nothing for another id, an extra id, two presentations, or one that is not a string', () => {
    for (const presentations of [
      { licence: ['eyJ…~'] },
      { [LAWYER]: ['eyJ…~'], other: ['eyJ…~'] },
      { [LAWYER]: ['eyJ…~', 'eyJ…~'] },
      { [LAWYER]: [{ vp: 1 }] },
      { [LAWYER]: [] },
      {},
    ] as Record<string, unknown[]>[])
      expect(queriedPresentation(query, presentations)).toBeUndefined();
  });
});
