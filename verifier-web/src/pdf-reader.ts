/**
 * The PDF reader, a file of its own (pdf-reader.js) that the page loads only when someone gives it a
 * PDF: pdf-lib is larger than the rest of the page, and a first visit never needs it.
 */
export { readDocumentCredential } from '@credledger/documents/reader';
