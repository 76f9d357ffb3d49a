// Shared helpers for figure scripts: warm-up, medians, and the one-line JSON output bench/run.mjs reads.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const quick = process.argv.includes('--quick');

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value at quantile q (0..1) of a list of numbers. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Runs `fn` `warmups` times unmeasured, then `runs` times; returns each run's result. */
export async function repeat(fn, { runs = quick ? 3 : 5, warmups = 1 } = {}) {
  for (let i = 0; i < warmups; i++) await fn();
  const out = [];
  for (let i = 0; i < runs; i++) out.push(await fn());
  return out;
}

/** Bytes of every file under `path`, sub-folders included. */
export async function directoryBytes(path) {
  let total = 0;
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

/** Prints the figures as the last stdout line, the format bench/run.mjs reads. */
export function report(figures) {
  process.stdout.write('\n' + JSON.stringify({ figures }) + '\n');
}

/**
 * Opens an embedded ledger in `directory` with the Ministry of Justice registered as the lawyer-licence
 * issuer under a fresh ES256 key, as every ledger-backed figure starts.
 * @returns `{ network, did, key, moj }` — `moj` is a Registry acting as MojMSP/operator
 */
export async function openMojLedger(directory, { fsync = true } = {}) {
  const { generateIssuerKey, ledgers, Registry } = await import('@credledger/sdk');
  const did = 'did:web:moj.gov.tw';
  const network = await ledgers.embedded({ directory, fsync });
  const key = generateIssuerKey('ES256', { did });
  const governance = new Registry(network.connect('NdcMSP/admin'));
  await governance.init({ governanceMspIds: ['NdcMSP'] });
  await governance.registerIssuer({
    did,
    mspId: 'MojMSP',
    name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
    credentialTypes: ['LawyerLicenceCredential'],
    keys: [{ kid: key.kid, publicKeyJwk: key.publicKeyJwk, validFrom: '2020-01-01T00:00:00.000Z' }],
  });
  return { network, did, key, moj: new Registry(network.connect('MojMSP/operator')) };
}

/** A lawyer-licence CSV with `count` distinct, valid rows; `offset` keeps licence numbers unique across files. */
export function licenceCsv(count, offset) {
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

/**
 * CPU time of this process's waited-for children (user, system) in ms, from /proc (Linux; null
 * elsewhere): how much of a run the kernel took.
 */
export function childCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // After "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14; ticks of 10 ms.
    return { user: Number(fields[13]) * 10, system: Number(fields[14]) * 10 };
  } catch {
    return null;
  }
}

const cli = fileURLToPath(new URL('../cli/dist/credledger.js', import.meta.url));
const cliEnv = {
  ...process.env,
  CREDLEDGER_KEY_PASSPHRASE: 'bench passphrase',
  CREDLEDGER_IDENTITY_PASSPHRASE: 'bench identity passphrase',
  CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING',
  LANG: 'en_US.UTF-8',
};

/**
 * Runs the built `credledger` with `args` to completion, timed as an operator sees it (process start to
 * exit). Throws when it fails.
 * @returns `{ ms, stdout, stderr, user, system }` — the child's CPU time in ms (null off Linux)
 */
export function runCli(args) {
  const before = childCpu();
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, ...args], {
    env: cliEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`credledger ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const after = childCpu();
  return {
    ms,
    stdout: result.stdout,
    stderr: result.stderr,
    user: after ? after.user - before.user : null,
    system: after ? after.system - before.system : null,
  };
}

/** Debian's Chromium, or undefined when it is not installed (`apt-get install -y chromium`). */
export const chromiumPath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));

/** Headless Chromium at `chromiumPath` through playwright-core, with nothing running beside the page. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
