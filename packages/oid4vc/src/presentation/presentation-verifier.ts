/**
 * An OpenID4VP verifier for credledger's SD-JWT VCs: it makes an authorization request for chosen claims
 * of one credential type, takes the wallet's `direct_post` response, has the presentation verified by the
 * function its caller gives (so no ledger or trust list code loads here), and keeps the outcome for the
 * verifier's page to read, once per request. Two flavours, one outcome: for IETF wallets OpenID4VP 1.0
 * with a DCQL query for a `dc+sd-jwt`; for Taiwan's digital wallet (TW DIW) OpenID4VP before 1.0 with a
 * DIF Presentation Exchange definition for a `vc+sd-jwt` (decision 0036).
 *
 * Unsigned (no `signing` option), the client is identified by its response URI (1.0: the `redirect_uri:`
 * prefix; before 1.0: `client_id_scheme=redirect_uri`), and the wallet can tell the user nothing verified
 * about who asks; OpenID4VP forbids signing such a request and a `request_uri` must return a signed one
 * (RFC 9101), so it goes by value, in the link itself. Signed (`signing`: a P-256 key and an X.509 chain
 * naming the host), the client id is `x509_san_dns:<host>` and the request goes by reference: the link
 * carries the client id and a `request_uri` where the wallet fetches the signed request object, which
 * also makes the QR code several versions smaller.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { CredledgerError, type VerificationResult } from '@credledger/verify';
import type { CallbackContext } from '@openid4vc/oauth2';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';

import { allowLoopbackHttp } from '../base-url.js';
import { serverCallbacks } from '../callbacks.js';
import type { WalletProfile } from '../issuance/offer-store.js';
import {
  NO_STORE,
  oauthError,
  type WalletAnswer,
  type WalletRequest,
  type WalletService,
  isRecord,
} from '../routes.js';
import { dcqlQueryFor, queriedPresentation } from './dcql-query.js';
import { outcomeOf, refusedOutcome, type PresentationOutcome } from './outcome.js';
import { createRequestSigner, type RequestSigningKey } from './request-signing.js';
import { decryptingWith, newResponseKey, RESPONSE_ENCRYPTIONS, responseKeyId } from './response-encryption.js';
import { presentationDefinitionFor, submittedPresentation, twDiwVpFormats } from './presentation-definition.js';
import {
  createRequestBook,
  RequestRefused,
  type PresentationRequestRecord,
  type RequestProgress,
  type RequestRefusal,
} from './request-book.js';

/**
 * Verifies one presentation for this verifier: the CLI passes one built on `@credledger/verify`'s
 * `verifyCredential` with the ledger (or published status lists) and the trust list, requiring a key
 * binding with exactly this nonce and audience.
 */
export type PresentationCheck = (
  presentation: string,
  expected: { readonly nonce: string; readonly audience: string },
) => Promise<VerificationResult>;

export interface PresentationVerifierOptions {
  /**
   * The https origin the routes are served under (http only on loopback); the wallet posts to
   * `<baseUrl>/oid4vp/response`. A function gives it on first use (a server that picks its port).
   */
  readonly baseUrl: string | (() => string);
  readonly verify: PresentationCheck;
  /** Clock; default the system clock. */
  readonly now?: () => Date;
  /** How long a wallet has to answer a request; default 5 minutes. */
  readonly requestLifetimeMs?: number;
  /** Most requests held at once (outstanding, or answered and not yet forgotten); default 1,000. */
  readonly maxRequests?: number;
  /**
   * Most requests one client address may hold at once through `POST /oid4vp/requests` (default 20), so
   * that no one caller can fill the book for everyone else.
   */
  readonly maxRequestsPerClient?: number;
  /**
   * Sign requests with this key and certificate chain (its leaf naming the base URL's host): client id
   * `x509_san_dns:<host>`, the request by reference. Absent: unsigned requests by value.
   */
  readonly signing?: RequestSigningKey;
}

/** What to ask a wallet for: claims of one credledger credential type, e.g. `name` and `licenceNumber`. */
export interface PresentationRequestInput {
  readonly credentialType: string;
  readonly claims: readonly string[];
  /**
   * Which wallets and which SD-JWT profile: `ietf` (default; OpenID4VP 1.0, DCQL, `dc+sd-jwt`) or `tw-diw`
   * (Taiwan's digital wallet: OpenID4VP before 1.0, Presentation Exchange, `vc+sd-jwt`).
   */
  readonly profile?: WalletProfile;
  /** Who asks (a client address), for the per-client bound; a caller of its own may leave it out. */
  readonly client?: string;
}

export interface CreatedPresentationRequest {
  /** The verifier's handle: read the outcome at `/oid4vp/requests/<id>`. Keep it to the verifier's page. */
  readonly id: string;
  /** The `openid4vp://` authorization request, for a QR code or a same-device link. */
  readonly link: string;
  readonly state: string;
  readonly nonce: string;
  /** The request's client id: the audience of the holder's key-binding JWT. */
  readonly clientId: string;
  readonly expiresAt: Date;
  /** Signed with the verifier's certificate (and sent by reference). */
  readonly signed: boolean;
}

export interface PresentationVerifier extends WalletService {
  /**
   * The client id of IETF requests: `redirect_uri:<baseUrl>/oid4vp/response`, or `x509_san_dns:<host>`
   * when signing. A TW DIW request's client id is the response URI itself with `client_id_scheme:
   * redirect_uri`, or the host with `client_id_scheme: x509_san_dns` (OpenID4VP before 1.0).
   */
  readonly clientId: string;
  /**
   * Makes a request for the given claims.
   * @throws CredledgerError UNKNOWN_CREDENTIAL_TYPE, INVALID_INPUT (claims, profile); RequestRefused TOO_MANY_REQUESTS
   */
  createRequest(input: PresentationRequestInput): Promise<CreatedPresentationRequest>;
}

export const PRESENTATION_RESPONSE_PATH = '/oid4vp/response';
export const PRESENTATION_REQUESTS_PATH = '/oid4vp/requests';
/** Where a wallet fetches a signed request object: `<path>/<reference>` is the `request_uri`. */
export const REQUEST_OBJECTS_PATH = '/oid4vp/request-objects';

/** The result route's answer for a request it knows. */
export interface PresentationRequestStatus {
  readonly id: string;
  readonly status: RequestProgress;
  readonly expiresAt: string;
  readonly outcome?: PresentationOutcome;
}

const refusalText: Readonly<Record<RequestRefusal, string>> = {
  REQUEST_UNKNOWN: 'no presentation request by that state or id (never made, or forgotten)',
  REQUEST_EXPIRED: 'the presentation request expired before it was answered',
  REQUEST_USED: 'the presentation request was answered already',
  TOO_MANY_REQUESTS: 'too many presentation requests are outstanding',
};

/**
 * The verifier's endpoints and its request maker.
 * @throws CredledgerError CONFIG_INVALID when `baseUrl` is not an https origin or a bound is not a positive integer
 * @example
 * const verifier = createPresentationVerifier({
 *   baseUrl: 'https://verify.moj.gov.tw',
 *   verify: (presentation, { nonce, audience }) =>
 *     verifyCredential(presentation, { status, keyBinding: { required: true, nonce, audience } }),
 * });
 * const { id, link } = await verifier.createRequest({ credentialType: 'LawyerLicenceCredential', claims: ['name', 'licenceNumber'] });
 * // show `link` as a QR code; mount verifier.routes; GET /oid4vp/requests/<id> until ANSWERED.
 */
export function createPresentationVerifier(options: PresentationVerifierOptions): PresentationVerifier {
  const clock = options.now ?? (() => new Date());
  const signer = options.signing === undefined ? undefined : createRequestSigner(options.signing, clock());
  let resolved:
    | { readonly base: string; readonly host: string; readonly responseUri: string; readonly clientId: string }
    | undefined;
  const endpoint = () => {
    if (resolved === undefined) {
      const base = httpsOrigin(typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl);
      const responseUri = `${base}${PRESENTATION_RESPONSE_PATH}`;
      const host = new URL(base).hostname;
      if (signer !== undefined && !signer.dnsNames.includes(host))
        throw new CredledgerError(
          'CONFIG_INVALID',
          `the verifier certificate is for ${signer.dnsNames.join(', ')}, not ${host}: wallets would refuse its requests`,
          { details: { host, dnsNames: signer.dnsNames } },
        );
      resolved = {
        base,
        host,
        responseUri,
        clientId: signer === undefined ? `redirect_uri:${responseUri}` : `x509_san_dns:${host}`,
      };
    }
    return resolved;
  };
  if (typeof options.baseUrl === 'string') endpoint();
  const lifetimeMs = positiveInteger(options.requestLifetimeMs ?? 5 * 60_000, 'requestLifetimeMs');
  const max = positiveInteger(options.maxRequests ?? 1000, 'maxRequests');
  const callbacks: CallbackContext = {
    ...serverCallbacks(),
    // The request object is the only thing this side signs, with the verifier's certificate key.
    ...(signer === undefined
      ? {}
      : {
          signJwt: (_signer, { header, payload }) => ({
            jwt: signer.sign(header, payload),
            signerJwk: signer.publicJwk,
          }),
        }),
  };
  const openid4vp = new Openid4vpVerifier({ callbacks });
  const maxPerClient = positiveInteger(options.maxRequestsPerClient ?? 20, 'maxRequestsPerClient');
  const book = createRequestBook({ lifetimeMs, max, maxPerClient });

  /** Parses, matches to the query and verifies one response; every failure is an outcome. */
  async function outcomeOfResponse(
    request: PresentationRequestRecord,
    body: Record<string, unknown>,
  ): Promise<PresentationOutcome> {
    // An error response (OpenID4VP 1.0 §8.5): the wallet posts `error` and `state` instead of a presentation.
    if (typeof body.error === 'string')
      return refusedOutcome('DECLINED', [body.error === 'access_denied' ? 'WALLET_DECLINED' : 'WALLET_ERROR'], clock());
    let presentation: string | undefined;
    try {
      const parsed = await openid4vp.parseOpenid4vpAuthorizationResponse({
        authorizationResponse: body,
        authorizationRequestPayload: request.authorizationRequestPayload,
        callbacks:
          request.responseKey === undefined
            ? callbacks
            : { ...callbacks, decryptJwe: decryptingWith(request.responseKey) },
      });
      // The library checks the response's shape; which presentation answers the request is ours to say.
      if (request.profile === 'ietf' && parsed.type === 'dcql')
        presentation = queriedPresentation(request.query, parsed.dcql.presentations);
      else if (request.profile === 'tw-diw' && parsed.type === 'pex' && 'presentationDefinition' in parsed.pex)
        presentation = submittedPresentation(
          request.definition,
          parsed.pex.presentationSubmission,
          // The form field as posted, or the member of the decrypted response (direct_post.jwt).
          request.responseKey === undefined ? body.vp_token : parsed.authorizationResponsePayload.vp_token,
        );
    } catch {
      return refusedOutcome('MALFORMED', ['RESPONSE_MALFORMED'], clock());
    }
    if (presentation === undefined) return refusedOutcome('NOT_AS_REQUESTED', ['PRESENTATION_NOT_AS_QUERIED'], clock());
    let result: VerificationResult;
    try {
      result = await options.verify(presentation, { nonce: request.nonce, audience: request.audience });
    } catch {
      return refusedOutcome('UNVERIFIABLE', ['VERIFICATION_FAILED'], clock());
    }
    return outcomeOf(result, request, clock());
  }

  /**
   * The wallet's `direct_post`: the form fields `vp_token` and `state`, or `error` and `state`; for a signed
   * request (`direct_post.jwt`) the field `response`, a JWE whose `kid` names the request.
   */
  async function respond(request: WalletRequest): Promise<WalletAnswer> {
    const body = request.body;
    const encrypted = isRecord(body) && typeof body.response === 'string' ? responseKeyId(body.response) : undefined;
    const state = encrypted === undefined ? (isRecord(body) ? body.state : undefined) : book.stateOf(encrypted);
    if (!isRecord(body) || typeof state !== 'string' || state === '')
      return oauthError(
        400,
        'invalid_request',
        'a direct_post response has the form fields vp_token and state (direct_post.jwt: response)',
        { code: encrypted === undefined ? 'RESPONSE_MALFORMED' : 'REQUEST_UNKNOWN' },
      );
    const claimed = book.claim(state, clock());
    if (!claimed.ok) return oauthError(400, 'invalid_request', refusalText[claimed.refusal], { code: claimed.refusal });
    // Claimed before anything is awaited: a second response for this state is refused from here on.
    book.answer(claimed.request.id, await outcomeOfResponse(claimed.request, body));
    // Received; what the verifier concluded is for its own page, not the wallet.
    return { status: 200, body: {}, headers: NO_STORE };
  }

  /** The verifier page's read of a request: its progress and, once answered, its outcome. */
  function result(request: WalletRequest): Promise<WalletAnswer> {
    const id = lastSegment(request.url, PRESENTATION_REQUESTS_PATH);
    const read = id === undefined ? ({ ok: false, refusal: 'REQUEST_UNKNOWN' } as const) : book.read(id, clock());
    if (!read.ok)
      // The shape of the server's own API errors: this route is for credledger's page, not a wallet.
      return Promise.resolve({
        status: read.refusal === 'REQUEST_EXPIRED' ? 410 : 404,
        body: { error: { code: read.refusal, message: refusalText[read.refusal] } },
        headers: NO_STORE,
      });
    const status: PresentationRequestStatus = {
      id: read.request.id,
      status: read.progress,
      expiresAt: read.request.expiresAt.toISOString(),
      ...(read.outcome ? { outcome: read.outcome } : {}),
    };
    return Promise.resolve({ status: 200, body: status, headers: NO_STORE });
  }

  async function createRequest(input: PresentationRequestInput): Promise<CreatedPresentationRequest> {
    const { base, host, clientId, responseUri } = endpoint();
    // A JavaScript caller may pass anything.
    const profile: unknown = input.profile ?? 'ietf';
    if (profile !== 'ietf' && profile !== 'tw-diw')
      throw new CredledgerError('INVALID_INPUT', 'the profile of a presentation request is ietf or tw-diw', {
        details: { profile },
      });
    const [id, state, nonce, reference] = [secret(), secret(), secret(), secret()];
    // Signed requests get encrypted answers (HAIP): a key of their own, named by the reference.
    const responseKey = signer === undefined ? undefined : newResponseKey(reference);
    const encryption = responseKey === undefined ? undefined : { keys: [responseKey.publicJwk] };
    const common = {
      response_type: 'vp_token',
      response_uri: responseUri,
      response_mode: encryption === undefined ? 'direct_post' : 'direct_post.jwt',
      nonce,
      state,
    } as const;
    const asked =
      profile === 'ietf'
        ? ({ profile, query: dcqlQueryFor(input.credentialType, input.claims), audience: clientId } as const)
        : ({
            profile,
            definition: presentationDefinitionFor(input.credentialType, input.claims, randomUUID()),
            // Before 1.0 the client id prefix was a parameter of its own, the client id the bare URI or host.
            audience: signer === undefined ? responseUri : host,
          } as const);
    const { authorizationRequestPayload, authorizationRequest, jar } =
      await openid4vp.createOpenId4vpAuthorizationRequest({
        authorizationRequestPayload:
          asked.profile === 'ietf'
            ? {
                ...common,
                client_id: asked.audience,
                dcql_query: asked.query,
                client_metadata: {
                  vp_formats_supported: {
                    // The algorithms credledger issuers sign with, and the holder keys its issuer binds.
                    'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256', 'EdDSA'], 'kb-jwt_alg_values': ['ES256'] },
                  },
                  ...(encryption === undefined
                    ? {}
                    : { jwks: encryption, encrypted_response_enc_values_supported: [...RESPONSE_ENCRYPTIONS] }),
                },
              }
            : {
                ...common,
                client_id: asked.audience,
                client_id_scheme: signer === undefined ? 'redirect_uri' : 'x509_san_dns',
                presentation_definition: asked.definition,
                // `vp_formats`, the name before 1.0; a TW DIW credential is signed with ES256 only (decision 0019).
                client_metadata: {
                  vp_formats: twDiwVpFormats,
                  // Before 1.0, encryption was JARM's client metadata.
                  ...(encryption === undefined
                    ? {}
                    : {
                        jwks: encryption,
                        authorization_encrypted_response_alg: 'ECDH-ES',
                        authorization_encrypted_response_enc: 'A256GCM',
                      }),
                },
              },
        ...(signer === undefined
          ? {}
          : {
              jar: {
                requestUri: `${base}${REQUEST_OBJECTS_PATH}/${reference}`,
                jwtSigner: { method: 'x5c', alg: 'ES256', x5c: [...signer.x5c] },
                // A verifier without the wallet's metadata: static discovery (OpenID4VP 1.0 §5.8).
                additionalJwtPayload: { aud: 'https://self-issued.me/v2' },
                expiresInSeconds: Math.ceil(lifetimeMs / 1000),
              },
            }),
      });
    const now = clock();
    const expiresAt = new Date(now.getTime() + lifetimeMs);
    book.add(
      {
        id,
        state,
        nonce,
        credentialType: input.credentialType,
        claims: [...input.claims],
        ...asked,
        authorizationRequestPayload,
        createdAt: now,
        expiresAt,
        ...(input.client === undefined ? {} : { client: input.client }),
        ...(jar === undefined ? {} : { requestObject: { reference, jwt: jar.authorizationRequestJwt } }),
        ...(responseKey === undefined ? {} : { responseKey }),
      },
      now,
    );
    return {
      id,
      link: authorizationRequest,
      state,
      nonce,
      clientId: asked.audience,
      expiresAt,
      signed: jar !== undefined,
    };
  }

  /**
   * A page's request to ask a wallet: `{ credentialType, claims, profile? }` in, `{ id, link, expiresAt }`
   * out; `profile` is `ietf` (the default) or `tw-diw`.
   */
  async function create(request: WalletRequest): Promise<WalletAnswer> {
    const body = request.body;
    if (
      !isRecord(body) ||
      typeof body.credentialType !== 'string' ||
      !Array.isArray(body.claims) ||
      !body.claims.every((claim) => typeof claim === 'string') ||
      !(body.profile === undefined || body.profile === 'ietf' || body.profile === 'tw-diw')
    )
      return apiError(
        400,
        'INVALID_INPUT',
        'expected a JSON body { "credentialType": string, "claims": string[], "profile"?: "ietf" | "tw-diw" }',
      );
    try {
      const created = await createRequest({
        credentialType: body.credentialType,
        claims: body.claims,
        ...(body.profile === undefined ? {} : { profile: body.profile }),
        client: request.clientAddress,
      });
      return {
        status: 201,
        body: {
          id: created.id,
          link: created.link,
          expiresAt: created.expiresAt.toISOString(),
          signed: created.signed,
        },
        headers: NO_STORE,
      };
    } catch (error) {
      if (error instanceof CredledgerError) return apiError(400, error.code, error.message);
      if (error instanceof RequestRefused) return apiError(429, error.refusal, error.message);
      throw error;
    }
  }

  /** A wallet's fetch of a signed request object (`request_uri`), while its request waits for an answer. */
  function requestObject(request: WalletRequest): Promise<WalletAnswer> {
    const reference = lastSegment(request.url, REQUEST_OBJECTS_PATH);
    const jwt = reference === undefined ? undefined : book.requestObject(reference, clock());
    return Promise.resolve(
      jwt === undefined
        ? oauthError(404, 'invalid_request_uri', 'no presentation request waits at this request_uri')
        : { status: 200, body: jwt, contentType: 'application/oauth-authz-req+jwt', headers: NO_STORE },
    );
  }

  return {
    get clientId() {
      return endpoint().clientId;
    },
    routes: [
      { method: 'GET', path: `${REQUEST_OBJECTS_PATH}/:reference`, handle: requestObject },
      { method: 'POST', path: PRESENTATION_REQUESTS_PATH, handle: create, pageOnly: true },
      { method: 'POST', path: PRESENTATION_RESPONSE_PATH, handle: respond },
      { method: 'GET', path: `${PRESENTATION_REQUESTS_PATH}/:id`, handle: result, pageOnly: true },
    ],
    createRequest,
  };
}

/** The shape of the server's own API errors: these routes are for credledger's page, not a wallet. */
function apiError(status: number, code: string, message: string): WalletAnswer {
  return { status, body: { error: { code, message } }, headers: NO_STORE };
}

/** 192 random bits, base64url: ids, states and nonces no one can guess. */
function secret(): string {
  return randomBytes(24).toString('base64url');
}

/** The `:id` of `<prefix>/:id` in a request target, or undefined. */
function lastSegment(url: string, prefix: string): string | undefined {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith(`${prefix}/`)) return undefined;
  const segment = path.slice(prefix.length + 1);
  return /^[A-Za-z0-9_-]{1,64}$/.test(segment) ? segment : undefined;
}

function httpsOrigin(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CredledgerError('CONFIG_INVALID', 'the verifier base URL is not a URL', { details: { baseUrl } });
  }
  // A wallet posts personal data to the response URI: https, or http on this machine only (a demo, a test).
  if (
    !(url.protocol === 'https:' || (url.protocol === 'http:' && allowLoopbackHttp(url))) ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== ''
  )
    throw new CredledgerError(
      'CONFIG_INVALID',
      'the verifier base URL must be an https origin (no path; http only on localhost)',
      { details: { baseUrl } },
    );
  return url.origin;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new CredledgerError('CONFIG_INVALID', `${name} must be a positive integer`, { details: { [name]: value } });
  return value;
}
