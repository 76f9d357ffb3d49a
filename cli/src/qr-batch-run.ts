/**
 * QR images for an issued batch, as its own step: reads `result.csv` and the JWT files of a batch
 * output directory and renders `qr/<uuid>.png` for every credential that has none yet. Encoding a link
 * (~1 ms) and drawing its PNG (~10 ms) are pure JS and both run on the issuing's QR worker pool; this
 * thread only reads JWT files, feeds the pool, writes each PNG as it arrives and counts it, so progress
 * shows from the start and counts images that are on disk.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { cliError, aboutFile } from './context.js';
import type { I18n } from './i18n.js';
import { progressBar, type ProgressBar } from './progress.js';
import type { Workspace } from './workspace.js';

export interface QrBatchOptions {
  readonly t: I18n;
  readonly silent: boolean;
  readonly workers?: number;
  /** Where progress goes; default a bar on stderr. `done` counts PNGs written to disk. */
  readonly progress?: ProgressBar;
}

/**
 * JWTs read ahead of the workers: enough that a worker never waits for a file, few enough that memory
 * stays flat and an interruption leaves little work unsaved.
 */
const readAhead = 64;

/**
 * Renders the missing QR PNGs of a batch output directory.
 * Fails: FILE_NOT_FOUND (no result.csv, a missing JWT file), INVALID_INPUT, CREDENTIAL_MALFORMED (a JWT
 * file that is not a credential; the PNGs before it are kept, so a rerun after repair goes on from there).
 */
export async function runQrBatch(
  workspace: Workspace,
  outDir: string,
  options: QrBatchOptions,
): Promise<{ rendered: number; skipped: number; seconds: number }> {
  const { t } = options;
  const issuing = await import('@credledger/issuer');
  const resultCsv = join(outDir, issuing.resultCsvName);
  if (!existsSync(resultCsv))
    throw cliError(
      'FILE_NOT_FOUND',
      'doesNotExist',
      { file: resultCsv },
      {
        hint: t.pick(
          '請先為此目錄執行 `credledger issue-batch`',
          'run `credledger issue-batch` for this directory first',
        ),
      },
    );
  const table = issuing.parseCsv(await readFile(resultCsv, 'utf8'));
  const fileColumn = table.header.indexOf('file');
  if (fileColumn < 0) throw cliError('INVALID_INPUT', 'noFileColumn', { file: resultCsv });
  // Owner-only, like the batch's JWTs: each QR carries a whole credential.
  await mkdir(join(outDir, 'qr'), { recursive: true, mode: 0o700 });
  // One directory listing instead of a stat per credential.
  const present = new Set(await readdir(join(outDir, 'qr')));

  const jobs: { jwtFile: string; path: string }[] = [];
  let skipped = 0;
  for (const record of table.records) {
    const file = record.cells[fileColumn] ?? '';
    const png = `${basename(file, '.jwt')}.png`;
    if (present.has(png)) skipped++;
    else jobs.push({ jwtFile: file, path: join(outDir, 'qr', png) });
  }
  const started = performance.now();
  const total = jobs.length;
  const bar = options.progress ?? progressBar({ label: 'QR', t, silent: options.silent });
  // A bar of its own ends any line it left open when the run fails; a given one is the caller's to end.
  using _ownBar = options.progress === undefined ? bar : undefined;
  if (total === 0) return { rendered: 0, skipped, seconds: 0 };
  // Drawn before any work: an operator sees the count to do at once, on a terminal or in a log.
  bar.update(0, total);

  await using pool = issuing.createQrPool({
    baseUrl: workspace.config.verifierBaseUrl,
    ...(options.workers === undefined ? {} : { workers: Math.min(options.workers, total) }),
  });
  let done = 0;
  let failure: Error | undefined;
  const inFlight = new Set<Promise<void>>();
  const render = async (job: (typeof jobs)[number], jwt: string): Promise<void> => {
    let png: Buffer;
    try {
      png = await pool.renderCredential(jwt);
    } catch (error) {
      throw coded(error, job.jwtFile);
    }
    // Temp file + rename: a kill never leaves a torn PNG that a rerun would take as done.
    await writeFile(`${job.path}.tmp`, png, { mode: 0o600 });
    await rename(`${job.path}.tmp`, job.path);
    bar.update(++done, total);
  };
  for (const job of jobs) {
    if (failure !== undefined) break;
    let jwt: string;
    try {
      jwt = (await readFile(join(outDir, job.jwtFile), 'utf8')).trim();
    } catch (error) {
      failure = missing(error, join(outDir, job.jwtFile), t);
      break;
    }
    const task: Promise<void> = render(job, jwt).then(
      () => {
        inFlight.delete(task);
      },
      (error: unknown) => {
        failure ??= error instanceof Error ? error : new Error(String(error));
        inFlight.delete(task);
      },
    );
    inFlight.add(task);
    if (inFlight.size >= readAhead) await Promise.race(inFlight);
  }
  // What is under way is still written, so that a rerun after a failure has less to do.
  await Promise.all(inFlight);
  bar.finish();
  if (failure !== undefined) throw failure;
  return { rendered: total, skipped, seconds: Math.round(performance.now() - started) / 1000 };
}

/** A coded issuing error (a JWT file that is no credential) names the file; anything else is a bug, untouched. */
function coded(error: unknown, jwtFile: string): unknown {
  return error instanceof Error && error.name === 'CredledgerError' ? aboutFile(error, jwtFile) : error;
}

function missing(error: unknown, path: string, t: I18n): Error {
  return (error as { code?: unknown }).code === 'ENOENT'
    ? cliError(
        'FILE_NOT_FOUND',
        'doesNotExist',
        { file: path },
        {
          hint: t.pick(
            '以相同參數重跑 `credledger issue-batch`，它會補寫遺失的檔案',
            'rerun `credledger issue-batch` with the same arguments: it writes missing files again',
          ),
        },
      )
    : error instanceof Error
      ? error
      : new Error(String(error));
}
