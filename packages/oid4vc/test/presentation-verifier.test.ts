/**
 * The OpenID4VP verifier end to end, in one process: a licence issued by `@credledger/issuer` to a
 * holder's P-256 key, requested by a DCQL query (IETF) or a Presentation Definition (TW DIW), presented
 * by a wallet built on the client side of `@openid4vc/openid4vp` through the verifier's own route
 * handlers, and verified by `@credledger/verify` against an in-memory ledger. Each refusal has its own
 * code, the same in both flavours.
 */
import { describe, expect, it } from '@jest/globals';

import {
  createPresentationVerifier,
  type PresentationRequestStatus,
  type PresentationVerifier,
  type WalletAnswer,
} from '../src/index.js';
import { ANCHORED, BASE, holderKey, LAWYER, lawyerSubject, MOJ, ROGUE, World } from './presentation-world.js';
import { decodeDisclosure, encodeDisclosure, responseFor, TestHolder, type ResponseFields } from './test-holder.js';

const asked = ['name', 'licenceNumber'];

function setUp(options: { maxRequests?: number; maxRequestsPerClient?: number; verify?: 'throws' } = {}) {
  const world = new World();
  const verifier = createPresentationVerifier({
    baseUrl: BASE,
    verify: options.verify === 'throws' ? () => Promise.reject(new Error('ledger gone')) : world.verify(),
    now: world.clock,
    ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
    ...(options.maxRequestsPerClient === undefined ? {} : { maxRequestsPerClient: options.maxRequestsPerClient }),
  });
  return { world, verifier };
}

async function holderOf(
  world: World,
  verifier: PresentationVerifier,
  options: { issuer?: string; profile?: 'ietf' | 'tw-diw' } = {},
) {
  const key = holderKey();
  const { id, sdJwt } = await world.issue(key, options);
  return { credentialId: id, holder: new TestHolder(key, sdJwt, verifier, world.clock) };
}

function route(verifier: PresentationVerifier, method: 'GET' | 'POST', path: string) {
  const found = verifier.routes.find((candidate) => candidate.method === method && candidate.path === path);
  if (!found) throw new Error(`no ${method} ${path} route`);
  return found;
}

async function result(verifier: PresentationVerifier, id: string): Promise<WalletAnswer> {
  return route(verifier, 'GET', '/oid4vp/requests/:id').handle({
    method: 'GET',
    url: `/oid4vp/requests/${id}`,
    headers: {},
    body: undefined,
    clientAddress: '127.0.0.1',
  });
}

async function outcome(verifier: PresentationVerifier, id: string) {
  const answer = await result(verifier, id);
  expect(answer.status).toBe(200);
  const body = answer.body as PresentationRequestStatus;
  expect(body.status).toBe('ANSWERED');
  return body.outcome!;
}

async function post(verifier: PresentationVerifier, body: unknown): Promise<WalletAnswer> {
  return route(verifier, 'POST', '/oid4vp/response').handle({
    method: 'POST',
    url: '/oid4vp/response',
    headers: {},
    body,
    clientAddress: '127.0.0.1',
  });
}

describe('the authorization request', () => {
  it('goes by value in an openid4vp:// link: redirect_uri client id, direct_post, a DCQL query for exactly the claims asked', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier);
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    expect(created.link.startsWith('openid4vp://?')).toBe(true);
    expect(created.link).not.toContain('request_uri');
    // The id reads the outcome: it is the verifier's, never in the link.
    expect(created.link).not.toContain(created.id);
    expect(created.expiresAt).toEqual(new Date(world.now.getTime() + 5 * 60_000));

    const resolved = await holder.resolve(created.link);
    expect(resolved.client).toMatchObject({ prefix: 'redirect_uri', effective: verifier.clientId });
    expect(verifier.clientId).toBe(`redirect_uri:${BASE}/oid4vp/response`);
    expect(resolved.jar).toBeUndefined();
    expect(resolved.authorizationRequestPayload).toMatchObject({
      response_type: 'vp_token',
      response_mode: 'direct_post',
      response_uri: `${BASE}/oid4vp/response`,
      nonce: created.nonce,
      state: created.state,
    });
    expect(resolved.dcql?.query).toEqual({
      credentials: [
        {
          id: LAWYER,
          format: 'dc+sd-jwt',
          meta: { vct_values: [`https://credledger.org/vct/${LAWYER}`] },
          claims: [{ path: ['name'] }, { path: ['licenceNumber'] }],
          require_cryptographic_holder_binding: true,
        },
      ],
    });
    expect((await result(verifier, created.id)).body).toEqual({
      id: created.id,
      status: 'PENDING',
      expiresAt: created.expiresAt.toISOString(),
    });
  });

  it('for TW DIW goes by value too: client_id_scheme redirect_uri, direct_post, a Presentation Definition of one vc+sd-jwt descriptor', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile: 'tw-diw' });
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile: 'tw-diw' });
    expect(created.link.startsWith('openid4vp://?')).toBe(true);
    expect(created.link).not.toContain('request_uri');
    expect(created.link).not.toContain(created.id);
    expect(created.clientId).toBe(`${BASE}/oid4vp/response`);

    const resolved = await holder.resolve(created.link);
    // The library reads it as a request of a draft before 1.0 (Presentation Exchange ended with draft 25).
    expect(resolved.version).toBeLessThan(22);
    expect(resolved.client).toMatchObject({ prefix: 'redirect_uri', effective: created.clientId });
    expect(resolved.dcql).toBeUndefined();
    expect(resolved.authorizationRequestPayload).toMatchObject({
      response_type: 'vp_token',
      client_id: `${BASE}/oid4vp/response`,
      client_id_scheme: 'redirect_uri',
      response_mode: 'direct_post',
      response_uri: `${BASE}/oid4vp/response`,
      nonce: created.nonce,
      state: created.state,
      client_metadata: {
        vp_formats: { 'vc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] } },
      },
    });
    const definition = resolved.pex?.presentation_definition as { id: string };
    expect(definition).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      input_descriptors: [
        {
          id: LAWYER,
          format: { 'vc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] } },
          constraints: {
            limit_disclosure: 'required',
            fields: [
              { path: ['$.type'], filter: { type: 'array', contains: { const: LAWYER } } },
              { path: ['$.credentialSubject.name'] },
              { path: ['$.credentialSubject.licenceNumber'] },
            ],
          },
        },
      ],
    });
    // Each request its own definition.
    const next = await holder.resolve(
      (await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile: 'tw-diw' })).link,
    );
    expect((next.pex?.presentation_definition as { id: string }).id).not.toBe(definition.id);
  });

  it('is refused for a claim the type does not have and for an unknown type; and when too many are held', async () => {
    const { verifier } = setUp({ maxRequests: 2 });
    await expect(verifier.createRequest({ credentialType: LAWYER, claims: ['name', 'salary'] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      verifier.createRequest({ credentialType: 'PassportCredential', claims: ['name'] }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_CREDENTIAL_TYPE' });
    await expect(
      verifier.createRequest({ credentialType: LAWYER, claims: ['salary'], profile: 'tw-diw' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      verifier.createRequest({ credentialType: LAWYER, claims: asked, profile: 'eudi' as 'ietf' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await expect(verifier.createRequest({ credentialType: LAWYER, claims: asked })).rejects.toMatchObject({
      refusal: 'TOO_MANY_REQUESTS',
    });
  });

  it('is made for a page by POST /oid4vp/requests, IETF by default or TW DIW; a bad body or profile, an unknown type and one request too many refused', async () => {
    const { verifier } = setUp({ maxRequests: 2 });
    const create = (body: unknown) =>
      route(verifier, 'POST', '/oid4vp/requests').handle({
        method: 'POST',
        url: '/oid4vp/requests',
        headers: {},
        body,
        clientAddress: '127.0.0.1',
      });
    const made = await create({ credentialType: LAWYER, claims: asked });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ id: expect.any(String), link: expect.stringMatching(/^openid4vp:\/\//) });
    const linkOf = (answer: WalletAnswer) => new URL((answer.body as { link: string }).link).searchParams;
    expect(linkOf(made).has('dcql_query')).toBe(true);
    const twDiw = await create({ credentialType: LAWYER, claims: asked, profile: 'tw-diw' });
    expect(twDiw.status).toBe(201);
    expect(linkOf(twDiw).has('presentation_definition')).toBe(true);
    expect(linkOf(twDiw).has('dcql_query')).toBe(false);
    const codeOf = (answer: WalletAnswer) => [answer.status, (answer.body as { error: { code: string } }).error.code];
    expect(codeOf(await create({ credentialType: LAWYER, claims: 'name' }))).toEqual([400, 'INVALID_INPUT']);
    for (const profile of ['eudi', 'TW-DIW', null, ['tw-diw']])
      expect(codeOf(await create({ credentialType: LAWYER, claims: asked, profile }))).toEqual([400, 'INVALID_INPUT']);
    expect(codeOf(await create({ credentialType: 'NoSuchCredential', claims: asked }))).toEqual([
      400,
      'UNKNOWN_CREDENTIAL_TYPE',
    ]);
    expect(codeOf(await create({ credentialType: LAWYER, claims: asked }))).toEqual([429, 'TOO_MANY_REQUESTS']);
  });

  it('lets one client address hold at most maxRequestsPerClient requests; another address is still served', async () => {
    const { verifier } = setUp({ maxRequestsPerClient: 2 });
    const create = (clientAddress: string) =>
      route(verifier, 'POST', '/oid4vp/requests').handle({
        method: 'POST',
        url: '/oid4vp/requests',
        headers: {},
        body: { credentialType: LAWYER, claims: asked },
        clientAddress,
      });
    expect((await create('203.0.113.9')).status).toBe(201);
    expect((await create('203.0.113.9')).status).toBe(201);
    const third = await create('203.0.113.9');
    expect(third).toMatchObject({
      status: 429,
      body: {
        error: {
          code: 'TOO_MANY_REQUESTS',
          message: '2 presentation requests of this client are outstanding; try again later',
        },
      },
    });
    expect((await create('198.51.100.4')).status).toBe(201);
  });

  it('takes http on localhost only (a demo, a test), never on another host', () => {
    const world = new World();
    expect(createPresentationVerifier({ baseUrl: 'http://127.0.0.1:8080', verify: world.verify() }).clientId).toBe(
      'redirect_uri:http://127.0.0.1:8080/oid4vp/response',
    );
  });

  it('needs an https origin as the base URL', () => {
    const world = new World();
    for (const baseUrl of ['http://verify.moj.gov.tw', 'https://verify.moj.gov.tw/app', 'verify.moj.gov.tw'])
      expect(() => createPresentationVerifier({ baseUrl, verify: world.verify() })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
  });
});

// The same presentations, the same outcomes, for both flavours: an IETF request (OpenID4VP 1.0, DCQL)
// answered with a dc+sd-jwt, and a TW DIW request (Presentation Exchange) answered with a vc+sd-jwt.
describe.each(['ietf', 'tw-diw'] as const)('a presentation to a %s request', (profile) => {
  const other = profile === 'ietf' ? 'tw-diw' : 'ietf';

  it('of a licence showing name and licence number only is VALID, and no other claim is in the result', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile });
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    const sent = await holder.present(created.link);
    expect(sent.presentation.split('~')).toHaveLength(asked.length + 2);
    expect([sent.status, sent.body]).toEqual([200, {}]);

    const answer = await result(verifier, created.id);
    expect(answer.body).toEqual({
      id: created.id,
      status: 'ANSWERED',
      expiresAt: created.expiresAt.toISOString(),
      outcome: {
        verdict: 'VALID',
        reasons: [],
        claims: { name: lawyerSubject.name, licenceNumber: lawyerSubject.licenceNumber },
        credential: {
          type: LAWYER,
          issuer: MOJ,
          issuerName: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
          validFrom: '2026-01-01T00:00:00Z',
          validUntil: '2036-01-01T00:00:00Z',
        },
        status: { state: 'ACTIVE', reason: null, changedAt: ANCHORED },
        answeredAt: world.now.toISOString(),
      },
    });
    const text = JSON.stringify(answer.body);
    for (const undisclosed of ['nameEn', 'admissionDate', 'practiceStatus', 'barMemberships', 'lawFirm'] as const) {
      expect(text).not.toContain(undisclosed);
      expect(text).not.toContain(JSON.stringify(lawyerSubject[undisclosed]).slice(1, -1));
    }
    expect(answer.headers).toEqual({ 'Cache-Control': 'no-store' });
  });

  it('discloses more than asked: still VALID, and only the claims asked for are kept', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile });
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await holder.present(created.link, { disclose: [...asked, 'lawFirm', 'nameEn'] });
    const seen = await outcome(verifier, created.id);
    expect(seen.verdict).toBe('VALID');
    expect(Object.keys(seen.claims).sort()).toEqual(['licenceNumber', 'name']);
    expect(JSON.stringify(seen)).not.toContain(lawyerSubject.lawFirm);
  });

  it('with a disclosure altered on the way is TAMPERED, KEY_BINDING_SD_HASH_MISMATCH; altered by the holder and signed over, DISCLOSURE_NOT_IN_SD', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile });
    const alter = (disclosure: string): string => {
      const [salt, name, value] = decodeDisclosure(disclosure);
      return name === 'licenceNumber' ? encodeDisclosure([salt, name, `${String(value)}9`]) : disclosure;
    };
    const onTheWay = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await holder.present(onTheWay.link, {
      inTransit: (presentation) => {
        const [jwt = '', ...rest] = presentation.split('~');
        const keyBinding = rest.pop() ?? '';
        return [jwt, ...rest.map(alter), keyBinding].join('~');
      },
    });
    const byHolder = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await holder.present(byHolder.link, { beforeKeyBinding: (disclosures) => disclosures.map(alter) });

    for (const [created, reason] of [
      [onTheWay, 'KEY_BINDING_SD_HASH_MISMATCH'],
      [byHolder, 'DISCLOSURE_NOT_IN_SD'],
    ] as const)
      expect(await outcome(verifier, created.id)).toEqual({
        verdict: 'TAMPERED',
        reasons: [reason],
        claims: {},
        answeredAt: world.now.toISOString(),
      });
  });

  it('replayed from an earlier request (its key-binding JWT has the old nonce) is TAMPERED, KEY_BINDING_NONCE_MISMATCH', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile });
    const first = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    const seen = await holder.present(first.link);
    expect((await outcome(verifier, first.id)).verdict).toBe('VALID');

    // Someone who saw that response sends it again, to a request of their own.
    const second = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    const resolved = await holder.resolve(second.link);
    expect(await holder.answer(resolved, seen.presentation)).toEqual({ status: 200, body: {} });
    expect(await outcome(verifier, second.id)).toMatchObject({
      verdict: 'TAMPERED',
      reasons: ['KEY_BINDING_NONCE_MISMATCH'],
      claims: {},
    });
  });

  it("signed for the other flavour's client id (the key-binding JWT's audience) is TAMPERED, KEY_BINDING_AUDIENCE_MISMATCH", async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile });
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    // IETF requests name `redirect_uri:<response URI>`, TW DIW ones the response URI itself.
    const elsewhere = profile === 'ietf' ? `${BASE}/oid4vp/response` : verifier.clientId;
    expect(created.clientId).not.toBe(elsewhere);
    await holder.present(created.link, { audience: elsewhere });
    expect(await outcome(verifier, created.id)).toMatchObject({
      verdict: 'TAMPERED',
      reasons: ['KEY_BINDING_AUDIENCE_MISMATCH'],
      claims: {},
    });
  });

  it('of a revoked licence is REVOKED, with when and why from the ledger', async () => {
    const { world, verifier } = setUp();
    const { holder, credentialId } = await holderOf(world, verifier, { profile });
    world.revoke(credentialId);
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await holder.present(created.link);
    expect(await outcome(verifier, created.id)).toMatchObject({
      verdict: 'REVOKED',
      reasons: ['REVOKED'],
      claims: { name: lawyerSubject.name, licenceNumber: lawyerSubject.licenceNumber },
      status: { state: 'REVOKED', reason: 'DISBARMENT', changedAt: '2026-11-27T09:00:00.000Z' },
    });
  });

  it('declined by the holder (an access_denied error response) is DECLINED, WALLET_DECLINED; another error WALLET_ERROR; either answers the request once', async () => {
    const { world, verifier } = setUp();
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    expect((await post(verifier, { error: 'access_denied', state: created.state })).status).toBe(200);
    expect(await outcome(verifier, created.id)).toEqual({
      verdict: 'DECLINED',
      reasons: ['WALLET_DECLINED'],
      claims: {},
      answeredAt: world.now.toISOString(),
    });
    const { holder } = await holderOf(world, verifier, { profile });
    const late = await holder.present(created.link);
    expect([late.status, (late.body as { code: string }).code]).toEqual([400, 'REQUEST_USED']);

    const other = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await post(verifier, { error: 'vp_formats_not_supported', error_description: 'no SD-JWT', state: other.state });
    expect(await outcome(verifier, other.id)).toMatchObject({ verdict: 'DECLINED', reasons: ['WALLET_ERROR'] });
  });

  it('of a licence from an issuer in no registry is UNKNOWN_ISSUER, ISSUER_NOT_REGISTERED, and shows nothing it claims', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { issuer: ROGUE, profile });
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await holder.present(created.link);
    expect(await outcome(verifier, created.id)).toEqual({
      verdict: 'UNKNOWN_ISSUER',
      reasons: ['ISSUER_NOT_REGISTERED'],
      claims: {},
      answeredAt: world.now.toISOString(),
    });
  });

  it('that does not answer the request is NOT_AS_REQUESTED (a claim missing, another query id or descriptor, another type, the other profile, a vc+jwt) or refused for no key binding', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile });
    const missing = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await holder.present(missing.link, { disclose: ['name'] });
    const otherId = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    const issued = await holder.present(
      (await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile })).link,
    );
    await holder.answer(await holder.resolve(otherId.link), issued.presentation, { id: 'licence' });
    const unbound = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await holder.present(unbound.link, { noKeyBinding: true });
    const { holder: otherHolder } = await holderOf(world, verifier, { profile: other });
    const otherProfile = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await otherHolder.present(otherProfile.link);
    const company = await verifier.createRequest({
      credentialType: 'EconomicCertificateCredential',
      claims: ['companyName'],
      profile,
    });
    await holder.present(company.link, { disclose: asked });
    const printed = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await holder.answer(await holder.resolve(printed.link), await world.issueJwt());

    expect(await outcome(verifier, missing.id)).toMatchObject({
      verdict: 'NOT_AS_REQUESTED',
      reasons: ['CLAIM_NOT_DISCLOSED'],
      claims: {},
    });
    expect(await outcome(verifier, otherId.id)).toMatchObject({
      verdict: 'NOT_AS_REQUESTED',
      reasons: ['PRESENTATION_NOT_AS_QUERIED'],
    });
    expect(await outcome(verifier, unbound.id)).toMatchObject({
      verdict: 'TAMPERED',
      reasons: ['KEY_BINDING_MISSING'],
    });
    for (const created of [otherProfile, printed])
      expect(await outcome(verifier, created.id)).toMatchObject({
        verdict: 'NOT_AS_REQUESTED',
        reasons: ['FORMAT_NOT_REQUESTED'],
        claims: {},
      });
    expect(await outcome(verifier, company.id)).toMatchObject({
      verdict: 'NOT_AS_REQUESTED',
      reasons: ['CREDENTIAL_TYPE_NOT_REQUESTED', 'CLAIM_NOT_DISCLOSED'],
      claims: {},
    });
  });
});

describe.each(['ietf', 'tw-diw'] as const)('a response to a %s request', (profile) => {
  it('to an unknown, an expired or an answered request is refused, each with its own code', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile });
    const unknown = await post(verifier, { vp_token: '{}', state: 'no-such-state' });
    expect([unknown.status, (unknown.body as { error: string; code: string }).code]).toEqual([400, 'REQUEST_UNKNOWN']);

    const answered = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    const first = await holder.present(answered.link);
    const again = await holder.answer(first.request, first.presentation);
    expect(again).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_request', code: 'REQUEST_USED' }),
    });
    expect((await outcome(verifier, answered.id)).verdict).toBe('VALID');
    // Two responses at once: the first to arrive takes the request, before anything is verified.
    const raced = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    const both = await Promise.all([holder.present(raced.link), holder.present(raced.link)]);
    const answers = both.map((sent) => [sent.status, (sent.body as { code?: string }).code] as const);
    expect(answers.sort(([a], [b]) => a - b)).toEqual([
      [200, undefined],
      [400, 'REQUEST_USED'],
    ]);

    const late = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    world.now = new Date(late.expiresAt.getTime());
    const refused = await holder.present(late.link);
    expect([refused.status, refused.body]).toEqual([400, expect.objectContaining({ code: 'REQUEST_EXPIRED' })]);
    const expired = await result(verifier, late.id);
    expect([expired.status, expired.body]).toEqual([
      410,
      { error: expect.objectContaining({ code: 'REQUEST_EXPIRED' }) },
    ]);
    // The answered one is still readable until one lifetime after its expiry, then forgotten.
    expect((await result(verifier, answered.id)).status).toBe(200);
    world.now = new Date(answered.expiresAt.getTime() + 5 * 60_000);
    for (const id of [answered.id, late.id, 'never-made'])
      expect((await result(verifier, id)).body).toEqual({
        error: expect.objectContaining({ code: 'REQUEST_UNKNOWN' }),
      });
  });

  it('without a state, or whose vp_token cannot be read, is RESPONSE_MALFORMED; a verification that throws is UNVERIFIABLE', async () => {
    const { world, verifier } = setUp();
    for (const body of [undefined, 'vp_token=x', { vp_token: '{}' }, { vp_token: '{}', state: ['a', 'b'] }]) {
      const answer = await post(verifier, body);
      expect([answer.status, (answer.body as { code: string }).code]).toEqual([400, 'RESPONSE_MALFORMED']);
    }
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    expect((await post(verifier, { vp_token: 'not json {', state: created.state })).status).toBe(200);
    expect(await outcome(verifier, created.id)).toEqual({
      verdict: 'MALFORMED',
      reasons: ['RESPONSE_MALFORMED'],
      claims: {},
      answeredAt: world.now.toISOString(),
    });

    const failing = setUp({ verify: 'throws' });
    const { holder } = await holderOf(failing.world, failing.verifier, { profile });
    const asking = await failing.verifier.createRequest({ credentialType: LAWYER, claims: asked, profile });
    await holder.present(asking.link);
    expect(await outcome(failing.verifier, asking.id)).toMatchObject({
      verdict: 'UNVERIFIABLE',
      reasons: ['VERIFICATION_FAILED'],
    });
  });
});

describe('a TW DIW response (Presentation Exchange)', () => {
  type Submission = { id: string; definition_id: string; descriptor_map: Record<string, unknown>[] };
  const withEntry =
    (change: Record<string, unknown>, vpToken?: (presentation: string) => unknown) =>
    (response: ResponseFields): ResponseFields => {
      const submission = response.presentation_submission as Submission;
      return {
        vp_token: vpToken ? vpToken(response.vp_token as string) : response.vp_token,
        presentation_submission: {
          ...submission,
          descriptor_map: submission.descriptor_map.map((entry) => ({ ...entry, ...change })),
        },
      };
    };

  it('may carry the SD-JWT in a vp_token array of one, mapped at $[0]: VALID', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile: 'tw-diw' });
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile: 'tw-diw' });
    await holder.present(created.link, { response: withEntry({ path: '$[0]' }, (presentation) => [presentation]) });
    expect(await outcome(verifier, created.id)).toMatchObject({
      verdict: 'VALID',
      claims: { name: lawyerSubject.name, licenceNumber: lawyerSubject.licenceNumber },
    });
  });

  it('whose presentation_submission does not answer the definition is NOT_AS_REQUESTED, PRESENTATION_NOT_AS_QUERIED (another definition, another format, a path elsewhere, a VP around the SD-JWT, two entries)', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile: 'tw-diw' });
    // A VP JWT around the SD-JWT, its holder signature unchecked here: credledger does not unwrap one.
    const inVp = (presentation: string): string =>
      [{ alg: 'ES256', typ: 'JWT' }, { vp: { verifiableCredential: [presentation] } }, 'signature']
        .map((part) => Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url'))
        .join('.');
    const changes: ((response: ResponseFields) => ResponseFields)[] = [
      (response) => ({
        ...response,
        presentation_submission: { ...(response.presentation_submission as Submission), definition_id: 'another' },
      }),
      withEntry({ format: 'dc+sd-jwt' }),
      withEntry({ path: '$.verifiableCredential[0]' }),
      withEntry(
        {
          format: 'jwt_vp',
          path: '$',
          path_nested: { id: LAWYER, format: 'vc+sd-jwt', path: '$.vp.verifiableCredential[0]' },
        },
        inVp,
      ),
      (response) => {
        const submission = response.presentation_submission as Submission;
        return {
          ...response,
          presentation_submission: {
            ...submission,
            descriptor_map: [...submission.descriptor_map, ...submission.descriptor_map],
          },
        };
      },
    ];
    const ids: string[] = [];
    for (const change of changes) {
      const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile: 'tw-diw' });
      expect((await holder.present(created.link, { response: change })).status).toBe(200);
      ids.push(created.id);
    }
    for (const id of ids)
      expect(await outcome(verifier, id)).toEqual({
        verdict: 'NOT_AS_REQUESTED',
        reasons: ['PRESENTATION_NOT_AS_QUERIED'],
        claims: {},
        answeredAt: world.now.toISOString(),
      });
  });

  it('without a presentation_submission, or in the other request language, is MALFORMED, RESPONSE_MALFORMED', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { profile: 'tw-diw' });
    const bare = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile: 'tw-diw' });
    await holder.present(bare.link, { response: (response) => ({ vp_token: response.vp_token }) });
    const dcqlShaped = await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile: 'tw-diw' });
    await holder.present(dcqlShaped.link, {
      response: (response) => ({ vp_token: { [LAWYER]: [response.vp_token] } }),
    });
    // A Presentation Exchange answer to an IETF (DCQL) request.
    const ietf = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    const ietfRequest = await holder.resolve(ietf.link);
    const twDiwRequest = await holder.resolve(
      (await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile: 'tw-diw' })).link,
    );
    const { presentation } = await holder.present(
      (await verifier.createRequest({ credentialType: LAWYER, claims: asked, profile: 'tw-diw' })).link,
    );
    await holder.post(ietfRequest, responseFor(twDiwRequest, presentation));

    for (const created of [bare, dcqlShaped, ietf])
      expect(await outcome(verifier, created.id)).toEqual({
        verdict: 'MALFORMED',
        reasons: ['RESPONSE_MALFORMED'],
        claims: {},
        answeredAt: world.now.toISOString(),
      });
  });
});
