/**
 * `fromLedgerError`, the one mapping of ledger failures to codes, checked on both backends from one
 * table: each row is a failure, the code and details both backends must give for it, and how to
 * cause it on each — for real on the embedded ledger, and through fabric-gateway's real `connect()`
 * against the fake Gateway service (fabric-fake-gateway.ts) for Fabric. A row a backend cannot
 * produce says why instead.
 */
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CommitStatusError, GatewayError } from '@hyperledger/fabric-gateway';
import { Metadata, type ServiceError } from '@grpc/grpc-js';

import { CredledgerError, type ErrorCode } from '@credledger/verify';
import {
  fromLedgerError,
  ledgers,
  type EmbeddedLedger,
  type EmbeddedNetwork,
  type FabricLedger,
} from '@credledger/ledger';
import { openFabricLedger } from '@credledger/ledger-fabric';
import { FakeGateway, PEER_ADDRESS, PEER_MSP } from './fabric-fake-gateway.js';
import { openFixtureNetwork, tempDir } from './helpers/ledger-fixture.js';

interface EmbeddedWorld {
  /** Fixture chaincode, as MojMSP/operator and MoeaMSP/operator. */
  readonly a: EmbeddedLedger;
  readonly b: EmbeddedLedger;
  /** Fixture chaincode, as an identity named MojMSP whose certificate another CA issued. */
  readonly intruder: EmbeddedLedger;
  /** credledger's own chaincode, not initialised, as MojMSP/operator. */
  readonly credledger: EmbeddedLedger;
}

interface FabricWorld {
  readonly fake: FakeGateway;
  readonly ledger: FabricLedger;
}

type Cause<World> = ((world: World) => Promise<unknown>) | { readonly absent: string };

interface Row {
  readonly failure: string;
  readonly code: ErrorCode;
  /** What both backends put in `details` (a subset match). */
  readonly details: Record<string, unknown>;
  readonly embedded: Cause<EmbeddedWorld>;
  readonly fabric: Cause<FabricWorld>;
}

const noFunction = "You've asked to invoke a function that does not exist: NoSuchFunction";
const notInitialised =
  'NOT_INITIALIZED: the registry has not been initialised (run Init with the governance MSP ids first)';
const refusedCreator = 'access denied: creator certificate is not issued by the CA of MojMSP';
const aTxId = expect.stringMatching(/^[0-9a-f]{64}$/);

/** Ordered transactions that commit with `code` on the fake (a non-idempotent name, so never retried). */
const fabricCommitting =
  (code: number) =>
  async ({ fake, ledger }: FabricWorld) => {
    fake.commitCodes.push(code);
    return ledger.submit('Increment', 'k');
  };

/** Two transactions endorsed on one snapshot; the second commits after the first changed what it read. */
async function embeddedLoser(world: EmbeddedWorld, name: string, ...args: string[]): Promise<unknown> {
  const first = await world.a.endorse(name, ...args);
  const second = await world.b.endorse(name, ...args);
  await first.submit();
  return second.submit();
}

const table: readonly Row[] = [
  {
    failure: 'the chaincode fails with a code during evaluate',
    code: 'NOT_INITIALIZED',
    details: {
      phase: 'evaluate',
      chaincodeStatus: 500,
      chaincodeMessage: expect.stringMatching(/^NOT_INITIALIZED: /),
      transaction: 'CredentialContract:GetCredential',
    },
    embedded: ({ credledger }) =>
      credledger.evaluate('CredentialContract:GetCredential', '{"id":"urn:uuid:00000000-0000-4000-8000-000000000000"}'),
    fabric: ({ fake, ledger }) => {
      fake.chaincode = () => ({ error: notInitialised });
      return ledger.evaluate('CredentialContract:GetCredential', '{}');
    },
  },
  {
    failure: 'the chaincode fails with a code during endorsement',
    code: 'INVALID_INPUT',
    details: {
      phase: 'endorse',
      chaincodeStatus: 500,
      txId: aTxId,
      peers: [expect.objectContaining({ message: expect.stringContaining('INVALID_INPUT: ') })],
    },
    embedded: ({ credledger }) => credledger.submit('CredentialContract:IssueCredentials', '{}'),
    fabric: ({ fake, ledger }) => {
      fake.chaincode = () => ({ error: 'INVALID_INPUT: request.issuerDid is missing' });
      return ledger.submit('CredentialContract:IssueCredentials', '{}');
    },
  },
  {
    failure: 'the chaincode fails without a code during evaluate',
    code: 'CHAINCODE_ERROR',
    details: { phase: 'evaluate', chaincodeStatus: 500, chaincodeMessage: noFunction },
    embedded: ({ a }) => a.evaluate('NoSuchFunction'),
    fabric: ({ fake, ledger }) => {
      fake.chaincode = () => ({ error: noFunction });
      return ledger.evaluate('NoSuchFunction');
    },
  },
  {
    failure: 'the chaincode fails without a code during endorsement',
    code: 'CHAINCODE_ERROR',
    details: { phase: 'endorse', chaincodeStatus: 500, chaincodeMessage: noFunction, txId: aTxId },
    embedded: ({ a }) => a.submit('NoSuchFunction'),
    fabric: ({ fake, ledger }) => {
      fake.chaincode = () => ({ error: noFunction });
      return ledger.submit('NoSuchFunction');
    },
  },
  {
    failure: 'the peer refuses the proposal (creator outside the MSP) during evaluate',
    code: 'ENDORSEMENT_FAILED',
    details: { phase: 'evaluate', peers: [expect.objectContaining({ message: refusedCreator })] },
    embedded: ({ intruder }) => intruder.evaluate('Get', 'k'),
    fabric: ({ fake, ledger }) => {
      fake.chaincode = () => ({ refused: refusedCreator });
      return ledger.evaluate('Get', 'k');
    },
  },
  {
    failure: 'the peer refuses the proposal (creator outside the MSP) during endorsement',
    code: 'ENDORSEMENT_FAILED',
    details: { phase: 'endorse', txId: aTxId, peers: [expect.objectContaining({ message: refusedCreator })] },
    embedded: ({ intruder }) => intruder.submit('Put', 'k', 'v'),
    fabric: ({ fake, ledger }) => {
      fake.chaincode = () => ({ refused: refusedCreator });
      return ledger.submit('Put', 'k', 'v');
    },
  },
  {
    failure: 'endorsing peers disagree',
    code: 'ENDORSEMENT_FAILED',
    details: {
      phase: 'endorse',
      peers: [{ address: PEER_ADDRESS, mspId: PEER_MSP, message: 'ProposalResponsePayloads do not match' }],
    },
    embedded: { absent: 'one peer endorses each embedded transaction, so endorsements cannot disagree' },
    fabric: ({ fake, ledger }) => {
      fake.chaincode = () => ({ error: 'x', peers: ['ProposalResponsePayloads do not match'] });
      return ledger.submit('Put', 'k', 'v');
    },
  },
  {
    failure: 'a key read by the transaction changed before it committed (11)',
    code: 'MVCC_CONFLICT',
    details: { phase: 'commit', validationCode: 11, validationCodeName: 'MVCC_READ_CONFLICT', txId: aTxId },
    embedded: (world) => embeddedLoser(world, 'Increment', `mvcc-${String(Date.now())}`),
    fabric: fabricCommitting(11),
  },
  {
    failure: 'a range the transaction scanned gained a key before it committed (12)',
    code: 'MVCC_CONFLICT',
    details: { phase: 'commit', validationCode: 12, validationCodeName: 'PHANTOM_READ_CONFLICT', txId: aTxId },
    embedded: async ({ a, b }) => {
      const p = `phantom-${String(Date.now())}`;
      const scan = await a.endorse('RangeThenPut', `${p}/a`, `${p}/z`, `${p}-out`);
      await b.submit('Put', `${p}/b`, '1');
      return scan.submit();
    },
    fabric: fabricCommitting(12),
  },
  {
    failure: 'a transaction id already on the ledger (9)',
    code: 'TRANSACTION_INVALID',
    details: { phase: 'commit', validationCode: 9, validationCodeName: 'DUPLICATE_TXID', txId: aTxId },
    embedded: async ({ a }) => {
      const once = await a.endorse('Put', `dup-${String(Date.now())}`, 'x');
      await once.submit();
      return once.submit();
    },
    fabric: fabricCommitting(9),
  },
  {
    failure: 'a write outside its key-level endorsement policy (10)',
    code: 'TRANSACTION_INVALID',
    details: { phase: 'commit', validationCode: 10, validationCodeName: 'ENDORSEMENT_POLICY_FAILURE', txId: aTxId },
    embedded: async ({ a, b }) => {
      const k = `sbe-${String(Date.now())}`;
      await a.submit('PutWithPolicy', k, 'owned', 'MojMSP');
      return b.submit('Put', k, 'taken');
    },
    fabric: fabricCommitting(10),
  },
  {
    failure: 'the ledger cannot be reached',
    code: 'LEDGER_UNAVAILABLE',
    details: { grpcCode: 14 },
    embedded: async () => {
      const { network, dispose } = await openFixtureNetwork({ fsync: false });
      const ledger = network.connect('MojMSP/operator');
      await dispose();
      return ledger.evaluate('Get', 'k');
    },
    fabric: async ({ fake, ledger }) => {
      await ledger.evaluate('Get', 'k');
      fake.stop();
      return ledger.evaluate('Get', 'k');
    },
  },
  {
    failure: 'the ledger does not answer within the deadline',
    code: 'DEADLINE_EXCEEDED',
    details: { phase: 'evaluate', grpcCode: 4 },
    embedded: { absent: 'embedded calls are in-process and carry no deadline' },
    fabric: ({ fake, ledger }) => {
      fake.hang.add('evaluate');
      return ledger.evaluate('Get', 'k');
    },
  },
];

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- each caller names the world its rows' causes run in
const causedOn = <World>(backend: 'embedded' | 'fabric') =>
  table.flatMap((row) => {
    const cause = row[backend] as Cause<World>;
    return typeof cause === 'function' ? [{ ...row, cause }] : [];
  });

describe('fromLedgerError on the embedded ledger', () => {
  let world: EmbeddedWorld;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    // An identity named MojMSP but issued by another network's CA, dropped into this network's MSP folder.
    const victim = await openFixtureNetwork({ fsync: false });
    const other = await openFixtureNetwork({ fsync: false });
    await victim.network.close();
    await other.network.close();
    for (const ext of ['pem', 'key'])
      await copyFile(
        join(other.directory, 'msp/MojMSP/users', `operator.${ext}`),
        join(victim.directory, 'msp/MojMSP/users', `intruder.${ext}`),
      );
    await other.dispose();
    const fixture = await openFixtureNetwork({ directory: victim.directory, fsync: false });
    closers.push(fixture.dispose);
    const credledgerDir = await tempDir('from-ledger-error');
    const credledger: EmbeddedNetwork = await ledgers.embedded({ directory: credledgerDir, fsync: false });
    closers.push(async () => {
      await credledger.close();
      await rm(credledgerDir, { recursive: true, force: true });
    });
    world = {
      a: fixture.network.connect('MojMSP/operator'),
      b: fixture.network.connect('MoeaMSP/operator'),
      intruder: fixture.network.connect('MojMSP/intruder'),
      credledger: credledger.connect('MojMSP/operator'),
    };
  }, 60_000);

  afterAll(async () => {
    for (const close of closers) await close();
  });

  it.each(causedOn<EmbeddedWorld>('embedded'))('$failure → $code', async ({ cause, code, details }) => {
    const error = await rejection(cause(world));
    expect(error).toBeInstanceOf(CredledgerError);
    expect(error).toMatchObject({ code, details });
    expect((error as CredledgerError).cause).toBeInstanceOf(Error);
  });
});

describe('fromLedgerError on Fabric (fabric-gateway against the fake Gateway service)', () => {
  let world: FabricWorld;

  beforeEach(async () => {
    const fake = await FakeGateway.start();
    // The deadline is what the hanging case waits for; the others must answer well within it even on a
    // loaded machine (300 ms was once exceeded by an access-denied answer, giving DEADLINE_EXCEEDED).
    const ledger = await openFabricLedger({ profile: fake.profile(), deadlines: { evaluateMs: 3_000 } });
    world = { fake, ledger };
  });

  afterEach(async () => {
    await world.ledger.close();
    await world.fake.dispose();
  });

  it.each(causedOn<FabricWorld>('fabric'))('$failure → $code', async ({ cause, code, details }) => {
    const error = await rejection(cause(world));
    expect(error).toBeInstanceOf(CredledgerError);
    expect(error).toMatchObject({ code, details });
    expect((error as CredledgerError).cause).toBeInstanceOf(Error);
  });
});

describe('fromLedgerError on gRPC statuses that only a remote peer gives', () => {
  // Codes are the numbers a peer puts on the wire, including ones grpc-js has no name for here.
  const serviceError = (code: number, message: string): ServiceError =>
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- a raw wire code, as a peer sends it
    Object.assign(new Error(message), { code, details: message, metadata: new Metadata() });
  const gatewayError = (code: number): GatewayError =>
    new GatewayError({
      code,
      details: [{ address: PEER_ADDRESS, mspId: PEER_MSP, message: 'refused' }],
      cause: serviceError(code, 'x'),
      message: 'x',
    });
  /** SubmitError is exported as a type only; this is its shape. */
  const submitError = (code: number): Error =>
    Object.assign(new Error('x'), { name: 'SubmitError', code, details: [], transactionId: 'tx1' });

  it.each([
    ['evaluate', 'PERMISSION_DENIED', () => gatewayError(7), 'ACCESS_DENIED'],
    ['evaluate', 'UNAUTHENTICATED', () => gatewayError(16), 'ACCESS_DENIED'],
    ['evaluate', 'NOT_FOUND (no such channel or chaincode)', () => gatewayError(5), 'CONFIG_INVALID'],
    ['evaluate', 'INTERNAL', () => gatewayError(13), 'LEDGER_UNAVAILABLE'],
    ['evaluate', 'CANCELLED', () => gatewayError(1), 'LEDGER_UNAVAILABLE'],
    ['submit', 'ABORTED (the orderer refused it)', () => submitError(10), 'TRANSACTION_INVALID'],
    ['submit', 'UNAVAILABLE', () => submitError(14), 'LEDGER_UNAVAILABLE'],
    [
      'commit status',
      'UNKNOWN (fate unknown)',
      () =>
        new CommitStatusError({
          code: 2,
          details: [],
          cause: serviceError(2, 'x'),
          transactionId: 'tx2',
          message: 'x',
        }),
      'LEDGER_UNAVAILABLE',
    ],
    [
      'a stream',
      'UNAVAILABLE (bare grpc-js error)',
      () => serviceError(14, 'No connection established'),
      'LEDGER_UNAVAILABLE',
    ],
  ] as const)('%s answered %s → %s', (_phase, _status, make, code) => {
    expect(fromLedgerError(make())).toMatchObject({ code });
  });
});

describe('fromLedgerError on what is not a ledger error', () => {
  it('rethrows programming errors untouched, even when their message looks like a chaincode failure', () => {
    const bug = new TypeError('undefined is not a function');
    expect(fromLedgerError(bug)).toBe(bug);
    const lookalike = new Error('chaincode response 500, ACCESS_DENIED: copied into a message by a bug');
    expect(fromLedgerError(lookalike)).toBe(lookalike);
    const nodeError = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    expect(fromLedgerError(nodeError)).toBe(nodeError);
    expect(fromLedgerError('a string')).toBe('a string');
  });

  it('passes a CredledgerError through', () => {
    const ours = new CredledgerError('KEY_STORE_ERROR', 'x');
    expect(fromLedgerError(ours)).toBe(ours);
  });

  it('adds what the caller knows to details', () => {
    const commit = Object.assign(new Error('failed to commit'), {
      name: 'CommitError',
      code: 11,
      transactionId: 'tx9',
    });
    expect(fromLedgerError(commit, { transaction: 'IssueCredentials' })).toMatchObject({
      code: 'MVCC_CONFLICT',
      details: { transaction: 'IssueCredentials', txId: 'tx9', phase: 'commit' },
    });
  });
});
