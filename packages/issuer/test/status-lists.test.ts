import { gzipSync } from 'node:zlib';

import { describe, expect, it } from '@jest/globals';

import { Bitstring, verifyStatusList, verifyTrustList } from '@credledger/verify';
import { encodeBitstring } from '@credledger/verify/formats';
import { publishStatusLists } from '../src/status/publisher.js';
import { BASE, MOJ, NOW, World, listKey } from './verify-world.js';

describe('Bitstring', () => {
  it("decodes the spec's example encodedList: 131,072 entries, all zero", () => {
    // @see https://www.w3.org/TR/vc-bitstring-status-list/#example-example-bitstringstatuslistcredential
    const bits = Bitstring.decode('uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA');
    expect(bits?.length).toBe(131_072);
    expect(bits?.bytes.every((b) => b === 0)).toBe(true);
  });

  it('round-trips with bit 0 as the left-most bit, and interoperates with zlib gzip', () => {
    const bits = Bitstring.zeros();
    for (const i of [0, 7, 8, 94567, 131_071]) bits.set(i);
    const decoded = Bitstring.decode(encodeBitstring(bits));
    expect([0, 1, 7, 8, 9, 94567, 131_071].map((i) => decoded?.get(i))).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
      true,
    ]);
    expect(decoded?.bytes[0]).toBe(0x81);
    const viaZlib = Bitstring.decode('u' + gzipSync(bits.bytes).toString('base64url'));
    expect(viaZlib?.get(94567)).toBe(true);
    expect(() => {
      bits.set(131_072);
    }).toThrow(RangeError);
    expect(bits.get(-1)).toBe(false);
  });

  it('refuses non-multibase, non-GZIP and decompression bombs', () => {
    expect(Bitstring.decode('H4sIAAAA')).toBeUndefined();
    expect(Bitstring.decode('uAAAA')).toBeUndefined();
    expect(Bitstring.decode('u!!!')).toBeUndefined();
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024));
    expect(Bitstring.decode('u' + bomb.toString('base64url'))).toBeUndefined();
  });
});

describe('status lists and trust lists', () => {
  it('publishes list 0 of both purposes from ledger records, reporting unallocated records', async () => {
    const world = new World();
    const a = await world.issue();
    const b = await world.issue();
    world.setStatus(a.id, 'REVOKED', 'DISBARMENT');
    world.setStatus(b.id, 'SUSPENDED', 'DISCIPLINARY_SUSPENSION');
    const stray = { ...world.records.get(a.id)!, id: 'urn:uuid:00000000-0000-4000-8000-000000000000' };
    const { lists, unallocated } = await publishStatusLists({
      issuerDid: MOJ,
      baseUrl: BASE,
      records: [...world.records.values(), stray],
      allocations: {
        revocation: await world.allocator.allocations(MOJ, 'revocation'),
        suspension: await world.allocator.allocations(MOJ, 'suspension'),
      },
      now: NOW,
      key: listKey(world.keys.moj1),
    });
    expect(lists.map((l) => [l.url, l.set])).toEqual([
      [`${BASE}/status/moj.gov.tw/revocation`, 1],
      [`${BASE}/status/moj.gov.tw/suspension`, 1],
    ]);
    expect(unallocated).toEqual([`revocation ${stray.id}`, `suspension ${stray.id}`]);
    const issuer = world.issuers[0]!;
    const revocation = await verifyStatusList(lists[0]!.jwt, {
      issuer,
      url: lists[0]!.url,
      purpose: 'revocation',
      now: NOW,
    });
    expect(revocation.ok).toBe(true);
    const index = (await world.allocator.allocations(MOJ, 'revocation')).get(a.id)!.index;
    expect(revocation.ok && revocation.bits.get(index)).toBe(true);
    // Wrong purpose, wrong URL, and a list signed with a retired key are refused.
    expect(
      await verifyStatusList(lists[0]!.jwt, { issuer, url: lists[0]!.url, purpose: 'suspension', now: NOW }),
    ).toMatchObject({ ok: false, problem: 'STATUS_LIST_INVALID' });
    expect(
      await verifyStatusList(lists[0]!.jwt, { issuer, url: `${lists[0]!.url}/1`, purpose: 'revocation', now: NOW }),
    ).toMatchObject({ ok: false });
    const retired = await publishStatusLists({
      issuerDid: MOJ,
      baseUrl: BASE,
      records: [],
      allocations: { revocation: new Map(), suspension: new Map() },
      now: NOW,
      key: listKey(world.keys.mojOld),
    });
    expect(
      await verifyStatusList(retired.lists[0]!.jwt, {
        issuer,
        url: retired.lists[0]!.url,
        purpose: 'revocation',
        now: NOW,
      }),
    ).toMatchObject({
      ok: false,
      detail: 'key: KEY_RETIRED_AT_ISSUANCE',
    });
  });

  it('trust list: verified against the pinned governance key, reports freshness, strips MSP ids', async () => {
    const world = new World();
    const jwt = await world.trustList();
    const outcome = await verifyTrustList(jwt, { governanceKeys: world.governanceKeys(), now: NOW });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.trustList.issuedAt).toBe('2026-11-26T08:00:00.000Z');
    expect([...outcome.trustList.issuers.keys()]).toEqual(['did:web:moea.gov.tw', 'did:web:moj.gov.tw']);
    expect(outcome.trustList.issuers.get(MOJ)?.keys.map((k) => k.kid)).toEqual([
      `${MOJ}#key-0`,
      `${MOJ}#key-1`,
      `${MOJ}#key-2`,
    ]);
    expect(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).not.toContain('MojMSP');
    // Signed by an issuer key instead of the governance key: refused.
    const byIssuer = await world.trustList();
    const [h, p] = byIssuer.split('.');
    const resigned = `${h}.${p}.${(await listKey(world.keys.moj1).signer(`${h}.${p}`)) as string}`;
    expect(await verifyTrustList(resigned, { governanceKeys: world.governanceKeys(), now: NOW })).toMatchObject({
      ok: false,
      problem: 'TRUST_LIST_INVALID',
    });
  });
});
