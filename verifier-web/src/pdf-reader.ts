/**
 * The PDF reader, a file of its own (pdf-reader.js) that the page loads only when someone gives it a
 * PDF: pdf-lib is larger than the rest of the page, and a first visit never needs it. A PDF without
 * an attachment gives its pictures (the QR code drawn as vectors, rasterised; page images), which the
 * page's QR reader decodes.
 */
export { findInPdfPictures, readDocumentCredential } from '@credledger/documents/reader';
