/**
 * The reader is what a browser loads when someone gives the verifier page a PDF: it bundles for the
 * browser with no externals (no `node:*` anywhere in its graph), and brings neither the typeface, the
 * subsetter, fontkit nor the QR encoder, which only the writer needs.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('@credledger/documents/reader', () => {
  it('bundles for the browser with pdf-lib and no writer code', async () => {
    const result = await build({
      entryPoints: [join(packageDir, 'src/reader.ts')],
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
    expect(inputs).toEqual(expect.arrayContaining(['src/reader.ts', expect.stringMatching(/node_modules\/pdf-lib\//)]));
    expect(inputs.filter((input) => /fontkit|harfbuzz|noto-serif|qrcode|src\/render|src\/fonts/.test(input))).toEqual(
      [],
    );
  });
});
