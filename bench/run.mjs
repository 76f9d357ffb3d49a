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

// Every goal is judged here, on the figure's ratio to the baseline measured in the same run, because
// this machine's absolute rates swing 2–4× with its neighbours. An absolute goal is kept only where the
// figure does not depend on the machine's speed (a QR version, bytes sent) or where a user waits
// for it (a phone's time to a verdict, 10,000 PNGs in a minute).
const atLeast = (ratio) => ({ text: `≥ ${ratio}× baseline`, judge: (f) => f.ratio !== null && f.ratio >= ratio });
const atMost = (ratio) => ({ text: `≤ ${ratio}× baseline`, judge: (f) => f.ratio !== null && f.ratio <= ratio });
const valueAtMost = (max, unit) => ({ text: `≤ ${max} ${unit}`, judge: (f) => f.value <= max });
const both = (a, b) => ({ text: `${a.text} and ${b.text}`, judge: (f) => a.judge(f) && b.judge(f) });
const reportOnly = { text: 'report', judge: null };

/** Every figure, in the order the table shows them, with the script that measures it and its goal. */
const plan = [
  { script: 'issue-sign.mjs', figures: [['issue.sign', atLeast(0.9)]] },
  { script: 'issue-sign-pkcs11.mjs', figures: [['issue.signPkcs11', atLeast(0.8)]] },
  {
    script: 'verify-offline.mjs',
    figures: [
      ['verify.offline', atLeast(0.9)],
      ['verify.offline.didJwt', reportOnly],
    ],
  },
  {
    script: 'ledger-embedded.mjs',
    figures: [
      ['ledger.embedded.batched', atLeast(0.5)],
      ['ledger.embedded.single.p50', valueAtMost(2, 'ms')],
      ['ledger.embedded.single.p99', valueAtMost(5, 'ms')],
    ],
  },
  {
    script: 'cli-bulk.mjs',
    // Its baseline is the slower of the two stages it is made of, each measured in this same run.
    needs: ['issue-sign.mjs', 'ledger-embedded.mjs'],
    baselineOf: {
      name: 'lower of issue.sign and ledger.embedded.batched',
      figures: ['issue.sign', 'ledger.embedded.batched'],
    },
    figures: [['cli.bulk10k', atLeast(0.5)]],
  },
  {
    // qr-sweep.mjs owns the sweep; qr-versions.mjs turns its --json summary into figures.
    script: 'qr-versions.mjs',
    figures: [
      ['qr.version.lawyer', valueAtMost(11, '')],
      ['qr.version.economic', valueAtMost(12, '')],
    ],
  },
  { script: 'qr-render.mjs', figures: [['qr.render.png', reportOnly]] },
  {
    script: 'qr-batch.mjs',
    figures: [
      [
        'cli.qrBatch10k',
        both(atLeast(0.7), { text: '≤ 60 s for 10,000', judge: (f) => f.value > 0 && 10_000 / f.value <= 60 }),
      ],
    ],
  },
  {
    script: 'pdf-batch.mjs',
    figures: [
      ['cli.pdfBatch10k', { text: '≤ 180 s for 10,000', judge: (f) => f.value > 0 && 10_000 / f.value <= 180 }],
    ],
  },
  // verifier-web/size.mjs owns the measurement; web-transfer.mjs turns its --json report into the figure.
  { script: 'web-transfer.mjs', figures: [['web.transfer', valueAtMost(60, 'KB')]] },
  { script: 'web-decode.mjs', figures: [['web.decodeToVerdict.p50', valueAtMost(150, 'ms (CPU 4× slower)')]] },
  // Share of degraded photos of credential QR codes the page reads, beside the same codes undegraded.
  { script: 'qr-scan-rate.mjs', figures: [['web.qrScanRate', atLeast(0.95)]] },
  {
    script: 'serve-rps.mjs',
    figures: [
      ['serve.status.rps', atLeast(0.5)],
      ['serve.status.rps.firstRead', reportOnly],
    ],
  },
  { script: 'cli-coldstart.mjs', figures: [['cli.coldstart.help', atMost(1.5)]] },
  {
    script: 'status-index.mjs',
    figures: [
      ['statusIndex.lookup.p99', atMost(2)],
      ['statusIndex.open', atMost(3)],
    ],
  },
  {
    script: 'tracking.mjs',
    figures: [
      ['tracking.webhook.p50', reportOnly],
      ['tracking.webhook.p99', reportOnly],
      ['tracking.fanout1000', reportOnly],
    ],
  },
  {
    script: 'fabric.mjs',
    figures: [
      ['fabric.batchedVsSingle', atLeast(100)],
      ['fabric.issue.single.p50', reportOnly],
      ['fabric.status.read.p50', reportOnly],
    ],
  },
];

const latestFile = join(here, 'results', 'latest.json');
// `--scale`: the national-scale run alone (bench/scale.mjs: 100,000 and 1,000,000 credentials, 10,000,000
// with --10m), which takes minutes and writes its own table, bench/results/scale.json and scale.svg.
if (process.argv.includes('--scale')) {
  const forwarded = process.argv.slice(2).filter((arg) => arg !== '--scale');
  const run = spawnSync(process.execPath, [join(here, 'scale.mjs'), ...forwarded], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const earlier = only.length > 0 && existsSync(latestFile) ? JSON.parse(readFileSync(latestFile, 'utf8')) : [];
const named = ({ script, figures }) =>
  only.some((name) => name === script || figures.some(([figure]) => figure === name));
// A script runs when it was asked for, or when a script that was asked for takes its baseline from it.
const wanted = new Set(
  plan.filter((entry) => only.length === 0 || named(entry)).flatMap((entry) => [entry.script, ...(entry.needs ?? [])]),
);
if (wanted.size === 0) {
  console.error(`bench: no figure or script is called ${only.join(', ')}`);
  process.exit(2);
}

const goalOf = new Map(plan.flatMap(({ figures }) => figures));
/** The figure as the table shows it: its ratio, and its goal judged on this run's numbers. */
function judged(figure) {
  const goal = goalOf.get(figure.name) ?? reportOnly;
  const ratio =
    figure.ratio ??
    (figure.baseline &&
    typeof figure.baseline.value === 'number' &&
    figure.baseline.value !== 0 &&
    typeof figure.value === 'number'
      ? figure.value / figure.baseline.value
      : null);
  const out = { ...figure, ratio, goal: goal.text };
  // A script marks a figure `valid: false` when its run was wrong (errors, mismatched answers): never a yes.
  out.meetsGoal =
    goal.judge === null || typeof figure.value !== 'number' ? null : figure.valid !== false && goal.judge(out);
  return out;
}

const measured = new Map(); // figures measured in this run, by name
const results = [];
for (const { script, figures } of plan) {
  if (!wanted.has(script)) {
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
      goal: goal.text,
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
    measured.set(figure.name, figure);
    results.push(figure);
  }
}

// Baselines made of other figures of this same run (never of an earlier run's).
for (const { figures, baselineOf } of plan) {
  if (!baselineOf) continue;
  for (const [name] of figures) {
    const figure = measured.get(name);
    if (!figure) continue;
    const parts = baselineOf.figures.map((part) => measured.get(part)?.value);
    figure.baseline = parts.every((v) => typeof v === 'number')
      ? { name: baselineOf.name, value: Math.min(...parts) }
      : null;
  }
}
results.splice(0, results.length, ...results.map((figure) => (measured.has(figure.name) ? judged(figure) : figure)));

const machine = {
  cores: os.cpus().length,
  node: process.version,
  platform: `${os.platform()}-${os.arch()}`,
  quick,
  ...(only.length > 0 ? { only, ran: [...wanted] } : {}),
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
  // A figure with no value says why (skipped, not built, failed); the notes are in latest.json.
  r.value === null || r.value === undefined ? (r.note ?? '—') : r.meetsGoal === null ? '—' : r.meetsGoal ? 'yes' : 'NO',
]);
const head = ['figure', 'value', 'baseline (same run)', 'ratio', 'goal', 'meets goal'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(`credledger bench — ${machine.cores} cores, Node ${machine.node}${quick ? ', quick' : ''}`);
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));
