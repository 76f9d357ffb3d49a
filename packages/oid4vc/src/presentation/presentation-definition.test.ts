import { describe, expect, it } from '@jest/globals';

import { presentationDefinitionFor, submittedPresentation } from './presentation-definition.js';

const LAWYER = 'LawyerLicenceCredential';
const SD_JWT = 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln~WyJzIiwibmFtZSIsIngiXQ~eyJ0eXAiOiJrYitqd3QifQ.e30.c2ln';

describe('presentationDefinitionFor', () => {
  it('asks for one vc+sd-jwt of the type by its $.type, with a field per claim under credentialSubject, in order', () => {
    expect(presentationDefinitionFor(LAWYER, ['licenceNumber', 'name'], 'def-1')).toEqual({
      id: 'def-1',
      input_descriptors: [
        {
          id: LAWYER,
          format: { 'vc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] } },
          constraints: {
            limit_disclosure: 'required',
            fields: [
              { path: ['$.type'], filter: { type: 'array', contains: { const: LAWYER } } },
              { path: ['$.credentialSubject.licenceNumber'] },
              { path: ['$.credentialSubject.name'] },
            ],
          },
        },
      ],
    });
  });

  it('refuses what the DCQL query refuses: no claim, a claim twice, a claim the type lacks, an unknown type', () => {
    for (const claims of [[], ['name', 'name'], ['name', 'salary'], ['__proto__'], ['name.first']])
      expect(() => presentationDefinitionFor(LAWYER, claims, 'def-1')).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    expect(() => presentationDefinitionFor('PassportCredential', ['name'], 'def-1')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_CREDENTIAL_TYPE' }),
    );
  });
});

describe('submittedPresentation', () => {
  const definition = presentationDefinitionFor(LAWYER, ['name'], 'def-1');
  const submission = (entry: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id: 'sub-1',
    definition_id: 'def-1',
    descriptor_map: [{ id: LAWYER, format: 'vc+sd-jwt', path: '$', ...entry }],
    ...extra,
  });

  it('is the vp_token itself when the one descriptor maps a vc+sd-jwt at $, or its one element at $[0]', () => {
    expect(submittedPresentation(definition, submission({}), SD_JWT)).toBe(SD_JWT);
    expect(submittedPresentation(definition, submission({ path: '$[0]' }), JSON.stringify([SD_JWT]))).toBe(SD_JWT);
    expect(submittedPresentation(definition, submission({ path: '$[0]' }), [SD_JWT])).toBe(SD_JWT);
  });

  it('is nothing for another definition, descriptor, format or path, two entries, a VP around it, or no id', () => {
    const vpJwt = 'eyJ0eXAiOiJKV1QifQ.eyJ2cCI6e319.c2ln';
    for (const [answer, token] of [
      [submission({}, { definition_id: 'def-2' }), SD_JWT],
      [submission({ id: 'licence' }), SD_JWT],
      [submission({ format: 'dc+sd-jwt' }), SD_JWT],
      [submission({ format: 'jwt_vc_json' }), SD_JWT],
      [submission({ path: '$.vp' }), SD_JWT],
      [submission({ path: '$[0]' }), SD_JWT],
      [submission({ path: '$' }), JSON.stringify([SD_JWT])],
      [submission({ path: '$[0]' }), JSON.stringify([SD_JWT, SD_JWT])],
      [submission({ path: '$[0]' }), JSON.stringify([{ vp: SD_JWT }])],
      [
        submission({
          format: 'jwt_vp',
          path_nested: { id: LAWYER, format: 'vc+sd-jwt', path: '$.vp.verifiableCredential[0]' },
        }),
        vpJwt,
      ],
      [submission({ path_nested: { id: LAWYER, format: 'vc+sd-jwt', path: '$' } }), SD_JWT],
      [
        {
          ...submission({}),
          descriptor_map: [
            { id: LAWYER, format: 'vc+sd-jwt', path: '$' },
            { id: LAWYER, format: 'vc+sd-jwt', path: '$' },
          ],
        },
        SD_JWT,
      ],
      [{ ...submission({}), descriptor_map: [] }, SD_JWT],
      [{ ...submission({}), id: undefined }, SD_JWT],
      [{ ...submission({}), descriptor_map: 'all' }, SD_JWT],
      ['{}', SD_JWT],
      [undefined, SD_JWT],
      [submission({}), { [LAWYER]: [SD_JWT] }],
      [submission({}), '42'],
    ] as const)
      expect(submittedPresentation(definition, answer, token)).toBeUndefined();
  });
});
