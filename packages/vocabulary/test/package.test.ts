/**
 * The package as its users load it. Node's `require` (the chaincode, CommonJS on Node 18) gets the
 * CommonJS build and `import` gets the ES module build, and both hold the same words and answer the
 * same; the ES build bundles for the browser with no externals from its own files alone; the package
 * depends on nothing; and `npm pack` ships both builds, nothing of the sources or tests.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * In a child Node, loads the package by name the way `format` does and reports the file it resolved,
 * every export (functions by what they answer for each status pair and probe value).
 */
function load(format: 'require' | 'import'): { file: string; exports: Record<string, unknown> } {
  const report = `
    const probes = [...m.credentialStatuses, ...m.issuerStatuses, ...m.reasonCodes, ...m.errorCodes, ...m.roles,
      '', 'active', 'toString', null, undefined, 7];
    const pairs = m.credentialStatuses.flatMap((a) => m.credentialStatuses.map((b) => [a, b]));
    const exports = Object.fromEntries(Object.keys(m).sort().map((name) => {
      const value = m[name];
      if (typeof value !== 'function') return [name, value];
      return [name, (value.length === 2 ? pairs : probes.map((p) => [p])).map((args) => value(...args) ?? null)];
    }));
    console.log(JSON.stringify({ file, exports }));`;
  const args =
    format === 'require'
      ? [
          '-e',
          `const m = require('@credledger/vocabulary'); const file = require.resolve('@credledger/vocabulary');${report}`,
        ]
      : [
          '--input-type=module',
          '-e',
          `import * as m from '@credledger/vocabulary'; const file = new URL(import.meta.resolve('@credledger/vocabulary')).pathname;${report}`,
        ];
  const child = spawnSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout) as { file: string; exports: Record<string, unknown> };
}

describe('@credledger/vocabulary', () => {
  it('gives require the CommonJS build and import the ES module build, with the same exports answering the same', () => {
    const required = load('require');
    const imported = load('import');
    expect(required.file).toBe(join(packageDir, 'dist/cjs/index.js'));
    expect(imported.file).toBe(join(packageDir, 'dist/esm/index.js'));
    expect(Object.keys(imported.exports)).toEqual(Object.keys(required.exports));
    expect(imported.exports).toEqual(required.exports);
    // The probes reached real answers: a reason list, a refusal, a recognised code.
    expect(imported.exports['reasonsFor']).toContainEqual(['SUSPENSION_LIFTED', 'COURT_ORDER']);
    expect(imported.exports['isReasonCode']).toContain(true);
    expect(imported.exports['isReasonCode']).toContain(false);
  });

  it('bundles for the browser with no externals, from its own files only', async () => {
    const result = await build({
      entryPoints: [join(packageDir, 'dist/esm/index.js')],
      absWorkingDir: packageDir,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('dist/esm/transitions.js');
    expect(inputs.filter((input) => !input.startsWith('dist/esm/'))).toEqual([]);
  });

  it('depends on no package at all', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies'])
      expect({ field, value: manifest[field] }).toEqual({ field, value: undefined });
  });

  it('packs both builds and its README, and no sources, tests or build state', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    expect(packed.status).toBe(0);
    const [{ files }] = JSON.parse(packed.stdout) as [{ files: { path: string }[] }];
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/esm/package.json',
        'dist/esm/index.js',
        'dist/esm/index.d.ts',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
      ]),
    );
    expect(paths.filter((path) => !/^(package\.json|README\.md|dist\/(esm|cjs)\/)/.test(path))).toEqual([]);
    expect(paths.filter((path) => /\.test\.|tsbuildinfo/.test(path))).toEqual([]);
  });
});
