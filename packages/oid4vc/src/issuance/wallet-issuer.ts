/**
 * The OpenID4VCI credential issuer of `credledger serve --wallet`: issuer and authorization-server
 * metadata, the pre-authorized code token endpoint, the nonce endpoint and the credential endpoint.
 * The @openid4vc libraries parse and check every message a wallet sends (the token request, the
 * credential request, the proof of possession); the offer store decides what a code and a token are
 * worth; the credential is signed for the holder's key and anchored by `issue`, which the caller gives.
 * OpenID4VCI 1.0 requests (`credential_configuration_id`, `proofs`) are answered in 1.0's shape, draft 13
 * ones (`format`, `proof`, as Taiwan's digital wallet sends) in theirs.
 */
import {
  calculateJwkThumbprint,
  decodeJwt,
  HashAlgorithm,
  Oauth2AuthorizationServer,
  Oauth2ServerErrorResponseError,
  preAuthorizedCodeGrantIdentifier,
  type Jwk,
} from '@openid4vc/oauth2';
import { Openid4vciIssuer, Openid4vciVersion, type IssuerMetadataResult } from '@openid4vc/openid4vci';
import { CredledgerError } from '@credledger/verify';

import { allowLoopbackHttp } from '../base-url.js';
import { serverCallbacks, signerJwk } from '../callbacks.js';
import {
  NO_STORE,
  oauthError,
  type WalletAnswer,
  type WalletRequest,
  type WalletService,
  isRecord,
} from '../routes.js';
import { configurationId, credentialConfigurations, parseConfigurationId } from './configurations.js';
import { createNonceBook } from './nonces.js';
import { OfferRefused, type OfferContent, type OfferStore, type WalletProfile } from './offer-store.js';

/** Where the endpoints are, under the credential issuer's URL. */
export const WALLET_PATHS = {
  issuerMetadata: '/.well-known/openid-credential-issuer',
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  token: '/oid4vci/token',
  nonce: '/oid4vci/nonce',
  credential: '/oid4vci/credential',
  /** `<path>/<pre-authorized code>`: an offer by reference (`credential_offer_uri`). */
  offers: '/oid4vci/offers',
} as const;

/** What the caller does to issue an offered credential for a holder's key. */
export interface IssueForHolder {
  (request: {
    readonly content: OfferContent;
    /** The holder's public key, proven by the wallet: it goes into the credential's `cnf`. */
    readonly holderKey: Jwk;
    /** The credential signed before a crash (for this same holder key), to anchor instead of signing again. */
    readonly signedBefore: string | undefined;
    /** To call with the signed credential before it is anchored (the store keeps it). */
    readonly onSigned: (credential: string) => Promise<void>;
  }): Promise<{ readonly credential: string }>;
}

/** One line for the operator's log: what was issued, what was refused and why. */
export interface WalletIssuerEvent {
  readonly kind: 'issued' | 'refused';
  /** `offer`: a wallet fetched an offer by reference (logged when refused). */
  readonly endpoint: 'offer' | 'token' | 'credential';
  readonly offerId: string | undefined;
  readonly credentialId?: string;
  /** OfferRefusal, or a protocol error code (`invalid_proof`, `invalid_nonce`, …). */
  readonly reason?: string;
  readonly message?: string;
  readonly client: string;
}

export interface WalletIssuerOptions {
  /**
   * The credential issuer identifier: the public base URL (https; http only on loopback), or a function
   * giving it on first use (a server that picks its port knows its URL once it listens).
   */
  readonly baseUrl: string | (() => string);
  readonly offers: OfferStore;
  readonly issue: IssueForHolder;
  /** The algorithm of the issuer's signing key (ES256 or EdDSA), for the metadata. */
  readonly signingAlg: string;
  /** Issuer names for display, in the wallet's languages. */
  readonly display?: readonly { readonly name: string; readonly locale: string }[];
  /** Access token lifetime (default 5 min). */
  readonly tokenLifetimeMs?: number;
  readonly onEvent?: (event: WalletIssuerEvent) => void;
  readonly now?: () => Date;
}

export interface WalletIssuer extends WalletService {
  /** The credential issuer identifier (the base URL without a trailing slash). */
  readonly credentialIssuer: string;
}

/**
 * The credential issuer's endpoints over an offer store.
 * Fails: CONFIG_INVALID (a base URL that is not https, or http other than loopback).
 */
export function createWalletIssuer(options: WalletIssuerOptions): WalletIssuer {
  // A URL given now is checked now; one given as a function, on first use.
  if (typeof options.baseUrl === 'string') credentialIssuerUrl(options.baseUrl);
  const now = options.now ?? (() => new Date());
  const tokenLifetimeMs = options.tokenLifetimeMs ?? 5 * 60_000;
  const callbacks = serverCallbacks();
  const issuer = new Openid4vciIssuer({ callbacks });
  const authorizationServer = new Oauth2AuthorizationServer({ callbacks });
  const nonces = createNonceBook();
  const log = options.onEvent ?? (() => undefined);

  const configurations = credentialConfigurations(options.signingAlg);
  // Built on first use: a server listening on a port it picked knows its URL only once it listens.
  let built: { readonly base: string; readonly metadata: IssuerMetadataResult } | undefined;
  const known = (): { readonly base: string; readonly metadata: IssuerMetadataResult } => {
    built ??= (() => {
      const base = credentialIssuerUrl(typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl);
      return { base, metadata: issuerMetadataOf(base, configurations, options.display) };
    })();
    return built;
  };
  const baseOf = () => known().base;
  const metadataOf = () => known().metadata;

  /** A refused offer or code, logged, as an OAuth error carrying the refusal (`credledger_error`). */
  const offerRefusal = (
    endpoint: 'offer' | 'token',
    request: WalletRequest,
    error: OfferRefused,
    status: number,
    code: string,
  ): WalletAnswer => {
    log({
      kind: 'refused',
      endpoint,
      offerId: error.offerId,
      reason: error.refusal,
      message: error.message,
      client: request.clientAddress,
    });
    return oauthError(status, code, error.message, { credledger_error: error.refusal });
  };

  const token = async (request: WalletRequest): Promise<WalletAnswer> => {
    let grant;
    try {
      grant = authorizationServer.parseAccessTokenRequest({
        accessTokenRequest: isRecord(request.body) ? request.body : {},
        request: requestLike(request, baseOf()),
      }).grant;
    } catch (error) {
      return libraryError(error);
    }
    if (grant.grantType !== preAuthorizedCodeGrantIdentifier)
      return oauthError(400, 'unsupported_grant_type', 'only the pre-authorized code grant is supported');
    try {
      const at = now();
      const { offer, accessToken } = await options.offers.exchangeCode(grant.preAuthorizedCode, grant.txCode, {
        now: at,
        tokenLifetimeMs,
      });
      const { nonce, expiresInSeconds } = nonces.issue(at);
      log({ kind: 'issued', endpoint: 'token', offerId: offer.offerId, client: request.clientAddress });
      return {
        status: 200,
        headers: NO_STORE,
        body: {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: Math.floor(tokenLifetimeMs / 1000),
          // Draft 13 wallets take their first nonce here; 1.0 wallets ask the nonce endpoint.
          c_nonce: nonce,
          c_nonce_expires_in: expiresInSeconds,
        },
      };
    } catch (error) {
      if (!(error instanceof OfferRefused)) throw error;
      return offerRefusal('token', request, error, 400, 'invalid_grant');
    }
  };

  /** `GET /oid4vci/offers/<code>`: the credential offer a link by reference names, while it can be redeemed. */
  const offerByReference = async (request: WalletRequest): Promise<WalletAnswer> => {
    const path = request.url.split('?')[0] ?? '';
    let code = '';
    try {
      code = decodeURIComponent(path.slice(WALLET_PATHS.offers.length + 1));
    } catch {
      // Not a code: refused below as unknown.
    }
    try {
      const offer = await options.offers.redeemable(code, now());
      const content = offer.content;
      if (content === undefined) throw new OfferRefused('OFFER_USED', offer.offerId, 'the offer was already used');
      const { object } = await credentialOfferOf(
        baseOf(),
        { preAuthorizedCode: code, type: content.type, profile: content.profile },
        undefined,
      );
      return { status: 200, headers: NO_STORE, body: object };
    } catch (error) {
      if (!(error instanceof OfferRefused)) throw error;
      return offerRefusal('offer', request, error, 404, 'invalid_request');
    }
  };

  const nonce = (): Promise<WalletAnswer> => {
    const issued = nonces.issue(now());
    return Promise.resolve({
      status: 200,
      headers: NO_STORE,
      body: issuer.createNonceResponse({ cNonce: issued.nonce, cNonceExpiresIn: issued.expiresInSeconds }),
    });
  };

  const credential = async (request: WalletRequest): Promise<WalletAnswer> => {
    const at = now();
    const refuse = (
      status: number,
      error: string,
      description: string,
      offerId: string | undefined,
      extra: Record<string, unknown> = {},
    ): WalletAnswer => {
      log({
        kind: 'refused',
        endpoint: 'credential',
        offerId,
        reason: typeof extra.credledger_error === 'string' ? extra.credledger_error : error,
        message: description,
        client: request.clientAddress,
      });
      return oauthError(status, error, description, extra);
    };
    const tokenRefusal = (error: OfferRefused): WalletAnswer => {
      const unauthorized = error.refusal === 'UNKNOWN_TOKEN' || error.refusal === 'TOKEN_EXPIRED';
      const answer = refuse(
        unauthorized ? 401 : 400,
        unauthorized ? 'invalid_token' : 'invalid_credential_request',
        error.message,
        error.offerId,
        { credledger_error: error.refusal },
      );
      return unauthorized
        ? { ...answer, headers: { ...NO_STORE, 'WWW-Authenticate': 'Bearer error="invalid_token"' } }
        : answer;
    };
    const accessToken = bearerToken(request.headers.authorization);
    if (accessToken === undefined)
      return {
        ...refuse(401, 'invalid_token', 'a Bearer access token from the token endpoint is required', undefined),
        headers: { ...NO_STORE, 'WWW-Authenticate': 'Bearer' },
      };
    try {
      await options.offers.authorize(accessToken, at);
    } catch (error) {
      if (!(error instanceof OfferRefused)) throw error;
      return tokenRefusal(error);
    }
    let parsed;
    try {
      parsed = issuer.parseCredentialRequest({
        issuerMetadata: metadataOf(),
        credentialRequest: isRecord(request.body) ? request.body : {},
      });
    } catch (error) {
      return libraryError(error);
    }
    const wanted = configurationOf(parsed);
    const isV1 = parsed.credentialConfigurationId !== undefined;
    const proofJwt = parsed.proofs?.jwt?.[0];
    if (proofJwt === undefined || (parsed.proofs?.jwt?.length ?? 0) !== 1)
      return refuse(400, 'invalid_proof', 'exactly one proof of type jwt is required', undefined);
    // The nonce the wallet signed: accepted once, and only if this issuer gave it out recently.
    let signedNonce: unknown;
    try {
      signedNonce = decodeJwt({ jwt: proofJwt }).payload.nonce;
    } catch {
      return refuse(400, 'invalid_proof', 'the proof is not a JWT', undefined);
    }
    if (typeof signedNonce !== 'string' || !nonces.consume(signedNonce, at)) {
      const fresh = nonces.issue(at);
      return refuse(400, 'invalid_nonce', 'the proof does not carry a current c_nonce; ask for a new one', undefined, {
        c_nonce: fresh.nonce,
        c_nonce_expires_in: fresh.expiresInSeconds,
      });
    }
    let holderKey: Jwk | undefined;
    try {
      const verified = await issuer.verifyCredentialRequestJwtProof({
        issuerMetadata: metadataOf(),
        jwt: proofJwt,
        expectedNonce: signedNonce,
        now: at,
      });
      holderKey = signerJwk(verified.signer);
    } catch (error) {
      return refuse(400, 'invalid_proof', `the proof of possession does not verify: ${firstLine(error)}`, undefined);
    }
    if (holderKey === undefined)
      return refuse(400, 'invalid_proof', 'the proof must name a P-256 key (jwk, did:jwk or did:key)', undefined);
    const key = holderKey;
    const thumbprint = await calculateJwkThumbprint({
      jwk: key,
      hashAlgorithm: HashAlgorithm.Sha256,
      hashCallback: callbacks.hash,
    });
    try {
      const { offer, result } = await options.offers.redeem(accessToken, at, async (content, before, onSigned) => {
        if (wanted === undefined || wanted !== configurationId(content.type, content.profile))
          throw new WrongConfiguration(configurationId(content.type, content.profile));
        // A retry must prove the key the credential signed before is bound to, or it would get a credential it cannot present.
        if (before !== undefined && before.signedFor !== thumbprint) throw new KeyMismatch();
        return options.issue({
          content,
          holderKey: key,
          signedBefore: before?.credential,
          onSigned: (credential) => onSigned(credential, thumbprint),
        });
      });
      log({
        kind: 'issued',
        endpoint: 'credential',
        offerId: offer.offerId,
        credentialId: offer.credentialId,
        client: request.clientAddress,
      });
      const next = nonces.issue(at);
      const { credentialResponse } = {
        credentialResponse: issuer.createCredentialResponse({
          credentialRequest: parsed,
          ...(isV1
            ? { credentials: [{ credential: result.credential }] }
            : { credential: result.credential, cNonce: next.nonce, cNonceExpiresInSeconds: next.expiresInSeconds }),
        }),
      };
      return { status: 200, headers: NO_STORE, body: credentialResponse };
    } catch (error) {
      if (error instanceof KeyMismatch)
        return refuse(
          400,
          'invalid_proof',
          "this offer's credential was signed for another key; prove possession of that key",
          undefined,
        );
      if (error instanceof WrongConfiguration)
        return refuse(
          400,
          isV1 ? 'unknown_credential_configuration' : 'unsupported_credential_type',
          `this offer is for ${error.offered}`,
          undefined,
        );
      if (error instanceof OfferRefused) return tokenRefusal(error);
      // The issuing itself failed: the wallet gets OpenID4VCI's shape, the operator a log line; the offer
      // keeps its state, so a retry (the same token, the same key) finishes it.
      const code =
        typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'INTERNAL';
      const detail = firstLine(error);
      if (TRANSIENT.has(code))
        return {
          ...refuse(503, 'temporarily_unavailable', `the ledger cannot anchor now (${detail}); try again`, undefined, {
            credledger_error: code,
          }),
          headers: { ...NO_STORE, 'Retry-After': '5' },
        };
      if (DENIED.has(code))
        return refuse(400, 'credential_request_denied', detail, undefined, { credledger_error: code });
      log({
        kind: 'refused',
        endpoint: 'credential',
        offerId: undefined,
        reason: code,
        message: detail,
        client: request.clientAddress,
      });
      return oauthError(500, 'server_error', 'the credential could not be issued; the operator has the reason', {
        credledger_error: code,
      });
    }
  };

  const configurationOf = (parsed: ReturnType<Openid4vciIssuer['parseCredentialRequest']>): string | undefined => {
    if (parsed.credentialConfigurationId !== undefined) return parsed.credentialConfigurationId;
    const format = parsed.format as
      { format?: string; vct?: string; credential_definition?: { type?: string[] } } | undefined;
    const named =
      format?.format === 'jwt_vc_json'
        ? `${format.credential_definition?.type?.find((type) => type !== 'VerifiableCredential') ?? ''}.tw-diw`
        : format?.format === 'dc+sd-jwt' || format?.format === 'vc+sd-jwt'
          ? `${(format.vct ?? '').split('/').pop() ?? ''}.ietf`
          : '';
    return parseConfigurationId(named) === undefined ? undefined : named;
  };

  const json = (body: unknown): Promise<WalletAnswer> => Promise.resolve({ status: 200, body });
  return {
    get credentialIssuer() {
      return baseOf();
    },
    routes: [
      { method: 'GET', path: WALLET_PATHS.issuerMetadata, handle: () => json(metadataOf().credentialIssuer) },
      {
        method: 'GET',
        path: WALLET_PATHS.authorizationServerMetadata,
        handle: () => json(metadataOf().authorizationServers[0]),
      },
      { method: 'POST', path: WALLET_PATHS.token, handle: token },
      { method: 'POST', path: WALLET_PATHS.nonce, handle: nonce },
      { method: 'POST', path: WALLET_PATHS.credential, handle: credential },
      { method: 'GET', path: `${WALLET_PATHS.offers}/:code`, handle: offerByReference },
    ],
  };
}

/**
 * The `openid-credential-offer://` link of an offer (what its QR code carries). By reference (the
 * default) it is `credential_offer_uri=<issuer>/oid4vci/offers/<pre-authorized code>`, where the wallet
 * fetches the offer while it can still be redeemed — about 180 characters instead of 560, QR version 9
 * instead of about 20 — and the code is in the link exactly as by value, so the store still keeps only
 * its hash. By value
 * (`byValue`) the offer itself is in the link. Either way the pre-authorized code is a bearer secret;
 * the transaction code goes to the holder another way.
 * Fails: CONFIG_INVALID (credential issuer URL).
 */
export async function credentialOfferLink(
  offer: {
    readonly credentialIssuer: string;
    readonly preAuthorizedCode: string;
    readonly type: string;
    readonly profile: WalletProfile;
  },
  options: { readonly byValue?: boolean } = {},
): Promise<string> {
  const base = credentialIssuerUrl(offer.credentialIssuer);
  return (await credentialOfferOf(base, offer, options.byValue === true ? undefined : offerUri(base, offer))).link;
}

/** Where an offer by reference is fetched. */
function offerUri(base: string, offer: { readonly preAuthorizedCode: string }): string {
  return `${base}${WALLET_PATHS.offers}/${encodeURIComponent(offer.preAuthorizedCode)}`;
}

/** The credential offer object and its link, by value or (with `uri`) by reference. */
async function credentialOfferOf(
  base: string,
  offer: { readonly preAuthorizedCode: string; readonly type: string; readonly profile: WalletProfile },
  uri: string | undefined,
): Promise<{ readonly link: string; readonly object: unknown }> {
  const issuer = new Openid4vciIssuer({ callbacks: serverCallbacks() });
  const created = await issuer.createCredentialOffer({
    ...(uri === undefined ? {} : { credentialOfferUri: uri }),
    issuerMetadata: issuerMetadataOf(base, credentialConfigurations('ES256'), undefined),
    credentialConfigurationIds: [configurationId(offer.type, offer.profile)],
    grants: {
      [preAuthorizedCodeGrantIdentifier]: {
        'pre-authorized_code': offer.preAuthorizedCode,
        tx_code: {
          input_mode: 'numeric',
          length: 6,
          description: '機關另寄的交易碼 / code sent to you separately',
        },
      },
    },
  });
  return { link: created.credentialOffer, object: created.credentialOfferObject };
}

/** The metadata of a credential issuer that is its own authorization server (pre-authorized code only). */
function issuerMetadataOf(
  base: string,
  configurations: Record<string, Record<string, unknown>>,
  display: WalletIssuerOptions['display'],
): IssuerMetadataResult {
  const callbacks = serverCallbacks();
  const issuer = new Openid4vciIssuer({ callbacks });
  const authorizationServer = new Oauth2AuthorizationServer({ callbacks });
  const asMetadata = authorizationServer.createAuthorizationServerMetadata({
    issuer: base,
    token_endpoint: `${base}${WALLET_PATHS.token}`,
    grant_types_supported: [preAuthorizedCodeGrantIdentifier],
    'pre-authorized_grant_anonymous_access_supported': true,
  });
  const credentialIssuer = issuer.createCredentialIssuerMetadata({
    credential_issuer: base,
    credential_endpoint: `${base}${WALLET_PATHS.credential}`,
    nonce_endpoint: `${base}${WALLET_PATHS.nonce}`,
    ...(display === undefined ? {} : { display: [...display] }),
    credential_configurations_supported: configurations as never,
  });
  return {
    credentialIssuer,
    authorizationServers: [asMetadata],
    originalDraftVersion: Openid4vciVersion.V1,
    knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
  };
}

class KeyMismatch extends Error {}

/** Ledger failures a retry may get past. */
const TRANSIENT: ReadonlySet<string> = new Set([
  'LEDGER_UNAVAILABLE',
  'LEDGER_LOCKED',
  'DEADLINE_EXCEEDED',
  'MVCC_CONFLICT',
  'ENDORSEMENT_FAILED',
  'TRANSACTION_INVALID',
]);

/** Refusals of this credential by the ledger or the issuer's state: a retry meets them again. */
const DENIED: ReadonlySet<string> = new Set([
  'SUBJECT_HAS_ACTIVE_CREDENTIAL',
  'INVALID_TRANSITION',
  'ISSUER_INACTIVE',
  'TYPE_NOT_ALLOWED',
  'KEY_NOT_FOUND',
  'KEY_NOT_ACTIVE',
  'ID_CONFLICT',
  'SCHEMA_INVALID',
]);

class WrongConfiguration extends Error {
  constructor(readonly offered: string) {
    super(`this offer is for ${offered}`);
  }
}

/**
 * The credential issuer identifier of a base URL. Wallets accept only https; http is allowed for a
 * loopback address (a demo, a test), which also tells the protocol library to accept it.
 */
export function credentialIssuerUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CredledgerError('CONFIG_INVALID', `not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'https:' && !allowLoopbackHttp(url))
    throw new CredledgerError(
      'CONFIG_INVALID',
      `wallets reach a credential issuer over https only: ${baseUrl} (http only on localhost)`,
    );
  if (url.search || url.hash) throw new CredledgerError('CONFIG_INVALID', `no query or fragment in ${baseUrl}`);
  return url.href.replace(/\/$/, '');
}

function requestLike(request: WalletRequest, base: string) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (value !== undefined) for (const item of value) headers.append(name, item);
  }
  return { headers, method: request.method as 'POST', url: new URL(request.url, base).href };
}

function bearerToken(header: string | readonly string[] | undefined): string | undefined {
  const value = typeof header === 'string' ? header : undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(value ?? '');
  return match?.[1];
}

function libraryError(error: unknown): WalletAnswer {
  if (error instanceof Oauth2ServerErrorResponseError) {
    const response = error.errorResponse as { error: string; error_description?: string };
    return oauthError(error.status, response.error, firstLine(response.error_description ?? response.error));
  }
  return oauthError(400, 'invalid_request', firstLine(error));
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
