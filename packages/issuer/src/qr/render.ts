/**
 * Renders credential links as QR codes (Node): PNG, SVG and text for terminals, always at ECC level M
 * with the link's mixed segments (byte-mode prefix, numeric-mode digits) from ./codec.ts. Many PNGs at
 * once: ./render-pool.ts.
 */
import { createRequire } from 'node:module';

import type QRCode from 'qrcode';

import { credentialLinkSegments } from '@credledger/verify/formats';

const require = createRequire(import.meta.url);

/** qrcode, loaded when a QR is first made: issuing without images never loads its ~40 files. */
const qrcode = (): typeof QRCode => require('qrcode') as typeof QRCode;

/** Error correction level of every credential QR: M restores ~15% damage at a moderate size. */
export const credentialQrErrorCorrection = 'M';

export interface QrRenderOptions {
  /** Pixels per module (PNG) or per SVG unit; default 4. */
  readonly scale?: number;
  /** Quiet zone in modules; default 4, as ISO/IEC 18004 asks. */
  readonly margin?: number;
  /** Fixes the QR version (1–40) for a constant printed size; the link must fit. Default: the smallest that fits. */
  readonly version?: number;
}

export interface RenderedPng {
  readonly png: Buffer;
  /** QR version used (1–40). */
  readonly version: number;
}

/** The link's segments in the `qrcode` package's types. */
function segments(link: string): QRCode.QRCodeSegment[] {
  return credentialLinkSegments(link).map((s) =>
    s.mode === 'numeric' ? { mode: 'numeric', data: s.data } : { mode: 'byte', data: new TextEncoder().encode(s.data) },
  );
}

/** The `qrcode` options of every credential QR image. */
export function qrOptions(options: QrRenderOptions): QRCode.QRCodeRenderersOptions & QRCode.QRCodeOptions {
  return {
    errorCorrectionLevel: credentialQrErrorCorrection,
    margin: options.margin ?? 4,
    scale: options.scale ?? 4,
    ...(options.version === undefined ? {} : { version: options.version }),
  };
}

/** The QR version (1–40) a credential link needs at ECC M with its mixed segments. */
export function credentialQrVersion(link: string, options: Pick<QrRenderOptions, 'version'> = {}): number {
  return qrcode().create(segments(link), {
    errorCorrectionLevel: credentialQrErrorCorrection,
    ...(options.version === undefined ? {} : { version: options.version }),
  }).version;
}

/**
 * Renders a credential link as a PNG.
 * @example
 * const { png, version } = await renderPng(encodeCredentialLink(jwt, 'https://verify.moj.gov.tw/'));
 */
export async function renderPng(link: string, options: QrRenderOptions = {}): Promise<RenderedPng> {
  return { png: await pngOf(link, qrOptions(options)), version: credentialQrVersion(link, options) };
}

/** The PNG bytes alone, for options made by {@link qrOptions} (the pool's workers pass theirs in once). */
export function pngOf(link: string, options: QRCode.QRCodeRenderersOptions & QRCode.QRCodeOptions): Promise<Buffer> {
  return qrcode().toBuffer(segments(link), { ...options, type: 'png' });
}

/** Renders a credential link as an SVG document (a string). */
export async function renderSvg(
  link: string,
  options: QrRenderOptions = {},
): Promise<{ svg: string; version: number }> {
  const svg = await qrcode().toString(segments(link), { ...qrOptions(options), type: 'svg' });
  return { svg, version: credentialQrVersion(link, options) };
}

/**
 * Renders a credential link as text of half-block characters (two modules per character cell), for
 * `--qr-terminal`. By default the characters draw the LIGHT modules, which suits the usual light-on-dark
 * terminal; `darkOnLight: true` draws the dark modules (for a light background or paper).
 */
export async function renderTerminal(
  link: string,
  options: { readonly darkOnLight?: boolean; readonly margin?: number } = {},
): Promise<{ text: string; version: number }> {
  const text = await qrcode().toString(segments(link), {
    errorCorrectionLevel: credentialQrErrorCorrection,
    type: 'utf8',
    margin: options.margin ?? 2,
    // qrcode's utf8 renderer draws light modules when the dark colour is white.
    ...(options.darkOnLight === true ? {} : { color: { dark: '#ffffff', light: '#000000' } }),
  });
  return { text, version: credentialQrVersion(link) };
}
