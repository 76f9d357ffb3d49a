/**
 * A signing worker thread: holds one issuer key (passed as a KeyObject, never serialised) and turns
 * payload JSON texts into compact JWS + digest. Signing is CPU bound; `sign-pool.ts` runs one of these
 * per core.
 *
 * A task and its reply each cross the thread boundary as one string (payloads end to end with their
 * end offsets; JWTs joined by newlines, which base64url never holds; 64-character hex digests end to
 * end): cloning one string costs a copy, cloning thousands costs more than building them.
 */
import { hash, type KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { CredentialAlgorithm } from './credential.js';
import { signBytes } from './compact-jws.js';

export interface SignWorkerData {
  readonly privateKey: KeyObject;
  readonly alg: CredentialAlgorithm;
  readonly encodedHeader: string;
}

export interface SignTask {
  readonly seq: number;
  /** The payload texts end to end. */
  readonly text: string;
  /** Where each payload ends in `text` (UTF-16 offsets). */
  readonly ends: Uint32Array;
}

export type SignReply =
  | { readonly seq: number; readonly jwts: string; readonly digests: string }
  | { readonly seq: number; readonly error: string };

const { privateKey, alg, encodedHeader } = workerData as SignWorkerData;
// The signing input is ASCII (base64url and a dot): written into one buffer of this thread, not a new one each time.
let input = Buffer.allocUnsafe(64 * 1024);

/** The compact JWS of one payload text: byte for byte `signCompactJws(encodedHeader, payload, alg, privateKey)`. */
function signOne(payload: string): string {
  const signingInput = `${encodedHeader}.${Buffer.from(payload, 'utf8').toString('base64url')}`;
  if (signingInput.length > input.length) input = Buffer.allocUnsafe(2 * signingInput.length);
  const length = input.write(signingInput, 0, 'latin1');
  return `${signingInput}.${signBytes(alg, privateKey, input.subarray(0, length)).toString('base64url')}`;
}

parentPort?.on('message', (task: SignTask) => {
  try {
    const jwts: string[] = [];
    let digests = '';
    let start = 0;
    for (const end of task.ends) {
      const jwt = signOne(task.text.slice(start, end));
      start = end;
      jwts.push(jwt);
      digests += hash('sha256', jwt, 'hex');
    }
    parentPort?.postMessage({ seq: task.seq, jwts: jwts.join('\n'), digests } satisfies SignReply);
  } catch (error) {
    // Only the message crosses back: no key material is ever part of a signing error.
    parentPort?.postMessage({
      seq: task.seq,
      error: error instanceof Error ? error.message : String(error),
    } satisfies SignReply);
  }
});
