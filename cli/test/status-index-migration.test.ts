/**
 * A workspace from before the LevelDB status index (allocations in `status-index.jsonl`) through the
 * built CLI: the first command that needs the index imports the file into `status-index/`, renames it
 * `status-index.jsonl.migrated`, and publishes the very same lists; the store is closed (unlocked)
 * when the command exits.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { statusIndexAllocators } from '@credledger/issuer';

import { expectExit, json, runCli, tempDir } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];
const issuers = ['did:web:moj.gov.tw', 'did:web:moea.gov.tw'];
const purposes = ['revocation', 'suspension'] as const;

interface PublishJson {
  lists: { issuer: string; url: string; set: number }[];
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'ws');
  expectExit(await runCli(['demo', workspace, '--no-serve', '--json']), 0);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

/** Every allocation of the workspace's store, as `issuer purpose id → list:index`. */
async function storeAllocations(): Promise<Map<string, string>> {
  await using allocator = statusIndexAllocators.level(join(workspace, 'status-index'));
  const out = new Map<string, string>();
  for (const issuer of issuers) {
    for (const purpose of purposes) {
      for (const [id, a] of await allocator.allocations(issuer, purpose)) {
        out.set(`${issuer} ${purpose} ${id}`, `${a.list}:${a.index}`);
      }
    }
  }
  return out;
}

describe('status index migration', () => {
  it('imports status-index.jsonl on first use, renames it, and publishes the same lists', async () => {
    const publish = async (out: string): Promise<PublishJson> => {
      const result = await runCli(ws(['status-list', 'publish', '--out', join(dir, out), '--json']));
      expectExit(result, 0);
      return json<PublishJson>(result);
    };
    const before = await publish('before');
    // The demo's store is closed once the command exits: it opens here.
    const allocations = await storeAllocations();
    expect(allocations.size).toBeGreaterThan(0);

    // The same allocations as an older workspace kept them, with a torn last line.
    const lines = [...allocations].map(([key, at]) => {
      const [issuer, purpose, id] = key.split(' ');
      const [list, index] = at.split(':').map(Number);
      return JSON.stringify({ issuer, purpose, id, list, index });
    });
    const file = join(workspace, 'status-index.jsonl');
    await writeFile(file, `${lines.join('\n')}\n{"issuer":"did:web:moj`);
    await rm(join(workspace, 'status-index'), { recursive: true, force: true });

    const after = await publish('after');
    expect(existsSync(file)).toBe(false);
    expect(await readFile(`${file}.migrated`, 'utf8')).toContain(lines[0]);
    expect(await storeAllocations()).toEqual(allocations);
    expect(after.lists.map((l) => [l.url, l.set])).toEqual(before.lists.map((l) => [l.url, l.set]));
  }, 120_000);
});
