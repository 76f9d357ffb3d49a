/**
 * Canonical (low-S) ECDSA signatures. An ECDSA signature (r, s) has a twin (r, n − s) that verifies
 * just as well, so without a rule anyone can turn a genuine credential into a second string that is
 * also "genuine": offline it verifies, online its digest differs from the anchored one. credledger
 * signs with s ≤ n/2 only and refuses s > n/2, so one credential has exactly one valid encoding and
 * one verdict everywhere (docs/decisions/0010-canonical-ecdsa-signatures.md). Byte arithmetic only:
 * browser-safe and cheap next to the signature itself.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.4 (ES256: the 64-byte r‖s form)
 * @see https://github.com/bitcoin/bips/blob/master/bip-0146.mediawiki (the same rule, LOW_S)
 */

/** The order n of P-256's base point, big-endian. */
const P256_ORDER = hexBytes('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
/** ⌊n / 2⌋: the largest canonical s. */
const P256_HALF_ORDER = hexBytes('7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8');

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));
}

/** The big-endian comparison of two 32-byte numbers: negative, zero or positive. */
function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether a 64-byte ES256 signature r‖s has s ≤ n/2. Anything not 64 bytes is not canonical. */
export function isLowS(signature: Uint8Array): boolean {
  return signature.length === 64 && compare(signature.subarray(32), P256_HALF_ORDER) <= 0;
}

/**
 * The canonical form of a 64-byte ES256 signature r‖s: unchanged when s ≤ n/2, else r‖(n − s), which
 * verifies for the same message and key. A new array; the input is not changed.
 * @throws TypeError when the signature is not 64 bytes or s is not below n
 */
export function toLowS(signature: Uint8Array): Uint8Array {
  if (signature.length !== 64) throw new TypeError('an ES256 signature is 64 bytes (r‖s)');
  const out = Uint8Array.from(signature);
  const s = signature.subarray(32);
  if (compare(s, P256_HALF_ORDER) <= 0) return out;
  if (compare(s, P256_ORDER) >= 0) throw new TypeError('ES256 signature s is not below the curve order');
  let borrow = 0;
  for (let i = 31; i >= 0; i--) {
    const d = (P256_ORDER[i] as number) - (s[i] as number) - borrow;
    out[32 + i] = d & 0xff;
    borrow = d < 0 ? 1 : 0;
  }
  return out;
}
