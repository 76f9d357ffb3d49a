/**
 * Renders a credential as a PDF document with pdf-lib: the template's page(s), the credential's values,
 * its QR code, and the signed credential itself as an associated file (the way PDF/A-3 e-invoices carry
 * their XML), so the document can be verified without a camera.
 *
 * What is the same on every document of a template (labels, titles, the agency's name, rules) is drawn
 * once into a small template PDF that the renderer keeps; each document loads that template and adds
 * only its own values, with a font subset of just their glyphs. That keeps a batch of ten thousand
 * licences to minutes (bench `cli.pdfBatch10k`).
 */
import fontkit from '@pdf-lib/fontkit';
import {
  AFRelationship,
  PDFDocument,
  PDFName,
  PDFString,
  fill,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setCharacterSpacing,
  setFillingRgbColor,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';

import {
  CredledgerError,
  credentialTypes,
  decodeCredential,
  type CredentialTypeDefinition,
  type Label,
} from '@credledger/verify';
import { encodeCredentialLink } from '@credledger/verify/formats';

import { attachmentName, credentialIdKey, credentialMediaType } from './attachment.js';
import { loadDocumentFonts, type DocumentFonts } from './fonts.js';
import {
  a4Sheet,
  cardFields,
  cardSheet,
  documentFormats,
  titles,
  type DocumentFormat,
  type DocumentView,
} from './layouts.js';
import { credentialQrSymbol, qrRectangles } from './qr.js';
import { createFontSubsetter } from './subset.js';
import type { Measure, Sheet, SheetItem, TextItem, Weight } from './sheet.js';

export interface RenderDocumentOptions {
  /** The verifier page the QR code opens, e.g. `https://verify.moj.gov.tw/` (the workspace's verifierBaseUrl). */
  readonly verifierBaseUrl: string;
  /** `a4` (default) or `card` (ID-1, front and back; lawyer licences). */
  readonly format?: DocumentFormat;
  /** The issuing agency's name as registered (法務部 / Ministry of Justice); default: its DID. */
  readonly issuerName?: Label;
}

export interface RenderedDocument {
  readonly pdf: Uint8Array;
  /** The credential's id (`urn:uuid:…`). */
  readonly id: string;
  readonly type: string;
  readonly format: DocumentFormat;
  /** The QR code's version and printed module size. */
  readonly qrVersion: number;
  readonly qrModuleMm: number;
}

/** Renders documents, keeping the typeface and the templates it made for the next document. */
export interface DocumentRenderer {
  /**
   * Renders one credential (a compact `vc+jwt`, not verified here: it is printed as it is).
   * @throws CredledgerError CREDENTIAL_MALFORMED (not a credential), UNKNOWN_CREDENTIAL_TYPE,
   * INVALID_INPUT (a format the type has no template for, a character the typeface cannot print, a QR
   * code too large for the format), CONFIG_INVALID (a bad verifier URL)
   */
  render(jwt: string, options: RenderDocumentOptions): Promise<RenderedDocument>;
}

/** Templates kept per renderer; a batch uses one or a few. */
const maxTemplates = 32;

/** Subset tags (six capitals, ISO 32000-1 §9.6.4): one per weight for the template's text, one for the values'. */
const subsetNames: Readonly<Record<'fixed' | 'value', Readonly<Record<Weight, string>>>> = {
  fixed: { regular: 'CLFIXR+NotoSerifTC-Regular', bold: 'CLFIXB+NotoSerifTC-Bold' },
  value: { regular: 'CLVALR+NotoSerifTC-Regular', bold: 'CLVALB+NotoSerifTC-Bold' },
};

type FontkitFont = ReturnType<typeof fontkit.create>;

/**
 * Starts a renderer: reads and parses the typeface once (~0.3 s), then renders documents.
 * @example
 * const renderer = await createDocumentRenderer();
 * const { pdf } = await renderer.render(jwt, { verifierBaseUrl: 'https://verify.moj.gov.tw/', issuerName });
 */
export async function createDocumentRenderer(
  options: { readonly fonts?: DocumentFonts } = {},
): Promise<DocumentRenderer> {
  const bytes = options.fonts ?? (await loadDocumentFonts());
  const parsed: Record<Weight, FontkitFont> = {
    regular: fontkit.create(bytes.regular),
    bold: fontkit.create(bytes.bold),
  };
  const subsetter = await createFontSubsetter([bytes.regular, bytes.bold]);
  const fontIndex: Readonly<Record<Weight, number>> = { regular: 0, bold: 1 };
  const advances: Record<Weight, Map<number, number>> = { regular: new Map(), bold: new Map() };
  const measure: Measure = (text, size, weight) => {
    const font = parsed[weight];
    const cache = advances[weight];
    let units = 0;
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0;
      let advance = cache.get(codePoint);
      if (advance === undefined) {
        advance = font.glyphForCodePoint(codePoint).advanceWidth;
        cache.set(codePoint, advance);
      }
      units += advance;
    }
    return (units * size) / font.unitsPerEm;
  };
  const printable = (item: TextItem): void => {
    for (const char of item.text) {
      const codePoint = char.codePointAt(0) ?? 0;
      if (codePoint > 0x20 && !parsed[item.weight].hasGlyphForCodePoint(codePoint))
        throw new CredledgerError(
          'INVALID_INPUT',
          `cannot print “${char}” (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}): the document typeface has no glyph for it`,
          { details: { codePoint } },
        );
    }
  };

  /** Embeds, per weight, a font of just the characters `items` print in it. */
  const embed = async (doc: PDFDocument, items: readonly SheetItem[], role: 'fixed' | 'value') => {
    doc.registerFontkit(fontkit);
    const texts = new Map<Weight, string>();
    for (const item of items)
      if (item.kind === 'text') texts.set(item.weight, (texts.get(item.weight) ?? '') + item.text);
    const fonts: Partial<Record<Weight, PDFFont>> = {};
    for (const [weight, text] of texts)
      fonts[weight] = await doc.embedFont(subsetter.subset(fontIndex[weight], text), {
        subset: false,
        customName: subsetNames[role][weight],
      });
    return fonts;
  };

  const templates = new Map<string, Promise<Uint8Array>>();
  const template = (sheet: Sheet, fixed: readonly SheetItem[]): Promise<Uint8Array> => {
    const key = JSON.stringify([sheet.width, sheet.height, sheet.pages, fixed]);
    let made = templates.get(key);
    if (made === undefined) {
      if (templates.size >= maxTemplates) templates.delete(templates.keys().next().value ?? '');
      made = (async () => {
        const doc = await PDFDocument.create({ updateMetadata: false });
        const fonts = await embed(doc, fixed, 'fixed');
        for (let i = 0; i < sheet.pages; i++) doc.addPage([sheet.width, sheet.height]);
        drawItems(doc.getPages(), fixed, fonts);
        return doc.save();
      })();
      // A template that failed is not kept: the next document tries again.
      made.catch(() => templates.delete(key));
      templates.set(key, made);
    }
    return made;
  };

  return {
    async render(jwt, renderOptions) {
      const format = renderOptions.format ?? 'a4';
      if (!documentFormats.includes(format))
        throw new CredledgerError('INVALID_INPUT', `unknown document format ${JSON.stringify(format)}: use a4 or card`);
      const decoded = await decodeCredential(jwt);
      if (!decoded.ok)
        throw new CredledgerError('CREDENTIAL_MALFORMED', `not a credential: ${decoded.detail}`, {
          details: { reason: decoded.reason },
        });
      const credential = decoded.credential;
      const type: CredentialTypeDefinition | undefined = credentialTypes[credential.type];
      if (type === undefined)
        throw new CredledgerError('UNKNOWN_CREDENTIAL_TYPE', `no document template for ${credential.type}`);
      const card = cardFields[type.name];
      if (format === 'card' && card === undefined)
        throw new CredledgerError('INVALID_INPUT', `${type.title.en} documents print on A4 only, not as a card`);
      const link = encodeCredentialLink(jwt, renderOptions.verifierBaseUrl);
      const view: DocumentView = {
        id: credential.id,
        type,
        subject: credential.subject,
        issuerDid: credential.issuer,
        issuerName: renderOptions.issuerName,
        validFrom: credential.validFrom,
        validUntil: credential.validUntil,
        verifierBaseUrl: renderOptions.verifierBaseUrl,
        symbol: credentialQrSymbol(link),
      };
      const sheet = format === 'card' && card !== undefined ? cardSheet(view, measure, card) : a4Sheet(view, measure);
      for (const item of sheet.items) if (item.kind === 'text') printable(item);
      const fixed = sheet.items.filter((item) => item.fixed);
      const own = sheet.items.filter((item) => !item.fixed);

      const doc = await PDFDocument.load(await template(sheet, fixed), { updateMetadata: false });
      const fonts = await embed(doc, own, 'value');
      drawItems(doc.getPages(), own, fonts);

      // The document's date is the credential's issuance: the same credential gives the same bytes.
      const issued = new Date(credential.issuedAtMs ?? credential.validFromMs);
      await doc.attach(new TextEncoder().encode(jwt), attachmentName, {
        mimeType: credentialMediaType,
        description: `Signed credential ${credential.id} (vc+jwt)`,
        creationDate: issued,
        modificationDate: issued,
        afRelationship: AFRelationship.Data,
      });
      const title = titles(view);
      doc.setTitle(`${title.zh} ${title.en} ${credential.id}`);
      doc.setSubject(credential.id);
      doc.setKeywords([credential.id, type.name]);
      doc.setAuthor(renderOptions.issuerName?.['zh-TW'] ?? credential.issuer);
      doc.setCreator('credledger');
      doc.setProducer('credledger');
      doc.setCreationDate(issued);
      doc.setModificationDate(issued);
      const info = doc.context.lookup(doc.context.trailerInfo.Info);
      if (info !== undefined && 'set' in info)
        (info as { set(key: PDFName, value: PDFString): void }).set(
          PDFName.of(credentialIdKey),
          PDFString.of(credential.id),
        );
      const qr = own.find((item) => item.kind === 'qr');
      return {
        pdf: await doc.save(),
        id: credential.id,
        type: type.name,
        format,
        qrVersion: view.symbol.version,
        qrModuleMm: ((qr?.modulePt ?? 0) * 25.4) / 72,
      };
    },
  };
}

/**
 * Renders one credential with a renderer made for the call; for many, keep a renderer
 * ({@link createDocumentRenderer}) or use a pool of them on worker threads (`createDocumentPool`).
 * @example
 * const { pdf } = await renderCredentialDocument(jwt, { verifierBaseUrl: 'https://verify.moj.gov.tw/', format: 'card' });
 */
export async function renderCredentialDocument(jwt: string, options: RenderDocumentOptions): Promise<RenderedDocument> {
  return (await createDocumentRenderer()).render(jwt, options);
}

function drawItems(
  pages: readonly PDFPage[],
  items: readonly SheetItem[],
  fonts: Partial<Record<Weight, PDFFont>>,
): void {
  for (const item of items) {
    const page = pages[item.page];
    if (page === undefined) continue;
    switch (item.kind) {
      case 'text': {
        const font = fonts[item.weight];
        if (font === undefined) break;
        if (item.spacing !== 0) page.pushOperators(setCharacterSpacing(item.spacing));
        page.drawText(item.text, { x: item.x, y: item.y, size: item.size, font, color: rgb(...item.color) });
        if (item.spacing !== 0) page.pushOperators(setCharacterSpacing(0));
        break;
      }
      case 'box':
        page.drawRectangle({
          x: item.x,
          y: item.y,
          width: item.width,
          height: item.height,
          ...(item.fill ? { color: rgb(...item.fill) } : {}),
          ...(item.stroke ? { borderColor: rgb(...item.stroke), borderWidth: item.lineWidth ?? 1 } : {}),
        });
        break;
      case 'rule':
        page.drawLine({
          start: { x: item.from[0], y: item.from[1] },
          end: { x: item.to[0], y: item.to[1] },
          thickness: item.lineWidth,
          color: rgb(...item.color),
        });
        break;
      case 'qr': {
        const side = (item.symbol.size + 8) * item.modulePt;
        page.pushOperators(
          pushGraphicsState(),
          // The quiet zone is white whatever lies under it.
          setFillingRgbColor(1, 1, 1),
          rectangle(item.x, item.y, side, side),
          fill(),
          setFillingRgbColor(0, 0, 0),
          ...qrRectangles(item.symbol, item.x, item.y, item.modulePt).map(([x, y, w, h]) => rectangle(x, y, w, h)),
          fill(),
          popGraphicsState(),
        );
        break;
      }
    }
  }
}
