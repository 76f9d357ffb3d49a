/**
 * The wallet endpoints of `serve --wallet` (OpenID4VCI, OpenID4VP: `@credledger/oid4vc`) mounted on the
 * server: each is a framework-free function from a request to an answer. They get the tracking routes'
 * treatment — their own methods, bodies and CORS headers, set by the server's request hook — with JSON
 * and form bodies up to `bodyLimit` bytes.
 */
import type { FastifyInstance } from 'fastify';

import { jsonBody } from './json-body.js';

/**
 * Where the verifier page asks a wallet for a presentation (`@credledger/oid4vc`'s OpenID4VP verifier):
 * a server whose wallet endpoints include `POST` here tells its page so in `config.json`.
 */
export const PRESENTATION_REQUESTS_PATH = '/oid4vp/requests';

/** Whether `endpoints` let a page ask wallets for presentations. */
export function asksWallets(endpoints: readonly WalletEndpoint[]): boolean {
  return endpoints.some((endpoint) => endpoint.method === 'POST' && endpoint.path === PRESENTATION_REQUESTS_PATH);
}

/** One wallet endpoint, as `@credledger/oid4vc` describes it (`WalletRoute`). */
export interface WalletEndpoint {
  readonly method: 'GET' | 'POST';
  /** An exact path, or one whose last segment is a parameter (`/oid4vp/requests/:id`). */
  readonly path: string;
  /** For this server's own page, not for wallets: no CORS, and browser requests from another site refused. */
  readonly pageOnly?: boolean;
  handle(request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
    readonly body: unknown;
    readonly clientAddress: string;
  }): Promise<{
    readonly status: number;
    readonly body: unknown;
    readonly contentType?: string;
    readonly headers?: Readonly<Record<string, string>>;
  }>;
}

/** The wallet endpoints as a service the server mounts beside its own routes. */
export function walletService(
  endpoints: readonly WalletEndpoint[],
  bodyLimit: number,
  clientAddress: (request: { readonly raw: { readonly socket: { readonly remoteAddress?: string } } }) => string,
): {
  register(app: FastifyInstance): void;
  allowedMethods(path: string): readonly string[] | undefined;
  pageOnly(path: string): boolean;
} {
  const matches = (pattern: string, path: string): boolean => {
    if (!pattern.includes('/:')) return pattern === path;
    const prefix = pattern.slice(0, pattern.lastIndexOf('/') + 1);
    return path.startsWith(prefix) && path.length > prefix.length && !path.slice(prefix.length).includes('/');
  };
  return {
    pageOnly(path) {
      return endpoints.some((endpoint) => endpoint.pageOnly === true && matches(endpoint.path, path));
    },
    allowedMethods(path) {
      const methods = endpoints.filter((endpoint) => matches(endpoint.path, path)).map((endpoint) => endpoint.method);
      if (methods.length === 0) return undefined;
      return methods.includes('GET') ? [...new Set([...methods, 'HEAD'])] : methods;
    },
    register(app) {
      void app.register((scope, _options, done) => {
        // OAuth's token endpoint and OpenID4VP's direct_post send forms; only in this scope.
        scope.addContentTypeParser(
          'application/x-www-form-urlencoded',
          { parseAs: 'string', bodyLimit },
          (_request, body, parsed) => {
            parsed(null, Object.fromEntries(new URLSearchParams(body as string)));
          },
        );
        for (const endpoint of endpoints) {
          scope.route({
            method: endpoint.method === 'GET' ? ['GET', 'HEAD'] : 'POST',
            url: endpoint.path,
            bodyLimit,
            handler: async (request, reply) => {
              const answer = await endpoint.handle({
                method: request.method,
                url: request.url,
                headers: request.headers,
                body: request.body,
                clientAddress: clientAddress(request),
              });
              const text = answer.contentType === undefined ? jsonBody(answer.body) : String(answer.body);
              return reply
                .code(answer.status)
                .headers({ ...answer.headers, 'Content-Type': answer.contentType ?? 'application/json; charset=utf-8' })
                .send(text);
            },
          });
        }
        done();
      });
    },
  };
}
