/**
 * `@credledger/documents`: the document people hold — a credential printed as a bilingual PDF (zh-TW
 * first, English), a lawyer licence as an A4 certificate or an ID-1 card, an economic e-certificate on
 * A4, with its QR code sized for print and the signed credential attached, so that the paper can be
 * checked with a camera and the file without one. `@credledger/documents/reader` takes the credential
 * back out of a PDF (browser-safe).
 *
 * @example
 * import { createDocumentRenderer } from '@credledger/documents';
 * const renderer = await createDocumentRenderer();
 * const { pdf } = await renderer.render(jwt, {
 *   verifierBaseUrl: 'https://verify.moj.gov.tw/',
 *   issuerName: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
 *   format: 'card',
 * });
 *
 * @module @credledger/documents
 */
export {
  createDocumentRenderer,
  renderCredentialDocument,
  type DocumentRenderer,
  type RenderDocumentOptions,
  type RenderedDocument,
} from './render.js';
export { createDocumentPool, type DocumentPool, type DocumentPoolOptions } from './pool.js';
export { documentFormats, cardFields, pageSizes, type DocumentFormat, type CardFields } from './layouts.js';
export { loadDocumentFonts, type DocumentFonts } from './fonts.js';
export type { Weight } from './sheet.js';
export { qrPlacement, printDpi, minModuleMm, type QrPlacement } from './qr.js';
export {
  readDocumentCredential,
  readPdfAttachments,
  readPdfPictures,
  findInPdfPictures,
  looksLikePdf,
  attachmentName,
  credentialMediaType,
  type DocumentCredential,
  type DocumentReadProblem,
  type PdfAttachment,
  type PdfPicture,
  type PdfPictures,
} from './reader.js';
