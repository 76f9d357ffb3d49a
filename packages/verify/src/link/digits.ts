/**
 * Bytes ⇄ decimal digits for QR numeric mode (10 bits per 3 digits, ~8.03 bits per byte).
 *
 * A link's fragment is `<format id as two digits><fixed-width decimal of the other bytes>`. The id sits
 * in the leading digits, so a link cut short (chat apps trim long links) still shows its format and
 * reads as damaged, not as a format from a newer verifier. The width is a function of the byte count
 * (`digitsForBytes`) whose values are at least two apart, so the digit count gives the byte count back
 * and most truncations are caught before inflating.
 */

const log10of256 = Math.log10(256);

/** Digits needed for `n` bytes: the fewest that hold every n-byte number. */
export function digitsForBytes(n: number): number {
  return n === 0 ? 0 : Math.ceil(n * log10of256 - 1e-9);
}

/** Writes `bytes` as a big-endian number in exactly `digitsForBytes(bytes.length)` digits. */
export function bytesToDigits(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return BigInt('0x' + hex)
    .toString(10)
    .padStart(digitsForBytes(bytes.length), '0');
}

/** Reads digits written by `bytesToDigits` back; `undefined` for a width no byte count has, or an overflow. */
export function digitsToBytes(digits: string): Uint8Array | undefined {
  if (!/^[0-9]*$/.test(digits)) return undefined;
  const n = Math.floor(digits.length / log10of256);
  if (digitsForBytes(n) !== digits.length) return undefined;
  if (n === 0) return new Uint8Array();
  const hex = BigInt(digits).toString(16);
  if (hex.length > 2 * n) return undefined;
  const padded = hex.padStart(2 * n, '0');
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The fragment for a format id (1–99) and the bytes that follow it. */
export function toFragment(format: number, rest: Uint8Array): string {
  if (!Number.isInteger(format) || format < 1 || format > 99) throw new RangeError('format id must be 1–99');
  return String(format).padStart(2, '0') + bytesToDigits(rest);
}

/** Splits a fragment into its format id and the bytes that follow; `undefined` when malformed. */
export function fromFragment(fragment: string): { format: number; rest: Uint8Array | undefined } | undefined {
  if (!/^[0-9]{2}/.test(fragment)) return undefined;
  return { format: Number(fragment.slice(0, 2)), rest: digitsToBytes(fragment.slice(2)) };
}
