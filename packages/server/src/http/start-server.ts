/**
 * `credledger serve`: the verifier page, a read-only JSON API over the ledger, DID documents of the
 * issuers the ledger knows, and the signed status lists / trust list an issuer has published, on
 * Fastify (decision 0030). Stateless over the ledger (every answer is read from it; the copy it keeps
 * follows the ledger's commits, see ledger-follower.ts), so several instances can run behind a load
 * balancer.
 */
import {
  createServer,
  type IncomingMessage,
  type ServerOptions as HttpServerOptions,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Ledger } from '@credledger/ledger';
import { Registry } from '@credledger/ledger';
import { CredledgerError } from '@credledger/verify';

import { errorAnswer, sendAnswer } from './answer.js';
import { API_PREFIX, apiRoutes, type ServerRegistry } from './api-routes.js';
import { HeaderPolicy, type AnswerKind } from './headers.js';
import { HttpError, toHttpError } from './http-error.js';
import { LedgerFollower } from './ledger-follower.js';
import { PublishedFiles } from './published-files.js';
import { TokenBucketLimiter, type RateLimitOptions } from './rate-limit.js';
import { ReadCache } from './read-cache.js';
import { pathOf } from './request-path.js';
import { isDataPath, SHARE_PATH, shareNotReceived, siteRoutes } from './site-routes.js';
import { loadStaticSite, type StaticFile } from './static-site.js';
import { asksWallets, walletService, type WalletEndpoint } from './wallet-routes.js';

export { API_PREFIX, type ServerRegistry } from './api-routes.js';
export type { WalletEndpoint } from './wallet-routes.js';
export { PAGE_CSP } from './headers.js';

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
  /** Largest request body accepted outside the tracking routes (default 1024 bytes; the API reads none). */
  readonly maxBodyBytes?: number;
  /** Called once per failed request with the server-side detail (default: nothing). */
  readonly onError?: (error: unknown, request: { method: string; url: string }) => void;
  /**
   * Status tracking (`serve --tracking`, ../watch/tracking-service.ts): its routes (subscriptions, SSE,
   * webhook keys) are added to the server's, under the same rate limit. The server answers CORS
   * preflights for them and puts its CORS policy (`corsOrigins`) on their answers.
   */
  readonly tracking?: {
    /** Adds the tracking routes to the server. */
    register(app: FastifyInstance): void;
    /** The methods of a tracking route, or undefined when `path` is none. */
    allowedMethods(path: string): readonly string[] | undefined;
    /** True for a route of this server's own page only (no CORS, no other site). */
    pageOnly?(path: string): boolean;
  };
  /**
   * The wallet endpoints (`serve --wallet`: `@credledger/oid4vc`'s OpenID4VCI issuer and OpenID4VP
   * verifier), mounted like the tracking routes, with bodies up to `walletBodyLimit` bytes (default 64 KiB).
   * With the verifier's `POST /oid4vp/requests` among them, the page's `config.json` says so
   * (`presentationVerifier`) and the page offers to request a credential from a wallet.
   */
  readonly wallet?: { readonly routes: readonly WalletEndpoint[] };
  readonly walletBodyLimit?: number;
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080` (`https://` with `tls`). */
  readonly url: string;
  /** Stops accepting connections and closes idle ones; resolves when the server has stopped. */
  close(): Promise<void>;
}

const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 20, burst: 60 };

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

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
  const registry = registryOf(options);
  const site = options.webRoot ? await loadStaticSite(options.webRoot) : new Map<string, StaticFile>();
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const limiter = rateLimit === false ? undefined : new TokenBucketLimiter(rateLimit);
  const maxUrlLength = options.maxUrlLength ?? 2048;
  const maxBodyBytes = options.maxBodyBytes ?? 1024;
  const policy = new HeaderPolicy(options.corsOrigins ?? '*');
  const reads = new ReadCache(options.cacheTtlMs ?? 1000);
  const published = new PublishedFiles(options.publishedRoot);
  // Routes with methods and bodies of their own: tracking's and the wallet's.
  const services = [
    options.tracking,
    options.wallet === undefined
      ? undefined
      : walletService(options.wallet.routes, options.walletBodyLimit ?? 64 * 1024, (request) =>
          clientAddress(request as FastifyRequest, options.trustProxy === true),
        ),
  ].filter((service) => service !== undefined);

  const tls = options.tls;
  // Small, fixed limits: a read-only API never needs large headers or slow requests.
  const limits: HttpServerOptions = {
    maxHeaderSize: 8 * 1024,
    requestTimeout: 10_000,
    headersTimeout: 5_000,
    keepAliveTimeout: 5_000,
  };
  const listener = (handler: (request: IncomingMessage, response: ServerResponse) => void) =>
    tls ? createHttpsServer({ ...limits, key: tls.key, cert: tls.cert }, handler) : createServer(limits, handler);

  /** Error answers take the policy of what was asked for. */
  // A tracking or wallet route has all its policy headers set by the request hook (a page-only route's
  // have no CORS): its errors add none.
  const kindOf = (request: FastifyRequest, reply: FastifyReply): AnswerKind =>
    reply.hasHeader('access-control-allow-methods') ||
    services.some((service) => service.pageOnly?.(pathOf(request.url)) === true)
      ? 'tracking'
      : request.url.startsWith(API_PREFIX)
        ? 'api'
        : 'data';
  const refuse = (request: FastifyRequest, reply: FastifyReply, error: HttpError): FastifyReply =>
    sendAnswer(request, reply, errorAnswer(error), kindOf(request, reply), policy);

  // Fastify loads only when a server starts: the watch and tracking code of this package does not need it.
  const { default: fastify } = await import('fastify');
  const app = fastify({
    serverFactory: listener,
    logger: false,
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    bodyLimit: maxBodyBytes,
    // Long targets are refused below with 414; a parameter as long as the target is let through to that check.
    routerOptions: { maxParamLength: maxUrlLength },
    // No route declares a JSON schema, so Fastify's own compilers (ajv and fast-json-stringify, about a
    // tenth of a second of module loading at every start) would never run: they are not loaded.
    schemaController: { compilersFactory: { buildValidator: noSchemaCompiler, buildSerializer: noSchemaCompiler } },
    frameworkErrors: (error, request, reply) => {
      refuse(
        request,
        reply,
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new HttpError('URI_TOO_LONG', `request target longer than ${maxUrlLength} characters`)
          : new HttpError('BAD_REQUEST', 'bad percent-encoding in the path'),
      );
    },
  });

  // Every request, before its body is read: rate limit, target length, the read-only rule (but for the
  // page's share target, sent back to the page unread) and body size.
  // A tracking route gets its CORS headers here and keeps its own methods and bodies.
  app.addHook('onRequest', (request, reply, done) => {
    if (limiter) {
      const decision = limiter.take(clientAddress(request, options.trustProxy === true), performance.now());
      if (!decision.allowed) {
        done(
          new HttpError('RATE_LIMITED', 'too many requests; slow down', {
            'Retry-After': String(decision.retryAfterSeconds),
          }),
        );
        return;
      }
    }
    if (request.url.length > maxUrlLength) {
      done(new HttpError('URI_TOO_LONG', `request target longer than ${maxUrlLength} characters`));
      return;
    }
    const method = request.method;
    const path = pathOf(request.url);
    if (services.some((service) => service.pageOnly?.(path) === true)) {
      // A route for this server's own page (asking a wallet, reading the answer): no CORS, and a browser
      // request from another site is refused, so no other page can use this verifier and read what a
      // holder disclosed to it.
      reply.headers(policy.sameOrigin());
      if (!sameSite(request)) {
        done(new HttpError('ACCESS_DENIED', 'this route answers the verifier page of this server only'));
        return;
      }
      if (method === 'OPTIONS') {
        done(new HttpError('METHOD_NOT_ALLOWED', 'no cross-origin requests here', { Allow: 'GET, HEAD, POST' }));
        return;
      }
      done();
      return;
    }
    const trackingMethods = services.map((service) => service.allowedMethods(path)).find((methods) => methods);
    if (trackingMethods !== undefined) {
      // Every header of a tracking answer is set here: its handlers, and the SSE stream, add their own.
      reply.headers(policy.tracking(request.headers.origin, trackingMethods));
      if (method !== 'OPTIONS' && !trackingMethods.includes(method)) {
        done(
          new HttpError('METHOD_NOT_ALLOWED', `${method} is not allowed here`, { Allow: trackingMethods.join(', ') }),
        );
        return;
      }
      done();
      return;
    }
    if (method === 'POST' && site.size > 0 && pathOf(request.url) === SHARE_PATH) {
      // Answered before the body is read: the shared file is neither parsed nor kept.
      sendAnswer(request, reply, shareNotReceived, 'page', policy);
      return;
    }
    if (!READ_METHODS.has(method)) {
      done(
        new HttpError('METHOD_NOT_ALLOWED', `${method} is not allowed; this server is read-only`, {
          Allow: 'GET, HEAD, OPTIONS',
        }),
      );
      return;
    }
    // Nothing here reads a body; a declared large one, or a streamed one of unknown size, is refused.
    const declaredLength = Number(request.headers['content-length'] ?? 0);
    if (!(declaredLength <= maxBodyBytes) || request.headers['transfer-encoding'] !== undefined) {
      done(new HttpError('PAYLOAD_TOO_LARGE', `request bodies are limited to ${maxBodyBytes} bytes`));
      return;
    }
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const httpError = toHttpError(error);
    if (httpError.status >= 500) options.onError?.(error, { method: request.method, url: request.url });
    if (reply.raw.headersSent) {
      reply.raw.destroy();
      return reply;
    }
    return refuse(request, reply, httpError);
  });
  app.setNotFoundHandler((request, reply) =>
    refuse(request, reply, new HttpError('NOT_FOUND', `nothing at ${pathOf(request.url)}`)),
  );

  // Preflights: the API, published data and tracking routes are readable from other origins.
  app.options('/*', (request, reply) => {
    const path = pathOf(request.url);
    const isTracking = reply.hasHeader('access-control-allow-methods');
    const isApi = path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
    if (!isTracking && !isApi && !isDataPath(path)) {
      throw new HttpError('METHOD_NOT_ALLOWED', 'OPTIONS is not allowed; this server is read-only', {
        Allow: 'GET, HEAD, OPTIONS',
      });
    }
    const answer = { status: 204, body: '', contentType: 'text/plain', headers: { 'Access-Control-Max-Age': '600' } };
    return sendAnswer(request, reply, answer, isTracking ? 'tracking' : isApi ? 'api' : 'data', policy);
  });
  apiRoutes(app, { registry, reads, published, policy, onError: options.onError });
  for (const service of services) service.register(app);
  siteRoutes(app, {
    registry,
    reads,
    published,
    policy,
    site,
    asksWallets: options.wallet !== undefined && asksWallets(options.wallet.routes),
  });

  const sweep = limiter
    ? setInterval(() => {
        limiter.sweep(performance.now());
      }, 30_000)
    : undefined;
  sweep?.unref();

  try {
    await app.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    if (sweep) clearInterval(sweep);
    await app.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
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
      if (sweep) clearInterval(sweep);
      await follower?.close();
      await app.close();
    },
  };
}

/**
 * Whether a request comes from a page of this server: no `Origin` (not a browser's cross-origin call),
 * or one whose host is the request's `Host` (or the `X-Forwarded-Host` a proxy in front set).
 */
function sameSite(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = request.headers['x-forwarded-host'];
  const hosts = [request.headers.host, ...(Array.isArray(forwarded) ? forwarded : [forwarded])];
  return hosts.some((candidate) => candidate !== undefined && candidate.split(',')[0]?.trim() === host);
}

/** The client's address for the rate limit: the last `X-Forwarded-For` hop behind a trusted proxy, else the socket's. */
function clientAddress(request: FastifyRequest, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
    if (last) return last;
  }
  return request.raw.socket.remoteAddress ?? 'unknown';
}

function registryOf(options: ServerOptions): ServerRegistry {
  if (options.registry && !options.ledger) return options.registry;
  if (options.ledger && !options.registry) return new Registry(options.ledger);
  throw new CredledgerError('CONFIG_INVALID', 'startServer needs exactly one of registry or ledger');
}

/**
 * The schema compiler factory of a server whose routes declare no JSON schema: Fastify calls it only for
 * a route that declares one, which then fails to register, saying why.
 */
function noSchemaCompiler(): never {
  throw new Error('credledger routes declare no JSON schemas: this server loads no schema compiler');
}
