import { describe, expect, it } from '@jest/globals';

import { workerFile } from '../src/index.js';

describe('workerFile', () => {
  it('is the file beside the caller when it exists', () => {
    const beside = new URL('./fixtures/test-worker.mjs', import.meta.url);
    expect(workerFile(beside).href).toBe(beside.href);
  });

  it('is the built twin under dist/ for a caller running from src/ (ts-jest)', () => {
    expect(workerFile(new URL('../src/worker-pool.js', import.meta.url)).href).toBe(
      new URL('../dist/worker-pool.js', import.meta.url).href,
    );
    // Only the package's own src/: a checkout may sit in a folder named src.
    expect(workerFile(new URL('file:///home/src/credledger/packages/issuer/src/qr/render-worker.js')).href).toBe(
      'file:///home/src/credledger/packages/issuer/dist/qr/render-worker.js',
    );
  });
});
