#!/usr/bin/env node
// qr.version.lawyer / qr.version.economic, from bench/qr-sweep.mjs (which owns the sweep: randomised
// credentials, every link decoded back byte for byte): this adapter runs it with --json and turns its
// summary into the figures bench/run.mjs reads.
//
// Baseline, same run: the QR version at ECC M of the plain `vc+jwt` link (`<base URL>#<JWT>`, byte mode)
// of the same generator's credentials (same seed, count and call order as the sweep). A single byte
// segment's version only grows with its length, so the longest plain link per type gives the worst one.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { quick, report } from './lib.mjs';
import { createSampleGenerator } from '../packages/issuer/test/helpers/sample-credentials.ts';

const here = dirname(fileURLToPath(import.meta.url));
const count = quick ? 100 : 300;
const seed = 1;
const sweep = spawnSync(
  process.execPath,
  [join(here, 'qr-sweep.mjs'), '--json', '--count', String(count), '--seed', String(seed)],
  { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
);
let result;
try {
  result = JSON.parse(sweep.stdout);
} catch {
  throw new Error(`qr-sweep.mjs gave no JSON (exit ${sweep.status}): ${sweep.stderr.slice(0, 500)}`);
}

// The sweep's sequence: per i, one lawyer licence then the three economic kinds; every tenth EdDSA.
const gen = createSampleGenerator(seed);
const longest = { lawyer: '', economic: '' };
for (let i = 0; i < count; i++) {
  const options = { alg: i % 10 === 9 ? 'EdDSA' : 'ES256', keyOrder: 'data-model' };
  const lawyer = `${result.baseUrls.LawyerLicenceCredential}#${gen.lawyerLicence(options).jwt}`;
  if (lawyer.length > longest.lawyer.length) longest.lawyer = lawyer;
  for (const kind of ['company-registration', 'factory-registration', 'certificate-of-origin']) {
    const link = `${result.baseUrls.EconomicCertificateCredential}#${gen.economicCertificate(kind, options).jwt}`;
    if (link.length > longest.economic.length) longest.economic = link;
  }
}
const plainVersion = (link) =>
  QRCode.create([{ mode: 'byte', data: new TextEncoder().encode(link) }], { errorCorrectionLevel: 'M' }).version;

const rows = result.summary;
const lawyerRows = rows.filter((r) => r.label.startsWith('lawyer'));
const economicRows = rows.filter((r) => r.label.startsWith('economic'));
const worst = (list) => Math.max(...list.map((r) => r.maxVersion));
const distribution = (list) =>
  list
    .map(
      (r) =>
        `${r.label}: ${Object.entries(r.versions)
          .map(([v, n]) => `v${v}×${n}`)
          .join(' ')}`,
    )
    .join('; ');
const common = `${count} random credentials per row (seed ${seed}${quick ? '; quick: the goal asks for ≥ 300, the full run uses 300' : ''}), ${result.mismatches} byte-exact round-trip mismatches`;
report([
  {
    name: 'qr.version.lawyer',
    value: worst(lawyerRows),
    unit: 'QR version',
    baseline: { name: 'plain vc+jwt link', value: plainVersion(longest.lawyer) },
    valid: result.mismatches === 0,
    note: `worst version at ECC M; ${common}; ${distribution(lawyerRows)}; plain link up to ${longest.lawyer.length} chars`,
  },
  {
    name: 'qr.version.economic',
    value: worst(economicRows),
    unit: 'QR version',
    baseline: { name: 'plain vc+jwt link', value: plainVersion(longest.economic) },
    valid: result.mismatches === 0,
    note: `worst version at ECC M over company registration, factory registration and certificate of origin; ${common}; ${distribution(economicRows)}; plain link up to ${longest.economic.length} chars`,
  },
]);
