/**
 * Reads QR codes back (Node): from PNG or JPEG files or bytes, from raw RGBA pixels, and from the
 * half-block text that `renderTerminal` prints. Returns the QR's text; hand it to
 * `decodeCredentialLink` to get the credential.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';

import type jpegModule from 'jpeg-js';
import type { PNG as PngModule } from 'pngjs';

import { CredledgerError, quoteInput } from '@credledger/verify';

type JsQr = typeof import('jsqr').default;

// The decoders load when a QR is first read: issuing never loads them (jsqr alone is a large bundle).
const require = createRequire(import.meta.url);
const jsQR: JsQr = (...args) => {
  const loaded = require('jsqr') as JsQr | { default: JsQr };
  // jsqr's typings declare `export default` but its runtime is `module.exports = jsQR`; accept both shapes.
  return ('default' in loaded ? loaded.default : loaded)(...args);
};
const pngjs = (): typeof PngModule => (require('pngjs') as { PNG: typeof PngModule }).PNG;
const jpeg = (): typeof jpegModule => require('jpeg-js') as typeof jpegModule;

/** The text of the QR code in RGBA pixels, or `undefined` when none is found. Tries normal and inverted images. */
export function readQrPixels(rgba: Uint8ClampedArray, width: number, height: number): string | undefined {
  return jsQR(rgba, width, height, { inversionAttempts: 'attemptBoth' })?.data ?? undefined;
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * True when `png` is a whole PNG: every chunk complete with a matching CRC, ending in IEND.
 * pngjs's synchronous reader does not notice a truncated file and can then return pixels from
 * uninitialised memory — possibly another image decoded earlier in this process — so a damaged file
 * must be refused before it is decoded.
 * @see https://www.w3.org/TR/png-3/#5Chunk-layout
 */
function isWholePng(png: Buffer): boolean {
  let offset = pngSignature.length;
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset);
    const end = offset + 12 + length;
    if (length > 0x7fffffff || end > png.length) return false;
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    if (crc32(typeAndData) !== png.readUInt32BE(offset + 8 + length)) return false;
    if (typeAndData.subarray(0, 4).toString('latin1') === 'IEND') return true;
    offset = end;
  }
  return false;
}

function decodeImage(bytes: Uint8Array): { data: Uint8ClampedArray; width: number; height: number } {
  // A private copy: decoders may read a view's whole underlying ArrayBuffer (Node pools small Buffers).
  const buffer = Buffer.from(bytes);
  if (buffer.subarray(0, 8).equals(pngSignature)) {
    if (!isWholePng(buffer)) throw new CredledgerError('QR_UNREADABLE', 'the PNG image is truncated or damaged');
    const png = pngjs().sync.read(buffer);
    return {
      data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength),
      width: png.width,
      height: png.height,
    };
  }
  if (buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff) {
    const image = jpeg().decode(buffer, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    return {
      data: new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength),
      width: image.width,
      height: image.height,
    };
  }
  throw new CredledgerError('QR_UNREADABLE', 'not a PNG or JPEG image');
}

/**
 * Reads the QR code in a PNG or JPEG image.
 * @param image a file path, or the file's bytes
 * @returns the QR's text
 * @throws CredledgerError FILE_NOT_FOUND for a missing file; QR_UNREADABLE for an unknown or damaged image or no QR code in it
 * @example
 * const result = decodeCredentialLink(await readQrImage('licence.png'));
 */
export async function readQrImage(image: string | Uint8Array): Promise<string> {
  let bytes: Uint8Array;
  if (typeof image === 'string') {
    try {
      bytes = await readFile(image);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
        throw new CredledgerError('FILE_NOT_FOUND', `no such file: ${quoteInput(image)}`, { cause });
      throw cause;
    }
  } else {
    bytes = image;
  }
  let pixels: ReturnType<typeof decodeImage>;
  try {
    pixels = decodeImage(bytes);
  } catch (cause) {
    if (cause instanceof CredledgerError) throw cause;
    throw new CredledgerError('QR_UNREADABLE', 'the image could not be decoded', { cause });
  }
  const text = readQrPixels(pixels.data, pixels.width, pixels.height);
  if (text === undefined) throw new CredledgerError('QR_UNREADABLE', 'no QR code found in the image');
  return text;
}

// eslint-disable-next-line no-control-regex -- ANSI colour escapes begin with ESC.
const ansiColour = /\x1b\[[0-9;]*m/g;

/** Ink of each half-block character: [top module, bottom module]. */
const halfBlocks: Readonly<Record<string, readonly [boolean, boolean]>> = {
  ' ': [false, false],
  '\u2580': [true, false], // ▀
  '\u2584': [false, true], // ▄
  '\u2588': [true, true], // █
};

/**
 * Reads a QR code printed as half-block text (qrcode's `utf8`/`terminal` output, either polarity):
 * turns characters back into modules, rasterises them and scans the picture.
 * @throws CredledgerError QR_UNREADABLE when the text holds no readable QR code
 */
export function readQrTerminalText(text: string): string {
  // Colour escapes (qrcode's `terminal` renderer) carry no modules.
  const lines = text
    .replace(ansiColour, '')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const width = Math.max(0, ...lines.map((l) => Array.from(l).length));
  if (width === 0) throw new CredledgerError('QR_UNREADABLE', 'no QR code in the text');
  const rows: boolean[][] = [];
  for (const line of lines) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    const chars = Array.from(line);
    for (const ch of chars.concat(Array<string>(width - chars.length).fill(' '))) {
      const ink = halfBlocks[ch];
      if (ink === undefined) throw new CredledgerError('QR_UNREADABLE', 'the text is not a half-block QR rendering');
      top.push(ink[0]);
      bottom.push(ink[1]);
    }
    rows.push(top, bottom);
  }
  // Ink is drawn black on a white border wide enough for a quiet zone in either polarity.
  const scale = 4;
  const border = 4;
  const w = (width + 2 * border) * scale;
  const h = (rows.length + 2 * border) * scale;
  const rgba = new Uint8ClampedArray(w * h * 4).fill(255);
  rows.forEach((row, y) => {
    row.forEach((ink, x) => {
      if (!ink) return;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const o = (((y + border) * scale + dy) * w + (x + border) * scale + dx) * 4;
          rgba[o] = rgba[o + 1] = rgba[o + 2] = 0;
        }
      }
    });
  });
  const result = readQrPixels(rgba, w, h);
  if (result === undefined) throw new CredledgerError('QR_UNREADABLE', 'no readable QR code in the text');
  return result;
}
