/**
 * `@credledger/workers`: the pool of worker threads credledger renders QR images and printable
 * documents on. A pool sends each task to its least busy worker and answers it as a promise the moment
 * the worker replies; an error a task throws comes back as a `CredledgerError` with its code; a worker
 * that crashes fails the tasks it had instead of leaving them waiting; `close()` stops every worker. Node
 * only; no state outside a pool.
 *
 * @example
 * // pool.ts
 * await using pool = createWorkerPool<{ link: string }, Uint8Array>({
 *   file: workerFile(new URL('./render-worker.js', import.meta.url)),
 *   name: 'QR',
 * });
 * const png = await pool.run({ link });
 *
 * // render-worker.ts
 * serveTasks((task: { link: string }) => pngBytesOf(task.link), { transfer: (png) => [png.buffer] });
 */
export { createWorkerPool, defaultPoolSize, type WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
export { serveTasks, type ServeTasksOptions } from './serve-tasks.js';
export { workerFile } from './worker-file.js';
