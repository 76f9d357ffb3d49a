#!/usr/bin/env node
// tracking.webhook.p50/p99: time from a committed status change (submit resolved) to its webhook
// arriving at a receiver on loopback, one change at a time, through the whole path (ledger event →
// ingest → durable outbox + checkpoint → signed POST).
// tracking.fanout1000: status changes per second delivered to 1,000 subscriptions of one credential
// (every change is 1,000 signed POSTs), from the first submit until the last delivery arrived.
// Real embedded ledger (fsync on) in a temp dir, real HTTP on 127.0.0.1.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createTrackingService, ledgers, openSubscriptionStore, Registry } from '@credledger/sdk';
import { median, quantile, quick, report } from './lib.mjs';

const latencyRuns = quick ? 50 : 300;
const fanoutChanges = quick ? 5 : 20;
const subscribers = 1000;
const did = 'did:web:moj.gov.tw';
const type = 'LawyerLicenceCredential';

const b64 = (text) => Buffer.from(text, 'utf8').toString('base64url');
const newId = (n) => {
  const hex = createHash('sha256').update(`bench ${process.pid} ${n}`).digest('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
// Shaped like a credential: the tracking service checks the digest against the anchor, not the signature.
const jwsOf = (id) =>
  `${b64(JSON.stringify({ alg: 'ES256', typ: 'vc+jwt', kid: `${did}#key-1` }))}.${b64(JSON.stringify({ id, jti: id, iss: did }))}.${b64(`sig ${id}`)}`;
const digestOf = (text) => createHash('sha256').update(text).digest('hex');

const dir = await mkdtemp(join(tmpdir(), 'credledger-bench-tracking-'));
try {
  const network = await ledgers.embedded({ directory: join(dir, 'ledger') });
  const as = (identity) => new Registry(network.connect(identity));
  await as('NdcMSP/admin').init({ governanceMspIds: ['NdcMSP'] });
  const coordinate = (seed) => createHash('sha256').update(seed).digest('base64url');
  await as('NdcMSP/admin').registerIssuer({
    did,
    mspId: 'MojMSP',
    name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
    credentialTypes: [type],
    keys: [
      {
        kid: `${did}#key-1`,
        publicKeyJwk: { kty: 'EC', crv: 'P-256', x: coordinate('x'), y: coordinate('y') },
        validFrom: '2020-01-01T00:00:00Z',
      },
    ],
  });
  const latencyId = newId(1);
  const fanoutId = newId(2);
  const operator = as('MojMSP/operator');
  await operator.issueCredentials({
    issuerDid: did,
    credentials: [latencyId, fanoutId].map((id) => ({
      id,
      digest: digestOf(jwsOf(id)),
      type,
      kid: `${did}#key-1`,
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: null,
      subjectDigest: digestOf(`subject of ${id}`),
    })),
  });

  // Receiver: resolves a waiter per idempotency key (latency) and counts fan-out deliveries.
  const waiters = new Map();
  const early = new Map();
  let fanoutReceived = 0;
  let fanoutDone;
  let fanoutTarget = Infinity;
  const receiver = createServer((request, response) => {
    const key = String(request.headers['idempotency-key']);
    request.resume();
    request.on('end', () => {
      const arrived = performance.now();
      response.writeHead(204).end();
      if (key.endsWith(fanoutId)) {
        fanoutReceived += 1;
        if (fanoutReceived >= fanoutTarget) fanoutDone?.(arrived);
      } else if (waiters.has(key)) {
        waiters.get(key)(arrived);
      } else {
        early.set(key, arrived);
      }
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${receiver.address().port}/hook`;

  const stateDir = join(dir, 'serve');
  const reader = as('NdcMSP/auditor');
  const store = await openSubscriptionStore(stateDir);
  await store.add(reader, { url: hook, credentials: [jwsOf(latencyId)] }, { allowLoopbackHttp: true });
  for (let i = 0; i < subscribers; i++)
    await store.add(reader, { url: `${hook}?s=${i}`, credentials: [jwsOf(fanoutId)] }, { allowLoopbackHttp: true });
  await store.close();

  const tracking = await createTrackingService({
    ledger: network.connect('NdcMSP/auditor'),
    stateDir,
    startBlock: network.height(),
    delivery: { allowLoopbackHttp: true },
  });
  tracking.start();

  const toggle = (id, i) =>
    operator.setCredentialStatus(
      i % 2 === 0
        ? { id, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' }
        : { id, status: 'ACTIVE', reason: 'SUSPENSION_LIFTED' },
    );

  // Latency, one change at a time (the first few warm up and are not counted).
  const warmups = 5;
  const latencies = [];
  for (let i = 0; i < latencyRuns + warmups; i++) {
    let resolveArrival;
    const arrival = new Promise((resolve) => (resolveArrival = resolve));
    const pending = toggle(latencyId, i);
    const { txId } = await pending;
    const committed = performance.now();
    const key = `${txId}:${latencyId}`;
    // The delivery may arrive before submit resolves (the commit event races the commit reply): then it is 0.
    if (early.has(key)) resolveArrival(early.get(key));
    else waiters.set(key, resolveArrival);
    const arrived = await arrival;
    if (i >= warmups) latencies.push(Math.max(0, arrived - committed));
  }

  // Fan-out: changes to one credential followed by 1,000 subscriptions.
  fanoutTarget = fanoutChanges * subscribers;
  const done = new Promise((resolve) => (fanoutDone = resolve));
  const started = performance.now();
  for (let i = 0; i < fanoutChanges; i++) await toggle(fanoutId, i);
  const finished = await done;
  const seconds = (finished - started) / 1000;

  await tracking.close();
  receiver.close();
  await network.close();

  const round = (x) => Math.round(x * 100) / 100;
  report([
    {
      name: 'tracking.webhook.p50',
      value: round(median(latencies)),
      unit: 'ms',
      baseline: null,
      note: `${latencies.length} changes, one at a time, embedded ledger with fsync, loopback receiver`,
    },
    {
      name: 'tracking.webhook.p99',
      value: round(quantile(latencies, 0.99)),
      unit: 'ms',
      baseline: null,
    },
    {
      name: 'tracking.fanout1000',
      value: round(fanoutChanges / seconds),
      unit: 'changes/s',
      baseline: null,
      note: `${fanoutChanges} changes × ${subscribers} subscriptions = ${fanoutTarget} signed POSTs in ${round(seconds)} s (${Math.round(fanoutTarget / seconds)} deliveries/s)`,
    },
  ]);
} finally {
  await rm(dir, { recursive: true, force: true });
}
