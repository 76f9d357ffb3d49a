/**
 * `credledger serve`: the verifier page, a read-only JSON API over the ledger, DID documents of the
 * issuers the ledger knows, and the signed status lists / trust list an issuer has published.
 * Stateless over the ledger (every answer is read from it; the copy it keeps follows the ledger's
 * commits, see ledger-follower.ts), so several instances can run behind a load balancer.
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerOptions as HttpServerOptions,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

import type { IssuerRecord } from '@credledger/vocabulary';

import { issuerDidDocument } from '../did/did-document.js';
import { Registry, type Ledger } from '@credledger/ledger';
import { didWebLocation } from './did-documents.js';
import { CredledgerError, STATUS_LIST_TOKEN_MEDIA_TYPE } from '@credledger/verify';
import { STATUS_LIST_TOKEN_TYP } from '@credledger/verify/formats';
import { HttpError, toHttpError } from './http-error.js';
import { jsonBody } from './json-body.js';
import { TokenBucketLimiter, type RateLimitOptions } from './rate-limit.js';
import { loadStaticSite, type StaticFile } from './static-site.js';
import { LedgerFollower, readKeys } from './ledger-follower.js';
import { ReadCache, type CachedRead } from './read-cache.js';

/** The reads the server makes; a `Registry` over any Ledger (or a test double) provides them. */
export type ServerRegistry = Pick<Registry, 'getCredential' | 'getIssuer' | 'listIssuers'>;

export interface ServerOptions {
  /** Where the server reads: a Registry, or a Ledger it wraps in one. Exactly one is required. */
  readonly registry?: ServerRegistry;
  readonly ledger?: Ledger;
  /** TCP port; 0 picks a free one (default 8080). */
  readonly port?: number;
  /** Interface to listen on (default `127.0.0.1`; `0.0.0.0` to be reachable from other machines). */
  readonly host?: string;
  /**
   * Serve HTTPS with this PEM private key and certificate (chain). Default: plain HTTP, for loopback
   * or behind a proxy that terminates TLS. Browsers check signatures (WebCrypto) only in a secure
   * context — https:// or localhost — so a page other machines open needs one or the other.
   */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** The built verifier page (`verifier-web/dist`); without it only the API and documents are served. */
  readonly webRoot?: string;
  /**
   * Directory of signed files an issuer published (`credledger status-list publish --out`,
   * `credledger trust-list export`): `status/<issuer>/<purpose>[/<n>]` and `trust-list.*`. Read on
   * each request, so a republish shows without a restart.
   */
  readonly publishedRoot?: string;
  /** Token bucket per client address, or `false` to turn limiting off (default 20/s, burst 60). */
  readonly rateLimit?: RateLimitOptions | false;
  /** Origins allowed to call the API from a browser (default `*`: the data is public and read-only). */
  readonly corsOrigins?: '*' | readonly string[];
  /**
   * Take the client address for rate limiting from the last `X-Forwarded-For` hop. Only behind a proxy
   * that sets it; otherwise clients could pick their own bucket.
   */
  readonly trustProxy?: boolean;
  /**
   * How long a ledger answer may be reused when the server cannot follow the ledger's commits (ms,
   * default 1000, 0 = never). With `ledger` given, the server reads its chaincode events and keeps an
   * answer until a committed transaction changes it; `asOf` is then the time of the answer, else the
   * time the ledger was read — a client always sees how current an answer is.
   */
  readonly cacheTtlMs?: number;
  /**
   * Follow the ledger's chaincode events to keep answers until they change (default true with
   * `ledger` and a `cacheTtlMs` above 0; a `registry` alone cannot be followed). False: every answer
   * lives `cacheTtlMs` at most.
   */
  readonly followLedger?: boolean;
  /** Longest request target accepted (default 2048 characters). */
  readonly maxUrlLength?: number;
  /** Largest request body accepted (default 1024 bytes; the API reads none). */
  readonly maxBodyBytes?: number;
  /** Called once per failed request with the server-side detail (default: nothing). */
  readonly onError?: (error: unknown, request: { method: string; url: string }) => void;
  /**
   * Status tracking (`serve --tracking`, @credledger/server watch/): asked first for every request that passed the
   * rate limit; it answers its own routes (subscriptions, SSE, webhook keys) and returns true. The
   * server answers CORS preflights for those routes and puts its CORS headers (`corsOrigins`) on
   * their answers.
   */
  readonly tracking?: {
    handleRequest(request: IncomingMessage, response: ServerResponse): boolean;
    /** The methods of a tracking route, or undefined when `path` is none. */
    allowedMethods(path: string): readonly string[] | undefined;
  };
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080` (`https://` with `tls`). */
  readonly url: string;
  /** Stops accepting connections and closes idle ones; resolves when the server has stopped. */
  close(): Promise<void>;
}

/** API paths are versioned; a breaking change gets `/api/v2`. */
export const API_PREFIX = '/api/v1';

const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 20, burst: 60 };

/**
 * CSP of the page: everything from this origin only, no inline script or style, no plugins, no framing.
 * The worker and service worker are same-origin files, which `'self'` covers.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The API answers JSON only: nothing it returns may ever run or load anything. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const commonHeaders: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
};

interface Answer {
  readonly status: number;
  readonly body: Buffer | string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly etag?: string;
  readonly gzip?: Buffer | undefined;
}

/**
 * Starts the server and resolves once it listens.
 * Fails: FILE_NOT_FOUND (webRoot missing), CONFIG_INVALID (bad option), or the listen error (EADDRINUSE).
 *
 * @example
 * const server = await startServer({ registry: new Registry(ledger), port: 8080, webRoot: 'verifier-web/dist' });
 * console.log(`verifier at ${server.url}`);
 * await server.close();
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const site = options.webRoot ? await loadStaticSite(options.webRoot) : new Map<string, StaticFile>();
  const publishedRoot = options.publishedRoot ? resolve(options.publishedRoot) : undefined;
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const limiter = rateLimit === false ? undefined : new TokenBucketLimiter(rateLimit);
  const maxUrlLength = options.maxUrlLength ?? 2048;
  const maxBodyBytes = options.maxBodyBytes ?? 1024;
  const cors = options.corsOrigins ?? '*';
  const reads = new ReadCache(options.cacheTtlMs ?? 1000);
  const registry = registryOf(options);
  /** When an answer is current: now, while the server follows the ledger and it has not changed; else its read time. */
  const asOfOf = (read: CachedRead<unknown>): string =>
    read.followed && reads.isFollowing ? new Date().toISOString() : read.readAt;

  const api: Route[] = [
    route('/health', async () => {
      try {
        const read = await reads.get(readKeys.issuers, () => registry.listIssuers());
        return json(200, { status: 'ok', ledger: 'reachable', asOf: asOfOf(read) });
      } catch (error) {
        options.onError?.(error, { method: 'GET', url: '/health' });
        return json(
          503,
          { status: 'unavailable', ledger: 'unreachable', asOf: new Date().toISOString() },
          { 'Retry-After': '5' },
        );
      }
    }),
    route('/credentials/:id', async ([id = '']) => {
      const read = await reads.get(
        readKeys.credential(id),
        () => registry.getCredential(id),
        (record) => record.id === id,
      );
      // The hot path: the record's text is made once per ledger read; the answer is the same as
      // jsonBody({ record, asOf }).
      read.text ??= JSON.stringify(read.value);
      const body = `{"record":${read.text},"asOf":"${asOfOf(read)}"}\n`;
      return { status: 200, body, contentType: 'application/json; charset=utf-8', headers: noCache };
    }),
    route('/issuers', async () => {
      const read = await reads.get(readKeys.issuers, () => registry.listIssuers());
      return json(200, { issuers: read.value, asOf: asOfOf(read) }, { 'Cache-Control': 'no-cache' });
    }),
    route('/issuers/:did', async ([did = '']) => {
      const read = await reads.get(readKeys.issuer(did), () => registry.getIssuer(did));
      return json(200, { record: read.value, asOf: asOfOf(read) }, { 'Cache-Control': 'no-cache' });
    }),
    route('/issuers/:did/did.json', async ([did = '']) => {
      const { value } = await reads.get(readKeys.issuer(did), () => registry.getIssuer(did));
      return didJson(value);
    }),
    route('/trust-list', async () => publishedTrustList()),
    route('/status-lists/:issuer/:purpose', async ([issuer, purpose]) => published(`status/${issuer}/${purpose}`)),
    route('/status-lists/:issuer/:purpose/:n', async ([issuer, purpose, n]) =>
      published(`status/${issuer}/${purpose}/${n}`),
    ),
  ];

  function didJson(issuer: IssuerRecord): Answer {
    return {
      status: 200,
      body: jsonBody(issuerDidDocument(issuer)),
      contentType: 'application/did+json',
      headers: { 'Cache-Control': 'no-cache' },
    };
  }

  /** A did:web document at its own path, answered only when the Host header names the DID's host. */
  async function didWeb(request: IncomingMessage, path: string): Promise<Answer | undefined> {
    if (!path.endsWith('/did.json')) return undefined;
    const host = (request.headers.host ?? '').toLowerCase();
    const { value: issuers } = await reads.get(readKeys.issuers, () => registry.listIssuers());
    const issuer = issuers.find((candidate) => {
      const location = didWebLocation(candidate.did);
      return location !== undefined && location.path === path && location.host === host;
    });
    return issuer ? didJson(issuer) : undefined;
  }

  async function publishedFile(relativePath: string): Promise<Buffer | undefined> {
    if (!publishedRoot) return undefined;
    const segments = relativePath.split('/');
    // Each segment is one decoded path segment: nothing may climb out of the published directory.
    if (
      segments.some(
        (s) => s === '' || s === '.' || s === '..' || s.includes('\0') || s.includes(sep) || s.startsWith('.'),
      )
    ) {
      return undefined;
    }
    const path = join(publishedRoot, ...segments);
    if (!path.startsWith(publishedRoot + sep)) return undefined;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return readFile(path);
  }

  /** Published files are served as their publisher wrote them: JSON if they parse as JSON, else a JWT. */
  async function published(relativePath: string): Promise<Answer> {
    for (const candidate of [relativePath, `${relativePath}.json`, `${relativePath}.jwt`]) {
      const body = await publishedFile(candidate);
      if (body) return publishedAnswer(candidate, body);
    }
    throw new HttpError('NOT_FOUND', `nothing is published at ${relativePath}`);
  }

  async function publishedTrustList(): Promise<Answer> {
    return published('trust-list');
  }

  /**
   * A JWT is served by its header `typ`: an IETF Status List Token (`statuslist+jwt`) as
   * `application/statuslist+jwt`, as the Token Status List asks; any other as `application/vc+jwt`.
   */
  function publishedAnswer(path: string, body: Buffer): Answer {
    const text = body.toString('utf8').trim();
    const isJson = path.endsWith('.json') || text.startsWith('{');
    return {
      status: 200,
      body,
      contentType: isJson
        ? 'application/json; charset=utf-8'
        : jwtTyp(text) === STATUS_LIST_TOKEN_TYP
          ? STATUS_LIST_TOKEN_MEDIA_TYPE
          : 'application/vc+jwt',
      headers: { 'Cache-Control': 'no-cache' },
      gzip: body.length > 256 ? gzipSync(body) : undefined,
    };
  }

  const pageConfig = jsonBody({ statusApi: '.' });

  async function answer(request: IncomingMessage): Promise<{ answer: Answer; kind: 'api' | 'page' | 'data' }> {
    const target = request.url ?? '/';
    if (target.length > maxUrlLength)
      throw new HttpError('URI_TOO_LONG', `request target longer than ${maxUrlLength} characters`);
    let url: URL;
    try {
      url = new URL(target, 'http://server.invalid');
    } catch {
      throw new HttpError('BAD_REQUEST', 'request target is not a URL');
    }
    const path = url.pathname;
    const isApi = path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
    const isData =
      path.startsWith('/status/') ||
      path.endsWith('/did.json') ||
      path === '/trust-list' ||
      path.startsWith('/trust-list.');

    if (request.method === 'OPTIONS' && (isApi || isData)) {
      return {
        answer: { status: 204, body: '', contentType: 'text/plain', headers: { 'Access-Control-Max-Age': '600' } },
        kind: isApi ? 'api' : 'data',
      };
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw new HttpError('METHOD_NOT_ALLOWED', `${request.method ?? ''} is not allowed; this server is read-only`, {
        Allow: 'GET, HEAD, OPTIONS',
      });
    }
    // Nothing here reads a body; a declared large one, or a streamed one of unknown size, is refused.
    const declaredLength = Number(request.headers['content-length'] ?? 0);
    if (!(declaredLength <= maxBodyBytes) || request.headers['transfer-encoding'] !== undefined) {
      throw new HttpError('PAYLOAD_TOO_LARGE', `request bodies are limited to ${maxBodyBytes} bytes`);
    }

    if (isApi) {
      const sub = path.slice(API_PREFIX.length) || '/';
      for (const r of api) {
        const params = r.match(sub);
        if (params) return { answer: await r.handle(params), kind: 'api' };
      }
      throw new HttpError('NOT_FOUND', `no API route ${sub}`);
    }
    if (path.startsWith('/status/')) {
      return { answer: await published(decodeSegments(path.slice(1)).join('/')), kind: 'data' };
    }
    if (path === '/trust-list' || path.startsWith('/trust-list.')) {
      return { answer: await published(path.slice(1).replace(/\.(json|jwt)$/, '')), kind: 'data' };
    }
    if (path.endsWith('/did.json')) {
      const did = await didWeb(request, path);
      if (did) return { answer: did, kind: 'data' };
    }
    const file = site.get(path === '/' ? '/index.html' : path);
    if (file) {
      return {
        answer: {
          status: 200,
          body: file.body,
          contentType: file.contentType,
          etag: file.etag,
          gzip: file.gzip,
          headers: { 'Cache-Control': 'no-cache' },
        },
        kind: 'page',
      };
    }
    if (path === '/config.json' && site.size > 0) {
      // The page asks for its status source; a config.json in the web root overrides this one.
      return {
        answer: {
          status: 200,
          body: pageConfig,
          contentType: 'application/json; charset=utf-8',
          headers: { 'Cache-Control': 'no-cache' },
        },
        kind: 'page',
      };
    }
    throw new HttpError('NOT_FOUND', `nothing at ${path}`);
  }

  function corsHeaders(origin: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
      'Access-Control-Allow-Headers': 'Accept, If-None-Match',
      'Access-Control-Expose-Headers': 'Retry-After, ETag',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (cors === '*') {
      headers['Access-Control-Allow-Origin'] = '*';
    } else {
      headers['Vary'] = 'Origin';
      if (origin !== undefined && cors.includes(origin)) headers['Access-Control-Allow-Origin'] = origin;
    }
    return headers;
  }

  /**
   * CORS headers of a tracking route: its own methods, and the request headers its clients send (a JSON
   * body, a subscription token, an EventSource's resume point).
   */
  function trackingCorsHeaders(origin: string | undefined, methods: readonly string[]): Record<string, string> {
    return {
      ...corsHeaders(origin),
      'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
      'Access-Control-Allow-Headers': 'Accept, Authorization, Content-Type, Last-Event-ID',
    };
  }

  /** API and data headers when every origin is allowed: the same for every request, built once. */
  const openApiHeaders: Readonly<Record<string, string>> | undefined =
    cors === '*' ? { ...commonHeaders, 'Content-Security-Policy': API_CSP, ...corsHeaders(undefined) } : undefined;

  function send(
    request: IncomingMessage,
    response: ServerResponse,
    result: Answer,
    kind: 'api' | 'page' | 'data',
  ): void {
    const open = kind === 'page' ? undefined : openApiHeaders;
    const headers: Record<string, string> = open ? { ...open } : { ...commonHeaders };
    if (open) {
      // Security and CORS headers came built.
    } else if (kind === 'page') {
      headers['Content-Security-Policy'] = PAGE_CSP;
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    } else {
      headers['Content-Security-Policy'] = API_CSP;
      Object.assign(headers, corsHeaders(request.headers.origin));
    }
    Object.assign(headers, result.headers);
    headers['Content-Type'] = result.contentType;
    if (result.etag) {
      headers['ETag'] = result.etag;
      if (request.headers['if-none-match'] === result.etag) {
        response.writeHead(304, headers).end();
        return;
      }
    }
    let body = typeof result.body === 'string' ? Buffer.from(result.body, 'utf8') : result.body;
    if (result.gzip && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      headers['Content-Encoding'] = 'gzip';
      body = result.gzip;
    }
    if (result.gzip) headers['Vary'] = headers['Vary'] ? `${headers['Vary']}, Accept-Encoding` : 'Accept-Encoding';
    headers['Content-Length'] = String(body.length);
    response.writeHead(result.status, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  function clientAddress(request: IncomingMessage): string {
    if (options.trustProxy) {
      const forwarded = request.headers['x-forwarded-for'];
      const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
      if (last) return last;
    }
    return request.socket.remoteAddress ?? 'unknown';
  }

  // The same limits and handler over HTTP or HTTPS.
  const tls = options.tls;
  const create = (limits: HttpServerOptions, handler: RequestListener) =>
    tls ? createHttpsServer({ ...limits, key: tls.key, cert: tls.cert }, handler) : createServer(limits, handler);
  const server = create(
    {
      // Small, fixed limits: a read-only API never needs large headers or slow requests.
      maxHeaderSize: 8 * 1024,
      requestTimeout: 10_000,
      headersTimeout: 5_000,
      keepAliveTimeout: 5_000,
    },
    (request, response) => {
      const kindOf = (): 'api' | 'page' | 'data' => ((request.url ?? '').startsWith(API_PREFIX) ? 'api' : 'data');
      if (limiter) {
        const decision = limiter.take(clientAddress(request), performance.now());
        if (!decision.allowed) {
          const error = new HttpError('RATE_LIMITED', 'too many requests; slow down', {
            'Retry-After': String(decision.retryAfterSeconds),
          });
          send(request, response, errorAnswer(error), kindOf());
          return;
        }
      }
      const trackingMethods = options.tracking?.allowedMethods(pathOf(request));
      if (options.tracking && trackingMethods !== undefined) {
        const cors = trackingCorsHeaders(request.headers.origin, trackingMethods);
        if (request.method === 'OPTIONS') {
          send(
            request,
            response,
            { status: 204, body: '', contentType: 'text/plain', headers: { ...cors, 'Access-Control-Max-Age': '600' } },
            'api',
          );
          return;
        }
        // writeHead merges headers set here, so every answer of the tracking routes carries them.
        for (const [name, value] of Object.entries(cors)) response.setHeader(name, value);
        if (options.tracking.handleRequest(request, response)) return;
      }
      answer(request).then(
        ({ answer: result, kind }) => {
          send(request, response, result, kind);
        },
        (error: unknown) => {
          const httpError = toHttpError(error);
          if (httpError.status >= 500)
            options.onError?.(error, { method: request.method ?? '', url: request.url ?? '' });
          if (!response.headersSent) send(request, response, errorAnswer(httpError), kindOf());
          else response.destroy();
        },
      );
    },
  );
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const sweep = limiter
    ? setInterval(() => {
        limiter.sweep(performance.now());
      }, 30_000)
    : undefined;
  sweep?.unref();

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  const follower =
    options.ledger && options.followLedger !== false && (options.cacheTtlMs ?? 1000) > 0
      ? new LedgerFollower(options.ledger, reads, {
          onError: (error) => options.onError?.(error, { method: 'EVENTS', url: 'ledger chaincode events' }),
        })
      : undefined;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `${tls ? 'https' : 'http'}://${hostForUrl}:${address.port}`,
    close: async () => {
      await follower?.close();
      await new Promise<void>((resolveClose, reject) => {
        if (sweep) clearInterval(sweep);
        server.close((error) => {
          if (error) reject(error);
          else resolveClose();
        });
        server.closeIdleConnections();
      });
    },
  };
}

/** The request's path, or '' when its target is not a URL (answered as such later). */
function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', 'http://server.invalid').pathname;
  } catch {
    return '';
  }
}

function registryOf(options: ServerOptions): ServerRegistry {
  if (options.registry && !options.ledger) return options.registry;
  if (options.ledger && !options.registry) return new Registry(options.ledger);
  throw new CredledgerError('CONFIG_INVALID', 'startServer needs exactly one of registry or ledger');
}

function errorAnswer(error: HttpError): Answer {
  return {
    status: error.status,
    body: jsonBody({ error: { code: error.code, message: error.message } }),
    contentType: 'application/json; charset=utf-8',
    headers: { ...error.headers, 'Cache-Control': 'no-store' },
  };
}

const noCache: Readonly<Record<string, string>> = { 'Cache-Control': 'no-cache' };

/** The `typ` of a compact JWS's header, if it has one. */
function jwtTyp(compact: string): unknown {
  const header = compact.slice(0, Math.max(0, compact.indexOf('.')));
  try {
    return (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { typ?: unknown } | null)?.typ;
  } catch {
    return undefined;
  }
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return { status, body: jsonBody(value), contentType: 'application/json; charset=utf-8', headers };
}

function decodeSegments(path: string): string[] {
  try {
    return path.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError('BAD_REQUEST', 'bad percent-encoding in the path');
  }
}

interface Route {
  match(path: string): string[] | undefined;
  handle(params: string[]): Promise<Answer>;
}

/** A route over `/`-separated segments; `:name` matches one percent-decoded segment. */
function route(pattern: string, handle: (params: string[]) => Promise<Answer>): Route {
  const parts = pattern.split('/');
  return {
    match(path) {
      const segments = path.split('/');
      if (segments.length !== parts.length) return undefined;
      const params: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] ?? '';
        const segment = segments[i] ?? '';
        if (part.startsWith(':')) {
          if (segment === '') return undefined;
          const decoded = decodeSegments(segment)[0] ?? '';
          if (decoded.length > 512) throw new HttpError('BAD_REQUEST', 'path segment too long');
          params.push(decoded);
        } else if (part !== segment) {
          return undefined;
        }
      }
      return params;
    },
    handle,
  };
}
