import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { dictionaries } from '../src/link/dictionaries/index.js';

const readme = readFileSync(new URL('../src/link/dictionaries/README', import.meta.url), 'utf8');
const vectors = JSON.parse(readFileSync(new URL('./fixtures/link/vectors.json', import.meta.url), 'utf8')) as {
  dictionary1Sha256: string;
  dictionary2Sha256: string;
};

describe('QR dictionaries', () => {
  it('every published dictionary still has its published SHA-256 and size', () => {
    const rows = [...readme.matchAll(/^\|\s*(\d+)\s*\|\s*\S+\s*\|\s*(\d+)\s*\|\s*([0-9a-f]{64})\s*\|/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(1);
    for (const [, id, size, sha] of rows) {
      const dictionary = dictionaries[Number(id)];
      expect(dictionary).toBeDefined();
      expect(dictionary?.length).toBe(Number(size));
      expect(
        createHash('sha256')
          .update(dictionary ?? new Uint8Array())
          .digest('hex'),
      ).toBe(sha);
    }
  });

  it('dictionary 1 matches the digest the test vectors were made with', () => {
    expect(
      createHash('sha256')
        .update(dictionaries[1] ?? new Uint8Array())
        .digest('hex'),
    ).toBe(vectors.dictionary1Sha256);
  });

  it('dictionary 2 matches the digest the test vectors were made with', () => {
    expect(
      createHash('sha256')
        .update(dictionaries[2] ?? new Uint8Array())
        .digest('hex'),
    ).toBe(vectors.dictionary2Sha256);
  });

  it('fits deflate’s 32 KiB window', () => {
    for (const d of Object.values(dictionaries)) expect(d.length).toBeLessThanOrEqual(32768);
  });
});
