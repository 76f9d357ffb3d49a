/**
 * A document's pages as a list of drawing items, before any PDF exists: text, rules, boxes and the QR
 * symbol, each marked `fixed` (the same on every document of its template: labels, titles, the
 * agency's name) or not (the credential's values). The renderer draws the fixed items once per
 * template and only the rest per credential. Pure: text is measured through a function it is given.
 */
import type { QrSymbol } from './qr.js';

/** The weights of the document typeface, one font file each. */
export type Weight = 'regular' | 'bold';
export type Rgb = readonly [number, number, number];

/** Width in points of `text` at `size` in a weight of the document's typeface. */
export type Measure = (text: string, size: number, weight: Weight) => number;

export interface TextItem {
  readonly kind: 'text';
  readonly page: number;
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly weight: Weight;
  readonly color: Rgb;
  /** Extra space between characters, in points. */
  readonly spacing: number;
  readonly fixed: boolean;
}

export interface BoxItem {
  readonly kind: 'box';
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly fill?: Rgb;
  readonly stroke?: Rgb;
  readonly lineWidth?: number;
  readonly fixed: true;
}

export interface RuleItem {
  readonly kind: 'rule';
  readonly page: number;
  readonly from: readonly [number, number];
  readonly to: readonly [number, number];
  readonly color: Rgb;
  readonly lineWidth: number;
  readonly fixed: true;
}

export interface QrItem {
  readonly kind: 'qr';
  readonly page: number;
  /** Lower-left corner of the quiet zone. */
  readonly x: number;
  readonly y: number;
  readonly modulePt: number;
  readonly symbol: QrSymbol;
  readonly fixed: false;
}

export type SheetItem = TextItem | BoxItem | RuleItem | QrItem;

/** The layout of one document: page size, page count and what is drawn where. */
export interface Sheet {
  readonly width: number;
  readonly height: number;
  readonly pages: number;
  readonly items: readonly SheetItem[];
}

export interface TextStyle {
  readonly size: number;
  readonly weight?: Weight;
  readonly color?: Rgb;
  readonly spacing?: number;
  /** Where `x` is: the text's left end (default), centre or right end. */
  readonly align?: 'left' | 'center' | 'right';
}

/** Text of a value that must fit a box: the size chosen and the lines it was broken into. */
export interface FittedText {
  readonly size: number;
  readonly lines: readonly string[];
}

const ink: Rgb = [0.1, 0.1, 0.12];

/** Han, kana and fullwidth forms break anywhere; other text breaks at spaces. */
const breaksAnywhere =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef、，。；：（）]/u;

/** Units that line breaking keeps together: one CJK character, or a word with the spaces after it. */
function breakUnits(text: string): string[] {
  const units: string[] = [];
  let word = '';
  for (const char of text) {
    if (breaksAnywhere.test(char)) {
      if (word !== '') units.push(word);
      word = '';
      units.push(char);
    } else if (char === ' ') {
      word += char;
      units.push(word);
      word = '';
    } else word += char;
  }
  if (word !== '') units.push(word);
  return units;
}

/**
 * Breaks text into lines no wider than `width`: between CJK characters anywhere, elsewhere at spaces
 * (a word wider than a line is broken between characters).
 */
export function breakLines(text: string, width: number, size: number, weight: Weight, measure: Measure): string[] {
  const lines: string[] = [];
  let line = '';
  const push = (): void => {
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = '';
  };
  for (const unit of breakUnits(text)) {
    if (measure((line + unit).trimEnd(), size, weight) <= width) {
      line += unit;
      continue;
    }
    push();
    if (measure(unit.trimEnd(), size, weight) <= width) {
      line = unit.trimStart();
      continue;
    }
    for (const char of unit) {
      if (measure(line + char, size, weight) > width) push();
      line += char;
    }
  }
  push();
  return lines.length > 0 ? lines : [''];
}

/**
 * The largest size from `size` down to `minSize` (half-point steps) at which `text` fits `maxLines`
 * lines of `width`; at `minSize` the last line that fits ends in "…" (the QR code and the attached
 * credential still carry the whole value).
 */
export function fitText(
  text: string,
  box: { readonly width: number; readonly maxLines: number },
  style: { readonly size: number; readonly minSize: number; readonly weight: Weight },
  measure: Measure,
): FittedText {
  for (let size = style.size; size >= style.minSize; size -= 0.5) {
    const lines = breakLines(text, box.width, size, style.weight, measure);
    if (lines.length <= box.maxLines) return { size, lines };
  }
  const size = style.minSize;
  const lines = breakLines(text, box.width, size, style.weight, measure).slice(0, box.maxLines);
  let last = lines.pop() ?? '';
  while (last !== '' && measure(`${last}…`, size, style.weight) > box.width)
    last = Array.from(last).slice(0, -1).join('');
  return { size, lines: [...lines, `${last}…`] };
}

/** Collects a sheet's items page by page. */
export class SheetBuilder {
  readonly #items: SheetItem[] = [];
  page = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly measure: Measure,
  ) {}

  /** Text that is the same on every document of the template (labels, titles). */
  label(text: string, x: number, y: number, style: TextStyle): void {
    this.#text(text, x, y, style, true);
  }

  /** Text of the credential itself. */
  value(text: string, x: number, y: number, style: TextStyle): void {
    this.#text(text, x, y, style, false);
  }

  #text(text: string, x: number, y: number, style: TextStyle, fixed: boolean): void {
    if (text === '') return;
    const weight = style.weight ?? 'regular';
    const spacing = style.spacing ?? 0;
    const width = style.align === undefined || style.align === 'left' ? 0 : this.textWidth(text, style);
    const left = style.align === 'center' ? x - width / 2 : style.align === 'right' ? x - width : x;
    this.#items.push({
      kind: 'text',
      page: this.page,
      text,
      x: left,
      y,
      size: style.size,
      weight,
      color: style.color ?? ink,
      spacing,
      fixed,
    });
  }

  /** Width of text in a style, letter spacing included. */
  textWidth(text: string, style: TextStyle): number {
    const count = Array.from(text).length;
    return this.measure(text, style.size, style.weight ?? 'regular') + (style.spacing ?? 0) * Math.max(0, count - 1);
  }

  box(
    x: number,
    y: number,
    width: number,
    height: number,
    paint: Pick<BoxItem, 'fill' | 'stroke' | 'lineWidth'>,
  ): void {
    this.#items.push({ kind: 'box', page: this.page, x, y, width, height, ...paint, fixed: true });
  }

  rule(from: readonly [number, number], to: readonly [number, number], color: Rgb, lineWidth: number): void {
    this.#items.push({ kind: 'rule', page: this.page, from, to, color, lineWidth, fixed: true });
  }

  qr(symbol: QrSymbol, x: number, y: number, modulePt: number): void {
    this.#items.push({ kind: 'qr', page: this.page, x, y, modulePt, symbol, fixed: false });
  }

  build(): Sheet {
    return { width: this.width, height: this.height, pages: this.page + 1, items: [...this.#items] };
  }
}
