/**
 * `startServer` over an in-memory registry: API shapes, errors, headers, CORS, request limits and the
 * rate limit. The same server over a real embedded ledger is tested in server-ledger.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CredledgerError, verifyStatusList, verifyStatusListToken } from '@credledger/verify';
import {
  startServer,
  TokenBucketLimiter,
  type RunningServer,
  type ServerRegistry,
  type WalletEndpoint,
} from '@credledger/server';
import type { CredentialRecord, IssuerRecord } from '@credledger/vocabulary';
import { publishStatusLists, publishTokenStatusLists } from '@credledger/issuer';
import { BASE, MOJ, NOW, World, listKey } from '../../issuer/test/verify-world.js';

const issuer: IssuerRecord = {
  did: 'did:web:moj.gov.tw',
  mspId: 'MojMSP',
  name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
  credentialTypes: ['LawyerLicenceCredential'],
  keys: [
    {
      kid: 'did:web:moj.gov.tw#key-1',
      publicKeyJwk: { kty: 'EC', crv: 'P-256', x: 'x1', y: 'y1' },
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: null,
      compromisedSince: null,
    },
    {
      kid: 'did:web:moj.gov.tw#key-0',
      publicKeyJwk: { kty: 'EC', crv: 'P-256', x: 'x0', y: 'y0' },
      validFrom: '2025-01-01T00:00:00.000Z',
      validUntil: '2026-01-01T00:00:00.000Z',
      compromisedSince: '2025-06-01T00:00:00.000Z',
    },
  ],
  status: 'ACTIVE',
  registeredAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const credential: CredentialRecord = {
  id: 'urn:uuid:6f1c2f43-8c1e-4d2a-9a57-0c3f5b1d2e01',
  issuerDid: issuer.did,
  type: 'LawyerLicenceCredential',
  digest: 'a'.repeat(64),
  kid: 'did:web:moj.gov.tw#key-1',
  validFrom: '2026-02-01T00:00:00.000Z',
  validUntil: null,
  status: 'REVOKED',
  reason: 'DISBARMENT',
  anchoredAt: '2026-02-01T00:00:01.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
  updatedByMspId: 'MojMSP',
  subjectDigest: 'b'.repeat(64),
  supersedes: null,
  supersededBy: null,
};

/** Counts ledger reads so caching can be observed. */
class MemoryRegistry implements ServerRegistry {
  reads = 0;
  down = false;
  async getCredential(id: string): Promise<CredentialRecord> {
    this.reads++;
    if (this.down) throw new CredledgerError('LEDGER_UNAVAILABLE', 'peer 10.0.0.7:7051 unreachable');
    if (id === credential.id) return credential;
    throw new CredledgerError('CREDENTIAL_NOT_FOUND', `no credential ${id}`);
  }
  async getIssuer(did: string): Promise<IssuerRecord> {
    this.reads++;
    if (this.down) throw new CredledgerError('LEDGER_UNAVAILABLE', 'peer unreachable');
    if (did === issuer.did) return issuer;
    throw new CredledgerError('ISSUER_NOT_FOUND', `no issuer ${did}`);
  }
  async listIssuers(): Promise<IssuerRecord[]> {
    this.reads++;
    if (this.down) throw new CredledgerError('LEDGER_UNAVAILABLE', 'peer unreachable');
    return [issuer];
  }
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/** A raw HTTP request (fetch cannot send GET bodies or arbitrary Host headers). */
function send(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: init.method ?? 'GET', headers: init.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
        });
      },
    );
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

describe('startServer over a registry', () => {
  let server: RunningServer;
  let registry: MemoryRegistry;
  let root: string;
  const errors: unknown[] = [];
  const world = new World();
  let statusListToken: string;
  /** The MoJ's Status List 2021 suspension lists 0 and 1 (`sl2021/suspension`, `sl2021/suspension/1`). */
  let sl2021: { url: string; jwt: string }[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'credledger-server-'));
    const { lists } = await publishTokenStatusLists({
      issuerDid: MOJ,
      baseUrl: BASE,
      records: [],
      allocations: new Map(),
      now: NOW,
      key: listKey(world.keys.moj1),
    });
    statusListToken = lists[0]!.jwt;
    const tw = await publishStatusLists({
      issuerDid: MOJ,
      baseUrl: BASE,
      records: [],
      allocations: { revocation: new Map(), suspension: new Map([['urn:uuid:x', { list: 1, index: 5 }]]) },
      now: NOW,
      key: listKey(world.keys.moj1),
      format: 'StatusList2021',
    });
    sl2021 = tw.lists.filter((list) => list.purpose === 'suspension');
    const web = join(root, 'web');
    mkdirSync(web);
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>verifier</title>' + ' '.repeat(400));
    writeFileSync(join(web, 'app.js'), 'console.log(1);');
    writeFileSync(join(web, '.secret'), 'not served');
    const published = join(root, 'published');
    mkdirSync(join(published, 'status', 'moj.gov.tw'), { recursive: true });
    writeFileSync(join(published, 'status', 'moj.gov.tw', 'revocation'), 'eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln');
    writeFileSync(join(published, 'trust-list.jwt'), 'eyJhbGciOiJFUzI1NiJ9.eyJiIjoxfQ.c2ln');
    writeFileSync(join(published, 'status', 'moj.gov.tw', 'token.jwt'), `${statusListToken}\n`);
    // Where `status-list publish` writes them: `<URL path>.jwt`.
    mkdirSync(join(published, 'status', 'moj.gov.tw', 'sl2021', 'suspension'), { recursive: true });
    for (const list of sl2021) writeFileSync(join(published, `${new URL(list.url).pathname}.jwt`), `${list.jwt}\n`);
    writeFileSync(join(root, 'outside.txt'), 'outside');
    registry = new MemoryRegistry();
    server = await startServer({
      registry,
      port: 0,
      webRoot: web,
      publishedRoot: published,
      rateLimit: false,
      cacheTtlMs: 0,
      onError: (error) => errors.push(error),
    });
  });

  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers a credential status by id as { record, asOf }', async () => {
    const reply = await send(server.url, `/api/v1/credentials/${encodeURIComponent(credential.id)}`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = reply.json() as { record: CredentialRecord; asOf: string };
    expect(body.record).toEqual(credential);
    expect(Number.isNaN(Date.parse(body.asOf))).toBe(false);
  });

  it('answers 404 CREDENTIAL_NOT_FOUND as JSON for an unknown id', async () => {
    const reply = await send(
      server.url,
      `/api/v1/credentials/${encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000')}`,
    );
    expect(reply.status).toBe(404);
    expect(reply.json()).toEqual({ error: { code: 'CREDENTIAL_NOT_FOUND', message: expect.any(String) } });
  });

  it('lists issuers and answers one issuer by DID', async () => {
    const list = await send(server.url, '/api/v1/issuers');
    expect((list.json() as { issuers: IssuerRecord[] }).issuers).toEqual([issuer]);
    const one = await send(server.url, `/api/v1/issuers/${encodeURIComponent(issuer.did)}`);
    expect((one.json() as { record: IssuerRecord }).record).toEqual(issuer);
    const missing = await send(server.url, `/api/v1/issuers/${encodeURIComponent('did:web:nobody.example')}`);
    expect(missing.status).toBe(404);
    expect((missing.json() as { error: { code: string } }).error.code).toBe('ISSUER_NOT_FOUND');
  });

  it('serves the DID document (compromised keys not assertion methods), via the API and at the did:web path for its host', async () => {
    const viaApi = await send(server.url, `/api/v1/issuers/${encodeURIComponent(issuer.did)}/did.json`);
    expect(viaApi.status).toBe(200);
    expect(viaApi.headers['content-type']).toBe('application/did+json');
    const doc = viaApi.json() as {
      id: string;
      verificationMethod: { id: string; publicKeyJwk: JsonWebKey }[];
      assertionMethod: string[];
    };
    expect(doc.id).toBe(issuer.did);
    expect(doc.verificationMethod.map((m) => m.id)).toEqual(['did:web:moj.gov.tw#key-1', 'did:web:moj.gov.tw#key-0']);
    expect(doc.verificationMethod[0]?.publicKeyJwk).toEqual({ kty: 'EC', crv: 'P-256', x: 'x1', y: 'y1' });
    expect(doc.assertionMethod).toEqual(['did:web:moj.gov.tw#key-1']);

    const wellKnown = await send(server.url, '/.well-known/did.json', { headers: { Host: 'moj.gov.tw' } });
    expect(wellKnown.status).toBe(200);
    expect((wellKnown.json() as { id: string }).id).toBe(issuer.did);
    const otherHost = await send(server.url, '/.well-known/did.json', { headers: { Host: 'evil.example' } });
    expect(otherHost.status).toBe(404);
  });

  it('reports health, and 503 with Retry-After when the ledger is down, without leaking its detail', async () => {
    expect((await send(server.url, '/api/v1/health')).json()).toMatchObject({ status: 'ok', ledger: 'reachable' });
    registry.down = true;
    try {
      const health = await send(server.url, '/api/v1/health');
      expect(health.status).toBe(503);
      expect(health.headers['retry-after']).toBe('5');
      const status = await send(server.url, `/api/v1/credentials/${encodeURIComponent(credential.id)}`);
      expect(status.status).toBe(503);
      expect((status.json() as { error: { code: string } }).error.code).toBe('LEDGER_UNAVAILABLE');
      expect(status.text).not.toContain('10.0.0.7');
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      registry.down = false;
    }
  });

  it('sets security headers and a strict CSP on the page', async () => {
    const reply = await send(server.url, '/');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(reply.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves page files with ETags (304 on revalidation) and gzip when asked', async () => {
    const first = await send(server.url, '/index.html', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(first.headers['content-encoding']).toBe('gzip');
    const etag = String(first.headers['etag']);
    const again = await send(server.url, '/index.html', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('does not serve dot files or anything outside its directories', async () => {
    expect((await send(server.url, '/.secret')).status).toBe(404);
    expect((await send(server.url, '/status/..%2F..%2Foutside.txt')).status).toBe(404);
    expect((await send(server.url, '/status/%2e%2e/%2e%2e/outside.txt')).status).toBe(404);
    expect((await send(server.url, '/../outside.txt')).status).toBe(404);
  });

  it('serves the page config pointing at its own API', async () => {
    expect((await send(server.url, '/config.json')).json()).toEqual({ statusApi: '.' });
  });

  it('serves published status lists and the trust list, at their credential URLs and under the API', async () => {
    const list = await send(server.url, '/status/moj.gov.tw/revocation');
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toBe('application/vc+jwt');
    expect(list.headers['access-control-allow-origin']).toBe('*');
    expect(list.text).toBe('eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln');
    expect((await send(server.url, '/api/v1/status-lists/moj.gov.tw/revocation')).text).toBe(list.text);
    expect((await send(server.url, '/api/v1/trust-list')).text).toBe('eyJhbGciOiJFUzI1NiJ9.eyJiIjoxfQ.c2ln');
    expect((await send(server.url, '/status/moj.gov.tw/suspension')).status).toBe(404);
  });

  it('serves a published IETF Status List Token at its URI as application/statuslist+jwt', async () => {
    const token = await send(server.url, '/status/moj.gov.tw/token');
    expect(token.status).toBe(200);
    expect(token.headers['content-type']).toBe('application/statuslist+jwt');
    expect(token.headers['access-control-allow-origin']).toBe('*');
    expect(token.text.trim()).toBe(statusListToken);
    const api = await send(server.url, '/api/v1/status-lists/moj.gov.tw/token');
    expect(api.headers['content-type']).toBe('application/statuslist+jwt');
    const checked = await verifyStatusListToken(token.text, {
      issuer: world.issuers[0]!,
      uri: `${BASE}/status/moj.gov.tw/token`,
      now: NOW,
    });
    expect(checked.ok).toBe(true);
  });

  it('serves published Status List 2021 lists at their URLs as application/vc+jwt', async () => {
    expect(sl2021.map((list) => new URL(list.url).pathname)).toEqual([
      '/status/moj.gov.tw/sl2021/suspension',
      '/status/moj.gov.tw/sl2021/suspension/1',
    ]);
    for (const [n, list] of sl2021.entries()) {
      const reply = await send(server.url, new URL(list.url).pathname);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/vc+jwt');
      expect(reply.headers['access-control-allow-origin']).toBe('*');
      expect(reply.text.trim()).toBe(list.jwt);
      const api = await send(server.url, `/api/v1/status-lists/moj.gov.tw/sl2021/suspension${n === 0 ? '' : '/1'}`);
      expect([api.status, api.headers['content-type'], api.text.trim()]).toEqual([200, 'application/vc+jwt', list.jwt]);
      const checked = await verifyStatusList(reply.text, {
        issuer: world.issuers[0]!,
        url: list.url,
        purpose: 'suspension',
        now: NOW,
        format: 'StatusList2021',
      });
      expect(checked.ok).toBe(true);
    }
  });

  it('allows cross-origin reads of the API and answers preflight', async () => {
    const reply = await send(server.url, '/api/v1/issuers', { headers: { Origin: 'https://bank.example' } });
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    expect(reply.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    const preflight = await send(server.url, '/api/v1/issuers', {
      method: 'OPTIONS',
      headers: { Origin: 'https://bank.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
  });

  it('refuses writes with 405 and Allow', async () => {
    const reply = await send(server.url, '/api/v1/issuers', {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(reply.status).toBe(405);
    expect(reply.headers['allow']).toBe('GET, HEAD, OPTIONS');
    expect((reply.json() as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('sends a share to the page (its share target, when its service worker is not installed yet) back to the page unread', async () => {
    const boundary = 'credledger-share';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="licence.pdf"\r\n` +
      `Content-Type: application/pdf\r\n\r\n%PDF-1.7 ${'x'.repeat(200_000)}\r\n--${boundary}--\r\n`;
    const errorsBefore = errors.length;
    const share = await send(server.url, '/share', {
      method: 'POST',
      body,
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(Buffer.byteLength(body)),
      },
    });
    expect(share.status).toBe(303);
    expect(share.headers['location']).toBe('./?shared');
    expect(share.headers['cache-control']).toBe('no-store');
    expect(share.headers['content-security-policy']).toContain("form-action 'none'");
    expect(errors).toHaveLength(errorsBefore);
    // Nothing else is opened to writes: another method there, a POST elsewhere, and GET /share.
    expect((await send(server.url, '/share', { method: 'PUT', body: '' })).status).toBe(405);
    expect((await send(server.url, '/', { method: 'POST', body: '' })).status).toBe(405);
    expect((await send(server.url, '/share')).status).toBe(404);
    // A server without the page has no share target.
    const apiOnly = await startServer({ registry: new MemoryRegistry(), port: 0, rateLimit: false });
    try {
      expect((await send(apiOnly.url, '/share', { method: 'POST', body: '' })).status).toBe(405);
    } finally {
      await apiOnly.close();
    }
  });

  it('refuses large bodies, long targets and unknown API routes with JSON errors', async () => {
    const big = await send(server.url, '/api/v1/issuers', {
      body: 'x'.repeat(5000),
      headers: { 'Content-Length': '5000' },
    });
    expect(big.status).toBe(413);
    expect((big.json() as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const long = await send(server.url, `/api/v1/credentials/${'a'.repeat(3000)}`);
    expect(long.status).toBe(414);
    const unknown = await send(server.url, '/api/v1/nothing');
    expect(unknown.status).toBe(404);
    expect((unknown.json() as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const badEscape = await send(server.url, '/api/v1/credentials/%E0%A4%A');
    expect(badEscape.status).toBe(400);
  });

  it('ends every JSON answer with one newline (a whole line for curl and line-reading tools)', async () => {
    const paths = [
      `/api/v1/credentials/${encodeURIComponent(credential.id)}`,
      `/api/v1/credentials/${encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000')}`,
      '/api/v1/issuers',
      `/api/v1/issuers/${encodeURIComponent(issuer.did)}`,
      `/api/v1/issuers/${encodeURIComponent(issuer.did)}/did.json`,
      '/api/v1/health',
      '/api/v1/nothing',
      '/config.json',
    ];
    for (const path of paths) {
      const reply = await send(server.url, path);
      expect([path, reply.text.endsWith('}\n'), reply.text.trimEnd().includes('\n')]).toEqual([path, true, false]);
      expect(Number(reply.headers['content-length'])).toBe(Buffer.byteLength(reply.text));
    }
  });

  it('answers HEAD without a body', async () => {
    const reply = await send(server.url, '/api/v1/issuers', { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    expect(Number(reply.headers['content-length'])).toBeGreaterThan(0);
  });
});

describe('configuration', () => {
  it('needs exactly one of registry or ledger', async () => {
    await expect(startServer({ port: 0 })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('fails with FILE_NOT_FOUND for a missing web root', async () => {
    await expect(
      startServer({ registry: new MemoryRegistry(), port: 0, webRoot: '/nonexistent/credledger-web' }),
    ).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('tells the page it may ask wallets only where the presentation request route is mounted', async () => {
    const web = mkdtempSync(join(tmpdir(), 'credledger-server-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>verifier</title>');
    const route = (method: 'GET' | 'POST', path: string): WalletEndpoint => ({
      method,
      path,
      handle: () => Promise.resolve({ status: 201, body: { id: 'r1' } }),
    });
    const configOf = async (routes: WalletEndpoint[] | undefined): Promise<unknown> => {
      const started = await startServer({
        registry: new MemoryRegistry(),
        port: 0,
        webRoot: web,
        rateLimit: false,
        ...(routes === undefined ? {} : { wallet: { routes } }),
      });
      try {
        return (await send(started.url, '/config.json')).json();
      } finally {
        await started.close();
      }
    };
    try {
      expect(await configOf(undefined)).toEqual({ statusApi: '.' });
      // Issuing only (the OpenID4VCI routes): nothing for the page to ask.
      expect(await configOf([route('POST', '/oid4vci/token')])).toEqual({ statusApi: '.' });
      expect(
        await configOf([
          route('POST', '/oid4vci/token'),
          route('POST', '/oid4vp/requests'),
          route('GET', '/oid4vp/requests/:id'),
        ]),
      ).toEqual({ statusApi: '.', presentationVerifier: '.' });
    } finally {
      rmSync(web, { recursive: true, force: true });
    }
  });
});

describe('rate limit and read cache', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a client has used its burst', async () => {
    const registry = new MemoryRegistry();
    const server = await startServer({ registry, port: 0, rateLimit: { perSecond: 1, burst: 3 } });
    try {
      const statuses: number[] = [];
      let limited: Reply | undefined;
      for (let i = 0; i < 5; i++) {
        const reply = await send(server.url, '/api/v1/issuers');
        statuses.push(reply.status);
        if (reply.status === 429) limited = reply;
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((limited?.json() as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    } finally {
      await server.close();
    }
  });

  it('takes the client from X-Forwarded-For only when told to trust the proxy', async () => {
    const registry = new MemoryRegistry();
    const trusting = await startServer({ registry, port: 0, rateLimit: { perSecond: 1, burst: 1 }, trustProxy: true });
    const plain = await startServer({ registry, port: 0, rateLimit: { perSecond: 1, burst: 1 } });
    try {
      expect(
        (await send(trusting.url, '/api/v1/health', { headers: { 'X-Forwarded-For': '198.51.100.1' } })).status,
      ).toBe(200);
      expect(
        (await send(trusting.url, '/api/v1/health', { headers: { 'X-Forwarded-For': '198.51.100.2' } })).status,
      ).toBe(200);
      expect(
        (await send(trusting.url, '/api/v1/health', { headers: { 'X-Forwarded-For': '198.51.100.2' } })).status,
      ).toBe(429);
      expect((await send(plain.url, '/api/v1/health', { headers: { 'X-Forwarded-For': '198.51.100.1' } })).status).toBe(
        200,
      );
      expect((await send(plain.url, '/api/v1/health', { headers: { 'X-Forwarded-For': '198.51.100.2' } })).status).toBe(
        429,
      );
    } finally {
      await trusting.close();
      await plain.close();
    }
  });

  it('reuses a ledger answer within the TTL and keeps its original asOf', async () => {
    const registry = new MemoryRegistry();
    const server = await startServer({ registry, port: 0, rateLimit: false, cacheTtlMs: 60_000 });
    try {
      const path = `/api/v1/credentials/${encodeURIComponent(credential.id)}`;
      const first = (await send(server.url, path)).json() as { asOf: string };
      const second = (await send(server.url, path)).json() as { asOf: string };
      expect(registry.reads).toBe(1);
      expect(second.asOf).toBe(first.asOf);
    } finally {
      await server.close();
    }
  });

  it('never caches failures', async () => {
    const registry = new MemoryRegistry();
    const server = await startServer({ registry, port: 0, rateLimit: false, cacheTtlMs: 60_000 });
    try {
      registry.down = true;
      expect((await send(server.url, '/api/v1/issuers')).status).toBe(503);
      registry.down = false;
      expect((await send(server.url, '/api/v1/issuers')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('TokenBucketLimiter', () => {
  it('refills at perSecond up to burst', () => {
    const limiter = new TokenBucketLimiter({ perSecond: 2, burst: 2 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('a', 500).allowed).toBe(true);
    expect(limiter.take('a', 500).allowed).toBe(false);
    expect(limiter.take('b', 500).allowed).toBe(true);
  });

  it('forgets full buckets and never tracks more than maxClients', () => {
    const limiter = new TokenBucketLimiter({ perSecond: 1, burst: 1, maxClients: 10 });
    for (let i = 0; i < 25; i++) limiter.take(`client-${i}`, 0);
    expect(limiter.size).toBeLessThanOrEqual(10);
    limiter.sweep(10_000);
    expect(limiter.size).toBe(0);
  });
});
