/**
 * A signing thread: one session of the token, C_SignInit + C_Sign (CKM_ECDSA) for each digest of the
 * chunks it is sent, synchronously, off the main thread. Cryptoki is initialised once per process (by
 * the main thread's module, with OS locking), so this thread uses the library as it is: its own
 * C_Initialize is answered CKR_CRYPTOKI_ALREADY_INITIALIZED, and it never finalises.
 */
import { parentPort, workerData } from 'node:worker_threads';

import pkcs11js from 'pkcs11js';

/** What the thread is started with. */
export interface SignerThreadData {
  readonly module: string;
  /** The session handle (a Cryptoki CK_SESSION_HANDLE, as pkcs11js holds it). */
  readonly session: Uint8Array;
}

/** A chunk to sign with one key: 32-byte digests, back to back. */
export interface SignTask {
  readonly seq: number;
  readonly key: Uint8Array;
  readonly digests: Uint8Array;
}

/** 64-byte r‖s signatures, back to back, or what the token said about the first one that failed. */
export type SignReply =
  | { readonly seq: number; readonly signatures: Uint8Array }
  | { readonly seq: number; readonly error: { readonly code: number; readonly message: string } };

const data = workerData as SignerThreadData;
const port = parentPort;
if (port !== null) {
  const library = new pkcs11js.PKCS11();
  library.load(data.module);
  try {
    library.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    // CKR_CRYPTOKI_ALREADY_INITIALIZED: the main thread did, as it always does first.
    if ((error as { code?: unknown }).code !== 0x191) throw error;
  }
  const session = Buffer.from(data.session);
  const mechanism = { mechanism: pkcs11js.CKM_ECDSA };
  port.on('message', (task: SignTask) => {
    const key = Buffer.from(task.key);
    const digests = Buffer.from(task.digests.buffer, task.digests.byteOffset, task.digests.byteLength);
    const count = digests.length / 32;
    const signatures = Buffer.alloc(count * 64);
    try {
      for (let i = 0; i < count; i++) {
        library.C_SignInit(session, mechanism, key);
        const signature = library.C_Sign(session, digests.subarray(i * 32, i * 32 + 32), Buffer.alloc(72));
        if (signature.length !== 64) throw Object.assign(new Error('CKR_FUNCTION_FAILED'), { code: 0x06 });
        signature.copy(signatures, i * 64);
      }
      port.postMessage({ seq: task.seq, signatures } satisfies SignReply);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      port.postMessage({
        seq: task.seq,
        error: {
          code: typeof code === 'number' ? code : 0,
          message: error instanceof Error ? error.message : String(error),
        },
      } satisfies SignReply);
    }
  });
}
