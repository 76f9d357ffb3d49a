import { parentPort, type Transferable } from 'node:worker_threads';

import type { ReplyMessage, TaskMessage } from './wire.js';

export interface ServeTasksOptions<Result> {
  /** The buffers of a result to move to the pool instead of copying them (unusable in the worker after). */
  readonly transfer?: (result: Result) => readonly Transferable[];
}

/**
 * Answers the tasks a pool (`createWorkerPool`) sends this worker thread, each as soon as `handle`
 * settles: with its result, or with the error it threw reduced to its code and message — all of an error
 * that crosses a thread; the pool makes a `CredledgerError` of it again.
 * @throws Error when not called in a worker thread
 * @example
 * // render-worker.ts
 * serveTasks((task: { link: string }) => pngBytesOf(task.link), { transfer: (png) => [png.buffer] });
 */
export function serveTasks<Result>(
  // `never`: any handler fits, whatever the task type its parameter names (the pool's `Task`).
  handle: (task: never) => Result | Promise<Result>,
  options: ServeTasksOptions<Result> = {},
): void {
  const port = parentPort;
  if (port === null) throw new Error('serveTasks answers a worker pool: call it in a worker thread');
  const answer = async ({ id, task }: TaskMessage<never>): Promise<void> => {
    try {
      const result = await handle(task);
      port.postMessage({ id, result } satisfies ReplyMessage<Result>, options.transfer?.(result));
    } catch (error) {
      const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
      port.postMessage({
        id,
        error: {
          ...(typeof code === 'string' ? { code } : {}),
          message: error instanceof Error ? error.message : String(error),
        },
      } satisfies ReplyMessage<Result>);
    }
  };
  port.on('message', (message: TaskMessage<never>) => void answer(message));
}
