/**
 * A wallet for the tests, on the client side of `@openid4vc/openid4vp`: it reads the `openid4vp://`
 * link, resolves the request (client identifier prefix, DCQL query), selects the disclosures of exactly
 * the claims the query names, adds a key-binding JWT (nonce, aud, sd_hash) signed with the holder's key,
 * and posts the response with the library's own `direct_post`. Given a verifier's routes, its fetch calls
 * their handlers in this process (no HTTP); given a fetch (the global one), it talks to a running server.
 * Optional hooks let a test play a thief or a man in the middle.
 * @see https://www.rfc-editor.org/rfc/rfc9901#section-4.3 (key binding)
 */
import { createHash, sign, type KeyObject } from 'node:crypto';

import { Openid4vpClient, type ResolvedOpenid4vpAuthorizationRequest } from '@openid4vc/openid4vp';

import { serverCallbacks } from '../src/callbacks.js';
import type { WalletAnswer, WalletService } from '../src/index.js';

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** `[salt, name, value]` of a disclosure. */
export function decodeDisclosure(disclosure: string): [string, string, unknown] {
  return JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8')) as [string, string, unknown];
}

export function encodeDisclosure(disclosure: readonly [string, string, unknown]): string {
  return b64url(JSON.stringify(disclosure));
}

/** A key-binding JWT over `<issuer-signed JWT>~<disclosures>~`, ES256. */
export function keyBindingJwt(
  sdJwt: string,
  claims: { readonly nonce: string; readonly aud: string; readonly iat: number },
  key: KeyObject,
): string {
  const header = b64url(JSON.stringify({ typ: 'kb+jwt', alg: 'ES256' }));
  const sdHash = createHash('sha256').update(sdJwt).digest('base64url');
  const payload = b64url(JSON.stringify({ iat: claims.iat, aud: claims.aud, nonce: claims.nonce, sd_hash: sdHash }));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${b64url(signature)}`;
}

/** A `fetch` that hands a request to the route of `service` with that method and path. */
export function inProcessFetch(service: WalletService): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = init?.method ?? 'GET';
    const route = service.routes.find(
      (candidate) =>
        candidate.method === method &&
        (candidate.path === url.pathname ||
          (candidate.path.endsWith('/:id') && url.pathname.startsWith(candidate.path.slice(0, -':id'.length)))),
    );
    if (!route) return new Response('not found', { status: 404 });
    const body = typeof init?.body === 'string' ? Object.fromEntries(new URLSearchParams(init.body)) : undefined;
    const answer: WalletAnswer = await route.handle({
      method,
      url: `${url.pathname}${url.search}`,
      headers: {},
      body,
      clientAddress: '127.0.0.1',
    });
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

export interface PresentOptions {
  /** Claims to disclose instead of the ones the query names. */
  readonly disclose?: readonly string[];
  /** Changes the disclosures before the key-binding JWT is signed (a holder lying). */
  readonly beforeKeyBinding?: (disclosures: string[]) => string[];
  /** Changes the finished presentation (someone on the way). */
  readonly inTransit?: (presentation: string) => string;
  /** Leaves out the key-binding JWT. */
  readonly noKeyBinding?: boolean;
}

export interface Presented {
  readonly request: ResolvedOpenid4vpAuthorizationRequest;
  /** The presentation sent, as the vp_token carries it. */
  readonly presentation: string;
  /** The verifier's answer to the post. */
  readonly status: number;
  readonly body: unknown;
}

export class TestHolder {
  readonly #client: Openid4vpClient;

  constructor(
    readonly key: KeyObject,
    readonly credential: string,
    readonly verifier: WalletService | typeof fetch,
    readonly clock: () => Date,
  ) {
    const transport = typeof verifier === 'function' ? verifier : inProcessFetch(verifier);
    this.#client = new Openid4vpClient({ callbacks: { ...serverCallbacks(), fetch: transport } });
  }

  /** Reads and resolves the request a link carries. */
  async resolve(link: string): Promise<ResolvedOpenid4vpAuthorizationRequest> {
    const parsed = this.#client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: link });
    return this.#client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
  }

  /** Answers the request of `link` with this credential. */
  async present(link: string, options: PresentOptions = {}): Promise<Presented> {
    const request = await this.resolve(link);
    const query = (request.dcql?.query as { credentials: { id: string; claims: { path: string[] }[] }[] })
      .credentials[0]!;
    const wanted = options.disclose ?? query.claims.map((claim) => claim.path[0]!);
    const [issuerJwt = '', ...rest] = this.credential.split('~').filter((part) => part !== '');
    let disclosures = rest.filter((disclosure) => wanted.includes(decodeDisclosure(disclosure)[1]));
    if (options.beforeKeyBinding) disclosures = options.beforeKeyBinding(disclosures);
    const sdJwt = `${[issuerJwt, ...disclosures].join('~')}~`;
    const payload = request.authorizationRequestPayload;
    let presentation = options.noKeyBinding
      ? sdJwt
      : `${sdJwt}${keyBindingJwt(
          sdJwt,
          { nonce: payload.nonce, aud: payload.client_id ?? '', iat: Math.floor(this.clock().getTime() / 1000) },
          this.key,
        )}`;
    if (options.inTransit) presentation = options.inTransit(presentation);
    return { request, presentation, ...(await this.send(request, { [query.id]: [presentation] })) };
  }

  /** Posts a vp_token (perhaps another's) as the response to a resolved request. */
  async send(
    request: ResolvedOpenid4vpAuthorizationRequest,
    vpToken: Record<string, [string, ...string[]]>,
  ): Promise<{ status: number; body: unknown }> {
    const { authorizationResponsePayload } = await this.#client.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request.authorizationRequestPayload,
      authorizationResponsePayload: { vp_token: vpToken },
    });
    const responseUri = request.authorizationRequestPayload.response_uri;
    const { response } = await this.#client.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: { response_uri: typeof responseUri === 'string' ? responseUri : undefined },
      authorizationResponsePayload,
    });
    return { status: response.status, body: await response.json() };
  }
}
