/**
 * A credledger document as a mail gateway or a PDF tool leaves it after removing its attachment: the
 * catalogue's embedded-files name tree (`/Names /EmbeddedFiles`) and associated files (`/AF`) gone, and
 * the file specifications and embedded streams they named deleted from the file. Done with pdf-lib,
 * the library that wrote it.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';

export async function withoutAttachments(pdf: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const refs = new Set<PDFRef>();
  const collect = (value: unknown): void => {
    if (value instanceof PDFRef) {
      if (refs.has(value)) return;
      refs.add(value);
      collect(doc.context.lookup(value));
    } else if (value instanceof PDFDict) for (const [, v] of value.entries()) collect(v);
    else if (value instanceof PDFArray) for (const v of value.asArray()) collect(v);
    else if (value !== null && typeof value === 'object' && 'dict' in value) collect((value as { dict: PDFDict }).dict);
  };
  const names = doc.catalog.lookup(PDFName.of('Names'));
  if (names instanceof PDFDict) {
    collect(names.get(PDFName.of('EmbeddedFiles')));
    names.delete(PDFName.of('EmbeddedFiles'));
  }
  collect(doc.catalog.get(PDFName.of('AF')));
  doc.catalog.delete(PDFName.of('AF'));
  for (const ref of refs) doc.context.delete(ref);
  return doc.save();
}
