/**
 * Issuer keys in a PKCS#11 token (an HSM): the PIN, and the token key a workspace names, opened through
 * @credledger/pkcs11 — imported only when a command needs a token, so nobody else loads it or pkcs11js.
 *
 * The PIN comes from CREDLEDGER_PKCS11_PIN or a prompt on the terminal that echoes nothing; never from
 * a command-line argument (other users see those in `ps`), never printed, logged or put in an error.
 */
import { isAbsolute, resolve } from 'node:path';

import type { Pkcs11Key, Pkcs11Token } from '@credledger/pkcs11';

import { cliError } from './context.js';
import { promptHidden } from './passphrase.js';
import type { TokenKeyReference } from './workspace.js';

export const pinEnv = 'CREDLEDGER_PKCS11_PIN';

/** The user PIN of a token. Fails: PKCS11_PIN_REQUIRED when there is no env var and no terminal. */
export async function tokenPin(token: string): Promise<string> {
  const fromEnv = process.env[pinEnv];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw cliError('PKCS11_PIN_REQUIRED', 'noTerminal', { env: pinEnv, token: JSON.stringify(token) });
  }
  const pin = await promptHidden(`PIN of token ${token}: `);
  if (pin === '') throw cliError('PKCS11_PIN_REQUIRED', 'empty', {});
  return pin;
}

/** A token key as the command line names it: all of --pkcs11, --token and --key-label, or none. */
export interface TokenKeyFlags {
  readonly pkcs11?: string;
  readonly token?: string;
  readonly keyLabel?: string;
}

/** The reference the flags name (the module path made absolute), or undefined. Fails: INVALID_INPUT. */
export function tokenKeyReference(flags: TokenKeyFlags): TokenKeyReference | undefined {
  const { pkcs11, token, keyLabel } = flags;
  if (pkcs11 === undefined && token === undefined && keyLabel === undefined) return undefined;
  if (pkcs11 === undefined || token === undefined || keyLabel === undefined || !pkcs11 || !token || !keyLabel)
    throw cliError('INVALID_INPUT', 'tokenFlags', {});
  return { module: isAbsolute(pkcs11) ? pkcs11 : resolve(pkcs11), token, keyLabel };
}

/** An open token and one of its keys; disposing closes the token. */
export interface OpenTokenKey extends AsyncDisposable {
  readonly token: Pkcs11Token;
  readonly key: Pkcs11Key;
  /** The key was generated now (`generate`), not found. */
  readonly generated: boolean;
}

/**
 * Opens the token a reference names and its key: `existing` uses the key with the label, `generate`
 * makes a new one there. A key that is extractable or not sensitive is refused: the point of a token
 * is that the key never leaves it.
 * Fails: PKCS11_MODULE_UNAVAILABLE, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_*, PKCS11_KEY_NOT_FOUND,
 * PKCS11_KEY_EXISTS, PKCS11_KEY_UNSUITABLE, PKCS11_DEVICE_ERROR.
 */
export async function openTokenKey(
  reference: TokenKeyReference,
  mode: 'existing' | 'generate' = 'existing',
): Promise<OpenTokenKey> {
  const { openToken } = await import('@credledger/pkcs11');
  const pin = await tokenPin(reference.token);
  const token = await openToken({ module: reference.module, label: reference.token, pin });
  try {
    const key = mode === 'generate' ? await token.generateKey(reference.keyLabel) : await token.key(reference.keyLabel);
    if (key.protection.extractable || !key.protection.sensitive)
      throw cliError('PKCS11_KEY_UNSUITABLE', 'extractable', {
        keyLabel: JSON.stringify(reference.keyLabel),
        token: JSON.stringify(reference.token),
      });
    return { token, key, generated: mode === 'generate', [Symbol.asyncDispose]: () => token.close() };
  } catch (error) {
    await token.close();
    throw error;
  }
}

/** Whether two public JWKs are the same key. */
export function sameKey(
  a: { readonly kty?: string; readonly crv?: string; readonly x?: string; readonly y?: string },
  b: { readonly kty?: string; readonly crv?: string; readonly x?: string; readonly y?: string },
): boolean {
  return a.kty === b.kty && a.crv === b.crv && a.x !== undefined && a.x === b.x && a.y === b.y;
}
