/**
 * Format 0x04: the credledger `vc+jwt` envelope and the credential subject packed by their schema
 * (a template table, ./tables/t1.ts). Structure and numbers go into a bit string; only free text goes
 * through deflate. Browser-safe.
 *
 * Bytes after the format id and the 64-byte signature: `[bits, zero-padded to a byte][raw deflate of
 * the texts]`. The bits, in order:
 *
 * - algorithm index, credential type index (each in the fewest bits that hold the table's list);
 * - credential UUID: 1 = version 4 (122 bits, version and variant implied), 0 = any (128 bits);
 * - `kid`: 1 = `<issuer>#key-<n>` (Exp-Golomb n), 0 = a text;
 * - `nbf`: days since 1970 (EG-14), then 1 = midnight UTC or 0 + 17-bit second of the day;
 * - `exp`: present? then 1 = the same time n calendar years later (EG n − 1), or 0 + EG-16 seconds after `nbf`;
 * - `iat`: 1 = equal to `nbf`, or 0 + sign + EG-15 of its distance from `nbf`;
 * - status: 1 = list path slug derived from the issuer (else a text), then for revocation and
 *   suspension the list number (EG-0) and the index (EG-16); the base URL is a text;
 * - the subject, field by field in table order: a presence bit unless the table says required, fields
 *   whose `when` does not hold skipped; enum → index; date → 1 = the day of `nbf`, or 0 + signed EG-10
 *   of the days from it; 統一編號 → 27 bits; integer → sign, 4-bit count of trailing decimal zeros,
 *   EG-4 of the rest; list → EG-0 count, then items; string with a vocabulary → 1 + index, or 0 + text;
 *   other strings → text;
 * - digit runs: EG-1 count, then for each run EG-2 of (length − 3) and the number in the fewest bits
 *   that hold every run of that length.
 *
 * Texts (issuer, status base URL, then every text value in order) are joined with U+0000 and deflated
 * with a preset dictionary; every run of three or more ASCII digits in them is replaced by U+0001 and
 * travels as a number among the bits, since a digit costs 8 bits as a deflate literal and 3.3 as a number.
 *
 * The encoder only uses this form when rebuilding gives back the exact header and payload bytes.
 */
import { BitReader, BitsExhausted, BitWriter } from './bits.js';
import type { TableField, TableValue, TemplateTable } from './tables/t1.js';

const day = 86400;
const textSeparator = '\u0000';
const digitRunMark = '\u0001';
const minDigitRun = 3;
const uuidUrn = /^urn:uuid:([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/;
const isoDate = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const purposes = ['revocation', 'suspension'] as const;

/** What format 0x04 carries besides the signature: packed bits and the texts to deflate. */
export interface SchemaTemplateValues {
  readonly bits: Uint8Array;
  readonly text: string;
}

/** Rebuilt protected header and payload JSON texts. */
export interface RebuiltJws {
  readonly header: string;
  readonly payload: string;
}

/** Thrown while packing when a credential does not fit the table; the encoder then uses another format. */
class DoesNotFit extends Error {}

function fit(condition: boolean): asserts condition {
  if (!condition) throw new DoesNotFit();
}

function widthFor(count: number): number {
  return count <= 1 ? 0 : Math.ceil(Math.log2(count));
}

/** Bits that hold every number of `length` decimal digits. */
function digitRunBits(length: number): number {
  return (10n ** BigInt(length) - 1n).toString(2).length;
}

function isoSeconds(numericDate: number): string | undefined {
  const date = new Date(numericDate * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace('.000Z', 'Z');
}

/** `YYYY-MM-DD` of a day number, or undefined outside years 0000–9999. */
function dateOfDay(days: number): string | undefined {
  const date = new Date(days * day * 1000);
  if (Number.isNaN(date.getTime())) return undefined;
  const text = date.toISOString().slice(0, 10);
  return isoDate.test(text) ? text : undefined;
}

/** The exp of "the same UTC time `years` later" (Date.UTC rolls 29 February over the same way both sides). */
function yearsLater(nbf: number, years: number): number {
  const d = new Date(nbf * 1000);
  return (
    Date.UTC(
      d.getUTCFullYear() + years,
      d.getUTCMonth(),
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
    ) / 1000
  );
}

/** The status list path slug of an issuer DID, as packages/issuer/src/status writes it. Frozen here: the format depends on it. */
function issuerSlug(issuerDid: string): string {
  const rest = issuerDid.startsWith('did:web:') ? issuerDid.slice('did:web:'.length) : issuerDid.replace(/^did:/, '');
  return encodeURIComponent(rest);
}

function statusListUrl(base: string, slug: string, purpose: string, list: number): string {
  const path = `${base}/status/${slug}/${purpose}`;
  return list === 0 ? path : `${path}/${list}`;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function applies(field: TableField, enums: ReadonlyMap<string, string>): boolean {
  return field.when === undefined || field.when.in.includes(enums.get(field.when.field) ?? '');
}

/** Collects texts, moving digit runs out of them into the bits. */
class TextCollector {
  readonly texts: string[] = [];
  readonly runs: string[] = [];

  add(text: string): void {
    fit(!text.includes(textSeparator) && !text.includes(digitRunMark));
    this.texts.push(
      text.replace(new RegExp(`[0-9]{${minDigitRun},}`, 'g'), (run) => {
        this.runs.push(run);
        return digitRunMark;
      }),
    );
  }
}

function writeValue(w: BitWriter, spec: TableValue, value: unknown, nbfDay: number, texts: TextCollector): void {
  switch (spec.kind) {
    case 'string': {
      fit(typeof value === 'string');
      const index = spec.vocabulary?.indexOf(value) ?? -1;
      if (spec.vocabulary !== undefined) w.bit(index >= 0);
      if (spec.vocabulary !== undefined && index >= 0) w.bits(index, widthFor(spec.vocabulary.length));
      else texts.add(value);
      return;
    }
    case 'date': {
      fit(typeof value === 'string' && isoDate.test(value));
      const days = Date.parse(`${value}T00:00:00Z`) / 1000 / day;
      fit(Number.isSafeInteger(days) && dateOfDay(days) === value);
      w.bit(days === nbfDay);
      if (days !== nbfDay) w.signed(days - nbfDay, 10);
      return;
    }
    case 'ubn':
      fit(typeof value === 'string' && /^[0-9]{8}$/.test(value));
      w.bits(Number(value), 27);
      return;
    case 'integer': {
      fit(typeof value === 'number' && Number.isSafeInteger(value));
      let rest = Math.abs(value);
      let zeros = 0;
      while (rest !== 0 && rest % 10 === 0 && zeros < 15) {
        rest /= 10;
        zeros++;
      }
      w.bit(value < 0);
      w.bits(zeros, 4);
      w.expGolomb(rest, 4);
      return;
    }
    case 'enum': {
      const index = typeof value === 'string' ? spec.values.indexOf(value) : -1;
      fit(index >= 0);
      w.bits(index, widthFor(spec.values.length));
      return;
    }
  }
}

/** Stands for a text value while the bits are read; the texts come after them. */
const pendingText = Symbol('pending text');

function readValue(r: BitReader, spec: TableValue, nbfDay: number): unknown {
  switch (spec.kind) {
    case 'string': {
      if (spec.vocabulary !== undefined && r.bit()) {
        const value = spec.vocabulary[r.bits(widthFor(spec.vocabulary.length))];
        if (value === undefined) throw new BitsExhausted('vocabulary index out of range');
        return value;
      }
      return pendingText;
    }
    case 'date': {
      const days = r.bit() ? nbfDay : nbfDay + r.signed(10);
      const text = dateOfDay(days);
      if (text === undefined) throw new BitsExhausted('date out of range');
      return text;
    }
    case 'ubn':
      return String(r.bits(27)).padStart(8, '0');
    case 'integer': {
      const negative = r.bit();
      const zeros = r.bits(4);
      const value = r.expGolomb(4) * 10 ** zeros;
      if (!Number.isSafeInteger(value)) throw new BitsExhausted('integer out of range');
      return negative ? -value : value;
    }
    case 'enum': {
      const value = spec.values[r.bits(widthFor(spec.values.length))];
      if (value === undefined) throw new BitsExhausted('enum index out of range');
      return value;
    }
  }
}

/**
 * Packs a credential by `table`, or `undefined` when it does not have a shape the table covers (then
 * rebuilding could not give back its bytes).
 */
export function toSchemaTemplate(
  table: TemplateTable,
  headerText: string,
  payloadText: string,
): SchemaTemplateValues | undefined {
  let values: SchemaTemplateValues;
  try {
    values = pack(table, headerText, payloadText);
  } catch (error) {
    if (error instanceof DoesNotFit || error instanceof RangeError) return undefined;
    throw error;
  }
  // The only test that matters: the values give back exactly these bytes.
  const rebuilt = fromSchemaTemplate(table, values.bits, () => values.text);
  return rebuilt?.header === headerText && rebuilt.payload === payloadText ? values : undefined;
}

function pack(table: TemplateTable, headerText: string, payloadText: string): SchemaTemplateValues {
  let header: Record<string, unknown> | undefined;
  let payload: Record<string, unknown> | undefined;
  try {
    header = record(JSON.parse(headerText));
    payload = record(JSON.parse(payloadText));
  } catch {
    throw new DoesNotFit();
  }
  fit(header !== undefined && payload !== undefined);
  const w = new BitWriter();
  const texts = new TextCollector();

  const alg = table.algorithms.indexOf(String(header.alg));
  fit(alg >= 0);
  w.bits(alg, widthFor(table.algorithms.length));
  const types: unknown = payload.type;
  const typeName: unknown = Array.isArray(types) && types.length === 2 ? types[1] : undefined;
  const type = table.types.findIndex((t) => t.name === typeName);
  const typeEntry = table.types[type];
  fit(typeEntry !== undefined);
  w.bits(type, widthFor(table.types.length));

  const uuid = typeof payload.id === 'string' ? uuidUrn.exec(payload.id) : null;
  fit(uuid !== null);
  const hex = uuid.slice(1).join('');
  const v4 = hex[12] === '4' && '89ab'.includes(hex[16] ?? '');
  w.bit(v4);
  if (v4) {
    w.bits(BigInt(`0x${hex.slice(0, 12)}`), 48);
    w.bits(BigInt(`0x${hex.slice(13, 16)}`), 12);
    w.bits(parseInt(hex[16] ?? '8', 16) & 3, 2);
    w.bits(BigInt(`0x${hex.slice(17)}`), 60);
  } else {
    w.bits(BigInt(`0x${hex}`), 128);
  }

  const issuer = payload.issuer;
  fit(typeof issuer === 'string');
  texts.add(issuer);
  const kid = String(header.kid);
  const keyNumber = kid.startsWith(`${issuer}#key-`) ? kid.slice(`${issuer}#key-`.length) : '';
  const shortKid = /^(?:0|[1-9][0-9]{0,8})$/.test(keyNumber);
  w.bit(shortKid);
  if (shortKid) w.expGolomb(Number(keyNumber), 0);
  else texts.add(kid);

  const { nbf, exp, iat } = payload;
  fit(typeof nbf === 'number' && Number.isSafeInteger(nbf) && nbf >= 0);
  const nbfDay = Math.floor(nbf / day);
  w.expGolomb(nbfDay, 14);
  w.bit(nbf % day === 0);
  if (nbf % day !== 0) w.bits(nbf % day, 17);
  w.bit(exp !== undefined);
  if (exp !== undefined) {
    fit(typeof exp === 'number' && Number.isSafeInteger(exp) && exp > nbf);
    let years = 1;
    while (years < 100 && yearsLater(nbf, years) < exp) years++;
    const calendar = yearsLater(nbf, years) === exp;
    w.bit(calendar);
    if (calendar) w.expGolomb(years - 1, 0);
    else w.expGolomb(exp - nbf, 16);
  }
  fit(typeof iat === 'number' && Number.isSafeInteger(iat));
  w.bit(iat === nbf);
  if (iat !== nbf) {
    w.bit(iat < nbf);
    w.expGolomb(Math.abs(iat - nbf), 15);
  }

  const status = payload.credentialStatus;
  fit(Array.isArray(status) && status.length === purposes.length);
  const first = record(status[0])?.statusListCredential;
  fit(typeof first === 'string');
  const match = /^(.*)\/status\/([^/]+)\/revocation(?:\/[1-9][0-9]*)?$/.exec(first);
  fit(match !== null);
  const [, base = '', slug = ''] = match;
  texts.add(base);
  w.bit(slug === issuerSlug(issuer));
  if (slug !== issuerSlug(issuer)) texts.add(slug);
  purposes.forEach((purpose, i) => {
    const entry = record(status[i]);
    const url = entry?.statusListCredential;
    const prefix = `${base}/status/${slug}/${purpose}`;
    fit(typeof url === 'string' && url.startsWith(prefix));
    const list = url === prefix ? 0 : Number(url.slice(prefix.length + 1));
    const index = Number(entry?.statusListIndex);
    fit(Number.isSafeInteger(list) && Number.isSafeInteger(index) && index >= 0);
    w.expGolomb(list, 0);
    w.expGolomb(index, 16);
  });

  const subject = record(payload.credentialSubject);
  fit(subject !== undefined);
  const enums = new Map<string, string>();
  for (const field of typeEntry.fields) {
    if (!applies(field, enums)) continue;
    const value = subject[field.name];
    if (!field.required) w.bit(value !== undefined);
    if (value === undefined) {
      fit(!field.required);
      continue;
    }
    if (field.kind === 'list') {
      fit(Array.isArray(value));
      w.expGolomb(value.length, 0);
      for (const item of value) writeValue(w, field.items, item, nbfDay, texts);
    } else {
      writeValue(w, field, value, nbfDay, texts);
      if (field.kind === 'enum' && typeof value === 'string') enums.set(field.name, value);
    }
  }

  w.expGolomb(texts.runs.length, 1);
  for (const run of texts.runs) {
    w.expGolomb(run.length - minDigitRun, 2);
    w.bits(BigInt(run), digitRunBits(run.length));
  }
  return { bits: w.toBytes(), text: texts.texts.join(textSeparator) };
}

/**
 * Rebuilds header and payload JSON from format 0x04 bytes (after the signature). `inflateTexts` gets
 * the bytes after the packed bits and returns the deflated texts. `undefined` for a damaged link.
 */
export function fromSchemaTemplate(
  table: TemplateTable,
  bytes: Uint8Array,
  inflateTexts: (rest: Uint8Array) => string | undefined,
): RebuiltJws | undefined {
  try {
    return unpack(table, bytes, inflateTexts);
  } catch (error) {
    if (error instanceof BitsExhausted || error instanceof RangeError) return undefined;
    throw error;
  }
}

function unpack(
  table: TemplateTable,
  bytes: Uint8Array,
  inflateTexts: (rest: Uint8Array) => string | undefined,
): RebuiltJws | undefined {
  const r = new BitReader(bytes);
  const alg = table.algorithms[r.bits(widthFor(table.algorithms.length))];
  const type = table.types[r.bits(widthFor(table.types.length))];
  if (alg === undefined || type === undefined) return undefined;

  let hex: string;
  if (r.bit()) {
    const a = r.bigBits(48).toString(16).padStart(12, '0');
    const b = r.bigBits(12).toString(16).padStart(3, '0');
    const variant = (8 + r.bits(2)).toString(16);
    const c = r.bigBits(60).toString(16).padStart(15, '0');
    hex = `${a}4${b}${variant}${c}`;
  } else {
    hex = r.bigBits(128).toString(16).padStart(32, '0');
  }
  const id = `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

  let kidNumber: number | undefined;
  const shortKid = r.bit();
  if (shortKid) kidNumber = r.expGolomb(0);

  const nbfDay = r.expGolomb(14);
  const nbf = nbfDay * day + (r.bit() ? 0 : r.bits(17));
  let exp: number | undefined;
  if (r.bit()) exp = r.bit() ? yearsLater(nbf, r.expGolomb(0) + 1) : nbf + r.expGolomb(16);
  let iat = nbf;
  if (!r.bit()) {
    const before = r.bit();
    const distance = r.expGolomb(15);
    iat = before ? nbf - distance : nbf + distance;
  }
  if (![nbf, iat, exp ?? 0].every(Number.isSafeInteger)) return undefined;

  const derivedSlug = r.bit();
  const lists = purposes.map(() => ({ list: r.expGolomb(0), index: r.expGolomb(16) }));

  // The subject's structure first; its texts are filled in once inflated, in the same order.
  type Pending = { readonly text: true } | { readonly value: unknown };
  const subjectFields: Array<[string, Pending | Pending[]]> = [];
  const enums = new Map<string, string>();
  const read = (spec: TableValue): Pending => {
    const value = readValue(r, spec, nbfDay);
    return value === pendingText ? { text: true } : { value };
  };
  for (const field of type.fields) {
    if (!applies(field, enums)) continue;
    if (!field.required && !r.bit()) continue;
    if (field.kind === 'list') {
      const count = r.expGolomb(0);
      if (count > 1000) return undefined;
      subjectFields.push([field.name, Array.from({ length: count }, () => read(field.items))]);
    } else {
      const pending = read(field);
      if (field.kind === 'enum' && 'value' in pending) enums.set(field.name, String(pending.value));
      subjectFields.push([field.name, pending]);
    }
  }

  const runCount = r.expGolomb(1);
  if (runCount > 1000) return undefined;
  const runs: string[] = [];
  for (let i = 0; i < runCount; i++) {
    const length = r.expGolomb(2) + minDigitRun;
    if (length > 100) return undefined;
    const run = r.bigBits(digitRunBits(length)).toString().padStart(length, '0');
    if (run.length !== length) return undefined;
    runs.push(run);
  }
  if (!r.paddingIsZero()) return undefined;

  const inflated = inflateTexts(bytes.subarray(r.bytesRead));
  if (inflated === undefined) return undefined;
  let runIndex = 0;
  const texts = inflated.split(textSeparator).map((t) =>
    t.replaceAll(digitRunMark, () => {
      const run = runs[runIndex++];
      return run ?? '';
    }),
  );
  if (runIndex !== runs.length) return undefined;
  let textIndex = 0;
  const nextText = (): string => {
    const t = texts[textIndex++];
    if (t === undefined) throw new BitsExhausted('too few texts');
    return t;
  };

  const issuer = nextText();
  const kid = kidNumber === undefined ? nextText() : `${issuer}#key-${kidNumber}`;
  const base = nextText();
  const slug = derivedSlug ? issuerSlug(issuer) : nextText();
  const subject: Record<string, unknown> = {};
  const resolve = (p: Pending): unknown => ('value' in p ? p.value : nextText());
  for (const [name, pending] of subjectFields) {
    subject[name] = Array.isArray(pending) ? pending.map(resolve) : resolve(pending);
  }
  if (textIndex !== texts.length) return undefined;

  const validFrom = isoSeconds(nbf);
  const validUntil = exp === undefined ? null : isoSeconds(exp);
  if (validFrom === undefined || validUntil === undefined) return undefined;
  const s = JSON.stringify;
  const entries = purposes.map((purpose, i) => {
    const { list, index } = lists[i] ?? { list: 0, index: 0 };
    const url = statusListUrl(base, slug, purpose, list);
    return `{"id":${s(`${url}#${index}`)},"type":"BitstringStatusListEntry","statusPurpose":${s(purpose)},"statusListIndex":${s(String(index))},"statusListCredential":${s(url)}}`;
  });
  const header = `{"alg":${s(alg)},"typ":"vc+jwt","kid":${s(kid)}}`;
  const payload =
    `{"@context":${s(table.contexts)},"type":["VerifiableCredential",${s(type.name)}],"id":${s(id)},"issuer":${s(issuer)},` +
    `"validFrom":${s(validFrom)},${validUntil === null ? '' : `"validUntil":${s(validUntil)},`}` +
    `"credentialSubject":${s(subject)},"credentialStatus":[${entries.join(',')}],` +
    `"iss":${s(issuer)},"jti":${s(id)},"iat":${iat},"nbf":${nbf}${exp === undefined ? '' : `,"exp":${exp}`}}`;
  return { header, payload };
}
