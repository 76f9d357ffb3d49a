/**
 * A small, bounded reader of a PDF content stream that keeps only what a QR code printed as vectors is
 * made of: rectangles (`re`) that are filled (`f`, `F`, `f*`, `B`, `b`, …) in a grey, RGB or CMYK
 * colour, placed through the transformation matrix (`cm`, `q`/`Q`), and the image XObjects painted
 * (`Do`). Text, curves, clipping and shading are read past, not drawn: this is not a PDF renderer, only
 * enough of one to find the symbol credledger's documents draw (and any QR drawn the same way).
 *
 * @see ISO 32000-2 §8.2 (graphics objects), §8.4.4 (graphics state operators), §8.5 (path construction and painting)
 */

/** An affine matrix `[a b c d e f]` (ISO 32000-2 §8.3.4). */
export type Matrix = readonly [number, number, number, number, number, number];

/** A filled rectangle in page space (y grows upwards), with its fill's lightness (0 black … 1 white). */
export interface FilledRect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly lightness: number;
}

/** What a content stream paints that a QR reader can use. */
export interface ContentPaint {
  readonly rects: FilledRect[];
  /** Names of the XObjects painted with `Do`, in order, with the matrix they were painted with. */
  readonly painted: { readonly name: string; readonly matrix: Matrix }[];
}

/** Bounds on the work one content stream may cause. */
export const contentLimits = {
  /** Operators read; a longer stream is read up to here. */
  operators: 2_000_000,
  /** Filled rectangles kept. */
  rects: 200_000,
  /** Nested `q` states. */
  depth: 64,
} as const;

export const identity: Matrix = [1, 0, 0, 1, 0, 0];

/** `m × n`: first `m`, then `n` (as `cm` concatenates: the new matrix applies before the current one). */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

const isWhite = (c: number): boolean => c === 0 || c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
const isDelimiter = (c: number): boolean =>
  c === 0x28 ||
  c === 0x29 ||
  c === 0x3c ||
  c === 0x3e ||
  c === 0x5b ||
  c === 0x5d ||
  c === 0x7b ||
  c === 0x7d ||
  c === 0x2f ||
  c === 0x25;

const fillOperators: ReadonlySet<string> = new Set(['f', 'F', 'f*', 'B', 'B*', 'b', 'b*']);
const endPathOperators: ReadonlySet<string> = new Set(['n', 'S', 's']);

interface State {
  ctm: Matrix;
  lightness: number;
}

/**
 * The filled rectangles and painted XObjects of a content stream, `base` being the matrix it is drawn
 * with (a page's: identity). Malformed parts are read past; reading stops at {@link contentLimits}.
 */
export function readContentPaint(content: Uint8Array, base: Matrix = identity): ContentPaint {
  const rects: FilledRect[] = [];
  const painted: { name: string; matrix: Matrix }[] = [];
  const stack: State[] = [];
  let state: State = { ctm: base, lightness: 0 };
  let path: FilledRect[] = [];
  let operands: (number | string)[] = [];
  let operators = 0;
  const numbers = (count: number): number[] | undefined => {
    if (operands.length < count) return undefined;
    const last = operands.slice(-count);
    return last.every((v) => typeof v === 'number') ? last : undefined;
  };
  const colour = (values: number[]): number | undefined => {
    if (values.length === 1) return values[0];
    if (values.length === 3)
      return 0.299 * (values[0] as number) + 0.587 * (values[1] as number) + 0.114 * (values[2] as number);
    if (values.length === 4) {
      const [c, m, y, k] = values as [number, number, number, number];
      return (0.299 * (1 - c) + 0.587 * (1 - m) + 0.114 * (1 - y)) * (1 - k);
    }
    return undefined;
  };
  const operate = (op: string): void => {
    operators++;
    switch (op) {
      case 'q':
        if (stack.length < contentLimits.depth) stack.push({ ...state });
        break;
      case 'Q':
        state = stack.pop() ?? state;
        break;
      case 'cm': {
        const m = numbers(6);
        if (m) state = { ...state, ctm: multiply(m as unknown as Matrix, state.ctm) };
        break;
      }
      case 'g':
      case 'rg':
      case 'k':
      case 'sc':
      case 'scn': {
        const count =
          op === 'g' ? 1 : op === 'rg' ? 3 : op === 'k' ? 4 : operands.filter((v) => typeof v === 'number').length;
        const value = count >= 1 && count <= 4 ? numbers(count) : undefined;
        const lightness = value ? colour(value) : undefined;
        if (lightness !== undefined) state = { ...state, lightness: Math.min(1, Math.max(0, lightness)) };
        break;
      }
      case 'cs':
        state = { ...state, lightness: 0 };
        break;
      case 're': {
        const r = numbers(4);
        if (!r) break;
        const [x, y, w, h] = r as [number, number, number, number];
        const [a, b, c, d, e, f] = state.ctm;
        const xs = [x, x + w].flatMap((px) => [y, y + h].map((py) => a * px + c * py + e));
        const ys = [x, x + w].flatMap((px) => [y, y + h].map((py) => b * px + d * py + f));
        // Only rectangles that stay rectangles (no skew or arbitrary rotation) are kept.
        const axisAligned = (Math.abs(b) < 1e-9 && Math.abs(c) < 1e-9) || (Math.abs(a) < 1e-9 && Math.abs(d) < 1e-9);
        if (axisAligned)
          path.push({
            x0: Math.min(...xs),
            y0: Math.min(...ys),
            x1: Math.max(...xs),
            y1: Math.max(...ys),
            lightness: 0,
          });
        break;
      }
      case 'Do': {
        const name = operands[operands.length - 1];
        if (typeof name === 'string') painted.push({ name, matrix: state.ctm });
        break;
      }
      default:
        if (fillOperators.has(op)) {
          for (const rect of path) {
            if (rects.length >= contentLimits.rects) break;
            rects.push({ ...rect, lightness: state.lightness });
          }
          path = [];
        } else if (endPathOperators.has(op)) path = [];
    }
    operands = [];
  };

  let i = 0;
  const n = content.length;
  while (i < n && operators < contentLimits.operators) {
    const c = content[i] as number;
    if (isWhite(c)) {
      i++;
    } else if (c === 0x25) {
      // % comment, to the end of the line
      while (i < n && content[i] !== 10 && content[i] !== 13) i++;
    } else if (c === 0x28) {
      // (literal string), nested parentheses balanced, backslash escapes skipped
      let depth = 0;
      for (; i < n; i++) {
        const d = content[i];
        if (d === 0x5c) i++;
        else if (d === 0x28) depth++;
        else if (d === 0x29 && --depth === 0) break;
      }
      i++;
      operands.push('');
    } else if (c === 0x3c && content[i + 1] !== 0x3c) {
      // <hex string>
      while (i < n && content[i] !== 0x3e) i++;
      i++;
      operands.push('');
    } else if (c === 0x2f) {
      // /Name
      let j = i + 1;
      while (j < n && !isWhite(content[j] as number) && !isDelimiter(content[j] as number)) j++;
      operands.push(new TextDecoder('latin1').decode(content.subarray(i + 1, j)));
      i = j;
    } else if (isDelimiter(c)) {
      // [ ] { } << >>: arrays and dictionaries; their contents stay operands until the next operator
      i += (c === 0x3c || c === 0x3e) && content[i + 1] === c ? 2 : 1;
    } else {
      let j = i;
      while (j < n && !isWhite(content[j] as number) && !isDelimiter(content[j] as number)) j++;
      const token = new TextDecoder('latin1').decode(content.subarray(i, j));
      i = j;
      const value = Number(token);
      if (token !== '' && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(token) && Number.isFinite(value)) operands.push(value);
      else if (token === 'BI') {
        // An inline image: its data runs from ID to EI, and may hold any byte.
        while (i < n && !(content[i - 1] === 0x49 && content[i] === 0x44 && isWhite(content[i + 1] ?? 32))) i++;
        i += 2;
        while (
          i < n &&
          !(
            isWhite(content[i - 1] ?? 32) &&
            content[i] === 0x45 &&
            content[i + 1] === 0x49 &&
            isWhite(content[i + 2] ?? 32)
          )
        )
          i++;
        i += 2;
        operands = [];
        operators++;
      } else operate(token);
    }
  }
  return { rects, painted };
}
