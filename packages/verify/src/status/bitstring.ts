/**
 * The bitstring of a W3C status list, GZIP-compressed. A Bitstring Status List writes it as multibase
 * base64url (`u` prefix, no padding); a Status List 2021 list (what TW DIW reads) as bare base64, which
 * the 2021 report's own example writes in the URL-safe alphabet without padding. Bit 0 is the left-most
 * (most significant) bit of the first byte in both. Browser-safe (fflate).
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstring-encoding
 * @see https://www.w3.org/community/reports/credentials/CG-FINAL-vc-status-list-2021-20230102/#statuslist2021credential
 */
import { gunzipSync, gzipSync } from 'fflate';

import { base64urlDecode, base64urlEncode } from '../jws.js';
import { DEFAULT_STATUS_LIST_SIZE } from './status-purpose.js';

/**
 * Largest list a verifier inflates (bytes): 16 Mi entries. The GZIP trailer's declared size is checked
 * before inflating and the output buffer is never grown past it, so a small hostile list cannot make
 * a verifier allocate more than this.
 */
export const MAX_BITSTRING_BYTES = 2 * 1024 * 1024;

/** A decoded status list: read one bit per index. */
export class Bitstring {
  constructor(readonly bytes: Uint8Array) {}

  /** Entries in the list. */
  get length(): number {
    return this.bytes.length * 8;
  }

  /** An all-zero list of `length` entries (a multiple of 8). */
  static zeros(length: number = DEFAULT_STATUS_LIST_SIZE): Bitstring {
    return new Bitstring(new Uint8Array(Math.ceil(length / 8)));
  }

  /** True when bit `index` is set; false outside the list. */
  get(index: number): boolean {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.length) return false;
    return ((this.bytes[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
  }

  /** Sets bit `index`. Fails (RangeError) outside the list: a publisher bug, never input. */
  set(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.length)
      throw new RangeError(`status index ${index} outside the list`);
    this.bytes[index >> 3] = (this.bytes[index >> 3] ?? 0) | (0x80 >> (index & 7));
  }

  /** Parses an `encodedList`; undefined when it is not multibase base64url GZIP or is too large. */
  static decode(encodedList: string): Bitstring | undefined {
    if (typeof encodedList !== 'string' || !encodedList.startsWith('u')) return undefined;
    return Bitstring.gunzip(base64urlDecode(encodedList.slice(1)));
  }

  /**
   * Parses a Status List 2021 `encodedList`: base64 of the GZIP bytes, in either RFC 4648 alphabet (the
   * report says "base-64" and its example is URL-safe), padded or not, no multibase prefix; undefined
   * otherwise or when too large.
   */
  static decodeStatusList2021(encodedList: string): Bitstring | undefined {
    if (typeof encodedList !== 'string') return undefined;
    const standard = /[+/]/.test(encodedList);
    // One alphabet per list: a mixture is no RFC 4648 encoding at all.
    if (standard && /[-_]/.test(encodedList)) return undefined;
    const unpadded = encodedList.replace(/={1,2}$/, '');
    if (unpadded.includes('=') || (unpadded !== encodedList && encodedList.length % 4 !== 0)) return undefined;
    const urlSafe = standard ? unpadded.replace(/\+/g, '-').replace(/\//g, '_') : unpadded;
    return Bitstring.gunzip(base64urlDecode(urlSafe));
  }

  /** The list a GZIP member inflates to; undefined when it is not GZIP or declares more than the limit. */
  private static gunzip(gz: Uint8Array | undefined): Bitstring | undefined {
    if (!gz || gz.length < 18 || gz[0] !== 0x1f || gz[1] !== 0x8b) return undefined;
    const declared =
      ((gz[gz.length - 4] ?? 0) |
        ((gz[gz.length - 3] ?? 0) << 8) |
        ((gz[gz.length - 2] ?? 0) << 16) |
        ((gz[gz.length - 1] ?? 0) << 24)) >>>
      0;
    if (declared === 0 || declared > MAX_BITSTRING_BYTES) return undefined;
    try {
      const bytes = gunzipSync(gz, { out: new Uint8Array(declared) });
      if (bytes.length !== declared) return undefined;
      return new Bitstring(bytes);
    } catch {
      return undefined;
    }
  }
}

/**
 * The spec's `encodedList` of `list`: `u` + base64url(GZIP(bits)). A function, not a method, so that a
 * verifier's bundle, which only decodes, leaves the compressor out.
 */
export function encodeBitstring(list: Bitstring): string {
  return 'u' + base64urlEncode(gzipList(list));
}

/**
 * The Status List 2021 `encodedList` of `list`: base64url(GZIP(bits)), no padding and no prefix, as the
 * report's example writes it (and as Digital Bazaar's `vc-status-list`, its reference code, does).
 */
export function encodeStatusList2021(list: Bitstring): string {
  return base64urlEncode(gzipList(list));
}

// mtime 0 keeps the encoding a function of the bits alone (same state → same list bytes).
const gzipList = (list: Bitstring): Uint8Array => gzipSync(list.bytes, { level: 9, mtime: 0 });
