/**
 * Round trips to the peer per anchored credential: each getState, putState and
 * setStateValidationParameter is one message between chaincode and peer (docs/decisions/0023). Counted
 * on fabric-shim's real ChaincodeStub, path by path, as a fixed part per transaction and a part per
 * anchor; the per-anchor part is the least this layout allows, so these counts guard against a
 * regression, and the fixed part is one read since the configuration is no longer read beside an issuer.
 */
import { describe, expect, it } from '@jest/globals';
import { CredentialContract } from '../src/credential-contract';
import { marshal } from '../src/state';
import { countingContext, type PeerMessage } from './counting-stub';
import { compositeKey } from './fake-context';

const did = 'did:web:moj.gov.tw';
const millis = Date.UTC(2026, 10, 26, 8, 0, 0, 123);
const type = 'LawyerLicenceCredential';
const configKey = compositeKey('config', ['registry']);

function registry(): Map<string, Buffer> {
  const issuer = {
    did,
    mspId: 'MojMSP',
    name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
    credentialTypes: [type],
    keys: [
      {
        kid: `${did}#key-1`,
        publicKeyJwk: {
          kty: 'EC',
          crv: 'P-256',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        },
        validFrom: '2026-01-01T00:00:00.000Z',
        validUntil: null,
        compromisedSince: null,
      },
    ],
    status: 'ACTIVE',
    registeredAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  return new Map([
    [configKey, marshal({ governanceMspIds: ['NdcMSP'] })],
    [compositeKey('issuer', [did]), marshal(issuer)],
  ]);
}

const idOf = (n: number) => `urn:uuid:00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const subjectOf = (n: number) => n.toString(16).padStart(64, '0');
const anchor = (n: number, withSubject: boolean) => ({
  id: idOf(n),
  digest: 'c'.repeat(64),
  type,
  kid: `${did}#key-1`,
  validFrom: '2026-11-26T00:00:00.000Z',
  validUntil: null,
  subjectDigest: withSubject ? subjectOf(n) : null,
});
/** What the ledger holds for `anchor(n, true)` anchored earlier in `status`. */
const stored = (n: number, status: string) => ({
  ...anchor(n, true),
  issuerDid: did,
  status,
  reason: status === 'REVOKED' ? 'DISBARMENT' : null,
  anchoredAt: '2026-11-26T00:00:00.000Z',
  updatedAt: '2026-11-26T00:00:00.000Z',
  updatedByMspId: 'MojMSP',
  supersedes: null,
  supersededBy: null,
});

async function issue(
  committed: Map<string, Buffer>,
  request: object,
  caller: { mspId?: string; role?: string | null } = {},
) {
  const counting = countingContext({
    committed,
    mspId: caller.mspId ?? 'MojMSP',
    role: caller.role === undefined ? 'issuer-operator' : caller.role,
    millis,
  });
  const outcome = await new CredentialContract().IssueCredentials(counting.ctx, JSON.stringify(request)).then(
    (result) => JSON.parse(result) as Record<string, unknown>,
    (error: unknown) => (error instanceof Error ? error.message : String(error)).split(':')[0]!,
  );
  const count = (kind: PeerMessage) => counting.messages.filter((message) => message.type === kind).length;
  return {
    outcome,
    messages: counting.messages,
    total: counting.messages.length,
    byType: {
      GET_STATE: count('GET_STATE'),
      PUT_STATE: count('PUT_STATE'),
      PUT_STATE_METADATA: count('PUT_STATE_METADATA'),
    },
  };
}

/** Round trips of a batch of `n` fresh anchors: split into the part per transaction and per anchor. */
async function perAnchor(withSubject: boolean) {
  const fresh = (n: number) =>
    issue(registry(), { issuerDid: did, credentials: range(n).map((i) => anchor(i, withSubject)) });
  const [one, many] = [await fresh(1), await fresh(25)];
  expect(many.outcome).toMatchObject({ anchored: range(25).map(idOf) });
  const each = (many.total - one.total) / 24;
  return { each, fixed: one.total - each, many };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('IssueCredentials round trips to the peer', () => {
  it('a fresh anchor without a subject digest: 4 (read the id; write record, its key-level policy, the index entry); 1 per transaction', async () => {
    const { each, fixed, many } = await perAnchor(false);
    expect({ each, fixed }).toEqual({ each: 4, fixed: 1 });
    expect(many.byType).toEqual({ GET_STATE: 1 + 25, PUT_STATE: 2 * 25, PUT_STATE_METADATA: 25 });
    // The one read per transaction is the issuer record: the configuration is not read beside it.
    expect(many.messages[0]).toEqual({ type: 'GET_STATE', key: compositeKey('issuer', [did]) });
    expect(many.messages.some((message) => message.key === configKey)).toBe(false);
  });

  it('a fresh anchor holding a new subject: 7 (and read, write and pin the subject holder)', async () => {
    const { each, fixed, many } = await perAnchor(true);
    expect({ each, fixed }).toEqual({ each: 7, fixed: 1 });
    expect(many.byType).toEqual({ GET_STATE: 1 + 2 * 25, PUT_STATE: 3 * 25, PUT_STATE_METADATA: 2 * 25 });
  });

  it('a subject freed by revocation: 6 (its holder key keeps its policy); superseding an ACTIVE holder: 8', async () => {
    const freed = registry();
    freed.set(compositeKey('credential', [idOf(1)]), marshal(stored(1, 'REVOKED')));
    freed.set(compositeKey('subject-holder', [did, subjectOf(1)]), marshal({ credentialId: null }));
    const next = { ...anchor(2, true), subjectDigest: subjectOf(1) };
    const retaken = await issue(freed, { issuerDid: did, credentials: [next] });
    expect(retaken.outcome).toMatchObject({ anchored: [idOf(2)], superseded: [] });
    expect(retaken.total).toBe(1 + 6);

    const held = registry();
    held.set(compositeKey('credential', [idOf(1)]), marshal(stored(1, 'ACTIVE')));
    held.set(compositeKey('subject-holder', [did, subjectOf(1)]), marshal({ credentialId: idOf(1) }));
    const superseding = await issue(held, { issuerDid: did, credentials: [next], supersede: true });
    expect(superseding.outcome).toMatchObject({ anchored: [idOf(2)], superseded: [{ id: idOf(1), by: idOf(2) }] });
    // Read the id, the holder and the held record; write the new record, its policy, its index entry,
    // the holder and the revoked predecessor.
    expect(superseding.total).toBe(1 + 8);
  });

  it('an identical re-anchor (a safe retry): 1, the read that finds it', async () => {
    const committed = registry();
    committed.set(compositeKey('credential', [idOf(1)]), marshal(stored(1, 'ACTIVE')));
    const again = await issue(committed, { issuerDid: did, credentials: [anchor(1, true)] });
    expect(again.outcome).toMatchObject({ anchored: [], unchanged: [idOf(1)] });
    expect(again.total).toBe(1 + 1);
  });
});

describe('IssueCredentials without the configuration read fails as before', () => {
  it('NOT_INITIALIZED before anything else, ACCESS_DENIED before ISSUER_NOT_FOUND', async () => {
    const request = { issuerDid: did, credentials: [anchor(1, false)] };
    const empty = new Map<string, Buffer>();
    expect((await issue(empty, request)).outcome).toBe('NOT_INITIALIZED');
    expect((await issue(empty, request, { role: null })).outcome).toBe('NOT_INITIALIZED');
    const initialised = new Map([[configKey, registry().get(configKey)!]]);
    expect((await issue(initialised, request, { role: null })).outcome).toBe('ACCESS_DENIED');
    expect((await issue(initialised, request)).outcome).toBe('ISSUER_NOT_FOUND');
    // With the issuer on the ledger: the role, then the owning organisation.
    expect((await issue(registry(), request, { role: 'auditor' })).outcome).toBe('ACCESS_DENIED');
    expect((await issue(registry(), request, { mspId: 'MoeaMSP' })).outcome).toBe('ACCESS_DENIED');
    const unknown = await issue(initialised, request);
    expect(unknown.messages.map((message) => message.key)).toEqual([compositeKey('issuer', [did]), configKey]);
  });
});
