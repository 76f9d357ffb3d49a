/** Worker thread of `renderPngBatch`: renders one PNG per message and transfers the bytes back. */
import { parentPort, workerData } from 'node:worker_threads';

import QRCode from 'qrcode';

const { options } = workerData as { options: QRCode.QRCodeToBufferOptions };

async function render(task: { index: number; segments: QRCode.QRCodeSegment[] }): Promise<void> {
  try {
    const png = await QRCode.toBuffer(task.segments, { ...options, type: 'png' });
    // A copy: Buffers may sit in Node's shared pool, which cannot be transferred.
    const bytes = new Uint8Array(png);
    parentPort?.postMessage({ index: task.index, png: bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort?.postMessage({ index: task.index, error: String(error) });
  }
}

parentPort?.on('message', (task: { index: number; segments: QRCode.QRCodeSegment[] }) => void render(task));
