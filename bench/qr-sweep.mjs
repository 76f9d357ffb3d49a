#!/usr/bin/env node
// QR version distribution of credential links per credential type, over randomised credentials.
// Every link is decoded back and compared with the signed JWT byte for byte; any mismatch fails the run.
//
//   node bench/qr-sweep.mjs [--count 300] [--seed 1] [--json]
//
// Output: a table, then as the last line the figures bench/run.mjs reads
// (`{"figures":[qr.version.lawyer, qr.version.economic]}`, each beside the plain `vc+jwt` link of the
// same credentials); with --json one JSON document instead (bench/qr-versions.mjs reads that).
// Needs the built sdk (`npx tsc -b sdk`) and Node >= 24 (it loads the TypeScript test-data generator
// directly). Base URLs: the goal assumes a verifier base URL of at most 27 characters, the length of
// https://verify.moea.gov.tw/ (the longer of the two ministries'); each further character costs 8 bits.
import { parseArgs, TextEncoder } from 'node:util';
import QRCode from 'qrcode';

import { decodeCredentialLink } from '@credledger/verify';
import { credentialLinkSegments, encodeCredentialLink } from '@credledger/verify/formats';
import { createSampleGenerator } from '../packages/issuer/test/helpers/sample-credentials.ts';

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
/** Longest plain `<base>#<JWT>` link per type: a single byte segment's version only grows with its length. */
const longestPlain = {};
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
  const plain = `${base}#${credential.jwt}`;
  if (plain.length > (longestPlain[type] ?? '').length) longestPlain[type] = plain;
}

for (let i = 0; i < count; i++) {
  // packages/issuer/src/credentials writes payload keys in data-model order; other orders round-trip too, less compactly.
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
  const plainVersion = (link) =>
    QRCode.create([{ mode: 'byte', data: new TextEncoder().encode(link) }], { errorCorrectionLevel: 'M' }).version;
  const figure = (name, type, goal) => {
    const list = summary.filter((s) => s.goal === goal && rows[s.label].type === type);
    const worst = Math.max(...list.map((s) => s.maxVersion));
    const distribution = list
      .map(
        (s) =>
          `${s.label}: ${Object.entries(s.versions)
            .map(([v, n]) => `v${v}×${n}`)
            .join(' ')}`,
      )
      .join('; ');
    return {
      name,
      value: worst,
      unit: 'QR version',
      baseline: { name: 'plain vc+jwt link', value: plainVersion(longestPlain[type]) },
      goal: `≤ ${goal}`,
      meetsGoal: mismatches === 0 && worst <= goal,
      note: `distribution at ECC M over ${count} random credentials per row (seed ${values.seed}), ${mismatches} byte-exact round-trip mismatches: ${distribution}`,
    };
  };
  console.log(
    JSON.stringify({
      figures: [
        figure('qr.version.lawyer', 'LawyerLicenceCredential', goals.LawyerLicenceCredential),
        figure('qr.version.economic', 'EconomicCertificateCredential', goals.EconomicCertificateCredential),
      ],
    }),
  );
}
process.exitCode = mismatches === 0 && summary.every((s) => s.meetsGoal) ? 0 : 1;
