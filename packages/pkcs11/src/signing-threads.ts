/**
 * Signatures of one token on worker threads, one session each. A token signs one signature per session
 * at a time and its latency bounds the rate, and the main thread has credentials to build meanwhile:
 * so the signatures asked for are sent to the threads at once, in chunks (each thread signs its chunks
 * with synchronous C_Sign calls, off the main thread), several in flight across sessions.
 *
 * Measured on SoftHSM (bench `issue.signPkcs11`): pkcs11js's `C_SignAsync` per signature, from the main
 * thread, reached about half of SoftHSM's synchronous rate, its per-call hand-offs and the C_SignInit
 * on the main thread competing with the building of credentials; chunks on threads keep up with it.
 * Threads start on the first signature and do not keep the process alive while idle.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { SignReply, SignTask, SignerThreadData } from './signer-thread.js';

/** Digests per message to a thread, at most: small enough to balance, large enough to amortise messaging. */
const maxChunk = 64;

export interface SigningThreads {
  /** Threads (sessions) signing at once. */
  readonly size: number;
  /** The token's raw signature (64 bytes r‖s, as CKM_ECDSA returns it) of a 32-byte digest with `key`. */
  sign(key: Uint8Array, digest: Uint8Array): Promise<Uint8Array>;
  /** Waits for the chunks being signed, refuses the queued ones, stops the threads. */
  close(): Promise<void>;
}

interface Request {
  readonly key: Uint8Array;
  readonly digest: Uint8Array;
  readonly resolve: (signature: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly inFlight: Map<number, readonly Request[]>;
  /** Digests sent and not yet answered. */
  load: number;
}

function threadUrl(): URL {
  const beside = new URL('./signer-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  // Running from the TypeScript sources (ts-jest): threads need JavaScript, so use the built one.
  return new URL('../dist/signer-thread.js', import.meta.url);
}

/**
 * Signing threads over open, logged-in sessions (one thread each).
 * @param failure turns what the token said (CKR value and name) into the error a caller sees
 */
export function createSigningThreads(options: {
  readonly module: string;
  readonly sessions: readonly Uint8Array[];
  readonly closedError: () => Error;
  readonly failure: (error: Error & { code: number }) => Error;
}): SigningThreads {
  const queue: Request[] = [];
  const threads: (Thread | undefined)[] = options.sessions.map(() => undefined);
  let seq = 0;
  let closed = false;
  let flushing = false;
  let drained: (() => void) | undefined;

  const running = (): number => threads.reduce((n, t) => n + (t?.inFlight.size ?? 0), 0);

  const fail = (thread: Thread, error: Error): void => {
    for (const requests of thread.inFlight.values()) for (const request of requests) request.reject(error);
    thread.inFlight.clear();
    thread.load = 0;
    const index = threads.indexOf(thread);
    if (index >= 0) threads[index] = undefined;
    settle();
  };

  /** After a reply: send what a failed thread left queued, let the process exit while idle, finish a close. */
  const settle = (): void => {
    if (!closed) flush();
    for (const thread of threads) if (thread?.inFlight.size === 0) thread.worker.unref();
    if (closed && running() === 0) drained?.();
  };

  const start = (index: number): Thread => {
    const session = options.sessions[index] ?? new Uint8Array();
    const worker = new Worker(threadUrl(), {
      workerData: { module: options.module, session } satisfies SignerThreadData,
    });
    const thread: Thread = { worker, inFlight: new Map(), load: 0 };
    worker.on('message', (reply: SignReply) => {
      const requests = thread.inFlight.get(reply.seq);
      if (requests === undefined) return;
      thread.inFlight.delete(reply.seq);
      thread.load -= requests.length;
      if ('error' in reply) {
        const error = options.failure(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
        for (const request of requests) request.reject(error);
      } else {
        requests.forEach((request, i) => {
          request.resolve(reply.signatures.subarray(i * 64, i * 64 + 64));
        });
      }
      settle();
    });
    worker.on('error', (error: Error) => {
      fail(thread, options.failure(Object.assign(error, { code: 0 })));
    });
    worker.on('exit', (code) => {
      if (thread.inFlight.size > 0)
        fail(thread, options.failure(Object.assign(new Error(`signing thread exited with code ${code}`), { code: 0 })));
      else if (threads[index] === thread) threads[index] = undefined;
    });
    threads[index] = thread;
    return thread;
  };

  /** The requests at the head of the queue that share its first key, at most `count`. */
  const takeChunk = (count: number): Request[] => {
    const first = queue[0];
    if (first === undefined) return [];
    let n = 1;
    while (n < count && n < queue.length && Buffer.compare(queue[n]?.key ?? first.key, first.key) === 0) n++;
    return queue.splice(0, n);
  };

  /**
   * Sends everything queued, spread over the threads by the digests each has yet to sign: a thread works
   * through the messages waiting at its port without the main thread, which may be busy building the
   * next credentials meanwhile.
   */
  const flush = (): void => {
    while (queue.length > 0) {
      let index = 0;
      for (let i = 1; i < threads.length; i++) if ((threads[i]?.load ?? 0) < (threads[index]?.load ?? 0)) index = i;
      const thread = threads[index] ?? start(index);
      const size = Math.min(maxChunk, Math.max(1, Math.ceil(queue.length / threads.length)));
      const requests = takeChunk(size);
      const digests = new Uint8Array(requests.length * 32);
      requests.forEach((request, i) => {
        digests.set(request.digest, i * 32);
      });
      const task: SignTask = { seq: ++seq, key: requests[0]?.key ?? new Uint8Array(), digests };
      thread.inFlight.set(task.seq, requests);
      thread.load += requests.length;
      // A thread with work keeps the process alive until it answers.
      thread.worker.ref();
      thread.worker.postMessage(task);
    }
  };

  return {
    size: options.sessions.length,
    sign(key, digest) {
      if (closed) return Promise.reject(options.closedError());
      return new Promise((resolve, reject) => {
        queue.push({ key, digest, resolve, reject });
        // Every signature asked for in this turn of the event loop is sent together.
        if (!flushing) {
          flushing = true;
          queueMicrotask(() => {
            flushing = false;
            flush();
          });
        }
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const request of queue.splice(0)) request.reject(options.closedError());
      if (running() > 0) await new Promise<void>((resolve) => (drained = resolve));
      await Promise.all(threads.flatMap((thread) => (thread === undefined ? [] : [thread.worker.terminate()])));
      threads.fill(undefined);
    },
  };
}
