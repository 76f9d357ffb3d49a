/**
 * `ledger.orderingRetrySeconds` in a Fabric workspace's credledger.json: how long a submit keeps
 * re-sending through an ordering failure (docs/decisions/0021-ordering-retries.md). A value that is not
 * a number of seconds ≥ 0 is refused in both languages, saying what is expected; a valid one is kept
 * for the sdk. (What the sdk does with it: packages/issuer/test/ordering-retry.test.ts and fabric-gateway.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { exitCodes } from '../src/exit-codes.js';
import { defaultConfig, openWorkspace } from '../src/workspace.js';
import { runCli, tempDir } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(async () => {
  await cleanup();
});

/** A Fabric workspace as `init` writes it, with `orderingRetrySeconds` set to `value` as is. */
const writeWorkspace = (value: unknown): Promise<void> => {
  const config = defaultConfig({ backend: 'fabric', connections: { MojMSP: 'moj.json' } });
  return writeFile(
    join(dir, 'credledger.json'),
    JSON.stringify({ ...config, ledger: { ...config.ledger, orderingRetrySeconds: value } }),
  );
};

describe('ledger.orderingRetrySeconds', () => {
  it.each([[-5], ['30'], [null]])('refuses %j in both languages, saying what is expected', async (value) => {
    await writeWorkspace(value);
    const missingId = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    const en = await runCli(['-w', dir, 'status', missingId]);
    expect(en.code).toBe(exitCodes.CONFIG_INVALID);
    expect(en.stderr).toContain('ledger.orderingRetrySeconds must be a number of seconds ≥ 0');
    const zh = await runCli(['--lang', 'zh-TW', '-w', dir, 'status', missingId]);
    expect(zh.code).toBe(exitCodes.CONFIG_INVALID);
    expect(zh.stderr).toContain('ledger.orderingRetrySeconds 應為 0 以上的秒數');
  });

  it('keeps a valid value, 0 included, and leaves it out when absent', async () => {
    for (const seconds of [0, 45, 2.5]) {
      await writeWorkspace(seconds);
      const { ledger } = openWorkspace(dir).config;
      expect(ledger).toMatchObject({ backend: 'fabric', orderingRetrySeconds: seconds });
    }
    await writeWorkspace(undefined);
    expect(openWorkspace(dir).config.ledger).not.toHaveProperty('orderingRetrySeconds');
  });
});
