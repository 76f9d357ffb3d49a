/**
 * A signing worker thread: holds one issuer key (passed as a KeyObject, never serialised) and turns
 * payload JSON texts into compact JWS + digest. Signing is CPU bound; `sign-pool.ts` runs one of these
 * per core.
 */
import { hash, type KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { CredentialAlgorithm } from './credential.js';
import { signCompactJws, signEncodedJws } from './compact-jws.js';

export interface SignWorkerData {
  readonly privateKey: KeyObject;
  readonly alg: CredentialAlgorithm;
  readonly encodedHeader: string;
}

/** Payload texts, or their UTF-8 bytes end to end (`EncodedPayloads`, the buffer transferred, not copied). */
export type SignTask =
  | { readonly seq: number; readonly payloads: readonly string[] }
  | { readonly seq: number; readonly bytes: Uint8Array; readonly ends: Uint32Array };

export type SignReply =
  | { readonly seq: number; readonly jwts: string[]; readonly digests: string[] }
  | { readonly seq: number; readonly error: string };

const { privateKey, alg, encodedHeader } = workerData as SignWorkerData;

parentPort?.on('message', (task: SignTask) => {
  try {
    const jwts: string[] = [];
    const digests: string[] = [];
    const signed = (jwt: string): void => {
      jwts.push(jwt);
      digests.push(hash('sha256', jwt, 'hex'));
    };
    if ('payloads' in task) {
      for (const payload of task.payloads) signed(signCompactJws(encodedHeader, payload, alg, privateKey));
    } else {
      const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
      let start = 0;
      for (const end of task.ends) {
        signed(signEncodedJws(encodedHeader, bytes.toString('base64url', start, end), alg, privateKey));
        start = end;
      }
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
