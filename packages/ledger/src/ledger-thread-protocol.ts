/**
 * The messages between a process's thread and the embedded ledger it runs on a worker thread of its own
 * (`ledger-thread.ts` and `ledger-thread-worker.ts`): calls by sequence number, their answers, and the
 * worker's questions for a keyring passphrase, which only the opening thread can answer (it may prompt).
 */
import type { EmbeddedNetworkOptions } from './embedded-types.js';

/** The embedded network's options that cross to the thread: values only (no contracts, no callbacks). */
export type ThreadNetworkOptions = Omit<EmbeddedNetworkOptions, 'contracts' | 'identityKeys'>;

/** An error as it crosses between the threads: enough to rebuild a CredledgerError, or a plain Error. */
export interface ThreadError {
  readonly message: string;
  readonly code?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /**
   * The error is one the opening thread threw itself (a passphrase prompt refused, say), kept there
   * under this number so the caller gets that very error back.
   */
  readonly ownError?: number;
}

/** From the opening thread to the ledger's. */
export type ToLedgerThread =
  | {
      readonly k: 'open';
      readonly seq: number;
      readonly options: ThreadNetworkOptions;
      /** Whether the opener answers passphrase questions (its `identityKeys`), and their scrypt cost. */
      readonly identityKeys: false | { readonly scryptLogN?: number };
    }
  | { readonly k: 'connect'; readonly seq: number; readonly identity: string }
  | {
      readonly k: 'call';
      readonly seq: number;
      readonly connection: number;
      readonly method: 'submit' | 'evaluate';
      readonly name: string;
      readonly args: readonly string[];
    }
  | { readonly k: 'disconnect'; readonly seq: number; readonly connection: number }
  | { readonly k: 'close'; readonly seq: number }
  | { readonly k: 'passphrase'; readonly ask: number; readonly value?: string; readonly error?: ThreadError };

/** From the ledger's thread to the opener. */
export type FromLedgerThread =
  | { readonly k: 'done'; readonly seq: number; readonly value?: unknown }
  | { readonly k: 'failed'; readonly seq: number; readonly error: ThreadError }
  | { readonly k: 'passphrase'; readonly ask: number; readonly mspId: string; readonly purpose: 'new' | 'open' };
