/**
 * `bench/` is run by hand, not by the test command, so a module it imports can move without any test
 * noticing (the package split removed `@credledger/sdk`'s `dist/verify.js` and the bench stopped
 * starting). Every import of every bench script must resolve in the built repository: a relative one
 * to a file that exists, a package one through the package's `exports` from the repository root.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bench = join(root, 'bench');
const requireFromRoot = createRequire(join(root, 'package.json'));

function specifiers(file: string): string[] {
  const text = readFileSync(join(bench, file), 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
    ...text.matchAll(/new URL\(\s*'(\.{1,2}\/[^']+)'\s*,\s*import\.meta\.url\s*\)/g),
  ].map((match) => match[1] ?? '');
}

/** Why `specifier` (imported by a bench script) would not load, or null when it resolves. */
function unresolved(specifier: string): string | null {
  if (specifier.startsWith('node:')) return null;
  if (specifier.startsWith('.')) return existsSync(join(bench, specifier)) ? null : 'no such file';
  try {
    requireFromRoot.resolve(specifier);
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? 'does not resolve';
  }
}

const scripts = readdirSync(bench).filter((name) => name.endsWith('.mjs'));

describe('bench scripts', () => {
  it('are found', () => {
    expect(scripts).toEqual(expect.arrayContaining(['run.mjs', 'serve-rps.mjs', 'verify-offline.mjs']));
  });

  it.each(scripts)('%s imports only modules that exist in the built repository', (script) => {
    const broken = specifiers(script)
      .map((specifier) => ({ specifier, why: unresolved(specifier) }))
      .filter(({ why }) => why !== null);
    expect(broken).toEqual([]);
  });

  it('names every script it runs, and each exists', () => {
    const run = readFileSync(join(bench, 'run.mjs'), 'utf8');
    const planned = [...run.matchAll(/script: '([^']+\.mjs)'/g)].map((match) => match[1] ?? '');
    expect(planned.length).toBeGreaterThan(10);
    expect(planned.filter((script) => !scripts.includes(script))).toEqual([]);
  });
});
