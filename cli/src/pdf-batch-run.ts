/**
 * Printable documents for an issued batch, as its own step after issuance (`issue-batch --pdf`): reads
 * `result.csv` and the batch's JWT files and writes `pdf/<uuid>.pdf` for every credential that has
 * none yet, on @credledger/documents' worker pool. This thread only reads JWT files, feeds the pool,
 * writes each PDF as it arrives and counts it, so progress shows from the start and counts files on
 * disk; a rerun after an interruption renders only what is missing.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import type { Label } from '@credledger/verify';

import { aboutFile, cliError } from './context.js';
import type { DocumentFormat } from './document-output.js';
import type { I18n } from './i18n.js';
import { progressBar, type ProgressBar } from './progress.js';
import type { Workspace } from './workspace.js';

export interface PdfBatchOptions {
  readonly t: I18n;
  readonly silent: boolean;
  readonly format: DocumentFormat;
  /** The issuing agency's name as registered; printed on every document. */
  readonly issuerName?: Label;
  readonly workers?: number;
  /** Where progress goes; default a bar on stderr. `done` counts PDFs written to disk. */
  readonly progress?: ProgressBar;
}

/** JWTs read ahead of the workers: enough that a worker never waits, few enough that memory stays flat. */
const readAhead = 32;

/**
 * Renders the missing documents of a batch output directory.
 * Fails: FILE_NOT_FOUND (no result.csv, a missing JWT file), INVALID_INPUT (a value the typeface cannot
 * print), CREDENTIAL_MALFORMED; the documents before a failure are kept.
 */
export async function runPdfBatch(
  workspace: Workspace,
  outDir: string,
  options: PdfBatchOptions,
): Promise<{ rendered: number; skipped: number; seconds: number; format: DocumentFormat }> {
  const { t } = options;
  const issuing = await import('@credledger/issuer');
  const resultCsv = join(outDir, issuing.resultCsvName);
  let csv: string;
  try {
    csv = await readFile(resultCsv, 'utf8');
  } catch {
    throw cliError('FILE_NOT_FOUND', 'noBatchResult', { file: resultCsv });
  }
  const table = issuing.parseCsv(csv);
  const fileColumn = table.header.indexOf('file');
  if (fileColumn < 0) throw cliError('INVALID_INPUT', 'noFileColumn', { file: resultCsv });
  // Owner-only, like the batch's JWTs: each document carries a whole credential and the holder's data.
  await mkdir(join(outDir, 'pdf'), { recursive: true, mode: 0o700 });
  const present = new Set(await readdir(join(outDir, 'pdf')));
  const jobs: { jwtFile: string; path: string }[] = [];
  let skipped = 0;
  for (const record of table.records) {
    const file = record.cells[fileColumn] ?? '';
    const pdf = `${basename(file, '.jwt')}.pdf`;
    if (present.has(pdf)) skipped++;
    else jobs.push({ jwtFile: file, path: join(outDir, 'pdf', pdf) });
  }
  const started = performance.now();
  const total = jobs.length;
  const bar = options.progress ?? progressBar({ label: 'PDF', t, silent: options.silent });
  using _ownBar = options.progress === undefined ? bar : undefined;
  if (total === 0) return { rendered: 0, skipped, seconds: 0, format: options.format };
  bar.update(0, total);

  const { createDocumentPool } = await import('@credledger/documents');
  await using pool = createDocumentPool({
    verifierBaseUrl: workspace.config.verifierBaseUrl,
    ...(options.workers === undefined ? {} : { workers: Math.min(options.workers, total) }),
  });
  let done = 0;
  let failure: Error | undefined;
  const inFlight = new Set<Promise<void>>();
  const render = async (job: (typeof jobs)[number], jwt: string): Promise<void> => {
    let pdf: Uint8Array;
    try {
      pdf = await pool.render(jwt, {
        format: options.format,
        ...(options.issuerName === undefined ? {} : { issuerName: options.issuerName }),
      });
    } catch (error) {
      throw aboutFile(error, job.jwtFile);
    }
    // Temp file + rename: a kill never leaves a torn PDF that a rerun would take as done.
    await writeFile(`${job.path}.tmp`, pdf, { mode: 0o600 });
    await rename(`${job.path}.tmp`, job.path);
    bar.update(++done, total);
  };
  for (const job of jobs) {
    if (failure !== undefined) break;
    let jwt: string;
    try {
      jwt = (await readFile(join(outDir, job.jwtFile), 'utf8')).trim();
    } catch {
      failure = cliError('FILE_NOT_FOUND', 'batchFileMissing', { file: join(outDir, job.jwtFile) });
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
  await Promise.all(inFlight);
  bar.finish();
  if (failure !== undefined) throw failure;
  return {
    rendered: total,
    skipped,
    seconds: Math.round(performance.now() - started) / 1000,
    format: options.format,
  };
}
