#!/usr/bin/env node
// qr.render.png: QR code PNGs per second on every core with renderPngBatch (the credential link of a
// signed lawyer licence, ECC M, 4 px per module, worker threads started and stopped within each call
// as a caller pays for them). No baseline: the goal is to report the rate.
import { availableParallelism } from 'node:os';
import { median, quick, repeat, report } from './lib.mjs';
import {
  createSignPool,
  credentialSigner,
  encodeCredentialLink,
  generateIssuerKey,
  getCredentialType,
  readQrImage,
  renderPng,
  renderPngBatch,
  statusIndexAllocators,
  validateSubject,
} from '@credledger/sdk';
import { createSampleGenerator } from '../packages/issuer/test/helpers/sample-credentials.ts';

const cores = availableParallelism();
const perRun = quick ? 100 : 300;
const did = 'did:web:moj.gov.tw';
const base = 'https://verify.moj.gov.tw/';

// Real credential links: lawyer licences signed by the sdk, encoded by the QR codec.
const key = generateIssuerKey('ES256', { did });
const pool = createSignPool({ privateKey: key.privateKey, alg: 'ES256', kid: key.kid });
const gen = createSampleGenerator(5);
const sign = credentialSigner({
  type: getCredentialType('LawyerLicenceCredential'),
  issuerDid: did,
  key,
  allocator: statusIndexAllocators.inMemory(),
  statusBaseUrl: 'https://verify.moj.gov.tw',
  pool,
});
const items = Array.from({ length: perRun }, () => ({
  id: `urn:uuid:${crypto.randomUUID()}`,
  subject: validateSubject('LawyerLicenceCredential', gen.lawyerLicence().payload.credentialSubject),
}));
const links = (await sign(items)).map((jwt) => encodeCredentialLink(jwt, base));
await pool.close();

// The PNGs must be real: one decodes back to its link.
const [check] = await renderPngBatch(links.slice(0, 1));
if ((await readQrImage(check)) !== links[0]) throw new Error('a rendered PNG does not decode back to its link');

let bytes = 0;
const runs = await repeat(async () => {
  const start = performance.now();
  const pngs = await renderPngBatch(links);
  const rate = links.length / ((performance.now() - start) / 1000);
  if (pngs.length !== links.length) throw new Error('renderPngBatch returned a wrong count');
  bytes = pngs.reduce((sum, png) => sum + png.length, 0) / pngs.length;
  return rate;
});

// For scale: one thread with renderPng.
const oneThread = await repeat(async () => {
  const n = Math.min(30, links.length);
  const start = performance.now();
  for (let i = 0; i < n; i++) await renderPng(links[i]);
  return n / ((performance.now() - start) / 1000);
});

const value = median(runs);
report([
  {
    name: 'qr.render.png',
    value,
    unit: 'PNGs/s',
    baseline: null,
    note:
      `${perRun} signed lawyer-licence links per renderPngBatch call on ${cores} cores (workers started per call), avg ${Math.round(bytes)} B per PNG, ECC M, 4 px/module; ` +
      `one thread with renderPng: ${Math.round(median(oneThread))}/s; medians of ${runs.length} runs after a warm-up (${runs.map(Math.round).join(', ')})`,
  },
]);
