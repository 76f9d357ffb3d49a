import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { CredledgerError } from '@credledger/verify';

import { createWorkerPool, defaultPoolSize, type WorkerPool } from '../src/index.js';

/** What ./fixtures/test-worker.mjs does with a task. */
type Task =
  | { readonly kind: 'echo'; readonly value: number; readonly wait?: number }
  | { readonly kind: 'bytes'; readonly length: number }
  | { readonly kind: 'fail'; readonly message: string; readonly code?: string }
  | { readonly kind: 'exit'; readonly code: number; readonly wait?: number }
  | { readonly kind: 'uncaught'; readonly message: string };

interface Echo {
  readonly value: number;
  readonly label: string;
  readonly threadId: number;
}

const file = new URL('./fixtures/test-worker.mjs', import.meta.url);

function startPool(size: number): WorkerPool<Task, unknown> {
  return createWorkerPool<Task, unknown>({ file, workerData: { label: 'test' }, size, name: 'test' });
}

/** Runs ./fixtures/pool-child.mjs in a child Node; a child still running after 30 s is stopped. */
function runChild(mode: 'open' | 'close'): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/pool-child.mjs', import.meta.url)), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 30_000,
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout });
    });
  });
}

describe('createWorkerPool', () => {
  it('answers each task with its own result, in the order asked, on every worker', async () => {
    await using pool = startPool(2);
    expect(pool.size).toBe(2);
    // Later tasks wait less: answers arrive out of order, results keep the order of the tasks.
    const results = (await Promise.all(
      Array.from({ length: 12 }, (_, value) => pool.run({ kind: 'echo', value, wait: (12 - value) * 5 })),
    )) as Echo[];
    expect(results.map((result) => result.value)).toEqual(Array.from({ length: 12 }, (_, value) => value));
    expect(results.every((result) => result.label === 'test')).toBe(true);
    expect(new Set(results.map((result) => result.threadId)).size).toBe(2);
    expect(await pool.run({ kind: 'bytes', length: 1024 })).toEqual(new Uint8Array(1024).fill(7));
  });

  it('rejects with a CredledgerError of the code a task threw, and goes on with the next task', async () => {
    await using pool = startPool(1);
    const failed = pool.run({ kind: 'fail', message: 'not a credential', code: 'CREDENTIAL_MALFORMED' });
    await expect(failed).rejects.toBeInstanceOf(CredledgerError);
    await expect(failed).rejects.toMatchObject({ code: 'CREDENTIAL_MALFORMED', message: 'not a credential' });
    // A code that is not credledger's, or none: an Error, never a CredledgerError with a made-up code.
    for (const code of ['ENOENT', undefined]) {
      const other = await pool.run({ kind: 'fail', message: 'no file', ...(code === undefined ? {} : { code }) }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(other).toBeInstanceOf(Error);
      expect(other).not.toBeInstanceOf(CredledgerError);
    }
    expect(await pool.run({ kind: 'echo', value: 5 })).toMatchObject({ value: 5 });
  });

  it('fails the tasks of a worker that exits, queued ones and later ones too, instead of leaving them waiting', async () => {
    await using pool = startPool(1);
    const tasks = [
      pool.run({ kind: 'exit', code: 3, wait: 50 }),
      pool.run({ kind: 'echo', value: 1, wait: 1000 }),
      pool.run({ kind: 'echo', value: 2 }),
    ];
    const outcomes = await Promise.allSettled(tasks);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    await expect(pool.run({ kind: 'echo', value: 3 })).rejects.toBeInstanceOf(Error);
  }, 30_000);

  it('fails the tasks of a worker that throws outside a task, with its error', async () => {
    await using pool = startPool(2);
    await expect(pool.run({ kind: 'uncaught', message: 'lost' })).rejects.toMatchObject({ message: 'lost' });
    await expect(pool.run({ kind: 'echo', value: 1 })).rejects.toMatchObject({ message: 'lost' });
  }, 30_000);

  it('refuses tasks with CONFIG_INVALID once closed, those not yet answered as well', async () => {
    const pool = startPool(2);
    const running = pool.run({ kind: 'echo', value: 1, wait: 600_000 });
    await pool.close();
    await expect(running).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(pool.run({ kind: 'echo', value: 2 })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    let disposed: WorkerPool<Task, unknown> | undefined;
    {
      await using scoped = startPool(1);
      disposed = scoped;
      expect(await scoped.run({ kind: 'echo', value: 3 })).toMatchObject({ value: 3 });
    }
    await expect(disposed.run({ kind: 'echo', value: 4 })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('refuses a size that is not a whole number ≥ 1; by default runs a worker per core, at most 8', async () => {
    for (const size of [0, -1, 1.5, Number.NaN])
      expect(() => startPool(size)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    await using pool = createWorkerPool<Task, unknown>({ file, workerData: { label: 'test' }, name: 'test' });
    expect(pool.size).toBe(defaultPoolSize());
    expect(defaultPoolSize()).toBeGreaterThanOrEqual(1);
    expect(defaultPoolSize()).toBeLessThanOrEqual(8);
  });
});

describe('a pool’s workers and its process', () => {
  it('an idle pool left open does not keep its process alive', async () => {
    const { code, stdout } = await runChild('open');
    expect({ code, answer: JSON.parse(stdout) as unknown }).toEqual({ code: 0, answer: { value: 1 } });
  }, 40_000);

  it('close() stops every worker, a busy one too, so the process exits', async () => {
    const { code, stdout } = await runChild('close');
    expect({ code, answer: JSON.parse(stdout) as unknown }).toEqual({ code: 0, answer: { long: 'CONFIG_INVALID' } });
  }, 40_000);
});
