/**
 * A pool of worker threads that answer tasks (./serve-tasks.ts). Tasks queue in the pool and each
 * settles the moment its worker answers, so a caller can use every result as soon as it exists.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import { CredledgerError } from '@credledger/verify';
import { isErrorCode } from '@credledger/vocabulary';

import type { ReplyMessage, TaskMessage } from './wire.js';

export interface WorkerPoolOptions {
  /** The worker's JavaScript file (see `workerFile`); it answers with `serveTasks`. */
  readonly file: URL;
  /** Given to every worker as its `workerData` (a structured clone). */
  readonly workerData?: unknown;
  /** Worker threads; default `defaultPoolSize()`. */
  readonly size?: number | undefined;
  /** What the pool is for, as its errors name it: `'QR'` gives "a QR worker exited with code 1". */
  readonly name: string;
}

/** A running pool; close it (or `await using` it) when done. */
export interface WorkerPool<Task, Result> extends AsyncDisposable {
  /** Number of worker threads. */
  readonly size: number;
  /**
   * Runs a task on the least busy worker.
   * @throws CredledgerError with the code of the error the task threw, when it had one of credledger's
   *   codes (any other: an Error with its message); once a worker crashed, its error, for every task not
   *   answered by then and every later one; CONFIG_INVALID once the pool is closed
   */
  run(task: Task): Promise<Result>;
  /** Stops the workers; tasks not yet answered reject. */
  close(): Promise<void>;
}

/** The default number of workers: the available cores, at most 8. */
export function defaultPoolSize(): number {
  return Math.min(availableParallelism(), 8);
}

/**
 * Tasks a worker holds at once: it never waits for its next one to arrive, and while one task waits on
 * libuv's thread pool (qrcode compresses a PNG there) it works on the other.
 */
const perWorker = 2;

interface Request<Task, Result> {
  readonly message: TaskMessage<Task>;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: Error) => void;
}

interface Slot<Task, Result> {
  readonly worker: Worker;
  readonly inFlight: Map<number, Request<Task, Result>>;
}

/**
 * Starts a pool of worker threads.
 * @throws CredledgerError CONFIG_INVALID for a size below 1
 * @example
 * await using pool = createWorkerPool<QrTask, Uint8Array>({
 *   file: workerFile(new URL('./render-worker.js', import.meta.url)),
 *   workerData: { options },
 *   name: 'QR',
 * });
 * const png = await pool.run({ link });
 */
export function createWorkerPool<Task, Result>(options: WorkerPoolOptions): WorkerPool<Task, Result> {
  const { file, workerData, name } = options;
  const size = options.size ?? defaultPoolSize();
  if (!Number.isInteger(size) || size < 1)
    throw new CredledgerError('CONFIG_INVALID', `a ${name} pool needs a whole number of workers ≥ 1, not ${size}`);
  const queue: Request<Task, Result>[] = [];
  let lastId = 0;
  let broken: Error | undefined;

  const fail = (error: Error): void => {
    broken ??= error;
    for (const slot of slots) {
      for (const request of slot.inFlight.values()) request.reject(error);
      slot.inFlight.clear();
    }
    for (const request of queue.splice(0)) request.reject(error);
  };

  const dispatch = (slot: Slot<Task, Result>): void => {
    while (slot.inFlight.size < perWorker) {
      const request = queue.shift();
      if (request === undefined) break;
      slot.inFlight.set(request.message.id, request);
      slot.worker.postMessage(request.message);
    }
    // Only a worker with work keeps the process alive: a pool left open never hangs a program's exit.
    if (slot.inFlight.size > 0) slot.worker.ref();
    else slot.worker.unref();
  };

  const slots: Slot<Task, Result>[] = Array.from({ length: size }, () => {
    const slot: Slot<Task, Result> = { worker: new Worker(file, { workerData }), inFlight: new Map() };
    slot.worker.on('message', (reply: ReplyMessage<Result>) => {
      const request = slot.inFlight.get(reply.id);
      if (request === undefined) return;
      slot.inFlight.delete(reply.id);
      if ('error' in reply) {
        const { code, message } = reply.error;
        request.reject(
          isErrorCode(code) ? new CredledgerError(code, message) : new Error(`a ${name} task failed: ${message}`),
        );
      } else request.resolve(reply.result);
      dispatch(slot);
    });
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (slot.inFlight.size > 0 || queue.length > 0) fail(new Error(`a ${name} worker exited with code ${code}`));
    });
    // After the listeners: adding a 'message' listener refs a worker again, and one that never gets a
    // task would then keep the process alive.
    slot.worker.unref();
    return slot;
  });

  const close = async (): Promise<void> => {
    fail(new CredledgerError('CONFIG_INVALID', `the ${name} pool was closed`));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  };

  return {
    size,
    run(task) {
      return new Promise((resolve, reject) => {
        if (broken !== undefined) {
          reject(broken);
          return;
        }
        queue.push({ message: { id: ++lastId, task }, resolve, reject });
        // The least busy worker takes it (all busy: it waits in the queue for the first that answers).
        dispatch(slots.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a)));
      });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
