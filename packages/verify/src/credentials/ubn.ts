/**
 * 統一編號 (Unified Business Number) checksum, as the Ministry of Finance specifies it.
 *
 * Each of the 8 digits is multiplied by 1,2,1,2,1,2,4,1 and the digits of each product are added
 * (so 18 counts 1+8 = 9). Since the 2023 revision the sum must be divisible by 5 (it used to be 10, and
 * every old number still passes). When the 7th digit is 7 its product is 28 → 2+8 = 10, which counts as
 * either 1 or 0: the number is valid when either sum passes.
 * @see 財政部「營利事業統一編號檢查碼邏輯修正說明」(2021-12-22; new numbers issued from April 2023)
 */

const weights = [1, 2, 1, 2, 1, 2, 4, 1] as const;

/** True when `value` is a string of 8 ASCII digits that passes the official checksum. */
export function isValidUbn(value: string): boolean {
  if (!/^[0-9]{8}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const product = (value.charCodeAt(i) - 48) * (weights[i] ?? 0);
    const digits = Math.floor(product / 10) + (product % 10);
    // Only 7 × 4 reaches 10; count it as 1 here and try 0 below.
    sum += digits === 10 ? 1 : digits;
  }
  if (sum % 5 === 0) return true;
  return value[6] === '7' && (sum - 1) % 5 === 0;
}
