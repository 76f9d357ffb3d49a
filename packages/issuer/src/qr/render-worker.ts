/**
 * A worker thread of ./render-pool.ts: turns a credential JWT into its link (./codec.ts) and the link
 * into PNG bytes, so that both pure-JS steps run off the caller's thread. Replies transfer the bytes.
 */
import { parentPort, workerData } from 'node:worker_threads';

import type QRCode from 'qrcode';

import { encodeCredentialLink } from '@credledger/verify/formats';
import { pngOf } from './render.js';

export interface QrWorkerData {
  readonly options: QRCode.QRCodeRenderersOptions & QRCode.QRCodeOptions;
  /** The verifier page of credential links; set when the pool renders credentials. */
  readonly baseUrl?: string;
}

/** A credential to encode and render, or a link to render as it is. */
export type QrTask = { readonly seq: number; readonly jwt: string } | { readonly seq: number; readonly link: string };

export type QrReply =
  | { readonly seq: number; readonly png: Uint8Array }
  | { readonly seq: number; readonly error: { readonly code?: string; readonly message: string } };

const { options, baseUrl } = workerData as QrWorkerData;

async function run(task: QrTask): Promise<void> {
  try {
    const link = 'link' in task ? task.link : encodeCredentialLink(task.jwt, baseUrl ?? '');
    const png = await pngOf(link, options);
    // A copy: Buffers may sit in Node's shared pool, which cannot be transferred.
    const bytes = new Uint8Array(png);
    parentPort?.postMessage({ seq: task.seq, png: bytes } satisfies QrReply, [bytes.buffer]);
  } catch (error) {
    // Only code and message cross back; the pool rebuilds a CredledgerError from them.
    const code = (error as { code?: unknown }).code;
    parentPort?.postMessage({
      seq: task.seq,
      error: {
        ...(typeof code === 'string' ? { code } : {}),
        message: error instanceof Error ? error.message : String(error),
      },
    } satisfies QrReply);
  }
}

parentPort?.on('message', (task: QrTask) => void run(task));
