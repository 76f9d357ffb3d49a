/**
 * The keyring of a local organisation: the private keys of its CA and of its identities that may change
 * the ledger, sealed under the organisation's passphrase (docs/decisions/0020).
 *
 * - `msp/<MspId>/keyring.json` (`credledger-org-keyring` v1): the scrypt parameters and a `check` that
 *   tells a wrong passphrase; one scrypt per organisation per process, however many keys it opens.
 * - `<key file>.sealed` (`credledger-sealed-key` v1) beside each certificate, e.g.
 *   `users/operator.key.sealed`, `ca/ca.key.sealed`: the PKCS#8 key under AES-256-GCM whose additional
 *   data names the key's owner (`MojMSP/operator`) and the keyring's salt, so a file moved to another
 *   identity or another keyring does not open. An opened key must match its certificate.
 * Files are written atomically, mode 0600. Nothing here logs, and no passphrase is kept: only the derived
 * key, in this object, for the life of the network that owns it.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CredledgerError } from '@credledger/verify';

import type { IdentityKeyProtection } from '@credledger/ledger';
import {
  assertNewPassphrase,
  checkMatches,
  defaultScryptLogN,
  derivePassphraseKeys,
  isBase64url,
  isScryptParams,
  isSealed,
  newScryptParams,
  openBytes,
  passphraseCheck,
  sealBytes,
  scryptBounds,
  writeSecretFileAtomic,
  type ScryptParams,
} from '@credledger/keys';

export const keyringFormat = 'credledger-org-keyring';
export const sealedKeyFormat = 'credledger-sealed-key';
const version = 1;

interface KeyringFile {
  readonly format: typeof keyringFormat;
  readonly version: typeof version;
  readonly mspId: string;
  readonly kdf: ScryptParams;
  readonly check: string;
}

interface SealedKeyFile {
  readonly format: typeof sealedKeyFormat;
  readonly version: typeof version;
  readonly owner: string;
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

interface OpenKeyring {
  readonly aes: Buffer;
  readonly salt: string;
}

/** Where a sealed key is kept for a key file path (`users/operator.key` → `users/operator.key.sealed`). */
export const sealedPath = (keyPath: string): string => `${keyPath}.sealed`;

const checkLabel = (mspId: string): string => `credledger org keyring v1\n${mspId}`;
const additionalData = (owner: string, salt: string): string => JSON.stringify([sealedKeyFormat, version, owner, salt]);

function storeError(path: string, problem: string, cause?: unknown): never {
  throw new CredledgerError('KEY_STORE_ERROR', `${path}: ${problem}`, {
    details: { path, problem },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The keyrings of the organisations under one `msp/` folder, opened on demand. */
export class OrgKeyrings {
  private readonly opened = new Map<string, Promise<OpenKeyring>>();

  constructor(
    readonly mspDir: string,
    private readonly protection: IdentityKeyProtection | undefined,
  ) {}

  /** True when new keys are to be sealed (a passphrase source was given). */
  get sealsNewKeys(): boolean {
    return this.protection !== undefined;
  }

  private keyringPath(mspId: string): string {
    return join(this.mspDir, mspId, 'keyring.json');
  }

  /** True when the organisation has a keyring. */
  async exists(mspId: string): Promise<boolean> {
    return (await readText(this.keyringPath(mspId))) !== undefined;
  }

  /**
   * Makes the organisation's keyring under a new passphrase (held to the minimum strength).
   * Fails: PASSPHRASE_REQUIRED (no passphrase source), PASSPHRASE_WEAK, KEY_STORE_ERROR (exists, cannot write).
   */
  async create(mspId: string): Promise<void> {
    const path = this.keyringPath(mspId);
    const protection = this.requireProtection(mspId, 'to make its keyring');
    const passphrase = await protection.passphrase(mspId, 'new');
    assertNewPassphrase(passphrase);
    const kdf = newScryptParams(protection.scryptLogN ?? defaultScryptLogN);
    if (kdf === undefined) storeError(path, `scrypt cost must be 2^${scryptBounds.logN[0]}..2^${scryptBounds.logN[1]}`);
    const derived = await derivePassphraseKeys(passphrase, kdf);
    const file: KeyringFile = {
      format: keyringFormat,
      version,
      mspId,
      kdf,
      check: passphraseCheck(derived, checkLabel(mspId)),
    };
    try {
      await writeSecretFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, false);
    } catch (error) {
      storeError(
        path,
        (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'already exists' : 'cannot be written',
        error,
      );
    }
    this.opened.set(mspId, Promise.resolve({ aes: derived.aes, salt: kdf.salt }));
  }

  /** Seals `privateKey` as `owner`'s key at `sealedPath(keyPath)`. Fails: KEY_STORE_ERROR (exists, cannot write). */
  async seal(mspId: string, owner: string, keyPath: string, privateKey: KeyObject): Promise<void> {
    const keyring = await this.open(mspId);
    const path = sealedPath(keyPath);
    const secret = privateKey.export({ format: 'der', type: 'pkcs8' });
    const sealed = sealBytes(keyring.aes, secret, additionalData(owner, keyring.salt));
    secret.fill(0);
    const file: SealedKeyFile = { format: sealedKeyFormat, version, owner, ...sealed };
    try {
      await writeSecretFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, false);
    } catch (error) {
      storeError(
        path,
        (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'already exists' : 'cannot be written',
        error,
      );
    }
  }

  /**
   * Opens `owner`'s sealed key at `path` and checks it is the key of `certificatePublicKey` (SPKI DER).
   * Fails: PASSPHRASE_REQUIRED, PASSPHRASE_WRONG, KEY_STORE_ERROR (damaged, moved or tampered file).
   */
  async unseal(mspId: string, owner: string, path: string, certificatePublicKey: Buffer): Promise<KeyObject> {
    const text = await readText(path);
    if (text === undefined) storeError(path, 'is missing');
    const file = parseSealed(path, text);
    if (file.owner !== owner) storeError(path, `is the key of ${file.owner}, not of ${owner}`);
    const keyring = await this.open(mspId);
    let secret: Buffer;
    try {
      secret = openBytes(keyring.aes, file, additionalData(owner, keyring.salt));
    } catch (error) {
      // The keyring opened, so this file was altered, moved here from elsewhere, or sealed by another keyring.
      storeError(path, 'does not open with its organisation keyring (altered or moved)', error);
    }
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: secret, format: 'der', type: 'pkcs8' });
    } catch (error) {
      storeError(path, 'holds no usable private key', error);
    } finally {
      secret.fill(0);
    }
    if (!publicDerOf(key).equals(certificatePublicKey)) storeError(path, `is not the key of ${owner}'s certificate`);
    return key;
  }

  /** The organisation's keyring, opened once with its passphrase. */
  private open(mspId: string): Promise<OpenKeyring> {
    let opening = this.opened.get(mspId);
    if (opening === undefined) {
      opening = this.openNow(mspId);
      this.opened.set(mspId, opening);
      // A wrong passphrase may be corrected on the next use.
      opening.catch(() => this.opened.delete(mspId));
    }
    return opening;
  }

  private async openNow(mspId: string): Promise<OpenKeyring> {
    const path = this.keyringPath(mspId);
    const text = await readText(path);
    if (text === undefined) storeError(path, 'is missing (the organisation has sealed keys but no keyring)');
    const file = parseKeyring(path, text, mspId);
    const protection = this.requireProtection(mspId, 'to open its keyring');
    const passphrase = await protection.passphrase(mspId, 'open');
    if (typeof passphrase !== 'string' || passphrase === '')
      throw new CredledgerError('PASSPHRASE_REQUIRED', `the keyring of ${mspId} needs its passphrase`, {
        details: { mspId, path },
      });
    const derived = await derivePassphraseKeys(passphrase, file.kdf);
    if (!checkMatches(derived, checkLabel(mspId), file.check))
      throw new CredledgerError('PASSPHRASE_WRONG', `the passphrase does not open the keyring of ${mspId}`, {
        details: { mspId, path },
      });
    return { aes: derived.aes, salt: file.kdf.salt };
  }

  private requireProtection(mspId: string, why: string): IdentityKeyProtection {
    if (this.protection === undefined)
      throw new CredledgerError('PASSPHRASE_REQUIRED', `${mspId}'s passphrase is needed ${why}`, {
        details: { mspId, path: this.keyringPath(mspId) },
      });
    return this.protection;
  }
}

/** The SubjectPublicKeyInfo DER of a key's public half. */
export function publicDerOf(key: KeyObject): Buffer {
  return (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    storeError(path, 'cannot be read', error);
  }
}

function parseJson(path: string, text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (error) {
    storeError(path, 'is not JSON', error);
  }
  storeError(path, 'is not a JSON object');
}

function parseKeyring(path: string, text: string, mspId: string): KeyringFile {
  const file = parseJson(path, text);
  if (file.format !== keyringFormat || file.version !== version) storeError(path, 'is not a credledger keyring (v1)');
  if (file.mspId !== mspId) storeError(path, `is the keyring of ${String(file.mspId)}, not of ${mspId}`);
  if (!isScryptParams(file.kdf) || !isBase64url(file.check, 32)) storeError(path, 'is damaged');
  return file as unknown as KeyringFile;
}

function parseSealed(path: string, text: string): SealedKeyFile {
  const file = parseJson(path, text);
  if (file.format !== sealedKeyFormat || file.version !== version)
    storeError(path, 'is not a credledger sealed key (v1)');
  if (typeof file.owner !== 'string' || !isSealed(file)) storeError(path, 'is damaged');
  return file as unknown as SealedKeyFile;
}
