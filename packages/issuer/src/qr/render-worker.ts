/**
 * A worker thread of ./render-pool.ts: turns a credential JWT into its link (./codec.ts) and the link
 * into PNG bytes, so that both pure-JS steps run off the caller's thread. Replies transfer the bytes.
 */
import { workerData } from 'node:worker_threads';

import type QRCode from 'qrcode';

import { encodeCredentialLink } from '@credledger/verify/formats';
import { serveTasks } from '@credledger/workers';
import { pngOf } from './render.js';

export interface QrWorkerData {
  readonly options: QRCode.QRCodeRenderersOptions & QRCode.QRCodeOptions;
  /** The verifier page of credential links; set when the pool renders credentials. */
  readonly baseUrl?: string;
}

/** A credential to encode and render, or a link to render as it is. */
export type QrTask = { readonly jwt: string } | { readonly link: string };

const { options, baseUrl } = workerData as QrWorkerData;

serveTasks(
  async (task: QrTask) => {
    const link = 'link' in task ? task.link : encodeCredentialLink(task.jwt, baseUrl ?? '');
    // A copy: Buffers may sit in Node's shared pool, which cannot be transferred.
    return new Uint8Array(await pngOf(link, options));
  },
  { transfer: (png) => [png.buffer] },
);
