/**
 * A worker thread of ./pool.ts: one document renderer (the typeface parsed once, templates kept), fed
 * credentials by the pool; replies transfer the PDF bytes.
 */
import { parentPort, workerData } from 'node:worker_threads';

import type { Label } from '@credledger/verify';

import type { DocumentFormat } from './layouts.js';
import { createDocumentRenderer } from './render.js';

export interface DocumentWorkerData {
  readonly verifierBaseUrl: string;
}

export interface DocumentTask {
  readonly seq: number;
  readonly jwt: string;
  readonly format: DocumentFormat;
  readonly issuerName?: Label;
}

export type DocumentReply =
  | { readonly seq: number; readonly pdf: Uint8Array }
  | { readonly seq: number; readonly error: { readonly code?: string; readonly message: string } };

const { verifierBaseUrl } = workerData as DocumentWorkerData;
const renderer = createDocumentRenderer();

async function run(task: DocumentTask): Promise<void> {
  try {
    const { pdf } = await (
      await renderer
    ).render(task.jwt, {
      verifierBaseUrl,
      format: task.format,
      ...(task.issuerName === undefined ? {} : { issuerName: task.issuerName }),
    });
    parentPort?.postMessage({ seq: task.seq, pdf } satisfies DocumentReply, [pdf.buffer as ArrayBuffer]);
  } catch (error) {
    // Only code and message cross back; the pool rebuilds a CredledgerError from them.
    const code = (error as { code?: unknown }).code;
    parentPort?.postMessage({
      seq: task.seq,
      error: {
        ...(typeof code === 'string' ? { code } : {}),
        message: error instanceof Error ? error.message : String(error),
      },
    } satisfies DocumentReply);
  }
}

parentPort?.on('message', (task: DocumentTask) => void run(task));
