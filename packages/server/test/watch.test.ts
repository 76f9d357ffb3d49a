/**
 * Tracking on a real embedded ledger: the watch() stream and its checkpoints, then the tracking service
 * mounted in the real server with a webhook receiver and an SSE client on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkpointers } from '@credledger/ledger';
import {
  createTrackingService,
  signWebhook,
  startServer,
  verifyWebhookSignature,
  watch,
  webhookKeysPath,
  webhookSigningKey,
  type RunningServer,
  type StatusChangeEvent,
  type TrackingService,
} from '@credledger/server';
import { generateKeyPairSync } from 'node:crypto';
import {
  anchorOf,
  companyRegistration,
  lawyerLicence,
  moeaDid,
  moeaOperator,
  mojDid,
  mojOperator,
  ndcAuditor,
  openWorld,
  type World,
} from '../../issuer/test/registry-world.js';
import { anchorHeld, httpJson, Receiver, SseClient } from './watch-world.js';

let world: World;
let scratch: string;

beforeAll(async () => {
  world = await openWorld();
  scratch = await mkdtemp(join(tmpdir(), 'credledger-watch-'));
}, 60_000);

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed
  await world?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const ledger = () => world.network.connect(ndcAuditor);

/** One request with exactly these headers (fetch would add its own CORS-relevant ones); the body is read and dropped. */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Takes `count` changes from a stream, then aborts it after asking for one more (so the last is checkpointed). */
async function take(
  stream: AsyncIterable<StatusChangeEvent>,
  count: number,
  abort: AbortController,
): Promise<StatusChangeEvent[]> {
  const out: StatusChangeEvent[] = [];
  for await (const change of stream) {
    out.push(change);
    if (out.length === count) abort.abort();
  }
  return out;
}

describe('watch()', () => {
  it('delivers the watched changes in ledger order and resumes from its checkpoint without repeats', async () => {
    const [a, b, c, d] = await anchorHeld(world, mojOperator, mojDid, lawyerLicence, 4);
    const ids = [a!.id, b!.id, d!.id];
    const path = join(scratch, 'resume.checkpoint.json');
    const startBlock = world.network.height();
    const moj = world.as(mojOperator);
    const tx1 = await moj.setCredentialStatus({ id: a!.id, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' });
    await moj.setCredentialStatus({ id: c!.id, status: 'REVOKED', reason: 'DISBARMENT' });
    const tx3 = await moj.setCredentialStatuses({
      issuerDid: mojDid,
      changes: [
        { id: b!.id, status: 'REVOKED', reason: 'SURRENDERED' },
        { id: a!.id, status: 'REVOKED', reason: 'DISBARMENT' },
      ],
    });

    const first = new AbortController();
    const seen = await take(
      watch(ledger(), { ids }, { checkpoint: await checkpointers.file(path), startBlock, signal: first.signal }),
      3,
      first,
    );
    expect(seen.map((s) => [s.id, s.from, s.to, s.reason, s.txId])).toEqual([
      [a!.id, 'ACTIVE', 'SUSPENDED', 'DISCIPLINARY_SUSPENSION', tx1.txId],
      [b!.id, 'ACTIVE', 'REVOKED', 'SURRENDERED', tx3.txId],
      [a!.id, 'SUSPENDED', 'REVOKED', 'DISBARMENT', tx3.txId],
    ]);
    expect(seen[1]!.blockNumber).toBe(tx3.blockNumber);
    expect(seen[1]!.idempotencyKey).toBe(`${tx3.txId}:${b!.id}`);
    // The transaction timestamp, read from the credential's history.
    const history = await world.as(ndcAuditor).getCredentialHistory(a!.id);
    expect(seen[0]!.at).toBe(history.find((h) => h.txId === tx1.txId)?.time);

    // A new change after the stop; a new stream on the same checkpoint file sees only it.
    const tx4 = await moj.setCredentialStatus({ id: d!.id, status: 'SUSPENDED', reason: 'COURT_ORDER' });
    const second = new AbortController();
    const resumed = await take(
      watch(ledger(), { ids }, { checkpoint: await checkpointers.file(path), signal: second.signal }),
      1,
      second,
    );
    expect(resumed.map((s) => [s.id, s.txId])).toEqual([[d!.id, tx4.txId]]);
  }, 60_000);

  it('delivers the revocation of a superseded credential, which travels in its successor’s issuance event', async () => {
    const [old] = await anchorHeld(world, mojOperator, mojDid, lawyerLicence, 1);
    const startBlock = world.network.height();
    const record = await world.as(mojOperator).getCredential(old!.id);
    const successor = anchorOf(mojDid, lawyerLicence, { subjectDigest: record.subjectDigest });
    const renewed = await world
      .as(mojOperator)
      .issueCredentials({ issuerDid: mojDid, credentials: [successor], supersede: true });
    const abort = new AbortController();
    const path = join(scratch, 'supersede.checkpoint.json');
    const seen = await take(
      watch(
        ledger(),
        { ids: [old!.id] },
        { checkpoint: await checkpointers.file(path), startBlock, signal: abort.signal },
      ),
      1,
      abort,
    );
    expect(seen.map((s) => [s.id, s.from, s.to, s.reason, s.txId])).toEqual([
      [old!.id, 'ACTIVE', 'REVOKED', 'SUPERSEDED', renewed.txId],
    ]);
  });

  it('replays the rest of a transaction from a cursor, and filters by issuer and by type', async () => {
    const [m1, m2] = await anchorHeld(world, mojOperator, mojDid, lawyerLicence, 2);
    const [e1] = await anchorHeld(world, moeaOperator, moeaDid, companyRegistration, 1);
    const startBlock = world.network.height();
    const both = await world.as(mojOperator).setCredentialStatuses({
      issuerDid: mojDid,
      changes: [
        { id: m1!.id, status: 'SUSPENDED', reason: 'COURT_ORDER' },
        { id: m2!.id, status: 'SUSPENDED', reason: 'COURT_ORDER' },
      ],
    });
    const moea = await world
      .as(moeaOperator)
      .setCredentialStatus({ id: e1!.id, status: 'REVOKED', reason: 'ISSUED_IN_ERROR' });

    const all = new AbortController();
    const seen = await take(
      watch(
        ledger(),
        { ids: [m1!.id, m2!.id, e1!.id] },
        { checkpoint: checkpointers.inMemory(), startBlock, signal: all.signal },
      ),
      3,
      all,
    );
    expect(seen.map((s) => s.id)).toEqual([m1!.id, m2!.id, e1!.id]);

    const fromCursor = new AbortController();
    const rest = await take(
      watch(
        ledger(),
        { ids: [m1!.id, m2!.id, e1!.id] },
        { checkpoint: checkpointers.inMemory(), after: seen[0]!.cursor, signal: fromCursor.signal },
      ),
      2,
      fromCursor,
    );
    expect(rest.map((s) => [s.id, s.txId])).toEqual([
      [m2!.id, both.txId],
      [e1!.id, moea.txId],
    ]);

    // A transaction's position (as a checkpoint holds it) resumes after the whole transaction.
    const afterBoth = new AbortController();
    const next = await take(
      watch(
        ledger(),
        { ids: [m1!.id, m2!.id, e1!.id] },
        { checkpoint: checkpointers.inMemory(), after: `${both.blockNumber}:${both.txId}`, signal: afterBoth.signal },
      ),
      1,
      afterBoth,
    );
    expect(next.map((s) => s.txId)).toEqual([moea.txId]);

    const byIssuer = new AbortController();
    const moeaOnly = await take(
      watch(
        ledger(),
        { issuer: moeaDid },
        { checkpoint: checkpointers.inMemory(), startBlock, signal: byIssuer.signal },
      ),
      1,
      byIssuer,
    );
    expect(moeaOnly.map((s) => s.id)).toEqual([e1!.id]);

    const byType = new AbortController();
    const typed = await take(
      watch(
        ledger(),
        { type: lawyerLicence },
        { checkpoint: checkpointers.inMemory(), startBlock, signal: byType.signal },
      ),
      2,
      byType,
    );
    expect(typed.map((s) => s.id)).toEqual([m1!.id, m2!.id]);
  }, 60_000);
});

describe('tracking service in serve', () => {
  let tracking: TrackingService;
  let server: RunningServer;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.listen();
    tracking = await createTrackingService({
      ledger: ledger(),
      stateDir: join(scratch, 'serve'),
      startBlock: world.network.height(),
      delivery: { allowLoopbackHttp: true, initialBackoffMs: 10, maxBackoffMs: 50, maxAttempts: 10_000 },
    });
    server = await startServer({ ledger: ledger(), port: 0, rateLimit: false, tracking });
    tracking.start();
  }, 60_000);

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed
    await tracking?.close();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed
    await server?.close();
    await receiver.close();
  });

  it('answers CORS preflights of its routes under the API policy: every origin by default, only the listed ones when restricted', async () => {
    const origin = 'https://bank.example';
    const preflight = await raw(server.url, 'OPTIONS', '/api/v1/subscriptions', {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toBe('POST, OPTIONS');
    expect(preflight.headers['access-control-allow-headers']).toBe(
      'Accept, Authorization, Content-Type, Last-Event-ID',
    );
    const manage = await raw(server.url, 'OPTIONS', '/api/v1/subscriptions/sub_abc', {
      Origin: origin,
      'Access-Control-Request-Method': 'DELETE',
      'Access-Control-Request-Headers': 'authorization',
    });
    expect(manage).toMatchObject({
      status: 204,
      headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, DELETE, OPTIONS' },
    });
    // The answers themselves carry the policy too (here a refused body, so nothing is created).
    expect(
      await raw(
        server.url,
        'POST',
        '/api/v1/subscriptions',
        { Origin: origin, 'Content-Type': 'application/json' },
        '{}',
      ),
    ).toMatchObject({ status: 400, headers: { 'access-control-allow-origin': '*' } });
    // Only JSON is read as a subscription; the body limit holds for any body.
    expect(
      await raw(server.url, 'POST', '/api/v1/subscriptions', { 'Content-Type': 'text/plain' }, 'subscribe me'),
    ).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(
      await raw(
        server.url,
        'POST',
        '/api/v1/subscriptions',
        { 'Content-Type': 'application/json' },
        JSON.stringify({ url: 'x'.repeat(300 * 1024) }),
      ),
    ).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(
      await raw(server.url, 'POST', '/api/v1/subscriptions', { 'Content-Type': 'application/json' }, '{"url":'),
    ).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });

    const restricted = await startServer({
      ledger: ledger(),
      port: 0,
      rateLimit: false,
      tracking,
      corsOrigins: [origin],
    });
    try {
      const allowed = await raw(restricted.url, 'OPTIONS', '/api/v1/subscriptions', {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
      });
      expect(allowed).toMatchObject({
        status: 204,
        headers: { 'access-control-allow-origin': origin, vary: 'Origin' },
      });
      const other = await raw(restricted.url, 'OPTIONS', '/api/v1/subscriptions', {
        Origin: 'https://elsewhere.example',
        'Access-Control-Request-Method': 'POST',
      });
      expect(other.status).toBe(204);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      expect(await raw(restricted.url, 'GET', '/api/v1/tracking', { Origin: origin })).toMatchObject({
        status: 200,
        headers: { 'access-control-allow-origin': origin },
      });
      const elsewhere = await raw(restricted.url, 'GET', '/api/v1/tracking', { Origin: 'https://elsewhere.example' });
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await restricted.close();
    }
  }, 60_000);

  it('ends its JSON answers with one newline, as the rest of the API does', async () => {
    for (const path of [
      '/api/v1/tracking',
      '/.well-known/credledger-webhook-keys.json',
      '/api/v1/subscriptions/sub_x',
    ]) {
      const text = await (await fetch(new URL(path, server.url))).text();
      expect([path, text.endsWith('}\n'), text.trimEnd().includes('\n')]).toEqual([path, true, false]);
    }
  });

  it('refuses a subscription without proof of holding the credential', async () => {
    const [held] = await anchorHeld(world, mojOperator, mojDid, lawyerLicence, 1);
    const [other] = await anchorHeld(world, mojOperator, mojDid, lawyerLicence, 1);
    const subscribe = (body: unknown) => httpJson('POST', `${server.url}/api/v1/subscriptions`, body);
    // Another credential's JWS relabelled with this id: its digest is not the anchored one.
    const relabelled = other!.jws.split('.');
    const payload = Buffer.from(JSON.stringify({ id: held!.id, jti: held!.id })).toString('base64url');
    expect(
      await subscribe({ url: receiver.url, credentials: [`${relabelled[0]}.${payload}.${relabelled[2]}`] }),
    ).toMatchObject({ status: 403, body: { error: { code: 'ACCESS_DENIED' } } });
    // The digest is public (the read API shows it), so it proves nothing and is not accepted.
    const record = await world.as(ndcAuditor).getCredential(held!.id);
    expect(await subscribe({ url: receiver.url, credentials: [record.digest] })).toMatchObject({
      status: 400,
      body: { error: { code: 'CREDENTIAL_MALFORMED' } },
    });
    expect(await subscribe({ url: receiver.url, credentials: [] })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_INPUT' } },
    });
    expect(await subscribe({ url: 'http://example.org/hook', credentials: [held!.jws] })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_INPUT' } },
    });
    // No subscription by issuer: nothing in the API lists an issuer's credentials.
    expect(await subscribe({ url: receiver.url, issuer: mojDid })).toMatchObject({ status: 400 });
    // With the JWS itself it is accepted.
    const created = await subscribe({ url: receiver.url, credentials: [held!.jws] });
    expect(created).toMatchObject({
      status: 201,
      body: { subscription: { credentialIds: [held!.id], url: receiver.url } },
    });
    const { subscription, token } = created.body as { subscription: { id: string }; token: string };
    expect(await httpJson('GET', `${server.url}/api/v1/subscriptions/${subscription.id}`)).toMatchObject({
      status: 404,
    });
    expect(
      await httpJson('GET', `${server.url}/api/v1/subscriptions/${subscription.id}`, undefined, {
        Authorization: 'Bearer wrong',
      }),
    ).toMatchObject({ status: 404 });
    expect(
      await httpJson('GET', `${server.url}/api/v1/subscriptions/${subscription.id}`, undefined, {
        Authorization: `Bearer ${token}`,
      }),
    ).toMatchObject({ status: 200, body: { id: subscription.id, pending: 0 } });
    expect(
      await httpJson('DELETE', `${server.url}/api/v1/subscriptions/${subscription.id}`, undefined, {
        Authorization: `Bearer ${token}`,
      }),
    ).toMatchObject({ status: 204 });
    expect(
      await httpJson('GET', `${server.url}/api/v1/subscriptions/${subscription.id}`, undefined, {
        Authorization: `Bearer ${token}`,
      }),
    ).toMatchObject({ status: 404 });
  }, 60_000);

  it('brings a revoke to an SSE client and to a signed webhook; a forged webhook fails the documented check', async () => {
    const [held] = await anchorHeld(world, mojOperator, mojDid, lawyerLicence, 1);
    const created = await httpJson('POST', `${server.url}/api/v1/subscriptions`, {
      url: receiver.url,
      credentials: [held!.jws],
    });
    expect(created.status).toBe(201);
    const sse = new SseClient();
    await sse.open(`${server.url}/api/v1/watch?ids=${encodeURIComponent(held!.id)}`);
    expect(sse.status).toBe(200);

    const before = receiver.received.length;
    const revoke = await world
      .as(mojOperator)
      .setCredentialStatus({ id: held!.id, status: 'REVOKED', reason: 'DISBARMENT' });
    await Promise.all([sse.waitFor(1), receiver.waitFor(before + 1)]);
    sse.close();

    const message = sse.messages[0]!;
    expect(message.event).toBe('status');
    expect(message.id).toBe(`${revoke.blockNumber}:${revoke.txId}:0`);
    expect(JSON.parse(message.data)).toMatchObject({
      id: held!.id,
      from: 'ACTIVE',
      to: 'REVOKED',
      reason: 'DISBARMENT',
      txId: revoke.txId,
      blockNumber: String(revoke.blockNumber),
    });

    const delivery = receiver.received[before]!;
    expect(delivery.headers['idempotency-key']).toBe(`${revoke.txId}:${held!.id}`);
    expect(JSON.parse(delivery.body)).toMatchObject({
      type: 'credential.status-changed',
      idempotencyKey: `${revoke.txId}:${held!.id}`,
      change: { id: held!.id, to: 'REVOKED' },
    });

    // The receiver's check, with the keys the server publishes.
    const keys = await httpJson('GET', `${server.url}${webhookKeysPath}`);
    expect(keys.status).toBe(200);
    const header = String(delivery.headers['credledger-signature']);
    const now = Date.now();
    expect(
      verifyWebhookSignature({ body: delivery.body, header, keys: keys.body as { keys: unknown[] }, now }),
    ).toMatchObject({ valid: true, kid: tracking.signingKey.publicJwk.kid });
    const forgedBody = delivery.body.replace('REVOKED', 'ACTIVE');
    expect(verifyWebhookSignature({ body: forgedBody, header, keys: keys.body as { keys: unknown[] }, now })).toEqual({
      valid: false,
      problem: 'BAD_SIGNATURE',
    });
    // Signed by someone else's key under the server's kid: still a bad signature.
    const impostor = webhookSigningKey(generateKeyPairSync('ed25519').privateKey);
    const t = Math.floor(now / 1000);
    const stolenKid = signWebhook(forgedBody, impostor, t).replace(
      impostor.publicJwk.kid,
      tracking.signingKey.publicJwk.kid,
    );
    expect(
      verifyWebhookSignature({ body: forgedBody, header: stolenKid, keys: keys.body as { keys: unknown[] }, now }),
    ).toEqual({ valid: false, problem: 'BAD_SIGNATURE' });
    expect(
      verifyWebhookSignature({
        body: forgedBody,
        header: signWebhook(forgedBody, impostor, t),
        keys: keys.body as { keys: unknown[] },
        now,
      }),
    ).toEqual({ valid: false, problem: 'UNKNOWN_KEY' });
    // A genuine request replayed an hour later is refused.
    expect(
      verifyWebhookSignature({
        body: delivery.body,
        header,
        keys: keys.body as { keys: unknown[] },
        now: now + 3_600_000,
      }),
    ).toEqual({ valid: false, problem: 'STALE_TIMESTAMP' });
    expect(
      verifyWebhookSignature({ body: delivery.body, header: undefined, keys: keys.body as { keys: unknown[] }, now }),
    ).toEqual({ valid: false, problem: 'MALFORMED_HEADER' });
  }, 60_000);

  it('resumes an SSE stream after Last-Event-ID', async () => {
    const [held] = await anchorHeld(world, mojOperator, mojDid, lawyerLicence, 1);
    const url = `${server.url}/api/v1/watch?ids=${encodeURIComponent(held!.id)}`;
    const first = new SseClient();
    await first.open(url);
    const moj = world.as(mojOperator);
    await moj.setCredentialStatus({ id: held!.id, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' });
    await first.waitFor(1);
    first.close();
    // Changes while disconnected.
    const lifted = await moj.setCredentialStatus({ id: held!.id, status: 'ACTIVE', reason: 'SUSPENSION_LIFTED' });
    const revoked = await moj.setCredentialStatus({ id: held!.id, status: 'REVOKED', reason: 'DISBARMENT' });
    const again = new SseClient();
    await again.open(url, { 'Last-Event-ID': first.messages[0]!.id! });
    await again.waitFor(2);
    again.close();
    expect(again.messages.map((m) => (JSON.parse(m.data) as { txId: string }).txId)).toEqual([
      lifted.txId,
      revoked.txId,
    ]);
  }, 60_000);

  it('brings every change, in order and once per idempotency key, to a receiver that was down for a while', async () => {
    const held = await anchorHeld(world, mojOperator, mojDid, lawyerLicence, 3);
    const late = new Receiver();
    const url = await late.listen();
    const port = late.port;
    const created = await httpJson('POST', `${server.url}/api/v1/subscriptions`, {
      url,
      credentials: held.map((h) => h.jws),
    });
    const { subscription, token } = created.body as { subscription: { id: string }; token: string };
    await late.close();

    const moj = world.as(mojOperator);
    const expected: string[] = [];
    for (const h of held)
      expected.push(
        `${(await moj.setCredentialStatus({ id: h.id, status: 'SUSPENDED', reason: 'COURT_ORDER' })).txId}:${h.id}`,
      );
    const both = await moj.setCredentialStatuses({
      issuerDid: mojDid,
      changes: held.slice(0, 2).map((h) => ({ id: h.id, status: 'REVOKED' as const, reason: 'COURT_ORDER' as const })),
    });
    expected.push(...held.slice(0, 2).map((h) => `${both.txId}:${h.id}`));

    // Wait until the service has failed at least twice against the closed port, then bring the receiver back.
    for (;;) {
      const state = await httpJson('GET', `${server.url}/api/v1/subscriptions/${subscription.id}`, undefined, {
        Authorization: `Bearer ${token}`,
      });
      const { attempts, pending } = state.body as { attempts: number; pending: number };
      if (attempts >= 2 && pending === expected.length) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await late.listen(port);
    await late.waitFor(expected.length);
    await tracking.idle();
    expect(late.keys()).toEqual(expected);
    expect(late.received.map((r) => Number(r.headers['credledger-delivery-attempt']))[0]).toBeGreaterThan(2);
    await late.close();
  }, 60_000);
});

describe('an SSE stream across a restart of serve', () => {
  it('announces its starting point, so a client that had no change yet gets the one made while serve was stopped, once', async () => {
    const [held] = await anchorHeld(world, mojOperator, mojDid, lawyerLicence, 1);
    const stateDir = join(scratch, 'serve-restart');
    const open = async (): Promise<{ tracking: TrackingService; server: RunningServer }> => {
      const tracking = await createTrackingService({ ledger: ledger(), stateDir, startBlock: world.network.height() });
      const server = await startServer({ ledger: ledger(), port: 0, rateLimit: false, tracking });
      tracking.start();
      return { tracking, server };
    };
    const stop = async ({ tracking, server }: { tracking: TrackingService; server: RunningServer }): Promise<void> => {
      await tracking.close();
      await server.close();
    };

    let running = await open();
    const path = `/api/v1/watch?ids=${encodeURIComponent(held!.id)}`;
    const first = new SseClient();
    await first.open(`${running.server.url}${path}`);
    await stop(running);
    expect(first.messages).toEqual([]);
    expect(first.lastEventId).toBeDefined();

    const moj = world.as(mojOperator);
    const suspended = await moj.setCredentialStatus({ id: held!.id, status: 'SUSPENDED', reason: 'COURT_ORDER' });
    running = await open();
    try {
      const again = new SseClient();
      await again.open(`${running.server.url}${path}`, { 'Last-Event-ID': first.lastEventId! });
      await again.waitFor(1);
      // A later change marks the end: nothing else came on the stream before it.
      const lifted = await moj.setCredentialStatus({ id: held!.id, status: 'ACTIVE', reason: 'SUSPENSION_LIFTED' });
      await again.waitFor(2);
      again.close();
      expect(again.messages.map((m) => (JSON.parse(m.data) as { txId: string }).txId)).toEqual([
        suspended.txId,
        lifted.txId,
      ]);
    } finally {
      await stop(running);
    }
  }, 60_000);
});
