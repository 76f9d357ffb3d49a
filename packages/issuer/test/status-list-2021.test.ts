/**
 * Status List 2021 for TW DIW (docs/decisions/0038): a TW DIW SD-JWT VC names `StatusList2021Entry`
 * entries at the indices of its Bitstring allocation; the publisher signs Status List 2021 list
 * credentials from the same ledger records, laid out as the fixture says; `@credledger/verify` answers
 * the credential from them offline — VALID, SUSPENDED, VALID again, REVOKED — and refuses a list that is
 * tampered, signed by another or a compromised key, of another type, purpose or issuer, or stale, as it
 * refuses a Bitstring list. `vc+jwt` and IETF credentials are unchanged.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

import { describe, expect, it } from '@jest/globals';
import { Bitstring, validateSubject, verifyCredential, verifyStatusList } from '@credledger/verify';
import { encodeStatusList2021, signStatusList } from '@credledger/verify/formats';

import { issuerSignedJwt } from '../src/credentials/sd-jwt.js';
import { buildCredential } from '../src/credentials/credential.js';
import { signCredential } from '../src/credentials/sign.js';
import {
  credentialStatusEntries,
  statusList2021Entry,
  statusListUrl,
  type BitstringStatusListEntry,
} from '../src/status/entry.js';
import { publishStatusLists } from '../src/status/publisher.js';
import { lawyerSubject } from './credentials-samples.js';
import {
  BASE,
  ISSUED,
  LAWYER,
  MOJ,
  NOW,
  World,
  expectStatusLifecycle,
  issueSdJwtLicence,
  listKey,
  statusCheck,
  type TestKey,
} from './verify-world.js';

const layout = JSON.parse(
  readFileSync(new URL('./fixtures/status-list-2021-layout.json', import.meta.url), 'utf8'),
) as {
  header: { keys: string[]; typ: string };
  payload: {
    keys: string[];
    '@context': string[];
    type: string[];
    lifetimeSeconds: number;
    credentialSubject: {
      keys: string[];
      idSuffix: string;
      type: string;
      encodedListPattern: string;
      uncompressedBytes: number;
      gzipMagic: string;
    };
    urlPath: string;
  };
  entry: { keys: string[]; type: string; purposes: string[]; statusListIndexPattern: string };
};

const PUBLISHED = new Date('2026-11-27T09:30:00.000Z');
const REVOCATION = `${BASE}/status/moj.gov.tw/sl2021/revocation`;
const SUSPENSION = `${BASE}/status/moj.gov.tw/sl2021/suspension`;

const part = (jwt: string, index: number): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

interface Entry {
  id: string;
  type: string;
  statusPurpose: string;
  statusListIndex: string;
  statusListCredential: string;
}

/** Both issuers' Status List 2021 lists from the World's records: URL → JWT. */
const sl2021Lists = (world: World, now = PUBLISHED): Promise<Record<string, string>> =>
  world.statusLists(now, 'StatusList2021');

describe('the Status List 2021 encodedList', () => {
  it("decodes the report's own example: 131,072 entries, all zero", () => {
    // @see https://www.w3.org/community/reports/credentials/CG-FINAL-vc-status-list-2021-20230102/#example-example-statuslist2021credential
    const bits = Bitstring.decodeStatusList2021('H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA');
    expect(bits?.length).toBe(131_072);
    expect(bits?.bytes.every((b) => b === 0)).toBe(true);
  });

  it('writes base64url of GZIP without prefix or padding, index 0 the left-most bit; reads either base64 alphabet', () => {
    const bits = Bitstring.zeros();
    for (const i of [0, 7, 8, 94567, 131_071]) bits.set(i);
    const encoded = encodeStatusList2021(bits);
    expect(encoded).toMatch(/^H4sI[A-Za-z0-9_-]+$/);
    const inflated = gunzipSync(Buffer.from(encoded, 'base64url'));
    expect([inflated.length, inflated[0], inflated[1], inflated[94567 >> 3]]).toEqual([16_384, 0x81, 0x80, 0x01]);
    const decoded = Bitstring.decodeStatusList2021(encoded);
    expect([0, 1, 7, 8, 9, 94567, 131_071].map((i) => decoded?.get(i))).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
      true,
    ]);
    // Another implementation's list: zlib's GZIP, base64 in the standard alphabet with padding.
    const standard = gzipSync(bits.bytes).toString('base64');
    expect(standard).toMatch(/[+/=]/);
    expect(Bitstring.decodeStatusList2021(standard)?.bytes).toEqual(bits.bytes);
    expect(Bitstring.decodeStatusList2021(gzipSync(bits.bytes).toString('base64url'))?.get(94567)).toBe(true);
  });

  it('refuses a multibase prefix, mixed alphabets, inner padding, non-GZIP and decompression bombs', () => {
    const encoded = encodeStatusList2021(Bitstring.zeros());
    // A Bitstring Status List's encoding is not a Status List 2021 one, and the reverse.
    expect(Bitstring.decodeStatusList2021(`u${encoded}`)).toBeUndefined();
    expect(Bitstring.decode(encoded)).toBeUndefined();
    const standard = gzipSync(new Uint8Array(16_384)).toString('base64');
    expect(Bitstring.decodeStatusList2021(`${standard.slice(0, 8)}-_${standard.slice(10)}`)).toBeUndefined();
    expect(Bitstring.decodeStatusList2021(`${encoded.slice(0, 8)}==${encoded.slice(8)}`)).toBeUndefined();
    expect(Bitstring.decodeStatusList2021('AAAAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024));
    expect(Bitstring.decodeStatusList2021(bomb.toString('base64url'))).toBeUndefined();
  });
});

describe('the Status List 2021 list credential and the TW DIW entries', () => {
  it('has the layout of the fixture, field by field, and the same bits as the Bitstring list', async () => {
    const world = new World();
    const revoked = await issueSdJwtLicence(world, 'tw-diw');
    const suspended = await issueSdJwtLicence(world, 'tw-diw');
    world.setStatus(revoked.id, 'REVOKED', 'DISBARMENT');
    world.setStatus(suspended.id, 'SUSPENDED', 'DISCIPLINARY_SUSPENSION');
    const input = {
      issuerDid: MOJ,
      baseUrl: BASE,
      records: [...world.records.values()],
      allocations: {
        revocation: await world.allocator.allocations(MOJ, 'revocation'),
        suspension: await world.allocator.allocations(MOJ, 'suspension'),
      },
      now: PUBLISHED,
      key: listKey(world.keys.moj1),
    };
    const sl2021 = await publishStatusLists({ ...input, format: 'StatusList2021' });
    const bitstring = await publishStatusLists(input);
    expect(sl2021.lists.map((l) => [l.url, l.format, l.purpose, l.list, l.set])).toEqual([
      [REVOCATION, 'StatusList2021', 'revocation', 0, 1],
      [SUSPENSION, 'StatusList2021', 'suspension', 0, 1],
    ]);
    expect(statusListUrl(BASE, MOJ, 'suspension', 3, 'StatusList2021')).toBe(`${SUSPENSION}/3`);

    for (const [i, list] of sl2021.lists.entries()) {
      const header = part(list.jwt, 0);
      expect(Object.keys(header)).toEqual(layout.header.keys);
      expect(header).toEqual({ alg: 'ES256', typ: layout.header.typ, kid: world.keys.moj1.kid });
      const payload = part(list.jwt, 1);
      expect(Object.keys(payload)).toEqual(layout.payload.keys);
      expect(payload['@context']).toEqual(layout.payload['@context']);
      expect(payload.id).toBe(list.url);
      expect(new URL(list.url).pathname.startsWith(layout.payload.urlPath)).toBe(true);
      expect(payload.type).toEqual(layout.payload.type);
      expect(payload.issuer).toBe(MOJ);
      expect(payload.iss).toBe(MOJ);
      expect(payload.validFrom).toBe(PUBLISHED.toISOString());
      expect(Date.parse(payload.validUntil as string) - PUBLISHED.getTime()).toBe(
        layout.payload.lifetimeSeconds * 1000,
      );
      expect([payload.iat, payload.nbf, payload.exp]).toEqual([
        PUBLISHED.getTime() / 1000,
        PUBLISHED.getTime() / 1000,
        PUBLISHED.getTime() / 1000 + layout.payload.lifetimeSeconds,
      ]);
      const subject = payload.credentialSubject as Record<string, string>;
      const expected = layout.payload.credentialSubject;
      expect(Object.keys(subject)).toEqual(expected.keys);
      expect(subject.id).toBe(`${list.url}${expected.idSuffix}`);
      expect(subject.type).toBe(expected.type);
      expect(subject.statusPurpose).toBe(list.purpose);
      expect(subject.encodedList).toMatch(new RegExp(expected.encodedListPattern));
      const gz = Buffer.from(subject.encodedList ?? '', 'base64url');
      expect(gz.subarray(0, 2).toString('hex')).toBe(expected.gzipMagic);
      const bytes = gunzipSync(gz);
      expect(bytes.length).toBe(expected.uncompressedBytes);
      // The same bits as the Bitstring list of that purpose and number: one allocation, one ledger read.
      const twin = bitstring.lists[i]!;
      expect([twin.purpose, twin.list]).toEqual([list.purpose, list.list]);
      const twinList = (part(twin.jwt, 1).credentialSubject as { encodedList: string }).encodedList;
      expect(Bitstring.decode(twinList)?.bytes).toEqual(new Uint8Array(bytes));
    }

    // The entries of the revoked credential: the fixture's members, at its Bitstring allocation.
    const payload = part(issuerSignedJwt(revoked.sdJwt), 1);
    expect(payload['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://credledger.org/ns/v1',
      'https://w3id.org/vc/status-list/2021/v1',
    ]);
    const entries = payload.credentialStatus as Entry[];
    expect(entries.map((e) => e.statusPurpose)).toEqual(layout.entry.purposes);
    for (const entry of entries) {
      expect(Object.keys(entry)).toEqual(layout.entry.keys);
      expect(entry.type).toBe(layout.entry.type);
      expect(entry.statusListIndex).toMatch(new RegExp(layout.entry.statusListIndexPattern));
      const allocation = (await world.allocator.allocations(MOJ, entry.statusPurpose as 'revocation')).get(revoked.id)!;
      expect(entry.statusListIndex).toBe(String(allocation.index));
      expect(entry.statusListCredential).toBe(entry.statusPurpose === 'revocation' ? REVOCATION : SUSPENSION);
      expect(entry.id).toBe(`${entry.statusListCredential}#${allocation.index}`);
    }
    const revocationIndex = Number(entries[0]!.statusListIndex);
    const checked = await verifyStatusList(sl2021.lists[0]!.jwt, {
      issuer: world.issuers[0]!,
      url: REVOCATION,
      purpose: 'revocation',
      now: NOW,
      format: 'StatusList2021',
    });
    if (!checked.ok) throw new Error(checked.detail);
    expect(checked.bits.get(revocationIndex)).toBe(true);
    // Read as a Bitstring Status List it is refused: another type, another encoding.
    const asBitstring = await verifyStatusList(sl2021.lists[0]!.jwt, {
      issuer: world.issuers[0]!,
      url: REVOCATION,
      purpose: 'revocation',
      now: NOW,
    });
    expect(asBitstring).toMatchObject({ ok: false, problem: 'STATUS_LIST_INVALID', detail: 'type' });
  });

  it('leaves vc+jwt and IETF credentials as they were: Bitstring entries, and the token reference', async () => {
    const world = new World();
    const { jwt } = await world.issue();
    const vc = part(jwt, 1);
    expect(vc['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://credledger.org/ns/v1']);
    expect((vc.credentialStatus as Entry[]).map((e) => [e.type, e.statusListCredential])).toEqual([
      ['BitstringStatusListEntry', `${BASE}/status/moj.gov.tw/revocation`],
      ['BitstringStatusListEntry', `${BASE}/status/moj.gov.tw/suspension`],
    ]);
    const ietf = part(issuerSignedJwt((await issueSdJwtLicence(world, 'ietf')).sdJwt), 1);
    expect(Object.keys(ietf).sort()).toEqual(['_sd', '_sd_alg', 'exp', 'iat', 'iss', 'jti', 'nbf', 'status', 'vct']);
    expect(ietf.status).toEqual({
      status_list: { idx: expect.any(Number), uri: `${BASE}/status/moj.gov.tw/token` },
    });
  });
});

describe('a TW DIW SD-JWT VC verified offline from the Status List 2021 lists', () => {
  it('VALID, then SUSPENDED, then VALID again when reinstated, then REVOKED; only its Status List 2021 lists read', async () => {
    const world = new World();
    const { id, sdJwt } = await issueSdJwtLicence(world, 'tw-diw');
    await expectStatusLifecycle(world, id, async () => {
      const asked: string[] = [];
      const result = await verifyCredential(sdJwt, {
        status: await world.offlineSource(await sl2021Lists(world), asked),
        now: NOW,
      });
      expect(statusCheck(result)?.detail).toBe('2 status list(s)');
      expect(asked.sort()).toEqual([REVOCATION, SUSPENSION]);
      return result.verdict;
    });
  });

  it('with only the Bitstring lists published it stays UNVERIFIABLE (STATUS_LIST_UNAVAILABLE), never VALID', async () => {
    const world = new World();
    const { sdJwt } = await issueSdJwtLicence(world, 'tw-diw');
    const result = await verifyCredential(sdJwt, {
      status: await world.offlineSource(await world.statusLists()),
      now: NOW,
    });
    expect(result.verdict).toBe('UNVERIFIABLE');
    expect(statusCheck(result)).toMatchObject({ reason: 'STATUS_LIST_UNAVAILABLE', detail: REVOCATION });
  });

  /** The MoJ revocation list's content re-signed: by `key` under `kid`, as `format`, at `url`. */
  const resign = async (
    world: World,
    changes: { key: TestKey; kid?: string; format?: 'BitstringStatusList'; url?: string; purpose?: 'suspension' },
  ): Promise<string> => {
    const payload = part((await sl2021Lists(world))[REVOCATION]!, 1);
    const subject = payload.credentialSubject as { encodedList: string };
    return signStatusList(
      {
        issuerDid: MOJ,
        url: changes.url ?? REVOCATION,
        purpose: changes.purpose ?? 'revocation',
        bits: Bitstring.decodeStatusList2021(subject.encodedList)!,
        validFrom: new Date(payload.validFrom as string),
        validUntil: new Date(payload.validUntil as string),
        format: changes.format ?? 'StatusList2021',
      },
      { ...listKey(changes.key), ...(changes.kid === undefined ? {} : { kid: changes.kid }) },
    );
  };

  it.each<[string, (world: World) => Promise<string>, string, RegExp]>([
    [
      'signed by another key under the MoJ kid',
      (world) => resign(world, { key: world.keys.gov, kid: world.keys.moj1.kid }),
      'STATUS_LIST_INVALID',
      /SIGNATURE_INVALID/,
    ],
    [
      'signed by a registered MoJ key marked compromised (a thief clearing a revocation)',
      (world) => resign(world, { key: world.keys.mojStolen }),
      'STATUS_LIST_INVALID',
      /KEY_COMPROMISED/,
    ],
    [
      'with an altered encodedList (every bit clear), signature kept',
      async (world) => {
        const [h, p, s] = (await sl2021Lists(world))[REVOCATION]!.split('.');
        const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as {
          credentialSubject: { encodedList: string };
        };
        payload.credentialSubject.encodedList = encodeStatusList2021(Bitstring.zeros());
        return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
      },
      'STATUS_LIST_INVALID',
      /SIGNATURE_INVALID/,
    ],
    [
      'the suspension list put in its place',
      async (world) => (await sl2021Lists(world))[SUSPENSION]!,
      'STATUS_LIST_INVALID',
      /another URL/,
    ],
    [
      'of another purpose under its own URL',
      (world) => resign(world, { key: world.keys.moj1, purpose: 'suspension' }),
      'STATUS_LIST_INVALID',
      /status purpose/,
    ],
    [
      "the MoEA's list put in its place",
      async (world) => (await sl2021Lists(world))[`${BASE}/status/moea.gov.tw/sl2021/revocation`]!,
      'STATUS_LIST_INVALID',
      /issuer/,
    ],
    [
      'a Bitstring Status List with the same bits at its URL',
      (world) => resign(world, { key: world.keys.moj1, format: 'BitstringStatusList' }),
      'STATUS_LIST_INVALID',
      /type/,
    ],
    [
      'past its validUntil',
      async (world) => (await sl2021Lists(world, new Date('2026-11-20T00:00:00Z')))[REVOCATION]!,
      'STATUS_LIST_STALE',
      /valid until|revocation/,
    ],
  ])('a list %s is refused: UNVERIFIABLE, the revoked credential never VALID', async (_, list, reason, detail) => {
    const world = new World();
    const { id, sdJwt } = await issueSdJwtLicence(world, 'tw-diw');
    world.setStatus(id, 'REVOKED', 'DISBARMENT');
    const lists = { ...(await sl2021Lists(world)), [REVOCATION]: await list(world) };
    const result = await verifyCredential(sdJwt, { status: await world.offlineSource(lists), now: NOW });
    expect(result.verdict).toBe('UNVERIFIABLE');
    expect(statusCheck(result)?.reason).toBe(reason);
    expect(statusCheck(result)?.detail).toMatch(detail);
  });

  it('a credential naming lists of both formats is answered from all four: VALID, and REVOKED when either says so', async () => {
    const world = new World();
    const id = `urn:uuid:${globalThis.crypto.randomUUID()}`;
    const [revocation] = await world.allocator.allocate(MOJ, 'revocation', [id]);
    const [suspension] = await world.allocator.allocate(MOJ, 'suspension', [id]);
    const allocations = { revocation: revocation!, suspension: suspension! };
    const both = [
      ...credentialStatusEntries(BASE, MOJ, allocations),
      statusList2021Entry(BASE, MOJ, 'revocation', allocations.revocation),
      statusList2021Entry(BASE, MOJ, 'suspension', allocations.suspension),
    ];
    const jwt = await signCredential(
      buildCredential({
        type: LAWYER,
        id,
        issuer: MOJ,
        subject: validateSubject(LAWYER, lawyerSubject),
        validFrom: new Date('2026-01-01T00:00:00Z'),
        validUntil: new Date('2036-01-01T00:00:00Z'),
        issuedAt: ISSUED,
        // Another issuer's credential may carry both; credledger writes one format per credential.
        status: both as unknown as BitstringStatusListEntry[],
      }),
      { alg: 'ES256', kid: world.keys.moj1.kid, privateKey: world.keys.moj1.privateKey },
    );
    await world.anchor(jwt);
    const check = async (lists: Record<string, string>) => {
      const asked: string[] = [];
      const result = await verifyCredential(jwt, { status: await world.offlineSource(lists, asked), now: NOW });
      return { verdict: result.verdict, status: statusCheck(result), asked: asked.length };
    };
    const all = async () => ({ ...(await world.statusLists()), ...(await sl2021Lists(world)) });
    expect(await check(await all())).toMatchObject({
      verdict: 'VALID',
      status: { detail: '4 status list(s)' },
      asked: 4,
    });
    world.setStatus(id, 'REVOKED', 'DISBARMENT');
    const revokedLists = await all();
    expect((await check(revokedLists)).verdict).toBe('REVOKED');
    // Only the Status List 2021 revocation list says so (the Bitstring one put back to the earlier state).
    world.setStatus(id, 'ACTIVE', null);
    expect((await check({ ...(await all()), [REVOCATION]: revokedLists[REVOCATION]! })).verdict).toBe('REVOKED');
    // One of the four missing: the status is unknown.
    const { [SUSPENSION]: _missing, ...three } = await all();
    expect(await check(three)).toMatchObject({
      verdict: 'UNVERIFIABLE',
      status: { reason: 'STATUS_LIST_UNAVAILABLE', detail: SUSPENSION },
    });
  });
});
