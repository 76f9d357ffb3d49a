/**
 * The OpenID4VP verifier end to end, in one process: a licence issued by `@credledger/issuer` to a
 * holder's P-256 key, requested by a DCQL query, presented by a wallet built on the client side of
 * `@openid4vc/openid4vp` through the verifier's own route handlers, and verified by `@credledger/verify`
 * against an in-memory ledger. Each refusal has its own code.
 */
import { describe, expect, it } from '@jest/globals';

import {
  createPresentationVerifier,
  type PresentationRequestStatus,
  type PresentationVerifier,
  type WalletAnswer,
} from '../src/index.js';
import { BASE, holderKey, LAWYER, lawyerSubject, MOJ, ROGUE, World } from './presentation-world.js';
import { decodeDisclosure, encodeDisclosure, TestHolder } from './test-holder.js';

const asked = ['name', 'licenceNumber'];

function setUp(options: { maxRequests?: number; verify?: 'throws' } = {}) {
  const world = new World();
  const verifier = createPresentationVerifier({
    baseUrl: BASE,
    verify: options.verify === 'throws' ? () => Promise.reject(new Error('ledger gone')) : world.verify(),
    now: world.clock,
    ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
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

  it('is refused for a claim the type does not have and for an unknown type; and when too many are held', async () => {
    const { verifier } = setUp({ maxRequests: 2 });
    await expect(verifier.createRequest({ credentialType: LAWYER, claims: ['name', 'salary'] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      verifier.createRequest({ credentialType: 'PassportCredential', claims: ['name'] }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_CREDENTIAL_TYPE' });
    await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await expect(verifier.createRequest({ credentialType: LAWYER, claims: asked })).rejects.toMatchObject({
      refusal: 'TOO_MANY_REQUESTS',
    });
  });

  it('is made for a page by POST /oid4vp/requests; a bad body, an unknown type and one request too many refused', async () => {
    const { verifier } = setUp({ maxRequests: 1 });
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
    const codeOf = (answer: WalletAnswer) => [answer.status, (answer.body as { error: { code: string } }).error.code];
    expect(codeOf(await create({ credentialType: LAWYER, claims: 'name' }))).toEqual([400, 'INVALID_INPUT']);
    expect(codeOf(await create({ credentialType: 'NoSuchCredential', claims: asked }))).toEqual([
      400,
      'UNKNOWN_CREDENTIAL_TYPE',
    ]);
    expect(codeOf(await create({ credentialType: LAWYER, claims: asked }))).toEqual([429, 'TOO_MANY_REQUESTS']);
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

describe('a presentation', () => {
  it('of a licence showing name and licence number only is VALID, and no other claim is in the result', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier);
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
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
        },
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
    const { holder } = await holderOf(world, verifier);
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await holder.present(created.link, { disclose: [...asked, 'lawFirm', 'nameEn'] });
    const seen = await outcome(verifier, created.id);
    expect(seen.verdict).toBe('VALID');
    expect(Object.keys(seen.claims).sort()).toEqual(['licenceNumber', 'name']);
    expect(JSON.stringify(seen)).not.toContain(lawyerSubject.lawFirm);
  });

  it('with a disclosure altered on the way is TAMPERED, KEY_BINDING_SD_HASH_MISMATCH; altered by the holder and signed over, DISCLOSURE_NOT_IN_SD', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier);
    const alter = (disclosure: string): string => {
      const [salt, name, value] = decodeDisclosure(disclosure);
      return name === 'licenceNumber' ? encodeDisclosure([salt, name, `${String(value)}9`]) : disclosure;
    };
    const onTheWay = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await holder.present(onTheWay.link, {
      inTransit: (presentation) => {
        const [jwt = '', ...rest] = presentation.split('~');
        const keyBinding = rest.pop() ?? '';
        return [jwt, ...rest.map(alter), keyBinding].join('~');
      },
    });
    const byHolder = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
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
    const { holder } = await holderOf(world, verifier);
    const first = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    const seen = await holder.present(first.link);
    expect((await outcome(verifier, first.id)).verdict).toBe('VALID');

    // Someone who saw that response sends it again, to a request of their own.
    const second = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    const resolved = await holder.resolve(second.link);
    expect(await holder.send(resolved, { [LAWYER]: [seen.presentation] })).toEqual({ status: 200, body: {} });
    expect(await outcome(verifier, second.id)).toMatchObject({
      verdict: 'TAMPERED',
      reasons: ['KEY_BINDING_NONCE_MISMATCH'],
      claims: {},
    });
  });

  it('of a revoked licence is REVOKED', async () => {
    const { world, verifier } = setUp();
    const { holder, credentialId } = await holderOf(world, verifier);
    world.revoke(credentialId);
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await holder.present(created.link);
    expect(await outcome(verifier, created.id)).toMatchObject({
      verdict: 'REVOKED',
      reasons: ['REVOKED'],
      claims: { name: lawyerSubject.name, licenceNumber: lawyerSubject.licenceNumber },
    });
  });

  it('of a licence from an issuer in no registry is UNKNOWN_ISSUER, ISSUER_NOT_REGISTERED, and shows nothing it claims', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier, { issuer: ROGUE });
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await holder.present(created.link);
    expect(await outcome(verifier, created.id)).toEqual({
      verdict: 'UNKNOWN_ISSUER',
      reasons: ['ISSUER_NOT_REGISTERED'],
      claims: {},
      answeredAt: world.now.toISOString(),
    });
  });

  it('that does not answer the query is NOT_AS_REQUESTED (a claim missing, another query id, another type, a TW DIW credential, a vc+jwt) or refused for no key binding', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier);
    const missing = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await holder.present(missing.link, { disclose: ['name'] });
    const otherId = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    const issued = await holder.present((await verifier.createRequest({ credentialType: LAWYER, claims: asked })).link);
    await holder.send(await holder.resolve(otherId.link), { licence: [issued.presentation] });
    const unbound = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await holder.present(unbound.link, { noKeyBinding: true });
    const { holder: twDiwHolder } = await holderOf(world, verifier, { profile: 'tw-diw' });
    const twDiw = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await twDiwHolder.present(twDiw.link);
    const company = await verifier.createRequest({
      credentialType: 'EconomicCertificateCredential',
      claims: ['companyName'],
    });
    await holder.present(company.link, { disclose: asked });
    const printed = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await holder.send(await holder.resolve(printed.link), { [LAWYER]: [await world.issueJwt()] });

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
    for (const created of [twDiw, printed])
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

describe('a response', () => {
  it('to an unknown, an expired or an answered request is refused, each with its own code', async () => {
    const { world, verifier } = setUp();
    const { holder } = await holderOf(world, verifier);
    const unknown = await post(verifier, { vp_token: '{}', state: 'no-such-state' });
    expect([unknown.status, (unknown.body as { error: string; code: string }).code]).toEqual([400, 'REQUEST_UNKNOWN']);

    const answered = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    const first = await holder.present(answered.link);
    const again = await holder.send(first.request, { [LAWYER]: [first.presentation] });
    expect(again).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_request', code: 'REQUEST_USED' }),
    });
    expect((await outcome(verifier, answered.id)).verdict).toBe('VALID');
    // Two responses at once: the first to arrive takes the request, before anything is verified.
    const raced = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    const both = await Promise.all([holder.present(raced.link), holder.present(raced.link)]);
    const answers = both.map((sent) => [sent.status, (sent.body as { code?: string }).code] as const);
    expect(answers.sort(([a], [b]) => a - b)).toEqual([
      [200, undefined],
      [400, 'REQUEST_USED'],
    ]);

    const late = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
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
    const created = await verifier.createRequest({ credentialType: LAWYER, claims: asked });
    expect((await post(verifier, { vp_token: 'not json {', state: created.state })).status).toBe(200);
    expect(await outcome(verifier, created.id)).toEqual({
      verdict: 'MALFORMED',
      reasons: ['RESPONSE_MALFORMED'],
      claims: {},
      answeredAt: world.now.toISOString(),
    });

    const failing = setUp({ verify: 'throws' });
    const { holder } = await holderOf(failing.world, failing.verifier);
    const asking = await failing.verifier.createRequest({ credentialType: LAWYER, claims: asked });
    await holder.present(asking.link);
    expect(await outcome(failing.verifier, asking.id)).toMatchObject({
      verdict: 'UNVERIFIABLE',
      reasons: ['VERIFICATION_FAILED'],
    });
  });
});
