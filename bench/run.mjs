#!/usr/bin/env node
// `npm run bench [-- --quick]`: runs every figure's script in its own process, each beside its
// baseline measured in the same run, prints one table and writes bench/results/latest.json.
// `--only <figure or script>` (repeatable) runs just those and keeps the other figures of an existing
// latest.json, so one figure can be measured again without the whole run.
//
// A figure script prints, as the last line of its stdout, `{"figures":[{name, value, unit,
// baseline: {name, value} | null, goal, meetsGoal, note?}]}`. A script that is missing or fails
// still yields its figures, marked "not built" or with the failure, so nothing is hidden.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const only = process.argv.flatMap((arg, i) => (process.argv[i - 1] === '--only' ? [arg] : []));

/** Every figure of issue "bench/", in the order the table shows them, with the script that measures it. */
const plan = [
  { script: 'issue-sign.mjs', figures: [['issue.sign', '≥ 70% of native sign rate']] },
  { script: 'issue-sign-pkcs11.mjs', figures: [['issue.signPkcs11', '≥ 0.8 of SoftHSM raw C_Sign rate']] },
  { script: 'verify-offline.mjs', figures: [['verify.offline', 'ratio ≥ 20 vs did-jwt verifyJWT']] },
  {
    script: 'ledger-embedded.mjs',
    figures: [
      ['ledger.embedded.batched', '≥ 20,000 anchors/s'],
      ['ledger.embedded.single.p50', '≤ 5 ms'],
      ['ledger.embedded.single.p99', 'report'],
    ],
  },
  { script: 'cli-bulk.mjs', figures: [['cli.bulk10k', '≥ 3,000 credentials/s']] },
  {
    // qr-sweep.mjs owns the sweep; qr-versions.mjs turns its --json summary into figures.
    script: 'qr-versions.mjs',
    figures: [
      ['qr.version.lawyer', '≤ 11'],
      ['qr.version.economic', '≤ 12'],
    ],
  },
  { script: 'qr-render.mjs', figures: [['qr.render.png', 'report']] },
  { script: 'qr-batch.mjs', figures: [['cli.qrBatch10k', '≥ 0.7 of renderPngBatch and ≤ 60 s for 10,000']] },
  // verifier-web/size.mjs owns the measurement; web-transfer.mjs turns its --json report into the figure.
  { script: 'web-transfer.mjs', figures: [['web.transfer', '≤ 150 KB']] },
  { script: 'web-decode.mjs', figures: [['web.decodeToVerdict.p50', '≤ 100 ms']] },
  { script: 'serve-rps.mjs', figures: [['serve.status.rps', '≥ 5,000/s']] },
  { script: 'cli-coldstart.mjs', figures: [['cli.coldstart.help', '≤ 150 ms']] },
  {
    script: 'tracking.mjs',
    figures: [
      ['tracking.webhook.p50', 'report'],
      ['tracking.webhook.p99', 'report'],
      ['tracking.fanout1000', 'report'],
    ],
  },
  { script: 'fabric.mjs', figures: [['fabric.batchedVsSingle', 'ratio ≥ 100']] },
];

const latestFile = join(here, 'results', 'latest.json');
const earlier = only.length > 0 && existsSync(latestFile) ? JSON.parse(readFileSync(latestFile, 'utf8')) : [];
const selected = ({ script, figures }) =>
  only.length === 0 || only.some((name) => name === script || figures.some(([figure]) => figure === name));
if (only.length > 0 && !plan.some(selected)) {
  console.error(`bench: no figure or script is called ${only.join(', ')}`);
  process.exit(2);
}

const results = [];
for (const { script, figures } of plan) {
  if (!selected({ script, figures })) {
    // Not run this time: the figures of the last run that had them, else nothing.
    results.push(...earlier.filter((r) => figures.some(([name]) => name === r.name)));
    continue;
  }
  const path = join(here, script);
  const placeholder = (note) =>
    figures.map(([name, goal]) => ({
      name,
      value: null,
      unit: null,
      baseline: null,
      ratio: null,
      goal,
      meetsGoal: null,
      note,
    }));
  if (!existsSync(path)) {
    results.push(...placeholder('not built'));
    continue;
  }
  process.stderr.write(`bench: ${script}${quick ? ' (quick)' : ''} …\n`);
  const run = spawnSync(process.execPath, [path, ...(quick ? ['--quick'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  let parsed;
  try {
    parsed = JSON.parse(last).figures;
  } catch {
    results.push(...placeholder(`failed (exit ${run.status})`));
    continue;
  }
  for (const figure of parsed) {
    const ratio =
      figure.baseline &&
      typeof figure.baseline.value === 'number' &&
      figure.baseline.value !== 0 &&
      typeof figure.value === 'number'
        ? figure.value / figure.baseline.value
        : null;
    results.push({ ...figure, ratio: figure.ratio ?? ratio });
  }
}

const machine = {
  cores: os.cpus().length,
  node: process.version,
  platform: `${os.platform()}-${os.arch()}`,
  quick,
  ...(only.length > 0 ? { only } : {}),
  at: new Date().toISOString(),
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(latestFile, JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(here, 'results', 'machine.json'), JSON.stringify(machine, null, 2) + '\n');

const fmt = (v) =>
  v === null || v === undefined
    ? '—'
    : typeof v === 'number'
      ? Math.abs(v) >= 100
        ? Math.round(v).toLocaleString('en')
        : v.toFixed(2)
      : String(v);
const rows = results.map((r) => [
  r.name,
  `${fmt(r.value)}${r.unit ? ' ' + r.unit : ''}`,
  r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)}` : '—',
  fmt(r.ratio),
  r.goal ?? '',
  r.meetsGoal === null || r.meetsGoal === undefined ? (r.note ?? '—') : r.meetsGoal ? 'yes' : 'NO',
]);
const head = ['figure', 'value', 'baseline (same run)', 'ratio', 'goal', 'meets goal'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(`credledger bench — ${machine.cores} cores, Node ${machine.node}${quick ? ', quick' : ''}`);
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));
