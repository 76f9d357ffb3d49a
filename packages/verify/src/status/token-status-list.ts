/**
 * The Status List of the IETF Token Status List: one status value of `bits` bits (1, 2, 4 or 8) per
 * Referenced Token, packed into bytes from the least significant bit up (index 0 is bit 0 of byte 0),
 * compressed with DEFLATE in the ZLIB data format and base64url-encoded as `lst`. The opposite bit order
 * to the W3C Bitstring Status List (bitstring.ts), whose index 0 is the left-most bit. Browser-safe (fflate).
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-oauth-status-list/ (Status List; Status Types)
 */
import { unzlibSync, zlibSync } from 'fflate';

import { base64urlDecode, base64urlEncode } from '../jws.js';

/** The Status Type values credledger writes (the spec's registry: VALID, INVALID, SUSPENDED). */
export const tokenStatusTypes = { VALID: 0x00, INVALID: 0x01, SUSPENDED: 0x02 } as const;

export type TokenStatusBits = 1 | 2 | 4 | 8;
const allowedBits: readonly number[] = [1, 2, 4, 8];

/**
 * Largest list a verifier inflates (bytes): 2 MiB, as for a Bitstring Status List. ZLIB declares no
 * output size, so inflation writes into a buffer one byte larger than this and a list that fills it
 * is refused: a small hostile `lst` cannot make a verifier allocate more.
 */
export const MAX_TOKEN_STATUS_LIST_BYTES = 2 * 1024 * 1024;

/** Output buffer of the first inflation attempt: a default list at 2 bits, and a byte to tell it was not cut short. */
const FIRST_INFLATE_BYTES = 32 * 1024 + 1;

/** A decoded Token Status List: one status value per index. */
export class TokenStatusList {
  constructor(
    readonly bits: TokenStatusBits,
    readonly bytes: Uint8Array,
  ) {}

  /** Entries in the list. */
  get length(): number {
    return (this.bytes.length * 8) / this.bits;
  }

  /** An all-VALID list of at least `length` entries (rounded up to whole bytes). */
  static valid(bits: TokenStatusBits, length: number): TokenStatusList {
    if (!allowedBits.includes(bits)) throw new RangeError(`bits must be 1, 2, 4 or 8, not ${String(bits)}`);
    return new TokenStatusList(bits, new Uint8Array(Math.ceil((length * bits) / 8)));
  }

  /** The status value at `index`; undefined outside the list (the spec: fail, say nothing). */
  get(index: number): number | undefined {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.length) return undefined;
    const perByte = 8 / this.bits;
    const byte = this.bytes[Math.floor(index / perByte)] ?? 0;
    const shift = (index % perByte) * this.bits;
    return (byte >> shift) & ((1 << this.bits) - 1);
  }

  /** Sets the value at `index`. Fails (RangeError) outside the list or for a value `bits` cannot hold: a publisher bug. */
  set(index: number, value: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.length)
      throw new RangeError(`status index ${index} outside the list`);
    const mask = (1 << this.bits) - 1;
    if (!Number.isInteger(value) || value < 0 || value > mask)
      throw new RangeError(`status value ${value} does not fit in ${this.bits} bit(s)`);
    const perByte = 8 / this.bits;
    const at = Math.floor(index / perByte);
    const shift = (index % perByte) * this.bits;
    this.bytes[at] = ((this.bytes[at] ?? 0) & ~(mask << shift)) | (value << shift);
  }

  /**
   * Parses a `status_list` object's `bits` and `lst`; undefined when `bits` is not 1, 2, 4 or 8, `lst`
   * is not base64url ZLIB, or the list inflates past MAX_TOKEN_STATUS_LIST_BYTES.
   */
  static decode(bits: unknown, lst: unknown): TokenStatusList | undefined {
    if (typeof bits !== 'number' || !allowedBits.includes(bits) || typeof lst !== 'string') return undefined;
    const compressed = base64urlDecode(lst);
    // ZLIB header: compression method 8 (DEFLATE) and a header checksum (RFC 1950, section 2.2).
    if (!compressed || compressed.length < 6 || ((compressed[0] ?? 0) & 0x0f) !== 8) return undefined;
    if ((((compressed[0] ?? 0) << 8) | (compressed[1] ?? 0)) % 31 !== 0) return undefined;
    try {
      // A list of the usual size (131,072 entries of 2 bits = 32 KiB) fits the first buffer; only a list
      // that fills it is inflated again into the largest one (zeroing 2 MiB for every decode made it 20 times slower).
      for (const size of [FIRST_INFLATE_BYTES, MAX_TOKEN_STATUS_LIST_BYTES + 1]) {
        const bytes = unzlibSync(compressed, { out: new Uint8Array(size) });
        if (bytes.length === size) continue;
        if (bytes.length === 0) return undefined;
        return new TokenStatusList(bits as TokenStatusBits, bytes.slice());
      }
      return undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * The JSON `status_list` object of `list`: `{ bits, lst }`, `lst` being base64url(ZLIB(DEFLATE(bytes)))
 * at the highest compression level, as the spec recommends. A function, not a method, so that a
 * verifier's bundle, which only decodes, leaves the compressor out.
 */
export function encodeTokenStatusList(list: TokenStatusList): { bits: TokenStatusBits; lst: string } {
  return { bits: list.bits, lst: base64urlEncode(zlibSync(list.bytes, { level: 9 })) };
}
