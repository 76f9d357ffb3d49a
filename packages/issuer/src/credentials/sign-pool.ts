/**
 * A pool of signing worker threads, one per core by default. ES256 signing is CPU bound (~10,000/s per
 * core here), so a large batch signs on every core while the main thread builds payloads and talks
 * to the ledger. Workers start on first use and do not keep the process alive while idle.
 */
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CredledgerError } from '@credledger/verify';
import { workerFile } from '@credledger/workers';
import { encodeJwsPart } from './compact-jws.js';
import { credentialHeader, type CredentialAlgorithm } from './credential.js';
import type { EncodedPayloads } from './payload-encoder.js';
import type { SignReply, SignTask, SignWorkerData } from './sign-worker.js';

export interface SignedPayload {
  readonly jwt: string;
  readonly digest: string;
}

export interface SignPool {
  /** Number of worker threads. */
  readonly size: number;
  /**
   * Signs payload JSON texts (each the exact text to sign), or their UTF-8 bytes end to end, as compact
   * JWS, same order, with their digests. Bytes cross to the workers as one copied buffer each slice.
   */
  sign(payloads: readonly string[] | EncodedPayloads): Promise<SignedPayload[]>;
  /** Stops the workers. Pending `sign` calls reject. */
  close(): Promise<void>;
}

export interface SignPoolOptions {
  readonly privateKey: KeyObject;
  readonly alg: CredentialAlgorithm;
  readonly kid: string;
  /** Worker threads; default: the number of cores. */
  readonly size?: number;
  /** Payloads per message to a worker; default 256 (large enough to amortise messaging, small enough to balance). */
  readonly sliceSize?: number;
}

interface Pending {
  readonly resolve: (reply: { jwts: string[]; digests: string[] }) => void;
  readonly reject: (error: Error) => void;
  readonly count: number;
}

interface Slot {
  worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Payloads sent and not yet answered. */
  load: number;
}

/**
 * Creates a signing pool for one issuer key.
 * @throws CredledgerError CONFIG_INVALID for a size below 1
 */
export function createSignPool(options: SignPoolOptions): SignPool {
  const size = options.size ?? availableParallelism();
  if (!Number.isInteger(size) || size < 1)
    throw new CredledgerError('CONFIG_INVALID', 'a signing pool needs at least one worker');
  const sliceSize = Math.max(1, options.sliceSize ?? 256);
  const data: SignWorkerData = {
    privateKey: options.privateKey,
    alg: options.alg,
    encodedHeader: encodeJwsPart(credentialHeader(options.alg, options.kid)),
  };
  const slots: (Slot | undefined)[] = Array.from({ length: size }, () => undefined);
  let seq = 0;
  let closed = false;

  const fail = (slot: Slot, error: Error): void => {
    for (const pending of slot.pending.values()) pending.reject(error);
    slot.pending.clear();
    slot.load = 0;
    const index = slots.indexOf(slot);
    if (index >= 0) slots[index] = undefined;
  };

  const start = (index: number): Slot => {
    const worker = new Worker(workerFile(new URL('./sign-worker.js', import.meta.url)), { workerData: data });
    const slot: Slot = { worker, pending: new Map(), load: 0 };
    worker.on('message', (reply: SignReply) => {
      const pending = slot.pending.get(reply.seq);
      if (!pending) return;
      slot.pending.delete(reply.seq);
      slot.load -= pending.count;
      if (slot.pending.size === 0) worker.unref();
      if ('error' in reply) pending.reject(new CredledgerError('KEY_STORE_ERROR', `signing failed: ${reply.error}`));
      else pending.resolve(reply);
    });
    worker.on('error', (error: Error) => {
      fail(slot, error);
    });
    worker.on('exit', (code) => {
      if (slot.pending.size > 0) fail(slot, new Error(`signing worker exited with code ${code}`));
      else if (slots[index] === slot) slots[index] = undefined;
    });
    // Unref'd after its listeners are added (adding a message listener refs a worker again): an idle
    // worker never keeps the process alive; `send` refs it while it has work.
    worker.unref();
    slots[index] = slot;
    return slot;
  };

  /** The slot with the least outstanding work, starting a worker where none runs yet. */
  const leastLoaded = (): Slot => {
    let best: Slot | undefined;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] ?? start(i);
      if (best === undefined || slot.load < best.load) best = slot;
    }
    return best as Slot;
  };

  /** Sends payloads `from` to `to` (not included) to the least loaded worker. */
  const send = (
    payloads: readonly string[] | EncodedPayloads,
    from: number,
    to: number,
  ): Promise<{ jwts: string[]; digests: string[] }> =>
    new Promise((resolve, reject) => {
      const slot = leastLoaded();
      let task: SignTask;
      let transfer: ArrayBuffer[] = [];
      if ('ends' in payloads) {
        const start = from === 0 ? 0 : (payloads.ends[from - 1] ?? 0);
        // A copy of the slice's own, so the caller's buffer stays usable after it is transferred.
        const bytes = new Uint8Array(payloads.bytes.subarray(start, payloads.ends[to - 1] ?? start));
        const ends = payloads.ends.slice(from, to).map((end) => end - start);
        task = { seq: ++seq, bytes, ends };
        transfer = [bytes.buffer];
      } else {
        task = { seq: ++seq, payloads: payloads.slice(from, to) };
      }
      slot.pending.set(task.seq, { resolve, reject, count: to - from });
      slot.load += to - from;
      // A worker with work keeps the process alive until it answers.
      slot.worker.ref();
      slot.worker.postMessage(task, transfer);
    });

  return {
    size,
    async sign(payloads) {
      if (closed) throw new CredledgerError('CONFIG_INVALID', 'the signing pool is closed');
      const count = 'ends' in payloads ? payloads.ends.length : payloads.length;
      const parts: Promise<{ jwts: string[]; digests: string[] }>[] = [];
      for (let i = 0; i < count; i += sliceSize) parts.push(send(payloads, i, Math.min(count, i + sliceSize)));
      const replies = await Promise.all(parts);
      const out: SignedPayload[] = [];
      for (const reply of replies) {
        for (let i = 0; i < reply.jwts.length; i++)
          out.push({ jwt: reply.jwts[i] ?? '', digest: reply.digests[i] ?? '' });
      }
      return out;
    },
    async close() {
      closed = true;
      const running = slots.filter((slot): slot is Slot => slot !== undefined);
      slots.fill(undefined);
      await Promise.all(
        running.map(async (slot) => {
          fail(slot, new CredledgerError('CONFIG_INVALID', 'the signing pool was closed'));
          await slot.worker.terminate();
        }),
      );
    },
  };
}
