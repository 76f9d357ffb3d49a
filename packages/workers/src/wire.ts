/** The messages between a pool (./worker-pool.ts) and its workers (./serve-tasks.ts). */

/** A task for a worker, with the id its reply carries back. */
export interface TaskMessage<Task> {
  readonly id: number;
  readonly task: Task;
}

/**
 * A worker's reply: the task's result, or what crosses back of the error it threw — its code, if it had
 * one, and its message.
 */
export type ReplyMessage<Result> =
  | { readonly id: number; readonly result: Result }
  | { readonly id: number; readonly error: { readonly code?: string; readonly message: string } };
