/**
 * The pictures on a PDF's pages that may hold its QR code, for a PDF that carries no credential
 * attachment (a credledger document whose attachment a mail gateway or a PDF tool removed; a printed
 * document scanned back): each page's filled rectangles rasterised into a bitmap (credledger draws its
 * QR code so, as vector squares), and the page's images — FlateDecode grey/RGB/CMYK pixels decoded here,
 * JPEG (DCTDecode) handed back as its bytes for the caller's image decoder. Decoding the QR code is the
 * caller's: jsQR in `@credledger/sdk` (Node) or the verifier page's worker. Browser-safe.
 *
 * @see ISO 32000-2 §8.9 (images), §7.4.4.4 (LZW and Flate predictor functions)
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, decodePDFRawStream, type PDFObject } from 'pdf-lib';
import type { PDFDocument, PDFPage } from 'pdf-lib';

import { identity, multiply, readContentPaint, type FilledRect, type Matrix } from './content-rects.js';
import { loadPdf } from './pdf-load.js';

/** A picture that may hold the QR code. */
export type PdfPicture =
  | {
      readonly kind: 'pixels';
      /** `vector`: the page's filled rectangles, rasterised; `image`: an image on the page. */
      readonly origin: 'vector' | 'image';
      /** Page number, from 1. */
      readonly page: number;
      readonly width: number;
      readonly height: number;
      readonly rgba: Uint8ClampedArray;
    }
  | {
      /** A JPEG (DCTDecode) image, undecoded: the caller's image decoder reads it. */
      readonly kind: 'jpeg';
      readonly page: number;
      readonly bytes: Uint8Array;
    };

/** What {@link readPdfPictures} found. */
export interface PdfPictures {
  readonly pictures: PdfPicture[];
  /** Images that could not be read, said in a few words each (`page 1: a JBIG2Decode image`). */
  readonly skipped: string[];
}

/** Bounds on the work one PDF may cause. */
const limits = {
  /** Pages looked at, from the first. */
  pages: 4,
  /** Images per page. */
  images: 8,
  /** Pixels of one image. */
  imagePixels: 40_000_000,
  /** Longest side of a rasterised vector region, in pixels. */
  rasterSide: 2048,
  /** Nested form XObjects followed. */
  formDepth: 4,
} as const;

/** Pixels per module the rasterised symbol gets: jsQR reads 3+ reliably. */
const pixelsPerModule = 4;
/** Quiet zone added around the rasterised region, in modules. */
const quietModules = 4;
/** A rectangle darker than this is ink. */
const inkBelow = 0.5;
/** Fewer dark rectangles than this cannot be a QR code (version 1 has 21 rows). */
const minQrRects = 21;

/**
 * The pictures on the first pages of a PDF that may hold its QR code: the rasterised vector drawing of
 * each page first, then its images. Each is decoded when the iteration reaches it, so a reader that
 * stops at the first readable QR code never holds more than one page image in memory.
 */
function* picturesOf(doc: PDFDocument, skipped: string[]): Generator<PdfPicture> {
  const pages = doc.getPages().slice(0, limits.pages);
  for (const [index, page] of pages.entries()) {
    const { rects, images } = paintOf(doc, page);
    const raster = rasterise(rects);
    if (raster) yield { kind: 'pixels', origin: 'vector', page: index + 1, ...raster };
    for (const image of images.slice(0, limits.images)) {
      const read = readImage(image);
      if (typeof read === 'string') skipped.push(`page ${index + 1}: ${read}`);
      else if (read.kind === 'jpeg') yield { kind: 'jpeg', page: index + 1, bytes: read.bytes };
      else
        yield {
          kind: 'pixels',
          origin: 'image',
          page: index + 1,
          width: read.width,
          height: read.height,
          rgba: read.rgba,
        };
    }
  }
}

/**
 * Every picture on the first pages of a PDF that may hold its QR code (see {@link findInPdfPictures},
 * which decodes one at a time).
 * @throws CredledgerError INVALID_INPUT when the bytes are no PDF or cannot be read
 */
export async function readPdfPictures(pdf: Uint8Array): Promise<PdfPictures> {
  const doc = await loadPdf(pdf);
  const skipped: string[] = [];
  const pictures = [...picturesOf(doc, skipped)];
  return { pictures, skipped };
}

/**
 * Hands the PDF's pictures, one at a time in the order of {@link readPdfPictures}, to `read` (a QR
 * decoder) until it returns something: that, with the picture's page; else what was not read.
 * @throws CredledgerError INVALID_INPUT when the bytes are no PDF or cannot be read
 * @example
 * const found = await findInPdfPictures(pdf, async (p) => (p.kind === 'pixels' ? readQrPixels(p.rgba, p.width, p.height) : undefined));
 */
export async function findInPdfPictures<T>(
  pdf: Uint8Array,
  read: (picture: PdfPicture) => Promise<T | undefined> | T | undefined,
): Promise<{ readonly found: T; readonly page: number } | { readonly skipped: string[] }> {
  const doc = await loadPdf(pdf);
  const skipped: string[] = [];
  for (const picture of picturesOf(doc, skipped)) {
    const found = await read(picture);
    if (found !== undefined) return { found, page: picture.page };
  }
  return { skipped };
}

function streamBytes(stream: PDFObject | undefined): Uint8Array[] {
  if (stream instanceof PDFRawStream) {
    try {
      return [decodePDFRawStream(stream).decode()];
    } catch {
      return [];
    }
  }
  return [];
}

/** The page's filled rectangles and the image streams it paints, following form XObjects. */
function paintOf(doc: PDFDocument, page: PDFPage): { rects: FilledRect[]; images: PDFRawStream[] } {
  const rects: FilledRect[] = [];
  const images: PDFRawStream[] = [];
  const seen = new Set<PDFRawStream>();
  const contents = page.node.Contents();
  const parts: PDFObject[] =
    contents instanceof PDFArray
      ? contents.asArray().map((ref) => doc.context.lookup(ref) as PDFObject)
      : [contents as PDFObject];
  const joined = concat(parts.flatMap((part) => streamBytes(part)));
  const visit = (content: Uint8Array, resources: PDFDict | undefined, matrix: Matrix, depth: number): void => {
    const paint = readContentPaint(content, matrix);
    rects.push(...paint.rects);
    const xobjects = resources?.lookup(PDFName.of('XObject'));
    if (!(xobjects instanceof PDFDict)) return;
    for (const { name, matrix: at } of paint.painted) {
      const xobject = xobjects.lookup(PDFName.of(name));
      if (!(xobject instanceof PDFRawStream) || seen.has(xobject)) continue;
      seen.add(xobject);
      const subtype = xobject.dict.lookup(PDFName.of('Subtype'));
      if (subtype === PDFName.of('Image')) images.push(xobject);
      else if (subtype === PDFName.of('Form') && depth < limits.formDepth) {
        const m = xobject.dict.lookup(PDFName.of('Matrix'));
        const own =
          m instanceof PDFArray && m.size() === 6
            ? (m.asArray().map((v) => {
                const value = doc.context.lookup(v);
                return value instanceof PDFNumber ? value.asNumber() : 0;
              }) as unknown as Matrix)
            : identity;
        const formResources = xobject.dict.lookup(PDFName.of('Resources'));
        visit(
          concat(streamBytes(xobject)),
          formResources instanceof PDFDict ? formResources : resources,
          multiply(own, at),
          depth + 1,
        );
      }
    }
  };
  visit(joined, page.node.Resources(), identity, 0);
  return { rects, images };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.length + 1, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    out[offset + chunk.length] = 10; // content streams of a page join at token boundaries
    offset += chunk.length + 1;
  }
  return out;
}

/**
 * The region of a page its dark filled rectangles cover, rasterised white-first in drawing order, at
 * about {@link pixelsPerModule} pixels to the typical (median) rectangle's short side; `undefined`
 * when too few dark rectangles are there to be a QR code.
 */
function rasterise(rects: FilledRect[]): { width: number; height: number; rgba: Uint8ClampedArray } | undefined {
  const dark = rects.filter((r) => r.lightness < inkBelow && r.x1 > r.x0 && r.y1 > r.y0);
  if (dark.length < minQrRects) return undefined;
  const sides = dark.map((r) => Math.min(r.x1 - r.x0, r.y1 - r.y0)).sort((a, b) => a - b);
  const module = sides[Math.floor(sides.length / 2)] as number;
  const margin = quietModules * module;
  const left = Math.min(...dark.map((r) => r.x0)) - margin;
  const bottom = Math.min(...dark.map((r) => r.y0)) - margin;
  const right = Math.max(...dark.map((r) => r.x1)) + margin;
  const top = Math.max(...dark.map((r) => r.y1)) + margin;
  const scale = Math.min(pixelsPerModule / module, limits.rasterSide / Math.max(right - left, top - bottom));
  const width = Math.max(1, Math.ceil((right - left) * scale));
  const height = Math.max(1, Math.ceil((top - bottom) * scale));
  const grey = new Uint8Array(width * height).fill(255);
  for (const r of rects) {
    // A pixel is painted when its centre lies inside the rectangle; rows count down from the top.
    const px0 = Math.max(0, Math.round((r.x0 - left) * scale));
    const px1 = Math.min(width, Math.round((r.x1 - left) * scale));
    const py0 = Math.max(0, Math.round((top - r.y1) * scale));
    const py1 = Math.min(height, Math.round((top - r.y0) * scale));
    const value = Math.round(r.lightness * 255);
    for (let y = py0; y < py1; y++) grey.fill(value, y * width + px0, y * width + Math.max(px0, px1));
  }
  return { width, height, rgba: greyToRgba(grey) };
}

function greyToRgba(grey: Uint8Array): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(grey.length * 4);
  for (let i = 0; i < grey.length; i++) {
    const v = grey[i] as number;
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

const num = (dict: PDFDict, key: string): number | undefined => {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
};

/** Components per pixel of a colour space credledger can read (grey, RGB, CMYK), else undefined. */
function components(space: PDFObject | undefined, dict: PDFDict): number | undefined {
  if (space instanceof PDFName) {
    const name = space.decodeText();
    return name === 'DeviceGray' || name === 'G' || name === 'CalGray'
      ? 1
      : name === 'DeviceRGB' || name === 'RGB' || name === 'CalRGB'
        ? 3
        : name === 'DeviceCMYK' || name === 'CMYK'
          ? 4
          : undefined;
  }
  if (space instanceof PDFArray) {
    const family = space.lookup(0);
    if (family instanceof PDFName && family.decodeText() === 'ICCBased') {
      const profile = space.lookup(1);
      if (profile instanceof PDFRawStream) {
        const n = num(profile.dict, 'N');
        return n === 1 || n === 3 || n === 4 ? n : undefined;
      }
    }
    if (family instanceof PDFName && (family.decodeText() === 'CalGray' || family.decodeText() === 'CalRGB'))
      return family.decodeText() === 'CalGray' ? 1 : 3;
  }
  return dict.lookup(PDFName.of('ImageMask')) !== undefined ? 1 : undefined;
}

function filtersOf(dict: PDFDict): string[] {
  const filter = dict.lookup(PDFName.of('Filter'));
  if (filter instanceof PDFName) return [filter.decodeText()];
  if (filter instanceof PDFArray)
    return filter.asArray().flatMap((f) => (f instanceof PDFName ? [f.decodeText()] : []));
  return [];
}

type ReadImage =
  { kind: 'jpeg'; bytes: Uint8Array } | { kind: 'pixels'; width: number; height: number; rgba: Uint8ClampedArray };

/** An image's pixels, its JPEG bytes, or a few words on why it cannot be read. */
function readImage(stream: PDFRawStream): ReadImage | string {
  const dict = stream.dict;
  const filters = filtersOf(dict);
  if (filters.length === 1 && (filters[0] === 'DCTDecode' || filters[0] === 'DCT'))
    return { kind: 'jpeg', bytes: stream.contents };
  const unreadable = filters.find(
    (f) =>
      ![
        'FlateDecode',
        'Fl',
        'LZWDecode',
        'LZW',
        'ASCII85Decode',
        'A85',
        'ASCIIHexDecode',
        'AHx',
        'RunLengthDecode',
        'RL',
      ].includes(f),
  );
  if (unreadable !== undefined) return `a ${unreadable} image`;
  const width = num(dict, 'Width') ?? 0;
  const height = num(dict, 'Height') ?? 0;
  const mask = dict.lookup(PDFName.of('ImageMask'));
  const isMask = mask !== undefined && mask.toString() === 'true';
  const bits = isMask ? 1 : (num(dict, 'BitsPerComponent') ?? 8);
  const n = components(dict.lookup(PDFName.of('ColorSpace')), dict);
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    width * height > limits.imagePixels
  )
    return `an image of ${width} × ${height} pixels`;
  if (n === undefined || (bits !== 8 && bits !== 1))
    return `an image in a colour space or depth not read here (${bits} bits)`;
  let data: Uint8Array;
  try {
    data = decodePDFRawStream(stream).decode();
  } catch {
    return 'an image whose data cannot be decoded';
  }
  const rowBytes = Math.ceil((width * n * bits) / 8);
  const parms = dict.lookup(PDFName.of('DecodeParms'));
  const predictor = parms instanceof PDFDict ? (num(parms, 'Predictor') ?? 1) : 1;
  if (predictor >= 10) {
    const undone = undoPngPredictor(data, rowBytes, Math.max(1, Math.ceil((n * bits) / 8)), height);
    if (undone === undefined) return 'an image whose predicted rows are damaged';
    data = undone;
  } else if (predictor !== 1) return `an image with predictor ${predictor}`;
  if (data.length < rowBytes * height) return 'an image with fewer bytes than its size needs';
  // Decode [1 0] swaps dark and light (a stencil mask's default, [0 1], paints its 0 samples: dark).
  const decode = dict.lookup(PDFName.of('Decode'));
  const first = decode instanceof PDFArray ? decode.lookup(0) : undefined;
  const inverted = first instanceof PDFNumber && first.asNumber() === 1;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    for (let x = 0; x < width; x++) {
      let r: number, g: number, b: number;
      if (bits === 1) {
        const bit = ((data[row + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
        r = g = b = bit * 255;
      } else if (n === 1) r = g = b = data[row + x] as number;
      else if (n === 3) {
        r = data[row + x * 3] as number;
        g = data[row + x * 3 + 1] as number;
        b = data[row + x * 3 + 2] as number;
      } else {
        const k = 255 - (data[row + x * 4 + 3] as number);
        r = ((255 - (data[row + x * 4] as number)) * k) / 255;
        g = ((255 - (data[row + x * 4 + 1] as number)) * k) / 255;
        b = ((255 - (data[row + x * 4 + 2] as number)) * k) / 255;
      }
      const o = (y * width + x) * 4;
      rgba[o] = inverted ? 255 - r : r;
      rgba[o + 1] = inverted ? 255 - g : g;
      rgba[o + 2] = inverted ? 255 - b : b;
      rgba[o + 3] = 255;
    }
  }
  return { kind: 'pixels', width, height, rgba };
}

/** Undoes the PNG row filters (None, Sub, Up, Average, Paeth) a Predictor ≥ 10 puts before each row. */
function undoPngPredictor(data: Uint8Array, rowBytes: number, bpp: number, rows: number): Uint8Array | undefined {
  if (data.length < (rowBytes + 1) * rows) return undefined;
  const out = new Uint8Array(rowBytes * rows);
  for (let y = 0; y < rows; y++) {
    const type = data[y * (rowBytes + 1)];
    const src = y * (rowBytes + 1) + 1;
    const at = y * rowBytes;
    for (let x = 0; x < rowBytes; x++) {
      const raw = data[src + x] as number;
      const a = x >= bpp ? (out[at + x - bpp] as number) : 0;
      const b = y > 0 ? (out[at - rowBytes + x] as number) : 0;
      const c = x >= bpp && y > 0 ? (out[at - rowBytes + x - bpp] as number) : 0;
      let value: number;
      switch (type) {
        case 0:
          value = raw;
          break;
        case 1:
          value = raw + a;
          break;
        case 2:
          value = raw + b;
          break;
        case 3:
          value = raw + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          value = raw + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          return undefined;
      }
      out[at + x] = value & 0xff;
    }
  }
  return out;
}
