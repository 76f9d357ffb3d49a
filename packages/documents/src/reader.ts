/**
 * `@credledger/documents/reader`: takes the signed credential back out of a PDF — the file attached to
 * a credledger document, found through the document catalogue's embedded-files name tree and its
 * associated files (`/AF`). Browser-safe (pdf-lib only, no `node:*`), so the verifier page can load it
 * when someone gives it a PDF. What it returns is unverified text: hand it to `verifyCredential`.
 *
 * @see ISO 32000-2 §7.11.4 (embedded file streams), §14.13 (associated files)
 *
 * @module @credledger/documents/reader
 */
import {
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
  decodePDFRawStream,
  type PDFObject,
} from 'pdf-lib';

import { MAX_INPUT_LENGTH } from '@credledger/verify';

import { attachmentName, credentialIdKey, credentialMediaType } from './attachment.js';
import { loadPdf as load, looksLikePdf, refused, type DocumentReadProblem } from './pdf-load.js';

export { attachmentName, credentialMediaType, looksLikePdf, type DocumentReadProblem };
export { findInPdfPictures, readPdfPictures, type PdfPicture, type PdfPictures } from './page-pictures.js';

/** A file attached to a PDF. */
export interface PdfAttachment {
  readonly name: string;
  readonly mimeType?: string;
  /** The associated file's relationship to the document (`Data`, `Source`, …). */
  readonly relationship?: string;
  readonly bytes: Uint8Array;
}

/** The credential a document carries. */
export interface DocumentCredential {
  /** The attached credential's text (a compact JWS), not yet verified. */
  readonly jwt: string;
  /** The credential id the document's metadata names, if it names one. */
  readonly credentialId?: string;
}

/** Name trees nest; real ones are shallow. A deeper one is not followed (a loop, or a hostile file). */
const maxTreeDepth = 16;

function text(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  if (value instanceof PDFName) return value.decodeText();
  return undefined;
}

function fileSpecs(doc: PDFDocument): PDFDict[] {
  const found: PDFDict[] = [];
  const seen = new Set<PDFDict>();
  const add = (value: PDFObject | undefined): void => {
    const spec = value === undefined ? undefined : doc.context.lookup(value);
    if (spec instanceof PDFDict && !seen.has(spec)) {
      seen.add(spec);
      found.push(spec);
    }
  };
  const walk = (node: PDFObject | undefined, depth: number): void => {
    const dict = node === undefined ? undefined : doc.context.lookup(node);
    if (!(dict instanceof PDFDict) || depth > maxTreeDepth) return;
    const names = dict.lookup(PDFName.of('Names'));
    if (names instanceof PDFArray) for (let i = 1; i < names.size(); i += 2) add(names.get(i));
    const kids = dict.lookup(PDFName.of('Kids'));
    if (kids instanceof PDFArray) for (let i = 0; i < kids.size(); i++) walk(kids.get(i), depth + 1);
  };
  const namesDict = doc.catalog.lookup(PDFName.of('Names'));
  if (namesDict instanceof PDFDict) walk(namesDict.get(PDFName.of('EmbeddedFiles')), 0);
  const associated = doc.catalog.lookup(PDFName.of('AF'));
  if (associated instanceof PDFArray) for (let i = 0; i < associated.size(); i++) add(associated.get(i));
  return found;
}

function attachmentOf(spec: PDFDict): PdfAttachment | undefined {
  const ef = spec.lookup(PDFName.of('EF'));
  if (!(ef instanceof PDFDict)) return undefined;
  const stream = ef.lookup(PDFName.of('UF')) ?? ef.lookup(PDFName.of('F'));
  if (!(stream instanceof PDFRawStream)) return undefined;
  const name = text(spec.lookup(PDFName.of('UF'))) ?? text(spec.lookup(PDFName.of('F'))) ?? '';
  const mimeType = text(stream.dict.lookup(PDFName.of('Subtype')));
  const relationship = text(spec.lookup(PDFName.of('AFRelationship')));
  return {
    name,
    ...(mimeType === undefined ? {} : { mimeType }),
    ...(relationship === undefined ? {} : { relationship }),
    bytes: decodePDFRawStream(stream).decode(),
  };
}

/**
 * Every file attached to a PDF (embedded files and associated files, each once).
 * @throws CredledgerError INVALID_INPUT when the bytes are no PDF or cannot be read
 */
export async function readPdfAttachments(pdf: Uint8Array): Promise<PdfAttachment[]> {
  const doc = await load(pdf);
  return fileSpecs(doc).flatMap((spec) => attachmentOf(spec) ?? []);
}

/**
 * The signed credential a credledger document carries: the attachment named `credential.jwt` or of
 * type `application/vc+jwt`, and the credential id the metadata names.
 * @throws CredledgerError INVALID_INPUT when the bytes are no PDF or carry no credential (`details.reason`)
 * @example
 * const { jwt } = await readDocumentCredential(new Uint8Array(await file.arrayBuffer()));
 * const result = await verifyCredential(jwt, { status });
 */
export async function readDocumentCredential(pdf: Uint8Array): Promise<DocumentCredential> {
  const doc = await load(pdf);
  const attachments = fileSpecs(doc).flatMap((spec) => attachmentOf(spec) ?? []);
  const credential =
    attachments.find((a) => a.name === attachmentName) ??
    attachments.find((a) => a.mimeType === credentialMediaType || a.name.endsWith('.jwt'));
  if (credential === undefined)
    throw refused(
      'NO_CREDENTIAL',
      attachments.length === 0
        ? 'this PDF carries no credential: it has no attached file'
        : `this PDF carries no credential: none of its ${attachments.length} attached files is a ${attachmentName}`,
    );
  if (credential.bytes.length > MAX_INPUT_LENGTH)
    throw refused('CREDENTIAL_TOO_LARGE', `the attached ${credential.name} is ${credential.bytes.length} bytes`);
  const info = doc.context.lookup(doc.context.trailerInfo.Info);
  const credentialId = info instanceof PDFDict ? text(info.lookup(PDFName.of(credentialIdKey))) : undefined;
  return {
    jwt: new TextDecoder().decode(credential.bytes).trim(),
    ...(credentialId === undefined ? {} : { credentialId }),
  };
}
