/**
 * How a credential's values read on paper, in both languages: dates in the Republic of China calendar
 * first (中華民國112年9月15日, as Taiwanese certificates write them) with the Gregorian date in English,
 * enum values by their labels, lists joined the way each language joins them. Pure and browser-safe.
 */
import type { FieldDefinition, Label } from '@credledger/verify';

/** A value as printed: the zh-TW line first, an English line where it differs. */
export interface PrintedValue {
  readonly zh: string;
  readonly en?: string;
}

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Taiwan keeps UTC+8 all year (no daylight saving time since 1979). */
const taipeiOffsetMs = 8 * 60 * 60 * 1000;

/** A calendar date `YYYY-MM-DD` in both languages: 中華民國112年9月15日 / 15 September 2023. */
export function printedDate(date: string): PrintedValue {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return { zh: date };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // The ROC calendar counts from 1912 (民國元年); earlier dates keep the Gregorian year.
  const zh = year > 1911 ? `中華民國${year - 1911}年${month}月${day}日` : `西元${year}年${month}月${day}日`;
  return { zh, en: `${day} ${months[month - 1] ?? ''} ${year}` };
}

/** The calendar date in Taiwan of an instant (`2026-12-05T17:03:00Z` → `2026-12-06`). */
export function taipeiDate(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return new Date(ms + taipeiOffsetMs).toISOString().slice(0, 10);
}

/** Digits grouped by thousands: 50,000,000. */
function grouped(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

function labelOf(field: FieldDefinition, value: unknown): Label | undefined {
  const spec = field.type === 'list' ? field.items : field;
  return spec.type === 'enum' ? spec.values.find((v) => v.value === value)?.label : undefined;
}

/** One scalar as printed. */
function printedScalar(field: FieldDefinition, value: unknown): PrintedValue {
  const spec = field.type === 'list' ? field.items : field;
  if (spec.type === 'enum') {
    const label = labelOf(field, value);
    return label ? { zh: label['zh-TW'], en: label.en } : { zh: String(value) };
  }
  if (spec.type === 'date' && typeof value === 'string') return printedDate(value);
  if (spec.type === 'integer' && typeof value === 'number') return { zh: grouped(value) };
  return { zh: String(value) };
}

/**
 * A field's value as printed. Lists join with 、 in Chinese and a comma in English; a value of another
 * shape than the definition says is printed as text (the document shows what the credential holds).
 */
export function printedValue(field: FieldDefinition, value: unknown): PrintedValue {
  if (field.type !== 'list' || !Array.isArray(value)) return printedScalar(field, value);
  const items = (value as unknown[]).map((item) => printedScalar(field, item));
  const english = items.every((item) => item.en !== undefined);
  return {
    zh: items.map((item) => item.zh).join('、'),
    ...(english ? { en: items.map((item) => item.en).join(', ') } : {}),
  };
}

/** An English noun as a title: "company registration certificate" → "Company Registration Certificate". */
export function titleCase(text: string): string {
  return text.replace(/(^|[\s-])([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase());
}
