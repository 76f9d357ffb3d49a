/**
 * Opening a PDF someone gave us, for the readers (attachments, page pictures): refused in one line when
 * the bytes are no PDF or pdf-lib cannot read them. Browser-safe.
 */
import { PDFDocument } from 'pdf-lib';

import { CredledgerError } from '@credledger/verify';

/** Why a PDF gave no credential, in `CredledgerError.details.reason`. */
export type DocumentReadProblem = 'NOT_A_PDF' | 'PDF_UNREADABLE' | 'NO_CREDENTIAL' | 'CREDENTIAL_TOO_LARGE';

/** An INVALID_INPUT error whose `details.reason` says why the PDF gave no credential. */
export const refused = (reason: DocumentReadProblem, message: string, cause?: unknown): CredledgerError =>
  new CredledgerError('INVALID_INPUT', message, { details: { reason }, ...(cause === undefined ? {} : { cause }) });

const pdfMagic = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

/** True when the bytes begin like a PDF file. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  // A PDF may have up to 1024 bytes of junk before its header (ISO 32000-2 §7.5.2 allows readers to accept it).
  const head = bytes.subarray(0, 1024 + pdfMagic.length);
  for (let i = 0; i + pdfMagic.length <= head.length; i++)
    if (pdfMagic.every((byte, j) => head[i + j] === byte)) return true;
  return false;
}

/**
 * The PDF, parsed.
 * @throws CredledgerError INVALID_INPUT (`NOT_A_PDF`, `PDF_UNREADABLE`)
 */
export async function loadPdf(pdf: Uint8Array): Promise<PDFDocument> {
  if (!looksLikePdf(pdf)) throw refused('NOT_A_PDF', 'not a PDF file');
  try {
    return await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  } catch (error) {
    throw refused('PDF_UNREADABLE', `the PDF cannot be read: ${(error as Error).message}`, error);
  }
}
