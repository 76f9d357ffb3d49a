/**
 * Signed presentation requests: a verifier with a P-256 key and an X.509 chain from a registrar (made by
 * `openssl`) asks as `x509_san_dns:<host>` by reference; the reference wallet, trusting that registrar,
 * fetches the request object through the verifier's own route, checks the chain, the signature and that
 * the certificate names the host, and presents. A wallet trusting another registrar refuses; a verifier
 * whose certificate names another host, or whose key is not the certificate's, does not start.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';

import {
  createPresentationVerifier,
  createReferenceWallet,
  type PresentationRequestStatus,
  type PresentationVerifier,
} from '../src/index.js';
import { createRegistrar, type Registrar, type VerifierCertificate } from './certificates.js';
import { BASE, holderKey, LAWYER, lawyerSubject, World } from './presentation-world.js';
import { inProcessFetch } from './test-holder.js';

const HOST = new URL(BASE).hostname;
const asked = ['name', 'licenceNumber'];

let registrar: Registrar;
let otherRegistrar: Registrar;
let certificate: VerifierCertificate;

beforeAll(() => {
  registrar = createRegistrar();
  otherRegistrar = createRegistrar('another registrar');
  certificate = registrar.issue(HOST);
});

/** A verifier on the real clock (the certificates are valid from now), signing with `certificate`. */
function setUp(): { world: World; verifier: PresentationVerifier } {
  const world = new World();
  world.now = new Date();
  const verifier = createPresentationVerifier({
    baseUrl: BASE,
    verify: world.verify(),
    now: world.clock,
    signing: { privateKey: certificate.privateKey, certificates: certificate.chainPem },
  });
  return { world, verifier };
}

async function outcomeOf(verifier: PresentationVerifier, id: string) {
  const route = verifier.routes.find((candidate) => candidate.path === '/oid4vp/requests/:id')!;
  const answer = await route.handle({
    method: 'GET',
    url: `/oid4vp/requests/${id}`,
    headers: {},
    body: undefined,
    clientAddress: '127.0.0.1',
  });
  return (answer.body as PresentationRequestStatus).outcome;
}

const decode = (part: string | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe.each(['ietf', 'tw-diw'] as const)('a signed %s request', (profile) => {
  it('goes by reference under x509_san_dns, signed with the certificate key; a trusting wallet presents: VALID', async () => {
    const { world, verifier } = setUp();
    // What the wallet posts, as the verifier receives it.
    const posted: string[] = [];
    const toVerifier = inProcessFetch(verifier);
    const wallet = createReferenceWallet({
      fetch: (input, init) => {
        if (init?.method === 'POST' && typeof init.body === 'string') posted.push(init.body);
        return toVerifier(input, init);
      },
      trustedCertificates: registrar.certificatePem,
    });
    const { sdJwt } = await world.issue(createPublicKey({ key: { ...wallet.publicJwk }, format: 'jwk' }), { profile });
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    expect(created.signed).toBe(true);

    // The link carries the client id and where to fetch the request, nothing else.
    const link = new URL(created.link);
    const clientId = profile === 'ietf' ? `x509_san_dns:${HOST}` : HOST;
    expect(Object.fromEntries(link.searchParams)).toEqual({
      client_id: clientId,
      request_uri: expect.stringMatching(new RegExp(`^${BASE}/oid4vp/request-objects/[A-Za-z0-9_-]{32}$`)),
      ...(profile === 'tw-diw' ? { client_id_scheme: 'x509_san_dns' } : {}),
    });
    expect(created.link.length).toBeLessThan(200);
    expect(created.clientId).toBe(clientId);

    // The request object: typ oauth-authz-req+jwt, the chain in x5c, the request's parameters inside.
    const fetched = await inProcessFetch(verifier)(link.searchParams.get('request_uri')!);
    expect([fetched.status, fetched.headers.get('content-type')]).toEqual([200, 'application/oauth-authz-req+jwt']);
    const [header, payload] = (await fetched.text()).split('.');
    const chain = (decode(header).x5c as string[]).map((entry) => new X509Certificate(Buffer.from(entry, 'base64')));
    expect(decode(header)).toMatchObject({ typ: 'oauth-authz-req+jwt', alg: 'ES256' });
    expect(chain.map((entry) => entry.subject)).toEqual([`CN=${HOST}`, 'CN=credledger test registrar']);
    expect(decode(payload)).toMatchObject({
      client_id: clientId,
      aud: 'https://self-issued.me/v2',
      response_uri: `${BASE}/oid4vp/response`,
      // Signed requests are answered encrypted, to a key of the request's own.
      response_mode: 'direct_post.jwt',
      nonce: created.nonce,
      state: created.state,
      ...(profile === 'tw-diw' ? { client_id_scheme: 'x509_san_dns' } : {}),
    });

    const metadata = decode(payload).client_metadata as { jwks: { keys: Record<string, unknown>[] } };
    expect(metadata.jwks.keys).toEqual([
      {
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        kid: link.searchParams.get('request_uri')?.split('/').at(-1),
        use: 'enc',
        alg: 'ECDH-ES',
      },
    ]);
    const sent = await wallet.present(created.link, sdJwt);
    expect(sent).toMatchObject({ status: 200, disclosed: asked });
    // One form field: a JWE (five parts, ECDH-ES) that names the request's key; no presentation in clear.
    const form = new URLSearchParams(posted.at(-1));
    expect([...form.keys()]).toEqual(['response']);
    const jwe = form.get('response') ?? '';
    expect(jwe.split('.')).toHaveLength(5);
    expect(decode(jwe.split('.')[0])).toMatchObject({ alg: 'ECDH-ES', kid: metadata.jwks.keys[0]?.kid });
    expect(jwe).not.toContain(sent.presentation.split('~')[0]);
    expect(decode(sent.presentation.split('~').at(-1)?.split('.')[1]).aud).toBe(clientId);
    expect(await outcomeOf(verifier, created.id)).toMatchObject({
      verdict: 'VALID',
      claims: { name: lawyerSubject.name, licenceNumber: lawyerSubject.licenceNumber },
    });
    // Answered: the request object is gone.
    expect((await inProcessFetch(verifier)(link.searchParams.get('request_uri')!)).status).toBe(404);
  });

  it('answered in clear, or encrypted to another key, is not taken as an answer', async () => {
    const { world, verifier } = setUp();
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    const respond = verifier.routes.find((route) => route.path === '/oid4vp/response')!;
    const post = (body: Record<string, string>) =>
      respond.handle({ method: 'POST', url: '/oid4vp/response', headers: {}, body, clientAddress: '127.0.0.1' });
    // A JWE naming no request of this verifier: refused, the request still waiting.
    const stranger = `${Buffer.from(JSON.stringify({ alg: 'ECDH-ES', enc: 'A128GCM', kid: 'unknown' })).toString('base64url')}.e.i.c.t`;
    expect(await post({ response: stranger })).toMatchObject({ status: 400, body: { code: 'REQUEST_UNKNOWN' } });
    expect(await outcomeOf(verifier, created.id)).toBeUndefined();
    // A presentation in clear, with the state: the answer of the request, unreadable as asked.
    expect((await post({ vp_token: '{}', state: created.state })).status).toBe(200);
    expect(await outcomeOf(verifier, created.id)).toEqual({
      verdict: 'MALFORMED',
      reasons: ['RESPONSE_MALFORMED'],
      claims: {},
      answeredAt: world.now.toISOString(),
    });
  });

  it('is refused by a wallet that does not trust the registrar, and nothing reaches the verifier', async () => {
    const { world, verifier } = setUp();
    const key = holderKey();
    const { sdJwt } = await world.issue(key, { profile });
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    for (const trustedCertificates of [otherRegistrar.certificatePem, undefined]) {
      const wallet = createReferenceWallet({
        fetch: inProcessFetch(verifier),
        ...(trustedCertificates === undefined ? {} : { trustedCertificates }),
      });
      await expect(wallet.present(created.link, sdJwt)).rejects.toThrow();
    }
    expect(await outcomeOf(verifier, created.id)).toBeUndefined();
  });
});

describe('a verifier with a signing certificate', () => {
  it('does not start with a certificate for another host, a key not the certificate’s, or one not valid now', () => {
    // The certificate first, then the clock: openssl's notBefore is the second it signs in, so a clock
    // read before it can fall in the second before and find the certificate not yet valid.
    const elsewhere = registrar.issue('verify.example.org');
    const world = new World();
    world.now = new Date();
    const start =
      (signing: { privateKey: VerifierCertificate['privateKey']; certificates: string }, now = world.clock) =>
      () =>
        createPresentationVerifier({ baseUrl: BASE, verify: world.verify(), now, signing });
    expect(start({ privateKey: elsewhere.privateKey, certificates: elsewhere.chainPem })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: `the verifier certificate is for verify.example.org, not ${HOST}: wallets would refuse its requests`,
      }),
    );
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(start({ privateKey: stranger, certificates: certificate.chainPem })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: 'the verifier key is not the key of the first certificate in the chain',
      }),
    );
    expect(start({ privateKey: certificate.privateKey, certificates: 'not a certificate' })).toThrow(
      expect.objectContaining({ message: 'the verifier certificate file holds no PEM certificate' }),
    );
    const ed25519 = generateKeyPairSync('ed25519').privateKey;
    expect(start({ privateKey: ed25519, certificates: certificate.chainPem })).toThrow(
      expect.objectContaining({ message: 'the verifier key must be a P-256 private key (ES256)' }),
    );
    expect(
      start({ privateKey: certificate.privateKey, certificates: certificate.chainPem }, () => new Date('2026-01-01')),
    ).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^the verifier certificate is valid from .* not now$/),
      }),
    );
  });
});
