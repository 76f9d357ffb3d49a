/**
 * The ledger behaviour suite on the embedded ledger, plus what only the embedded ledger has:
 * local identities on disk, creator checks at the peer, key-level policies within one block,
 * block cutting, tamper detection and the containment of fabric-shim's side effects.
 */
import { copyFile, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ClassicLevel } from 'classic-level';
import { ledgers, Registry, type EmbeddedLedger } from '@credledger/ledger';
import { ledgerSuite, type CredledgerSuiteContext, type LedgerSuiteContext } from './ledger-suite.js';
import { openFixtureNetwork, tempDir } from './helpers/ledger-fixture.js';

const totalQueryLimit = 150;

ledgerSuite('embedded', {
  async credledger(): Promise<CredledgerSuiteContext> {
    const directory = await tempDir('suite');
    const network = await ledgers.embedded({ directory, fsync: false });
    const governance = network.connect('NdcMSP/admin');
    // On Fabric, `network/fabric.sh deploy` runs Init; here the suite's network is new.
    await new Registry(governance).init({ governanceMspIds: ['NdcMSP'] });
    const operators = { a: network.connect('MojMSP/operator'), b: network.connect('MoeaMSP/operator') };
    return {
      governance,
      a: { ledger: operators.a, mspId: 'MojMSP' },
      b: { ledger: operators.b, mspId: 'MoeaMSP' },
      endorse: (who, name, ...args) => operators[who].endorse(name, ...args),
      chaincodeName: 'credledger',
      async close() {
        await network.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  },
  fixture: {
    capabilities: { totalQueryLimit, peerWithoutHistory: true },
    open: openFixture,
  },
});

async function openFixture(): Promise<LedgerSuiteContext> {
  const { network, dispose } = await openFixtureNetwork({ totalQueryLimit, fsync: false });
  const a = network.connect('MojMSP/operator');
  const b = network.connect('MoeaMSP/operator');
  const ledgersBy = { a, b };
  const cas = new Map<string, string>();
  for (const mspId of ['MojMSP', 'MoeaMSP'])
    cas.set(mspId, await readFile(join(network.directory, 'msp', mspId, 'ca', 'ca.pem'), 'utf8'));
  return {
    a: { ledger: a, mspId: 'MojMSP', role: 'issuer-operator' },
    b: { ledger: b, mspId: 'MoeaMSP', role: 'issuer-operator' },
    endorse: (who, name, ...args) => ledgersBy[who].endorse(name, ...args),
    caCertificate: (mspId) => cas.get(mspId) ?? '',
    chaincodeName: 'fixture',
    totalQueryLimit,
    async withoutHistory() {
      const other = await openFixtureNetwork({ enableHistory: false, fsync: false });
      return { ledger: other.network.connect('NdcMSP/admin'), close: other.dispose };
    },
    close: dispose,
  };
}

describe('embedded network', () => {
  it("stores each organisation's CA and users under msp/, private keys readable by the owner only", async () => {
    const { network, directory, dispose } = await openFixtureNetwork({ fsync: false });
    try {
      expect(network.identities()).toEqual([
        { name: 'NdcMSP/admin', mspId: 'NdcMSP', role: 'governance-admin', sealed: false },
        { name: 'NdcMSP/auditor', mspId: 'NdcMSP', role: 'auditor', sealed: false },
        { name: 'MojMSP/operator', mspId: 'MojMSP', role: 'issuer-operator', sealed: false },
        { name: 'MojMSP/auditor', mspId: 'MojMSP', role: 'auditor', sealed: false },
        { name: 'MoeaMSP/operator', mspId: 'MoeaMSP', role: 'issuer-operator', sealed: false },
        { name: 'MoeaMSP/auditor', mspId: 'MoeaMSP', role: 'auditor', sealed: false },
      ]);
      for (const file of ['NdcMSP/ca/ca.key', 'MojMSP/users/operator.key', 'MoeaMSP/users/auditor.key']) {
        expect((await stat(join(directory, 'msp', file))).mode & 0o777).toBe(0o600);
      }
      expect(() => network.connect('MojMSP/nobody')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
      expect(network.height()).toBe(1n);
    } finally {
      await dispose();
    }
  });

  it('keeps its identities and state across a restart', async () => {
    const first = await openFixtureNetwork({ fsync: true });
    const pem = network0Pem(first.network.connect('MojMSP/operator'));
    const { txId } = await first.network.connect('MojMSP/operator').submit('Put', 'k', 'v');
    await first.network.close();
    const again = await openFixtureNetwork({ directory: first.directory });
    try {
      const ledger = again.network.connect('MojMSP/operator');
      expect(network0Pem(ledger)).toBe(pem);
      expect(Buffer.from(await ledger.evaluate('Get', 'k')).toString()).toBe('v');
      expect(Buffer.from(await ledger.evaluate('History', 'k')).toString()).toContain(txId);
      expect((await again.network.verifyChain()).ok).toBe(true);
    } finally {
      await again.dispose();
    }
  });

  it("refuses proposals whose creator does not chain to the MSP's CA", async () => {
    const victim = await openFixtureNetwork({ fsync: false });
    const intruder = await openFixtureNetwork({ fsync: false });
    await victim.network.close();
    await intruder.network.close();
    // An identity named MojMSP but issued by another CA, dropped into the victim's MSP folder.
    for (const ext of ['pem', 'key'])
      await copyFile(
        join(intruder.directory, 'msp/MojMSP/users', `operator.${ext}`),
        join(victim.directory, 'msp/MojMSP/users', `intruder.${ext}`),
      );
    const reopened = await openFixtureNetwork({ directory: victim.directory, fsync: false });
    try {
      const ledger = reopened.network.connect('MojMSP/intruder');
      await expect(ledger.submit('Put', 'k', 'v')).rejects.toMatchObject({ code: 'ENDORSEMENT_FAILED' });
      await expect(ledger.evaluate('Get', 'k')).rejects.toMatchObject({
        code: 'ENDORSEMENT_FAILED',
        details: {
          peers: [expect.objectContaining({ message: expect.stringContaining('not issued by the CA of MojMSP') })],
        },
      });
      expect(reopened.network.height()).toBe(1n);
    } finally {
      await reopened.dispose();
      await intruder.dispose();
    }
  });

  it('cuts blocks by count and puts concurrent transactions in shared blocks', async () => {
    const { network, dispose } = await openFixtureNetwork({ batchSize: 10, batchTimeoutMs: 50, fsync: false });
    try {
      const ledger = network.connect('MojMSP/operator');
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => ledger.submit('Put', `k${i}`, 'v')));
      const blocks = new Set(results.map((r) => r.blockNumber));
      expect(blocks.size).toBeLessThanOrEqual(4);
      expect(network.height()).toBe(1n + BigInt(blocks.size));
    } finally {
      await dispose();
    }
  });

  it('fails a later writer in the same block as a key-level policy change (ENDORSEMENT_POLICY_FAILURE)', async () => {
    const { network, dispose } = await openFixtureNetwork({ batchSize: 2, batchTimeoutMs: 1000, fsync: false });
    try {
      const moj = network.connect('MojMSP/operator');
      const moea = network.connect('MoeaMSP/operator');
      const setPolicy = await moj.endorse('PutWithPolicy', 'pinned', 'owned', 'MojMSP');
      const write = await moea.endorse('Put', 'pinned', 'taken');
      const [first, second] = await Promise.allSettled([setPolicy.submit(), write.submit()]);
      expect(first.status).toBe('fulfilled');
      expect(second).toMatchObject({
        status: 'rejected',
        reason: { code: 'TRANSACTION_INVALID', details: { validationCode: 10 } },
      });
      expect(Buffer.from(await moj.evaluate('Get', 'pinned')).toString()).toBe('owned');
    } finally {
      await dispose();
    }
  });

  it('detects an edited state value, history entry and block with verifyChain', async () => {
    const { network, directory } = await openFixtureNetwork({ fsync: false });
    const ledger = network.connect('MojMSP/operator');
    await ledger.submit('Put', 'alpha', 'genuine');
    await ledger.submit('Put', 'beta', 'genuine');
    expect(await network.verifyChain()).toEqual({ ok: true, blocks: 3n, problems: [] });
    await network.close();

    const db = new ClassicLevel<Buffer, Buffer>(join(directory, 'db'), {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    const stateKey = Buffer.concat([Buffer.from('s'), Buffer.from('alpha')]);
    const value = await db.get(stateKey);
    if (!value) throw new Error('state entry missing');
    await db.put(stateKey, Buffer.concat([value.subarray(0, 12), Buffer.from('forged')]));
    await db.close();
    let reopened = await openFixtureNetwork({ directory, fsync: false });
    let report = await reopened.network.verifyChain();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(['state entry "alpha" differs from what the blocks produce']);
    await reopened.network.close();

    const db2 = new ClassicLevel<Buffer, Buffer>(join(directory, 'db'), {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    await db2.put(stateKey, value);
    const blockKey = Buffer.from('62' + '0000000000000002', 'hex');
    const block = await db2.get(blockKey);
    if (!block) throw new Error('block missing');
    // Same-length edit of the written value inside the block's envelope bytes (the write set comes
    // after the signed proposal, which holds the same text as an argument).
    const at = block.lastIndexOf(Buffer.from('genuine'));
    expect(at).toBeGreaterThan(block.indexOf(Buffer.from('genuine')));
    block.write('forged!', at);
    await db2.put(blockKey, block);
    await db2.close();
    reopened = await openFixtureNetwork({ directory, fsync: false });
    report = await reopened.network.verifyChain();
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('block 2: data hash does not match its transactions');
    await reopened.dispose();
  });

  it('keeps history as pointers into blocks, and verifyChain flags a history entry no block produces', async () => {
    const { network, directory } = await openFixtureNetwork({ fsync: false });
    const ledger = network.connect('MojMSP/operator');
    const first = await ledger.submit('Put', 'alpha', 'one');
    const second = await ledger.submit('Put', 'alpha', 'two');
    await network.close();

    const db = new ClassicLevel<Buffer, Buffer>(join(directory, 'db'), {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    const historyOf = (block: number): Buffer => {
      const key = Buffer.alloc(1 + 4 + 5 + 12);
      key.write('h', 0);
      key.writeUInt32BE(5, 1);
      key.write('alpha', 5);
      key.writeUInt32BE(block, 10 + 4);
      return key;
    };
    const entries = await db.keys({ gte: historyOf(0), lt: historyOf(99) }).all();
    expect(entries.map((k) => k.readUInt32BE(14))).toEqual([1, 2]);
    expect((await db.values({ gte: historyOf(0), lt: historyOf(99) }).all()).map((v) => v.length)).toEqual([0, 0]);
    // A forged entry naming block 2 under another key, and a value stored in a pointer.
    const forged = Buffer.concat([
      Buffer.from('h'),
      Buffer.from([0, 0, 0, 4]),
      Buffer.from('beta'),
      historyOf(2).subarray(10),
    ]);
    await db.put(forged, Buffer.alloc(0));
    await db.put(historyOf(1), Buffer.from('x'));
    await db.close();

    const reopened = await openFixtureNetwork({ directory, fsync: false });
    try {
      const history = JSON.parse(
        Buffer.from(await reopened.network.connect('MojMSP/auditor').evaluate('History', 'alpha')).toString(),
      ) as { txId: string; value: string }[];
      expect(history.map((h) => [h.txId, h.value])).toEqual([
        [second.txId, 'two'],
        [first.txId, 'one'],
      ]);
      const report = await reopened.network.verifyChain();
      expect(report.problems).toEqual([
        'history entry "beta" is not produced by any block',
        'history entry "alpha" differs from what the blocks produce',
      ]);
    } finally {
      await reopened.dispose();
    }
  });

  it('refuses a ledger in another storage format with LEDGER_CORRUPT naming both formats', async () => {
    const { network, directory } = await openFixtureNetwork({ fsync: false });
    await network.close();
    const db = new ClassicLevel<Buffer, Buffer>(join(directory, 'db'), {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    // Format 1 ledgers have no format record.
    await db.del(Buffer.from('V'));
    await db.close();
    try {
      await expect(openFixtureNetwork({ directory, fsync: false })).rejects.toMatchObject({
        code: 'LEDGER_CORRUPT',
        message: expect.stringMatching(/storage format 1; .* reads format 2 only and does not migrate/),
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('detects a stale read however many blocks lie between simulation and commit (MVCC_READ_CONFLICT)', async () => {
    const { network, dispose } = await openFixtureNetwork({ fsync: false });
    try {
      const ledger = network.connect('MojMSP/operator');
      await ledger.submit('Put', 'near', '1');
      await ledger.submit('Put', 'far', '1');
      await ledger.submit('Put', 'kept', '1');
      const far = await ledger.endorse('Increment', 'far');
      const kept = await ledger.endorse('Increment', 'kept');
      // 'far' changes, then more blocks than validation remembers; 'near' changes in the block after its
      // simulation.
      await ledger.submit('Put', 'far', '5');
      for (let i = 0; i < 70; i++) await ledger.submit('Put', `filler${i}`, 'x');
      const near = await ledger.endorse('Increment', 'near');
      await ledger.submit('Put', 'near', '5');
      await expect(near.submit()).rejects.toMatchObject({ details: { validationCode: 11 } });
      await expect(far.submit()).rejects.toMatchObject({ details: { validationCode: 11 } });
      await kept.submit();
      expect(Buffer.from(await ledger.evaluate('Get', 'kept')).toString()).toBe('2');
      expect(Buffer.from(await ledger.evaluate('Get', 'near')).toString()).toBe('5');
      expect((await network.verifyChain()).ok).toBe(true);
    } finally {
      await dispose();
    }
  });

  it('contains fabric-shim: no process listeners, no GRPC_SSL_CIPHER_SUITES, no global MSP id', async () => {
    const listeners = ['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e));
    const { dispose } = await openFixtureNetwork({ fsync: false });
    try {
      expect(['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e))).toEqual(listeners);
      expect(process.env.GRPC_SSL_CIPHER_SUITES).toBeUndefined();
      expect(process.env.CORE_PEER_LOCALMSPID).toBeUndefined();
    } finally {
      await dispose();
    }
  });

  it('reports a missing ledger when create is false', async () => {
    const directory = await tempDir('absent');
    try {
      await expect(openFixtureNetwork({ directory, create: false })).rejects.toMatchObject({
        code: 'LEDGER_UNAVAILABLE',
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

function network0Pem(ledger: EmbeddedLedger): string {
  return ledger.identity.certificate;
}
