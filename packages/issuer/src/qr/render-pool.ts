/**
 * Many QR PNGs on worker threads: each worker encodes a credential's link (./codec.ts, ~1 ms) and
 * renders it (qrcode, ~5–12 ms), both pure JS, so the calling thread only hands over JWTs and gets
 * images back. Requests queue in the pool and resolve one by one as workers finish them, so a caller
 * can write each image and count it the moment it exists.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { CredledgerError, errorCodes, type ErrorCode } from '@credledger/verify';
import { normaliseBaseUrl } from '@credledger/verify/formats';
import { qrOptions, type QrRenderOptions } from './render.js';
import type { QrReply, QrTask, QrWorkerData } from './render-worker.js';

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

/** Requests a worker holds at once: while qrcode compresses one PNG (on libuv's pool), it draws the next. */
const perWorker = 2;

interface Request {
  readonly task: QrTask;
  readonly resolve: (png: Buffer) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly inFlight: Map<number, Request>;
}

function workerFile(): URL {
  // Built code sits beside its worker; under ts-jest this module is the .ts source, so use the build.
  const beside = new URL('./render-worker.js', import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside : new URL('../../dist/qr/render-worker.js', import.meta.url);
}

function errorOf(reply: { readonly code?: string; readonly message: string }): Error {
  return reply.code !== undefined && (errorCodes as readonly string[]).includes(reply.code)
    ? new CredledgerError(reply.code as ErrorCode, reply.message)
    : new Error(`QR rendering failed: ${reply.message}`);
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
  const size = workers ?? Math.min(availableParallelism(), 8);
  if (!Number.isInteger(size) || size < 1)
    throw new CredledgerError('CONFIG_INVALID', `a QR pool needs a whole number of workers ≥ 1, not ${size}`);
  const data: QrWorkerData = {
    options: qrOptions(render),
    ...(baseUrl === undefined ? {} : { baseUrl: normaliseBaseUrl(baseUrl) }),
  };
  const queue: Request[] = [];
  let seq = 0;
  let broken: Error | undefined;

  const fail = (error: Error): void => {
    broken ??= error;
    for (const slot of slots) {
      for (const request of slot.inFlight.values()) request.reject(error);
      slot.inFlight.clear();
    }
    for (const request of queue.splice(0)) request.reject(error);
  };

  const dispatch = (slot: Slot): void => {
    while (slot.inFlight.size < perWorker) {
      const request = queue.shift();
      if (request === undefined) break;
      slot.inFlight.set(request.task.seq, request);
      slot.worker.postMessage(request.task);
    }
    // Only a worker with work keeps the process alive: a pool left open never hangs a program's exit.
    if (slot.inFlight.size > 0) slot.worker.ref();
    else slot.worker.unref();
  };

  const slots: Slot[] = Array.from({ length: size }, () => {
    const slot: Slot = { worker: new Worker(workerFile(), { workerData: data }), inFlight: new Map() };
    slot.worker.unref();
    slot.worker.on('message', (reply: QrReply) => {
      const request = slot.inFlight.get(reply.seq);
      if (request === undefined) return;
      slot.inFlight.delete(reply.seq);
      if ('error' in reply) request.reject(errorOf(reply.error));
      else request.resolve(Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength));
      dispatch(slot);
    });
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (slot.inFlight.size > 0 || queue.length > 0) fail(new Error(`a QR worker exited with code ${code}`));
    });
    return slot;
  });

  const submit = (task: QrTask): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      if (broken !== undefined) {
        reject(broken);
        return;
      }
      queue.push({ task, resolve, reject });
      // The least busy worker takes it (all busy: it waits in the queue for the first that answers).
      const free = slots.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
      dispatch(free);
    });

  const close = async (): Promise<void> => {
    fail(new CredledgerError('CONFIG_INVALID', 'the QR pool was closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  };

  return {
    size,
    renderCredential(jwt) {
      if (data.baseUrl === undefined)
        return Promise.reject(new CredledgerError('CONFIG_INVALID', 'this QR pool has no verifier base URL'));
      return submit({ seq: ++seq, jwt });
    },
    renderLink(link) {
      return submit({ seq: ++seq, link });
    },
    close,
    [Symbol.asyncDispose]: close,
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
    workers: Math.min(workers ?? Math.min(availableParallelism(), 8), total),
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
