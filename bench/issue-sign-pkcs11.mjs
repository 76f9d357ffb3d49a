#!/usr/bin/env node
// issue.signPkcs11: lawyer licences validated, built, signed in a PKCS#11 token and digested per second,
// the way `issue-batch` does it with a token key: the sdk issuer's `signCredentials` (validateSubject,
// status index allocation, building the payload, SHA-256 of the signing input, CKM_ECDSA in the token
// through @credledger/pkcs11's session pool, low-S, the JWS digest), chunks of 2,000 with two in flight
// as the issuer pipelines them. The token is SoftHSM 2, fresh, in a temp directory.
//
// Baseline, same run, same token and key: SoftHSM's own C_Sign rate through pkcs11js alone (no
// credledger code) on the SHA-256 digests of the very signing inputs signed above — C_SignInit + C_Sign
// and nothing else. Measured two ways, and the higher one is the baseline: one session signing
// synchronously on the main thread, and the same number of sessions as the pool each with one
// C_SignAsync in flight (the token's rate with concurrency).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { median, quick, repeat, report } from './lib.mjs';

const goal = '≥ 0.8 of SoftHSM raw C_Sign rate';
const figure = { name: 'issue.signPkcs11', unit: 'credentials/s', goal };
const module = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
].find((path) => existsSync(path));
const util = spawnSync('softhsm2-util', ['--version'], { encoding: 'utf8' });
if (util.status !== 0 || module === undefined) {
  report([
    { ...figure, value: null, meetsGoal: null, note: 'skipped: SoftHSM 2 not installed (apt-get install softhsm2)' },
  ]);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'credledger-bench-softhsm-'));
try {
  await main(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function main(dir) {
  // SoftHSM reads its configuration from the process environment when the module initialises.
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  const label = 'bench';
  const pin = '135790';
  const init = spawnSync(
    'softhsm2-util',
    ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', `${pin}1`],
    {
      encoding: 'utf8',
    },
  );
  if (init.status !== 0) throw new Error(`softhsm2-util: ${init.stderr}`);

  const { openToken } = await import('../packages/pkcs11/dist/index.js');
  const { createIssuer, statusIndexAllocators } = await import('../packages/issuer/dist/index.js');
  const { createSampleGenerator } = await import('../packages/issuer/test/helpers/sample-credentials.ts');

  const perRun = quick ? 6_000 : 20_000;
  const chunk = 2_000; // the issuer's anchor batch: what issue-batch signs at once
  const issuerDid = 'did:web:moj.gov.tw';
  const kid = `${issuerDid}#key-2`;

  const token = await openToken({ module, label, pin });
  const key = await token.generateKey('moj-licence-bench');
  const gen = createSampleGenerator(11);
  const rawSubjects = Array.from({ length: perRun }, () => ({ ...gen.lawyerLicence().payload.credentialSubject }));

  let digests = [];
  let jwtChars = 0;
  async function issuerRun() {
    const issuer = createIssuer({
      registry: {},
      issuerDid,
      key: { kid, alg: 'ES256', credentialSigner: key.credentialSigner },
      statusAllocator: statusIndexAllocators.inMemory(),
      statusBaseUrl: 'https://verify.moj.gov.tw',
    });
    const validity = { validFrom: new Date('2026-01-05T00:00:00Z'), validUntil: new Date('2036-01-05T00:00:00Z') };
    const inFlight = [];
    const start = performance.now();
    for (let i = 0; i < perRun; i += chunk) {
      const items = rawSubjects
        .slice(i, i + chunk)
        .map((subject) => ({ id: `urn:uuid:${crypto.randomUUID()}`, subject }));
      inFlight.push(issuer.signCredentials('LawyerLicenceCredential', items, validity));
      // Two chunks in flight: the next is built while the token signs this one.
      if (inFlight.length >= 2) await inFlight[inFlight.length - 2];
    }
    const signed = (await Promise.all(inFlight)).flat();
    const seconds = (performance.now() - start) / 1000;
    await issuer.close();
    if (signed.length !== perRun || signed.some((s) => s.digest.length !== 64)) throw new Error('wrong result');
    digests = signed.map((s) =>
      createHash('sha256')
        .update(s.jwt.slice(0, s.jwt.lastIndexOf('.')))
        .digest(),
    );
    jwtChars = signed[0].jwt.length;
    return perRun / seconds;
  }

  // The baseline: pkcs11js alone, its own sessions on the same token (the login is the application's).
  const pkcs11js = createRequire(import.meta.url)('pkcs11js');
  const raw = new pkcs11js.PKCS11();
  raw.load(module);
  try {
    raw.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (error.code !== 0x191) throw error; // CKR_CRYPTOKI_ALREADY_INITIALIZED: @credledger/pkcs11 did
  }
  const slot = raw.C_GetSlotList(true).find((s) => raw.C_GetTokenInfo(s).label.trim() === label);
  const sessions = Array.from({ length: token.sessions }, () => raw.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION));
  raw.C_FindObjectsInit(sessions[0], [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_LABEL, value: 'moj-licence-bench' },
  ]);
  const [privateKey] = raw.C_FindObjects(sessions[0], 1);
  raw.C_FindObjectsFinal(sessions[0]);
  const mechanism = { mechanism: pkcs11js.CKM_ECDSA };

  function rawSync() {
    const session = sessions[0];
    const start = performance.now();
    for (const digest of digests) {
      raw.C_SignInit(session, mechanism, privateKey);
      raw.C_Sign(session, digest, Buffer.alloc(64));
    }
    return digests.length / ((performance.now() - start) / 1000);
  }
  async function rawConcurrent() {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      sessions.map(async (session) => {
        while (next < digests.length) {
          const digest = digests[next++];
          raw.C_SignInit(session, mechanism, privateKey);
          await raw.C_SignAsync(session, digest, Buffer.alloc(64));
        }
      }),
    );
    return digests.length / ((performance.now() - start) / 1000);
  }

  await issuerRun();
  rawSync();
  await rawConcurrent();
  // Interleaved (issuer, raw sync, raw concurrent, …) so that load from other processes hits all alike.
  const runs = await repeat(async () => [await issuerRun(), rawSync(), await rawConcurrent()], { warmups: 0 });
  for (const session of sessions) raw.C_CloseSession(session);
  await token.close();

  const value = median(runs.map((r) => r[0]));
  const sync = median(runs.map((r) => r[1]));
  const concurrent = median(runs.map((r) => r[2]));
  const baseline = Math.max(sync, concurrent);
  const list = (i) => runs.map((r) => Math.round(r[i])).join(', ');
  report([
    {
      ...figure,
      value,
      baseline: {
        name: `SoftHSM raw C_Sign (${sync >= concurrent ? '1 session, sync' : `${token.sessions} sessions, async`})`,
        value: baseline,
      },
      meetsGoal: value >= 0.8 * baseline,
      note:
        `${perRun} lawyer licences per run (${jwtChars}-char JWTs): createIssuer().signCredentials with the key of a fresh ` +
        `SoftHSM ${util.stdout.trim()} token through @credledger/pkcs11 (${token.sessions} sessions), chunks of ${chunk}, 2 in flight; ` +
        `raw = pkcs11js alone, C_SignInit + C_Sign (CKM_ECDSA) of the same digests: 1 session sync median ${Math.round(sync)}/s, ` +
        `${token.sessions} sessions with C_SignAsync median ${Math.round(concurrent)}/s, the higher is the baseline; ` +
        `medians of ${runs.length} interleaved runs after a warm-up (issuer ${list(0)}; raw sync ${list(1)}; raw async ${list(2)})`,
    },
  ]);
}
