/**
 * QR images for an issued batch, as its own step: reads `result.csv` and the JWT files of a batch
 * output directory and renders `qr/<uuid>.png` for every credential that has none yet, in parallel
 * workers (a PNG costs tens of milliseconds in pure JS; issuance costs a fraction of one).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { CliError } from './context.js';
import type { I18n } from './i18n.js';
import { progressBar } from './progress.js';
import type { Workspace } from './workspace.js';

export async function runQrBatch(
  workspace: Workspace,
  outDir: string,
  options: { readonly t: I18n; readonly silent: boolean; readonly workers?: number },
): Promise<{ rendered: number; skipped: number; seconds: number }> {
  const sdk = await import('@credledger/sdk');
  const resultCsv = join(outDir, sdk.resultCsvName);
  if (!existsSync(resultCsv))
    throw new CliError(
      'FILE_NOT_FOUND',
      `${resultCsv} does not exist`,
      'run `credledger issue-batch` for this directory first',
    );
  const table = sdk.parseCsv(await readFile(resultCsv, 'utf8'));
  const fileColumn = table.header.indexOf('file');
  if (fileColumn < 0) throw new CliError('INVALID_INPUT', `${resultCsv} has no file column`);
  // Owner-only, like the batch's JWTs: each QR carries a whole credential.
  await mkdir(join(outDir, 'qr'), { recursive: true, mode: 0o700 });

  const jobs: { link: string; path: string }[] = [];
  let skipped = 0;
  for (const record of table.records) {
    const file = record.cells[fileColumn] ?? '';
    const path = join(outDir, 'qr', `${basename(file, '.jwt')}.png`);
    if (existsSync(path)) {
      skipped++;
      continue;
    }
    const jwt = (await readFile(join(outDir, file), 'utf8')).trim();
    jobs.push({ link: sdk.encodeCredentialLink(jwt, workspace.config.verifierBaseUrl), path });
  }
  using bar = progressBar({ label: 'QR', t: options.t, silent: options.silent });
  const started = performance.now();
  // Rendered in slices so that memory stays bounded and a kill loses at most one slice of work.
  const slice = 500;
  for (let i = 0; i < jobs.length; i += slice) {
    const part = jobs.slice(i, i + slice);
    const pngs = await sdk.renderPngBatch(
      part.map((job) => job.link),
      {
        ...(options.workers === undefined ? {} : { workers: options.workers }),
        onProgress: (done) => {
          bar.update(i + done, jobs.length);
        },
      },
    );
    // Temp file + rename: a kill never leaves a torn PNG that a rerun would take as done.
    await Promise.all(
      part.map(async (job, k) => {
        const png = pngs[k];
        if (png === undefined) throw new Error(`no PNG was rendered for ${job.path}`);
        await writeFile(`${job.path}.tmp`, png, { mode: 0o600 });
        await rename(`${job.path}.tmp`, job.path);
      }),
    );
  }
  bar.finish();
  return { rendered: jobs.length, skipped, seconds: Math.round(performance.now() - started) / 1000 };
}
