/**
 * The credential status machine through the embedded ledger: every (from, to, reason) combination,
 * allowed or refused as @credledger/vocabulary's table says (the table's content is pinned by the
 * vocabulary's own test); bulk changes all or nothing; the issuer's status; concurrent changes (MVCC).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  credentialStatuses as statuses,
  reasonCodes as reasons,
  reasonsFor,
  type CredentialStatus,
  type ReasonCode,
} from '@credledger/vocabulary';
import { transactionNames } from '@credledger/ledger';
import {
  anchorOf,
  governance,
  lawyerLicence,
  mojAuditor,
  mojDid,
  mojOperator,
  moeaDid,
  openWorld,
  outcome,
  registration,
  type World,
} from './registry-world.js';

/** How each starting status is reached, and with which reason it then stands. */
const standing: Record<CredentialStatus, ReasonCode | null> = {
  ACTIVE: null,
  SUSPENDED: 'DISCIPLINARY_SUSPENSION',
  REVOKED: 'DISBARMENT',
};

function expected(
  from: CredentialStatus,
  to: CredentialStatus,
  reason: ReasonCode,
): 'changed' | 'unchanged' | 'INVALID_TRANSITION' {
  if (from === to) return standing[from] === reason ? 'unchanged' : 'INVALID_TRANSITION';
  return reasonsFor(from, to)?.includes(reason) ? 'changed' : 'INVALID_TRANSITION';
}

let world: World;
let serial = 0;
const operator = () => world.as(mojOperator);
const reader = () => world.as(mojAuditor);

beforeAll(async () => {
  world = await openWorld();
}, 60_000);

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed
  await world?.close();
});

/** Anchors `count` credentials of `did` and brings them to `status` with its standing reason. */
async function credentialsIn(status: CredentialStatus, count: number, did = mojDid): Promise<string[]> {
  const batch = Array.from({ length: count }, () => anchorOf(did, lawyerLicence));
  await operator().issueCredentials({ issuerDid: did, credentials: batch });
  const ids = batch.map((c) => c.id);
  if (status !== 'ACTIVE') {
    await operator().setCredentialStatuses({
      issuerDid: did,
      changes: ids.map((id) => ({ id, status, reason: standing[status]! })),
    });
  }
  return ids;
}

describe('every transition', () => {
  const cases = statuses.flatMap((from) =>
    statuses.flatMap((to) => reasons.map((reason) => [from, to, reason, expected(from, to, reason)] as const)),
  );
  const pool: Record<CredentialStatus, string[]> = { ACTIVE: [], SUSPENDED: [], REVOKED: [] };

  beforeAll(async () => {
    const per = statuses.length * reasons.length;
    for (const status of statuses) pool[status] = await credentialsIn(status, per);
  }, 60_000);

  it.each(cases)('%s → %s (%s): %s', async (from, to, reason, result) => {
    const id = pool[from].pop()!;
    const before = await reader().getCredential(id);
    const attempt = operator().setCredentialStatus({ id, status: to, reason });
    if (result === 'INVALID_TRANSITION') {
      expect(await outcome(attempt)).toBe('INVALID_TRANSITION');
      expect(await reader().getCredential(id)).toEqual(before);
      return;
    }
    const { credential, change } = await attempt;
    if (result === 'unchanged') {
      expect(change).toBeNull();
      expect(credential).toEqual(before);
    } else {
      expect(change).toEqual({ id, from, to, reason });
      expect(credential).toMatchObject({
        id,
        status: to,
        reason,
        updatedByMspId: 'MojMSP',
        anchoredAt: before.anchoredAt,
      });
      expect(await reader().getCredential(id)).toEqual(credential);
    }
  });

  it('unknown credentials: CREDENTIAL_NOT_FOUND', async () => {
    expect(
      await outcome(
        operator().setCredentialStatus({
          id: anchorOf(mojDid, lawyerLicence).id,
          status: 'REVOKED',
          reason: 'DISBARMENT',
        }),
      ),
    ).toBe('CREDENTIAL_NOT_FOUND');
  });
});

describe('SetCredentialStatuses', () => {
  it('changes many at once and reports changed and unchanged ids', async () => {
    const [a, b] = await credentialsIn('ACTIVE', 2);
    const [c] = await credentialsIn('REVOKED', 1);
    const result = await operator().setCredentialStatuses({
      issuerDid: mojDid,
      changes: [
        { id: a!, status: 'SUSPENDED', reason: 'COURT_ORDER' },
        { id: b!, status: 'REVOKED', reason: 'DECEASED' },
        { id: c!, status: 'REVOKED', reason: 'DISBARMENT' },
      ],
    });
    expect(result.changed).toEqual([
      { id: a, from: 'ACTIVE', to: 'SUSPENDED', reason: 'COURT_ORDER' },
      { id: b, from: 'ACTIVE', to: 'REVOKED', reason: 'DECEASED' },
    ]);
    expect(result.unchanged).toEqual([c]);
    expect((await reader().getCredential(b!)).status).toBe('REVOKED');
  });

  it.each<[string, (ids: string[]) => { id: string; status: CredentialStatus; reason: ReasonCode }, string]>([
    ['an invalid transition', () => ({ id: revokedId, status: 'ACTIVE', reason: 'COURT_ORDER' }), 'INVALID_TRANSITION'],
    [
      'an unknown credential',
      () => ({ id: anchorOf(mojDid, lawyerLicence).id, status: 'REVOKED', reason: 'DISBARMENT' }),
      'CREDENTIAL_NOT_FOUND',
    ],
    [
      'a credential of another issuer',
      () => ({ id: moeaId, status: 'REVOKED', reason: 'DISBARMENT' }),
      'INVALID_INPUT',
    ],
  ])('all or nothing: %s → %s and no change is written', async (_what, bad, code) => {
    const ids = await credentialsIn('ACTIVE', 3);
    const changes = [...ids.map((id) => ({ id, status: 'REVOKED' as const, reason: 'SUPERSEDED' as const })), bad(ids)];
    expect(await outcome(operator().setCredentialStatuses({ issuerDid: mojDid, changes }))).toBe(code);
    for (const id of ids) expect((await reader().getCredential(id)).status).toBe('ACTIVE');
  });

  let revokedId: string;
  let moeaId: string;
  beforeAll(async () => {
    [revokedId] = (await credentialsIn('REVOKED', 1)) as [string];
    const moea = anchorOf(moeaDid, 'CompanyRegistrationCredential');
    await world.as('MoeaMSP/operator').issueCredentials({ issuerDid: moeaDid, credentials: [moea] });
    moeaId = moea.id;
  });
});

describe('the issuer’s status', () => {
  async function issuerWith(status: 'SUSPENDED' | 'DEACTIVATED') {
    serial += 1;
    const did = `did:web:status-${serial}.moj.gov.tw`;
    await world.as(governance).registerIssuer(registration(did, 'MojMSP', [lawyerLicence]));
    const [active, suspended] = [await credentialsIn('ACTIVE', 2, did), await credentialsIn('SUSPENDED', 1, did)];
    await world.as(governance).setIssuerStatus({ did, status });
    return { active: active, suspended: suspended[0]! };
  }

  it('a suspended issuer may still suspend and revoke, not reinstate', async () => {
    const { active, suspended } = await issuerWith('SUSPENDED');
    expect(
      await outcome(
        operator().setCredentialStatus({ id: active[0]!, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' }),
      ),
    ).toBe('ok');
    expect(
      await outcome(operator().setCredentialStatus({ id: active[1]!, status: 'REVOKED', reason: 'KEY_COMPROMISE' })),
    ).toBe('ok');
    expect(
      await outcome(operator().setCredentialStatus({ id: suspended, status: 'ACTIVE', reason: 'SUSPENSION_LIFTED' })),
    ).toBe('ISSUER_INACTIVE');
  });

  it('a deactivated issuer’s credentials are frozen', async () => {
    const { active, suspended } = await issuerWith('DEACTIVATED');
    expect(
      await outcome(operator().setCredentialStatus({ id: active[0]!, status: 'REVOKED', reason: 'SUPERSEDED' })),
    ).toBe('ISSUER_INACTIVE');
    expect(
      await outcome(operator().setCredentialStatus({ id: suspended, status: 'ACTIVE', reason: 'SUSPENSION_LIFTED' })),
    ).toBe('ISSUER_INACTIVE');
  });
});

describe('concurrency', () => {
  it('two changes of one credential endorsed on the same state: the second fails MVCC_CONFLICT at commit', async () => {
    const [id] = await credentialsIn('ACTIVE', 1);
    const ledger = world.network.connect(mojOperator);
    const suspend = await ledger.endorse(
      transactionNames.setCredentialStatus,
      JSON.stringify({ id, status: 'SUSPENDED', reason: 'COURT_ORDER' }),
    );
    const revoke = await ledger.endorse(
      transactionNames.setCredentialStatus,
      JSON.stringify({ id, status: 'REVOKED', reason: 'DECEASED' }),
    );
    await suspend.submit();
    await expect(revoke.submit()).rejects.toMatchObject({ code: 'MVCC_CONFLICT' });
    expect(await reader().getCredential(id!)).toMatchObject({ status: 'SUSPENDED', reason: 'COURT_ORDER' });
    expect((await reader().getCredentialHistory(id!)).map((e) => e.status)).toEqual(['ACTIVE', 'SUSPENDED']);
  });
});
