import { describe, expect, it } from '@jest/globals';

import {
  ledgerStatusSource,
  offlineStatusSource,
  verifyCredential,
  type Check,
  type CheckName,
  type VerificationResult,
} from '@credledger/verify';
import type { StatusSource } from '@credledger/verify';
import { BASE, COMPANY, ISSUED, LAWYER, MOEA, MOJ, NOW, World } from './verify-world.js';

const clock = (): Date => new Date('2026-11-27T09:59:00.000Z');
const check = (result: VerificationResult, name: CheckName): Check | undefined =>
  result.checks.find((c) => c.name === name);
const shape = (result: VerificationResult): Record<string, string> =>
  Object.fromEntries(result.checks.map((c) => [c.name, `${c.result}:${c.reason}`]));

async function offline(world: World, lists?: Record<string, string>): Promise<StatusSource> {
  return offlineStatusSource({
    trustList: await world.trustList(),
    governanceKeys: world.governanceKeys(),
    statusLists: lists ?? (await world.statusLists()),
  });
}

describe('verifyCredential with the ledger source', () => {
  it('VALID: every check passes, in pipeline order, with the summary from the registry', async () => {
    const world = new World();
    const { id, jwt } = await world.issue();
    const result = await verifyCredential(jwt, { status: ledgerStatusSource(world.registry(), { clock }), now: NOW });
    expect(result.verdict).toBe('VALID');
    expect(shape(result)).toEqual({
      decode: 'pass:DECODED',
      issuer: 'pass:ISSUER_REGISTERED',
      'credential-type': 'pass:TYPE_ALLOWED',
      signature: 'pass:SIGNATURE_VALID',
      claims: 'pass:CLAIMS_CONFORM',
      validity: 'pass:WITHIN_VALIDITY',
      anchor: 'pass:DIGEST_MATCHES',
      status: 'pass:ACTIVE',
    });
    expect(result.credential).toMatchObject({
      id,
      type: LAWYER,
      issuer: MOJ,
      issuerName: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: '2036-01-01T00:00:00Z',
    });
    expect(result.credential?.subject).toMatchObject({ name: '陳雅婷' });
    expect(result.status).toEqual({
      state: 'ACTIVE',
      reason: null,
      changedAt: '2026-11-26T08:00:05.000Z',
      asOf: '2026-11-27T09:59:00.000Z',
    });
    expect(result.anchoredAt).toBe('2026-11-26T08:00:05.000Z');
  });

  it('VALID for an EdDSA credential of the other issuer', async () => {
    const world = new World();
    const { jwt } = await world.issue({ issuer: MOEA });
    const result = await verifyCredential(jwt, { status: ledgerStatusSource(world.registry()), now: NOW });
    expect(result.verdict).toBe('VALID');
    expect(result.credential).toMatchObject({ type: COMPANY, issuerName: { en: 'Ministry of Economic Affairs' } });
  });

  it('REVOKED and SUSPENDED carry the reason and change time from the ledger', async () => {
    const world = new World();
    const revoked = await world.issue();
    const suspended = await world.issue();
    world.setStatus(revoked.id, 'REVOKED', 'DISBARMENT');
    world.setStatus(suspended.id, 'SUSPENDED', 'DISCIPLINARY_SUSPENSION');
    const status = ledgerStatusSource(world.registry(), { clock });
    const r = await verifyCredential(revoked.jwt, { status, now: NOW });
    expect(r.verdict).toBe('REVOKED');
    expect(r.status).toMatchObject({ state: 'REVOKED', reason: 'DISBARMENT', changedAt: '2026-11-27T09:00:00.000Z' });
    expect(check(r, 'status')).toMatchObject({ result: 'fail', reason: 'REVOKED' });
    const s = await verifyCredential(suspended.jwt, { status, now: NOW });
    expect(s.verdict).toBe('SUSPENDED');
    expect(s.status).toMatchObject({ state: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' });
  });

  it('EXPIRED and NOT_YET_VALID from the validity window against `now`', async () => {
    const world = new World();
    const { jwt } = await world.issue({
      validFrom: new Date('2026-01-01T00:00:00Z'),
      validUntil: new Date('2026-06-01T00:00:00Z'),
    });
    const status = ledgerStatusSource(world.registry());
    expect((await verifyCredential(jwt, { status, now: NOW })).verdict).toBe('EXPIRED');
    expect((await verifyCredential(jwt, { status, now: new Date('2026-05-31T23:59:59Z') })).verdict).toBe('VALID');
    const future = await world.issue({ validFrom: new Date('2027-01-01T00:00:00Z') });
    const result = await verifyCredential(future.jwt, { status, now: NOW });
    expect(result.verdict).toBe('NOT_YET_VALID');
    expect(check(result, 'validity')).toMatchObject({ result: 'fail', reason: 'NOT_YET_VALID' });
    // A revoked credential that has also expired is reported as revoked: the stronger statement.
    world.setStatus(future.id, 'REVOKED', 'ISSUED_IN_ERROR');
    expect((await verifyCredential(future.jwt, { status, now: NOW })).verdict).toBe('REVOKED');
  });

  it('TAMPERED when the ledger digest differs (a re-signed credential under an anchored id)', async () => {
    const world = new World();
    const genuine = await world.issue();
    // Same id, same key, different content: the signature is fine, the anchor is not.
    const resigned = await world.sign({
      id: genuine.id,
      subject: {
        ...(
          JSON.parse(Buffer.from(genuine.jwt.split('.')[1]!, 'base64url').toString()) as {
            credentialSubject: Record<string, unknown>;
          }
        ).credentialSubject,
        name: '王小明',
      },
    });
    const result = await verifyCredential(resigned.jwt, { status: ledgerStatusSource(world.registry()), now: NOW });
    expect(result.verdict).toBe('TAMPERED');
    expect(check(result, 'signature')).toMatchObject({ result: 'pass' });
    expect(check(result, 'anchor')).toMatchObject({ result: 'fail', reason: 'DIGEST_MISMATCH' });
  });

  it('UNKNOWN_ISSUER and WRONG_TYPE_FOR_ISSUER', async () => {
    const world = new World();
    const stranger = await world.issue({ issuer: 'did:web:moj-gov.tw', kid: 'did:web:moj-gov.tw#key-1' });
    const status = ledgerStatusSource(world.registry());
    const u = await verifyCredential(stranger.jwt, { status, now: NOW });
    expect(u.verdict).toBe('UNKNOWN_ISSUER');
    expect(u.credential?.issuerName).toBeUndefined();
    const wrongType = await world.issue({ issuer: MOEA, type: LAWYER });
    const w = await verifyCredential(wrongType.jwt, { status, now: NOW });
    expect(w.verdict).toBe('WRONG_TYPE_FOR_ISSUER');
    expect(check(w, 'credential-type')).toMatchObject({ result: 'fail', reason: 'TYPE_NOT_ALLOWED' });
  });

  it('UNVERIFIABLE when the ledger is unreachable or has no record', async () => {
    const world = new World();
    const { jwt } = await world.issue();
    world.down = true;
    const down = await verifyCredential(jwt, { status: ledgerStatusSource(world.registry()), now: NOW });
    expect(down.verdict).toBe('UNVERIFIABLE');
    expect(check(down, 'issuer')).toMatchObject({ result: 'unknown', reason: 'STATUS_SOURCE_UNAVAILABLE' });
    world.down = false;
    const unanchored = await world.sign();
    const result = await verifyCredential(unanchored.jwt, { status: ledgerStatusSource(world.registry()), now: NOW });
    expect(result.verdict).toBe('UNVERIFIABLE');
    expect(check(result, 'anchor')).toMatchObject({ result: 'fail', reason: 'NOT_ANCHORED' });
  });

  it('a status source that throws synchronously or returns garbage never makes verifyCredential throw', async () => {
    const world = new World();
    const { jwt } = await world.issue();
    const hostile: StatusSource = {
      kind: 'ledger',
      getIssuer: () => {
        throw new Error('boom');
      },
      getStatus: () => Promise.resolve(null as never),
    };
    expect((await verifyCredential(jwt, { status: hostile, now: NOW })).verdict).toBe('UNVERIFIABLE');
    const garbage: StatusSource = {
      kind: 'ledger',
      getIssuer: () => Promise.resolve({ issuer: world.issuers[0], asOf: NOW.toISOString() }),
      getStatus: () => Promise.resolve(42 as never),
    };
    const result = await verifyCredential(jwt, { status: garbage, now: NOW });
    expect(result.verdict).toBe('UNVERIFIABLE');
    expect(check(result, 'status')).toMatchObject({ result: 'unknown', reason: 'STATUS_SOURCE_UNAVAILABLE' });
    expect(await verifyCredential(jwt, undefined as never)).toMatchObject({ verdict: 'UNVERIFIABLE' });
  });
});

describe('key rotation rules', () => {
  it('a retired key keeps credentials signed before retirement valid, refuses ones signed after', async () => {
    const world = new World();
    const old = await world.sign({ key: world.keys.mojOld, issuedAt: new Date('2026-03-01T00:00:00Z') });
    await world.anchor(old.jwt, '2026-03-01T00:00:03.000Z');
    const status = ledgerStatusSource(world.registry());
    expect((await verifyCredential(old.jwt, { status, now: NOW })).verdict).toBe('VALID');

    const late = await world.sign({ key: world.keys.mojOld, issuedAt: new Date('2026-07-01T00:00:00Z') });
    await world.anchor(late.jwt, '2026-07-01T00:00:03.000Z');
    const result = await verifyCredential(late.jwt, { status, now: NOW });
    expect(result.verdict).toBe('TAMPERED');
    expect(check(result, 'signature')).toMatchObject({ result: 'fail', reason: 'KEY_RETIRED_AT_ISSUANCE' });
  });

  it('a compromised key: valid only if the LEDGER anchor predates the compromise, whatever iat says', async () => {
    const world = new World();
    const status = ledgerStatusSource(world.registry());
    const before = await world.sign({ key: world.keys.mojStolen, issuedAt: new Date('2026-11-26T08:00:00Z') });
    await world.anchor(before.jwt, '2026-11-26T08:00:05.000Z');
    expect((await verifyCredential(before.jwt, { status, now: NOW })).verdict).toBe('VALID');

    // The thief backdates iat; the ledger anchor time (after the compromise) decides.
    const backdated = await world.sign({ key: world.keys.mojStolen, issuedAt: new Date('2026-02-01T00:00:00Z') });
    await world.anchor(backdated.jwt, '2026-11-26T13:00:00.000Z');
    const after = await verifyCredential(backdated.jwt, { status, now: NOW });
    expect(after.verdict).toBe('UNVERIFIABLE');
    expect(check(after, 'signature')).toMatchObject({ result: 'fail', reason: 'KEY_COMPROMISED_BEFORE_ANCHOR' });

    // Never anchored at all: a forgery with the stolen key.
    const forged = await world.sign({ key: world.keys.mojStolen, issuedAt: new Date('2026-02-01T00:00:00Z') });
    const f = await verifyCredential(forged.jwt, { status, now: NOW });
    expect(f.verdict).toBe('UNVERIFIABLE');
    expect(check(f, 'signature')).toMatchObject({ result: 'unknown', reason: 'KEY_COMPROMISED_NOT_ANCHORED' });
  });

  it('offline, a credential signed with a compromised key is UNVERIFIABLE even with a clean status bit', async () => {
    const world = new World();
    const genuine = await world.sign({ key: world.keys.mojStolen });
    await world.anchor(genuine.jwt, '2026-11-26T08:00:05.000Z');
    const result = await verifyCredential(genuine.jwt, { status: await offline(world), now: NOW });
    expect(result.verdict).toBe('UNVERIFIABLE');
    expect(check(result, 'signature')).toMatchObject({ result: 'unknown', reason: 'KEY_COMPROMISED_NOT_ANCHORED' });
    // The clean bit is about the id, which a forger with the stolen key copies: it is not reported.
    expect(check(result, 'status')).toMatchObject({ result: 'unknown', reason: 'NOT_CHECKED' });
    expect(result.status).toBeUndefined();
  });
});

describe('verifyCredential offline (trust list + status lists)', () => {
  it('VALID with no ledger: anchor unknown (not consulted), status from lists with its freshness', async () => {
    const world = new World();
    const { jwt } = await world.issue();
    const result = await verifyCredential(jwt, { status: await offline(world), now: NOW });
    expect(result.verdict).toBe('VALID');
    expect(check(result, 'anchor')).toMatchObject({ result: 'unknown', reason: 'LEDGER_NOT_CONSULTED' });
    expect(check(result, 'issuer')?.detail).toContain(ISSUED.toISOString());
    expect(result.status).toEqual({ state: 'ACTIVE', reason: null, changedAt: null, asOf: '2026-11-27T09:30:00.000Z' });
    expect(result.anchoredAt).toBeUndefined();
  });

  it('REVOKED and SUSPENDED from the bits regenerated from ledger state', async () => {
    const world = new World();
    const a = await world.issue();
    const b = await world.issue({ issuer: MOEA });
    const c = await world.issue();
    world.setStatus(a.id, 'REVOKED', 'DISBARMENT');
    world.setStatus(b.id, 'SUSPENDED', 'COURT_ORDER');
    const status = await offline(world);
    expect((await verifyCredential(a.jwt, { status, now: NOW })).verdict).toBe('REVOKED');
    expect((await verifyCredential(b.jwt, { status, now: NOW })).verdict).toBe('SUSPENDED');
    expect((await verifyCredential(c.jwt, { status, now: NOW })).verdict).toBe('VALID');
  });

  it('UNVERIFIABLE when a status list is missing, stale, or signed by another issuer', async () => {
    const world = new World();
    const { jwt } = await world.issue();
    const lists = await world.statusLists();
    const revocationUrl = `${BASE}/status/moj.gov.tw/revocation`;
    const { [revocationUrl]: _revocation, ...withoutRevocation } = lists;
    const missing = await verifyCredential(jwt, { status: await offline(world, withoutRevocation), now: NOW });
    expect(missing.verdict).toBe('UNVERIFIABLE');
    expect(check(missing, 'status')).toMatchObject({ result: 'unknown', reason: 'STATUS_LIST_UNAVAILABLE' });

    const stale = await verifyCredential(jwt, {
      status: await offline(world, lists),
      now: new Date('2026-11-30T00:00:00Z'),
    });
    expect(check(stale, 'status')).toMatchObject({ result: 'unknown', reason: 'STATUS_LIST_STALE' });
    expect(stale.verdict).toBe('UNVERIFIABLE');

    // MOEA's (validly signed) list served at MOJ's URL.
    const swapped = { ...lists, [revocationUrl]: lists[`${BASE}/status/moea.gov.tw/revocation`]! };
    const s = await verifyCredential(jwt, { status: await offline(world, swapped), now: NOW });
    expect(check(s, 'status')).toMatchObject({ result: 'unknown', reason: 'STATUS_LIST_INVALID' });
  });

  it('UNVERIFIABLE when the trust list is not signed by the pinned governance key, or expired', async () => {
    const world = new World();
    const { jwt } = await world.issue();
    const lists = await world.statusLists();
    const otherWorld = new World();
    const wrongPin = offlineStatusSource({
      trustList: await world.trustList(),
      governanceKeys: [{ kid: world.keys.gov.kid, publicKeyJwk: otherWorld.keys.mojStolen.record.publicKeyJwk }],
      statusLists: lists,
    });
    const r = await verifyCredential(jwt, { status: wrongPin, now: NOW });
    expect(r.verdict).toBe('UNVERIFIABLE');
    expect(check(r, 'issuer')).toMatchObject({ result: 'unknown', reason: 'TRUST_LIST_INVALID' });
    const expired = await verifyCredential(jwt, {
      status: await offline(world, lists),
      now: new Date('2027-01-02T00:00:00Z'),
    });
    expect(check(expired, 'issuer')).toMatchObject({ result: 'unknown', reason: 'TRUST_LIST_EXPIRED' });
  });
});
