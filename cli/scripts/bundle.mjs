#!/usr/bin/env node
// Second step of the CLI's build, after `tsc -b`: bundles the CLI's own modules (dist/*.js) into
// dist/credledger.js and chunks it loads when a command needs them, so `credledger --help` reads a
// handful of files instead of fifty (bench: cli.coldstart.help). commander, which every command
// needs before anything else, is bundled in too (it alone took half a start's time as seven CommonJS
// files); so is @credledger/vocabulary, plain data whose reason codes the help of revoke, suspend and
// reinstate lists (as seven files it cost a sixth of a start). The other dependencies stay external
// and load from node_modules when a command needs them.
// The entry keeps main.ts's promise: nothing in it that an old Node cannot parse (cli/test/old-node.test.ts).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

/** Dependencies bundled in: loaded by every start. Anything else a command loads when it runs. */
const bundled = ['commander', '@credledger/vocabulary'];

const { dependencies } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(dependencies)
  .filter((name) => !bundled.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

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
  sourcemap: 'linked',
  logLevel: 'warning',
});
