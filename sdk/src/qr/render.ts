/**
 * Renders credential links as QR codes (Node): PNG, SVG and text for terminals, always at ECC level M
 * with the link's mixed segments (byte-mode prefix, numeric-mode digits) from ./codec.ts.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import QRCode from 'qrcode';

import { credentialLinkSegments } from './codec.js';

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

function qrOptions(options: QrRenderOptions): QRCode.QRCodeRenderersOptions & QRCode.QRCodeOptions {
  return {
    errorCorrectionLevel: credentialQrErrorCorrection,
    margin: options.margin ?? 4,
    scale: options.scale ?? 4,
    ...(options.version === undefined ? {} : { version: options.version }),
  };
}

/** The QR version (1–40) a credential link needs at ECC M with its mixed segments. */
export function credentialQrVersion(link: string, options: Pick<QrRenderOptions, 'version'> = {}): number {
  return QRCode.create(segments(link), {
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
  const png = await QRCode.toBuffer(segments(link), { ...qrOptions(options), type: 'png' });
  return { png, version: credentialQrVersion(link, options) };
}

/** Renders a credential link as an SVG document (a string). */
export async function renderSvg(
  link: string,
  options: QrRenderOptions = {},
): Promise<{ svg: string; version: number }> {
  const svg = await QRCode.toString(segments(link), { ...qrOptions(options), type: 'svg' });
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
  const text = await QRCode.toString(segments(link), {
    errorCorrectionLevel: credentialQrErrorCorrection,
    type: 'utf8',
    margin: options.margin ?? 2,
    // qrcode's utf8 renderer draws light modules when the dark colour is white.
    ...(options.darkOnLight === true ? {} : { color: { dark: '#ffffff', light: '#000000' } }),
  });
  return { text, version: credentialQrVersion(link) };
}

export interface RenderBatchOptions extends QrRenderOptions {
  /** Called after each PNG with the number done so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Worker threads; default: the available cores, at most 8. */
  readonly workers?: number;
}

interface WorkerReply {
  readonly index: number;
  readonly png?: Uint8Array;
  readonly error?: string;
}

function workerFile(): URL {
  // Built code sits beside its worker; under ts-jest this module is the .ts source, so use the build.
  const beside = new URL('./render-worker.js', import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside : new URL('../../dist/qr/render-worker.js', import.meta.url);
}

/**
 * Renders many credential links as PNGs on a pool of worker threads (a PNG costs ~10 ms of pure JS).
 * Results keep the order of `links`.
 * @throws Error when a link cannot be rendered (e.g. too long for the fixed version); the pool is stopped.
 */
export async function renderPngBatch(links: readonly string[], options: RenderBatchOptions = {}): Promise<Buffer[]> {
  const total = links.length;
  const results = new Array<Buffer>(total);
  if (total === 0) return results;
  const { onProgress, workers: requested, ...render } = options;
  const size = Math.max(1, Math.min(requested ?? Math.min(availableParallelism(), 8), total));
  const pool = Array.from(
    { length: size },
    () => new Worker(workerFile(), { workerData: { options: qrOptions(render) } }),
  );
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (worker: Worker): void => {
        if (next < total) {
          const index = next++;
          worker.postMessage({ index, segments: segments(links[index] ?? '') });
        }
      };
      for (const worker of pool) {
        worker.on('message', (reply: WorkerReply) => {
          if (reply.error !== undefined || reply.png === undefined) {
            reject(new Error(`QR rendering failed for link ${reply.index}: ${reply.error ?? 'no image'}`));
            return;
          }
          results[reply.index] = Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength);
          done++;
          onProgress?.(done, total);
          if (done === total) resolve();
          else feed(worker);
        });
        worker.on('error', reject);
        feed(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
