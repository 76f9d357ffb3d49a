import { describe, expect, it } from '@jest/globals';

import { looksLikePath } from './credential-input.js';

describe('looksLikePath', () => {
  it.each(['./licence.jwt', 'out/jwt/x', 'licence.jwt', 'qr.PNG', 'photo.jpeg', 'saved.txt', 'C:\\creds\\a', '../x'])(
    '%s is a path',
    (input) => {
      expect(looksLikePath(input)).toBe(true);
    },
  );

  it.each([
    'eyJhbGciOiJFUzI1NiJ9.eyJpZCI6IngifQ.c2ln',
    'http://localhost:8080/#6201',
    'HTTPS://verify.moj.gov.tw/#62',
    'not a credential',
    '12345',
    'a/b\nc',
    `${'a'.repeat(5000)}/b`,
  ])('%s is credential text', (input) => {
    expect(looksLikePath(input)).toBe(false);
  });
});
