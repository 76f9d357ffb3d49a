/**
 * Many documents on worker threads: each worker keeps a renderer (./render.ts), so the typeface is
 * parsed once per worker and each template is drawn once; the calling thread only hands over JWTs and
 * gets PDF bytes back, one request resolving as soon as its worker finishes it, so a caller can write
 * each file and count it the moment it exists.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { CredledgerError, errorCodes, type ErrorCode, type Label } from '@credledger/verify';
import { normaliseBaseUrl } from '@credledger/verify/formats';

import type { DocumentFormat } from './layouts.js';
import type { DocumentReply, DocumentTask, DocumentWorkerData } from './pool-worker.js';

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

/** Requests a worker holds at once, so it never waits for the next one to arrive. */
const perWorker = 2;

interface Request {
  readonly task: DocumentTask;
  readonly resolve: (pdf: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly inFlight: Map<number, Request>;
}

function workerFile(): URL {
  // Built code sits beside its worker; under ts-jest this module is the .ts source, so use the build.
  const beside = new URL('./pool-worker.js', import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside : new URL('../dist/pool-worker.js', import.meta.url);
}

function errorOf(reply: { readonly code?: string; readonly message: string }): Error {
  return reply.code !== undefined && (errorCodes as readonly string[]).includes(reply.code)
    ? new CredledgerError(reply.code as ErrorCode, reply.message)
    : new Error(`document rendering failed: ${reply.message}`);
}

/**
 * Starts a pool of document workers.
 * @throws CredledgerError CONFIG_INVALID for a worker count below 1 or a bad verifier URL
 * @example
 * await using pool = createDocumentPool({ verifierBaseUrl: 'https://verify.moj.gov.tw/' });
 * const pdf = await pool.render(jwt, { format: 'card', issuerName });
 */
export function createDocumentPool(options: DocumentPoolOptions): DocumentPool {
  const size = options.workers ?? Math.min(availableParallelism(), 8);
  if (!Number.isInteger(size) || size < 1)
    throw new CredledgerError('CONFIG_INVALID', `a document pool needs a whole number of workers ≥ 1, not ${size}`);
  const data: DocumentWorkerData = { verifierBaseUrl: normaliseBaseUrl(options.verifierBaseUrl) };
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
    slot.worker.on('message', (reply: DocumentReply) => {
      const request = slot.inFlight.get(reply.seq);
      if (request === undefined) return;
      slot.inFlight.delete(reply.seq);
      if ('error' in reply) request.reject(errorOf(reply.error));
      else request.resolve(reply.pdf);
      dispatch(slot);
    });
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (slot.inFlight.size > 0 || queue.length > 0) fail(new Error(`a document worker exited with code ${code}`));
    });
    return slot;
  });

  const close = async (): Promise<void> => {
    fail(new CredledgerError('CONFIG_INVALID', 'the document pool was closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  };

  return {
    size,
    render(jwt, renderOptions = {}) {
      return new Promise((resolve, reject) => {
        if (broken !== undefined) {
          reject(broken);
          return;
        }
        const task: DocumentTask = {
          seq: ++seq,
          jwt,
          format: renderOptions.format ?? 'a4',
          ...(renderOptions.issuerName === undefined ? {} : { issuerName: renderOptions.issuerName }),
        };
        queue.push({ task, resolve, reject });
        // The least busy worker takes it (all busy: it waits in the queue for the first that answers).
        dispatch(slots.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a)));
      });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
