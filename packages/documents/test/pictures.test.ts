/**
 * The pictures a PDF without its attachment offers a QR reader: a credledger document's vector QR code
 * rasterised from its content stream (checked module by module against the symbol the renderer drew),
 * and page images (FlateDecode grey and RGB, JPEG handed back undecoded).
 */
import { describe, expect, it } from '@jest/globals';
import {
  PDFDocument,
  PDFName,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';

import { encodeCredentialLink } from '@credledger/verify/formats';

import { renderCredentialDocument } from '../src/index.js';
import { credentialQrSymbol } from '../src/qr.js';
import { readDocumentCredential, readPdfPictures, readPdfAttachments, type PdfPicture } from '../src/reader.js';
import { lawyerSubject, moj, signedCredential } from './credentials.js';
import { withoutAttachments } from './strip-attachment.js';

const base = 'https://verify.moj.gov.tw/';

type Pixels = Extract<PdfPicture, { kind: 'pixels' }>;

/** The modules of a rasterised symbol, read at module centres inside its quiet zone. */
function modulesOf(picture: Pixels, size: number): boolean[][] {
  const dark = (x: number, y: number): boolean => (picture.rgba[(y * picture.width + x) * 4] as number) < 128;
  // The quiet zone is light: the symbol starts at the first dark pixel of the first dark row.
  let top = 0;
  while (top < picture.height && ![...Array(picture.width).keys()].some((x) => dark(x, top))) top++;
  let left = 0;
  while (left < picture.width && ![...Array(picture.height).keys()].some((y) => dark(left, y))) left++;
  let bottom = picture.height - 1;
  while (bottom > 0 && ![...Array(picture.width).keys()].some((x) => dark(x, bottom))) bottom--;
  const module = (bottom + 1 - top) / size;
  return [...Array(size).keys()].map((row) =>
    [...Array(size).keys()].map((column) =>
      dark(Math.floor(left + (column + 0.5) * module), Math.floor(top + (row + 0.5) * module)),
    ),
  );
}

describe('pictures of a PDF without its attachment', () => {
  it('rasterise a credledger document’s vector QR code module for module, A4 and card', async () => {
    const jwt = await signedCredential('LawyerLicenceCredential', lawyerSubject);
    const symbol = credentialQrSymbol(encodeCredentialLink(jwt, base));
    const expected = [...Array(symbol.size).keys()].map((row) =>
      [...Array(symbol.size).keys()].map((column) => symbol.isDark(row, column)),
    );
    for (const format of ['a4', 'card'] as const) {
      const { pdf } = await renderCredentialDocument(jwt, { verifierBaseUrl: base, issuerName: moj, format });
      const stripped = await withoutAttachments(pdf);
      expect(await readPdfAttachments(stripped)).toEqual([]);
      await expect(readDocumentCredential(stripped)).rejects.toMatchObject({ details: { reason: 'NO_CREDENTIAL' } });
      const { pictures, skipped } = await readPdfPictures(stripped);
      expect(skipped).toEqual([]);
      const vector = pictures.filter((p): p is Pixels => p.kind === 'pixels' && p.origin === 'vector');
      expect(vector).toHaveLength(1);
      expect(vector[0]?.page).toBe(1);
      expect(modulesOf(vector[0] as Pixels, symbol.size)).toEqual(expected);
    }
  }, 60_000);

  it('decode FlateDecode grey and RGB page images, and hand back a JPEG’s bytes', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([200, 200]);
    // A 3 × 2 grey image and a 2 × 1 RGB image, written as PDF image XObjects with FlateDecode.
    const grey = doc.context.flateStream(new Uint8Array([0, 128, 255, 255, 128, 0]), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: 3,
      Height: 2,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 8,
    });
    const rgb = doc.context.flateStream(new Uint8Array([255, 0, 0, 0, 0, 255]), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: 2,
      Height: 1,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
    });
    const jpegBytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const jpeg = doc.context.stream(jpegBytes, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: 1,
      Height: 1,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
      Filter: 'DCTDecode',
    });
    const names = ['Grey', 'Rgb', 'Jpeg'];
    [grey, rgb, jpeg].forEach((stream, i) => {
      page.node.setXObject(PDFName.of(names[i] ?? ''), doc.context.register(stream));
    });
    page.pushOperators(
      ...names.flatMap((name) => [
        pushGraphicsState(),
        concatTransformationMatrix(50, 0, 0, 50, 0, 0),
        drawObject(name),
        popGraphicsState(),
      ]),
    );
    const { pictures } = await readPdfPictures(await doc.save());
    expect(pictures).toHaveLength(3);
    const [g, c, j] = pictures as [Pixels, Pixels, PdfPicture];
    expect([g.width, g.height, Array.from(g.rgba.filter((_, i) => i % 4 === 0))]).toEqual([
      3,
      2,
      [0, 128, 255, 255, 128, 0],
    ]);
    expect(Array.from(c.rgba)).toEqual([255, 0, 0, 255, 0, 0, 255, 255]);
    expect(j).toEqual({ kind: 'jpeg', page: 1, bytes: jpegBytes });
  });
});
