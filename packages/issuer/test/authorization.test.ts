/**
 * Authorization matrix: every chaincode transaction × {governance admin, MOJ operator, MOEA operator,
 * auditors, an outsider organisation}. Registry writes belong to governance admins of a governance
 * MSP; credential writes to issuer operators of the MSP that owns the issuer (MOJ here); reads to all.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  anchorOf,
  governance,
  lawyerLicence,
  mojAuditor,
  mojDid,
  mojOperator,
  moeaOperator,
  ndcAuditor,
  openWorld,
  outcome,
  outsiderAdmin,
  outsiderOperator,
  publicKey,
  registration,
  type World,
} from './registry-world.js';
import type { Registry } from '@credledger/ledger';

const identities = [
  governance,
  mojOperator,
  moeaOperator,
  mojAuditor,
  ndcAuditor,
  outsiderOperator,
  outsiderAdmin,
] as const;
type Identity = (typeof identities)[number];

let world: World;
let serial = 0;
/** A credential of MOJ anchored by MOJ's operator, for reads and status changes. */
let anchoredId: string;

beforeAll(async () => {
  world = await openWorld();
  anchoredId = (await anchor()).id;
}, 60_000);

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed
  await world?.close();
});

async function anchor() {
  const request = anchorOf(mojDid, lawyerLicence);
  await world.as(mojOperator).issueCredentials({ issuerDid: mojDid, credentials: [request] });
  return request;
}

/** A fresh issuer (owned by MOJ) with a second key, so each registry write has its own subject. */
async function freshIssuer(): Promise<{ did: string; kid: string }> {
  serial += 1;
  const did = `did:web:authz-${serial}.moj.gov.tw`;
  const kid = `${did}#key-2`;
  await world.as(governance).registerIssuer({
    ...registration(did, 'MojMSP', [lawyerLicence]),
    keys: [publicKey(`${did}#key-1`), publicKey(kid)],
  });
  return { did, kid };
}

interface Case {
  /** Prepares state as the right party would, then returns the call to make as `registry`. */
  prepare(): Promise<(registry: Registry) => Promise<unknown>>;
  allowed: readonly Identity[];
}

const everyone = identities;
const governanceOnly: readonly Identity[] = [governance];
const mojOperatorOnly: readonly Identity[] = [mojOperator];

const cases: Record<string, Case> = {
  Init: { allowed: governanceOnly, prepare: async () => (r) => r.init({ governanceMspIds: ['NdcMSP'] }) },
  RegisterIssuer: {
    allowed: governanceOnly,
    prepare: async () => {
      serial += 1;
      const did = `did:web:new-${serial}.gov.tw`;
      return (r) => r.registerIssuer(registration(did, 'MojMSP', [lawyerLicence]));
    },
  },
  AddIssuerKey: {
    allowed: governanceOnly,
    prepare: async () => {
      const { did } = await freshIssuer();
      return (r) => r.addIssuerKey({ did, key: publicKey(`${did}#key-3`) });
    },
  },
  RetireIssuerKey: {
    allowed: governanceOnly,
    prepare: async () => {
      const { did, kid } = await freshIssuer();
      return (r) => r.retireIssuerKey({ did, kid });
    },
  },
  MarkIssuerKeyCompromised: {
    allowed: governanceOnly,
    prepare: async () => {
      const { did, kid } = await freshIssuer();
      return (r) => r.markIssuerKeyCompromised({ did, kid, compromisedSince: '2025-01-01T00:00:00Z' });
    },
  },
  SetIssuerStatus: {
    allowed: governanceOnly,
    prepare: async () => {
      const { did } = await freshIssuer();
      return (r) => r.setIssuerStatus({ did, status: 'SUSPENDED' });
    },
  },
  GetIssuer: { allowed: everyone, prepare: async () => (r) => r.getIssuer(mojDid) },
  ListIssuers: { allowed: everyone, prepare: async () => (r) => r.listIssuers() },
  IssueCredentials: {
    allowed: mojOperatorOnly,
    prepare: async () => (r) =>
      r.issueCredentials({ issuerDid: mojDid, credentials: [anchorOf(mojDid, lawyerLicence)] }),
  },
  SetCredentialStatus: {
    allowed: mojOperatorOnly,
    prepare: async () => {
      const { id } = await anchor();
      return (r) => r.setCredentialStatus({ id, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' });
    },
  },
  SetCredentialStatuses: {
    allowed: mojOperatorOnly,
    prepare: async () => {
      const { id } = await anchor();
      return (r) =>
        r.setCredentialStatuses({ issuerDid: mojDid, changes: [{ id, status: 'REVOKED', reason: 'SURRENDERED' }] });
    },
  },
  GetCredential: { allowed: everyone, prepare: async () => (r) => r.getCredential(anchoredId) },
  VerifyDigest: { allowed: everyone, prepare: async () => (r) => r.verifyDigest(anchoredId, 'f'.repeat(64)) },
  GetCredentialHistory: { allowed: everyone, prepare: async () => (r) => r.getCredentialHistory(anchoredId) },
  ListCredentialsByIssuer: {
    allowed: everyone,
    prepare: async () => (r) => r.listCredentialsByIssuer(mojDid, { pageSize: 5 }),
  },
};

describe.each(Object.entries(cases))('%s', (_name, testCase) => {
  it.each(
    identities.map((identity) => [identity, testCase.allowed.includes(identity) ? 'ok' : 'ACCESS_DENIED'] as const),
  )(
    'as %s → %s',
    async (identity, expected) => {
      const call = await testCase.prepare();
      expect(await outcome(call(world.as(identity)))).toBe(expected);
    },
    30_000,
  );
});

describe('refused writes', () => {
  it('leave the ledger unchanged', async () => {
    const request = anchorOf(mojDid, lawyerLicence);
    expect(await outcome(world.as(moeaOperator).issueCredentials({ issuerDid: mojDid, credentials: [request] }))).toBe(
      'ACCESS_DENIED',
    );
    expect(await outcome(world.as(governance).getCredential(request.id))).toBe('CREDENTIAL_NOT_FOUND');
    expect(
      await outcome(
        world.as(outsiderOperator).setCredentialStatus({ id: anchoredId, status: 'REVOKED', reason: 'DISBARMENT' }),
      ),
    ).toBe('ACCESS_DENIED');
    expect(await world.as(governance).getCredential(anchoredId)).toMatchObject({ status: 'ACTIVE', reason: null });
  });
});
