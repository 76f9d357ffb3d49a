/**
 * Event checkpoints: where a chaincode-event consumer stopped, so that after a restart it resumes
 * exactly there (the event being processed at the crash is delivered again; nothing is skipped).
 *
 * The shape is structurally the fabric-gateway `Checkpointer`, so one of ours can be handed to
 * `network.getChaincodeEvents({ checkpoint })`, and the file format is the gateway's own
 * (`{"blockNumber":"<decimal>","transactionId":"<id>"}`), so files written by either can be read by
 * the other. Unlike the gateway's file checkpointer, writes here are atomic (temp file, fsync,
 * rename), so a crash mid-write never leaves a truncated checkpoint behind.
 * This module has no Fabric dependency: the embedded ledger's events can share it.
 *
 * @see https://hyperledger.github.io/fabric-gateway/main/api/node/interfaces/Checkpointer.html
 */
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

import { CredledgerError } from '@credledger/verify';

/** A resume position: the block to start reading at and, optionally, the last transaction done in it. */
export interface Checkpoint {
  /** The next block to read, or `undefined` when nothing has been checkpointed. */
  getBlockNumber(): bigint | undefined;
  /** The last processed transaction within `getBlockNumber()`; its events and those before it are skipped. */
  getTransactionId(): string | undefined;
}

/** A `Checkpoint` that can be moved forward; every method persists before it resolves. */
export interface Checkpointer extends Checkpoint {
  /** Marks block `blockNumber` fully processed: resume at `blockNumber + 1`. */
  checkpointBlock(blockNumber: bigint): Promise<void>;
  /** Marks `transactionId` (in `blockNumber`) processed: resume after it, in the same block. */
  checkpointTransaction(blockNumber: bigint, transactionId: string): Promise<void>;
  /** Marks a chaincode event's transaction processed. */
  checkpointChaincodeEvent(event: { readonly blockNumber: bigint; readonly transactionId: string }): Promise<void>;
}

interface State {
  blockNumber: bigint | undefined;
  transactionId: string | undefined;
}

abstract class BaseCheckpointer implements Checkpointer {
  protected state: State = { blockNumber: undefined, transactionId: undefined };

  getBlockNumber(): bigint | undefined {
    return this.state.blockNumber;
  }

  getTransactionId(): string | undefined {
    return this.state.transactionId;
  }

  async checkpointBlock(blockNumber: bigint): Promise<void> {
    await this.save({ blockNumber: blockNumber + 1n, transactionId: undefined });
  }

  async checkpointTransaction(blockNumber: bigint, transactionId: string): Promise<void> {
    await this.save({ blockNumber, transactionId });
  }

  async checkpointChaincodeEvent(event: {
    readonly blockNumber: bigint;
    readonly transactionId: string;
  }): Promise<void> {
    await this.checkpointTransaction(event.blockNumber, event.transactionId);
  }

  protected abstract save(state: State): Promise<void>;
}

class InMemoryCheckpointer extends BaseCheckpointer {
  protected save(state: State): Promise<void> {
    this.state = state;
    return Promise.resolve();
  }
}

class FileCheckpointer extends BaseCheckpointer {
  readonly #path: string;
  #writes: Promise<void> = Promise.resolve();

  constructor(path: string) {
    super();
    this.#path = path;
  }

  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new CredledgerError('CONFIG_INVALID', `cannot read checkpoint file ${this.#path}`, { cause: err });
    }
    if (text.trim() === '') return;
    this.state = parseState(text, this.#path);
  }

  protected save(state: State): Promise<void> {
    // Serialise writes: two overlapping renames must not let an older state win.
    const write = this.#writes.then(() => writeAtomically(this.#path, serialiseState(state)));
    this.#writes = write.catch(() => undefined);
    return write.then(() => {
      this.state = state;
    });
  }
}

function serialiseState(state: State): string {
  const json: { blockNumber?: string; transactionId?: string } = {};
  if (state.blockNumber !== undefined) json.blockNumber = state.blockNumber.toString();
  if (state.transactionId !== undefined) json.transactionId = state.transactionId;
  return JSON.stringify(json);
}

function parseState(text: string, path: string): State {
  const invalid = (): CredledgerError =>
    new CredledgerError('CONFIG_INVALID', `checkpoint file ${path} is not a checkpoint`, { details: { path } });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (typeof json !== 'object' || json === null) throw invalid();
  const { blockNumber, transactionId } = json as Record<string, unknown>;
  if (blockNumber !== undefined && (typeof blockNumber !== 'string' || !/^\d+$/.test(blockNumber))) throw invalid();
  if (transactionId !== undefined && typeof transactionId !== 'string') throw invalid();
  return {
    blockNumber: blockNumber === undefined ? undefined : BigInt(blockNumber),
    transactionId: transactionId === '' ? undefined : transactionId,
  };
}

/** Writes `text` to `path` so that readers see either the old or the new content, never a mix. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  // Make the rename itself durable.
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Factories for checkpointers.
 * @example
 * const checkpointer = await checkpointers.file('status-publisher.checkpoint.json');
 * for await (const event of ledger.events({ checkpointer })) { await publish(event); }
 */
export const checkpointers = {
  /**
   * A checkpointer persisted in `path` (created on first checkpoint; its directory must exist).
   * Throws CONFIG_INVALID when the file exists but cannot be read or is not a checkpoint.
   */
  async file(path: string): Promise<Checkpointer> {
    const checkpointer = new FileCheckpointer(path);
    await checkpointer.load();
    return checkpointer;
  },
  /** A checkpointer that lives as long as the process. */
  inMemory(): Checkpointer {
    return new InMemoryCheckpointer();
  },
};
