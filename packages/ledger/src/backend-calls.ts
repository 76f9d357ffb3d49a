/**
 * The backends' own functions that callers need without a network open, reached through the lazily
 * loaded backend: sealing an embedded ledger's keys, reading a Fabric connection file.
 */
import type { ProtectedOrg } from './backend-contract.js';
import type { IdentityKeyProtection } from './embedded-types.js';
import type { FabricConnectionProfile } from './fabric-types.js';
import { loadEmbeddedBackend, loadFabricBackend } from './open-ledger.js';

/**
 * Seals the PEM keys of an embedded ledger's local organisations (CAs and identities that may change the
 * ledger) under each organisation's passphrase; safe to run again after an interruption.
 * Fails: PASSPHRASE_REQUIRED, PASSPHRASE_WEAK, PASSPHRASE_WRONG, KEY_STORE_ERROR.
 * @example
 * await protectLocalKeys('.credledger/ledger', { passphrase: (mspId) => passphrases[mspId] });
 */
export async function protectLocalKeys(directory: string, protection: IdentityKeyProtection): Promise<ProtectedOrg[]> {
  return (await loadEmbeddedBackend()).protectLocalKeys(directory, protection);
}

/**
 * Reads and checks a Fabric connection file; relative paths in it are taken relative to the file.
 * Fails: FILE_NOT_FOUND, CONFIG_INVALID.
 */
export async function loadConnectionProfile(path: string): Promise<FabricConnectionProfile> {
  return (await loadFabricBackend()).loadConnectionProfile(path);
}
