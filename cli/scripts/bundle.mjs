#!/usr/bin/env node
// Second step of the CLI's build, after `tsc -b`: bundles the CLI's own modules (dist/*.js) into
// dist/credledger.js and chunks it loads when a command needs them, so `credledger --help` reads three
// files (the entry, start.js and the start's modules) instead of fifty (bench: cli.coldstart.help).
// commander, which every command needs before anything else, is bundled in too (it alone took half a
// start's time as seven CommonJS files); so is @credledger/vocabulary, plain data whose reason codes the help of revoke, suspend and
// reinstate lists (seven more files to resolve and read on every start). The other dependencies stay
// external and load from node_modules when a command needs them. Each command's action
// (dist/actions/*.js) is imported when the command runs, so it is a chunk of its own (decision 0039).
// The entry keeps main.ts's promise: nothing in it that an old Node cannot parse (cli/test/old-node.test.ts).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

/** Dependencies bundled in: loaded by every start. Anything else a command loads when it runs. */
const bundled = ['commander', '@credledger/vocabulary'];

const { dependencies } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(dependencies)
  .filter((name) => !bundled.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

/** The names a module imports from a built-in one (`import { a, b as c } from 'node:x'` gives a, b). */
function namedImports(file, specifier) {
  const names = [];
  const source = readFileSync(file, 'utf8');
  for (const [, list] of source
    .matchAll(/import\s*(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)
    .filter(([, , from]) => from === specifier))
    for (const item of list.split(',')) if (item.trim() !== '') names.push(item.trim().split(/\s+as\s+/)[0]);
  return names;
}

/**
 * Node's built-in modules as `require` gives them (`process.getBuiltinModule`), not as ES module
 * imports: the namespace Node makes for an import reads every export first, so importing node:fs ran
 * its lazy getters and loaded fs/promises, streams and readline, and node:util and node:process the
 * worker and diagnostic modules, on every start. Each importer gets the names it imports, read when
 * its chunk loads. commander's node:child_process, used only to run a subcommand that is an executable
 * of its own (credledger has none), loads when first used.
 */
const builtinsAsRequired = {
  name: 'builtins-as-required',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, ({ path, importer, kind }) => {
      // A module imported when its code runs is Node's own import.
      if (kind === 'dynamic-import') return { path, external: true };
      const lazy = path === 'node:child_process' && importer.includes('/node_modules/commander/');
      return { path: `${path}#${lazy ? 'lazy' : namedImports(importer, path).join(',')}`, namespace: 'builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => {
      const [specifier, names] = path.split('#');
      if (names === 'lazy')
        return {
          contents: `export default { get spawn() { return process.getBuiltinModule('${specifier}').spawn; } };`,
        };
      return {
        contents: [
          `const builtin = process.getBuiltinModule('${specifier}');`,
          'export default builtin;',
          ...names
            .split(',')
            .filter((name) => name !== '')
            .map((name) => `export const ${name} = builtin.${name};`),
        ].join('\n'),
      };
    });
  },
};

/**
 * One file for the modules every start loads (decision 0043). esbuild puts a module that several entry
 * points reach — the program's, and each module loaded by a dynamic import: a command's action, the
 * error report — in a chunk per set of entry points that reach it, so the start's modules (start.js's
 * static imports: the program, commander, the texts, what commands and actions share) came as a dozen
 * small files, each ~0.2 ms to resolve, read and link. Here each module that loads after the start is
 * reached through a wrapper that imports the start's modules first: already loaded when it runs, they
 * cost it nothing, and with every entry point reaching them they are one chunk.
 */
const startModulesFirst = {
  name: 'start-modules-first',
  setup(build) {
    const start = `${dist}/start.js`;
    const startImports = [...readFileSync(start, 'utf8').matchAll(/^import\s[^;]*?from\s*['"](\.\/[^'"]+)['"]/gm)].map(
      ([, path]) => resolve(dist, path),
    );
    if (startImports.length === 0) throw new Error(`no import found in ${start}: the start's modules would be split`);
    build.onResolve({ filter: /^\.\.?\// }, ({ path, kind, resolveDir }) => {
      const target = resolve(resolveDir, path);
      if (kind !== 'dynamic-import' || target === start) return undefined;
      return { path: target, namespace: 'after-start' };
    });
    build.onLoad({ filter: /.*/, namespace: 'after-start' }, ({ path }) => ({
      contents: [
        ...startImports.map((file) => `import ${JSON.stringify(file)};`),
        `export * from ${JSON.stringify(path)};`,
      ].join('\n'),
      resolveDir: dirname(path),
    }));
  },
};

for (const name of readdirSync(dist)) if (/^credledger[.-]/.test(name)) rmSync(`${dist}/${name}`);

await build({
  entryPoints: { credledger: `${dist}/main.js` },
  outdir: dist,
  chunkNames: 'credledger-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  external,
  plugins: [builtinsAsRequired, startModulesFirst],
  sourcemap: 'linked',
  logLevel: 'warning',
});
