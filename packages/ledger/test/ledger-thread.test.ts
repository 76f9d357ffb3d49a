/**
 * `openLedgerThread`: the embedded ledger on a worker thread behind the same interfaces. Registry calls
 * work through it, the chaincode's errors arrive with their codes, a keyring passphrase is asked of the
 * opening thread (and its own refusal comes back as the very error it threw), and closing stops the
 * thread (jest would not exit otherwise). A real ledger on disk in a temporary folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

import { openLedger, openLedgerThread, Registry } from '@credledger/ledger';

const made: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'credledger-ledger-thread-'));
  made.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

const passphrase = 'a long enough ledger passphrase 1';

describe('openLedgerThread', () => {
  it('serves submits and evaluates from its thread, with the ledger errors of the thread', async () => {
    const directory = await tempDir();
    const network = await openLedgerThread({ backend: 'embedded', directory, fsync: false });
    expect([network.backend, network.embedded]).toEqual(['embedded', undefined]);
    const admin = await network.connect('NdcMSP/admin');
    expect(admin.identity.mspId).toBe('NdcMSP');
    const governance = new Registry(admin);
    // The chaincode's own code, as in-process.
    await expect(governance.getIssuer('did:web:x')).rejects.toMatchObject({ code: 'NOT_INITIALIZED' });
    await governance.init({ governanceMspIds: ['NdcMSP'] });
    await expect(governance.getIssuer('did:web:x')).rejects.toMatchObject({ code: 'ISSUER_NOT_FOUND' });
    await expect(network.connect('MojMSP/nobody')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(admin.events()[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await network.close();
    await expect(governance.getIssuer('did:web:x')).rejects.toThrow('ledger connection is closed');
    // The thread let the ledger go: it opens in-process now and kept what the thread committed.
    await using again = await openLedger({ backend: 'embedded', directory, fsync: false, create: false });
    await expect(new Registry(await again.connect('NdcMSP/admin')).getIssuer('did:web:x')).rejects.toMatchObject({
      code: 'ISSUER_NOT_FOUND',
    });
  }, 60_000);

  it('asks the opening thread for keyring passphrases, and gives back the error it threw', async () => {
    const directory = await tempDir();
    const identityKeys = { scryptLogN: 14, passphrase: () => passphrase };
    await (await openLedger({ backend: 'embedded', directory, fsync: false, identityKeys })).close();

    const asked: string[] = [];
    const network = await openLedgerThread({
      backend: 'embedded',
      directory,
      fsync: false,
      create: false,
      identityKeys: {
        passphrase: (mspId, purpose) => {
          asked.push(`${mspId} ${purpose}`);
          return passphrase;
        },
      },
    });
    await new Registry(await network.connect('NdcMSP/admin')).init({ governanceMspIds: ['NdcMSP'] });
    expect(asked).toEqual(['NdcMSP open']);
    await network.close();

    const refusal = new Error('no passphrase today');
    const refusing = await openLedgerThread({
      backend: 'embedded',
      directory,
      fsync: false,
      create: false,
      identityKeys: {
        passphrase: () => {
          throw refusal;
        },
      },
    });
    const submitted = new Registry(await refusing.connect('MojMSP/operator')).registerIssuer({
      did: 'did:web:x',
      mspId: 'MojMSP',
      name: { 'zh-TW': 'x', en: 'x' },
      credentialTypes: ['LawyerLicenceCredential'],
      keys: [],
    });
    await expect(submitted).rejects.toBe(refusal);
    await refusing.close();
  }, 60_000);

  it('refuses contract classes, which cannot cross to the thread', async () => {
    await expect(
      openLedgerThread({ backend: 'embedded', directory: await tempDir(), contracts: [] }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
