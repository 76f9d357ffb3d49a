/**
 * Sealing the PEM keys of an embedded ledger made before keyrings existed (or without a passphrase
 * source): `credledger ledger protect-keys`. Per organisation, its keyring is made (or opened), each CA
 * and writer key is sealed beside its PEM file, checked to open to the same key, and only then is the
 * PEM file removed and the folder fsynced. Interrupted anywhere, the ledger still opens (a sealed key
 * wins over a PEM one) and running it again finishes the work. Keys of read-only `auditor` identities stay
 * PEM (docs/decisions/0020).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CredledgerError } from '@credledger/verify';

import { syncDirectory } from '@credledger/keys';
import type { IdentityKeyProtection, ProtectedOrg } from '@credledger/ledger';
import { storedMspIds, storedUsers } from './local-ca.js';
import { OrgKeyrings, publicDerOf, sealedPath } from './org-keyring.js';

/**
 * Seals every CA and writer key of the local organisations under `directory/msp` that is still PEM.
 * Fails: PASSPHRASE_REQUIRED, PASSPHRASE_WEAK, PASSPHRASE_WRONG, KEY_STORE_ERROR (a key that does not
 * match its certificate, a sealed and a PEM key that differ, a file that cannot be written).
 */
export async function protectLocalKeys(directory: string, protection: IdentityKeyProtection): Promise<ProtectedOrg[]> {
  const keyrings = new OrgKeyrings(join(directory, 'msp'), protection);
  const result: ProtectedOrg[] = [];
  for (const mspId of await storedMspIds(keyrings.mspDir)) {
    const orgDir = join(keyrings.mspDir, mspId);
    const keys = [
      { owner: `${mspId}/ca`, keyPath: join(orgDir, 'ca', 'ca.key'), certPath: join(orgDir, 'ca', 'ca.pem') },
      ...(await storedUsers(keyrings.mspDir, mspId))
        .filter((user) => user.role !== 'auditor')
        .map((user) => ({
          owner: `${mspId}/${user.name}`,
          keyPath: join(orgDir, 'users', `${user.name}.key`),
          certPath: join(orgDir, 'users', `${user.name}.pem`),
        })),
    ];
    const sealed: string[] = [];
    const alreadySealed: string[] = [];
    let keyringCreated = false;
    for (const { owner, keyPath, certPath } of keys) {
      const pem = await readOptional(keyPath);
      if (pem === undefined) {
        alreadySealed.push(owner);
        continue;
      }
      const certificateKey = publicDerOf(new X509Certificate(await readFile(certPath)).publicKey);
      const key = createPrivateKey(pem);
      if (!publicDerOf(key).equals(certificateKey))
        throw new CredledgerError('KEY_STORE_ERROR', `${keyPath}: is not the key of ${owner}'s certificate`, {
          details: { path: keyPath },
        });
      if (!(await keyrings.exists(mspId))) {
        await keyrings.create(mspId);
        keyringCreated = true;
      }
      // A sealed file left by an interrupted run must hold this very key before the PEM one goes.
      const already = await readOptional(sealedPath(keyPath));
      if (already === undefined) await keyrings.seal(mspId, owner, keyPath, key);
      await keyrings.unseal(mspId, owner, sealedPath(keyPath), certificateKey);
      await unlink(keyPath);
      await syncDirectory(dirname(keyPath));
      sealed.push(owner);
    }
    result.push({ mspId, keyringCreated, sealed, alreadySealed });
  }
  return result;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CredledgerError('KEY_STORE_ERROR', `cannot read ${path}`, { cause: error, details: { path } });
  }
}
