#!/usr/bin/env node
// cli.pdfBatch10k: 10,000 lawyer-licence PDFs through `credledger issue-batch --pdf`, end to end as an
// operator sees it (the whole child process: start, checking the CSV, signing and anchoring 10,000
// credentials, writing their JWT files, then rendering one A4 document per credential on the documents
// worker pool and writing pdf/<uuid>.pdf). Baseline in the same run: `credledger qr-batch` on the same
// batch afterwards, PNGs per second (the QR images every issuance step already makes), so the PDF rate
// sits beside the QR PNG rate measured on the same machine at the same time.
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { licenceCsv, quick, report, runCli } from './lib.mjs';
import { readDocumentCredential } from '../packages/documents/dist/index.js';

const rows = quick ? 2000 : 10_000;

const dir = mkdtempSync(join(tmpdir(), 'credledger-bench-pdf-'));
try {
  const workspace = join(dir, 'ws');
  runCli(['demo', workspace, '--no-serve', '--json']);
  const csv = join(dir, 'licences.csv');
  writeFileSync(csv, licenceCsv(rows, 0));
  const out = join(dir, 'out');

  const load = loadavg()[0];
  const run = runCli([
    '-w',
    workspace,
    'issue-batch',
    'LawyerLicenceCredential',
    '--csv',
    csv,
    '--out',
    out,
    '--pdf',
    '--json',
  ]);
  const result = JSON.parse(run.stdout);
  if (result.issued !== rows || result.pdf?.rendered !== rows)
    throw new Error(`issue-batch --pdf issued ${result.issued} and rendered ${result.pdf?.rendered} of ${rows}`);
  const qr = runCli(['-w', workspace, 'qr-batch', out, '--json']);
  const qrResult = JSON.parse(qr.stdout);
  if (qrResult.rendered !== rows) throw new Error(`qr-batch rendered ${qrResult.rendered} of ${rows}`);

  // The documents must be real: a sample carries exactly its credential; sizes of all of them.
  const pdfs = readdirSync(join(out, 'pdf'));
  const sizes = pdfs.map((file) => statSync(join(out, 'pdf', file)).size);
  for (const file of pdfs.filter((_, i) => i % Math.floor(rows / 5) === 0)) {
    const { jwt } = await readDocumentCredential(new Uint8Array(readFileSync(join(out, 'pdf', file))));
    if (jwt !== readFileSync(join(out, 'jwt', file.replace(/\.pdf$/, '.jwt')), 'utf8').trim())
      throw new Error(`${file} does not carry its credential`);
  }

  const seconds = run.ms / 1000;
  const secondsFor10k = (seconds * 10_000) / rows;
  const rate = rows / seconds;
  const pngRate = rows / (qr.ms / 1000);
  const kb = (bytes) => Math.round(bytes / 102.4) / 10;
  report([
    {
      name: 'cli.pdfBatch10k',
      value: Math.round(rate),
      unit: 'PDFs/s',
      baseline: { name: `qr-batch PNGs/s (same batch, same run)`, value: Math.round(pngRate) },
      ratio: Math.round((rate / pngRate) * 100) / 100,
      note:
        `${rows} lawyer licences through \`credledger issue-batch --pdf\` in ${Math.round(run.ms)} ms wall clock (process start to exit` +
        `${quick ? `; ${secondsFor10k.toFixed(1)} s scaled to 10,000` : ''}): issuance ${Math.round(result.seconds * 1000)} ms, ` +
        `documents ${Math.round(result.pdf.seconds * 1000)} ms (${Math.round(rows / result.pdf.seconds)}/s by the step's own timer); ` +
        `process CPU user ${run.user} ms, system ${run.system} ms, on ${availableParallelism()} cores, load average ${load.toFixed(1)} at the start; ` +
        `A4 PDFs of ${kb(Math.min(...sizes))}–${kb(Math.max(...sizes))} KB (mean ${kb(sizes.reduce((a, b) => a + b, 0) / sizes.length)} KB); ` +
        `baseline: \`credledger qr-batch\` on the same ${rows} credentials afterwards, ${Math.round(qr.ms)} ms`,
    },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
