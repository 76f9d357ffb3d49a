/**
 * The HTTP status source against a real HTTP server speaking docs/api.md (a stand-in for
 * `credledger serve`), including the failure modes that must turn into UNVERIFIABLE.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { httpStatusSource, verifyCredential } from '@credledger/verify';
import { NOW, World } from './verify-world.js';

const world = new World();
let server: Server;
let base = '';
let mode: 'ok' | 'error' | 'garbage' = 'ok';
const asOf = '2026-11-27T09:59:59.000Z';

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (mode === 'error') {
      send(503, { error: { code: 'LEDGER_UNAVAILABLE', message: 'ledger unavailable' } });
      return;
    }
    if (mode === 'garbage') {
      send(200, '{"record": {"did": 1}');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const issuer = /^\/api\/v1\/issuers\/([^/]+)$/.exec(url.pathname);
    if (issuer) {
      const record = world.issuers.find((i) => i.did === decodeURIComponent(issuer[1]!));
      if (record) send(200, { record, asOf });
      else send(404, { error: { code: 'ISSUER_NOT_FOUND', message: '' } });
      return;
    }
    const credential = /^\/api\/v1\/credentials\/([^/]+)$/.exec(url.pathname);
    if (credential) {
      const record = world.records.get(decodeURIComponent(credential[1]!));
      if (record) send(200, { record, asOf });
      else send(404, { error: { code: 'CREDENTIAL_NOT_FOUND', message: '' } });
      return;
    }
    send(404, { error: { code: 'NOT_FOUND', message: '' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

describe('httpStatusSource', () => {
  it('VALID, REVOKED and UNKNOWN_ISSUER over the serve API, with asOf from the server', async () => {
    mode = 'ok';
    const status = httpStatusSource({ baseUrl: `${base}/` });
    const genuine = await world.issue();
    const valid = await verifyCredential(genuine.jwt, { status, now: NOW });
    expect(valid.verdict).toBe('VALID');
    expect(valid.status?.asOf).toBe(asOf);
    const revoked = await world.issue();
    world.setStatus(revoked.id, 'REVOKED', 'SURRENDERED');
    expect((await verifyCredential(revoked.jwt, { status, now: NOW })).verdict).toBe('REVOKED');
    const stranger = await world.issue({ issuer: 'did:web:example.org', kid: 'did:web:example.org#k' });
    expect((await verifyCredential(stranger.jwt, { status, now: NOW })).verdict).toBe('UNKNOWN_ISSUER');
    const unanchored = await world.sign();
    expect((await verifyCredential(unanchored.jwt, { status, now: NOW })).verdict).toBe('UNVERIFIABLE');
  });

  it('UNVERIFIABLE (STATUS_SOURCE_UNAVAILABLE) on 503, on malformed answers and on a refused connection', async () => {
    const { jwt } = await world.issue();
    const status = httpStatusSource({ baseUrl: base });
    for (const m of ['error', 'garbage'] as const) {
      mode = m;
      const result = await verifyCredential(jwt, { status, now: NOW });
      expect(result.verdict).toBe('UNVERIFIABLE');
      expect(result.checks.find((c) => c.name === 'issuer')).toMatchObject({
        result: 'unknown',
        reason: 'STATUS_SOURCE_UNAVAILABLE',
      });
    }
    mode = 'ok';
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) =>
      closed.close(() => {
        resolve();
      }),
    );
    const unreachable = await verifyCredential(jwt, {
      status: httpStatusSource({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 }),
      now: NOW,
    });
    expect(unreachable.verdict).toBe('UNVERIFIABLE');
  });

  it('an injected fetch that throws is UNVERIFIABLE, never a throw', async () => {
    const { jwt } = await world.issue();
    const status = httpStatusSource({ baseUrl: base, fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    expect((await verifyCredential(jwt, { status, now: NOW })).verdict).toBe('UNVERIFIABLE');
  });
});
