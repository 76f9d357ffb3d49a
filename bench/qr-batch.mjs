#!/usr/bin/env node
// cli.qrBatch10k: `credledger qr-batch` end to end (reads result.csv and 10,000 JWT files, encodes each
// credential link and renders its PNG on the worker pool, writes qr/<uuid>.png), timed as an operator
// sees it: the whole child process. The batch it reads is made first with `credledger issue-batch`
// (not timed). Baseline in the same run: `renderPngBatch` on links of the same batch, already encoded,
// held in memory, nothing written — measured just before and just after, their mean.
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { licenceCsv, quick, report, runCli } from './lib.mjs';
import { encodeCredentialLink, readQrImage, renderPngBatch } from '@credledger/sdk';

const rows = quick ? 2000 : 10_000;
const baselineLinks = quick ? 500 : 2000;

const dir = mkdtempSync(join(tmpdir(), 'credledger-bench-qr-'));
try {
  const workspace = join(dir, 'ws');
  runCli(['demo', workspace, '--no-serve', '--json']);
  const base = JSON.parse(readFileSync(join(workspace, 'credledger.json'), 'utf8')).verifierBaseUrl;
  const csv = join(dir, 'licences.csv');
  writeFileSync(csv, licenceCsv(rows, 0));
  const out = join(dir, 'out');
  runCli(['-w', workspace, 'issue-batch', 'LawyerLicenceCredential', '--csv', csv, '--out', out, '--json']);

  const jwtFiles = readdirSync(join(out, 'jwt'));
  const jwtOf = (file) => readFileSync(join(out, 'jwt', file), 'utf8').trim();
  const links = jwtFiles.slice(0, baselineLinks).map((file) => encodeCredentialLink(jwtOf(file), base));
  const baselineRate = async () => {
    const started = performance.now();
    const pngs = await renderPngBatch(links);
    if (pngs.length !== links.length) throw new Error('renderPngBatch returned a wrong count');
    return links.length / ((performance.now() - started) / 1000);
  };
  await renderPngBatch(links.slice(0, 50)); // warm-up: the workers' code from disk into the page cache

  const load = loadavg()[0];
  const before = await baselineRate();
  const run = runCli(['-w', workspace, 'qr-batch', out, '--json']);
  const after = await baselineRate();

  const result = JSON.parse(run.stdout);
  if (result.rendered !== rows) throw new Error(`qr-batch rendered ${result.rendered} of ${rows}`);
  // The images must be real: a sample decodes back to the links of their credentials.
  for (const file of jwtFiles.filter((_, i) => i % Math.floor(rows / 5) === 0)) {
    const png = join(out, 'qr', file.replace(/\.jwt$/, '.png'));
    if ((await readQrImage(png)) !== encodeCredentialLink(jwtOf(file), base))
      throw new Error(`${png} does not decode to its credential's link`);
  }

  const seconds = run.ms / 1000;
  const rate = rows / seconds;
  const baseline = (before + after) / 2;
  // With --quick the batch is smaller; the time goal is for 10,000, so scale it.
  const secondsFor10k = (seconds * 10_000) / rows;
  report([
    {
      name: 'cli.qrBatch10k',
      value: Math.round(rate),
      unit: 'PNGs/s',
      baseline: { name: `renderPngBatch (${baselineLinks} links, same run)`, value: Math.round(baseline) },
      note:
        `${rows} credentials through \`credledger qr-batch\` in ${Math.round(run.ms)} ms wall clock (process start to exit; ` +
        `${quick ? `${secondsFor10k.toFixed(1)} s scaled to 10,000; ` : ''}qr-batch's own timer ${Math.round(result.seconds * 1000)} ms), ` +
        `process CPU user ${run.user} ms, system ${run.system} ms, on ${availableParallelism()} cores, load average ${load.toFixed(1)} at the start; ` +
        `baseline renderPngBatch of already encoded links, nothing written: ${Math.round(before)}/s before, ${Math.round(after)}/s after`,
    },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
