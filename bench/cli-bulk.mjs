#!/usr/bin/env node
// cli.bulk10k: `credledger issue-batch` end to end on the embedded ledger (CSV → validated → signed →
// anchored durably → JWT files and result CSV written), 10,000 lawyer licences, timed as an operator
// sees it (the whole child process). Its baseline is set by bench/run.mjs from the same run: the lower
// of issue.sign and ledger.embedded.batched, the two stages it is made of. The rate with one
// credential per transaction (`--per-tx 1`, on a smaller sample) is in the note.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { licenceCsv, quick, report, runCli as run } from './lib.mjs';

const rows = quick ? 2000 : 10_000;
const baselineRows = quick ? 200 : 1000;
const dir = mkdtempSync(join(tmpdir(), 'credledger-bench-cli-'));
try {
  const workspace = join(dir, 'ws');
  run(['demo', workspace, '--no-serve', '--json']);

  const csv = join(dir, 'licences.csv');
  writeFileSync(csv, licenceCsv(rows, 0));
  const batched = run([
    '-w',
    workspace,
    'issue-batch',
    'LawyerLicenceCredential',
    '--csv',
    csv,
    '--out',
    join(dir, 'out'),
    '--json',
  ]);
  const summary = JSON.parse(batched.stdout);
  if (summary.issued !== rows) throw new Error(`issued ${summary.issued} of ${rows}`);
  const rate = rows / (batched.ms / 1000);

  const baselineCsv = join(dir, 'baseline.csv');
  writeFileSync(baselineCsv, licenceCsv(baselineRows, rows));
  const single = run([
    '-w',
    workspace,
    'issue-batch',
    'LawyerLicenceCredential',
    '--csv',
    baselineCsv,
    '--out',
    join(dir, 'out-single'),
    '--per-tx',
    '1',
    '--json',
  ]);
  const singleRate = baselineRows / (single.ms / 1000);

  report([
    {
      name: 'cli.bulk10k',
      value: Math.round(rate),
      unit: 'credentials/s',
      baseline: null,
      note: `${rows} rows in ${Math.round(batched.ms)} ms wall clock (process start to exit), 2,000 per transaction, 3 in flight, journal fdatasync per chunk; issue-batch's own timer: ${Math.round(summary.seconds * 1000)} ms, of which signing+anchoring ${summary.timings?.issueMs} ms and waiting for the last JWT files ${summary.timings?.fileWaitMs} ms; process CPU user ${batched.user} ms, system ${batched.system} ms; one credential per transaction (${baselineRows} rows): ${Math.round(singleRate)}/s`,
    },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
