/**
 * Decodes QR codes off the main thread with jsQR, so camera frames never block the page.
 * Message in: `{ id, width, height, pixels (RGBA), invert }`; message out: `{ id, text | null }`.
 */
import jsQRModule from 'jsqr';

type JsQR = typeof jsQRModule.default;
// jsQR ships as CommonJS: bundlers hand over the function itself, type checkers see `{ default }`.
const jsQR: JsQR = typeof jsQRModule === 'function' ? jsQRModule : jsQRModule.default;

export interface DecodeRequest {
  readonly id: number;
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8ClampedArray;
  /** Also try light-on-dark codes: slower, so only for single images, not every camera frame. */
  readonly invert: boolean;
}

export interface DecodeResponse {
  readonly id: number;
  readonly text: string | null;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: DecodeResponse): void;
};

scope.onmessage = (event) => {
  const { id, width, height, pixels, invert } = event.data;
  let text: string | null = null;
  try {
    const code = jsQR(pixels, width, height, { inversionAttempts: invert ? 'attemptBoth' : 'dontInvert' });
    // Binary QR content is not a link; only text codes can carry a credential.
    text = code && code.data.length > 0 ? code.data : null;
  } catch {
    text = null;
  }
  scope.postMessage({ id, text });
};
