#!/usr/bin/env node
// verify.offline: full offline verifications per second — the sdk's verifyCredentials (batch API) with
// offlineStatusSource over a governance-signed trust list and the issuer's signed revocation + suspension
// status lists (every check: decode, issuer, key window, signature, status, validity).
//
// Baseline, same run, same credentials, same cores: bare WebCrypto ES256 verify of the very signing
// inputs (header.payload and signature of each JWT) with one imported key, 64 in flight per worker —
// the physical limit of verification on this machine; everything else the sdk does (decode, issuer,
// key window, status lists, validity) is measured against it.
//
// Peer figure (verify.offline.didJwt), same run: did-jwt verifyJWT with a did-resolver Resolver whose
// `web` method returns the issuer's DID document (built by the sdk from the same issuer record), a
// fresh options object per call (verifyJWT mutates its options). It checks the signature and nbf/exp
// only.
//
// Every all-core figure runs one worker thread per core, each with its own status source, key or
// resolver, verifying its share of the same credentials; the sdk worker keeps 64 verifications in
// flight (verifyCredentials), did-jwt's are synchronous pure-JS crypto, one at a time. The three are
// interleaved run by run so that load from other processes hits all alike. The note gives the
// single-core rates (main thread, one verification at a time), the sdk's batch API on the main thread
// alone, and the crypto ceiling (WebCrypto verify alone, sequential and concurrent).
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const { Resolver } = await import('did-resolver');
const { verifyJWT } = await import('did-jwt');
const { offlineStatusSource, verifyCredential, verifyCredentials } = await import('@credledger/verify');
const { issuerDidDocument } = await import('@credledger/sdk');

/** Verifies `jwts` with the sdk; returns verifications/s, checking every verdict. */
async function sdkVerifyAll(world, jwts) {
  const status = offlineStatusSource({
    trustList: world.trustList,
    governanceKeys: world.governanceKeys,
    statusLists: world.statusLists,
  });
  const revoked = new Set(world.revoked);
  const start = performance.now();
  for (const { id, jwt } of jwts) {
    const { verdict } = await verifyCredential(jwt, { status });
    if (verdict !== (revoked.has(id) ? 'REVOKED' : 'VALID')) throw new Error(`sdk verdict ${verdict} for ${id}`);
  }
  return jwts.length / ((performance.now() - start) / 1000);
}

/** Verifies `jwts` with the sdk's batch API (`concurrency` in flight); returns verifications/s, checking every verdict. */
async function sdkBatchVerifyAll(world, jwts, concurrency = 64) {
  const status = offlineStatusSource({
    trustList: world.trustList,
    governanceKeys: world.governanceKeys,
    statusLists: world.statusLists,
  });
  const revoked = new Set(world.revoked);
  const start = performance.now();
  const results = await verifyCredentials(
    jwts.map(({ jwt }) => jwt),
    { status },
    { concurrency },
  );
  const rate = jwts.length / ((performance.now() - start) / 1000);
  results.forEach(({ verdict }, i) => {
    const { id } = jwts[i];
    if (verdict !== (revoked.has(id) ? 'REVOKED' : 'VALID')) throw new Error(`sdk batch verdict ${verdict} for ${id}`);
  });
  return rate;
}

/** Verifies `jwts` with did-jwt's verifyJWT; returns verifications/s. */
async function didJwtVerifyAll(world, jwts) {
  const didDocument = issuerDidDocument(world.issuer);
  const resolver = new Resolver({
    web: async (did) =>
      did === world.issuer.did
        ? { didDocument, didResolutionMetadata: { contentType: 'application/did+json' }, didDocumentMetadata: {} }
        : { didDocument: null, didResolutionMetadata: { error: 'notFound' }, didDocumentMetadata: {} },
  });
  const start = performance.now();
  for (const { jwt } of jwts) {
    // A fresh options object per call: did-jwt stores the resolved authenticator in it.
    const { verified } = await verifyJWT(jwt, { resolver });
    if (!verified) throw new Error('did-jwt did not verify a genuine credential');
  }
  return jwts.length / ((performance.now() - start) / 1000);
}

/** The crypto ceiling: WebCrypto ECDSA verify of the same JWTs with one imported key, nothing else. */
async function webCryptoVerifyAll(world, jwts, concurrency = 1) {
  const key = await crypto.subtle.importKey(
    'jwk',
    world.issuer.keys[0].publicKeyJwk,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const encoder = new TextEncoder();
  let next = 0;
  const lane = async () => {
    while (next < jwts.length) {
      const { jwt } = jwts[next++];
      const dot = jwt.lastIndexOf('.');
      const ok = await crypto.subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        key,
        Buffer.from(jwt.slice(dot + 1), 'base64url'),
        encoder.encode(jwt.slice(0, dot)),
      );
      if (!ok) throw new Error('WebCrypto did not verify a genuine credential');
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  return jwts.length / ((performance.now() - start) / 1000);
}

if (!isMainThread) {
  const { world, jwts, mode } = workerData;
  const run =
    mode === 'sdk'
      ? () => sdkBatchVerifyAll(world, jwts)
      : mode === 'webcrypto'
        ? () => webCryptoVerifyAll(world, jwts, 64)
        : () => didJwtVerifyAll(world, jwts);
  await run(); // warm-up
  parentPort.postMessage('ready');
  parentPort.on('message', async () => parentPort.postMessage(await run()));
} else {
  await main();
}

/** Builds the world: issuer, governance key, credentials (1% revoked), trust list, status lists. */
async function buildWorld(count) {
  const {
    createSignPool,
    credentialSigner,
    anchorRecordOf,
    generateIssuerKey,
    getCredentialType,
    nodeCredentialSigner,
    publishStatusLists,
    signTrustList,
    statusIndexAllocators,
    validateSubject,
  } = await import('@credledger/sdk');
  const { createSampleGenerator } = await import('../packages/issuer/test/helpers/sample-credentials.ts');
  const did = 'did:web:moj.gov.tw';
  const base = 'https://verify.moj.gov.tw';
  const now = new Date();
  const key = generateIssuerKey('ES256', { did });
  const governanceKey = generateIssuerKey('ES256', { did: 'did:web:ndc.gov.tw' });
  const issuer = {
    did,
    mspId: 'MojMSP',
    name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
    credentialTypes: ['LawyerLicenceCredential'],
    keys: [
      {
        kid: key.kid,
        publicKeyJwk: key.publicKeyJwk,
        validFrom: new Date(now.getTime() - 86_400_000).toISOString(),
        validUntil: null,
        compromisedSince: null,
      },
    ],
    status: 'ACTIVE',
    registeredAt: new Date(now.getTime() - 86_400_000).toISOString(),
    updatedAt: new Date(now.getTime() - 86_400_000).toISOString(),
  };
  const gen = createSampleGenerator(11);
  const allocator = statusIndexAllocators.inMemory();
  const pool = createSignPool({ privateKey: key.privateKey, alg: 'ES256', kid: key.kid });
  const sign = credentialSigner({
    type: getCredentialType('LawyerLicenceCredential'),
    issuerDid: did,
    key,
    allocator,
    statusBaseUrl: base,
    validFrom: new Date(now.getTime() - 3_600_000),
    validUntil: new Date(now.getTime() + 10 * 365 * 86_400_000),
    pool,
  });
  const items = Array.from({ length: count }, () => ({
    id: `urn:uuid:${crypto.randomUUID()}`,
    subject: validateSubject('LawyerLicenceCredential', gen.lawyerLicence().payload.credentialSubject),
  }));
  const jwts = (await sign(items)).map((jwt, i) => ({ id: items[i].id, jwt }));
  await pool.close();
  const revoked = items.filter((_, i) => i % 100 === 99).map((item) => item.id);
  const revokedSet = new Set(revoked);
  const records = jwts.map(({ jwt }) => {
    const anchor = anchorRecordOf(jwt);
    const isRevoked = revokedSet.has(anchor.id);
    return {
      ...anchor,
      issuerDid: did,
      status: isRevoked ? 'REVOKED' : 'ACTIVE',
      reason: isRevoked ? 'DISBARMENT' : null,
      anchoredAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
  });
  const listKey = { kid: key.kid, alg: 'ES256', signer: nodeCredentialSigner(key.privateKey) };
  const { lists } = await publishStatusLists({
    issuerDid: did,
    baseUrl: base,
    records,
    allocations: {
      revocation: await allocator.allocations(did, 'revocation'),
      suspension: await allocator.allocations(did, 'suspension'),
    },
    now: new Date(now.getTime() - 60_000),
    key: listKey,
  });
  const statusLists = Object.fromEntries(lists.map((list) => [list.url, list.jwt]));
  const trustList = await signTrustList(
    {
      issuers: [issuer],
      issuedAt: new Date(now.getTime() - 60_000),
      validUntil: new Date(now.getTime() + 7 * 86_400_000),
      governanceDid: 'did:web:ndc.gov.tw',
    },
    { kid: governanceKey.kid, alg: 'ES256', signer: nodeCredentialSigner(governanceKey.privateKey) },
  );
  return {
    jwts,
    world: {
      issuer,
      trustList,
      governanceKeys: [{ kid: governanceKey.kid, publicKeyJwk: governanceKey.publicKeyJwk }],
      statusLists,
      revoked,
    },
  };
}

async function main() {
  const { median, quick, repeat, report } = await import('./lib.mjs');
  const cores = availableParallelism();
  const sdkCount = quick ? 2_000 : 5_000;
  // did-jwt is ~40× slower: fewer credentials per run (the first valid ones of the same set) keep runs
  // near the sdk's in length.
  const didJwtCount = quick ? 150 : 400;
  const didJwtAllCount = didJwtCount * cores;
  const { jwts, world } = await buildWorld(sdkCount);
  const valid = jwts.filter(({ id }) => !world.revoked.includes(id));
  const didJwtSet = valid.slice(0, didJwtCount);
  const didJwtAllSet = valid.slice(0, didJwtAllCount);

  // Single core, one verification at a time, interleaved so that load from other processes hits all alike.
  await sdkVerifyAll(world, jwts);
  await didJwtVerifyAll(world, didJwtSet);
  await webCryptoVerifyAll(world, jwts);
  const singles = await repeat(
    async () => [
      await sdkVerifyAll(world, jwts),
      await didJwtVerifyAll(world, didJwtSet),
      await webCryptoVerifyAll(world, jwts),
      await sdkBatchVerifyAll(world, jwts),
      await webCryptoVerifyAll(world, jwts, 64),
    ],
    { warmups: 0 },
  );
  const sdkSingle = median(singles.map((p) => p[0]));
  const didJwtSingle = median(singles.map((p) => p[1]));
  const ceilingSingle = median(singles.map((p) => p[2]));
  const sdkBatchMain = median(singles.map((p) => p[3]));
  const ceilingInFlight = median(singles.map((p) => p[4]));

  // Every core: one worker per core, each verifying its share; wall time from "go" to the last answer.
  async function pool(mode, set) {
    const workers = Array.from(
      { length: cores },
      (_, w) =>
        new Worker(new URL(import.meta.url), {
          workerData: { world, mode, jwts: set.filter((_, i) => i % cores === w) },
        }),
    );
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    return {
      async run() {
        const start = performance.now();
        await Promise.all(
          workers.map(
            (worker) =>
              new Promise((resolve, reject) => {
                worker.once('message', resolve);
                worker.once('error', reject);
                worker.postMessage('go');
              }),
          ),
        );
        return set.length / ((performance.now() - start) / 1000);
      },
      close: () => Promise.all(workers.map((worker) => worker.terminate())),
    };
  }
  const sdkPool = await pool('sdk', jwts);
  const webCryptoPool = await pool('webcrypto', jwts);
  const didJwtPool = await pool('did-jwt', didJwtAllSet);
  // Idle workers wait for a message and use no CPU: each run has the cores to itself.
  const runs = await repeat(async () => [await sdkPool.run(), await webCryptoPool.run(), await didJwtPool.run()], {
    runs: quick ? 3 : 7,
  });
  await sdkPool.close();
  await webCryptoPool.close();
  await didJwtPool.close();
  const sdkAll = median(runs.map((p) => p[0]));
  const webCryptoAll = median(runs.map((p) => p[1]));
  const didJwtAll = median(runs.map((p) => p[2]));
  const spread = (i) => {
    const ratios = runs.map((p) => p[0] / p[i]).sort((a, b) => a - b);
    return `${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}`;
  };

  const common =
    `${sdkCount} ES256 lawyer licences (1% revoked, verdicts checked) per sdk and WebCrypto run, the first ${didJwtAllSet.length} valid ones per all-core did-jwt run; ` +
    `sdk = offlineStatusSource (trust list + revocation/suspension lists, all checks), a new source per run; did-jwt = verifyJWT with a did:web Resolver per worker, fresh options per call (signature + nbf/exp only); ` +
    `medians of ${runs.length} all-core and ${singles.length} single-core interleaved runs after a warm-up`;
  report([
    {
      name: 'verify.offline',
      value: sdkAll,
      unit: 'verifications/s',
      baseline: { name: 'bare WebCrypto ES256 verify', value: webCryptoAll },
      note:
        `on ${cores} cores, one worker thread per core on each side (sdk: verifyCredentials, 64 in flight per worker; WebCrypto: crypto.subtle.verify of the same signing inputs, 64 in flight per worker), ratio per interleaved run ${spread(1)}; ` +
        `single core (main thread, one at a time): sdk ${Math.round(sdkSingle)}/s, WebCrypto verify alone ${Math.round(ceilingSingle)}/s (sdk at ${Math.round((100 * sdkSingle) / ceilingSingle)}%); ` +
        `main thread with 64 in flight (WebCrypto's thread pool on every core): sdk verifyCredentials ${Math.round(sdkBatchMain)}/s, WebCrypto verify alone ${Math.round(ceilingInFlight)}/s (sdk at ${Math.round((100 * sdkBatchMain) / ceilingInFlight)}%); ` +
        common,
    },
    {
      name: 'verify.offline.didJwt',
      value: sdkAll,
      unit: 'verifications/s',
      baseline: { name: 'did-jwt verifyJWT', value: didJwtAll },
      note:
        `the sdk's all-core rate beside did-jwt's (the peer most JavaScript verifiers use), ratio per interleaved run ${spread(2)}; single core: did-jwt ${Math.round(didJwtSingle)}/s (sdk ${(sdkSingle / didJwtSingle).toFixed(1)}×); ` +
        common,
    },
  ]);
}
