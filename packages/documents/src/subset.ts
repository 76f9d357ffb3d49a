/**
 * Font subsetting with HarfBuzz's hb-subset (the WebAssembly build the `harfbuzzjs` package ships):
 * a TrueType font of just the characters a document prints. pdf-lib's own subsetter (fontkit's)
 * loses glyphs of this typeface — whole letters vanish from the page — so documents embed a font
 * that hb-subset made, whole. Each subsetter keeps its fonts in WebAssembly memory, copied in once.
 *
 * @see https://harfbuzz.github.io/harfbuzz-hb-subset.html
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** The hb-subset functions this module calls (C API, pointers as numbers). */
interface HbSubsetExports {
  readonly memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(size: number): number;
  free(pointer: number): void;
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, value: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_input_get_flags(input: number): number;
  hb_subset_input_set_flags(input: number, flags: number): void;
  hb_subset_or_fail(face: number, input: number): number;
}

const HB_MEMORY_MODE_READONLY = 1;
const HB_SUBSET_SETS_DROP_TABLE_TAG = 3;
const HB_SUBSET_FLAGS_NO_HINTING = 0x1;
const HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE = 0x200;

/**
 * Tables a printed page does not need: OpenType layout (the documents set no feature that substitutes
 * or positions glyphs) and hinting for screens.
 */
const droppedTables = ['GSUB', 'GPOS', 'GDEF', 'BASE', 'JSTF', 'DSIG', 'vhea', 'vmtx', 'VORG'];

const tag = (text: string): number =>
  Array.from(text).reduce((value, char) => ((value << 8) | char.charCodeAt(0)) >>> 0, 0);

/** Makes TrueType subsets of the fonts it was given. */
export interface FontSubsetter {
  /**
   * A TrueType font with the glyphs of `text`'s characters (and .notdef), renumbered from 1.
   * @throws Error when HarfBuzz fails (a damaged font)
   */
  subset(font: number, text: string): Uint8Array;
}

/** Loads hb-subset and copies each font into its memory once; `subset(i, …)` subsets `fonts[i]`. */
export async function createFontSubsetter(fonts: readonly Uint8Array[]): Promise<FontSubsetter> {
  const require = createRequire(import.meta.url);
  const wasm = await readFile(require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
  const { instance } = await WebAssembly.instantiate(wasm);
  const hb = instance.exports as unknown as HbSubsetExports;
  hb._initialize();
  // The memory can grow during a subset, which detaches earlier views: take a fresh one at each use.
  const heap = (): Uint8Array => new Uint8Array(hb.memory.buffer);
  const faces = fonts.map((bytes) => {
    const pointer = hb.malloc(bytes.byteLength);
    heap().set(bytes, pointer);
    const blob = hb.hb_blob_create(pointer, bytes.byteLength, HB_MEMORY_MODE_READONLY, 0, 0);
    const face = hb.hb_face_create(blob, 0);
    hb.hb_blob_destroy(blob);
    return face;
  });
  return {
    subset(font, text) {
      const face = faces[font];
      if (face === undefined) throw new Error(`no font ${font}`);
      const input = hb.hb_subset_input_create_or_fail();
      if (input === 0) throw new Error('hb_subset_input_create_or_fail failed');
      let result: number;
      try {
        const unicodes = hb.hb_subset_input_unicode_set(input);
        for (const char of new Set(text)) hb.hb_set_add(unicodes, char.codePointAt(0) ?? 0);
        const drop = hb.hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
        for (const table of droppedTables) hb.hb_set_add(drop, tag(table));
        hb.hb_subset_input_set_flags(
          input,
          hb.hb_subset_input_get_flags(input) | HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE,
        );
        result = hb.hb_subset_or_fail(face, input);
      } finally {
        hb.hb_subset_input_destroy(input);
      }
      if (result === 0) throw new Error('hb_subset_or_fail failed');
      const blob = hb.hb_face_reference_blob(result);
      try {
        const data = hb.hb_blob_get_data(blob, 0);
        const length = hb.hb_blob_get_length(blob);
        if (length === 0) throw new Error('hb-subset made an empty font');
        return heap().slice(data, data + length);
      } finally {
        hb.hb_blob_destroy(blob);
        hb.hb_face_destroy(result);
      }
    },
  };
}
