/**
 * The credential's QR code on paper. The symbol is exactly the one the issuer's PNGs carry (the same
 * link from `encodeCredentialLink`, the same mixed byte/numeric segments, ECC level M, as
 * packages/issuer/src/qr/render.ts), so the verifier page and `credledger verify` read it alike; here it is drawn
 * as vector squares, sized from its version for a 300 dpi print.
 */
import QRCode from 'qrcode';

import { CredledgerError } from '@credledger/verify';
import { credentialLinkSegments } from '@credledger/verify/formats';

/** Printer resolution the module size is chosen for: each module is a whole number of dots. */
export const printDpi = 300;

/** One printer dot at {@link printDpi}, in PDF points (1/72 inch). */
export const dotPt = 72 / printDpi;

/** Smallest module printed: 0.5 mm, i.e. 6 dots at 300 dpi (0.508 mm). */
export const minModuleMm = 0.5;

/** Quiet zone around the symbol, in modules (ISO/IEC 18004 asks for 4). */
export const quietZoneModules = 4;

const mmPerPt = 25.4 / 72;
const minDots = Math.ceil(minModuleMm / (dotPt * mmPerPt));

/** The symbol: its version and its dark modules, row by row from the top. */
export interface QrSymbol {
  readonly version: number;
  /** Modules per side (17 + 4 × version). */
  readonly size: number;
  isDark(row: number, column: number): boolean;
}

/** The QR symbol of a credential link, at ECC level M with the link's mixed segments. */
export function credentialQrSymbol(link: string): QrSymbol {
  const segments: QRCode.QRCodeSegment[] = credentialLinkSegments(link).map((s) =>
    s.mode === 'numeric' ? { mode: 'numeric', data: s.data } : { mode: 'byte', data: new TextEncoder().encode(s.data) },
  );
  const qr = QRCode.create(segments, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  return { version: qr.version, size, isDark: (row, column) => data[row * size + column] === 1 };
}

/** Where a symbol goes and how large: a whole number of 300 dpi dots per module. */
export interface QrPlacement {
  /** Printer dots per module (≥ 6). */
  readonly dotsPerModule: number;
  /** Side of one module in points. */
  readonly modulePt: number;
  /** Side of the symbol with its quiet zone, in points. */
  readonly sidePt: number;
  /** Side of one module in millimetres. */
  readonly moduleMm: number;
}

/**
 * The largest module size (whole 300 dpi dots, at most `maxDots`) at which a symbol of `version`
 * with its quiet zone fits a square slot of `slotPt` points.
 * @throws CredledgerError INVALID_INPUT when even 0.5 mm modules do not fit
 */
export function qrPlacement(version: number, slotPt: number, maxDots = 10): QrPlacement {
  const modules = 17 + 4 * version + 2 * quietZoneModules;
  const dots = Math.min(maxDots, Math.floor(slotPt / (modules * dotPt) + 1e-9));
  if (dots < minDots) {
    const neededMm = modules * minDots * dotPt * mmPerPt;
    throw new CredledgerError(
      'INVALID_INPUT',
      `the QR code (version ${version}) needs ${neededMm.toFixed(1)} mm at 0.5 mm per module; this format has room for ${(slotPt * mmPerPt).toFixed(1)} mm`,
      { details: { version, neededMm, slotMm: slotPt * mmPerPt } },
    );
  }
  const modulePt = dots * dotPt;
  return { dotsPerModule: dots, modulePt, sidePt: modules * modulePt, moduleMm: modulePt * mmPerPt };
}

/** A coordinate on the 300 dpi grid, so that module edges fall on printer dots. */
export function onDotGrid(pt: number): number {
  return Math.round(pt / dotPt) * dotPt;
}

/**
 * The dark modules as rectangles `[x, y, width, height]` in points, runs of a row merged into one,
 * for a symbol whose quiet zone's lower-left corner is at (`x`, `y`) (PDF coordinates: y grows upwards).
 */
export function qrRectangles(
  symbol: QrSymbol,
  x: number,
  y: number,
  modulePt: number,
): [number, number, number, number][] {
  const rects: [number, number, number, number][] = [];
  const left = x + quietZoneModules * modulePt;
  const top = y + (quietZoneModules + symbol.size) * modulePt;
  for (let row = 0; row < symbol.size; row++) {
    let column = 0;
    while (column < symbol.size) {
      if (!symbol.isDark(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < symbol.size && symbol.isDark(row, column)) column++;
      rects.push([left + start * modulePt, top - (row + 1) * modulePt, (column - start) * modulePt, modulePt]);
    }
  }
  return rects;
}
