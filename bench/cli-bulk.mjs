#!/usr/bin/env node
// cli.bulk10k: `credledger issue-batch` end to end on the embedded ledger (CSV → validated → signed →
// anchored durably → JWT files and result CSV written), 10,000 lawyer licences, timed as an operator
// sees it (the whole child process). Baseline in the same run: one credential per transaction
// (`--per-tx 1`) on a smaller sample, since its rate does not depend on the batch size.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { quick, report } from './lib.mjs';

const cli = fileURLToPath(new URL('../cli/dist/main.js', import.meta.url));
const rows = quick ? 2000 : 10_000;
const baselineRows = quick ? 200 : 1000;
const env = {
  ...process.env,
  CREDLEDGER_KEY_PASSPHRASE: 'bench passphrase',
  CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING',
  LANG: 'en_US.UTF-8',
};

function run(args) {
  const before = childCpu();
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`credledger ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const after = childCpu();
  return {
    ms,
    stdout: result.stdout,
    user: after ? after.user - before.user : null,
    system: after ? after.system - before.system : null,
  };
}

/**
 * CPU time of this process's waited-for children (user, system) in ms, from /proc (Linux; null
 * elsewhere): how much of a run the kernel took.
 */
function childCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // After "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14; ticks of 10 ms.
    return { user: Number(fields[13]) * 10, system: Number(fields[14]) * 10 };
  } catch {
    return null;
  }
}

/** A lawyer-licence CSV with `count` distinct, valid rows; `offset` keeps licence numbers unique across files. */
function licenceCsv(count, offset) {
  const surnames = '王李張劉陳楊黃趙吳周林郭何高羅';
  const given = '怡君志明建宏淑芬家豪雅婷俊傑美玲冠宇詩涵';
  const bars = ['臺北律師公會', '新北律師公會', '臺中律師公會', '臺南律師公會', '高雄律師公會'];
  const lines = ['name,nameEn,licenceNumber,admissionDate,practiceStatus,barMemberships,lawFirm'];
  for (let i = 0; i < count; i++) {
    const n = offset + i;
    const name = `${surnames[n % 15]}${given[(n * 3) % 20]}${given[(n * 7 + 1) % 20]}`;
    const practising = n % 7 !== 0;
    lines.push(
      [
        name,
        `CHEN Wei-${n}`.replace(/\d/g, (d) => 'ABCDEFGHIJ'[Number(d)]),
        `(${100 + (n % 15)})台檢證字第${String(n % 1_000_000).padStart(6, '0')}號`,
        `20${String(10 + (n % 15)).padStart(2, '0')}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`,
        practising ? 'practising' : 'not-practising',
        `${bars[n % 5]};${bars[(n + 2) % 5]}`,
        practising ? '明德法律事務所' : '',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

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
      baseline: { name: `one credential per transaction (${baselineRows} rows)`, value: Math.round(singleRate) },
      ratio: Math.round((rate / singleRate) * 10) / 10,
      goal: '≥ 3,000 credentials/s',
      meetsGoal: rate >= 3000,
      note: `${rows} rows in ${Math.round(batched.ms)} ms wall clock (process start to exit), 2,000 per transaction, 3 in flight, journal fdatasync per chunk; issue-batch's own timer: ${Math.round(summary.seconds * 1000)} ms, of which signing+anchoring ${summary.timings?.issueMs} ms and waiting for the last JWT files ${summary.timings?.fileWaitMs} ms; process CPU user ${batched.user} ms, system ${batched.system} ms`,
    },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
