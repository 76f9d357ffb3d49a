/**
 * A minimal holder wallet on the OpenWallet Foundation's client libraries: it receives a credential
 * from an offer link (OpenID4VCI: pre-authorized code with a transaction code, a proof of possession of
 * its P-256 key) and presents it to a request link (OpenID4VP, `direct_post`: a DCQL query as IETF
 * wallets get, or a Presentation Exchange definition as TW DIW gets), disclosing only the claims asked
 * for, with a key-binding JWT over the request's nonce and the verifier's client id.
 * For `credledger demo --wallet` and for integration tests: its key lives in memory and dies with it.
 * A citizen's real wallet (TW DIW, an EU wallet) plays this part in production.
 */
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  sign,
  type KeyObject,
  type X509Certificate,
} from 'node:crypto';

import type { CallbackContext, Jwk } from '@openid4vc/oauth2';
import { Openid4vciClient, Openid4vciVersion } from '@openid4vc/openid4vci';
import { Openid4vpClient, type ResolvedOpenid4vpAuthorizationRequest } from '@openid4vc/openid4vp';
import { CompactEncrypt } from 'jose';

import { allowLoopbackHttp } from '../base-url.js';
import { publicPart, serverCallbacks, verifyEs256 } from '../callbacks.js';
import { chainIsTrusted, dnsNames, readCertificates } from '../x509.js';

export interface ReceivedCredential {
  /** The SD-JWT VC with all its disclosures (`<issuer-signed JWT>~<disclosure>~…~`). */
  readonly credential: string;
  readonly configurationId: string;
  readonly credentialIssuer: string;
}

export interface PresentedCredential {
  /** What was sent as the `vp_token`'s presentation: the disclosures chosen and the key-binding JWT. */
  readonly presentation: string;
  /** The claims disclosed. */
  readonly disclosed: readonly string[];
  /** The verifier's HTTP status for the `direct_post`. */
  readonly status: number;
}

export interface ReferenceWallet {
  /** The holder's public key, bound into every credential this wallet receives (`cnf.jwk`). */
  readonly publicJwk: Jwk;
  /**
   * Redeems an `openid-credential-offer://` link with the transaction code the issuer sent separately.
   * `draft13` speaks as Taiwan's digital wallet does (a `format` request with one `proof`).
   * Throws the library's errors (a refused offer: its `error` and `credledger_error`).
   */
  receive(
    link: string,
    txCode: string | undefined,
    options?: { readonly draft13?: boolean },
  ): Promise<ReceivedCredential>;
  /**
   * Answers an `openid4vp://` request with `credential`, disclosing exactly the claims its DCQL query
   * names, or — a TW DIW request — the `$.credentialSubject.<claim>` fields its Presentation Definition
   * names, with a `presentation_submission` mapping the definition's descriptor to the SD-JWT.
   */
  present(link: string, credential: string): Promise<PresentedCredential>;
  /**
   * Answers an `openid4vp://` request with an error instead of a presentation (OpenID4VP 1.0 §8.5), as a
   * wallet does when its holder declines: `access_denied` unless another OAuth error code is given.
   * Returns the verifier's HTTP status.
   */
  decline(link: string, error?: string): Promise<number>;
}

export interface ReferenceWalletOptions {
  /** Default the global one. */
  readonly fetch?: typeof fetch;
  /**
   * The certificates (PEM) this wallet trusts for signed requests (`x509_san_dns:` client ids): a
   * request whose `x5c` chain does not lead to one of them is refused. A real wallet has its ecosystem's
   * registrar certificates here. Default none: only unsigned requests are answered.
   */
  readonly trustedCertificates?: string;
}

/** A wallet with a new P-256 key. */
export function createReferenceWallet(options: ReferenceWalletOptions = {}): ReferenceWallet {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const exported = publicKey.export({ format: 'jwk' });
  const publicJwk: Jwk = { kty: 'EC', crv: 'P-256', x: exported.x ?? '', y: exported.y ?? '' };
  const trusted = options.trustedCertificates === undefined ? [] : readCertificates(options.trustedCertificates);
  const callbacks = holderCallbacks(privateKey, options.fetch ?? fetch, trusted);
  const vci = new Openid4vciClient({ callbacks });
  const vp = new Openid4vpClient({ callbacks });
  const transport = options.fetch ?? fetch;

  /** The request a link carries, resolved, its loopback http response URI let through first. */
  async function resolveRequest(link: string): Promise<ResolvedOpenid4vpAuthorizationRequest> {
    const parsed = vp.parseOpenid4vpAuthorizationRequest({ authorizationRequest: link });
    const responseUri = (parsed.params as { response_uri?: unknown }).response_uri;
    if (typeof responseUri === 'string') allowLoopbackHttp(new URL(responseUri));
    return vp.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
  }

  return {
    publicJwk,
    async receive(link, txCode, receiveOptions = {}) {
      allowLoopbackIssuer(link);
      const offer = await vci.resolveCredentialOffer(link);
      const resolved = await vci.resolveIssuerMetadata(offer.credential_issuer);
      const draft13 = receiveOptions.draft13 === true;
      // Draft 13 requests have the shape the library calls draft 14's (format and one proof).
      const issuerMetadata = draft13 ? { ...resolved, originalDraftVersion: Openid4vciVersion.Draft14 } : resolved;
      const { accessTokenResponse } = await vci.retrievePreAuthorizedCodeAccessTokenFromOffer({
        credentialOffer: offer,
        issuerMetadata,
        ...(txCode === undefined ? {} : { txCode }),
      });
      const configurationId = offer.credential_configuration_ids[0] ?? '';
      const nonce =
        draft13 && typeof accessTokenResponse.c_nonce === 'string'
          ? accessTokenResponse.c_nonce
          : (await vci.requestNonce({ issuerMetadata })).c_nonce;
      const { jwt } = await vci.createCredentialRequestJwtProof({
        issuerMetadata,
        credentialConfigurationId: configurationId,
        signer: { method: 'jwk', alg: 'ES256', publicJwk },
        nonce,
      });
      const response = await vci.retrieveCredentials({
        issuerMetadata,
        accessToken: accessTokenResponse.access_token,
        credentialConfigurationId: configurationId,
        ...(draft13 ? { proof: { proof_type: 'jwt', jwt } } : { proofs: { jwt: [jwt] } }),
      });
      const body = response.credentialResponse as { credential?: unknown; credentials?: { credential?: unknown }[] };
      const credential = body.credential ?? body.credentials?.[0]?.credential;
      if (typeof credential !== 'string') throw new Error('the credential response carries no SD-JWT');
      return { credential, configurationId, credentialIssuer: offer.credential_issuer };
    },

    async present(link, credential) {
      const request = await resolveRequest(link);
      const asked = askedOf(request);
      const wanted = new Set(asked.claims);
      const [issuerJwt = '', ...disclosures] = credential.split('~').filter((part) => part !== '');
      const chosen = disclosures.filter((disclosure) => wanted.has(disclosureName(disclosure)));
      const sdJwt = `${[issuerJwt, ...chosen].join('~')}~`;
      const payload = request.authorizationRequestPayload;
      const presentation = `${sdJwt}${keyBindingJwt(sdJwt, payload.nonce, payload.client_id ?? '', privateKey)}`;
      // direct_post.jwt: the answer encrypted to the key in the request's client metadata.
      const encrypt = payload.response_mode === 'direct_post.jwt';
      const { authorizationResponsePayload, jarm } = await vp.createOpenid4vpAuthorizationResponse({
        authorizationRequestPayload: payload,
        authorizationResponsePayload: asked.answer(presentation),
        ...(encrypt
          ? {
              jarm: {
                encryption: { nonce: randomBytes(16).toString('base64url') },
                serverMetadata: {
                  authorization_signing_alg_values_supported: ['ES256'],
                  authorization_encryption_alg_values_supported: ['ECDH-ES'],
                  authorization_encryption_enc_values_supported: ['A128GCM', 'A256GCM'],
                },
              },
            }
          : {}),
      });
      const { response } = await vp.submitOpenid4vpAuthorizationResponse({
        authorizationRequestPayload: {
          response_uri: typeof payload.response_uri === 'string' ? payload.response_uri : undefined,
        },
        authorizationResponsePayload,
        ...(jarm === undefined ? {} : { jarm: { responseJwt: jarm.responseJwt } }),
      });
      return { presentation, disclosed: chosen.map(disclosureName), status: response.status };
    },

    async decline(link, error = 'access_denied') {
      const payload = (await resolveRequest(link)).authorizationRequestPayload;
      if (typeof payload.response_uri !== 'string') throw new Error('the request has no response_uri to answer');
      // The protocol library builds presentations only; an error response is two form fields.
      const response = await transport(payload.response_uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ error, ...(payload.state === undefined ? {} : { state: payload.state }) }),
      });
      await response.body?.cancel();
      return response.status;
    },
  };
}

/** What a request asks this wallet for: claim names, and the response carrying one presentation. */
interface Asked {
  readonly claims: readonly string[];
  answer(presentation: string): { vp_token: string | Record<string, [string]>; presentation_submission?: object };
}

/**
 * Reads a DCQL query of one credential (its claim paths of one name), or a Presentation Definition of
 * one input descriptor (its `$.credentialSubject.<claim>` fields; other fields, such as the `$.type`
 * filter, select a credential, which this one-credential wallet leaves to its caller).
 */
function askedOf(request: ResolvedOpenid4vpAuthorizationRequest): Asked {
  const query = request.dcql?.query as { credentials?: { id: string; claims?: { path: string[] }[] }[] } | undefined;
  const credentialQuery = query?.credentials?.[0];
  if (credentialQuery !== undefined)
    return {
      claims: (credentialQuery.claims ?? []).map((claim) => claim.path[0] ?? ''),
      answer: (presentation) => ({ vp_token: { [credentialQuery.id]: [presentation] } }),
    };
  const definition = request.pex?.presentation_definition as
    | { id?: unknown; input_descriptors?: { id: string; constraints?: { fields?: { path?: string[] }[] } }[] }
    | undefined;
  const descriptor = definition?.input_descriptors?.length === 1 ? definition.input_descriptors[0] : undefined;
  if (definition === undefined || descriptor === undefined)
    throw new Error('the request has neither a DCQL query nor a presentation definition of one credential');
  const claims = (descriptor.constraints?.fields ?? []).flatMap(
    (field) => /^\$\.credentialSubject\.([A-Za-z0-9_]+)$/.exec(field.path?.[0] ?? '')?.slice(1) ?? [],
  );
  return {
    claims,
    answer: (presentation) => ({
      vp_token: presentation,
      presentation_submission: {
        id: randomUUID(),
        definition_id: definition.id,
        descriptor_map: [{ id: descriptor.id, format: 'vc+sd-jwt', path: '$' }],
      },
    }),
  };
}

/** Lets a loopback http credential issuer through (a demo, a test) before the library reads the offer. */
function allowLoopbackIssuer(link: string): void {
  try {
    const params = new URL(link).searchParams;
    const byValue = params.get('credential_offer');
    const issuer =
      byValue === null
        ? params.get('credential_offer_uri')
        : (JSON.parse(byValue) as { credential_issuer?: unknown }).credential_issuer;
    if (typeof issuer === 'string') allowLoopbackHttp(new URL(issuer));
  } catch {
    // Not readable here: the library says what is wrong with it.
  }
}

function disclosureName(disclosure: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8')) as unknown[];
    return typeof decoded[1] === 'string' ? decoded[1] : '';
  } catch {
    return '';
  }
}

/** The key-binding JWT of RFC 9901 §4.3: `typ: kb+jwt`, the nonce, the audience and `sd_hash`, ES256. */
function keyBindingJwt(sdJwt: string, nonce: string, audience: string, key: KeyObject): string {
  const header = base64url({ typ: 'kb+jwt', alg: 'ES256' });
  const sdHash = createHash('sha256').update(sdJwt).digest('base64url');
  const claims = base64url({ iat: Math.floor(Date.now() / 1000), aud: audience, nonce, sd_hash: sdHash });
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${claims}.${signature.toString('base64url')}`;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function holderCallbacks(
  privateKey: KeyObject,
  transport: typeof fetch,
  trusted: readonly X509Certificate[],
): CallbackContext {
  const server = serverCallbacks();
  return {
    // Hashing, randomness, anonymous client authentication and JWK/DID signatures as the server side does them.
    ...server,
    fetch: transport,
    // A signed request: ES256 by the leaf certificate's key, its chain leading to a trusted certificate.
    verifyJwt: (signer, jwt) => {
      if (signer.method !== 'x5c') return server.verifyJwt(signer, jwt);
      try {
        const chain = readCertificates(signer.x5c);
        const leaf = chain[0];
        if (leaf === undefined || signer.alg !== 'ES256' || !chainIsTrusted(chain, trusted, new Date()))
          return { verified: false };
        const jwk = publicPart(leaf.publicKey.export({ format: 'jwk' }) as Jwk);
        return verifyEs256(jwt.compact, jwk) ? { verified: true, signerJwk: jwk } : { verified: false };
      } catch {
        return { verified: false };
      }
    },
    encryptJwe: async (encryptor, data) => {
      const header = {
        alg: encryptor.alg,
        enc: encryptor.enc,
        ...(encryptor.publicJwk.kid === undefined ? {} : { kid: encryptor.publicJwk.kid }),
        ...(encryptor.apu === undefined ? {} : { apu: encryptor.apu }),
        ...(encryptor.apv === undefined ? {} : { apv: encryptor.apv }),
      };
      const key = createPublicKey({ key: publicPart(encryptor.publicJwk), format: 'jwk' });
      const jwe = await new CompactEncrypt(new TextEncoder().encode(data)).setProtectedHeader(header).encrypt(key);
      return { jwe, encryptionJwk: encryptor.publicJwk };
    },
    getX509CertificateMetadata: (certificate) => ({
      sanDnsNames: dnsNames(readCertificates([certificate])[0] ?? fail('no certificate')),
      sanUriNames: [],
    }),
    signJwt: (signer, { header, payload }) => {
      if (signer.method !== 'jwk') throw new Error('this wallet signs with its own JWK only');
      const input = `${base64url(header)}.${base64url(payload)}`;
      const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return { jwt: `${input}.${signature.toString('base64url')}`, signerJwk: signer.publicJwk };
    },
  };
}

function fail(message: string): never {
  throw new Error(message);
}
