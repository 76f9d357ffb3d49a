/**
 * A worker thread of ./pool.ts: one document renderer (the typeface parsed once, templates kept), fed
 * credentials by the pool; replies transfer the PDF bytes.
 */
import { workerData } from 'node:worker_threads';

import type { Label } from '@credledger/verify';
import { serveTasks } from '@credledger/workers';

import type { DocumentFormat } from './layouts.js';
import { createDocumentRenderer } from './render.js';

export interface DocumentWorkerData {
  readonly verifierBaseUrl: string;
}

export interface DocumentTask {
  readonly jwt: string;
  readonly format: DocumentFormat;
  readonly issuerName?: Label;
}

const { verifierBaseUrl } = workerData as DocumentWorkerData;
const renderer = createDocumentRenderer();

serveTasks(
  async (task: DocumentTask) => {
    const { pdf } = await (
      await renderer
    ).render(task.jwt, {
      verifierBaseUrl,
      format: task.format,
      ...(task.issuerName === undefined ? {} : { issuerName: task.issuerName }),
    });
    return pdf;
  },
  { transfer: (pdf) => [pdf.buffer as ArrayBuffer] },
);
