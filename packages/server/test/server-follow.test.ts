/**
 * `startServer` follows the ledger's chaincode events: an answer is kept until a committed transaction
 * changes it (not for a fixed time), its `asOf` is the time of the answer while the server follows, and
 * when the event stream fails the server falls back to answers kept for `cacheTtlMs`, dated by their
 * ledger read.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { Ledger, LedgerEvent } from '@credledger/ledger';
import { keysTouchedBy, readKeys } from '../src/http/ledger-follower.js';
import { startServer, type RunningServer } from '@credledger/server';
import {
  anchorOf,
  lawyerLicence,
  mojAuditor,
  mojDid,
  mojOperator,
  openWorld,
  type World,
} from '../../issuer/test/registry-world.js';

/** The ledger `inner`, counting its evaluates; `events` replaced when given. */
function counted(inner: Ledger, events?: Ledger['events']): Ledger & { evaluates: number } {
  const ledger = {
    evaluates: 0,
    identity: inner.identity,
    submit: (name: string, ...args: string[]) => inner.submit(name, ...args),
    evaluate: (name: string, ...args: string[]) => {
      ledger.evaluates += 1;
      return inner.evaluate(name, ...args);
    },
    events: events ?? ((options) => inner.events(options)),
    close: () => inner.close(),
    [Symbol.asyncDispose]: () => inner.close(),
  };
  return ledger;
}

interface StatusAnswer {
  record: { id: string; status: string };
  asOf: string;
}

async function getRecord(server: RunningServer, id: string): Promise<StatusAnswer> {
  const response = await fetch(`${server.url}/api/v1/credentials/${encodeURIComponent(id)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as StatusAnswer;
}

/** Asks until `accept` holds, at most `attempts` times 50 ms apart (a change reaches the server by its event). */
async function until(ask: () => Promise<StatusAnswer>, accept: (a: StatusAnswer) => boolean, attempts = 200) {
  let last = await ask();
  for (let i = 0; i < attempts && !accept(last); i++) {
    await sleep(50);
    last = await ask();
  }
  return last;
}

describe('startServer following the ledger', () => {
  let world: World;
  const servers: RunningServer[] = [];
  const credential = anchorOf(mojDid, lawyerLicence);
  const other = anchorOf(mojDid, lawyerLicence);

  beforeAll(async () => {
    world = await openWorld();
    await world.as(mojOperator).issueCredentials({ issuerDid: mojDid, credentials: [credential, other] });
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) await server.close();
    await (world as World | undefined)?.close();
  });

  it('shows a status change as soon as its event arrives, though answers may be kept ten minutes', async () => {
    const server = await startServer({
      ledger: world.network.connect(mojAuditor),
      port: 0,
      rateLimit: false,
      cacheTtlMs: 600_000,
    });
    servers.push(server);
    expect((await getRecord(server, credential.id)).record.status).toBe('ACTIVE');
    expect((await getRecord(server, credential.id)).record.status).toBe('ACTIVE');

    await world
      .as(mojOperator)
      .setCredentialStatus({ id: credential.id, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' });
    const after = await until(
      () => getRecord(server, credential.id),
      (answer) => answer.record.status !== 'ACTIVE',
    );
    expect(after.record.status).toBe('SUSPENDED');
  });

  it('keeps a followed answer without reading the ledger again, dated by the answer', async () => {
    const ledger = counted(world.network.connect(mojAuditor));
    const server = await startServer({ ledger, port: 0, rateLimit: false, cacheTtlMs: 20 });
    servers.push(server);
    // The stream is trusted once it has been open a second; answers read before then are timed.
    await sleep(1_200);
    await getRecord(server, other.id);
    const reads = ledger.evaluates;
    const first = await getRecord(server, other.id);
    await sleep(60); // three times the TTL
    const second = await getRecord(server, other.id);
    expect(ledger.evaluates).toBe(reads);
    expect(Date.parse(second.asOf)).toBeGreaterThan(Date.parse(first.asOf));
    expect(second.record).toEqual(first.record);
  });

  it('falls back to answers kept for the TTL and dated by their ledger read when the event stream fails', async () => {
    const failures: unknown[] = [];
    const ledger = counted(world.network.connect(mojAuditor), () => ({
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(new Error('event stream refused')),
      }),
    }));
    const server = await startServer({
      ledger,
      port: 0,
      rateLimit: false,
      cacheTtlMs: 600_000,
      onError: (error) => failures.push(error),
    });
    servers.push(server);
    await sleep(1_200);
    const first = await getRecord(server, other.id);
    await sleep(20);
    const second = await getRecord(server, other.id);
    expect(second.asOf).toBe(first.asOf);
    expect(failures.map((error) => (error as Error).message)).toContain('event stream refused');
  });
});

describe('keysTouchedBy', () => {
  const event = (eventName: string, payload: unknown): LedgerEvent => ({
    blockNumber: 7n,
    txId: 'tx',
    chaincodeName: 'credledger',
    eventName,
    payload: new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  });

  it('names the credentials an issuance anchored and those whose status it changed', () => {
    const keys = keysTouchedBy(
      event('CredentialsIssued', {
        issuerDid: mojDid,
        ids: ['urn:uuid:a', 'urn:uuid:b'],
        changes: [{ id: 'urn:uuid:old', from: 'ACTIVE', to: 'REVOKED', reason: 'SUPERSEDED' }],
      }),
    );
    expect(keys).toEqual([
      readKeys.credential('urn:uuid:a'),
      readKeys.credential('urn:uuid:b'),
      readKeys.credential('urn:uuid:old'),
    ]);
  });

  it('names an issuer and the list of issuers for an issuer change', () => {
    expect(keysTouchedBy(event('IssuerUpdated', { did: mojDid, change: 'key-rotated' }))).toEqual([
      readKeys.issuer(mojDid),
      readKeys.issuers,
    ]);
  });

  it('names everything for an event it cannot read', () => {
    expect(keysTouchedBy(event('Unknown', 'not json'))).toBe('everything');
    expect(keysTouchedBy(event('Unknown', { something: 'else' }))).toBe('everything');
    expect(keysTouchedBy(event('Unknown', null))).toBe('everything');
  });
});
