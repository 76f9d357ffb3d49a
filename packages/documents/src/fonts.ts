/**
 * The typeface of every document: Noto Serif TC (SIL Open Font License 1.1), TrueType files from the
 * `@expo-google-fonts/noto-serif-tc` package, with the Traditional Chinese glyphs of Big5 and more.
 * Only the glyphs a document uses are embedded (subsetting), so a licence stays tens of kilobytes.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import type { Weight } from './sheet.js';

/** The font files' bytes, one per weight. */
export type DocumentFonts = Readonly<Record<Weight, Uint8Array>>;

const files: Readonly<Record<Weight, string>> = {
  regular: '@expo-google-fonts/noto-serif-tc/400Regular/NotoSerifTC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-serif-tc/700Bold/NotoSerifTC_700Bold.ttf',
};

/** Reads the document typeface's files from the installed font package. */
export async function loadDocumentFonts(): Promise<DocumentFonts> {
  const require = createRequire(import.meta.url);
  const [regular, bold] = await Promise.all([
    readFile(require.resolve(files.regular)),
    readFile(require.resolve(files.bold)),
  ]);
  return { regular: new Uint8Array(regular), bold: new Uint8Array(bold) };
}
