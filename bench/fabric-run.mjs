// The Fabric figures, run by bench/fabric.mjs only when network/ has written connection files.
//
//   fabric.batchedVsSingle   anchors/s with 1,000 anchors per IssueCredentials transaction, beside
//                            anchors/s with one per transaction (both submitted one after another)
//   fabric.issue.single.p50  ms per one-credential IssueCredentials submit (endorse, order, commit)
//   fabric.status.read.p50   ms per GetCredential evaluate of an anchored credential
//
// It anchors synthetic credential records (random ids and digests, the issuer's active key) on the
// network it is pointed at: run it against a test network only. When no organisation with a
// connection file has an ACTIVE issuer yet (a freshly deployed network), it registers one for the
// first issuer operator's organisation through a governance admin's connection file beside it. Every failure is reported as such in
// the figure's note; no number is ever made up.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { median, quantile, quick, repeat } from './lib.mjs';
import { ledgers, Registry } from '@credledger/sdk';

const perTx = 1_000;

/** Runs the Fabric figures with the connection file `profilePath` (or another one beside it that can issue). */
export async function runFabricBench(profilePath) {
  const blank = (note) => [
    {
      name: 'fabric.batchedVsSingle',
      value: null,
      unit: 'anchors/s',
      baseline: null,
      note,
    },
    { name: 'fabric.issue.single.p50', value: null, unit: 'ms', baseline: null, note },
    { name: 'fabric.status.read.p50', value: null, unit: 'ms', baseline: null, note },
  ];
  let chosen;
  let registered = '';
  try {
    chosen = await findIssuingProfile(profilePath);
    if (!chosen) {
      registered = await registerBenchIssuer(dirname(profilePath));
      if (registered) chosen = await findIssuingProfile(profilePath);
    }
  } catch (error) {
    return blank(`failed: ${describe(error)}`);
  }
  if (!chosen)
    return blank(
      `skipped: no connection file in ${dirname(profilePath)} belongs to an organisation with an ACTIVE registered issuer and an active key, and none is a governance admin's with an issuer operator's beside it to register one`,
    );
  if (registered) chosen.profile += ' (issuer registered by the bench)';
  const { ledger, registry, issuer, kid, profile } = chosen;
  try {
    return await measure(registry, issuer, kid, profile);
  } catch (error) {
    return blank(`failed with ${profile}: ${describe(error)}`);
  } finally {
    await ledger.close();
  }
}

function describe(error) {
  return error instanceof Error ? `${error.code ?? error.name} ${error.message}`.slice(0, 300) : String(error);
}

/** True when `key` may sign now: started, not retired, not compromised. */
function keyActive(key, now) {
  return (
    Date.parse(key.validFrom) <= now &&
    (key.validUntil === null || Date.parse(key.validUntil) > now) &&
    key.compromisedSince === null
  );
}

/**
 * The `credledger.role` attribute of a Fabric CA enrollment certificate (the extension
 * 1.2.3.4.5.6.7.8.1 holds `{"attrs":{…}}` as text), or null when it has none (cryptogen).
 */
function roleOf(pem) {
  const raw = new X509Certificate(pem).raw.toString('latin1');
  const start = raw.indexOf('{"attrs":');
  if (start < 0) return null;
  for (let end = raw.indexOf('}}', start); end >= 0; end = raw.indexOf('}}', end + 1)) {
    try {
      return JSON.parse(raw.slice(start, end + 2)).attrs?.['credledger.role'] ?? null;
    } catch {
      // not the end of the JSON text yet
    }
  }
  return null;
}

/**
 * The first connection file (the given one first, then the others beside it) whose organisation has an
 * ACTIVE issuer on the ledger with an active key, and whose identity may issue (an identity with
 * another `credledger.role`, e.g. an auditor's `<org>.auditor.json`, is passed over). Returns the open
 * ledger, or undefined.
 */
async function findIssuingProfile(profilePath) {
  const dir = dirname(profilePath);
  const others = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== basename(profilePath))
    .sort();
  for (const file of [basename(profilePath), ...others]) {
    const path = join(dir, file);
    let ledger;
    try {
      ledger = await ledgers.fabric({ profile: path, idempotentTransactions: ['IssueCredentials'] });
    } catch {
      continue; // not a connection file, or its identity cannot be loaded here
    }
    const role = roleOf(ledger.identity.certificate);
    if (role !== null && role !== 'issuer-operator') {
      await ledger.close();
      continue;
    }
    const registry = new Registry(ledger);
    const now = Date.now();
    let issuers;
    try {
      issuers = await registry.listIssuers();
    } catch (error) {
      await ledger.close();
      throw new Error(`${file}: ${describe(error)}`);
    }
    const issuer = issuers.find(
      (i) => i.mspId === ledger.identity.mspId && i.status === 'ACTIVE' && i.keys.some((k) => keyActive(k, now)),
    );
    if (issuer) return { ledger, registry, issuer, kid: issuer.keys.find((k) => keyActive(k, now)).kid, profile: file };
    await ledger.close();
  }
  return undefined;
}

/** The connection files in `dir` with the identity's role, opened; the caller closes them. */
async function openByRole(dir) {
  const opened = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    try {
      const ledger = await ledgers.fabric({ profile: join(dir, file) });
      opened.push({ file, ledger, role: roleOf(ledger.identity.certificate) });
    } catch {
      // not a connection file, or its identity cannot be loaded here
    }
  }
  return opened;
}

/**
 * Registers an issuer for the first issuer operator's organisation, as the first governance admin,
 * with a fresh P-256 key valid from a minute ago. Returns its DID, or '' when either is missing.
 */
async function registerBenchIssuer(dir) {
  const opened = await openByRole(dir);
  try {
    const governance = opened.find((o) => o.role === 'governance-admin');
    const operator = opened.find((o) => o.role === 'issuer-operator');
    if (!governance || !operator) return '';
    const mspId = operator.ledger.identity.mspId;
    const did = `did:web:bench.credledger.example:${mspId.toLowerCase()}-${randomBytes(4).toString('hex')}`;
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
    await new Registry(governance.ledger).registerIssuer({
      did,
      mspId,
      name: { 'zh-TW': '效能測試機關', en: 'Benchmark agency' },
      credentialTypes: ['BenchmarkAnchorCredential'],
      keys: [
        {
          kid: `${did}#key-1`,
          publicKeyJwk: { kty, crv, x, y },
          validFrom: new Date(Date.now() - 60_000).toISOString(),
        },
      ],
    });
    return did;
  } finally {
    for (const { ledger } of opened) await ledger.close();
  }
}

function anchors(count, issuer, kid) {
  const type = issuer.credentialTypes[0];
  return Array.from({ length: count }, () => ({
    id: `urn:uuid:${randomUUID()}`,
    digest: createHash('sha256').update(randomUUID()).digest('hex'),
    type,
    kid,
    validFrom: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
    validUntil: null,
    // A subject of its own per anchor (one ACTIVE credential per subject).
    subjectDigest: createHash('sha256').update(randomUUID()).digest('hex'),
  }));
}

async function measure(registry, issuer, kid, profile) {
  const txPerRun = quick ? 2 : 4;
  const singlePerRun = quick ? 10 : 25;
  const readsPerRun = quick ? 30 : 100;

  const batchedRuns = await repeat(async () => {
    const requests = Array.from({ length: txPerRun }, () => anchors(perTx, issuer, kid));
    const start = performance.now();
    for (const credentials of requests) {
      const result = await registry.issueCredentials({ issuerDid: issuer.did, credentials });
      if (result.anchored.length !== perTx) throw new Error(`anchored ${result.anchored.length} of ${perTx}`);
    }
    return (txPerRun * perTx) / ((performance.now() - start) / 1000);
  });

  const anchoredIds = [];
  const singleRuns = await repeat(async () => {
    const ms = [];
    for (let i = 0; i < singlePerRun; i++) {
      const credentials = anchors(1, issuer, kid);
      const start = performance.now();
      await registry.issueCredentials({ issuerDid: issuer.did, credentials });
      ms.push(performance.now() - start);
      anchoredIds.push(credentials[0].id);
    }
    return { rate: singlePerRun / (ms.reduce((s, x) => s + x, 0) / 1000), p50: quantile(ms, 0.5) };
  });

  const readRuns = await repeat(async () => {
    const ms = [];
    for (let i = 0; i < readsPerRun; i++) {
      const id = anchoredIds[i % anchoredIds.length];
      const start = performance.now();
      const record = await registry.getCredential(id);
      ms.push(performance.now() - start);
      if (record.id !== id) throw new Error('GetCredential returned another record');
    }
    return quantile(ms, 0.5);
  });

  const batched = median(batchedRuns);
  const single = median(singleRuns.map((r) => r.rate));
  const common = `Fabric network of ${profile} (issuer ${issuer.did}), Registry over ledgers.fabric, submitted one after another`;
  return [
    {
      name: 'fabric.batchedVsSingle',
      value: batched,
      unit: 'anchors/s',
      baseline: { name: 'one per tx', value: single },
      note: `${txPerRun} × ${perTx} anchors per batched run, ${singlePerRun} one-anchor transactions per single run; ${common}; medians of ${batchedRuns.length} runs after a warm-up`,
    },
    {
      name: 'fabric.issue.single.p50',
      value: median(singleRuns.map((r) => r.p50)),
      unit: 'ms',
      baseline: null,
      note: `one-credential IssueCredentials submit to commit; ${common}; median of the runs' p50`,
    },
    {
      name: 'fabric.status.read.p50',
      value: median(readRuns),
      unit: 'ms',
      baseline: null,
      note: `GetCredential evaluate of anchored credentials, ${readsPerRun} per run; ${common}; median of the runs' p50`,
    },
  ];
}
