/**
 * A signing worker thread: holds one issuer key (passed as a KeyObject, never serialised) and turns
 * payload JSON texts into compact JWS + digest. Signing is CPU bound; `sign-pool.ts` runs one of these
 * per core.
 */
import { hash, type KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { CredentialAlgorithm } from './credential.js';
import { signCompactJws } from './compact-jws.js';

export interface SignWorkerData {
  readonly privateKey: KeyObject;
  readonly alg: CredentialAlgorithm;
  readonly encodedHeader: string;
}

export interface SignTask {
  readonly seq: number;
  readonly payloads: readonly string[];
}

export type SignReply =
  | { readonly seq: number; readonly jwts: string[]; readonly digests: string[] }
  | { readonly seq: number; readonly error: string };

const { privateKey, alg, encodedHeader } = workerData as SignWorkerData;

parentPort?.on('message', (task: SignTask) => {
  try {
    const jwts: string[] = [];
    const digests: string[] = [];
    for (const payload of task.payloads) {
      const jwt = signCompactJws(encodedHeader, payload, alg, privateKey);
      jwts.push(jwt);
      digests.push(hash('sha256', jwt, 'hex'));
    }
    parentPort?.postMessage({ seq: task.seq, jwts, digests } satisfies SignReply);
  } catch (error) {
    // Only the message crosses back: no key material is ever part of a signing error.
    parentPort?.postMessage({
      seq: task.seq,
      error: error instanceof Error ? error.message : String(error),
    } satisfies SignReply);
  }
});
