/**
 * The renderer and the reader together: a document carries its credential as an associated file and
 * names its id; documents of one template share the template's bytes but not their values; what the
 * typeface cannot print, and formats a type has no template for, are refused with a code.
 */
import { describe, expect, it } from '@jest/globals';

import { createDocumentRenderer, readDocumentCredential, readPdfAttachments } from '../src/index.js';
import { companySubject, lawyerSubject, moj, signedCredential } from './credentials.js';

const verifierBaseUrl = 'https://verify.moj.gov.tw/';
const renderer = createDocumentRenderer();

describe('a rendered document', () => {
  it('carries the signed credential as an associated file, names its id, and stays small', async () => {
    const jwt = await signedCredential('LawyerLicenceCredential', lawyerSubject);
    const document = await (await renderer).render(jwt, { verifierBaseUrl, issuerName: moj });
    expect(new TextDecoder().decode(document.pdf.subarray(0, 5))).toBe('%PDF-');
    expect(document.pdf.length).toBeLessThan(200 * 1024);
    expect(document.format).toBe('a4');
    expect(document.qrModuleMm).toBeGreaterThanOrEqual(0.5);

    const attachments = await readPdfAttachments(document.pdf);
    expect(attachments).toHaveLength(1);
    expect(attachments[0]).toMatchObject({
      name: 'credential.jwt',
      mimeType: 'application/vc+jwt',
      relationship: 'Data',
    });
    const read = await readDocumentCredential(document.pdf);
    expect(read).toEqual({ jwt, credentialId: document.id });
    expect(document.id).toMatch(/^urn:uuid:/);
    const { PDFDocument } = await import('pdf-lib');
    const info = await PDFDocument.load(document.pdf, { updateMetadata: false });
    expect(info.getTitle()).toBe(`律師證書 Lawyer Licence ${document.id}`);
    expect(info.getSubject()).toBe(document.id);
    expect(info.getAuthor()).toBe('法務部');
  });

  it('is the same bytes for the same credential, and a card has a front and a back', async () => {
    const jwt = await signedCredential('LawyerLicenceCredential', lawyerSubject);
    const first = await (await renderer).render(jwt, { verifierBaseUrl, issuerName: moj, format: 'card' });
    const again = await (await renderer).render(jwt, { verifierBaseUrl, issuerName: moj, format: 'card' });
    expect(Buffer.from(again.pdf).equals(Buffer.from(first.pdf))).toBe(true);
    const { PDFDocument } = await import('pdf-lib');
    const pages = (await PDFDocument.load(first.pdf)).getPages();
    expect(pages.map((page) => page.getSize())).toEqual([
      { width: 242.65, height: 153.01 },
      { width: 242.65, height: 153.01 },
    ]);
  });

  it('renders a company certificate on A4 and refuses it as a card', async () => {
    const jwt = await signedCredential('EconomicCertificateCredential', companySubject, 'did:web:moea.gov.tw');
    const document = await (await renderer).render(jwt, { verifierBaseUrl });
    expect((await readDocumentCredential(document.pdf)).jwt).toBe(jwt);
    await expect((await renderer).render(jwt, { verifierBaseUrl, format: 'card' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('refuses what is no credential, and a character the typeface has no glyph for', async () => {
    await expect((await renderer).render('not a credential', { verifierBaseUrl })).rejects.toMatchObject({
      code: 'CREDENTIAL_MALFORMED',
    });
    // U+1F600 (an emoji) is in no Chinese typeface.
    const jwt = await signedCredential('LawyerLicenceCredential', { ...lawyerSubject, lawFirm: '明德\u{1F600}事務所' });
    await expect((await renderer).render(jwt, { verifierBaseUrl })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('reading a PDF', () => {
  it('says a PDF without a credential carries none, and refuses what is no PDF', async () => {
    const { PDFDocument } = await import('pdf-lib');
    const plain = await PDFDocument.create();
    plain.addPage();
    await expect(readDocumentCredential(await plain.save())).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('no attached file') as unknown as string,
    });
    await expect(readDocumentCredential(new TextEncoder().encode('hello'))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
