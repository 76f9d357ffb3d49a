/**
 * A credential signed by a key its issuer reported compromised is UNVERIFIABLE, and `verify` says why
 * in both languages, as the verifier page does: the key was reported compromised, do not rely on it —
 * never "try again later", which retrying would not change.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';

import { verdictExitCodes } from '../src/exit-codes.js';
import { expectExit, json, runCli, tempDir } from './cli.js';

const MOJ = 'did:web:moj.gov.tw';

let cleanup: () => Promise<void>;
let workspace: string;
let licence: string;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'demo');
  const demo = await runCli(['demo', workspace, '--no-serve', '--json']);
  expectExit(demo, 0);
  const credentials = json<{ credentials: { label: string; jwtFile: string }[] }>(demo).credentials;
  licence = credentials.find((c) => c.label === 'lawyer-licence')?.jwtFile ?? '';
  const shown = await runCli(['-w', workspace, 'issuer', 'show', MOJ, '--json']);
  expectExit(shown, 0);
  const kid = json<{ keys: { kid: string }[] }>(shown).keys[0]?.kid ?? '';
  // Compromised since long before the licence was anchored: nothing it signed can be trusted.
  const marked = await runCli([
    '-w',
    workspace,
    'issuer',
    'compromise-key',
    MOJ,
    kid,
    '--since',
    '2020-01-01T00:00:00Z',
  ]);
  expectExit(marked, 0);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

describe('verify, for a credential signed by a key reported compromised', () => {
  it('says the key was reported compromised and not to rely on it, in English and in zh-TW', async () => {
    const en = await runCli(['-w', workspace, 'verify', licence]);
    expectExit(en, verdictExitCodes.UNVERIFIABLE);
    expect(en.stdout.split('\n')[0]).toBe(
      'Verdict: UNVERIFIABLE — the key that signed it was reported compromised, and it cannot be shown to predate that; do not rely on it',
    );
    const zh = await runCli(['-w', workspace, '--lang', 'zh-TW', 'verify', licence]);
    expectExit(zh, verdictExitCodes.UNVERIFIABLE);
    expect(zh.stdout.split('\n')[0]).toBe(
      '結果: UNVERIFIABLE — 簽署它的金鑰已被通報遭破解，無法證實它是在破解前核發的，請勿採信',
    );
    for (const result of [en, zh]) expect(result.stdout).not.toMatch(/try again later|請稍後再試/);
  }, 60_000);
});
