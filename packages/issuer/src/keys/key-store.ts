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
import { createPrivateKey, hash, randomBytes, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CredledgerError } from '@credledger/verify';
import { credentialAlgorithms, type CredentialAlgorithm } from '../credentials/credential.js';
import { issuerKeyFromPrivateKey, type IssuerKey, type PublicKeyJwk } from './issuer-key.js';
import {
  checkMatches,
  defaultScryptLogN,
  derivePassphraseKeys,
  isBase64url,
  isScryptParams,
  newScryptParams,
  openBytes,
  passphraseCheck,
  scryptBounds,
  sealBytes,
  type ScryptParams,
  assertNewPassphrase,
  writeSecretFileAtomic,
} from '@credledger/keys';

export const keyFileFormat = 'credledger-issuer-key';
export const keyFileVersion = 1;

export { defaultScryptLogN } from '@credledger/keys';

/** The clear part of a key file: what can be read without the passphrase. */
export interface KeyFileInfo {
  readonly kid: string;
  readonly alg: CredentialAlgorithm;
  readonly publicKeyJwk: PublicKeyJwk;
  readonly createdAt: string;
}

interface KeyFile extends KeyFileInfo {
  readonly format: typeof keyFileFormat;
  readonly version: typeof keyFileVersion;
  readonly kdf: ScryptParams;
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
  assertNewPassphrase(passphrase);
  const kdf = newScryptParams(options.scryptLogN ?? defaultScryptLogN);
  if (kdf === undefined) storeError(path, `scrypt cost must be 2^${scryptBounds.logN[0]}..2^${scryptBounds.logN[1]}`);
  const iv = randomBytes(12);
  const clear = {
    format: keyFileFormat,
    version: keyFileVersion,
    kid: key.kid,
    alg: key.alg,
    publicKeyJwk: key.publicKeyJwk,
    createdAt: (options.now ?? new Date()).toISOString(),
    kdf,
  } as const;
  const derived = await derivePassphraseKeys(passphrase, kdf);
  const secret = key.privateKey.export({ format: 'der', type: 'pkcs8' });
  const sealed = sealBytes(derived.aes, secret, clearPart({ ...clear, cipher: { iv: iv.toString('base64url') } }), iv);
  secret.fill(0);
  const unchecked: Omit<KeyFile, 'integrity'> = {
    ...clear,
    cipher: { name: 'aes-256-gcm', iv: sealed.iv, tag: sealed.tag },
    check: passphraseCheck(derived, checkLabel),
    ciphertext: sealed.ciphertext,
  };
  const file: KeyFile = { ...unchecked, integrity: integrityOf(unchecked) };
  try {
    await writeSecretFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, options.overwrite ?? false);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') storeError(path, 'already exists', error);
    storeError(path, 'cannot be written', error);
  }
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
    !isScryptParams(kdf) ||
    file.cipher?.name !== 'aes-256-gcm' ||
    !isBase64url(file.cipher.iv, 12) ||
    !isBase64url(file.cipher.tag, 16) ||
    !isBase64url(file.check, 32) ||
    !isBase64url(file.ciphertext) ||
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
  const derived = await derivePassphraseKeys(passphrase, file.kdf);
  if (!checkMatches(derived, checkLabel, file.check)) {
    throw new CredledgerError('PASSPHRASE_WRONG', `the passphrase does not open ${path}`, { details: { path } });
  }
  let secret: Buffer;
  try {
    secret = openBytes(derived.aes, { ...file.cipher, ciphertext: file.ciphertext }, clearPart(file));
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
