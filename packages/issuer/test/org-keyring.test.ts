/**
 * Ledger identities at rest (docs/decisions/0020): the keys of the local CAs and of identities that may
 * change the ledger are sealed under their organisation's passphrase; read-only auditors stay PEM; a
 * ledger made before keyrings is sealed in place, and an interrupted sealing finishes when run again.
 */
import { copyFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';

import { assertNewPassphrase, passphraseMeasure } from '@credledger/keys';
import { protectLocalKeys, type IdentityKeyProtection } from '@credledger/ledger';
import { openFixtureNetwork, tempDir } from './helpers/ledger-fixture.js';

const passphrases: Record<string, string> = {
  NdcMSP: 'governance passphrase 國發會',
  MojMSP: 'justice passphrase 法務部',
  MoeaMSP: 'economy passphrase 經濟部',
};

/** A passphrase source that counts how often each organisation is asked. */
function source(values: Record<string, string> = passphrases): IdentityKeyProtection & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    scryptLogN: 14,
    passphrase: (mspId, purpose) => {
      asked.push(`${mspId}:${purpose}`);
      return values[mspId] ?? '';
    },
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** The files under msp/ that hold a private key in clear. */
async function clearKeys(directory: string): Promise<string[]> {
  const msp = join(directory, 'msp');
  const found: string[] = [];
  for (const file of await filesUnder(msp))
    if ((await readFile(join(msp, file), 'utf8')).includes('PRIVATE KEY')) found.push(file);
  return found.sort();
}

const auditorKeys = ['MoeaMSP/users/auditor.key', 'MojMSP/users/auditor.key', 'NdcMSP/users/auditor.key'];

describe('ledger identities at rest', () => {
  it('seals CA and writer keys under each organisation passphrase and asks each organisation once', async () => {
    const keys = source();
    const { network, directory } = await openFixtureNetwork({ fsync: false, identityKeys: keys });
    try {
      expect(keys.asked).toEqual(['NdcMSP:new', 'MojMSP:new', 'MoeaMSP:new']);
      expect(await clearKeys(directory)).toEqual(auditorKeys);
      for (const file of ['NdcMSP/keyring.json', 'NdcMSP/ca/ca.key.sealed', 'MojMSP/users/operator.key.sealed'])
        expect((await stat(join(directory, 'msp', file))).mode & 0o777).toBe(0o600);
      expect(network.identities().map((i) => `${i.name}:${i.sealed}`)).toEqual([
        'NdcMSP/admin:true',
        'NdcMSP/auditor:false',
        'MojMSP/operator:true',
        'MojMSP/auditor:false',
        'MoeaMSP/operator:true',
        'MoeaMSP/auditor:false',
      ]);
      const ledger = network.connect('MojMSP/operator');
      await ledger.submit('Put', 'k', 'v1');
      await ledger.submit('Put', 'k', 'v2');
      expect(Buffer.from(await network.connect('MojMSP/auditor').evaluate('Get', 'k')).toString()).toBe('v2');
    } finally {
      await network.close();
    }
    try {
      // Reopened: nothing asked until a sealed key signs, then once per organisation.
      const again = source();
      const { network: reopened } = await openFixtureNetwork({ directory, fsync: false, identityKeys: again });
      try {
        expect(again.asked).toEqual([]);
        expect(Buffer.from(await reopened.connect('NdcMSP/auditor').evaluate('Get', 'k')).toString()).toBe('v2');
        expect(again.asked).toEqual([]);
        await reopened.connect('MojMSP/operator').submit('Put', 'k', 'v3');
        await reopened.connect('MojMSP/operator').submit('Put', 'k', 'v4');
        expect(again.asked).toEqual(['MojMSP:open']);
      } finally {
        await reopened.close();
      }

      // Without a passphrase source, or with a wrong passphrase, a sealed key does not sign; reads still work.
      const { network: bare } = await openFixtureNetwork({ directory, fsync: false });
      try {
        await expect(bare.connect('NdcMSP/admin').submit('Put', 'k', 'x')).rejects.toMatchObject({
          code: 'PASSPHRASE_REQUIRED',
          details: { mspId: 'NdcMSP' },
        });
        expect(Buffer.from(await bare.connect('MojMSP/auditor').evaluate('Get', 'k')).toString()).toBe('v4');
      } finally {
        await bare.close();
      }
      const attacker = source({ ...passphrases, NdcMSP: 'attacker chosen passphrase' });
      const { network: wrong } = await openFixtureNetwork({ directory, fsync: false, identityKeys: attacker });
      try {
        await expect(wrong.connect('NdcMSP/admin').submit('Put', 'k', 'x')).rejects.toMatchObject({
          code: 'PASSPHRASE_WRONG',
          details: { mspId: 'NdcMSP' },
        });
        await expect(
          wrong.certify({ mspId: 'NdcMSP', name: 'minted', role: 'governance-admin', publicKeyJwk: await p256Jwk() }),
        ).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG' });
        expect(Buffer.from(await wrong.connect('MojMSP/auditor').evaluate('Get', 'k')).toString()).toBe('v4');
      } finally {
        await wrong.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses a sealed key moved to another identity or altered', async () => {
    const { network, directory, dispose } = await openFixtureNetwork({ fsync: false, identityKeys: source() });
    await network.close();
    try {
      const msp = join(directory, 'msp');
      // The CA's sealed key put in place of the governance admin's: it opens, but is not the admin's.
      await copyFile(join(msp, 'NdcMSP/ca/ca.key.sealed'), join(msp, 'NdcMSP/users/admin.key.sealed'));
      const moved = await openFixtureNetwork({ directory, fsync: false, identityKeys: source() });
      try {
        await expect(moved.network.connect('NdcMSP/admin').submit('Put', 'k', 'x')).rejects.toMatchObject({
          code: 'KEY_STORE_ERROR',
          message: expect.stringContaining('is the key of NdcMSP/ca, not of NdcMSP/admin'),
        });
      } finally {
        await moved.network.close();
      }
      // Renamed inside too: the owner is authenticated, so the file no longer opens.
      const path = join(msp, 'NdcMSP/users/admin.key.sealed');
      const file = JSON.parse(await readFile(path, 'utf8')) as { owner: string };
      await writeFile(path, JSON.stringify({ ...file, owner: 'NdcMSP/admin' }));
      // Another organisation's sealed key does not open with this organisation's keyring.
      await copyFile(join(msp, 'MoeaMSP/users/operator.key.sealed'), join(msp, 'MojMSP/users/operator.key.sealed'));
      const altered = await openFixtureNetwork({ directory, fsync: false, identityKeys: source() });
      try {
        for (const name of ['NdcMSP/admin', 'MojMSP/operator'])
          await expect(altered.network.connect(name).submit('Put', 'k', 'x')).rejects.toMatchObject({
            code: 'KEY_STORE_ERROR',
          });
      } finally {
        await altered.network.close();
      }
    } finally {
      await dispose();
    }
  });

  it('seals a ledger made with PEM keys in place, and finishes an interrupted sealing when run again', async () => {
    const { network, directory, dispose } = await openFixtureNetwork({ fsync: false });
    try {
      await network.connect('MojMSP/operator').submit('Put', 'k', 'before');
      await network.close();
      const msp = join(directory, 'msp');
      expect(await clearKeys(directory)).toEqual(
        [...auditorKeys, 'MoeaMSP/ca/ca.key', 'MoeaMSP/users/operator.key', 'MojMSP/ca/ca.key']
          .concat(['MojMSP/users/operator.key', 'NdcMSP/ca/ca.key', 'NdcMSP/users/admin.key'])
          .sort(),
      );
      const adminPem = await readFile(join(msp, 'NdcMSP/users/admin.key'));

      const keys = source();
      const result = await protectLocalKeys(directory, keys);
      expect(result).toEqual([
        { mspId: 'MoeaMSP', keyringCreated: true, sealed: ['MoeaMSP/ca', 'MoeaMSP/operator'], alreadySealed: [] },
        { mspId: 'MojMSP', keyringCreated: true, sealed: ['MojMSP/ca', 'MojMSP/operator'], alreadySealed: [] },
        { mspId: 'NdcMSP', keyringCreated: true, sealed: ['NdcMSP/ca', 'NdcMSP/admin'], alreadySealed: [] },
      ]);
      expect(keys.asked).toEqual(['MoeaMSP:new', 'MojMSP:new', 'NdcMSP:new']);
      expect(await clearKeys(directory)).toEqual(auditorKeys);

      // Interrupted after sealing, before the PEM file went: the ledger opens on the sealed key, and a
      // second run removes the PEM file.
      await writeFile(join(msp, 'NdcMSP/users/admin.key'), adminPem, { mode: 0o600 });
      const reopened = await openFixtureNetwork({ directory, fsync: false, identityKeys: source() });
      try {
        expect(reopened.network.identities().find((i) => i.name === 'NdcMSP/admin')?.sealed).toBe(true);
        await reopened.network.connect('NdcMSP/admin').submit('Put', 'k', 'after');
        expect(Buffer.from(await reopened.network.connect('MojMSP/auditor').evaluate('Get', 'k')).toString()).toBe(
          'after',
        );
      } finally {
        await reopened.network.close();
      }
      const again = await protectLocalKeys(directory, source());
      expect(again.find((o) => o.mspId === 'NdcMSP')).toEqual({
        mspId: 'NdcMSP',
        keyringCreated: false,
        sealed: ['NdcMSP/admin'],
        alreadySealed: ['NdcMSP/ca'],
      });
      expect(await clearKeys(directory)).toEqual(auditorKeys);
      await expect(protectLocalKeys(directory, source({ ...passphrases, MojMSP: 'not the one' }))).resolves.toEqual(
        expect.arrayContaining([expect.objectContaining({ mspId: 'MojMSP', sealed: [] })]),
      );
    } finally {
      await dispose();
    }
  });

  it('holds a new passphrase to the stated minimum, and makes nothing with a weak one', async () => {
    for (const weak of ['', 'short', 'aaaaaaaaaaaaaaaa', '121212121212', '法務部法務部']) {
      expect(() => {
        assertNewPassphrase(weak);
      }).toThrow(expect.objectContaining({ code: weak === '' ? 'PASSPHRASE_REQUIRED' : 'PASSPHRASE_WEAK' }));
    }
    for (const strong of ['correct horse', '律師證書的密語', 'Ab3$efgh-ijk']) {
      expect(() => {
        assertNewPassphrase(strong);
      }).not.toThrow();
    }
    expect(passphraseMeasure('律師證書的密語')).toEqual({ length: 14, distinct: 7 });

    const directory = await tempDir('weak');
    try {
      await expect(
        openFixtureNetwork({ directory, fsync: false, identityKeys: source({ ...passphrases, NdcMSP: 'password' }) }),
      ).rejects.toMatchObject({ code: 'PASSPHRASE_WEAK', message: expect.not.stringContaining('password') });
      expect(await clearKeys(directory).catch(() => [])).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

async function p256Jwk(): Promise<{ kty: 'EC'; crv: 'P-256'; x: string; y: string }> {
  const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
  const jwk = await globalThis.crypto.subtle.exportKey('jwk', pair.publicKey);
  return { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' };
}
