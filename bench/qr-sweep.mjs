#!/usr/bin/env node
// QR version distribution of credential links per credential type, over randomised credentials.
// Every link is decoded back and compared with the signed JWT byte for byte; any mismatch fails the run.
//
//   node bench/qr-sweep.mjs [--count 300] [--seed 1] [--json]
//
// Needs the built sdk (`npx tsc -b sdk`) and Node >= 24 (it loads the TypeScript test-data generator
// directly). Base URLs: the goal assumes a verifier base URL of at most 27 characters, the length of
// https://verify.moea.gov.tw/ (the longer of the two ministries'); each further character costs 8 bits.
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';

import { credentialLinkSegments, decodeCredentialLink, encodeCredentialLink } from '../sdk/dist/qr/codec.js';
import { createSampleGenerator } from '../sdk/test/helpers/sample-credentials.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const gen = createSampleGenerator(Number(values.seed));

const goals = { LawyerLicenceCredential: 11, EconomicCertificateCredential: 12 };
const baseUrls = {
  LawyerLicenceCredential: 'https://verify.moj.gov.tw/',
  EconomicCertificateCredential: 'https://verify.moea.gov.tw/',
};

const rows = {};
let mismatches = 0;
function record(label, type, credential) {
  const base = baseUrls[type];
  const link = encodeCredentialLink(credential.jwt, base);
  const decoded = decodeCredentialLink(link);
  if (!('jwt' in decoded) || decoded.jwt !== credential.jwt) mismatches++;
  const { version } = QRCode.create(credentialLinkSegments(link), { errorCorrectionLevel: 'M' });
  const row = (rows[label] ??= { type, goal: goals[type], n: 0, versions: {}, digits: [], jwtChars: [] });
  row.n++;
  row.versions[version] = (row.versions[version] ?? 0) + 1;
  row.digits.push(link.length - base.length - 1);
  row.jwtChars.push(credential.jwt.length);
}

for (let i = 0; i < count; i++) {
  // sdk/src/credentials writes payload keys in data-model order; other orders round-trip too, less compactly.
  const keyOrder = 'data-model';
  const alg = i % 10 === 9 ? 'EdDSA' : 'ES256';
  record('lawyer licence', 'LawyerLicenceCredential', gen.lawyerLicence({ alg, keyOrder }));
  for (const kind of ['company-registration', 'factory-registration', 'certificate-of-origin']) {
    record(`economic: ${kind}`, 'EconomicCertificateCredential', gen.economicCertificate(kind, { alg, keyOrder }));
  }
}

const summary = Object.entries(rows).map(([label, r]) => {
  const maxVersion = Math.max(...Object.keys(r.versions).map(Number));
  const avg = (a) => Math.round(a.reduce((s, x) => s + x, 0) / a.length);
  return {
    label,
    n: r.n,
    goal: r.goal,
    maxVersion,
    meetsGoal: maxVersion <= r.goal,
    versions: r.versions,
    avgDigits: avg(r.digits),
    maxDigits: Math.max(...r.digits),
    avgJwtChars: avg(r.jwtChars),
  };
});

if (values.json) {
  console.log(JSON.stringify({ count, seed: Number(values.seed), baseUrls, mismatches, summary }, null, 2));
} else {
  console.log(
    `QR version distribution at ECC M, ${count} credentials per row (seed ${values.seed}); base URLs ${Object.values(baseUrls).join(', ')}`,
  );
  for (const s of summary) {
    const dist = Object.entries(s.versions)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([v, n]) => `v${v}: ${n} (${((100 * n) / s.n).toFixed(1)}%)`)
      .join(', ');
    console.log(
      `${s.label.padEnd(38)} ${dist}  | max v${s.maxVersion}, goal ≤ v${s.goal} ${s.meetsGoal ? 'met' : 'MISSED'} | digits avg ${s.avgDigits} max ${s.maxDigits} | plain JWT avg ${s.avgJwtChars} chars`,
    );
  }
  console.log(`byte-exact round trips: ${count * 4 - mismatches}/${count * 4}`);
}
process.exitCode = mismatches === 0 && summary.every((s) => s.meetsGoal) ? 0 : 1;
