/**
 * verifyCredentials: many credentials at once against one status source. Each result is what
 * verifyCredential gives that input alone; nothing one credential does can change another's verdict.
 */
import { generateKeyPairSync } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { base64urlDecode, parseCompactJws } from '@credledger/verify/formats';
import {
  ledgerStatusSource,
  offlineStatusSource,
  verifyCredential,
  verifyCredentials,
  type VerifyOptions,
} from '@credledger/verify';
import { NOW, World } from './verify-world.js';

/** A world with genuine credentials (one revoked) and its offline status source. */
async function offlineWorld(
  count: number,
): Promise<{ world: World; jwts: { id: string; jwt: string }[]; options: VerifyOptions; revokedId: string }> {
  const world = new World();
  const jwts: { id: string; jwt: string }[] = [];
  for (let i = 0; i < count; i++) jwts.push(await world.issue());
  const revokedId = jwts[1]!.id;
  world.setStatus(revokedId, 'REVOKED', 'DISBARMENT');
  const status = offlineStatusSource({
    trustList: await world.trustList(),
    governanceKeys: world.governanceKeys(),
    statusLists: await world.statusLists(),
  });
  return { world, jwts, options: { status, now: NOW }, revokedId };
}

describe('verifyCredentials (batch)', () => {
  it('a forged credential in the middle of a batch of genuine ones is caught; results keep input order', async () => {
    const { world, jwts, options, revokedId } = await offlineWorld(12);
    const attacker = { ...world.keys.moj1, privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey };
    const forged = await world.sign({ key: attacker });
    const inputs = [
      ...jwts.slice(0, 6).map((j) => j.jwt),
      forged.jwt,
      'not a credential',
      ...jwts.slice(6).map((j) => j.jwt),
    ];
    const expected = inputs.map((jwt) =>
      jwt === forged.jwt
        ? 'TAMPERED'
        : jwt === 'not a credential'
          ? 'MALFORMED'
          : jwt === jwts[1]!.jwt
            ? 'REVOKED'
            : 'VALID',
    );
    for (const concurrency of [1, 3, 64]) {
      const results = await verifyCredentials(inputs, options, { concurrency });
      expect(results.map((r) => r.verdict)).toEqual(expected);
      // Input order: each result names its own credential.
      results.forEach((result, i) => {
        const id = jwts.find((j) => j.jwt === inputs[i])?.id;
        if (id) expect(result.credential?.id).toBe(id);
      });
      expect(results[inputs.indexOf(jwts[1]!.jwt)]!.credential?.id).toBe(revokedId);
    }
  });

  it('every result equals verifyCredential on that input alone', async () => {
    const { world, jwts, options } = await offlineWorld(5);
    const attacker = { ...world.keys.moj1, privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey };
    const forged = await world.sign({ key: attacker });
    const inputs = [forged.jwt, ...jwts.map((j) => j.jwt), forged.jwt, `${jwts[0]!.jwt}x`, ''];
    const batch = await verifyCredentials(inputs, options, { concurrency: 4 });
    const alone = await Promise.all(inputs.map((jwt) => verifyCredential(jwt, options)));
    expect(batch).toEqual(alone);
  });

  it('with a ledger source a forgery under an anchored id, amid genuine ones, is TAMPERED', async () => {
    const world = new World();
    const genuine = [await world.issue(), await world.issue(), await world.issue()];
    const attacker = { ...world.keys.moj1, privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey };
    const forged = await world.sign({ key: attacker });
    await world.anchor(forged.jwt);
    const options = Object.freeze({ status: ledgerStatusSource(world.registry()), now: NOW });
    const inputs = [genuine[0]!.jwt, forged.jwt, genuine[1]!.jwt, forged.jwt, genuine[2]!.jwt];
    const results = await verifyCredentials(inputs, options, { concurrency: 8 });
    expect(results.map((r) => r.verdict)).toEqual(['VALID', 'TAMPERED', 'VALID', 'TAMPERED', 'VALID']);
  });

  it('never throws: empty input, odd concurrency, a missing or throwing status source', async () => {
    const { jwts, options } = await offlineWorld(2);
    expect(await verifyCredentials([], options)).toEqual([]);
    for (const concurrency of [0, -1, Number.NaN, 1e9, 2.5]) {
      const results = await verifyCredentials(
        jwts.map((j) => j.jwt),
        options,
        { concurrency },
      );
      expect(results.map((r) => r.verdict)).toEqual(['VALID', 'REVOKED']);
    }
    const throwing = {
      kind: 'ledger' as const,
      getIssuer: () => {
        throw new Error('down');
      },
      getStatus: () => Promise.reject(new Error('down')),
    };
    const down = await verifyCredentials(
      jwts.map((j) => j.jwt),
      { status: throwing, now: NOW },
    );
    expect(down.map((r) => r.verdict)).toEqual(['UNVERIFIABLE', 'UNVERIFIABLE']);
    const none = await verifyCredentials([jwts[0]!.jwt], { now: NOW } as never);
    expect(none[0]!.verdict).toBe('UNVERIFIABLE');
  });

  it('changing the caller options object during a batch does not change how its credentials are verified', async () => {
    const { jwts, options } = await offlineWorld(6);
    const mutable: { status: VerifyOptions['status']; now: Date } = {
      status: options.status,
      now: new Date(NOW.getTime()),
    };
    const pending = verifyCredentials(
      jwts.map((j) => j.jwt),
      mutable,
      { concurrency: 2 },
    );
    mutable.now.setTime(Date.parse('2040-01-01T00:00:00Z'));
    mutable.status = {
      kind: 'ledger',
      getIssuer: () => Promise.reject(new Error('swapped')),
      getStatus: () => Promise.reject(new Error('swapped')),
    };
    const results = await pending;
    expect(results.map((r) => r.verdict)).toEqual(['VALID', 'REVOKED', 'VALID', 'VALID', 'VALID', 'VALID']);
  });

  it('a status list checked once serves concurrent lookups, and a new list under the same URL is checked anew', async () => {
    const world = new World();
    const a = await world.issue();
    const lists = await world.statusLists();
    const served: Record<string, string> = { ...lists };
    const status = offlineStatusSource({
      trustList: await world.trustList(),
      governanceKeys: world.governanceKeys(),
      statusLists: async (url) => served[url],
    });
    const first = await verifyCredentials([a.jwt, a.jwt, a.jwt], { status, now: NOW }, { concurrency: 3 });
    expect(first.map((r) => r.verdict)).toEqual(['VALID', 'VALID', 'VALID']);
    world.setStatus(a.id, 'REVOKED', 'DISBARMENT');
    Object.assign(served, await world.statusLists());
    const second = await verifyCredentials([a.jwt, a.jwt], { status, now: NOW }, { concurrency: 2 });
    expect(second.map((r) => r.verdict)).toEqual(['REVOKED', 'REVOKED']);
  });

  it('parsing: base64url as Buffer decodes it, the signing input is the first two parts, non-ASCII is refused', async () => {
    const { jwts } = await offlineWorld(2);
    const jwt = jwts[0]!.jwt;
    for (let length = 0; length < 300; length++) {
      const text = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length) & 0xff)).toString('base64url');
      expect(Buffer.from(base64urlDecode(text)!)).toEqual(Buffer.from(text, 'base64url'));
    }
    expect(base64urlDecode('abcde')).toBeUndefined();
    expect(base64urlDecode('ab+/')).toBeUndefined();
    expect(base64urlDecode('abé=')).toBeUndefined();
    const parsed = parseCompactJws(jwt);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(Buffer.from(parsed.signingInput).toString('latin1')).toBe(jwt.slice(0, jwt.lastIndexOf('.')));
    const [h, p, sig] = jwt.split('.') as [string, string, string];
    expect(parseCompactJws(`${h}é.${p}.${sig}`)).toBe('BAD_BASE64URL');
    expect(parseCompactJws(`${h}.${p}é.${sig}`)).toBe('BAD_BASE64URL');
    expect(parseCompactJws(`${h}.${p}.${sig}é`)).toBe('BAD_BASE64URL');
    expect(parseCompactJws(`${h}.${p}.${sig}.x`)).toBe('NOT_COMPACT_JWS');
    expect(parseCompactJws(`.${p}.${sig}`)).toBe('NOT_COMPACT_JWS');
  });
});
