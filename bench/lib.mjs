// Shared helpers for figure scripts: warm-up, medians, and the one-line JSON output bench/run.mjs reads.

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
  const { generateIssuerKey, ledgers, Registry } = await import('../sdk/dist/index.js');
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
