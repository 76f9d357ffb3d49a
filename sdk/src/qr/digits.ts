/**
 * Bytes ⇄ decimal digits for QR numeric mode (10 bits per 3 digits, ~8.03 bits per byte). The bytes
 * are read as one big-endian unsigned integer; because a credential link's first byte (its format id)
 * is never 0, the integer's size gives back the exact byte length, and canonical text has no leading 0.
 */

/** Writes `bytes` (first byte non-zero) as a decimal integer. */
export function bytesToDigits(bytes: Uint8Array): string {
  if (bytes.length === 0 || bytes[0] === 0) throw new RangeError('the first byte must be non-zero');
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return BigInt('0x' + hex).toString(10);
}

/** Reads a canonical decimal integer back into bytes; `undefined` for non-digits or a leading zero. */
export function digitsToBytes(digits: string): Uint8Array | undefined {
  if (!/^[1-9][0-9]*$/.test(digits)) return undefined;
  let hex = BigInt(digits).toString(16);
  if (hex.length % 2 === 1) hex = '0' + hex;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
