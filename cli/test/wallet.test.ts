/**
 * A citizen's wallet receives a lawyer licence: `credledger offer` makes the offer, a test wallet built
 * from the OpenWallet Foundation's OpenID4VCI client redeems it at a running `credledger serve --wallet`
 * over HTTP, in both profiles (OpenID4VCI 1.0 for IETF/EU wallets, draft 13 as Taiwan's digital wallet
 * speaks it). The credential is bound to the wallet's key, anchored on the embedded ledger and verifies
 * VALID. One offer, one credential: a used, locked or expired offer and a replayed request are refused,
 * each with its own code, and logged. The wallet then presents the licence to the same server's OpenID4VP
 * verifier, disclosing only the name and the licence number: VALID; once revoked, REVOKED. A TW DIW
 * licence is presented the way Taiwan's digital wallet is asked (Presentation Exchange): VALID too. A
 * disclosure altered on the way is refused in both flavours.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { cliExitCodes, exitCodes } from '../src/exit-codes.js';
import {
  errorLines,
  expectExit,
  finish,
  freePort,
  json,
  listeningUrl,
  runCli,
  startCli,
  tempDir,
  type CliResult,
} from './cli.js';
import { createReferenceWallet } from '@credledger/oid4vc';

import { createRegistrar } from '../../packages/oid4vc/test/certificates.js';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
let server: ChildProcess;
let serverDone: Promise<CliResult>;
let url: string;
let serveLog = '';
const ws = (args: string[]): string[] => ['-w', workspace, ...args];

interface OfferJson {
  offerId: string;
  credentialId: string;
  txCode: string;
  link: string;
  credentialIssuer: string;
  expiresAt: string;
  files: string[];
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'demo');
  expectExit(await runCli(['demo', workspace, '--no-serve', '--json']), 0);
  // As behind the reverse proxy a ministry puts in front: the client address is the X-Forwarded-For hop.
  server = startCli(ws(['serve', '--port', '0', '--wallet', '--trust-proxy', '--json']));
  serverDone = finish(server);
  server.stderr?.on('data', (chunk: string) => (serveLog += chunk));
  url = await listeningUrl(server);
}, 120_000);

afterAll(async () => {
  server.kill('SIGTERM');
  await serverDone;
  await cleanup();
});

const lawyer = (licenceNumber: string): string[] => [
  'LawyerLicenceCredential',
  '--name',
  '林美華',
  '--licence-number',
  licenceNumber,
  '--admission-date',
  '2019-09-01',
  '--practice-status',
  'practising',
];

/** The serve log line matching `pattern`, once serve has written it (its stderr arrives through a pipe). */
async function logLine(pattern: RegExp): Promise<string> {
  for (let waited = 0; waited < 100; waited++) {
    const line = serveLog.split('\n').find((candidate) => pattern.test(candidate));
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no serve log line matches ${String(pattern)}; the log:\n${serveLog}`);
}

async function offer(licenceNumber: string, profile: string, extra: string[] = []): Promise<OfferJson> {
  const made = await runCli(
    ws(['offer', ...lawyer(licenceNumber), '--profile', profile, '--issuer-url', url, '--json', ...extra]),
  );
  expectExit(made, 0);
  return json<OfferJson>(made);
}

const decodePart = (jwt: string, part: 0 | 1): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('~')[0]?.split('.')[part] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

/** The pre-authorized code of an offer link: the last segment of its offer URI, or in the offer itself. */
function codeOf(link: string): string {
  const uri = new URL(link).searchParams.get('credential_offer_uri');
  if (uri !== null) return decodeURIComponent(new URL(uri).pathname.split('/').at(-1) ?? '');
  const offerJson = new URL(link).searchParams.get('credential_offer') ?? '{}';
  const parsed = JSON.parse(offerJson) as {
    grants: Record<string, { 'pre-authorized_code': string }>;
  };
  return parsed.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']?.['pre-authorized_code'] ?? '';
}

/** A holder key and proofs of possession signed with it, as a wallet makes them (OpenID4VCI 1.0 §F.1). */
const proofKey = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = publicKey.export({ format: 'jwk' });
  return { privateKey, jwk: { kty: 'EC', crv: 'P-256', x, y } };
})();
function proofJwt(nonce: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ typ: 'openid4vci-proof+jwt', alg: 'ES256', jwk: proofKey.jwk })}.${part({ aud: url, iat: Math.floor(Date.now() / 1000), nonce })}`;
  const signature = sign('sha256', Buffer.from(input), { key: proofKey.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

async function tokenRequest(code: string, txCode: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/oid4vci/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': code,
      tx_code: txCode,
    }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.each([
  ['ietf', 'v1', 'dc+sd-jwt', '(113)台檢證字第004401號'],
  ['tw-diw', 'draft13', 'vc+sd-jwt', '(113)台檢證字第004402號'],
] as const)('offer --profile %s redeemed by an OpenID4VCI %s wallet', (profile, draft, typ, licenceNumber) => {
  it('issues the licence bound to the wallet key, anchored and VALID; the offer cannot be used again', async () => {
    const offered = await offer(licenceNumber, profile, ['--qr-png', join(dir, `${profile}-offer.png`)]);
    // By reference: the link names where the wallet fetches the offer, with the code in its path.
    const offerUri = new URL(offered.link).searchParams.get('credential_offer_uri') ?? '';
    expect(offerUri).toBe(`${url}/oid4vci/offers/${encodeURIComponent(codeOf(offered.link))}`);
    expect(offered.link.length).toBeLessThan(200);
    const fetched = await fetch(offerUri);
    expect(fetched.headers.get('cache-control')).toBe('no-store');
    expect(await fetched.json()).toMatchObject({
      credential_issuer: url,
      credential_configuration_ids: [`LawyerLicenceCredential.${profile}`],
      grants: {
        'urn:ietf:params:oauth:grant-type:pre-authorized_code': {
          'pre-authorized_code': codeOf(offered.link),
          tx_code: { input_mode: 'numeric', length: 6 },
        },
      },
    });
    expect(offered.txCode).toMatch(/^\d{6}$/);
    expect(offered.credentialIssuer).toBe(url);
    // The offer is on disk for its owner only, and holds no secret in clear.
    const offerFile = join(workspace, 'wallet-offers', `${offered.offerId}.json`);
    expect((await stat(offerFile)).mode & 0o777).toBe(0o600);
    const stored = await readFile(offerFile, 'utf8');
    expect(stored).not.toContain(codeOf(offered.link).split('.')[1]);
    expect(stored).not.toContain(`"${offered.txCode}"`);
    // Before redemption nothing is on the ledger.
    expect((await runCli(ws(['status', offered.credentialId]))).code).toBe(exitCodes.CREDENTIAL_NOT_FOUND);

    const wallet = createReferenceWallet();
    const received = await wallet.receive(offered.link, offered.txCode, { draft13: draft === 'draft13' });
    expect(received.configurationId).toBe(`LawyerLicenceCredential.${profile}`);
    expect(decodePart(received.credential, 0)).toMatchObject({ typ, alg: 'ES256' });
    const payload = decodePart(received.credential, 1);
    expect(payload.cnf).toEqual({ jwk: wallet.publicJwk });
    expect(payload.jti ?? payload.id).toBe(offered.credentialId);

    const file = join(dir, `${profile}.sd-jwt`);
    await writeFile(file, received.credential);
    const verified = await runCli(ws(['verify', file, '--json']));
    expectExit(verified, 0);
    expect(json<{ verdict: string }>(verified).verdict).toBe('VALID');

    // The same offer again: not given out any more, and refused at the token endpoint as used.
    const used = await fetch(offerUri);
    expect([used.status, ((await used.json()) as { credledger_error?: string }).credledger_error]).toEqual([
      404,
      'OFFER_USED',
    ]);
    const again = await tokenRequest(codeOf(offered.link), offered.txCode);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_grant', credledger_error: 'OFFER_USED' });
    // The file keeps no personal data once the credential is issued.
    const issued = JSON.parse(await readFile(offerFile, 'utf8')) as Record<string, unknown>;
    expect(issued).toMatchObject({ state: 'ISSUED', credentialId: offered.credentialId });
    expect(JSON.stringify(issued)).not.toContain('林美華');
    await logLine(new RegExp(`credential offer=${offered.offerId} .*: credential ${offered.credentialId} issued$`));
    await logLine(new RegExp(`token offer=${offered.offerId} .*: refused \\(OFFER_USED\\)`));
  });
});

describe('offers refused', () => {
  it('locks an offer after five wrong transaction codes, and says how many attempts are left', async () => {
    const offered = await offer('(113)台檢證字第004403號', 'ietf');
    const wrong = offered.txCode === '000000' ? '000001' : '000000';
    const answers = [];
    for (let attempt = 0; attempt < 5; attempt++) answers.push(await tokenRequest(codeOf(offered.link), wrong));
    expect(answers.map((answer) => answer.body.credledger_error)).toEqual([
      'WRONG_TX_CODE',
      'WRONG_TX_CODE',
      'WRONG_TX_CODE',
      'WRONG_TX_CODE',
      'OFFER_LOCKED',
    ]);
    expect(answers[0]?.body.error_description).toBe('wrong transaction code (4 attempts left)');
    const right = await tokenRequest(codeOf(offered.link), offered.txCode);
    expect(right.body).toMatchObject({ error: 'invalid_grant', credledger_error: 'OFFER_LOCKED' });
    await expect(createReferenceWallet().receive(offered.link, offered.txCode)).rejects.toThrow(/locked/);
    // The operator's log names the offer, the endpoint, the client and the reason of each refusal.
    expect(await logLine(new RegExp(`token offer=${offered.offerId} client=\\S+: refused \\(OFFER_LOCKED\\)`))).toMatch(
      /wrong transaction code; the offer is now locked$/,
    );
    expect(
      serveLog
        .split('\n')
        .filter((line) => line.includes(`offer=${offered.offerId}`) && line.includes('(WRONG_TX_CODE)')),
    ).toHaveLength(4);
  });

  it('puts the offer itself in the link with --by-value; an offer URI with a wrong code is refused, saying nothing of the offer', async () => {
    const offered = await offer('(113)台檢證字第004411號', 'ietf', ['--by-value']);
    expect(offered.link.startsWith('openid-credential-offer://?credential_offer=')).toBe(true);
    const wallet = createReferenceWallet();
    const { credential } = await wallet.receive(offered.link, offered.txCode);
    expect(decodePart(credential, 1).jti).toBe(offered.credentialId);
    const [offerId] = codeOf(offered.link).split('.');
    const forged = await fetch(`${url}/oid4vci/offers/${offerId ?? ''}.forged`);
    expect([forged.status, ((await forged.json()) as { credledger_error?: string }).credledger_error]).toEqual([
      404,
      'UNKNOWN_CODE',
    ]);
  });

  it('refuses an expired offer and an unknown code', async () => {
    const offered = await offer('(113)台檢證字第004404號', 'ietf', ['--valid-for', '1s']);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(offered.expiresAt) - Date.now() + 50));
    expect((await tokenRequest(codeOf(offered.link), offered.txCode)).body).toMatchObject({
      error: 'invalid_grant',
      credledger_error: 'OFFER_EXPIRED',
    });
    const [offerId] = codeOf(offered.link).split('.');
    expect((await tokenRequest(`${offerId ?? ''}.forged`, offered.txCode)).body).toMatchObject({
      credledger_error: 'UNKNOWN_CODE',
    });
  });

  it('refuses a credential request without a token, with a forged token, or with a stale nonce', async () => {
    const noToken = await fetch(`${url}/oid4vci/credential`, {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer');

    const offered = await offer('(113)台檢證字第004405號', 'ietf');
    const token = await tokenRequest(codeOf(offered.link), offered.txCode);
    expect(token).toMatchObject({ status: 200, body: { token_type: 'Bearer', c_nonce: expect.any(String) } });
    const accessToken = String(token.body.access_token);
    const configurationId = 'LawyerLicenceCredential.ietf';
    const request = (bearer: string, proof: string) =>
      fetch(`${url}/oid4vci/credential`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ credential_configuration_id: configurationId, proofs: { jwt: [proof] } }),
      });
    const forged = await request(`${offered.offerId}.forged`, proofJwt('a-nonce-this-issuer-never-gave'));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'invalid_token', credledger_error: 'UNKNOWN_TOKEN' });
    const staleNonce = await request(accessToken, proofJwt('a-nonce-this-issuer-never-gave'));
    expect(staleNonce.status).toBe(400);
    const refused = (await staleNonce.json()) as { error: string; c_nonce: string };
    expect(refused).toMatchObject({ error: 'invalid_nonce', c_nonce: expect.any(String) });
    // Signed over another key's header it does not verify.
    const tampered = proofJwt(refused.c_nonce).replace(/\.[^.]+$/, `.${Buffer.alloc(64, 1).toString('base64url')}`);
    expect(await (await request(accessToken, tampered)).json()).toMatchObject({ error: 'invalid_proof' });
    // The wallet signs again over a nonce it was given, as OpenID4VCI provides, and gets the credential.
    const nonce = (await (await fetch(`${url}/oid4vci/nonce`, { method: 'POST' })).json()) as { c_nonce: string };
    const issued = await request(accessToken, proofJwt(nonce.c_nonce));
    expect(issued.status).toBe(200);
    const body = (await issued.json()) as { credentials: { credential: string }[] };
    expect(decodePart(body.credentials[0]?.credential ?? '', 1).cnf).toEqual({ jwk: proofKey.jwk });
    // The same access token again: the credential was issued; nothing more.
    const nonce2 = (await (await fetch(`${url}/oid4vci/nonce`, { method: 'POST' })).json()) as { c_nonce: string };
    const again = await request(accessToken, proofJwt(nonce2.c_nonce));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_credential_request', credledger_error: 'OFFER_USED' });
  });

  it('refuses to offer a licence whose holder already has one, before any offer is made', async () => {
    const first = await offer('(113)台檢證字第004406號', 'ietf');
    await createReferenceWallet().receive(first.link, first.txCode);
    const second = await runCli(
      ws(['offer', ...lawyer('(113)台檢證字第004406號'), '--profile', 'ietf', '--issuer-url', url]),
    );
    expectExit(second, exitCodes.SUBJECT_HAS_ACTIVE_CREDENTIAL);
    expect(errorLines(second)[0]).toBe(
      `error SUBJECT_HAS_ACTIVE_CREDENTIAL: the subject already has ACTIVE credential ${first.credentialId}, so the wallet could not redeem the offer; no offer was made (to replace it, add --supersede)`,
    );
  });
});

describe('presenting the licence from the wallet (OpenID4VP)', () => {
  interface RequestStatus {
    status: string;
    outcome?: { verdict: string; reasons: string[]; claims: Record<string, unknown>; credential?: { type: string } };
  }
  const ask = async (profile?: 'ietf' | 'tw-diw'): Promise<{ id: string; link: string }> => {
    const response = await fetch(`${url}/oid4vp/requests`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        credentialType: 'LawyerLicenceCredential',
        claims: ['name', 'licenceNumber'],
        ...(profile === undefined ? {} : { profile }),
      }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; link: string };
  };
  const outcome = async (id: string): Promise<RequestStatus> =>
    (await (await fetch(`${url}/oid4vp/requests/${id}`)).json()) as RequestStatus;

  it('shows a clerk only the name and the licence number, VALID; after revocation REVOKED', async () => {
    const offered = await offer('(113)台檢證字第004407號', 'ietf');
    const wallet = createReferenceWallet();
    const { credential } = await wallet.receive(offered.link, offered.txCode);

    const first = await ask();
    expect(first.link.startsWith('openid4vp://')).toBe(true);
    expect((await outcome(first.id)).status).toBe('PENDING');
    const sent = await wallet.present(first.link, credential);
    expect(sent).toMatchObject({ status: 200, disclosed: ['name', 'licenceNumber'] });
    const answered = await outcome(first.id);
    expect(answered).toMatchObject({ status: 'ANSWERED', outcome: { verdict: 'VALID', reasons: [] } });
    expect(answered.outcome?.claims).toEqual({ name: '林美華', licenceNumber: '(113)台檢證字第004407號' });
    // The undisclosed claims never reached the verifier.
    expect(sent.presentation.split('~')).toHaveLength(4);
    expect(JSON.stringify(answered)).not.toContain('2019-09-01');
    // The same request again is refused: a request is answered once.
    expect((await wallet.present(first.link, credential)).status).toBe(400);

    expectExit(await runCli(ws(['revoke', offered.credentialId, '--reason', 'DISBARMENT'])), 0);
    const second = await ask();
    await wallet.present(second.link, credential);
    expect(await outcome(second.id)).toMatchObject({ status: 'ANSWERED', outcome: { verdict: 'REVOKED' } });
  });

  it('shows a TW DIW licence received in draft 13 to a TW DIW request (Presentation Exchange): name and licence number only, VALID', async () => {
    const offered = await offer('(113)台檢證字第004408號', 'tw-diw');
    const wallet = createReferenceWallet();
    const { credential } = await wallet.receive(offered.link, offered.txCode, { draft13: true });

    const asked = await ask('tw-diw');
    const request = new URL(asked.link).searchParams;
    expect(request.get('client_id_scheme')).toBe('redirect_uri');
    expect(request.has('dcql_query')).toBe(false);
    expect(JSON.parse(request.get('presentation_definition') ?? '{}')).toMatchObject({
      input_descriptors: [{ id: 'LawyerLicenceCredential', format: { 'vc+sd-jwt': {} } }],
    });
    const sent = await wallet.present(asked.link, credential);
    expect(sent).toMatchObject({ status: 200, disclosed: ['name', 'licenceNumber'] });
    expect(decodePart(sent.presentation, 0)).toMatchObject({ typ: 'vc+sd-jwt' });
    expect(sent.presentation.split('~')).toHaveLength(4);
    const answered = await outcome(asked.id);
    expect(answered).toMatchObject({
      status: 'ANSWERED',
      outcome: { verdict: 'VALID', reasons: [], credential: { type: 'LawyerLicenceCredential' } },
    });
    expect(answered.outcome?.claims).toEqual({ name: '林美華', licenceNumber: '(113)台檢證字第004408號' });
    // The undisclosed claims never reached the verifier.
    for (const undisclosed of ['2019-09-01', 'practising', 'admissionDate', 'practiceStatus'])
      expect(JSON.stringify(answered)).not.toContain(undisclosed);
  });

  it.each([
    ['ietf', '(113)台檢證字第004409號'],
    ['tw-diw', '(113)台檢證字第004410號'],
  ] as const)(
    'refuses a presentation to a %s request whose disclosure was altered on the way: TAMPERED, KEY_BINDING_SD_HASH_MISMATCH, nothing shown',
    async (profile, licenceNumber) => {
      const offered = await offer(licenceNumber, profile);
      // Someone between the wallet and the verifier rewrites the licence number in the direct_post.
      let onTheWay = false;
      const wallet = createReferenceWallet({
        fetch: (input, init) =>
          fetch(
            input,
            onTheWay && typeof init?.body === 'string' ? { ...init, body: alterLicenceNumber(init.body) } : init,
          ),
      });
      const { credential } = await wallet.receive(offered.link, offered.txCode, { draft13: profile === 'tw-diw' });
      const asked = await ask(profile);
      onTheWay = true;
      expect((await wallet.present(asked.link, credential)).status).toBe(200);
      const answered = await outcome(asked.id);
      expect(answered.outcome).toMatchObject({
        verdict: 'TAMPERED',
        reasons: ['KEY_BINDING_SD_HASH_MISMATCH'],
        claims: {},
      });
      expect(JSON.stringify(answered)).not.toContain(licenceNumber);
    },
  );
});

/** A `direct_post` body with the licence number disclosure of its presentation changed. */
function alterLicenceNumber(body: string): string {
  const alter = (presentation: string): string =>
    presentation
      .split('~')
      .map((part, index) => {
        if (index === 0) return part;
        try {
          const [salt, name, value] = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown[];
          return name === 'licenceNumber'
            ? Buffer.from(JSON.stringify([salt, name, `${String(value)}9`])).toString('base64url')
            : part;
        } catch {
          return part; // the key-binding JWT
        }
      })
      .join('~');
  const form = new URLSearchParams(body);
  const vpToken = form.get('vp_token') ?? '';
  // An IETF vp_token is DCQL's JSON object of presentations; a TW DIW one is the SD-JWT itself.
  form.set(
    'vp_token',
    vpToken.startsWith('{')
      ? JSON.stringify(
          Object.fromEntries(
            Object.entries(JSON.parse(vpToken) as Record<string, string[]>).map(([id, list]) => [id, list.map(alter)]),
          ),
        )
      : alter(vpToken),
  );
  return form.toString();
}

describe("the verifier's page routes", () => {
  it('answer no other site: no CORS, a cross-site request refused, a preflight refused', async () => {
    const body = JSON.stringify({ credentialType: 'LawyerLicenceCredential', claims: ['name'] });
    const crossSite = await fetch(`${url}/oid4vp/requests`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body,
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('access-control-allow-origin')).toBeNull();
    expect(await crossSite.json()).toMatchObject({ error: { code: 'ACCESS_DENIED' } });
    const preflight = await fetch(`${url}/oid4vp/requests`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.ok).toBe(false);
    // The page itself (same origin) is served, without CORS headers.
    const own = await fetch(`${url}/oid4vp/requests`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: url },
      body,
    });
    expect(own.status).toBe(201);
    expect(own.headers.get('access-control-allow-origin')).toBeNull();
    const { id } = (await own.json()) as { id: string };
    const read = await fetch(`${url}/oid4vp/requests/${id}`, { headers: { Origin: 'https://evil.example' } });
    expect(read.status).toBe(403);
    // The wallet's own routes stay open to wallets (web wallets included).
    const metadata = await fetch(`${url}/.well-known/openid-credential-issuer`, {
      headers: { Origin: 'https://wallet.example' },
    });
    expect(metadata.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('bound the requests waiting per client, the client named by the proxy with --trust-proxy', async () => {
    const ask = (client: string) =>
      fetch(`${url}/oid4vp/requests`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `10.0.0.1, ${client}` },
        body: JSON.stringify({ credentialType: 'LawyerLicenceCredential', claims: ['name'] }),
      });
    const statuses: number[] = [];
    for (let n = 0; n < 21; n++) statuses.push((await ask('203.0.113.7')).status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(20);
    expect(statuses[20]).toBe(429);
    // Another clerk behind the same proxy is still served.
    expect((await ask('198.51.100.8')).status).toBe(201);
  });

  it('serve --wallet removes, when it starts, the personal data of an offer that expired unredeemed', async () => {
    // A workspace of its own: the suite's server holds the other one's ledger.
    const other = join(dir, 'sweep');
    expectExit(await runCli(['demo', other, '--no-serve']), 0);
    const made = await runCli([
      '-w',
      other,
      'offer',
      ...lawyer('(113)台檢證字第004409號'),
      '--profile',
      'ietf',
      '--valid-for',
      '1s',
      '--json',
    ]);
    expectExit(made, 0);
    const { offerId, expiresAt } = json<OfferJson>(made);
    const file = join(other, 'wallet-offers', `${offerId}.json`);
    expect(await readFile(file, 'utf8')).toContain('林美華');
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));

    const sweeping = startCli(['-w', other, 'serve', '--wallet', '--port', '0', '--json']);
    let log = '';
    sweeping.stderr?.on('data', (chunk: string) => (log += chunk));
    const done = finish(sweeping);
    await listeningUrl(sweeping);
    sweeping.kill('SIGTERM');
    expectExit(await done, 0);
    expect(log).toMatch(
      /^wallet \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ offers: 1 expired unredeemed \(personal data removed\), 0 finished over 30 days ago deleted$/m,
    );
    const kept = await readFile(file, 'utf8');
    expect(JSON.parse(kept)).toMatchObject({ offerId, state: 'EXPIRED', expiresAt });
    expect(kept).not.toContain('林美華');
  });

  it('serve --wallet --verifier-certificate signs its requests (x509_san_dns, by reference): a wallet trusting the registrar presents, VALID', async () => {
    const registrar = createRegistrar();
    const certificate = registrar.issue('localhost');
    const other = join(dir, 'signed');
    expectExit(await runCli(['demo', other, '--no-serve']), 0);
    await writeFile(join(other, 'verifier.pem'), certificate.chainPem);
    await writeFile(join(other, 'verifier.key'), certificate.keyPem, { mode: 0o600 });
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const signing = [
      '--verifier-certificate',
      join(other, 'verifier.pem'),
      '--verifier-key',
      join(other, 'verifier.key'),
    ];
    const signed = startCli([
      '-w',
      other,
      'serve',
      '--wallet',
      '--port',
      String(port),
      '--public-url',
      base,
      '--json',
      ...signing,
    ]);
    const done = finish(signed);
    try {
      await listeningUrl(signed);
      const made = await runCli([
        '-w',
        other,
        'offer',
        ...lawyer('(113)台檢證字第004410號'),
        '--profile',
        'ietf',
        '--issuer-url',
        base,
        '--json',
      ]);
      expectExit(made, 0);
      const offered = json<OfferJson>(made);
      const wallet = createReferenceWallet({ trustedCertificates: registrar.certificatePem });
      const { credential } = await wallet.receive(offered.link, offered.txCode);
      const asked = await fetch(`${base}/oid4vp/requests`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ credentialType: 'LawyerLicenceCredential', claims: ['name', 'licenceNumber'] }),
      });
      const request = (await asked.json()) as { id: string; link: string; signed: boolean };
      expect([asked.status, request.signed]).toEqual([201, true]);
      const link = new URL(request.link);
      expect(link.searchParams.get('client_id')).toBe('x509_san_dns:localhost');
      expect(link.searchParams.get('request_uri')).toMatch(/^http:\/\/localhost:\d+\/oid4vp\/request-objects\//);
      expect(request.link.length).toBeLessThan(200);
      // A wallet that trusts no registrar refuses it; the one that trusts this one presents.
      await expect(createReferenceWallet().present(request.link, credential)).rejects.toThrow();
      expect(await wallet.present(request.link, credential)).toMatchObject({ status: 200 });
      const outcome = (await (await fetch(`${base}/oid4vp/requests/${request.id}`)).json()) as {
        status: string;
        outcome?: { verdict: string };
      };
      expect(outcome).toMatchObject({ status: 'ANSWERED', outcome: { verdict: 'VALID' } });
    } finally {
      signed.kill('SIGTERM');
      await done;
    }

    // A certificate for another host, or a key alone: refused at start, in one line, with its own code.
    const elsewhere = registrar.issue('verify.example.org');
    await writeFile(join(other, 'elsewhere.pem'), elsewhere.chainPem);
    await writeFile(join(other, 'elsewhere.key'), elsewhere.keyPem, { mode: 0o600 });
    const wrongHost = await runCli([
      ...['-w', other, 'serve', '--wallet', '--port', '0'],
      ...['--verifier-certificate', join(other, 'elsewhere.pem'), '--verifier-key', join(other, 'elsewhere.key')],
    ]);
    expectExit(wrongHost, exitCodes.CONFIG_INVALID);
    expect(errorLines(wrongHost)[0]).toBe(
      'error CONFIG_INVALID: the verifier certificate is for verify.example.org, not 127.0.0.1: wallets would refuse its requests',
    );
    const keyAlone = await runCli(['-w', other, 'serve', '--wallet', '--verifier-key', join(other, 'verifier.key')]);
    expectExit(keyAlone, cliExitCodes.USAGE);
    expect(errorLines(keyAlone)[0]).toBe(
      'error USAGE: --verifier-certificate and --verifier-key go together, and only with --wallet',
    );
  });

  it('serve --wallet refuses, at start and in one line, an address wallets would refuse', async () => {
    // A workspace of its own: the suite's server holds the other one's ledger.
    const other = join(dir, 'lan');
    expectExit(await runCli(['demo', other, '--no-serve']), 0);
    const refused = await runCli(['-w', other, 'serve', '--wallet', '--host', '0.0.0.0', '--port', '0']);
    expectExit(refused, exitCodes.CONFIG_INVALID);
    expect(errorLines(refused)[0]).toMatch(
      /^error CONFIG_INVALID: wallets reach a credential issuer over https only: http:\/\/0\.0\.0\.0:\d+ \(http only on localhost\)$/,
    );
  });
});

describe('credledger demo --wallet', () => {
  it('walks a licence from an offer into a wallet and out to a verifier, disclosing two claims: VALID', async () => {
    const tour = join(dir, 'tour');
    const result = await runCli(['demo', tour, '--wallet', '--no-serve', '--json']);
    expectExit(result, 0);
    const out = json<{
      dir: string;
      wallet: {
        credentialId: string;
        credentialFile: string;
        offerQrPng: string;
        disclosed: string[];
        verdict: string;
      };
    }>(result);
    expect(out.wallet).toMatchObject({ verdict: 'VALID', disclosed: ['name', 'licenceNumber'] });
    expect((await stat(out.wallet.offerQrPng)).size).toBeGreaterThan(0);
    // The licence the tour's wallet holds is anchored in the demo's ledger and verifies on its own.
    const verified = await runCli(['-w', tour, 'verify', out.wallet.credentialFile, '--json']);
    expectExit(verified, 0);
    expect(json<{ verdict: string }>(verified).verdict).toBe('VALID');
  });

  it('refuses to run its wallet against another machine', async () => {
    const result = await runCli(['demo', join(dir, 'tour-lan'), '--wallet', '--host', '0.0.0.0', '--no-serve']);
    expectExit(result, exitCodes.INVALID_INPUT);
    expect(errorLines(result)).toEqual([
      'error INVALID_INPUT: the wallet of demo --wallet runs on this machine: use it without a non-local --host or --public-url',
    ]);
  });
});
