/**
 * `revoke`, `suspend` and `reinstate` each offer only the reasons the status machine the chaincode
 * enforces (@credledger/vocabulary) accepts for their transition, with their zh-TW and English words,
 * less SUPERSEDED, which only `issue --supersede` sets, and refuse any other reason before touching a
 * workspace or ledger.
 */
import { describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { reasonCodes as allReasons, reasonLabels, reasonsFor } from '@credledger/vocabulary';
import { exitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, runCli, tempDir } from './cli.js';

/** Each action's transitions: revoking is the same from ACTIVE and from SUSPENDED. */
const accepted = {
  revoke: (reasonsFor('ACTIVE', 'REVOKED') ?? []).filter((reason) => reason !== 'SUPERSEDED'),
  suspend: reasonsFor('ACTIVE', 'SUSPENDED') ?? [],
  reinstate: reasonsFor('SUSPENDED', 'ACTIVE') ?? [],
};
const id = 'urn:uuid:7d3c2d36-6f39-4d1f-9a53-0c1d6c6b8a11';

/** The reason lines of a command's help: the block after its "Reason codes" heading. */
function reasonBlock(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((line) => /^(Reason codes|可用的理由代碼)/.test(line));
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    block.push(line.trim());
  }
  return block;
}

it('revoking takes the same reasons from ACTIVE and from SUSPENDED, and every action takes some', () => {
  expect(reasonsFor('SUSPENDED', 'REVOKED')).toEqual(reasonsFor('ACTIVE', 'REVOKED'));
  for (const reasons of Object.values(accepted)) expect(reasons.length).toBeGreaterThan(0);
});

describe.each(Object.entries(accepted))('credledger %s', (verb, reasons) => {
  it('--help lists exactly the reasons it accepts, each with its zh-TW words (and English in English)', async () => {
    for (const lang of ['en', 'zh-TW']) {
      const help = await runCli(['--lang', lang, verb, '--help']);
      expectExit(help, 0);
      const block = reasonBlock(help.stdout);
      expect(block.map((line) => line.split(/\s+/)[0])).toEqual([...reasons]);
      for (const [i, reason] of reasons.entries()) {
        expect(block[i]).toContain(
          lang === 'en'
            ? `${reasonLabels[reason]['zh-TW']} / ${reasonLabels[reason].en}`
            : reasonLabels[reason]['zh-TW'],
        );
        if (lang === 'zh-TW') expect(block[i]).not.toContain(reasonLabels[reason].en);
      }
      for (const other of allReasons.filter((r) => !(reasons as readonly string[]).includes(r))) {
        expect(block.join('\n')).not.toContain(other);
        // SUPERSEDED is named once more, only to say where it comes from.
        if (other !== 'SUPERSEDED' || verb !== 'revoke') expect(help.stdout).not.toContain(other);
      }
    }
  });

  it('refuses every other reason before opening a workspace, naming the accepted ones', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      for (const other of allReasons.filter(
        (r) => !(reasons as readonly string[]).includes(r) && !(verb === 'revoke' && r === 'SUPERSEDED'),
      )) {
        // No workspace in `dir`: a check that waited for the ledger would fail WORKSPACE_NOT_FOUND instead.
        const result = await runCli([verb, id, '--reason', other], { cwd: dir });
        expectExit(result, exitCodes.INVALID_INPUT);
        expect(errorLines(result)).toEqual([
          `error INVALID_INPUT: ${verb} does not take reason "${other}" (for "${id}"); it takes ${reasons.join(', ')}`,
        ]);
      }
    } finally {
      await cleanup();
    }
  });
});

describe('a CSV row with a reason its action does not take', () => {
  it('is refused, naming the line, before any ledger is opened', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const csv = join(dir, 'ids.csv');
      await writeFile(csv, `id,reason\n${id},DISCIPLINARY_SUSPENSION\n${id},SUSPENSION_LIFTED\n`);
      const result = await runCli(['suspend', '--csv', csv], { cwd: dir });
      expectExit(result, exitCodes.INVALID_INPUT);
      expect(errorLines(result)).toEqual([
        'error INVALID_INPUT: suspend does not take reason "SUSPENSION_LIFTED" (line 3); it takes DISCIPLINARY_SUSPENSION, COURT_ORDER, KEY_COMPROMISE',
      ]);
    } finally {
      await cleanup();
    }
  });
});

describe('revoke --reason SUPERSEDED by hand', () => {
  it('is refused in one line saying that supersession is done by issue --supersede, for an id and a CSV row alike', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const one = await runCli(['revoke', id, '--reason', 'SUPERSEDED'], { cwd: dir });
      expectExit(one, exitCodes.INVALID_INPUT);
      expect(errorLines(one)).toEqual([
        `error INVALID_INPUT: revoke does not take reason SUPERSEDED by hand (for "${id}"): a credential is superseded by issuing its successor with \`credledger issue --supersede\` (or \`issue-batch --supersede\`), which revokes it and links the two`,
      ]);
      const csv = join(dir, 'ids.csv');
      await writeFile(csv, `id,reason\n${id},SUPERSEDED\n`);
      const bulk = await runCli(['revoke', '--csv', csv], { cwd: dir });
      expectExit(bulk, exitCodes.INVALID_INPUT);
      expect(errorLines(bulk)).toEqual([
        expect.stringMatching(
          /^error INVALID_INPUT: revoke does not take reason SUPERSEDED by hand \(line 2\): .*issue --supersede/,
        ),
      ]);
      const zh = await runCli(['--lang', 'zh-TW', 'revoke', '--help']);
      expect(zh.stdout).toContain('credledger issue --supersede');
    } finally {
      await cleanup();
    }
  });
});
