/**
 * The printed templates: an A4 certificate for every credential type, laid out from the type's
 * definition (its title, its fields in order with their labels in both languages), and an ID-1 card
 * (85.6 × 54 mm, front and back) for types that name what goes on a card. Rows have fixed heights
 * from each field's definition, so every document of a type and kind has its labels in the same place
 * and values shrink to fit their box instead of moving the page around.
 */
import type { CredentialTypeDefinition, FieldDefinition, Label } from '@credledger/verify';

import { qrPlacement, onDotGrid, type QrSymbol } from './qr.js';
import { SheetBuilder, fitText, type Measure, type Rgb, type Sheet } from './sheet.js';
import { printedDate, printedValue, taipeiDate, titleCase, type PrintedValue } from './values.js';

/** What a template needs to know about one credential. */
export interface DocumentView {
  readonly id: string;
  readonly type: CredentialTypeDefinition;
  readonly subject: Readonly<Record<string, unknown>>;
  readonly issuerDid: string;
  /** The issuing agency's name; without it the document names the issuer by its DID. */
  readonly issuerName: Label | undefined;
  readonly validFrom: string;
  readonly validUntil: string | null;
  /** The verifier page the QR code opens. */
  readonly verifierBaseUrl: string;
  readonly symbol: QrSymbol;
}

export type DocumentFormat = 'a4' | 'card';
export const documentFormats: readonly DocumentFormat[] = ['a4', 'card'];

/** Page sizes in points: A4 (210 × 297 mm) and ID-1 (85.6 × 53.98 mm, ISO/IEC 7810). */
export const pageSizes: Readonly<Record<DocumentFormat, readonly [number, number]>> = {
  a4: [595.28, 841.89],
  card: [242.65, 153.01],
};

/** What a type shows on the front of a card (a headline field, its companion line, then labelled fields); the rest go on the back. */
export interface CardFields {
  readonly headline: string;
  readonly headlineSub?: string;
  readonly front: readonly string[];
}

/** Types that have a card format. */
export const cardFields: Readonly<Record<string, CardFields>> = {
  LawyerLicenceCredential: {
    headline: 'name',
    headlineSub: 'nameEn',
    front: ['licenceNumber', 'practiceStatus', 'admissionDate'],
  },
};

const accents: Readonly<Record<string, Rgb>> = {
  LawyerLicenceCredential: [0.09, 0.2, 0.38],
  EconomicCertificateCredential: [0.42, 0.12, 0.12],
};
const grey: Rgb = [0.38, 0.38, 0.42];
const hairline: Rgb = [0.78, 0.78, 0.8];
const white: Rgb = [1, 1, 1];

const accentOf = (view: DocumentView): Rgb => accents[view.type.name] ?? [0.1, 0.3, 0.3];

/** Whether a field belongs on this credential (its `when` condition holds). */
function applies(field: FieldDefinition, subject: Readonly<Record<string, unknown>>): boolean {
  return field.when === undefined || field.when.in.includes(String(subject[field.when.field]));
}

/** The agency's name in both languages; the DID stands in for a name the caller did not give. */
function agency(view: DocumentView): Label {
  return view.issuerName ?? { 'zh-TW': view.issuerDid, en: '' };
}

/** Title lines: the kind's noun where the type has one (公司登記證明書), else the type's title. */
export function titles(view: DocumentView): { zh: string; en: string; over?: Label } {
  const { type, subject } = view;
  if (type.nounField !== undefined) {
    const field = type.fields.find((f) => f.name === type.nounField);
    const value =
      field?.type === 'enum' ? field.values.find((v) => v.value === subject[type.nounField ?? '']) : undefined;
    if (value?.noun) return { zh: value.noun['zh-TW'], en: titleCase(value.noun.en), over: type.title };
  }
  return { zh: type.title['zh-TW'], en: type.title.en };
}

/** A field's value as printed, or a dash for an optional field the credential leaves out. */
function valueOf(view: DocumentView, field: FieldDefinition): PrintedValue {
  const value = view.subject[field.name];
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return { zh: '—' };
  return printedValue(field, value);
}

/** Lines a field's box holds on A4, from the longest value its definition allows. */
function linesFor(field: FieldDefinition): number {
  if (field.type === 'list') return 2;
  if (field.type !== 'string') return 1;
  // A pattern of ASCII only (a Latin name, a code) is about half an em per character.
  const em = field.pattern !== undefined && field.text === undefined && !/[^\x20-\x7e]/.test(field.pattern) ? 0.55 : 1;
  return Math.min(3, Math.max(1, Math.ceil((field.maxLength * em * 11) / 330)));
}

/** Whether a field's printed value has an English line (enum labels, dates). */
function hasEnglishLine(field: FieldDefinition): boolean {
  const spec = field.type === 'list' ? field.items : field;
  return spec.type === 'enum' || spec.type === 'date';
}

const validUntilValue = (view: DocumentView): PrintedValue =>
  view.validUntil === null ? { zh: '無期限', en: 'No expiry' } : printedDate(taipeiDate(view.validUntil));

const instruction = { zh: '掃描 QR Code 驗證真偽', en: 'Scan to verify' };

/** The A4 certificate: agency, title, a row per field, then validity, the QR code and how to verify. */
export function a4Sheet(view: DocumentView, measure: Measure): Sheet {
  const [width, height] = pageSizes.a4;
  const sheet = new SheetBuilder(width, height, measure);
  const accent = accentOf(view);
  const name = agency(view);
  const title = titles(view);
  const left = 72;
  const right = width - 72;
  const valueX = 205;
  const centre = width / 2;

  sheet.box(24, 24, width - 48, height - 48, { stroke: accent, lineWidth: 2.2 });
  sheet.box(30, 30, width - 60, height - 60, { stroke: accent, lineWidth: 0.6 });

  sheet.label(name['zh-TW'], centre, height - 80, { size: 15, weight: 'bold', align: 'center', spacing: 2 });
  sheet.label(name.en, centre, height - 96, { size: 9.5, color: grey, align: 'center' });
  let y = height - 140;
  if (title.over) {
    sheet.label(`${title.over['zh-TW']}  ${title.over.en}`, centre, y + 14, {
      size: 9,
      color: accent,
      align: 'center',
    });
    y -= 6;
  }
  sheet.label(title.zh, centre, y - 10, { size: 30, weight: 'bold', align: 'center', spacing: 8, color: accent });
  sheet.label(title.en.toUpperCase(), centre, y - 34, { size: 11.5, align: 'center', spacing: 2.4, color: accent });
  sheet.rule([centre - 70, y - 48], [centre + 70, y - 48], accent, 0.8);

  // The fields, a row each: the label in Chinese over its English, the value beside it.
  y -= 66;
  sheet.rule([left, y], [right, y], accent, 0.9);
  const valueWidth = right - valueX;
  const rows = view.type.fields
    .filter((field) => applies(field, view.subject))
    .map((field) => {
      const lines = linesFor(field);
      const english = hasEnglishLine(field);
      return { field, lines, height: Math.max(34, 15 + (lines - 1) * 14 + (english ? 12 : 0) + 9) };
    });
  // A type with few fields spreads them over the room above the validity block, up to 14 pt more a row.
  const room = y - 262 - rows.reduce((sum, row) => sum + row.height, 0);
  const extra = rows.length === 0 ? 0 : Math.max(0, Math.min(14, room / rows.length));
  for (const { field, lines, height: rowHeight } of rows) {
    const top = y - extra / 2;
    sheet.label(field.label['zh-TW'], left, top - 15, { size: 10.5, weight: 'bold' });
    sheet.label(field.label.en, left, top - 26.5, { size: 7.5, color: grey });
    const value = valueOf(view, field);
    const fitted = fitText(
      value.zh,
      { width: valueWidth, maxLines: lines },
      { size: 12, minSize: 7, weight: 'regular' },
      measure,
    );
    fitted.lines.forEach((line, i) => {
      sheet.value(line, valueX, top - 15 - i * 14, { size: fitted.size });
    });
    if (value.en !== undefined) {
      const en = fitText(
        value.en,
        { width: valueWidth, maxLines: 1 },
        { size: 8.5, minSize: 6, weight: 'regular' },
        measure,
      );
      sheet.value(en.lines[0] ?? '', valueX, top - 15 - (lines - 1) * 14 - 12, { size: en.size, color: grey });
    }
    y -= rowHeight + extra;
    sheet.rule([left, y], [right, y], hairline, 0.4);
  }

  // Validity, identity and issuer on the left of the QR code; how to verify under it.
  const slot = 146;
  const slotX = right - slot;
  const slotTop = 232;
  const placement = qrPlacement(view.symbol.version, slot);
  const qrX = onDotGrid(slotX + (slot - placement.sidePt) / 2);
  const qrY = onDotGrid(slotTop - placement.sidePt);
  sheet.qr(view.symbol, qrX, qrY, placement.modulePt);
  const captionY = slotTop - slot - 16;
  sheet.label(instruction.zh, slotX + slot / 2, captionY, {
    size: 10.5,
    weight: 'bold',
    align: 'center',
    color: accent,
  });
  sheet.label(instruction.en, slotX + slot / 2, captionY - 12, { size: 8.5, align: 'center', color: accent });

  const infoRight = slotX - 18;
  const infoValueX = left + 92;
  const infoWidth = infoRight - infoValueX;
  let infoY = slotTop - 6;
  const info = (label: Label, value: PrintedValue, fixed = false): void => {
    sheet.label(label['zh-TW'], left, infoY - 10, { size: 9.5, weight: 'bold' });
    sheet.label(label.en, left, infoY - 20.5, { size: 7, color: grey });
    const style = { size: 10, minSize: 6, weight: 'regular' } as const;
    const fitted = fitText(value.zh, { width: infoWidth, maxLines: 1 }, style, measure);
    const line = fitted.lines[0] ?? '';
    if (fixed) sheet.label(line, infoValueX, infoY - 10, { size: fitted.size });
    else sheet.value(line, infoValueX, infoY - 10, { size: fitted.size });
    if (value.en !== undefined) {
      const en = fitText(value.en, { width: infoWidth, maxLines: 1 }, { ...style, size: 7.5 }, measure);
      if (fixed) sheet.label(en.lines[0] ?? '', infoValueX, infoY - 20.5, { size: en.size, color: grey });
      else sheet.value(en.lines[0] ?? '', infoValueX, infoY - 20.5, { size: en.size, color: grey });
    }
    infoY -= 31;
  };
  info({ 'zh-TW': '生效日期', en: 'Valid from' }, printedDate(taipeiDate(view.validFrom)));
  info({ 'zh-TW': '有效期限', en: 'Valid until' }, validUntilValue(view));
  info({ 'zh-TW': '憑證編號', en: 'Credential ID' }, { zh: view.id });
  info(
    { 'zh-TW': '發證機關', en: 'Issued by' },
    { zh: name['zh-TW'], ...(name.en === '' ? {} : { en: name.en }) },
    true,
  );

  const note = [
    '本文件附有發證機關簽章之電子憑證（PDF 附件 credential.jwt）。掃描 QR Code 可查驗內容與即時狀態，請核對是否與本文件相符。',
    "The issuer's signed credential is attached to this PDF (credential.jwt). Scanning the QR code shows its fields and current status: compare them with this document.",
  ];
  let noteY = infoY - 8;
  for (const [i, text] of note.entries()) {
    const fitted = fitText(
      text,
      { width: infoRight - left, maxLines: 3 },
      { size: i === 0 ? 7.5 : 7, minSize: 6, weight: 'regular' },
      measure,
    );
    for (const line of fitted.lines) {
      sheet.label(line, left, noteY, { size: fitted.size, color: grey });
      noteY -= fitted.size + 3;
    }
    noteY -= 2;
  }

  sheet.label(`${view.verifierBaseUrl}  ·  ${view.issuerDid}`, centre, 40, { size: 6.5, color: grey, align: 'center' });
  return sheet.build();
}

/** The ID-1 card: name, number and status with the QR code on the front; the rest on the back. */
export function cardSheet(view: DocumentView, measure: Measure, fields: CardFields): Sheet {
  const [width, height] = pageSizes.card;
  const sheet = new SheetBuilder(width, height, measure);
  const accent = accentOf(view);
  const name = agency(view);
  const title = titles(view);
  const field = (fieldName: string): FieldDefinition | undefined =>
    view.type.fields.find((f) => f.name === fieldName && applies(f, view.subject));
  const labelPair = (label: Label, x: number, y: number): void => {
    sheet.label(label['zh-TW'], x, y, { size: 5.6, weight: 'bold', color: accent });
    sheet.label(label.en, x + sheet.textWidth(label['zh-TW'], { size: 5.6, weight: 'bold' }) + 3, y, {
      size: 4.8,
      color: grey,
    });
  };

  // Front.
  const band = 30;
  sheet.box(0, height - band, width, band, { fill: accent });
  sheet.label(title.zh, 10, height - 16, { size: 12.5, weight: 'bold', color: white, spacing: 2 });
  sheet.label(title.en.toUpperCase(), 10, height - 25, { size: 5.4, color: white, spacing: 0.9 });
  sheet.label(name['zh-TW'], width - 10, height - 15, { size: 8, weight: 'bold', color: white, align: 'right' });
  sheet.label(name.en, width - 10, height - 24, { size: 5.2, color: white, align: 'right' });

  // As large as the card allows under the band and above the caption: room for a version 12 symbol at 0.5 mm.
  const slot = 107;
  const slotX = width - 5 - slot;
  const slotTop = height - band - 2;
  const placement = qrPlacement(view.symbol.version, slot, 8);
  const qrX = onDotGrid(slotX + (slot - placement.sidePt) / 2);
  const qrY = onDotGrid(slotTop - placement.sidePt);
  sheet.qr(view.symbol, qrX, qrY, placement.modulePt);
  sheet.label(instruction.zh, slotX + slot / 2, 11, { size: 6, weight: 'bold', align: 'center', color: accent });
  sheet.label(instruction.en, slotX + slot / 2, 4.5, { size: 5, align: 'center', color: accent });

  const left = 10;
  const columnWidth = slotX - left - 4;
  let y = height - band - 11;
  const headline = field(fields.headline);
  if (headline) {
    labelPair(headline.label, left, y);
    const value = valueOf(view, headline);
    // One line down to 9 pt; a longer name (a transliterated indigenous name) takes two smaller lines.
    const oneLine = fitText(
      value.zh,
      { width: columnWidth, maxLines: 1 },
      { size: 14, minSize: 9, weight: 'bold' },
      measure,
    );
    const fitted = oneLine.lines[0]?.endsWith('…')
      ? fitText(value.zh, { width: columnWidth, maxLines: 2 }, { size: 9, minSize: 6, weight: 'bold' }, measure)
      : oneLine;
    const twoLines = fitted.lines.length > 1;
    fitted.lines.forEach((line, i) => {
      sheet.value(line, left, y - (twoLines ? 11 + i * (fitted.size + 1) : 15), { size: fitted.size, weight: 'bold' });
    });
    const sub = fields.headlineSub === undefined ? undefined : field(fields.headlineSub);
    if (sub) {
      const subValue = valueOf(view, sub);
      const fittedSub = fitText(
        subValue.zh === '—' ? '' : subValue.zh,
        { width: columnWidth, maxLines: 1 },
        { size: twoLines ? 6 : 7, minSize: 5, weight: 'regular' },
        measure,
      );
      sheet.value(fittedSub.lines[0] ?? '', left, y - (twoLines ? 29 : 24), { size: fittedSub.size, color: grey });
    }
    y -= 36;
  }
  for (const fieldName of fields.front) {
    const definition = field(fieldName);
    if (!definition) continue;
    labelPair(definition.label, left, y);
    const value = valueOf(view, definition);
    const text = value.en === undefined ? value.zh : `${value.zh}  ${value.en}`;
    const fitted = fitText(
      text,
      { width: columnWidth, maxLines: 1 },
      { size: 8, minSize: 5, weight: 'regular' },
      measure,
    );
    sheet.value(fitted.lines[0] ?? '', left, y - 9.5, { size: fitted.size });
    y -= 21;
  }

  // Back.
  sheet.page = 1;
  const backBand = 14;
  sheet.box(0, height - backBand, width, backBand, { fill: accent });
  sheet.label(`${title.zh}  ${title.en.toUpperCase()}`, 10, height - 9.6, {
    size: 6,
    weight: 'bold',
    color: white,
    spacing: 0.4,
  });
  sheet.label(name['zh-TW'], width - 10, height - 9.6, { size: 6, weight: 'bold', color: white, align: 'right' });
  const onFront = new Set([fields.headline, fields.headlineSub, ...fields.front]);
  const rest = view.type.fields.filter((f) => !onFront.has(f.name) && applies(f, view.subject));
  const columnGap = 8;
  const half = (width - 2 * left - columnGap) / 2;
  const cell = (label: Label, value: PrintedValue, x: number, top: number, cellWidth: number, fixed = false): void => {
    labelPair(label, x, top);
    const fitted = fitText(
      value.zh,
      { width: cellWidth, maxLines: 2 },
      { size: 7, minSize: 5, weight: 'regular' },
      measure,
    );
    fitted.lines.forEach((line, i) => {
      if (fixed) sheet.label(line, x, top - 9 - i * 8, { size: fitted.size });
      else sheet.value(line, x, top - 9 - i * 8, { size: fitted.size });
    });
    if (value.en !== undefined) {
      const en = fitText(
        value.en,
        { width: cellWidth, maxLines: 1 },
        { size: 5.4, minSize: 4.5, weight: 'regular' },
        measure,
      );
      const enY = top - 9 - fitted.lines.length * 8 + 1;
      if (fixed) sheet.label(en.lines[0] ?? '', x, enY, { size: en.size, color: grey });
      else sheet.value(en.lines[0] ?? '', x, enY, { size: en.size, color: grey });
    }
  };
  // A list (bar memberships) takes a whole row of two lines; other values share a row two by two; a
  // row is taller when a value in it has an English line (dates, enum labels) or may take two lines.
  const cells: {
    label: Label;
    value: PrintedValue;
    fixed?: boolean;
    wide?: boolean;
    tall: boolean;
    validity?: true;
  }[] = [
    ...rest.map((f) => ({
      label: f.label,
      value: valueOf(view, f),
      wide: f.type === 'list',
      tall: f.type === 'list' || hasEnglishLine(f),
    })),
    {
      label: { 'zh-TW': '生效日期', en: 'Valid from' },
      value: printedDate(taipeiDate(view.validFrom)),
      tall: true,
      validity: true,
    },
    { label: { 'zh-TW': '有效期限', en: 'Valid until' }, value: validUntilValue(view), tall: true, validity: true },
  ];
  let top = height - backBand - 10;
  for (let i = 0; i < cells.length;) {
    const [a, b] = [cells[i], cells[i + 1]];
    if (a === undefined) break;
    // The validity dates always share a row of their own.
    if (a.wide === true || b === undefined || b.wide === true || a.validity !== b.validity) {
      cell(a.label, a.value, left, top, width - 2 * left, a.fixed);
      top -= a.tall ? 26 : 19;
      i += 1;
    } else {
      cell(a.label, a.value, left, top, half, a.fixed);
      cell(b.label, b.value, left + half + columnGap, top, half, b.fixed);
      top -= a.tall || b.tall ? 26 : 19;
      i += 2;
    }
  }
  cell({ 'zh-TW': '憑證編號', en: 'Credential ID' }, { zh: view.id }, left, top, width - 2 * left);
  top -= 19;
  cell(
    { 'zh-TW': '發證機關', en: 'Issued by' },
    { zh: `${name['zh-TW']}  ${name.en}`.trim() },
    left,
    top,
    width - 2 * left,
    true,
  );
  const note = fitText(
    '本卡 PDF 附有發證機關簽章之電子憑證（credential.jwt）；掃描正面 QR Code 可查驗即時狀態。',
    { width: width - 2 * left, maxLines: 1 },
    { size: 5, minSize: 4, weight: 'regular' },
    measure,
  );
  sheet.label(note.lines[0] ?? '', left, 12, { size: note.size, color: grey });
  const noteEn = fitText(
    "This PDF carries the issuer's signed credential (credential.jwt); scan the front's QR code for its current status.",
    { width: width - 2 * left, maxLines: 1 },
    { size: 4.6, minSize: 4, weight: 'regular' },
    measure,
  );
  sheet.label(noteEn.lines[0] ?? '', left, 6, { size: noteEn.size, color: grey });
  return sheet.build();
}
