/**
 * The worker thread of `openLedgerThread`: opens the embedded ledger here and runs every submit and
 * evaluate its opener sends (endorsement, the chaincode, ordering, validation and the fsynced commit all
 * run on this thread), answering each by its sequence number. Keyring passphrases are asked of the
 * opener, which may prompt on its terminal.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';

import { CredledgerError } from '@credledger/verify';

import { fromLedgerError } from './from-ledger-error.js';
import type { EmbeddedLedger, EmbeddedNetwork } from './embedded-types.js';
import type { FromLedgerThread, ThreadError, ToLedgerThread } from './ledger-thread-protocol.js';
import { openEmbeddedNetwork } from './open-ledger.js';

/** An error the opener threw itself, carried back to it by number. */
class OpenersError extends Error {
  constructor(readonly ownError: number) {
    super('the opening thread refused');
  }
}

/** Details that can cross to the other thread; none when they cannot be cloned. */
function cloneable(details: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  try {
    return structuredClone(details);
  } catch {
    return {};
  }
}

function threadError(error: unknown): ThreadError {
  if (error instanceof OpenersError) return { message: error.message, ownError: error.ownError };
  const known = fromLedgerError(error);
  if (known instanceof CredledgerError)
    return { message: known.message, code: known.code, details: cloneable(known.details) };
  return { message: known instanceof Error ? known.message : String(known) };
}

/** Serves the opener on `port` until it closes the network. */
function serve(port: MessagePort): void {
  let network: EmbeddedNetwork | undefined;
  const connections = new Map<number, EmbeddedLedger>();
  const asked = new Map<number, { resolve: (value: string) => void; reject: (error: Error) => void }>();
  let asks = 0;
  const send = (message: FromLedgerThread): void => {
    port.postMessage(message);
  };
  // Answers are copied, never transferred: the ledger may keep the buffers it answered with.
  const answer = (seq: number, run: () => Promise<unknown>): void => {
    // A call that throws at once (connect to an unknown identity) is answered as one that rejects.
    Promise.resolve()
      .then(run)
      .then(
        (value) => {
          send({ k: 'done', seq, value });
        },
        (error: unknown) => {
          send({ k: 'failed', seq, error: threadError(error) });
        },
      );
  };
  const opened = (): EmbeddedNetwork => {
    if (network === undefined) throw new CredledgerError('LEDGER_UNAVAILABLE', 'the ledger thread has no ledger open');
    return network;
  };
  const connection = (id: number): EmbeddedLedger => {
    const found = connections.get(id);
    if (found === undefined) throw new CredledgerError('LEDGER_UNAVAILABLE', 'ledger connection is closed');
    return found;
  };

  port.on('message', (message: ToLedgerThread) => {
    switch (message.k) {
      case 'open':
        answer(message.seq, async () => {
          const keys = message.identityKeys;
          network = await openEmbeddedNetwork({
            ...message.options,
            ...(keys === false
              ? {}
              : {
                  identityKeys: {
                    ...(keys.scryptLogN === undefined ? {} : { scryptLogN: keys.scryptLogN }),
                    passphrase: (mspId, purpose) =>
                      new Promise<string>((resolve, reject) => {
                        const ask = ++asks;
                        asked.set(ask, { resolve, reject });
                        send({ k: 'passphrase', ask, mspId, purpose });
                      }),
                  },
                }),
          });
          return undefined;
        });
        return;
      case 'connect':
        answer(message.seq, () => {
          const ledger = opened().connect(message.identity);
          connections.set(message.seq, ledger);
          return Promise.resolve({ connection: message.seq, identity: ledger.identity });
        });
        return;
      case 'call':
        answer(message.seq, () => connection(message.connection)[message.method](message.name, ...message.args));
        return;
      case 'disconnect':
        answer(message.seq, async () => {
          const ledger = connections.get(message.connection);
          connections.delete(message.connection);
          await ledger?.close();
        });
        return;
      case 'close':
        answer(message.seq, async () => {
          const open = [...connections.values()];
          connections.clear();
          try {
            await Promise.all(open.map((ledger) => ledger.close()));
          } finally {
            await network?.close();
            network = undefined;
          }
        });
        return;
      case 'passphrase': {
        const waiting = asked.get(message.ask);
        asked.delete(message.ask);
        if (message.value !== undefined) waiting?.resolve(message.value);
        else if (message.error?.ownError !== undefined) waiting?.reject(new OpenersError(message.error.ownError));
        else waiting?.reject(new Error(message.error?.message ?? 'no passphrase'));
        return;
      }
    }
  });
}

if (parentPort) serve(parentPort);
