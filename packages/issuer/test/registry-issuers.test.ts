/**
 * The issuer registry through the embedded ledger: Init once, NOT_INITIALIZED before it, registration,
 * key rotation rules (add, retire, compromise) and the issuer status machine.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issuerStatuses, issuerTransitions } from '@credledger/vocabulary';
import {
  anchorOf,
  daysFromNow,
  governance,
  lawyerLicence,
  mojDid,
  mojOperator,
  moeaDid,
  openWorld,
  outcome,
  publicKey,
  registration,
  type World,
} from './registry-world.js';

describe('before Init', () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld({ initialise: false });
  }, 60_000);
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed
    await world?.close();
  });

  it('every transaction but Init fails NOT_INITIALIZED', async () => {
    const admin = world.as(governance);
    const operator = world.as(mojOperator);
    const id = anchorOf(mojDid, lawyerLicence).id;
    const calls: Promise<unknown>[] = [
      admin.registerIssuer(registration(mojDid, 'MojMSP', [lawyerLicence])),
      admin.addIssuerKey({ did: mojDid, key: publicKey(`${mojDid}#key-2`) }),
      admin.retireIssuerKey({ did: mojDid, kid: `${mojDid}#key-1` }),
      admin.markIssuerKeyCompromised({ did: mojDid, kid: `${mojDid}#key-1`, compromisedSince: '2025-01-01T00:00:00Z' }),
      admin.setIssuerStatus({ did: mojDid, status: 'SUSPENDED' }),
      admin.getIssuer(mojDid),
      admin.listIssuers(),
      operator.issueCredentials({ issuerDid: mojDid, credentials: [anchorOf(mojDid, lawyerLicence)] }),
      operator.setCredentialStatus({ id, status: 'REVOKED', reason: 'DISBARMENT' }),
      operator.setCredentialStatuses({ issuerDid: mojDid, changes: [{ id, status: 'REVOKED', reason: 'DISBARMENT' }] }),
      operator.getCredential(id),
      operator.verifyDigest(id, 'a'.repeat(64)),
      operator.getCredentialHistory(id),
      operator.listCredentialsByIssuer(mojDid),
    ];
    const outcomes = await Promise.all(calls.map(outcome));
    expect(outcomes).toEqual(calls.map(() => 'NOT_INITIALIZED'));
  });

  it('Init must name the caller’s own organisation and needs the governance-admin role', async () => {
    expect(await outcome(world.as(mojOperator).init({ governanceMspIds: ['MojMSP'] }))).toBe('ACCESS_DENIED');
    expect(await outcome(world.as(governance).init({ governanceMspIds: ['MojMSP'] }))).toBe('ACCESS_DENIED');
    expect(await outcome(world.as('NdcMSP/auditor').init({ governanceMspIds: ['NdcMSP'] }))).toBe('ACCESS_DENIED');
  });

  it('Init runs once: the same ids again are a no-op, other ids INVALID_TRANSITION', async () => {
    // A ledger of its own: initialising the shared one would change what the tests above see, in any order.
    const own = await openWorld({ initialise: false });
    try {
      expect(await own.as(governance).init({ governanceMspIds: ['NdcMSP'] })).toEqual({ governanceMspIds: ['NdcMSP'] });
      expect(await own.as(governance).init({ governanceMspIds: ['NdcMSP'] })).toEqual({ governanceMspIds: ['NdcMSP'] });
      expect(await outcome(own.as(governance).init({ governanceMspIds: ['NdcMSP', 'MojMSP'] }))).toBe(
        'INVALID_TRANSITION',
      );
      expect(await own.as(mojOperator).listIssuers()).toEqual([]);
    } finally {
      await own.close();
    }
  }, 60_000);
});

describe('the registry', () => {
  let world: World;
  let serial = 0;
  beforeAll(async () => {
    world = await openWorld();
  }, 60_000);
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed
    await world?.close();
  });

  const admin = () => world.as(governance);
  async function freshIssuer() {
    serial += 1;
    return admin().registerIssuer(registration(`did:web:registry-${serial}.gov.tw`, 'MojMSP', [lawyerLicence]));
  }

  it('registers an issuer as given, ACTIVE, with tx-time stamps, and lists issuers in DID order', async () => {
    const issuer = await admin().getIssuer(mojDid);
    expect(issuer).toMatchObject({
      did: mojDid,
      mspId: 'MojMSP',
      status: 'ACTIVE',
      credentialTypes: [lawyerLicence],
      name: registration(mojDid, 'MojMSP', []).name,
    });
    expect(issuer.keys).toEqual([
      {
        ...publicKey(`${mojDid}#key-1`),
        validFrom: '2020-01-01T00:00:00.000Z',
        validUntil: null,
        compromisedSince: null,
      },
    ]);
    expect(issuer.registeredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(issuer.updatedAt).toBe(issuer.registeredAt);
    const dids = (await world.as(mojOperator).listIssuers()).map((i) => i.did);
    expect(dids).toEqual([...dids].sort());
    expect(dids).toEqual(expect.arrayContaining([mojDid, moeaDid]));
  });

  it('refuses a second registration of a DID with ISSUER_EXISTS and unknown DIDs with ISSUER_NOT_FOUND', async () => {
    expect(await outcome(admin().registerIssuer(registration(mojDid, 'MoeaMSP', [lawyerLicence])))).toBe(
      'ISSUER_EXISTS',
    );
    expect(await outcome(admin().getIssuer('did:web:unknown.gov.tw'))).toBe('ISSUER_NOT_FOUND');
    expect(
      await outcome(
        admin().addIssuerKey({ did: 'did:web:unknown.gov.tw', key: publicKey('did:web:unknown.gov.tw#k') }),
      ),
    ).toBe('ISSUER_NOT_FOUND');
    expect((await admin().getIssuer(mojDid)).mspId).toBe('MojMSP');
  });

  it('refuses input the parsers reject with INVALID_INPUT', async () => {
    expect(
      await outcome(
        admin().registerIssuer({
          ...registration('did:web:bad.gov.tw', 'MojMSP', [lawyerLicence]),
          credentialTypes: [],
        }),
      ),
    ).toBe('INVALID_INPUT');
    expect(await outcome(admin().getIssuer('https://moj.gov.tw'))).toBe('INVALID_INPUT');
  });

  it('adds keys, refusing a kid twice with KEY_EXISTS', async () => {
    const issuer = await freshIssuer();
    const kid = `${issuer.did}#key-2`;
    const updated = await admin().addIssuerKey({ did: issuer.did, key: publicKey(kid) });
    expect(updated.keys.map((k) => k.kid)).toEqual([`${issuer.did}#key-1`, kid]);
    expect(updated.keys[1]).toMatchObject({ validFrom: updated.updatedAt, validUntil: null, compromisedSince: null });
    expect(await outcome(admin().addIssuerKey({ did: issuer.did, key: publicKey(kid) }))).toBe('KEY_EXISTS');
    expect(await outcome(admin().retireIssuerKey({ did: issuer.did, kid: `${issuer.did}#key-9` }))).toBe(
      'KEY_NOT_FOUND',
    );
  });

  it('retires a key now or later, never into the past and never later than before', async () => {
    const issuer = await freshIssuer();
    const kid = `${issuer.did}#key-1`;
    const later = daysFromNow(30);
    expect((await admin().retireIssuerKey({ did: issuer.did, kid, validUntil: later })).keys[0]?.validUntil).toBe(
      later,
    );
    // The same instant again is a no-op (safe retry); later would extend the key: refused.
    expect((await admin().retireIssuerKey({ did: issuer.did, kid, validUntil: later })).keys[0]?.validUntil).toBe(
      later,
    );
    expect(await outcome(admin().retireIssuerKey({ did: issuer.did, kid, validUntil: daysFromNow(60) }))).toBe(
      'INVALID_TRANSITION',
    );
    expect(await outcome(admin().retireIssuerKey({ did: issuer.did, kid, validUntil: daysFromNow(-1) }))).toBe(
      'INVALID_INPUT',
    );
    const now = await admin().retireIssuerKey({ did: issuer.did, kid });
    expect(now.keys[0]?.validUntil).toBe(now.updatedAt);
  });

  it('marks a key compromised since an instant that may only move earlier', async () => {
    const issuer = await freshIssuer();
    const kid = `${issuer.did}#key-1`;
    const since = '2025-06-01T00:00:00.000Z';
    expect(
      (await admin().markIssuerKeyCompromised({ did: issuer.did, kid, compromisedSince: since })).keys[0]
        ?.compromisedSince,
    ).toBe(since);
    expect(
      (await admin().markIssuerKeyCompromised({ did: issuer.did, kid, compromisedSince: since })).keys[0]
        ?.compromisedSince,
    ).toBe(since);
    expect(
      await outcome(
        admin().markIssuerKeyCompromised({ did: issuer.did, kid, compromisedSince: '2025-07-01T00:00:00Z' }),
      ),
    ).toBe('INVALID_TRANSITION');
    expect(
      await outcome(admin().markIssuerKeyCompromised({ did: issuer.did, kid, compromisedSince: daysFromNow(1) })),
    ).toBe('INVALID_INPUT');
    const earlier = await admin().markIssuerKeyCompromised({
      did: issuer.did,
      kid,
      compromisedSince: '2025-01-01T00:00:00Z',
    });
    expect(earlier.keys[0]?.compromisedSince).toBe('2025-01-01T00:00:00.000Z');
  });

  describe('issuer status machine', () => {
    const statuses = issuerStatuses;
    const allowed = new Set(statuses.flatMap((from) => issuerTransitions[from].map((to) => `${from}→${to}`)));
    const pathTo = { ACTIVE: [], SUSPENDED: ['SUSPENDED'], DEACTIVATED: ['DEACTIVATED'] } as const;
    const transitions = statuses.flatMap((from) =>
      statuses.filter((to) => to !== from).map((to) => [from, to] as const),
    );

    it.each(transitions)('%s → %s', async (from, to) => {
      const issuer = await freshIssuer();
      for (const step of pathTo[from]) await admin().setIssuerStatus({ did: issuer.did, status: step });
      const result = await outcome(admin().setIssuerStatus({ did: issuer.did, status: to }));
      expect(result).toBe(allowed.has(`${from}→${to}`) ? 'ok' : 'INVALID_TRANSITION');
      expect((await admin().getIssuer(issuer.did)).status).toBe(result === 'ok' ? to : from);
    });

    it('setting the current status again is a no-op', async () => {
      const issuer = await freshIssuer();
      expect(await admin().setIssuerStatus({ did: issuer.did, status: 'ACTIVE' })).toEqual(issuer);
    });

    it('a deactivated issuer takes no new keys but its keys can still be retired or marked compromised', async () => {
      const issuer = await freshIssuer();
      await admin().setIssuerStatus({ did: issuer.did, status: 'DEACTIVATED' });
      expect(await outcome(admin().addIssuerKey({ did: issuer.did, key: publicKey(`${issuer.did}#key-2`) }))).toBe(
        'ISSUER_INACTIVE',
      );
      expect(
        await outcome(
          admin().markIssuerKeyCompromised({
            did: issuer.did,
            kid: `${issuer.did}#key-1`,
            compromisedSince: '2025-01-01T00:00:00Z',
          }),
        ),
      ).toBe('ok');
      expect(await outcome(admin().retireIssuerKey({ did: issuer.did, kid: `${issuer.did}#key-1` }))).toBe('ok');
    });
  });
});
