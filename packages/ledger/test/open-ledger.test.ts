/**
 * `openLedger`: one interface for both backends, each backend loaded only when a ledger of its kind is
 * opened, and a backend that is not installed named in the error. Real backends throughout: the
 * embedded ledger on disk in a temporary folder, the Fabric backend reading a connection file.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';

import { openLedger, type LedgerConfig } from '@credledger/ledger';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const made: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'credledger-open-ledger-'));
  made.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/** Runs an ES module script with Node in `cwd`; its stdout lines. */
function child(script: string, cwd = packageDir): string[] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return run.stdout.trim().split('\n');
}

describe('openLedger', () => {
  it('opens the embedded ledger behind the network interface, and closes what it connected', async () => {
    const directory = await tempDir();
    const network = await openLedger({ backend: 'embedded', directory, fsync: false });
    expect(network.backend).toBe('embedded');
    expect(network.embedded?.identities().map((identity) => identity.name)).toContain('MojMSP/operator');
    const ledger = await network.connect('MojMSP/operator');
    expect(ledger.identity.mspId).toBe('MojMSP');
    // The chaincode runs: an uninitialised registry answers with the chaincode's own code.
    await expect(
      ledger.evaluate('IssuerRegistryContract:GetIssuer', JSON.stringify({ did: 'did:web:x' })),
    ).rejects.toMatchObject({
      code: 'NOT_INITIALIZED',
    });
    await expect(network.connect('MojMSP/nobody')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await network.close();
    // Closing the network closed the connection it gave.
    await expect(ledger.evaluate('IssuerRegistryContract:GetIssuer', '{}')).rejects.toBeDefined();
  });

  it('opens a Fabric network by connection file per organisation', async () => {
    const dir = await tempDir();
    await using network = await openLedger({ backend: 'fabric', connections: { MojMSP: join(dir, 'moj.json') } });
    expect([network.backend, network.embedded]).toEqual(['fabric', undefined]);
    // No connection file for the organisation: nothing is loaded or dialled.
    await expect(network.connect('NdcMSP/auditor')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      details: { mspId: 'NdcMSP' },
    });
    // The Fabric backend reads the organisation's connection file, which is missing here.
    await expect(network.connect('MojMSP/operator')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('refuses a backend it does not know', async () => {
    await expect(openLedger({ backend: 'couchdb' } as unknown as LedgerConfig)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });

  it('loads a backend only when a ledger of its kind is opened', async () => {
    const directory = await tempDir();
    const [afterImport, afterFabric, afterEmbedded] = child(`
      import { createRequire } from 'node:module';
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((p) => /fabric-shim|classic-level/.test(p)).length;
      const { openLedger } = await import('@credledger/ledger');
      console.log(loaded());
      const fabric = await openLedger({ backend: 'fabric', connections: { MojMSP: '/nonexistent/moj.json' } });
      const code = await fabric.connect('MojMSP/operator').catch((e) => e.code);
      console.log(JSON.stringify([loaded(), code]));
      await using embedded = await openLedger({ backend: 'embedded', directory: ${JSON.stringify(directory)}, fsync: false });
      console.log(loaded() > 0);
    `);
    expect(afterImport).toBe('0');
    // The Fabric backend ran (its connection file reader answered) and loaded none of the embedded
    // ledger's modules; the last line proves the probe sees them once the embedded ledger opens.
    expect(JSON.parse(afterFabric ?? '')).toEqual([0, 'FILE_NOT_FOUND']);
    expect(afterEmbedded).toBe('true');
  });

  it('names the backend package to install when it is missing', async () => {
    // @credledger/ledger installed alone: a copy in a folder with no backend beside it.
    const dir = await tempDir();
    const target = join(dir, 'node_modules', '@credledger');
    await mkdir(target, { recursive: true });
    await cp(join(packageDir, 'dist'), join(target, 'ledger', 'dist'), { recursive: true });
    await cp(join(packageDir, 'package.json'), join(target, 'ledger', 'package.json'));
    await symlink(resolve(packageDir, '..', 'verify'), join(target, 'verify'));
    const [fabric, embedded] = child(
      `
      const { ledgers } = await import('@credledger/ledger');
      for (const open of [() => ledgers.fabric({ profile: 'x.json' }), () => ledgers.embedded({ directory: 'x' })])
        await open().catch((e) => console.log(JSON.stringify([e.code, e.message])));
    `,
      dir,
    );
    expect(JSON.parse(fabric ?? '')).toEqual([
      'CONFIG_INVALID',
      'this ledger needs @credledger/ledger-fabric, which is not installed: npm install @credledger/ledger-fabric',
    ]);
    expect(JSON.parse(embedded ?? '')[1]).toContain('npm install @credledger/ledger-embedded');
  });
});
