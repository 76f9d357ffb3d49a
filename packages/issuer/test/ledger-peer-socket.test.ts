/**
 * The embedded ledger reached through the process that holds it (docs/decisions/0009): the whole ledger
 * behaviour suite runs through the holder's peer socket, so a command acting through `serve` sees what
 * it sees in-process. Then what only the socket has: its permissions, the checks on signatures it
 * carries, a stale socket file, and the holder going away.
 */
import { copyFile, readFile, rm, stat } from 'node:fs/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ledgers, Registry, type EmbeddedNetwork, type EmbeddedNetworkOptions } from '@credledger/ledger';
import { encodeFrame, FrameReader, peerProtocolVersion, peerSocketPath } from '@credledger/ledger-embedded/protocol';
import { ledgerSuite, type CredledgerSuiteContext, type LedgerSuiteContext } from './ledger-suite.js';
import { fixtureContracts, tempDir } from './helpers/ledger-fixture.js';

const totalQueryLimit = 150;

/** A holder serving its socket and a second network of the same folder, reached through it. */
async function heldAndReached(
  options: Partial<EmbeddedNetworkOptions> = {},
): Promise<{ holder: EmbeddedNetwork; reached: EmbeddedNetwork; directory: string; dispose: () => Promise<void> }> {
  const directory = options.directory ?? (await tempDir('socket'));
  const holder = await ledgers.embedded({
    chaincodeName: 'fixture',
    contracts: fixtureContracts,
    fsync: false,
    ...options,
    directory,
    sharing: 'serve',
  });
  // No contracts: a process that reaches the holder runs no chaincode of its own.
  const reached = await ledgers.embedded({ directory, chaincodeName: options.chaincodeName ?? 'fixture' });
  return {
    holder,
    reached,
    directory,
    dispose: async () => {
      await reached.close();
      await holder.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

ledgerSuite('embedded, through the holder’s peer socket', {
  async credledger(): Promise<CredledgerSuiteContext> {
    const directory = await tempDir('socket-suite');
    const holder = await ledgers.embedded({ directory, fsync: false, sharing: 'serve' });
    const network = await ledgers.embedded({ directory });
    const governance = network.connect('NdcMSP/admin');
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
        await holder.close();
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
  const { reached, directory, dispose } = await heldAndReached({ totalQueryLimit });
  const a = reached.connect('MojMSP/operator');
  const b = reached.connect('MoeaMSP/operator');
  const ledgersBy = { a, b };
  const cas = new Map<string, string>();
  for (const mspId of ['MojMSP', 'MoeaMSP'])
    cas.set(mspId, await readFile(join(directory, 'msp', mspId, 'ca', 'ca.pem'), 'utf8'));
  return {
    a: { ledger: a, mspId: 'MojMSP', role: 'issuer-operator' },
    b: { ledger: b, mspId: 'MoeaMSP', role: 'issuer-operator' },
    endorse: (who, name, ...args) => ledgersBy[who].endorse(name, ...args),
    caCertificate: (mspId) => cas.get(mspId) ?? '',
    chaincodeName: 'fixture',
    totalQueryLimit,
    async withoutHistory() {
      const other = await heldAndReached({ enableHistory: false });
      return { ledger: other.reached.connect('NdcMSP/admin'), close: other.dispose };
    },
    close: dispose,
  };
}

/** A raw connection to a peer socket: send frames, read replies. */
async function rawConnection(path: string): Promise<{
  send: (message: unknown) => void;
  reply: () => Promise<Record<string, unknown>>;
  write: (bytes: Buffer) => void;
  closed: Promise<void>;
  end: () => void;
}> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = netConnect(path, () => {
      resolve(s);
    });
    s.once('error', reject);
  });
  const reader = new FrameReader();
  const replies: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    replies.push(...(reader.push(chunk) as Record<string, unknown>[]));
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      resolve();
    });
  });
  return {
    send: (message) => socket.write(encodeFrame(message)),
    write: (bytes) => socket.write(bytes),
    reply: async () => {
      while (replies.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
      return replies.shift() ?? {};
    },
    closed,
    end: () => socket.destroy(),
  };
}

describe('the peer socket', () => {
  it('is a socket readable and writable by its owner only, in a folder only its owner can enter, removed on close', async () => {
    const { holder, directory, dispose } = await heldAndReached();
    try {
      const path = peerSocketPath(directory);
      expect(holder.sharing).toEqual({ socket: path });
      const socket = await stat(path);
      expect(socket.isSocket()).toBe(true);
      expect(socket.mode & 0o777).toBe(0o600);
      expect((await stat(join(directory, 'run'))).mode & 0o777).toBe(0o700);
      await holder.close();
      await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await dispose();
    }
  });

  it('answers with the holder’s identities and height, and commits what a reaching process submits under that process’s identity', async () => {
    const { holder, reached, dispose } = await heldAndReached();
    try {
      expect(reached.sharing).toBeUndefined();
      expect(reached.identities()).toEqual(holder.identities());
      const { txId, blockNumber } = await reached.connect('MojMSP/operator').submit('Put', 'k', 'v');
      expect(holder.height()).toBe(blockNumber + 1n);
      expect(reached.height()).toBe(blockNumber + 1n);
      const seen = holder.connect('NdcMSP/auditor');
      expect(Buffer.from(await seen.evaluate('Get', 'k')).toString()).toBe('v');
      expect(Buffer.from(await seen.evaluate('History', 'k')).toString()).toContain(txId);
      // The chaincode runs under the reaching process's identity, on its organisation's peer.
      const info = JSON.parse(Buffer.from(await reached.connect('MojMSP/operator').evaluate('TxInfo')).toString()) as {
        clientMspId: string;
        peerMspId: string;
        role: string;
        creatorPem: string;
      };
      expect(info).toMatchObject({ clientMspId: 'MojMSP', peerMspId: 'MojMSP', role: 'issuer-operator' });
      expect(info.creatorPem).toBe(reached.connect('MojMSP/operator').identity.certificate);
      expect(await reached.verifyChain()).toEqual({ ok: true, blocks: holder.height(), problems: [] });
    } finally {
      await dispose();
    }
  });

  it('refuses a proposal signed by an identity no channel CA issued, and one whose key does not match its certificate', async () => {
    const { holder, reached, directory, dispose } = await heldAndReached();
    const stranger = await tempDir('stranger');
    try {
      const other = await ledgers.embedded({
        directory: stranger,
        chaincodeName: 'fixture',
        contracts: fixtureContracts,
        fsync: false,
      });
      await other.close();
      const users = join(directory, 'msp/MojMSP/users');
      // An identity named MojMSP but issued by another CA, dropped into the folder the client reads.
      for (const ext of ['pem', 'key'])
        await copyFile(join(stranger, 'msp/MojMSP/users', `operator.${ext}`), join(users, `intruder.${ext}`));
      // The genuine auditor certificate with another identity's key.
      await copyFile(join(users, 'auditor.pem'), join(users, 'forger.pem'));
      await copyFile(join(stranger, 'msp/MojMSP/users/auditor.key'), join(users, 'forger.key'));
      const client = await ledgers.embedded({ directory, chaincodeName: 'fixture' });
      try {
        await expect(client.connect('MojMSP/intruder').submit('Put', 'k', 'v')).rejects.toMatchObject({
          code: 'ENDORSEMENT_FAILED',
          details: {
            peers: [expect.objectContaining({ message: expect.stringContaining('not issued by the CA of MojMSP') })],
          },
        });
        await expect(client.connect('MojMSP/forger').evaluate('Get', 'k')).rejects.toMatchObject({
          code: 'ENDORSEMENT_FAILED',
          details: {
            peers: [expect.objectContaining({ message: expect.stringContaining('signature over the proposal') })],
          },
        });
        const events = client.connect('MojMSP/intruder').events({ startBlock: 0n });
        await expect(events[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
        expect(holder.height()).toBe(1n);
      } finally {
        await client.close();
      }
      expect(reached.height()).toBe(1n);
    } finally {
      await dispose();
      await rm(stranger, { recursive: true, force: true });
    }
  });

  it('refuses unsigned requests, a submit of a transaction it did not endorse, and a stream of bytes that are not frames', async () => {
    const { directory, dispose } = await heldAndReached();
    try {
      const raw = await rawConnection(peerSocketPath(directory));
      raw.send({ id: 1, op: 'hello', protocol: peerProtocolVersion });
      expect(await raw.reply()).toMatchObject({
        id: 1,
        result: { chaincode: 'fixture', height: '1', pid: process.pid },
      });
      raw.send({ id: 2, op: 'events', request: { body: JSON.stringify({ op: 'events' }) } });
      expect(await raw.reply()).toMatchObject({
        id: 2,
        error: { kind: 'ledger', failure: { kind: 'gateway', grpcCode: 7 } },
      });
      raw.send({ id: 3, op: 'submit', txId: 'f'.repeat(64), signature: '' });
      expect(await raw.reply()).toMatchObject({
        id: 3,
        error: { kind: 'ledger', failure: { kind: 'gateway', phase: 'submit', grpcCode: 10 } },
      });
      raw.send({ id: 4, op: 'hello', protocol: 99 });
      expect(await raw.reply()).toMatchObject({
        id: 4,
        error: { kind: 'ledger', failure: { kind: 'gateway', grpcCode: 9 } },
      });
      raw.send({ id: 5, op: 'evaluate', proposal: Buffer.from('not a proposal').toString('base64') });
      expect(await raw.reply()).toMatchObject({
        id: 5,
        error: { kind: 'ledger', failure: { kind: 'gateway', grpcCode: 2 } },
      });
      raw.end();
      // A header announcing a frame over the limit: the holder hangs up rather than buffer it.
      const hostile = await rawConnection(peerSocketPath(directory));
      hostile.write(Buffer.from([0xff, 0xff, 0xff, 0xff]));
      await hostile.closed;
    } finally {
      await dispose();
    }
  });

  it('still gives LEDGER_LOCKED when the holder does not serve, and when a process that must serve finds the ledger held', async () => {
    const directory = await tempDir('locked');
    const holder = await ledgers.embedded({ directory, chaincodeName: 'fixture', contracts: fixtureContracts });
    try {
      await expect(ledgers.embedded({ directory, chaincodeName: 'fixture' })).rejects.toMatchObject({
        code: 'LEDGER_LOCKED',
        details: { pid: process.pid },
      });
    } finally {
      await holder.close();
    }
    const serving = await ledgers.embedded({
      directory,
      chaincodeName: 'fixture',
      contracts: fixtureContracts,
      sharing: 'serve',
    });
    try {
      await expect(
        ledgers.embedded({ directory, chaincodeName: 'fixture', contracts: fixtureContracts, sharing: 'serve' }),
      ).rejects.toMatchObject({ code: 'LEDGER_LOCKED' });
      const either = await ledgers.embedded({ directory, chaincodeName: 'fixture', sharing: 'serve-or-reach' });
      expect(either.sharing).toBeUndefined();
      await either.close();
    } finally {
      await serving.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('runs a holder alone, saying why, when the socket path is longer than a socket address holds', async () => {
    const base = await tempDir('long');
    const directory = join(base, 'a'.repeat(100));
    const holder = await ledgers.embedded({
      directory,
      chaincodeName: 'fixture',
      contracts: fixtureContracts,
      sharing: 'serve',
    });
    try {
      expect(holder.sharing).toEqual({ unavailable: expect.stringContaining('longer than a socket address holds') });
      await expect(ledgers.embedded({ directory, chaincodeName: 'fixture' })).rejects.toMatchObject({
        code: 'LEDGER_LOCKED',
      });
    } finally {
      await holder.close();
      await rm(base, { recursive: true, force: true });
    }
  });

  it('fails calls and ends event streams with LEDGER_UNAVAILABLE when the holder stops, and reaches the next holder that serves', async () => {
    const { holder, reached, directory, dispose } = await heldAndReached();
    let next: EmbeddedNetwork | undefined;
    try {
      const ledger = reached.connect('MojMSP/operator');
      const events = ledger.events()[Symbol.asyncIterator]();
      const first = events.next();
      await ledger.submit('PutWithEvent', 'k', 'v', 'Changed');
      await holder.close();
      const outcome = await Promise.allSettled([first, events.next()]);
      // The event of the commit made before the holder stopped may arrive; then the stream fails.
      expect(outcome.map((o) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : 'event'))).toContain(
        'LEDGER_UNAVAILABLE',
      );
      await expect(ledger.evaluate('Get', 'k')).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });

      // A restarted holder (serve started again): the same connection reaches it, as a Gateway client
      // reconnects to a restarted peer.
      next = await ledgers.embedded({
        directory,
        chaincodeName: 'fixture',
        contracts: fixtureContracts,
        fsync: false,
        sharing: 'serve',
      });
      expect(Buffer.from(await ledger.evaluate('Get', 'k')).toString()).toBe('v');
      const again = ledger.events({ startBlock: 0n })[Symbol.asyncIterator]();
      expect((await again.next()).value).toMatchObject({ eventName: 'Changed' });
      await again.return?.();
    } finally {
      await next?.close();
      await dispose();
    }
  });
});
