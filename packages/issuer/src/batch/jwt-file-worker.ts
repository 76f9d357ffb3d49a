/**
 * A worker thread writing a batch's JWT files with plain synchronous calls. Creating ten thousand
 * files is kernel work (inode allocation, directory updates) that can take seconds on a busy file
 * system; done here, it never holds the libuv threads the ledger's storage reads and the journal's
 * fdatasync wait for, and one writer never contends with itself for the directory's lock.
 */
import { writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

export interface JwtFileTask {
  readonly seq: number;
  /** Absolute path and full content of each file. */
  readonly files: readonly (readonly [string, string])[];
}

export type JwtFileReply = { readonly seq: number } | { readonly seq: number; readonly error: string };

parentPort?.on('message', (task: JwtFileTask) => {
  try {
    // Owner-only (0600): each file is a credential with the holder's personal data.
    for (const [path, text] of task.files) writeFileSync(path, text, { mode: 0o600 });
    parentPort?.postMessage({ seq: task.seq } satisfies JwtFileReply);
  } catch (error) {
    parentPort?.postMessage({
      seq: task.seq,
      error: error instanceof Error ? error.message : 'write failed',
    } satisfies JwtFileReply);
  }
});
