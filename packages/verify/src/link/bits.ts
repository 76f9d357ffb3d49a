/**
 * Bit-level writer and reader for the structured part of a schema-template link (./schema-template.ts).
 * Numbers travel in as few bits as their range needs: the whole link becomes one decimal number, so a
 * bit saved is a third of a digit saved, with no rounding to bytes per field. Browser-safe.
 *
 * Codes:
 * - `bits(v, n)`: `v` in exactly `n` bits, most significant first.
 * - `expGolomb(v, k)`: order-k Exp-Golomb of `v ≥ 0`: `(bit length of v + 2^k) − k − 1` zeros, then
 *   `v + 2^k` in binary. Small values are short, large ones still fit (up to 2^53).
 * - `signed(v, k)`: zigzag (0, −1, 1, −2, … → 0, 1, 2, 3, …) then `expGolomb`.
 */

export class BitWriter {
  private value = 0n;
  private length = 0;

  /** Writes `v` (a non-negative integer below 2^n) in `n` bits. */
  bits(v: number | bigint, n: number): void {
    const big = BigInt(v);
    if (n < 0 || big < 0n || big >> BigInt(n) !== 0n) throw new RangeError(`${String(v)} does not fit ${n} bits`);
    this.value = (this.value << BigInt(n)) | big;
    this.length += n;
  }

  bit(flag: boolean): void {
    this.bits(flag ? 1 : 0, 1);
  }

  expGolomb(v: number, k: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${v} is not a non-negative safe integer`);
    const shifted = BigInt(v) + (1n << BigInt(k));
    const n = shifted.toString(2).length;
    this.bits(0, n - k - 1);
    this.bits(shifted, n);
  }

  signed(v: number, k: number): void {
    if (!Number.isSafeInteger(v)) throw new RangeError(`${v} is not a safe integer`);
    this.expGolomb(v >= 0 ? 2 * v : -2 * v - 1, k);
  }

  /** The bits written so far, zero-padded to whole bytes. */
  toBytes(): Uint8Array {
    const n = Math.ceil(this.length / 8);
    let v = this.value << BigInt(n * 8 - this.length);
    const out = new Uint8Array(n);
    for (let i = n - 1; i >= 0; i--) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return out;
  }
}

/** Thrown by {@link BitReader} past the end or on a malformed code; callers turn it into `CORRUPT`. */
export class BitsExhausted extends Error {}

export class BitReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Reads `n` bits as a bigint. */
  bigBits(n: number): bigint {
    if (this.position + n > this.bytes.length * 8) throw new BitsExhausted('past the end');
    let v = 0n;
    for (let i = 0; i < n; i++, this.position++) {
      const byte = this.bytes[this.position >> 3] ?? 0;
      v = (v << 1n) | BigInt((byte >> (7 - (this.position & 7))) & 1);
    }
    return v;
  }

  bits(n: number): number {
    return Number(this.bigBits(n));
  }

  bit(): boolean {
    return this.bits(1) === 1;
  }

  expGolomb(k: number): number {
    let zeros = 0;
    while (!this.bit()) {
      zeros++;
      if (zeros > 60) throw new BitsExhausted('Exp-Golomb prefix too long');
    }
    // The 1 just read is the leading bit of `v + 2^k`.
    const rest = this.bigBits(zeros + k);
    const v = (1n << BigInt(zeros + k)) + rest - (1n << BigInt(k));
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BitsExhausted('number out of range');
    return Number(v);
  }

  signed(k: number): number {
    const z = this.expGolomb(k);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Bytes consumed, counting a partly read byte as whole (the writer pads to bytes). */
  get bytesRead(): number {
    return Math.ceil(this.position / 8);
  }

  /** True when every bit after the position up to the byte boundary is zero, as the writer pads. */
  paddingIsZero(): boolean {
    const rest = (8 - (this.position & 7)) & 7;
    return rest === 0 || this.bits(rest) === 0;
  }
}
