/**
 * How the CLI reaches a ledger backend: a backend package that is not installed is said in the CLI's
 * words with what to do, and a Fabric workspace acts only through the connection files it records.
 */
import { describe, expect, it } from '@jest/globals';

import { CredledgerError } from '@credledger/verify';

import { CliError } from '../src/context.js';
import { backendMissing, defaultConfig, openLedgers, type Workspace } from '../src/workspace.js';

describe('ledger backends from the CLI', () => {
  it('says which backend package is missing, in both languages, with what to do', () => {
    const error = backendMissing(
      new CredledgerError('CONFIG_INVALID', 'this ledger needs @credledger/ledger-fabric, which is not installed', {
        details: { package: '@credledger/ledger-fabric' },
      }),
    );
    expect(error).toBeInstanceOf(CliError);
    const said = error as CliError;
    expect(said.code).toBe('CONFIG_INVALID');
    expect(said.said).toEqual({
      'zh-TW': '此帳本需要 @credledger/ledger-fabric，但它沒有安裝',
      en: 'this ledger needs @credledger/ledger-fabric, which is not installed',
    });
    expect(said.hint).toMatchObject({ en: expect.stringContaining('npm install @credledger/ledger-fabric') });
    // Anything else passes unchanged.
    const other = new CredledgerError('CONFIG_INVALID', 'ledger backend must be "embedded" or "fabric"');
    expect(backendMissing(other)).toBe(other);
  });

  it('acts only through the organisations a Fabric workspace has connection files for', async () => {
    const workspace: Workspace = {
      dir: '/nonexistent',
      config: defaultConfig({ backend: 'fabric', connections: { MojMSP: '/nonexistent/moj.json' } }),
      resolve: (path) => path,
    };
    await using network = await openLedgers(workspace);
    // `constructor` is a property of every object, never an organisation of this workspace.
    for (const identity of ['NdcMSP/auditor', 'constructor/x'])
      await expect(network.connect(identity)).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: `no Fabric connection file for ${identity.split('/')[0]} in credledger.json`,
      });
    await expect(network.connect('MojMSP/operator')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
