/**
 * Camera and image → QR text. BarcodeDetector where the browser has it (most Android phones), otherwise
 * ZXing-C++ (WebAssembly) in a same-origin worker (qr-worker.js), so the main bundle stays small and
 * frames never block the page.
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

/** Frames are scaled down to this width: enough for a phone-held QR, and a quick pass in the worker. */
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

/** What the page reads QR codes with: `createQrReader`. */
export interface QrReader {
  /**
   * Reads the QR code in an uploaded photo or screenshot, or in pixels taken from a PDF (a JPEG page
   * image as a Blob; decoded pixels as ImageData). Fails: ScanError IMAGE_UNREADABLE, QR_UNREADABLE.
   */
  readonly decodeImageFile: (file: Blob | ImageData) => Promise<string>;
  /**
   * Starts the back camera in `video` and scans frames until a QR code is read.
   * Fails: ScanError CAMERA_DENIED, CAMERA_UNAVAILABLE.
   */
  readonly startCameraScan: (video: HTMLVideoElement) => Promise<CameraScan>;
}

/**
 * The page's QR reader: the browser's BarcodeDetector when it reads QR codes, else ZXing-C++ in a worker
 * (`qr-worker.js`) started on first use. The page makes one (main.ts); the worker, the decodes waiting
 * on it and the detector live as long as the reader.
 */
export function createQrReader(): QrReader {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, (text: string | null) => void>();

  function decoderWorker(): Worker {
    if (!worker) {
      worker = new Worker(new URL('qr-worker.js', document.baseURI));
      worker.onmessage = (event: MessageEvent<DecodeResponse>) => {
        const resolve = pending.get(event.data.id);
        pending.delete(event.data.id);
        resolve?.(event.data.text);
      };
    }
    return worker;
  }

  /** Decodes one RGBA image in the worker. */
  function decodePixels(image: ImageData, invert: boolean): Promise<string | null> {
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      const request: DecodeRequest = { id, width: image.width, height: image.height, pixels: image.data, invert };
      decoderWorker().postMessage(request, [image.data.buffer]);
    });
  }

  let barcodeDetector: BarcodeDetectorLike | null | undefined;

  async function nativeDetector(): Promise<BarcodeDetectorLike | null> {
    if (barcodeDetector !== undefined) return barcodeDetector;
    const ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
    barcodeDetector = null;
    if (ctor) {
      try {
        if ((await ctor.getSupportedFormats()).includes('qr_code'))
          barcodeDetector = new ctor({ formats: ['qr_code'] });
      } catch {
        barcodeDetector = null;
      }
    }
    return barcodeDetector;
  }

  /**
   * Reads the QR code in an uploaded photo or screenshot, or in pixels taken from a PDF (a JPEG page
   * image as a Blob; decoded pixels as ImageData). Fails: ScanError IMAGE_UNREADABLE, QR_UNREADABLE.
   */
  async function decodeImageFile(file: Blob | ImageData): Promise<string> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (cause) {
      throw new ScanError('IMAGE_UNREADABLE', { cause });
    }
    try {
      const native = await nativeDetector();
      if (native) {
        const found = await native.detect(bitmap).catch(() => []);
        if (found[0]?.rawValue) return found[0].rawValue;
      }
      const longestSide = Math.max(bitmap.width, bitmap.height);
      for (const side of IMAGE_SIDES) {
        const text = await decodePixels(draw(bitmap, bitmap.width, bitmap.height, side), true);
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
  async function startCameraScan(video: HTMLVideoElement): Promise<CameraScan> {
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
            const text = await readFrame(video);
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

  async function readFrame(video: HTMLVideoElement): Promise<string | null> {
    const native = await nativeDetector();
    if (native) {
      const found = await native.detect(video).catch(() => []);
      return found[0]?.rawValue ?? null;
    }
    return decodePixels(draw(video, video.videoWidth, video.videoHeight, FRAME_WIDTH), false);
  }

  return { decodeImageFile, startCameraScan };
}
