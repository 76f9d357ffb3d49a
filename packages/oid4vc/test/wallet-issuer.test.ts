/**
 * The credential endpoint when issuing fails part-way: the wallet gets OpenID4VCI's error shape and the
 * operator a log line; the retry that finishes the offer must prove the key the credential was already
 * signed for; a ledger outage longer than the token's lifetime still lets the wallet finish.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CredledgerError } from '@credledger/verify';

import {
  createWalletIssuer,
  openOfferStore,
  type IssueForHolder,
  type WalletAnswer,
  type WalletIssuer,
  type WalletIssuerEvent,
} from '../src/index.js';

const BASE = 'https://wallet.moj.gov.tw';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credledger-wallet-issuer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function holderKey(): { key: KeyObject; jwk: Record<string, string> } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x = '', y = '' } = publicKey.export({ format: 'jwk' });
  return { key: privateKey, jwk: { kty: 'EC', crv: 'P-256', x, y } };
}

function proof(holder: { key: KeyObject; jwk: Record<string, string> }, nonce: string, now: Date): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ typ: 'openid4vci-proof+jwt', alg: 'ES256', jwk: holder.jwk })}.${part({ aud: BASE, iat: Math.floor(now.getTime() / 1000), nonce })}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: holder.key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

async function call(issuer: WalletIssuer, path: string, body: unknown, token?: string): Promise<WalletAnswer> {
  const route = issuer.routes.find((candidate) => candidate.path === path && candidate.method === 'POST');
  if (!route) throw new Error(`no route ${path}`);
  return route.handle({
    method: 'POST',
    url: path,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    body,
    clientAddress: '203.0.113.9',
  });
}

async function world(issue: IssueForHolder) {
  let now = new Date('2026-12-07T09:00:00Z');
  const events: WalletIssuerEvent[] = [];
  const offers = openOfferStore(dir);
  const issuer = createWalletIssuer({
    baseUrl: BASE,
    offers,
    issue,
    signingAlg: 'ES256',
    now: () => now,
    onEvent: (event) => events.push(event),
  });
  const offer = await offers.create(
    {
      credentialId: 'urn:uuid:0b5c5a4e-3f0e-4f7a-9d55-1b2c3d4e5f60',
      issuerDid: 'did:web:moj.gov.tw',
      type: 'LawyerLicenceCredential',
      profile: 'ietf',
      subject: { name: '王小明' },
    },
    { now },
  );
  const token = await call(issuer, '/oid4vci/token', {
    grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
    'pre-authorized_code': offer.preAuthorizedCode,
    tx_code: offer.txCode,
  });
  const accessToken = (token.body as { access_token: string }).access_token;
  const request = async (holder: ReturnType<typeof holderKey>) => {
    const nonce = (await call(issuer, '/oid4vci/nonce', {})).body as { c_nonce: string };
    return call(
      issuer,
      '/oid4vci/credential',
      {
        credential_configuration_id: 'LawyerLicenceCredential.ietf',
        proofs: { jwt: [proof(holder, nonce.c_nonce, now)] },
      },
      accessToken,
    );
  };
  return {
    events,
    request,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

describe('the credential endpoint, issuing failing part-way', () => {
  it('answers a ledger outage 503 temporarily_unavailable, logs it, and lets the same key finish after the token lifetime', async () => {
    let attempt = 0;
    const { events, request, advance } = await world(async ({ signedBefore, onSigned }) => {
      attempt++;
      if (attempt === 1) {
        await onSigned('eyJ.signed-for-the-first-key~');
        throw new CredledgerError('LEDGER_UNAVAILABLE', 'the orderer did not answer');
      }
      return { credential: signedBefore ?? 'signed again' };
    });
    const holder = holderKey();
    const failed = await request(holder);
    expect(failed).toMatchObject({
      status: 503,
      body: { error: 'temporarily_unavailable', credledger_error: 'LEDGER_UNAVAILABLE' },
      headers: { 'Retry-After': '5' },
    });
    expect(events.at(-1)).toMatchObject({ kind: 'refused', endpoint: 'credential', reason: 'LEDGER_UNAVAILABLE' });

    // Another key cannot take the credential signed for the first one.
    advance(10 * 60_000);
    expect(await request(holderKey())).toMatchObject({ status: 400, body: { error: 'invalid_proof' } });
    // The first key, after the token's five minutes: the credential signed before, not a second one.
    const finished = await request(holder);
    expect(finished).toMatchObject({
      status: 200,
      body: { credentials: [{ credential: 'eyJ.signed-for-the-first-key~' }] },
    });
    expect(attempt).toBe(2);
  });

  it('answers a refusal of the credential 400 credential_request_denied, and an unknown failure 500 without its detail', async () => {
    const denied = await world(() =>
      Promise.reject(new CredledgerError('SUBJECT_HAS_ACTIVE_CREDENTIAL', 'the subject holds urn:uuid:…')),
    );
    expect(await denied.request(holderKey())).toMatchObject({
      status: 400,
      body: { error: 'credential_request_denied', credledger_error: 'SUBJECT_HAS_ACTIVE_CREDENTIAL' },
    });
    await rm(dir, { recursive: true, force: true });
    const broken = await world(() => Promise.reject(new Error('disk full at /var/lib/credledger')));
    const answer = await broken.request(holderKey());
    expect(answer).toMatchObject({ status: 500, body: { error: 'server_error', credledger_error: 'INTERNAL' } });
    expect(JSON.stringify(answer.body)).not.toContain('disk full');
    expect(broken.events.at(-1)).toMatchObject({ kind: 'refused', message: 'disk full at /var/lib/credledger' });
  });
});
