/**
 * Camera and image → QR text. BarcodeDetector where the browser has it (most phones), otherwise jsQR in
 * a same-origin worker (qr-worker.js), so the main bundle stays small and frames never block the page.
 */
import type { DecodeRequest, DecodeResponse } from './qr-worker.js';

export type ScanProblem =
  'CAMERA_DENIED' | 'CAMERA_UNAVAILABLE' | 'QR_UNREADABLE' | 'IMAGE_UNREADABLE' | 'PDF_WITHOUT_CREDENTIAL';

export class ScanError extends Error {
  constructor(
    readonly problem: ScanProblem,
    options?: { cause?: unknown },
  ) {
    super(problem, options);
  }
}

interface DetectedBarcode {
  readonly rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource | ImageBitmap): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorConstructor {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

/** Frames are scaled down to this width: enough for a phone-held QR, ~50 ms per jsQR pass. */
const FRAME_WIDTH = 640;
/** Single images are tried at these longest sides, small first (fast, and denoises large photos). */
const IMAGE_SIDES = [1024, 2048] as const;

function draw(source: CanvasImageSource, width: number, height: number, longest: number): ImageData {
  const scale = Math.min(1, longest / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new ScanError('IMAGE_UNREADABLE');
  context.drawImage(source, 0, 0, w, h);
  return context.getImageData(0, 0, w, h);
}

/** A running camera scan; `stop()` releases the camera. */
export interface CameraScan {
  /** Resolves with the first QR text seen; rejects with ScanError or when stopped (AbortError). */
  readonly result: Promise<string>;
  stop(): void;
}

/**
 * The page's QR reader: the browser's BarcodeDetector when it reads QR codes, else jsQR in a worker
 * (`qr-worker.js`) started on first use. The page makes one (main.ts) and it lasts as long as the page.
 */
export class QrReader {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, (text: string | null) => void>();
  /** The native detector once asked for: null when the browser has none for QR codes. */
  #native: Promise<BarcodeDetectorLike | null> | undefined;

  #decoderWorker(): Worker {
    if (!this.#worker) {
      const worker = new Worker(new URL('qr-worker.js', document.baseURI));
      worker.onmessage = (event: MessageEvent<DecodeResponse>) => {
        const resolve = this.#pending.get(event.data.id);
        this.#pending.delete(event.data.id);
        resolve?.(event.data.text);
      };
      this.#worker = worker;
    }
    return this.#worker;
  }

  /** Decodes one RGBA image in the worker. */
  decodePixels(image: ImageData, invert: boolean): Promise<string | null> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      const request: DecodeRequest = { id, width: image.width, height: image.height, pixels: image.data, invert };
      this.#decoderWorker().postMessage(request, [image.data.buffer]);
    });
  }

  #nativeDetector(): Promise<BarcodeDetectorLike | null> {
    this.#native ??= (async () => {
      const ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
      if (!ctor) return null;
      try {
        return (await ctor.getSupportedFormats()).includes('qr_code') ? new ctor({ formats: ['qr_code'] }) : null;
      } catch {
        return null;
      }
    })();
    return this.#native;
  }

  /**
   * Reads the QR code in an uploaded photo or screenshot, or in pixels taken from a PDF (a JPEG page
   * image as a Blob; decoded pixels as ImageData). Fails: ScanError IMAGE_UNREADABLE, QR_UNREADABLE.
   */
  async decodeImageFile(file: Blob | ImageData): Promise<string> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (cause) {
      throw new ScanError('IMAGE_UNREADABLE', { cause });
    }
    try {
      const native = await this.#nativeDetector();
      if (native) {
        const found = await native.detect(bitmap).catch(() => []);
        if (found[0]?.rawValue) return found[0].rawValue;
      }
      const longestSide = Math.max(bitmap.width, bitmap.height);
      for (const side of IMAGE_SIDES) {
        const text = await this.decodePixels(draw(bitmap, bitmap.width, bitmap.height, side), true);
        if (text) return text;
        if (side >= longestSide) break;
      }
    } finally {
      bitmap.close();
    }
    throw new ScanError('QR_UNREADABLE');
  }

  /**
   * Starts the back camera in `video` and scans frames until a QR code is read.
   * Fails: ScanError CAMERA_DENIED, CAMERA_UNAVAILABLE.
   */
  async startCameraScan(video: HTMLVideoElement): Promise<CameraScan> {
    // Absent outside secure contexts, whatever the DOM typings say.
    const devices = (navigator as { mediaDevices?: MediaDevices }).mediaDevices;
    if (!devices) throw new ScanError('CAMERA_UNAVAILABLE');
    let stream: MediaStream;
    try {
      // `facingMode` without `exact`: an exact constraint fails on laptops and on test cameras.
      stream = await devices.getUserMedia({
        video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (cause) {
      const name = cause instanceof DOMException ? cause.name : '';
      throw new ScanError(
        name === 'NotAllowedError' || name === 'SecurityError' ? 'CAMERA_DENIED' : 'CAMERA_UNAVAILABLE',
        { cause },
      );
    }
    video.srcObject = stream;
    await video.play().catch(() => undefined);

    let stopped = false;
    // Read through a function: `stop()` may flip the flag while the loop awaits a frame.
    const isStopped = (): boolean => stopped;
    let rejectResult: (reason: unknown) => void = () => undefined;
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
      rejectResult(new DOMException('scan stopped', 'AbortError'));
    };

    const result = new Promise<string>((resolve, reject) => {
      rejectResult = reject;
      const loop = async (): Promise<void> => {
        while (!stopped) {
          if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
            const text = await this.#readFrame(video);
            if (text && !isStopped()) {
              stopped = true;
              for (const track of stream.getTracks()) track.stop();
              video.srcObject = null;
              resolve(text);
              return;
            }
          }
          await new Promise((r) => setTimeout(r, 60));
        }
      };
      loop().catch((error: unknown) => {
        stop();
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
    return { result, stop };
  }

  async #readFrame(video: HTMLVideoElement): Promise<string | null> {
    const native = await this.#nativeDetector();
    if (native) {
      const found = await native.detect(video).catch(() => []);
      return found[0]?.rawValue ?? null;
    }
    return this.decodePixels(draw(video, video.videoWidth, video.videoHeight, FRAME_WIDTH), false);
  }
}
