/**
 * The tracking service killed (SIGKILL, a real child process) in the middle of a stream of changes and
 * started again: every change reaches the webhook receiver, in ledger order, and only the delivery in
 * flight at the kill may come twice (with the same idempotency key).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ledgers, Registry } from '@credledger/ledger';
import { openSubscriptionStore } from '@credledger/server';
import {
  governance,
  lawyerLicence,
  mojDid,
  mojOperator,
  ndcAuditor,
  registration,
} from '../../issuer/test/registry-world.js';
import { anchorHeld, Receiver } from './watch-world.js';

const childScript = fileURLToPath(new URL('./watch-child.mjs', import.meta.url));
let directory: string;
const receiver = new Receiver();

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'credledger-watch-restart-'));
});

afterAll(async () => {
  await receiver.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** Starts the child; resolves its process and a promise of its `idle` line. */
function startChild(args: string[]): {
  child: ChildProcess;
  lines: string[];
  idle: Promise<void>;
  exited: Promise<void>;
} {
  const child = spawn(process.execPath, [childScript, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING' },
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const idle = new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        lines.push(line);
        if (line === 'idle') resolve();
      }
    });
    child.on('exit', (code, signal) => {
      reject(new Error(`child ended (${code ?? signal}) before idle: ${stderr}`));
    });
  });
  idle.catch(() => undefined);
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      resolve();
    }),
  );
  return { child, lines, idle, exited };
}

describe('tracking service restart', () => {
  it('resumes from its checkpoint after SIGKILL without losing a change', async () => {
    const ledgerDir = join(directory, 'ledger');
    const stateDir = join(directory, 'serve');
    const hook = await receiver.listen();

    // Set up the ledger and the subscription, then release both to the child.
    const network = await ledgers.embedded({ directory: ledgerDir });
    const world = {
      network,
      as: (identity: string) => new Registry(network.connect(identity)),
      close: () => network.close(),
    };
    await world.as(governance).init({ governanceMspIds: ['NdcMSP'] });
    await world.as(governance).registerIssuer(registration(mojDid, 'MojMSP', [lawyerLicence]));
    const held = await anchorHeld(world, mojOperator, mojDid, lawyerLicence, 12);
    const store = await openSubscriptionStore(stateDir);
    await store.add(
      world.as(ndcAuditor),
      { url: hook, credentials: held.map((h) => h.jws) },
      { allowLoopbackHttp: true },
    );
    await store.close();
    const startBlock = network.height();
    await network.close();
    const args = [ledgerDir, stateDir, String(startBlock), held.map((h) => h.id).join(',')];

    // Kill the first process while it is sending the 4th delivery (before the receiver answers).
    const first = startChild(args);
    receiver.onRequest = () => {
      if (receiver.received.length === 4) first.child.kill('SIGKILL');
    };
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    receiver.onRequest = () => undefined;

    const second = startChild(args);
    await second.idle;
    second.child.kill('SIGTERM');
    await second.exited;

    // Every credential was suspended once on the ledger, by one process or the other. The ledger says
    // by which transaction: a child's `changed` line can be lost when SIGKILL lands between a commit and
    // the line reaching this process, so the lines only have to agree with it.
    const reopened = await ledgers.embedded({ directory: ledgerDir, create: false });
    const changed: string[] = [];
    try {
      const auditor = new Registry(reopened.connect(ndcAuditor));
      for (const { id } of held) {
        const suspensions = (await auditor.getCredentialHistory(id)).filter((entry) => entry.status === 'SUSPENDED');
        expect(suspensions).toHaveLength(1);
        changed.push(`${suspensions[0]?.txId ?? ''}:${id}`);
      }
    } finally {
      await reopened.close();
    }
    const printed = [...first.lines, ...second.lines]
      .filter((l) => l.startsWith('changed '))
      .map((l) => l.slice('changed '.length));
    expect(changed).toEqual(expect.arrayContaining(printed));
    expect(printed.length).toBeGreaterThanOrEqual(held.length - 1);

    const keys = receiver.keys();
    const firstSeen = keys.filter((key, i) => keys.indexOf(key) === i);
    expect(firstSeen).toEqual(changed);
    // At least once: only the delivery in flight at the kill may have been sent again.
    expect(keys.length - firstSeen.length).toBeLessThanOrEqual(1);
  }, 120_000);
});
