/**
 * Sealing secrets under a passphrase: scrypt derives 64 bytes from the passphrase and a random salt —
 * the first 32 key AES-256-GCM, the last 32 key an HMAC `check` that tells a wrong passphrase from a
 * damaged file. Shared by the issuer key files (`@credledger/sdk`'s `key-store.ts`) and the local organisations' keyrings
 * (`@credledger/ledger-embedded`'s `org-keyring.ts`); each keeps its own file format. Nothing here logs or keeps state.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost as log2(N). 17 (N = 131,072, 128 MiB, ~0.3 s here) by default. */
export const defaultScryptLogN = 17;
export const scryptBounds = { logN: [14, 20], r: [8, 16], p: [1, 4] } as const;

/** scrypt parameters as stored beside what they seal. */
export interface ScryptParams {
  readonly name: 'scrypt';
  readonly logN: number;
  readonly r: number;
  readonly p: number;
  /** 16 random bytes, base64url. */
  readonly salt: string;
}

/** AES-256-GCM output, base64url members. */
export interface Sealed {
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

/** The two keys derived from a passphrase. */
export interface PassphraseKeys {
  readonly aes: Buffer;
  readonly check: Buffer;
}

/** Fresh scrypt parameters, or undefined when `logN` is outside the accepted range. */
export function newScryptParams(logN: number): ScryptParams | undefined {
  if (!Number.isInteger(logN) || logN < scryptBounds.logN[0] || logN > scryptBounds.logN[1]) return undefined;
  return { name: 'scrypt', logN, r: 8, p: 1, salt: randomBytes(16).toString('base64url') };
}

/** True when `value` holds scrypt parameters within the accepted bounds. */
export function isScryptParams(value: unknown): value is ScryptParams {
  const kdf = value as Partial<ScryptParams> | null | undefined;
  return (
    typeof kdf === 'object' &&
    kdf !== null &&
    kdf.name === 'scrypt' &&
    inRange(kdf.logN, scryptBounds.logN) &&
    inRange(kdf.r, scryptBounds.r) &&
    inRange(kdf.p, scryptBounds.p) &&
    isBase64url(kdf.salt, 16)
  );
}

/** Derives the AES and check keys; the passphrase is NFC-normalised first. */
export function derivePassphraseKeys(passphrase: string, kdf: ScryptParams): Promise<PassphraseKeys> {
  const N = 2 ** kdf.logN;
  return new Promise((resolve, reject) => {
    scrypt(
      Buffer.from(passphrase.normalize('NFC'), 'utf8'),
      Buffer.from(kdf.salt, 'base64url'),
      64,
      // scrypt needs 128·N·r bytes; node's default cap (32 MiB) is below the default cost.
      { N, r: kdf.r, p: kdf.p, maxmem: 256 * N * kdf.r },
      (error, derived) => {
        if (error) reject(error);
        else resolve({ aes: derived.subarray(0, 32), check: derived.subarray(32) });
      },
    );
  });
}

/** The check value stored beside sealed content: HMAC-SHA-256 of `label` under the check key. */
export function passphraseCheck(keys: PassphraseKeys, label: string): string {
  return createHmac('sha256', keys.check).update(label).digest('base64url');
}

/** True when `keys` came from the passphrase that made `stored` (constant time). */
export function checkMatches(keys: PassphraseKeys, label: string, stored: string): boolean {
  const expected = Buffer.from(passphraseCheck(keys, label), 'base64url');
  const actual = Buffer.from(stored, 'base64url');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Encrypts `plaintext` with AES-256-GCM under `aes` and a fresh (or given) 12-byte IV, authenticating `aad`. */
export function sealBytes(aes: Buffer, plaintext: Buffer, aad: string, iv: Buffer = randomBytes(12)): Sealed {
  const cipher = createCipheriv('aes-256-gcm', aes, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
  };
}

/** Decrypts what {@link sealBytes} made. Throws (a plain Error) when the content or `aad` was altered. */
export function openBytes(aes: Buffer, sealed: Sealed, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', aes, Buffer.from(sealed.iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]);
}

/** True when `value` has the members of {@link Sealed} with the right sizes. */
export function isSealed(value: unknown): value is Sealed {
  const sealed = value as Partial<Sealed> | null | undefined;
  return (
    typeof sealed === 'object' &&
    sealed !== null &&
    isBase64url(sealed.iv, 12) &&
    isBase64url(sealed.tag, 16) &&
    isBase64url(sealed.ciphertext)
  );
}

export function isBase64url(value: unknown, bytes?: number): value is string {
  return (
    typeof value === 'string' &&
    /^[A-Za-z0-9_-]+$/.test(value) &&
    (bytes === undefined || Buffer.from(value, 'base64url').length === bytes)
  );
}

function inRange(value: unknown, [min, max]: readonly [number, number]): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}
