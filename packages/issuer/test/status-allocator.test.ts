import { mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { DEFAULT_STATUS_LIST_SIZE, statusIndexAllocators } from '../src/status/allocator.js';
import { credentialStatusEntries, statusListUrl } from '../src/status/entry.js';

const MOJ = 'did:web:moj.gov.tw';
const MOEA = 'did:web:moea.gov.tw';
const dir = mkdtempSync(join(tmpdir(), 'credledger-alloc-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ids = (n: number, prefix = 'a'): string[] => Array.from({ length: n }, (_, i) => `urn:uuid:${prefix}-${i}`);

describe('statusIndexAllocators', () => {
  it('allocates unique indexes inside the list, idempotent per credential id', async () => {
    const allocator = statusIndexAllocators.inMemory();
    const first = await allocator.allocate(MOJ, 'revocation', ids(2000));
    const indexes = new Set(first.map((a) => a.index));
    expect(indexes.size).toBe(2000);
    for (const a of first) {
      expect(a.list).toBe(0);
      expect(a.index).toBeGreaterThanOrEqual(0);
      expect(a.index).toBeLessThan(DEFAULT_STATUS_LIST_SIZE);
    }
    const again = await allocator.allocate(MOJ, 'revocation', ids(3));
    expect(again).toEqual(first.slice(0, 3));
    // Random, not sequential: 2000 sorted-ascending indexes by chance is impossible in practice.
    const sequential = first.every((a, i) => i === 0 || a.index > (first[i - 1]?.index ?? -1));
    expect(sequential).toBe(false);
  });

  it('keeps issuers and purposes apart', async () => {
    const allocator = statusIndexAllocators.inMemory({ random: () => 7 });
    const [rev] = await allocator.allocate(MOJ, 'revocation', ['urn:uuid:x']);
    const [sus] = await allocator.allocate(MOJ, 'suspension', ['urn:uuid:x']);
    const [other] = await allocator.allocate(MOEA, 'revocation', ['urn:uuid:y']);
    expect([rev, sus, other]).toEqual([
      { list: 0, index: 7 },
      { list: 0, index: 7 },
      { list: 0, index: 7 },
    ]);
    expect((await allocator.allocations(MOJ, 'revocation')).get('urn:uuid:x')).toEqual({ list: 0, index: 7 });
  });

  it('finds a free slot when random draws keep colliding', async () => {
    const allocator = statusIndexAllocators.inMemory({ random: () => 5 });
    expect(await allocator.allocate(MOJ, 'revocation', ids(3))).toEqual([
      { list: 0, index: 5 },
      { list: 0, index: 6 },
      { list: 0, index: 7 },
    ]);
  });

  it('fills a list completely then opens the next one', async () => {
    let counter = 0;
    const allocator = statusIndexAllocators.inMemory({ random: (bound) => counter++ % bound });
    const all = await allocator.allocate(MOJ, 'revocation', ids(DEFAULT_STATUS_LIST_SIZE + 2));
    const inFirst = new Set(all.filter((a) => a.list === 0).map((a) => a.index));
    expect(inFirst.size).toBe(DEFAULT_STATUS_LIST_SIZE);
    expect(all.slice(-2).map((a) => a.list)).toEqual([1, 1]);
  });

  it('rejects bad input with codes', async () => {
    const allocator = statusIndexAllocators.inMemory();
    await expect(allocator.allocate(MOJ, 'revocation', ['a', 'a'])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(allocator.allocate(MOJ, 'revocation', [''])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(allocator.allocate('', 'revocation', ['a'])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(() => statusIndexAllocators.inMemory({ listSize: 1000 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('persists to a JSON Lines file and survives a torn last line', async () => {
    const path = join(dir, 'status-index.jsonl');
    const allocator = statusIndexAllocators.file(path);
    const before = await allocator.allocate(MOJ, 'suspension', ids(50, 'f'));
    appendFileSync(path, '{"issuer":"did:web:moj.gov.tw","purp'); // crash mid-append
    const reopened = statusIndexAllocators.file(path);
    expect(await reopened.allocate(MOJ, 'suspension', ids(50, 'f'))).toEqual(before);
    const [next] = await reopened.allocate(MOJ, 'suspension', ['urn:uuid:new']);
    expect(before.map((a) => a.index)).not.toContain(next?.index);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(52); // 50 + torn + 1
    const third = statusIndexAllocators.file(path);
    expect((await third.allocations(MOJ, 'suspension')).size).toBe(51);
  });
});

describe('credentialStatusEntries', () => {
  it('builds data-model.md entries whose list URL matches the publisher URL', () => {
    const [rev, sus] = credentialStatusEntries('https://verify.gov.tw/', MOJ, {
      revocation: { list: 0, index: 94567 },
      suspension: { list: 2, index: 12 },
    });
    expect(rev).toEqual({
      id: 'https://verify.gov.tw/status/moj.gov.tw/revocation#94567',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '94567',
      statusListCredential: 'https://verify.gov.tw/status/moj.gov.tw/revocation',
    });
    expect(sus?.statusListCredential).toBe(statusListUrl('https://verify.gov.tw', MOJ, 'suspension', 2));
    expect(sus?.statusListCredential).toBe('https://verify.gov.tw/status/moj.gov.tw/suspension/2');
  });
});
