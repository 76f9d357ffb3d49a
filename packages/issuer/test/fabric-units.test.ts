/**
 * The Fabric backend's pure parts: connection files, checkpoints, lazy loading (error mapping: from-ledger-error.test.ts).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { checkpointers } from '@credledger/ledger';
import { loadConnectionProfile, parseConnectionProfile } from '@credledger/ledger-fabric';

const made: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'credledger-fabric-units-'));
  made.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('connection profiles', () => {
  const valid = {
    mspId: 'MojMSP',
    peerEndpoint: 'localhost:7051',
    tlsRootCertPath: 'peers/tls-ca.pem',
    hostAlias: 'peer0.moj.credledger.example',
    identity: { certPath: 'users/operator/cert.pem', keyPath: '/abs/key.pem' },
    channel: 'credentials',
    chaincode: 'credledger',
  };

  it('loads a file and resolves relative paths against its directory', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'moj.json'), JSON.stringify(valid));
    const profile = await loadConnectionProfile(join(dir, 'moj.json'));
    expect(profile).toEqual({
      ...valid,
      tlsRootCertPath: join(dir, 'peers/tls-ca.pem'),
      identity: { certPath: join(dir, 'users/operator/cert.pem'), keyPath: '/abs/key.pem' },
    });
  });

  it('accepts an HSM identity', () => {
    const profile = parseConnectionProfile(
      {
        ...valid,
        identity: { certPath: '/c.pem', hsm: { library: '/lib/softhsm2.so', label: 'moj', identifier: '0a1b' } },
      },
      '/',
    );
    expect(profile.identity).toEqual({
      certPath: '/c.pem',
      hsm: { library: '/lib/softhsm2.so', label: 'moj', identifier: '0a1b' },
    });
  });

  it.each([
    [{ ...valid, mspId: '' }, 'mspId'],
    [{ ...valid, peerEndpoint: 'https://peer:7051' }, 'peerEndpoint'],
    [{ ...valid, identity: { certPath: 'c.pem' } }, 'identity.keyPath'],
    [{ ...valid, channel: 7 }, 'channel'],
    [
      { ...valid, identity: { certPath: 'c', hsm: { library: 'l', label: 'x', identifier: 'xyz' } } },
      'identity.hsm.identifier',
    ],
  ])('rejects a wrong field (%#: %s)', (json, field) => {
    expect(() => parseConnectionProfile(json)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: expect.objectContaining({ field }) }),
    );
  });

  it('reports a missing file as FILE_NOT_FOUND and bad JSON as CONFIG_INVALID', async () => {
    const dir = await tempDir();
    await expect(loadConnectionProfile(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await writeFile(join(dir, 'bad.json'), '{');
    await expect(loadConnectionProfile(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('file checkpointer', () => {
  it('starts empty, persists positions in the gateway file format and reloads them', async () => {
    const dir = await tempDir();
    const path = join(dir, 'cp.json');
    const first = await checkpointers.file(path);
    expect([first.getBlockNumber(), first.getTransactionId()]).toEqual([undefined, undefined]);

    await first.checkpointChaincodeEvent({ blockNumber: 12n, transactionId: 'tx-1' });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ blockNumber: '12', transactionId: 'tx-1' });
    const second = await checkpointers.file(path);
    expect([second.getBlockNumber(), second.getTransactionId()]).toEqual([12n, 'tx-1']);

    await second.checkpointBlock(12n);
    const third = await checkpointers.file(path);
    expect([third.getBlockNumber(), third.getTransactionId()]).toEqual([13n, undefined]);
    // No temporary files are left behind.
    expect(await readdir(dir)).toEqual(['cp.json']);
  });

  it('keeps the last of overlapping checkpoints', async () => {
    const path = join(await tempDir(), 'cp.json');
    const checkpointer = await checkpointers.file(path);
    await Promise.all([1n, 2n, 3n, 4n].map((n) => checkpointer.checkpointTransaction(n, `tx-${String(n)}`)));
    expect((await checkpointers.file(path)).getBlockNumber()).toBe(4n);
  });

  it('refuses a file that is not a checkpoint', async () => {
    const path = join(await tempDir(), 'cp.json');
    await writeFile(path, '{"blockNumber": -1}');
    await expect(checkpointers.file(path)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('in memory', async () => {
    const checkpointer = checkpointers.inMemory();
    await checkpointer.checkpointTransaction(3n, 'tx');
    expect([checkpointer.getBlockNumber(), checkpointer.getTransactionId()]).toEqual([3n, 'tx']);
  });
});

describe('lazy loading', () => {
  it('importing the Fabric backend loads neither fabric-gateway nor grpc-js', () => {
    const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
    const script = `
      import { createRequire } from 'node:module';
      await import('@credledger/ledger-fabric');
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(cache.filter((p) => /fabric-gateway|grpc-js/.test(p)).length));
      const { openFabricLedger } = await import('@credledger/ledger-fabric');
      await openFabricLedger({ profile: '/nonexistent/profile.json' }).catch(() => {});
      const { connect } = await import('@hyperledger/fabric-gateway');
      console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((p) => /fabric-gateway/.test(p)).length > 0 && typeof connect));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    // 0 modules before use; the control line proves the check would see fabric-gateway once loaded.
    expect(run.stdout.trim().split('\n')).toEqual(['0', '"function"']);
  });
});
