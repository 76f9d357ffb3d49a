/**
 * A holder's wallet for tests, built from the OpenWallet Foundation's OpenID4VCI client: it scans an
 * offer link, resolves the issuer's metadata, exchanges the pre-authorized code and the transaction
 * code for an access token, proves possession of its own P-256 key and receives the credential, over
 * real HTTP. `draft: 'draft13'` makes it speak as Taiwan's digital wallet does (a `format` request with
 * one `proof`); otherwise it speaks OpenID4VCI 1.0 (`credential_configuration_id`, `proofs`).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

import { clientAuthenticationAnonymous, HashAlgorithm, type CallbackContext, type Jwk } from '@openid4vc/oauth2';
import { Openid4vciClient, Openid4vciVersion } from '@openid4vc/openid4vci';
import { setGlobalConfig } from '@openid4vc/utils';

export interface ReceivedCredential {
  readonly credential: string;
  readonly configurationId: string;
}

export class TestWallet {
  readonly publicJwk: Jwk;
  private readonly privateKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    this.publicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' };
    this.privateKey = privateKey;
    // The test server is http on loopback.
    setGlobalConfig({ allowInsecureUrls: true });
  }

  /** The library client with this wallet's key. */
  client(): Openid4vciClient {
    return new Openid4vciClient({ callbacks: this.callbacks() });
  }

  /** Scans `link`, enters `txCode` and receives the offered credential. Throws the library's errors. */
  async receive(link: string, txCode: string | undefined, options: { draft?: 'draft13' | 'v1' } = {}) {
    const client = this.client();
    const offer = await client.resolveCredentialOffer(link);
    const resolved = await client.resolveIssuerMetadata(offer.credential_issuer);
    const draft13 = options.draft === 'draft13';
    const issuerMetadata = draft13 ? { ...resolved, originalDraftVersion: Openid4vciVersion.Draft14 } : resolved;
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer: offer,
      issuerMetadata,
      ...(txCode === undefined ? {} : { txCode }),
    });
    const configurationId = offer.credential_configuration_ids[0] ?? '';
    const nonce = draft13
      ? String(accessTokenResponse.c_nonce)
      : (await client.requestNonce({ issuerMetadata })).c_nonce;
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: configurationId,
      signer: { method: 'jwk', alg: 'ES256', publicJwk: this.publicJwk },
      nonce,
    });
    const response = await client.retrieveCredentials({
      issuerMetadata,
      accessToken: accessTokenResponse.access_token,
      credentialConfigurationId: configurationId,
      ...(draft13 ? { proof: { proof_type: 'jwt', jwt } } : { proofs: { jwt: [jwt] } }),
    });
    const body = response.credentialResponse as {
      credential?: string;
      credentials?: { credential: string }[];
    };
    const credential = body.credential ?? body.credentials?.[0]?.credential;
    if (typeof credential !== 'string') throw new Error(`no credential in ${JSON.stringify(body)}`);
    return { credential, configurationId, accessToken: accessTokenResponse.access_token, proof: jwt, issuerMetadata };
  }

  private callbacks(): CallbackContext {
    const privateKey = this.privateKey;
    return {
      fetch,
      hash: (data, alg) =>
        createHash(alg === HashAlgorithm.Sha256 ? 'sha256' : alg === HashAlgorithm.Sha384 ? 'sha384' : 'sha512')
          .update(data)
          .digest(),
      generateRandom: (length) => randomBytes(length),
      signJwt: (signer, { header, payload }) => {
        if (signer.method !== 'jwk') throw new Error('the test wallet signs with its JWK only');
        const input = `${b64(header)}.${b64(payload)}`;
        const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
        return { jwt: `${input}.${signature.toString('base64url')}`, signerJwk: signer.publicJwk };
      },
      verifyJwt: () => ({ verified: false }),
      encryptJwe: () => {
        throw new Error('not used');
      },
      decryptJwe: () => ({ decrypted: false }),
      clientAuthentication: clientAuthenticationAnonymous(),
    };
  }

  /** The private key, to sign key-binding JWTs when presenting the credential. */
  get signingKey(): KeyObject {
    return this.privateKey;
  }
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
