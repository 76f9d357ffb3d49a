/**
 * `openLedgerThread`: the embedded ledger on a worker thread of its own, behind the same `LedgerNetwork`
 * and `Ledger` interfaces. Everything a submit costs (the signed proposal, the chaincode under fabric-shim,
 * ordering, validation, the LevelDB commit) then runs beside the caller's thread instead of on it, so a
 * program that does much of its own work between ledger calls (a bulk issuance signing, journalling and
 * writing files) uses a second core for the ledger. Calls cross as structured clones (strings in, bytes
 * out); errors arrive as the `CredledgerError`s the ledger gives in-process.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { CredledgerError, type ErrorCode } from '@credledger/verify';

import type { EmbeddedLedgerConfig, LedgerNetwork } from './network.js';
import type { Committed, Ledger, LedgerEvent, LedgerIdentity } from './ledger.js';
import type { FromLedgerThread, ThreadError, ToLedgerThread } from './ledger-thread-protocol.js';

/** The worker's built file: beside this module, or its built twin under dist/ when running from src/ (tests). */
function workerUrl(): URL {
  const beside = new URL('./ledger-thread-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL(beside.href.replace(/\/src\/(?!.*\/src\/)/, '/dist/'));
}

/**
 * Opens the embedded ledger of `config` on a worker thread; closing the network stops the thread.
 * Passphrases of the organisations' keyrings are asked of `config.identityKeys` on this thread. The
 * connections serve `submit` and `evaluate`; `events` is not served across the thread (open the ledger
 * in-process to follow events), and the network's `embedded` is undefined.
 * Fails: as `openLedger` does for the embedded ledger (LEDGER_LOCKED, LEDGER_UNAVAILABLE, LEDGER_CORRUPT,
 * CONFIG_INVALID); CONFIG_INVALID when `config.contracts` is given (contract classes stay in-process).
 * @example
 * await using network = await openLedgerThread({ backend: 'embedded', directory: '.credledger/ledger' });
 * const registry = new Registry(await network.connect('MojMSP/operator'));
 */
export async function openLedgerThread(config: EmbeddedLedgerConfig): Promise<LedgerNetwork> {
  const { backend: _, contracts, identityKeys, ...options } = config;
  if (contracts !== undefined)
    throw new CredledgerError('CONFIG_INVALID', 'a ledger thread runs the default contracts only', {
      details: { field: 'contracts' },
    });
  const worker = new Worker(workerUrl());
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  /** Errors this thread's passphrase callback threw, by number: the caller gets that very error back. */
  const ownErrors = new Map<number, unknown>();
  let seq = 0;
  let ended: Error | undefined;

  const rebuilt = (error: ThreadError): unknown => {
    if (error.ownError !== undefined && ownErrors.has(error.ownError)) return ownErrors.get(error.ownError);
    if (error.code !== undefined)
      return new CredledgerError(error.code as ErrorCode, error.message, { details: { ...error.details } });
    return new Error(error.message);
  };
  const stop = (error: Error): void => {
    ended ??= error;
    for (const waiting of pending.values()) waiting.reject(ended);
    pending.clear();
  };
  worker.on('message', (message: FromLedgerThread) => {
    if (message.k === 'passphrase') {
      const { ask, mspId, purpose } = message;
      Promise.resolve()
        .then(() => {
          if (identityKeys === undefined) throw new Error('no passphrase source');
          return identityKeys.passphrase(mspId, purpose);
        })
        .then(
          (value) => {
            worker.postMessage({ k: 'passphrase', ask, value } satisfies ToLedgerThread);
          },
          (error: unknown) => {
            ownErrors.set(ask, error);
            const message = error instanceof Error ? error.message : String(error);
            worker.postMessage({ k: 'passphrase', ask, error: { message, ownError: ask } } satisfies ToLedgerThread);
          },
        );
      return;
    }
    const waiting = pending.get(message.seq);
    pending.delete(message.seq);
    if (message.k === 'done') waiting?.resolve(message.value);
    else waiting?.reject(rebuilt(message.error));
  });
  worker.on('error', (error: Error) => {
    stop(new CredledgerError('LEDGER_UNAVAILABLE', `the ledger thread failed: ${error.message}`, { cause: error }));
  });
  worker.on('exit', (code) => {
    stop(new CredledgerError('LEDGER_UNAVAILABLE', `the ledger thread stopped (exit code ${code})`));
  });

  /** Sends one request and waits for its answer. */
  const request = <T>(message: { readonly k: ToLedgerThread['k'] } & Record<string, unknown>): Promise<T> => {
    if (ended !== undefined) return Promise.reject(ended);
    const n = ++seq;
    return new Promise<T>((resolve, reject) => {
      pending.set(n, {
        resolve: (value) => {
          resolve(value as T);
        },
        reject,
      });
      worker.postMessage({ ...message, seq: n });
    });
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        if (ended === undefined) await request({ k: 'close' });
      } finally {
        worker.removeAllListeners('exit');
        await worker.terminate();
        stop(new CredledgerError('LEDGER_UNAVAILABLE', 'ledger connection is closed'));
      }
    })();
    return closing;
  };

  try {
    await request({
      k: 'open',
      options,
      identityKeys:
        identityKeys === undefined
          ? false
          : identityKeys.scryptLogN === undefined
            ? {}
            : { scryptLogN: identityKeys.scryptLogN },
    });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }

  const connect = async (identity: string): Promise<Ledger> => {
    const { connection, identity: who } = await request<{ connection: number; identity: LedgerIdentity }>({
      k: 'connect',
      identity,
    });
    let closed = false;
    const call = <T>(method: 'submit' | 'evaluate', name: string, args: readonly string[]): Promise<T> =>
      closed
        ? Promise.reject(new CredledgerError('LEDGER_UNAVAILABLE', 'ledger connection is closed'))
        : request<T>({ k: 'call', connection, method, name, args });
    const closeConnection = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      if (ended === undefined) await request({ k: 'disconnect', connection });
    };
    const ledger: Ledger = {
      identity: who,
      submit: (name, ...args) => call<Committed>('submit', name, args),
      evaluate: (name, ...args) => call<Uint8Array>('evaluate', name, args),
      events: (): AsyncIterable<LedgerEvent> => ({
        [Symbol.asyncIterator]: () => ({
          next: () =>
            Promise.reject(
              new CredledgerError('CONFIG_INVALID', 'events are not served across a ledger thread', {
                details: { field: 'events' },
              }),
            ),
        }),
      }),
      close: closeConnection,
      [Symbol.asyncDispose]: closeConnection,
    };
    return ledger;
  };

  return {
    backend: 'embedded',
    embedded: undefined,
    connect,
    close,
    [Symbol.asyncDispose]: close,
  };
}
