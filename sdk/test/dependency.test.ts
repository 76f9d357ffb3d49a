/**
 * Proves `@credledger/sdk/verify` is browser-safe: bundling sdk/src/verify.ts for the browser with
 * esbuild and recording every import it follows, nothing is `node:*` or a Node built-in, and nothing
 * comes from Fabric (fabric-gateway, fabric-shim, fabric-contract-api, grpc) or classic-level.
 */
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import { build, type Plugin } from 'esbuild';

const sdkDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const forbiddenPackages =
  /(^|\/)node_modules\/(@hyperledger\/|fabric-|@grpc\/|classic-level|abstract-level|node-gyp-build)/;
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

interface Graph {
  readonly imports: { readonly path: string; readonly importer: string }[];
  readonly inputs: string[];
  readonly errors: string[];
}

async function importGraph(entry: string): Promise<Graph> {
  const imports: { path: string; importer: string }[] = [];
  const recorder: Plugin = {
    name: 'record-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'entry-point') imports.push({ path: args.path, importer: args.importer });
        // Built-ins are marked external so the bundle completes and the test reports all of them.
        return builtins.has(args.path) ? { path: args.path, external: true } : undefined;
      });
    },
  };
  const result = await build({
    entryPoints: [join(sdkDir, entry)],
    absWorkingDir: sdkDir,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'esm',
    logLevel: 'silent',
    plugins: [recorder],
    // The sources use `.js` suffixes for `.ts` files (nodenext); esbuild maps them itself.
  }).catch((error: unknown) => ({
    metafile: undefined,
    errors: (error as { errors?: { text: string }[] }).errors ?? [{ text: String(error) }],
  }));
  return {
    imports,
    inputs: result.metafile ? Object.keys(result.metafile.inputs) : [],
    errors: result.errors.map((e) => e.text),
  };
}

describe('@credledger/sdk/verify is browser-safe', () => {
  it('imports no node:* module, no Node built-in, nothing from Fabric or classic-level', async () => {
    const graph = await importGraph('src/verify.ts');
    expect(graph.errors).toEqual([]);
    // The graph is real: the pipeline, the sources, the status lists and fflate are in it.
    expect(graph.inputs).toEqual(
      expect.arrayContaining([
        'src/verify/pipeline.ts',
        'src/verify/offline-source.ts',
        'src/verify/http-source.ts',
        'src/status/bitstring.ts',
        expect.stringMatching(/node_modules\/fflate\//),
      ]),
    );
    const nodeImports = graph.imports.filter((i) => builtins.has(i.path) || i.path.startsWith('node:'));
    expect(nodeImports).toEqual([]);
    expect(graph.inputs.filter((input) => forbiddenPackages.test(input))).toEqual([]);
    // The ledger-backed source and the file allocator stay out of the browser entry.
    expect(graph.inputs).not.toContain('src/verify/ledger-source.ts');
    expect(graph.inputs).not.toContain('src/status/allocator.ts');
  });

  it('the check itself catches a Node import (the ledger-backed side of status)', async () => {
    const graph = await importGraph('src/status/allocator.ts');
    expect(graph.imports.some((i) => i.path === 'node:fs')).toBe(true);
  });
});
