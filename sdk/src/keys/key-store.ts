/**
 * Encrypted issuer key files. A key file holds one issuer key: its public part in clear (kid, alg,
 * public JWK) and the private key (PKCS#8) sealed with AES-256-GCM under a key derived from the
 * operator's passphrase with scrypt.
 *
 * Format `credledger-issuer-key` version 1 (JSON):
 * - `kdf`: scrypt with `logN`, `r`, `p` and a random 16-byte `salt`; it derives 64 bytes: the first 32
 *   are the AES key, the last 32 key `check`, an HMAC that tells a wrong passphrase from a damaged file;
 * - `cipher`: aes-256-gcm with a random 12-byte `iv` and the 16-byte `tag`; every clear member of the
 *   file is the GCM additional data, so changing the kid or public key breaks decryption;
 * - `integrity`: SHA-256 of the same clear members plus the ciphertext, to report accidental damage
 *   (a flipped byte, a truncated copy) as such before any passphrase is tried.
 * Files are written atomically (temporary file, fsync, rename) with mode 0600. Nothing here logs.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  hash,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CredledgerError } from '@credledger/verify';
import { credentialAlgorithms, type CredentialAlgorithm } from '../credentials/credential.js';
import { issuerKeyFromPrivateKey, type IssuerKey, type PublicKeyJwk } from './issuer-key.js';

export const keyFileFormat = 'credledger-issuer-key';
export const keyFileVersion = 1;

/** scrypt cost as log2(N). 17 (N = 131,072, 128 MiB, ~0.3 s here) by default. */
export const defaultScryptLogN = 17;
const scryptBounds = { logN: [14, 20], r: [8, 16], p: [1, 4] } as const;

/** The clear part of a key file: what can be read without the passphrase. */
export interface KeyFileInfo {
  readonly kid: string;
  readonly alg: CredentialAlgorithm;
  readonly publicKeyJwk: PublicKeyJwk;
  readonly createdAt: string;
}

interface KdfParams {
  readonly name: 'scrypt';
  readonly logN: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
}

interface KeyFile extends KeyFileInfo {
  readonly format: typeof keyFileFormat;
  readonly version: typeof keyFileVersion;
  readonly kdf: KdfParams;
  readonly cipher: { readonly name: 'aes-256-gcm'; readonly iv: string; readonly tag: string };
  readonly check: string;
  readonly ciphertext: string;
  readonly integrity: string;
}

export interface WriteKeyFileOptions {
  /** scrypt cost log2(N), 14–20; default 17. Lower only for tests. */
  readonly scryptLogN?: number;
  /** Replace an existing file; default false (KEY_STORE_ERROR if it exists). */
  readonly overwrite?: boolean;
  /** Creation time to record; default now. */
  readonly now?: Date;
}

const checkLabel = 'credledger key check v1';

function storeError(path: string, problem: string, cause?: unknown): never {
  throw new CredledgerError('KEY_STORE_ERROR', `key file ${path}: ${problem}`, {
    details: { path, problem },
    ...(cause === undefined ? {} : { cause }),
  });
}

function requirePassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new CredledgerError('PASSPHRASE_REQUIRED', 'a passphrase is needed for the issuer key file');
  }
}

function deriveKeys(passphrase: string, kdf: KdfParams): Promise<{ aes: Buffer; check: Buffer }> {
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

function checkValue(checkKey: Buffer): Buffer {
  return createHmac('sha256', checkKey).update(checkLabel).digest();
}

/** The clear members in a fixed order: GCM additional data and the integrity hash input. */
function clearPart(
  file: Omit<KeyFile, 'cipher' | 'check' | 'ciphertext' | 'integrity'> & { cipher: { iv: string } },
): string {
  return JSON.stringify([
    file.format,
    file.version,
    file.kid,
    file.alg,
    file.publicKeyJwk,
    file.createdAt,
    file.kdf,
    file.cipher.iv,
  ]);
}

function integrityOf(file: Omit<KeyFile, 'integrity'>): string {
  return hash('sha256', `${clearPart(file)}\n${file.cipher.tag}\n${file.check}\n${file.ciphertext}`, 'base64url');
}

/**
 * Encrypts an issuer key with a passphrase and writes it atomically, mode 0600.
 * @throws CredledgerError PASSPHRASE_REQUIRED (empty passphrase); KEY_STORE_ERROR (file exists, cannot write, bad cost)
 * @example
 * await writeIssuerKeyFile('moj-key-1.json', generateIssuerKey('ES256', { did, fragment: 'key-1' }), passphrase);
 */
export async function writeIssuerKeyFile(
  path: string,
  key: IssuerKey,
  passphrase: string,
  options: WriteKeyFileOptions = {},
): Promise<void> {
  requirePassphrase(passphrase);
  const logN = options.scryptLogN ?? defaultScryptLogN;
  if (!Number.isInteger(logN) || logN < scryptBounds.logN[0] || logN > scryptBounds.logN[1]) {
    storeError(path, `scrypt cost must be 2^${scryptBounds.logN[0]}..2^${scryptBounds.logN[1]}`);
  }
  const kdf: KdfParams = { name: 'scrypt', logN, r: 8, p: 1, salt: randomBytes(16).toString('base64url') };
  const iv = randomBytes(12).toString('base64url');
  const clear = {
    format: keyFileFormat,
    version: keyFileVersion,
    kid: key.kid,
    alg: key.alg,
    publicKeyJwk: key.publicKeyJwk,
    createdAt: (options.now ?? new Date()).toISOString(),
    kdf,
  } as const;
  const derived = await deriveKeys(passphrase, kdf);
  const cipher = createCipheriv('aes-256-gcm', derived.aes, Buffer.from(iv, 'base64url'));
  cipher.setAAD(Buffer.from(clearPart({ ...clear, cipher: { iv } }), 'utf8'));
  const secret = key.privateKey.export({ format: 'der', type: 'pkcs8' });
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  secret.fill(0);
  const sealed: Omit<KeyFile, 'integrity'> = {
    ...clear,
    cipher: { name: 'aes-256-gcm', iv, tag: cipher.getAuthTag().toString('base64url') },
    check: checkValue(derived.check).toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
  };
  const file: KeyFile = { ...sealed, integrity: integrityOf(sealed) };
  await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, options.overwrite ?? false);
}

/** Writes via a temporary file in the same directory: a crash leaves the old file or the new one, never half. */
async function writeFileAtomic(path: string, text: string, overwrite: boolean): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      // A restrictive umask is fine; a permissive one must not widen the mode.
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (overwrite) {
      await rename(temp, path);
    } else {
      // link() fails if `path` exists, atomically: no window where another writer's file is replaced.
      await link(temp, path);
      await unlink(temp);
    }
    await syncDirectory(dirname(path));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') storeError(path, 'already exists', error);
    storeError(path, 'cannot be written', error);
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const b64url = (value: unknown, bytes?: number): boolean =>
  typeof value === 'string' &&
  /^[A-Za-z0-9_-]+$/.test(value) &&
  (bytes === undefined || Buffer.from(value, 'base64url').length === bytes);

function inRange(value: unknown, [min, max]: readonly [number, number]): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** Parses and structurally checks a key file; damage of any kind is KEY_STORE_ERROR. */
function parseKeyFile(path: string, text: string): KeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    storeError(path, 'is not JSON', error);
  }
  const file = value as Partial<KeyFile> | null;
  if (typeof file !== 'object' || file === null) storeError(path, 'is not a key file');
  if (file.format !== keyFileFormat) storeError(path, 'is not a credledger issuer key file');
  if (file.version !== keyFileVersion)
    storeError(path, `has format version ${String(file.version)}; this sdk reads ${keyFileVersion}`);
  const kdf = file.kdf;
  if (
    typeof file.kid !== 'string' ||
    !credentialAlgorithms.includes(file.alg as CredentialAlgorithm) ||
    typeof file.publicKeyJwk !== 'object' ||
    // JSON may hold null where the type says an object.
    (file.publicKeyJwk as unknown) === null ||
    typeof file.createdAt !== 'string' ||
    kdf?.name !== 'scrypt' ||
    !inRange(kdf.logN, scryptBounds.logN) ||
    !inRange(kdf.r, scryptBounds.r) ||
    !inRange(kdf.p, scryptBounds.p) ||
    !b64url(kdf.salt, 16) ||
    file.cipher?.name !== 'aes-256-gcm' ||
    !b64url(file.cipher.iv, 12) ||
    !b64url(file.cipher.tag, 16) ||
    !b64url(file.check, 32) ||
    !b64url(file.ciphertext) ||
    typeof file.integrity !== 'string'
  ) {
    storeError(path, 'is damaged (missing or malformed members)');
  }
  const complete = file as KeyFile;
  if (integrityOf(complete) !== complete.integrity) storeError(path, 'is damaged (integrity check failed)');
  return complete;
}

async function readKeyFileText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CredledgerError('FILE_NOT_FOUND', `no key file at ${path}`, { cause: error, details: { path } });
    }
    storeError(path, 'cannot be read', error);
  }
}

/**
 * Reads the public part of a key file (no passphrase needed).
 * @throws CredledgerError FILE_NOT_FOUND; KEY_STORE_ERROR (damaged file)
 */
export async function readIssuerKeyFileInfo(path: string): Promise<KeyFileInfo> {
  const file = parseKeyFile(path, await readKeyFileText(path));
  return { kid: file.kid, alg: file.alg, publicKeyJwk: file.publicKeyJwk, createdAt: file.createdAt };
}

/**
 * Reads and decrypts an issuer key file.
 * @throws CredledgerError PASSPHRASE_REQUIRED (empty); PASSPHRASE_WRONG; FILE_NOT_FOUND;
 *   KEY_STORE_ERROR (damaged or tampered file, or a private key that does not match the recorded public key)
 * @example
 * const key = await readIssuerKeyFile('moj-key-1.json', process.env.CREDLEDGER_KEY_PASSPHRASE ?? await prompt());
 */
export async function readIssuerKeyFile(path: string, passphrase: string): Promise<IssuerKey> {
  requirePassphrase(passphrase);
  const file = parseKeyFile(path, await readKeyFileText(path));
  const derived = await deriveKeys(passphrase, file.kdf);
  if (!timingSafeEqual(checkValue(derived.check), Buffer.from(file.check, 'base64url'))) {
    throw new CredledgerError('PASSPHRASE_WRONG', `the passphrase does not open ${path}`, { details: { path } });
  }
  let secret: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', derived.aes, Buffer.from(file.cipher.iv, 'base64url'));
    decipher.setAAD(Buffer.from(clearPart(file), 'utf8'));
    decipher.setAuthTag(Buffer.from(file.cipher.tag, 'base64url'));
    secret = Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64url')), decipher.final()]);
  } catch (error) {
    // The passphrase was right (check passed), so the sealed content or its clear members were altered.
    storeError(path, 'was tampered with (authentication failed)', error);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: secret, format: 'der', type: 'pkcs8' });
  } catch (error) {
    storeError(path, 'holds no usable private key', error);
  } finally {
    secret.fill(0);
  }
  const key = issuerKeyFromPrivateKey(privateKey, file.kid);
  if (key.alg !== file.alg || JSON.stringify(key.publicKeyJwk) !== JSON.stringify(file.publicKeyJwk)) {
    storeError(path, 'private key does not match its recorded public key');
  }
  return key;
}
