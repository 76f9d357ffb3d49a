/**
 * Many documents on worker threads: each worker keeps a renderer (./render.ts), so the typeface is
 * parsed once per worker and each template is drawn once; the calling thread only hands over JWTs and
 * gets PDF bytes back, one request resolving as soon as its worker finishes it, so a caller can write
 * each file and count it the moment it exists.
 */
import type { Label } from '@credledger/verify';
import { normaliseBaseUrl } from '@credledger/verify/formats';
import { createWorkerPool, workerFile } from '@credledger/workers';

import type { DocumentFormat } from './layouts.js';
import type { DocumentTask, DocumentWorkerData } from './pool-worker.js';

export interface DocumentPoolOptions {
  /** The verifier page the QR codes open (the workspace's verifierBaseUrl). */
  readonly verifierBaseUrl: string;
  /** Worker threads; default: the available cores, at most 8. */
  readonly workers?: number;
}

/** A running pool; close it (or `await using` it) when done. */
export interface DocumentPool extends AsyncDisposable {
  readonly size: number;
  /**
   * Renders one credential's document on a worker.
   * @throws CredledgerError as `DocumentRenderer.render` does; CONFIG_INVALID once the pool is closed
   */
  render(jwt: string, options?: { readonly format?: DocumentFormat; readonly issuerName?: Label }): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Starts a pool of document workers.
 * @throws CredledgerError CONFIG_INVALID for a worker count below 1 or a bad verifier URL
 * @example
 * await using pool = createDocumentPool({ verifierBaseUrl: 'https://verify.moj.gov.tw/' });
 * const pdf = await pool.render(jwt, { format: 'card', issuerName });
 */
export function createDocumentPool(options: DocumentPoolOptions): DocumentPool {
  const pool = createWorkerPool<DocumentTask, Uint8Array>({
    file: workerFile(new URL('./pool-worker.js', import.meta.url)),
    workerData: { verifierBaseUrl: normaliseBaseUrl(options.verifierBaseUrl) } satisfies DocumentWorkerData,
    size: options.workers,
    name: 'document',
  });
  return {
    size: pool.size,
    render(jwt, renderOptions = {}) {
      return pool.run({
        jwt,
        format: renderOptions.format ?? 'a4',
        ...(renderOptions.issuerName === undefined ? {} : { issuerName: renderOptions.issuerName }),
      });
    },
    close: () => pool.close(),
    [Symbol.asyncDispose]: () => pool.close(),
  };
}
