/**
 * Many QR PNGs on worker threads: each worker encodes a credential's link (./codec.ts, ~1 ms) and
 * renders it (qrcode, ~5–12 ms), both pure JS, so the calling thread only hands over JWTs and gets
 * images back. Requests queue in the pool and resolve one by one as workers finish them, so a caller
 * can write each image and count it the moment it exists.
 */
import { CredledgerError } from '@credledger/verify';
import { normaliseBaseUrl } from '@credledger/verify/formats';
import { createWorkerPool, defaultPoolSize, workerFile } from '@credledger/workers';
import { qrOptions, type QrRenderOptions } from './render.js';
import type { QrTask, QrWorkerData } from './render-worker.js';

export interface QrPoolOptions extends QrRenderOptions {
  /** The verifier page credential links point to, e.g. `https://verify.moj.gov.tw/`; needed by `renderCredential`. */
  readonly baseUrl?: string;
  /** Worker threads; default: the available cores, at most 8. */
  readonly workers?: number;
}

/** A running pool; close it (or `await using` it) when done. */
export interface QrPool extends AsyncDisposable {
  /** Number of worker threads. */
  readonly size: number;
  /**
   * Encodes a compact JWS as a credential link for the pool's `baseUrl` and renders its PNG, on a worker.
   * @throws CredledgerError `CREDENTIAL_MALFORMED` when `jwt` is not a compact JWS, `CONFIG_INVALID` without a `baseUrl` or once closed.
   */
  renderCredential(jwt: string): Promise<Buffer>;
  /**
   * Renders a credential link as a PNG, on a worker.
   * @throws Error when the link cannot be rendered (e.g. too long for a fixed version).
   */
  renderLink(link: string): Promise<Buffer>;
  /** Stops the workers; requests not yet answered reject. */
  close(): Promise<void>;
}

/**
 * Starts a pool of QR workers.
 * @throws CredledgerError `CONFIG_INVALID` for a worker count below 1 or a bad `baseUrl`.
 * @example
 * await using pool = createQrPool({ baseUrl: 'https://verify.moj.gov.tw/' });
 * const png = await pool.renderCredential(jwt);
 */
export function createQrPool(options: QrPoolOptions = {}): QrPool {
  const { baseUrl, workers, ...render } = options;
  const data: QrWorkerData = {
    options: qrOptions(render),
    ...(baseUrl === undefined ? {} : { baseUrl: normaliseBaseUrl(baseUrl) }),
  };
  const pool = createWorkerPool<QrTask, Uint8Array>({
    file: workerFile(new URL('./render-worker.js', import.meta.url)),
    workerData: data,
    size: workers,
    name: 'QR',
  });
  const png = async (task: QrTask): Promise<Buffer> => {
    const bytes = await pool.run(task);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
  return {
    size: pool.size,
    renderCredential(jwt) {
      if (data.baseUrl === undefined)
        return Promise.reject(new CredledgerError('CONFIG_INVALID', 'this QR pool has no verifier base URL'));
      return png({ jwt });
    },
    renderLink(link) {
      return png({ link });
    },
    close: () => pool.close(),
    [Symbol.asyncDispose]: () => pool.close(),
  };
}

export interface RenderBatchOptions extends QrRenderOptions {
  /** Called after each PNG with the number done so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Worker threads; default: the available cores, at most 8. */
  readonly workers?: number;
}

/**
 * Renders many credential links as PNGs on a pool of worker threads started for this call. Results keep
 * the order of `links`.
 * @throws Error when a link cannot be rendered (e.g. too long for the fixed version); the pool is stopped.
 */
export async function renderPngBatch(links: readonly string[], options: RenderBatchOptions = {}): Promise<Buffer[]> {
  const total = links.length;
  if (total === 0) return [];
  const { onProgress, workers, ...render } = options;
  await using pool = createQrPool({
    ...render,
    workers: Math.min(workers ?? defaultPoolSize(), total),
  });
  let done = 0;
  return await Promise.all(
    links.map(async (link) => {
      const png = await pool.renderLink(link);
      onProgress?.(++done, total);
      return png;
    }),
  );
}
