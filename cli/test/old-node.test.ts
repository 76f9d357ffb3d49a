/**
 * On a Node.js older than `engines`, the built CLI says in one line what it needs and exits 2 (instead
 * of dying on a SyntaxError from a module it cannot load). Runs the real CLI under an old Node found on
 * this machine (CI machines and developer machines keep the system's Node 20 beside the Node 24 that
 * runs the tests); skips, saying so, when there is none.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { baseEnv, cliMain } from './cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const engines = (file: string): string =>
  (JSON.parse(readFileSync(join(root, file), 'utf8')) as { engines: { node: string } }).engines.node;
const required = /^>=(\d+)\.(\d+)$/.exec(engines('cli/package.json'));

/** The version of a node binary, or undefined when it does not run. */
function versionOf(binary: string): string | undefined {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** A node binary older than `engines` on this machine: every `node` on PATH, then the usual places. */
function findOldNode(): { binary: string; version: string } | undefined {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node'));
  const usual = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node', '/opt/homebrew/bin/node'];
  for (const binary of [...new Set([...onPath, ...usual])]) {
    if (!existsSync(binary)) continue;
    const version = versionOf(binary);
    const match = version === undefined ? null : /^v(\d+)\.(\d+)\./.exec(version);
    if (!match || !required) continue;
    const [major, minor] = [Number(match[1]), Number(match[2])];
    const [needMajor, needMinor] = [Number(required[1]), Number(required[2])];
    if (major < needMajor || (major === needMajor && minor < needMinor)) return { binary, version: version ?? '' };
  }
  return undefined;
}

describe('engines', () => {
  it('the root package and the cli package ask for the same Node.js', () => {
    expect(required).not.toBeNull();
    expect(engines('package.json')).toBe(engines('cli/package.json'));
  });

  it('the README has the "Requirements" section the message points at', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toMatch(/^## Requirements$/m);
  });
});

const oldNode = findOldNode();
if (!oldNode)
  console.warn(`old-node tests skipped: no Node.js older than ${engines('cli/package.json')} on this machine`);
const describeOnOldNode = oldNode ? describe : describe.skip;

describeOnOldNode(`the CLI on an old Node.js (${oldNode?.binary ?? 'none'} ${oldNode?.version ?? ''})`, () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(oldNode?.binary ?? 'node', [cliMain, ...args], { encoding: 'utf8', env: baseEnv(env), timeout: 30_000 });
  const need = engines('cli/package.json').slice('>='.length);

  it.each([[['--help']], [['status', 'urn:uuid:00000000-0000-4000-8000-000000000000']], [['verify', 'x', '--json']]])(
    '`credledger %s` prints the version it needs and the one it found, in one line, and exits 2',
    (args) => {
      const result = run(args);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `credledger needs Node.js >= ${need} (found ${oldNode?.version ?? ''}); see README.md "Requirements"\n`,
      );
    },
  );

  it('speaks Traditional Chinese under a zh locale or --lang zh-TW', () => {
    for (const result of [run(['--help'], { LANG: 'zh_TW.UTF-8' }), run(['--lang', 'zh-TW', 'demo'])]) {
      expect(result.status).toBe(2);
      expect(result.stderr.split('\n')).toEqual([
        `credledger 需要 Node.js >= ${need}（目前為 ${oldNode?.version ?? ''}）；安裝方式見 README.md「Requirements」`,
        '',
      ]);
    }
  });
});
