import { describe, expect, it } from '@jest/globals';

import { reasonCodes } from '@credledger/vocabulary';
import { exitCodes, cliExitCodes, verdictExitCodes } from '../src/exit-codes.js';
import { i18n } from '../src/i18n.js';
import { reasonsByHand } from '../src/status-reasons.js';
import { errorLines, expectExit, runCli, tempDir } from './cli.js';
import { commandPaths } from './command-paths.js';

/** The program and every command that does something (the groups' help lists their commands). */
const commands = [[], ...commandPaths({ leaves: true })];

describe('credledger --help', () => {
  it.each(commands.map((path) => [path.join(' ') || '(program)', path]))(
    '%s --help exits 0 with an example',
    async (_name, path) => {
      const result = await runCli([...(path as string[]), '--help']);
      expectExit(result, 0);
      expect(result.stdout).toContain('Usage: credledger');
      expect(result.stdout).toContain('$ credledger');
      expect(result.stderr).toBe('');
    },
  );

  it('speaks Traditional Chinese by LANG or --lang', async () => {
    const byFlag = await runCli(['--lang', 'zh-TW', 'revoke', '--help']);
    const byEnv = await runCli(['revoke', '--help'], { env: { LANG: 'zh_TW.UTF-8' } });
    for (const result of [byFlag, byEnv]) {
      expectExit(result, 0);
      expect(result.stdout).toContain('撤銷憑證');
      expect(result.stdout).toContain('範例：');
    }
  });
});

describe('errors', () => {
  it('an unknown command is one usage error line with exit code 2', async () => {
    const result = await runCli(['frobnicate']);
    expectExit(result, cliExitCodes.USAGE);
    expect(errorLines(result)).toEqual([expect.stringMatching(/^error USAGE: /)]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing required option is a usage error', async () => {
    const result = await runCli(['issue-batch', 'LawyerLicenceCredential']);
    expectExit(result, cliExitCodes.USAGE);
    expect(errorLines(result)).toHaveLength(1);
  });

  it('a command outside any workspace fails WORKSPACE_NOT_FOUND, with a stack only under --debug', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const plain = await runCli(['status', 'urn:uuid:00000000-0000-4000-8000-000000000000'], { cwd: dir });
      expectExit(plain, exitCodes.WORKSPACE_NOT_FOUND);
      expect(errorLines(plain)).toEqual([expect.stringMatching(/^error WORKSPACE_NOT_FOUND: /)]);
      expect(plain.stderr).toMatch(/^hint: /m);
      expect(plain.stderr).not.toMatch(/\n\s+at /);

      const debug = await runCli(['status', 'urn:uuid:00000000-0000-4000-8000-000000000000', '--debug'], { cwd: dir });
      expectExit(debug, exitCodes.WORKSPACE_NOT_FOUND);
      expect(debug.stderr).toMatch(/\n\s+at /);

      const json = await runCli(['status', 'urn:uuid:00000000-0000-4000-8000-000000000000', '--json'], { cwd: dir });
      expect(JSON.parse(json.stdout)).toMatchObject({
        error: { code: 'WORKSPACE_NOT_FOUND', exitCode: exitCodes.WORKSPACE_NOT_FOUND },
      });
    } finally {
      await cleanup();
    }
  });

  it('an unknown credential type fails UNKNOWN_CREDENTIAL_TYPE', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const csv = `${dir}/x.csv`;
      await import('node:fs/promises').then((fs) => fs.writeFile(csv, 'name\nx\n'));
      const result = await runCli(
        ['issue-batch', 'PilotLicenceCredential', '--csv', csv, '--out', `${dir}/out`, '--dry-run'],
        { cwd: dir },
      );
      expectExit(result, exitCodes.UNKNOWN_CREDENTIAL_TYPE);
      expect(errorLines(result)).toEqual([expect.stringMatching(/^error UNKNOWN_CREDENTIAL_TYPE: /)]);
    } finally {
      await cleanup();
    }
  });

  it('revoke, suspend and reinstate together offer every chaincode reason code but SUPERSEDED, which issue --supersede sets', () => {
    const offered = new Set(['REVOKED', 'SUSPENDED', 'ACTIVE'].flatMap((s) => reasonsByHand(s as 'ACTIVE')));
    expect([...offered, 'SUPERSEDED'].sort()).toEqual([...reasonCodes].sort());
  });

  it('every exit code is distinct', () => {
    const all: number[] = [...Object.values(exitCodes), ...Object.values(cliExitCodes)];
    expect(new Set(all).size).toBe(all.length);
    // Verdicts share only 0 (VALID = OK) with the rest, so a script can tell a verdict from a failure.
    const verdicts = Object.values(verdictExitCodes).filter((code) => code !== 0);
    expect(verdicts.filter((code) => all.includes(code))).toEqual([]);
  });

  it('every error code has a hint in both languages', () => {
    for (const lang of ['en', 'zh-TW'] as const) {
      const missing = Object.keys(exitCodes).filter((code) => i18n(lang).maybe(`hint.${code}`) === undefined);
      expect(missing).toEqual([]);
    }
  });
});
