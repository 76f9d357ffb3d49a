/**
 * Proves `@credledger/verify` is browser-safe by construction: each entry bundles for the browser with
 * esbuild and no externals at all, so a `node:*` import or a Node built-in anywhere in its graph would
 * fail the build; the only code outside this package's `src/` is fflate, the OpenWallet Foundation's
 * SD-JWT decoder (@sd-jwt/decode with its types, utils and js-base64) and the ES module build of
 * @credledger/vocabulary; and that vocabulary is the one credledger package it depends on.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

async function bundleForBrowser(
  options: { entry: string } | { source: string },
): Promise<{ inputs: string[]; errors: string[] }> {
  const result = await build({
    ...('entry' in options
      ? { entryPoints: [join(packageDir, options.entry)] }
      : { stdin: { contents: options.source, resolveDir: packageDir, loader: 'ts' } }),
    absWorkingDir: packageDir,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'esm',
    logLevel: 'silent',
  }).catch((error: unknown) => ({
    metafile: undefined,
    errors: (error as { errors?: { text: string }[] }).errors ?? [{ text: String(error) }],
  }));
  return {
    inputs: result.metafile ? Object.keys(result.metafile.inputs) : [],
    errors: result.errors.map((e) => e.text),
  };
}

describe('@credledger/verify is browser-safe', () => {
  it.each(['src/index.ts', 'src/formats.ts'])(
    '%s bundles for the browser with no externals, from its own sources, fflate and @sd-jwt/decode only',
    async (entry) => {
      const bundle = await bundleForBrowser({ entry });
      expect(bundle.errors).toEqual([]);
      const foreign = bundle.inputs.filter(
        (input) =>
          !input.startsWith('src/') &&
          !/node_modules\/fflate\//.test(input) &&
          !/node_modules\/(@sd-jwt\/(decode|utils|types)|js-base64)\//.test(input) &&
          !input.startsWith('../vocabulary/dist/esm/'),
      );
      expect(foreign).toEqual([]);
      // The graph is real: the pipeline, the sources, the status lists and fflate are in the main entry.
      if (entry === 'src/index.ts')
        expect(bundle.inputs).toEqual(
          expect.arrayContaining([
            'src/pipeline.ts',
            'src/offline-source.ts',
            'src/http-source.ts',
            'src/ledger-source.ts',
            'src/status/bitstring.ts',
            'src/link/codec.ts',
            'src/sd-jwt/decode-sd-jwt.ts',
            expect.stringMatching(/node_modules\/@sd-jwt\/decode\//),
            expect.stringMatching(/node_modules\/fflate\//),
            '../vocabulary/dist/esm/error-codes.js',
          ]),
        );
    },
  );

  it('the check itself fails on a Node import', async () => {
    const bundle = await bundleForBrowser({
      source: "import { readFileSync } from 'node:fs'; console.log(readFileSync);",
    });
    expect(bundle.errors.join('\n')).toMatch(/node:fs/);
  });

  it('depends on the vocabulary alone of credledger packages, and on fflate and @sd-jwt/decode (pinned) besides', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    expect(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })).toEqual([
      '@credledger/vocabulary',
      '@sd-jwt/decode',
      'fflate',
    ]);
    // Pre-1.0: an exact version, never a range.
    expect(manifest.dependencies?.['@sd-jwt/decode']).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
