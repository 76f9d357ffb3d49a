/**
 * `startServer` over a real embedded ledger: the answers are the ledger's own records, status changes
 * show once the read cache's TTL is over, and the HTTP status source of `@credledger/verify` reads
 * the server as docs/api.md promises.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { startServer, type RunningServer } from '@credledger/server';
import { httpStatusSource } from '@credledger/verify';
import {
  anchorOf,
  governance,
  lawyerLicence,
  mojAuditor,
  mojDid,
  mojOperator,
  openWorld,
  type World,
} from '../../issuer/test/registry-world.js';

describe('startServer over an embedded ledger', () => {
  let world: World;
  let server: RunningServer;
  const active = anchorOf(mojDid, lawyerLicence);
  const revoked = anchorOf(mojDid, lawyerLicence);

  beforeAll(async () => {
    world = await openWorld();
    await world.as(mojOperator).issueCredentials({ issuerDid: mojDid, credentials: [active, revoked] });
    server = await startServer({ ledger: world.network.connect(mojAuditor), port: 0, rateLimit: false, cacheTtlMs: 0 });
  }, 60_000);

  afterAll(async () => {
    // Either may be missing when beforeAll failed half-way.
    await (server as RunningServer | undefined)?.close();
    await (world as World | undefined)?.close();
  });

  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers the anchored record of a credential, and its status change after a revocation', async () => {
    const before = await get(`/api/v1/credentials/${encodeURIComponent(revoked.id)}`);
    expect(before.status).toBe(200);
    expect(before.body['record']).toMatchObject({
      id: revoked.id,
      digest: revoked.digest,
      issuerDid: mojDid,
      status: 'ACTIVE',
      reason: null,
    });
    await world.as(mojOperator).setCredentialStatus({ id: revoked.id, status: 'REVOKED', reason: 'DISBARMENT' });
    const after = await get(`/api/v1/credentials/${encodeURIComponent(revoked.id)}`);
    expect(after.body['record']).toMatchObject({ status: 'REVOKED', reason: 'DISBARMENT' });
  });

  it('answers 404 CREDENTIAL_NOT_FOUND for an id the ledger does not hold', async () => {
    const missing = anchorOf(mojDid, lawyerLicence);
    const reply = await get(`/api/v1/credentials/${encodeURIComponent(missing.id)}`);
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error: { code: 'CREDENTIAL_NOT_FOUND' } });
  });

  it('serves registered issuers and their DID documents from the registry', async () => {
    const list = await get('/api/v1/issuers');
    expect((list.body['issuers'] as { did: string }[]).map((i) => i.did).sort()).toEqual([
      'did:web:moea.gov.tw',
      mojDid,
    ]);
    const doc = await get(`/api/v1/issuers/${encodeURIComponent(mojDid)}/did.json`);
    expect(doc.body).toMatchObject({ id: mojDid, assertionMethod: [`${mojDid}#key-1`] });
    expect((await get('/api/v1/health')).body).toMatchObject({ status: 'ok', ledger: 'reachable' });
  });

  it('is read by the SDK HTTP status source as records with their asOf', async () => {
    const source = httpStatusSource({ baseUrl: server.url });
    const now = new Date();
    const issuer = await source.getIssuer(mojDid, now);
    expect(issuer.issuer?.name).toEqual((await world.as(governance).getIssuer(mojDid)).name);
    if (!issuer.issuer) throw new Error('issuer missing');
    const status = await source.getStatus({ id: active.id, issuer: issuer.issuer, credentialStatus: [], now });
    expect(status).toMatchObject({
      kind: 'record',
      record: { id: active.id, status: 'ACTIVE', digest: active.digest },
    });
    const unknown = await source.getIssuer('did:web:unregistered.example', now);
    expect(unknown.issuer).toBeUndefined();
  });
});
