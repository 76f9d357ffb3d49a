/**
 * IETF Token Status List (docs/decisions/0024): Status List Tokens published from ledger records, and an
 * IETF-profile SD-JWT VC verified offline from them — VALID, SUSPENDED, VALID again, REVOKED — with real
 * signatures. A token signed by another key, with an altered `lst`, published under another URI or
 * past its `exp` is refused, and the verdict is UNVERIFIABLE as for a refused Bitstring Status List.
 */
import { hash, verify as nodeVerify } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { TokenStatusList, verifyCredential, verifyStatusListToken } from '@credledger/verify';
import { encodeTokenStatusList, signStatusListToken } from '@credledger/verify/formats';

import { tokenStatusListUrl } from '../src/status/entry.js';
import { publishTokenStatusLists } from '../src/status/token-publisher.js';
import {
  BASE,
  MOEA,
  MOJ,
  NOW,
  World,
  expectStatusLifecycle,
  issueSdJwtLicence,
  listKey,
  statusCheck,
} from './verify-world.js';

const PUBLISHED = new Date('2026-11-27T09:30:00.000Z');
const TOKEN_URL = `${BASE}/status/moj.gov.tw/token`;

const part = (jwt: string, index: number): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** Issues an IETF-profile SD-JWT VC with the World's MoJ key and anchors its record. */
/** Both issuers' Status List Tokens from the World's records: URL → JWT. */
async function tokens(world: World, now = PUBLISHED): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [did, key] of [
    [MOJ, world.keys.moj1],
    [MOEA, world.keys.moea1],
  ] as const) {
    const { lists } = await publishTokenStatusLists({
      issuerDid: did,
      baseUrl: BASE,
      records: [...world.records.values()],
      allocations: await world.allocator.allocations(did, 'revocation'),
      now,
      key: listKey(key),
    });
    for (const list of lists) out[list.url] = list.jwt;
  }
  return out;
}

describe('publishTokenStatusLists', () => {
  it("signs one statuslist+jwt per issuer: sub = the credentials' uri, iat/exp/ttl, 2 bits from the ledger", async () => {
    const world = new World();
    const a = await issueSdJwtLicence(world, 'ietf');
    const b = await issueSdJwtLicence(world, 'ietf');
    await issueSdJwtLicence(world, 'ietf');
    world.setStatus(a.id, 'REVOKED', 'DISBARMENT');
    world.setStatus(b.id, 'SUSPENDED', 'DISCIPLINARY_SUSPENSION');
    const { lists } = await publishTokenStatusLists({
      issuerDid: MOJ,
      baseUrl: `${BASE}/`,
      records: [...world.records.values()],
      allocations: await world.allocator.allocations(MOJ, 'revocation'),
      now: PUBLISHED,
      key: listKey(world.keys.moj1),
    });
    expect(lists.map((l) => [l.url, l.list, l.revoked, l.suspended])).toEqual([[TOKEN_URL, 0, 1, 1]]);
    expect(tokenStatusListUrl(BASE, MOJ, 3)).toBe(`${TOKEN_URL}/3`);
    const jwt = lists[0]!.jwt;
    expect(part(jwt, 0)).toEqual({ alg: 'ES256', typ: 'statuslist+jwt', kid: world.keys.moj1.kid });
    const payload = part(jwt, 1);
    expect(payload).toMatchObject({
      iss: MOJ,
      sub: TOKEN_URL,
      iat: PUBLISHED.getTime() / 1000,
      exp: PUBLISHED.getTime() / 1000 + 48 * 3600,
      ttl: 3600,
      status_list: { bits: 2 },
    });
    // The credential names exactly this token, at its revocation index.
    const reference = (part(a.sdJwt.split('~')[0]!, 1).status as { status_list: { idx: number; uri: string } })
      .status_list;
    expect(reference.uri).toBe(TOKEN_URL);
    const index = (await world.allocator.allocations(MOJ, 'revocation')).get(a.id)!.index;
    expect(reference.idx).toBe(index);

    const checked = await verifyStatusListToken(jwt, { issuer: world.issuers[0]!, uri: TOKEN_URL, now: NOW });
    if (!checked.ok) throw new Error(checked.detail);
    expect(checked.list.length).toBe(131_072);
    expect(checked.list.get(index)).toBe(1);
    const bIndex = (await world.allocator.allocations(MOJ, 'revocation')).get(b.id)!.index;
    expect(checked.list.get(bIndex)).toBe(2);
    expect(checked.issuedAt).toBe(PUBLISHED.toISOString());
  });
});

describe("the OpenWallet Foundation's @sd-jwt/sd-jwt-vc reads the published token", () => {
  it('verify() with the token as its status list: passes while VALID, throws once REVOKED or SUSPENDED', async () => {
    const world = new World();
    const { id, sdJwt } = await issueSdJwtLicence(world, 'ietf');
    const publicKey = world.keys.moj1.privateKey;
    const owf = (lists: Record<string, string>): SDJwtVcInstance =>
      new SDJwtVcInstance({
        hasher: (data: string | ArrayBuffer) =>
          new Uint8Array(hash('sha256', typeof data === 'string' ? data : Buffer.from(data), 'buffer')),
        // One key signs both the credential and its status list token, as credledger publishes them.
        verifier: (data: string, signature: string) =>
          nodeVerify(
            'sha256',
            Buffer.from(data),
            { key: publicKey, dsaEncoding: 'ieee-p1363' },
            Buffer.from(signature, 'base64url'),
          ),
        statusListFetcher: (uri: string) => {
          const token = lists[uri];
          return token === undefined ? Promise.reject(new Error(`nothing at ${uri}`)) : Promise.resolve(token);
        },
      });
    await expect(owf(await tokens(world)).verify(sdJwt, { currentDate: NOW.getTime() / 1000 })).resolves.toMatchObject({
      payload: { status: { status_list: { uri: TOKEN_URL } } },
    });
    world.setStatus(id, 'SUSPENDED', 'DISCIPLINARY_SUSPENSION');
    await expect(owf(await tokens(world)).verify(sdJwt, { currentDate: NOW.getTime() / 1000 })).rejects.toThrow(
      /^Status is not valid$/,
    );
    world.setStatus(id, 'REVOKED', 'DISBARMENT');
    await expect(owf(await tokens(world)).verify(sdJwt, { currentDate: NOW.getTime() / 1000 })).rejects.toThrow(
      /^Status is not valid$/,
    );
  });
});

describe('an IETF SD-JWT VC verified offline from the Status List Token', () => {
  it('VALID, then SUSPENDED, then VALID again when reinstated, then REVOKED', async () => {
    const world = new World();
    const { id, sdJwt } = await issueSdJwtLicence(world, 'ietf');
    await expectStatusLifecycle(world, id, async () => {
      const result = await verifyCredential(sdJwt, {
        status: await world.offlineSource(await tokens(world)),
        now: NOW,
      });
      expect(statusCheck(result)?.detail).toBe('1 status list token');
      return result.verdict;
    });
  });

  it('without the token it stays UNVERIFIABLE (STATUS_LIST_UNAVAILABLE), never VALID', async () => {
    const world = new World();
    const { sdJwt } = await issueSdJwtLicence(world, 'ietf');
    const result = await verifyCredential(sdJwt, { status: await world.offlineSource({}), now: NOW });
    expect(result.verdict).toBe('UNVERIFIABLE');
    expect(statusCheck(result)?.reason).toBe('STATUS_LIST_UNAVAILABLE');
  });

  /** Re-signs `payload` under `header` with `key`: a well-formed token by whoever holds that key. */
  const resign = async (world: World, changes: { key: 'gov' | 'mojStolen'; kid: string }): Promise<string> => {
    const original = (await tokens(world))[TOKEN_URL]!;
    const payload = part(original, 1);
    const key = world.keys[changes.key];
    const list = payload.status_list as { bits: 2; lst: string };
    return signStatusListToken(
      {
        issuerDid: payload.iss as string,
        uri: payload.sub as string,
        list: TokenStatusList.decode(list.bits, list.lst)!,
        issuedAt: new Date((payload.iat as number) * 1000),
        expiresAt: new Date((payload.exp as number) * 1000),
        ttlSeconds: 3600,
      },
      { ...listKey(key), kid: changes.kid },
    );
  };

  it.each([
    [
      'signed by another key under the MoJ kid',
      async (world: World) => resign(world, { key: 'gov', kid: world.keys.moj1.kid }),
      /SIGNATURE_INVALID/,
    ],
    [
      'signed by a registered MoJ key marked compromised (a thief clearing a revocation)',
      async (world: World) => resign(world, { key: 'mojStolen', kid: world.keys.mojStolen.kid }),
      /KEY_COMPROMISED/,
    ],
    [
      'with an altered lst (every credential VALID), signature kept',
      async (world: World) => {
        const [h, p, s] = (await tokens(world))[TOKEN_URL]!.split('.');
        const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
        payload.status_list = encodeTokenStatusList(TokenStatusList.valid(2, 131_072));
        return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
      },
      /SIGNATURE_INVALID/,
    ],
    [
      'published under another URI (the MoEA token put in its place)',
      async (world: World) => (await tokens(world))[`${BASE}/status/moea.gov.tw/token`]!,
      /another URI/,
    ],
    [
      'past its exp',
      async (world: World) => (await tokens(world, new Date('2026-11-20T00:00:00Z')))[TOKEN_URL]!,
      /expired/,
    ],
    [
      'with a typ other than statuslist+jwt',
      async (world: World) => {
        const [, p, s] = (await tokens(world))[TOKEN_URL]!.split('.');
        const header = { alg: 'ES256', typ: 'vc+jwt', kid: world.keys.moj1.kid };
        return `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${p}.${s}`;
      },
      /header/,
    ],
  ])('a token %s is refused: UNVERIFIABLE, the revoked credential never VALID', async (_, token, detail) => {
    const world = new World();
    const { id, sdJwt } = await issueSdJwtLicence(world, 'ietf');
    world.setStatus(id, 'REVOKED', 'DISBARMENT');
    const refused = await token(world);
    const result = await verifyCredential(sdJwt, {
      status: await world.offlineSource({ [TOKEN_URL]: refused }),
      now: NOW,
    });
    expect(result.verdict).toBe('UNVERIFIABLE');
    expect(statusCheck(result)?.reason).toMatch(/^STATUS_LIST_(INVALID|STALE)$/);
    expect(statusCheck(result)?.detail).toMatch(detail);
  });

  it('a status value credledger never writes (0x03) says nothing: UNVERIFIABLE', async () => {
    const world = new World();
    const { id, sdJwt } = await issueSdJwtLicence(world, 'ietf');
    const index = (await world.allocator.allocations(MOJ, 'revocation')).get(id)!.index;
    const list = TokenStatusList.valid(2, 131_072);
    list.set(index, 3);
    const token = await signStatusListToken(
      {
        issuerDid: MOJ,
        uri: TOKEN_URL,
        list,
        issuedAt: PUBLISHED,
        expiresAt: new Date('2026-11-29T00:00:00Z'),
        ttlSeconds: 60,
      },
      listKey(world.keys.moj1),
    );
    const result = await verifyCredential(sdJwt, {
      status: await world.offlineSource({ [TOKEN_URL]: token }),
      now: NOW,
    });
    expect(result.verdict).toBe('UNVERIFIABLE');
    expect(statusCheck(result)?.detail).toMatch(/0x03/);
  });
});
