import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The JavaScript file of a worker that sits beside the calling module: `beside` itself when it exists
 * (built code); else its built twin, the same path under `dist/` instead of `src/` — a caller running
 * from its TypeScript sources (ts-jest) still needs JavaScript for a worker thread, and every credledger
 * package builds `src/` into `dist/` before its tests run.
 * @param beside the worker's built name relative to the calling module, e.g. `new URL('./render-worker.js', import.meta.url)`
 * @example
 * const pool = createWorkerPool({ file: workerFile(new URL('./render-worker.js', import.meta.url)), name: 'QR' });
 */
export function workerFile(beside: URL): URL {
  if (existsSync(fileURLToPath(beside))) return beside;
  // The last `src/` of the path: a checkout may itself sit under a folder named src.
  return new URL(beside.href.replace(/\/src\/(?!.*\/src\/)/, '/dist/'));
}
