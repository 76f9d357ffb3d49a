/**
 * A wallet for the tests, on the client side of `@openid4vc/openid4vp`: it reads the `openid4vp://`
 * link, resolves the request (client identifier, DCQL query or Presentation Definition), selects the
 * disclosures of exactly the claims the request names, adds a key-binding JWT (nonce, aud, sd_hash)
 * signed with the holder's key, and posts the response with the library's own `direct_post` — for a
 * Presentation Definition (TW DIW) the SD-JWT as the `vp_token` with a `presentation_submission`. Given a
 * verifier's routes, its fetch calls their handlers in this process (no HTTP); given a fetch (the global
 * one), it talks to a running server. Optional hooks let a test play a thief or a man in the middle.
 * @see https://www.rfc-editor.org/rfc/rfc9901#section-4.3 (key binding)
 * @see https://identity.foundation/presentation-exchange/spec/v2.0.0/#presentation-submission
 */
import { createHash, randomUUID, sign, type KeyObject } from 'node:crypto';

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
    // As fetch itself does: a method name in any case (the library sends `get`) is normalised.
    const method = (init?.method ?? 'GET').toUpperCase();
    const route = service.routes.find(
      (candidate) =>
        candidate.method === method &&
        (candidate.path === url.pathname ||
          (candidate.path.includes('/:') && url.pathname.startsWith(candidate.path.replace(/\/:\w+$/, '/')))),
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
    return new Response(answer.contentType === undefined ? JSON.stringify(answer.body) : String(answer.body), {
      status: answer.status,
      headers: { 'content-type': answer.contentType ?? 'application/json' },
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
  /** The audience of the key-binding JWT instead of the request's client id. */
  readonly audience?: string;
  /** Changes the response before it is posted (a TW DIW one: its `presentation_submission`). */
  readonly response?: (response: ResponseFields) => ResponseFields;
}

/** The fields of a `direct_post` response besides `state`. */
export interface ResponseFields {
  readonly vp_token: unknown;
  readonly presentation_submission?: unknown;
}

/** The one descriptor of a Presentation Definition, as far as the tests read it. */
interface Descriptor {
  readonly id: string;
  readonly constraints: { readonly fields: readonly { readonly path: readonly string[] }[] };
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
    const wanted = options.disclose ?? claimsOf(request);
    const [issuerJwt = '', ...rest] = this.credential.split('~').filter((part) => part !== '');
    let disclosures = rest.filter((disclosure) => wanted.includes(decodeDisclosure(disclosure)[1]));
    if (options.beforeKeyBinding) disclosures = options.beforeKeyBinding(disclosures);
    const sdJwt = `${[issuerJwt, ...disclosures].join('~')}~`;
    const payload = request.authorizationRequestPayload;
    let presentation = options.noKeyBinding
      ? sdJwt
      : `${sdJwt}${keyBindingJwt(
          sdJwt,
          {
            nonce: payload.nonce,
            aud: options.audience ?? payload.client_id ?? '',
            iat: Math.floor(this.clock().getTime() / 1000),
          },
          this.key,
        )}`;
    if (options.inTransit) presentation = options.inTransit(presentation);
    const response = responseFor(request, presentation);
    return { request, presentation, ...(await this.post(request, options.response?.(response) ?? response)) };
  }

  /**
   * Posts `presentation` (perhaps another's) as the answer to a resolved request, in the request's
   * language: under the DCQL query's credential id, or mapped to the definition's descriptor; `id` names
   * another query id or descriptor instead.
   */
  async answer(
    request: ResolvedOpenid4vpAuthorizationRequest,
    presentation: string,
    options: { readonly id?: string } = {},
  ): Promise<{ status: number; body: unknown }> {
    return this.post(request, responseFor(request, presentation, options.id));
  }

  /** Posts the response fields with the library's own `direct_post`. */
  async post(
    request: ResolvedOpenid4vpAuthorizationRequest,
    fields: ResponseFields,
  ): Promise<{ status: number; body: unknown }> {
    const { authorizationResponsePayload } = await this.#client.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request.authorizationRequestPayload,
      authorizationResponsePayload: fields as Parameters<
        Openid4vpClient['createOpenid4vpAuthorizationResponse']
      >[0]['authorizationResponsePayload'],
    });
    const responseUri = request.authorizationRequestPayload.response_uri;
    const { response } = await this.#client.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: { response_uri: typeof responseUri === 'string' ? responseUri : undefined },
      authorizationResponsePayload,
    });
    return { status: response.status, body: await response.json() };
  }
}

/** The DCQL query's credential query, or the definition and its one descriptor. */
function askedOf(
  request: ResolvedOpenid4vpAuthorizationRequest,
):
  | { readonly query: { id: string; claims: { path: string[] }[] } }
  | { readonly definition: { id: string }; readonly descriptor: Descriptor } {
  if (request.dcql)
    return {
      query: (request.dcql.query as { credentials: { id: string; claims: { path: string[] }[] }[] }).credentials[0]!,
    };
  const definition = request.pex!.presentation_definition as { id: string; input_descriptors: [Descriptor] };
  return { definition, descriptor: definition.input_descriptors[0] };
}

/** The claims a request names: DCQL claim paths, or the definition's `$.credentialSubject.<claim>` fields. */
function claimsOf(request: ResolvedOpenid4vpAuthorizationRequest): string[] {
  const asked = askedOf(request);
  if ('query' in asked) return asked.query.claims.map((claim) => claim.path[0]!);
  return asked.descriptor.constraints.fields.flatMap(
    (field) => /^\$\.credentialSubject\.(\w+)$/.exec(field.path[0] ?? '')?.slice(1) ?? [],
  );
}

/** The response carrying one presentation for the request: a DCQL vp_token, or an SD-JWT with its submission. */
export function responseFor(
  request: ResolvedOpenid4vpAuthorizationRequest,
  presentation: string,
  id?: string,
): ResponseFields {
  const asked = askedOf(request);
  if ('query' in asked) return { vp_token: { [id ?? asked.query.id]: [presentation] } };
  return {
    vp_token: presentation,
    presentation_submission: {
      id: randomUUID(),
      definition_id: asked.definition.id,
      descriptor_map: [{ id: id ?? asked.descriptor.id, format: 'vc+sd-jwt', path: '$' }],
    },
  };
}
