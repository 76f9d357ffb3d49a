#!/usr/bin/env node
// issue.sign: credentials validated, built, signed (ES256) and digested per second on every core, the
// way `issue-batch` does it: the sdk issuer's own `signCredentials` (checks ids, validateSubject,
// status index allocation, the credential's JSON on the main thread; its signing pool, one worker per
// core, building the JWS, signing and digesting), chunks of 2,000 with two in flight so the main thread
// prepares the next chunk while the workers sign.
//
// Baseline, same run: raw node:crypto ES256 signs per second of the same signing inputs
// (base64url header.payload of the very credentials signed above) on one worker thread per core,
// no JWS assembly, no digest, no building.
import { sign } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

if (!isMainThread) {
  // Baseline worker: signs the inputs it is sent, as fast as node:crypto allows.
  const { privateKey } = workerData;
  parentPort.on('message', (inputs) => {
    let bytes = 0;
    for (const input of inputs) bytes += sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }).length;
    parentPort.postMessage(bytes);
  });
} else {
  await main();
}

async function main() {
  const { median, quick, repeat, report } = await import('./lib.mjs');
  const { createIssuer, createSignPool, generateIssuerKey, statusIndexAllocators } = await import('@credledger/sdk');
  const { createSampleGenerator } = await import('../packages/issuer/test/helpers/sample-credentials.ts');

  const cores = availableParallelism();
  const perRun = quick ? 6_000 : 20_000;
  const chunk = 2_000; // the issuer's anchor batch size: what it signs at once
  const issuerDid = 'did:web:moj.gov.tw';
  const key = generateIssuerKey('ES256', { did: issuerDid });
  const { privateKey } = key;

  // Raw subjects as an agency's CSV would give them (validated inside the measured loop).
  const gen = createSampleGenerator(7);
  const rawSubjects = Array.from({ length: perRun }, () => ({ ...gen.lawyerLicence().payload.credentialSubject }));
  const validity = { validFrom: new Date('2026-01-05T00:00:00Z'), validUntil: new Date('2036-01-05T00:00:00Z') };

  // One signing pool (one worker per core) for every run, started by the warm-up run; each run a fresh
  // issuer with a fresh status index, as one `issue-batch` has (the same 20,000 more allocations each
  // run would fill the first status list and slow allocation down). It signs only, so it never
  // reaches a ledger.
  const pool = createSignPool({ privateKey, alg: 'ES256', kid: key.kid });

  let lastJwts = [];
  let jwtChars = 0;
  async function sdkRun() {
    const issuer = createIssuer({
      registry: {},
      issuerDid,
      key,
      statusAllocator: statusIndexAllocators.inMemory(),
      statusBaseUrl: 'https://verify.moj.gov.tw',
      signPool: pool,
    });
    const inFlight = [];
    const start = performance.now();
    for (let i = 0; i < perRun; i += chunk) {
      const items = rawSubjects
        .slice(i, i + chunk)
        .map((subject) => ({ id: `urn:uuid:${crypto.randomUUID()}`, subject }));
      inFlight.push(issuer.signCredentials('LawyerLicenceCredential', items, validity));
      // Two chunks in flight: the main thread prepares the next while the workers sign.
      if (inFlight.length >= 2) await inFlight[inFlight.length - 2];
    }
    const signed = (await Promise.all(inFlight)).flat();
    const seconds = (performance.now() - start) / 1000;
    if (signed.length !== perRun || signed.some((s) => s.digest.length !== 64))
      throw new Error('the issuer returned a wrong result');
    lastJwts = signed.map((s) => s.jwt);
    jwtChars = signed[0].jwt.length;
    return perRun / seconds;
  }

  // The baseline signs the same signing inputs (encoded header . encoded payload); a warm-up run
  // produces them.
  await sdkRun();
  const inputs = lastJwts.map((jwt) => Buffer.from(jwt.slice(0, jwt.lastIndexOf('.'))));
  const workers = Array.from(
    { length: cores },
    () => new Worker(new URL(import.meta.url), { workerData: { privateKey } }),
  );
  const slices = workers.map((_, w) => inputs.filter((_, i) => i % cores === w));
  const once = (worker, slice) =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(slice);
    });
  async function nativeRun() {
    const start = performance.now();
    await Promise.all(workers.map((worker, w) => once(worker, slices[w])));
    return inputs.length / ((performance.now() - start) / 1000);
  }
  await nativeRun();
  // Interleaved (sdk, native, sdk, native …) so that load from other processes hits both alike.
  const pairs = await repeat(async () => [await sdkRun(), await nativeRun()], { warmups: 0 });
  const sdkRates = pairs.map((p) => p[0]);
  const nativeRates = pairs.map((p) => p[1]);
  await pool.close();
  await Promise.all(workers.map((w) => w.terminate()));

  const value = median(sdkRates);
  const native = median(nativeRates);
  report([
    {
      name: 'issue.sign',
      value,
      unit: 'credentials/s',
      baseline: { name: 'native sign', value: native },
      note:
        `${perRun} lawyer licences per run (${jwtChars}-char JWTs), createIssuer().signCredentials (validate, allocate, ` +
        `build on the main thread; a signing pool of ${pool.size} workers on ${cores} cores), chunks of ${chunk}, 2 in flight; ` +
        `native = node:crypto sign('sha256', ieee-p1363) of the same signing inputs on ${cores} worker threads; ` +
        `medians of ${sdkRates.length} interleaved runs after a warm-up (sdk runs ${sdkRates.map(Math.round).join(', ')}; native ${nativeRates.map(Math.round).join(', ')})`,
    },
  ]);
}
