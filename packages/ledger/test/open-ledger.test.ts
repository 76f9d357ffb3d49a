/**
 * `openLedger`: one interface for both backends, each backend loaded only when a ledger of its kind is
 * opened, and a backend that is not installed named in the error. Real backends throughout: the
 * embedded ledger on disk in a temporary folder, the Fabric backend reading a connection file.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
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
    await expect(ledger.evaluate('IssuerRegistryContract:GetIssuer', '{}')).rejects.toThrow(
      'ledger connection is closed',
    );
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
    // Every module the child resolves, ES modules included, seen through a resolve hook.
    const [afterImport, afterFabric, afterEmbedded] = child(`
      import { registerHooks } from 'node:module';
      const seen = [];
      registerHooks({ resolve: (specifier, context, next) => { const r = next(specifier, context); seen.push(r.url); return r; } });
      const loaded = (re) => seen.filter((url) => re.test(url)).length > 0;
      const kinds = () => JSON.stringify({
        embedded: loaded(/ledger-embedded|fabric-shim|classic-level/),
        fabric: loaded(/ledger-fabric/),
        grpc: loaded(/fabric-gateway|grpc-js/),
      });
      const { openLedger } = await import('@credledger/ledger');
      console.log(kinds());
      const fabric = await openLedger({ backend: 'fabric', connections: { MojMSP: '/nonexistent/moj.json' } });
      const code = await fabric.connect('MojMSP/operator').catch((e) => e.code);
      console.log(JSON.stringify([JSON.parse(kinds()), code]));
      await using embedded = await openLedger({ backend: 'embedded', directory: ${JSON.stringify(directory)}, fsync: false });
      console.log(kinds());
    `);
    expect(JSON.parse(afterImport ?? '')).toEqual({ embedded: false, fabric: false, grpc: false });
    // The Fabric backend ran (its connection file reader answered), loaded none of the embedded ledger's
    // modules, and no gRPC before a connection is made.
    expect(JSON.parse(afterFabric ?? '')).toEqual([{ embedded: false, fabric: true, grpc: false }, 'FILE_NOT_FOUND']);
    // The probe sees the embedded backend once one is opened.
    expect(JSON.parse(afterEmbedded ?? '')).toMatchObject({ embedded: true });
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
  it('reports a package a backend needs as itself, not as the backend missing', async () => {
    const dir = await tempDir();
    const modules = join(dir, 'node_modules', '@credledger');
    await mkdir(join(modules, 'ledger-fabric'), { recursive: true });
    await cp(join(packageDir, 'dist'), join(modules, 'ledger', 'dist'), { recursive: true });
    await cp(join(packageDir, 'package.json'), join(modules, 'ledger', 'package.json'));
    await symlink(resolve(packageDir, '..', 'verify'), join(modules, 'verify'));
    // A backend installed without one of its own dependencies.
    await writeFile(
      join(modules, 'ledger-fabric', 'package.json'),
      JSON.stringify({ name: '@credledger/ledger-fabric', type: 'module', exports: './index.js' }),
    );
    await writeFile(join(modules, 'ledger-fabric', 'index.js'), "export * from '@credledger/keys';\n");
    const [answer] = child(
      `
      const { ledgers } = await import('@credledger/ledger');
      await ledgers.fabric({ profile: 'x.json' }).catch((e) => console.log(JSON.stringify([e.code, e.message.split('\\n')[0]])));
    `,
      dir,
    );
    const [code, message] = JSON.parse(answer ?? '') as [string, string];
    expect(code).toBe('ERR_MODULE_NOT_FOUND');
    expect(message).toContain("Cannot find package '@credledger/keys'");
  });
});
