/**
 * Decodes QR codes off the main thread with ZXing-C++ (zxing-wasm's reader), so camera frames never
 * block the page. Its WebAssembly (zxing-wasm's `zxing_reader.wasm`, copied by the build as
 * `qr-worker.wasm`) is served beside this worker and loaded on the first decode; the decoder was chosen
 * by bench `web.qrScanRate` (decision 0033).
 * Message in: `{ id, width, height, pixels (RGBA), invert }`; message out: `{ id, text | null }`.
 */
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';

export interface DecodeRequest {
  readonly id: number;
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8ClampedArray<ArrayBuffer>;
  /** Also try light-on-dark codes: slower, so only for single images, not every camera frame. */
  readonly invert: boolean;
}

export interface DecodeResponse {
  readonly id: number;
  readonly text: string | null;
}

const scope = self as unknown as {
  readonly location: { readonly href: string };
  onmessage: ((event: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: DecodeResponse): void;
};

// The reader fetches its WebAssembly from a CDN unless told otherwise: from beside this worker only
// (CSP, offline).
prepareZXingModule({
  overrides: {
    locateFile: (path: string, prefix: string) =>
      path.endsWith('.wasm') ? new URL('qr-worker.wasm', scope.location.href).href : prefix + path,
  },
});

/** QR codes only, one per image; ZXing's own defaults otherwise (try harder, rotated, downscaled). */
const options = (invert: boolean): ReaderOptions => ({
  formats: ['QRCode'],
  maxNumberOfSymbols: 1,
  tryInvert: invert,
});

/** The text of the QR code in the pixels, or null (none read, or not text). */
async function decode({ width, height, pixels, invert }: DecodeRequest): Promise<string | null> {
  try {
    const results = await readBarcodes(new ImageData(pixels, width, height), options(invert));
    const code = results.find((result) => result.isValid);
    // Binary QR content is not a link; only text codes can carry a credential.
    return code && code.text.length > 0 ? code.text : null;
  } catch {
    return null;
  }
}

scope.onmessage = (event) => {
  void decode(event.data).then((text) => {
    scope.postMessage({ id: event.data.id, text });
  });
};
