/**
 * What the transactions write, seen from a fake context: key-level endorsement pins, sorted-key JSON,
 * one event with a byte payload, and identical bytes for identical input (every endorser must agree).
 */
import { describe, expect, it } from '@jest/globals';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CredentialContract } from '../src/credential-contract';
import { IssuerRegistryContract } from '../src/issuer-registry-contract';
import { canonicalJson, marshal } from '../src/state';
import { compositeKey, fakeContext } from './fake-context';

const did = 'did:web:moj.gov.tw';
const millis = Date.UTC(2026, 10, 26, 8, 0, 0, 123);
const jwk = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};
const ids = ['urn:uuid:00000000-0000-4000-8000-000000000002', 'urn:uuid:00000000-0000-4000-8000-000000000001'];

function committedRegistry(): Map<string, Buffer> {
  const issuer = {
    did,
    mspId: 'MojMSP',
    name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
    credentialTypes: ['LawyerLicenceCredential'],
    keys: [
      {
        kid: `${did}#key-1`,
        publicKeyJwk: jwk,
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
    [compositeKey('config', ['registry']), marshal({ governanceMspIds: ['NdcMSP'] })],
    [compositeKey('issuer', [did]), marshal(issuer)],
  ]);
}

const subjectDigests = ['5'.repeat(64), '6'.repeat(64)];
const anchorRequest = (id: string, subjectDigest: string | null) => ({
  id,
  digest: 'c'.repeat(64),
  type: 'LawyerLicenceCredential',
  kid: `${did}#key-1`,
  validFrom: '2026-11-26T00:00:00Z',
  validUntil: null,
  subjectDigest,
});
const issueRequest = JSON.stringify({
  issuerDid: did,
  credentials: ids.map((id, i) => anchorRequest(id, subjectDigests[i] ?? null)),
});

async function issueOnce() {
  const { ctx, written } = fakeContext({
    committed: committedRegistry(),
    mspId: 'MojMSP',
    role: 'issuer-operator',
    millis,
  });
  const result = await new CredentialContract().IssueCredentials(ctx, issueRequest);
  return { result, written };
}

describe('IssueCredentials writes', () => {
  it('each credential, its issuer index entry, its subject holder, and a key-level endorsement policy of the issuer’s org', async () => {
    const { written } = await issueOnce();
    const credentialKeys = ids.map((id) => compositeKey('credential', [id]));
    const holderKeys = subjectDigests.map((digest) => compositeKey('subject-holder', [did, digest]));
    expect([...written.state.keys()].sort()).toEqual(
      [...credentialKeys, ...holderKeys, ...ids.map((id) => compositeKey('credential-by-issuer', [did, id]))].sort(),
    );
    expect([...written.validationParameters.keys()].sort()).toEqual([...credentialKeys, ...holderKeys].sort());
    // The holder names the credential; the subject appears only as the digest in the key.
    expect(holderKeys.map((key) => written.state.get(key)?.toString('utf8'))).toEqual(
      ids.map((id) => canonicalJson({ credentialId: id })),
    );
    for (const policy of written.validationParameters.values())
      expect(new KeyEndorsementPolicy(policy).listOrgs()).toEqual(['MojMSP']);
    const record = JSON.parse(written.state.get(credentialKeys[0]!)!.toString('utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({
      anchoredAt: '2026-11-26T08:00:00.123Z',
      updatedByMspId: 'MojMSP',
      validFrom: '2026-11-26T00:00:00.000Z',
    });
  });

  it('values as canonical JSON (sorted keys) and one event whose payload is bytes', async () => {
    const { written, result } = await issueOnce();
    for (const [key, value] of written.state) {
      if (key.startsWith(compositeKey('credential', [])))
        expect(value.toString('utf8')).toBe(canonicalJson(JSON.parse(value.toString('utf8'))));
    }
    expect(written.events).toHaveLength(1);
    expect(written.events[0]!.name).toBe('CredentialsIssued');
    expect(written.events[0]!.payload).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(Buffer.from(written.events[0]!.payload).toString('utf8'))).toEqual({ issuerDid: did, ids });
    expect(result).toBe(canonicalJson({ issuerDid: did, anchored: ids, unchanged: [], superseded: [] }));
  });

  it('the same bytes on every run with the same input and tx timestamp', async () => {
    const [a, b] = [await issueOnce(), await issueOnce()];
    expect([...a.written.state]).toEqual([...b.written.state]);
    expect(a.written.events).toEqual(b.written.events);
    expect(a.result).toBe(b.result);
  });
});

describe('one ACTIVE credential per (issuer, type, subject)', () => {
  const [held, fresh] = [
    'urn:uuid:00000000-0000-4000-8000-00000000000a',
    'urn:uuid:00000000-0000-4000-8000-00000000000b',
  ];
  const subject = '7'.repeat(64);
  const holderKey = compositeKey('subject-holder', [did, subject]);
  const record = (id: string, status: string, reason: string | null = null) => ({
    ...anchorRequest(id, subject),
    validFrom: '2026-11-26T00:00:00.000Z',
    issuerDid: did,
    status,
    reason,
    anchoredAt: '2026-11-26T00:00:00.000Z',
    updatedAt: '2026-11-26T00:00:00.000Z',
    updatedByMspId: 'MojMSP',
    supersedes: null,
    supersededBy: null,
  });
  /** The registry with `held` anchored in `status`, holding `subject` unless it is revoked. */
  function committedWith(status: string): Map<string, Buffer> {
    const committed = committedRegistry();
    committed.set(compositeKey('credential', [held]), marshal(record(held, status)));
    committed.set(holderKey, marshal({ credentialId: status === 'REVOKED' ? null : held }));
    return committed;
  }
  const operator = (committed: Map<string, Buffer>) =>
    fakeContext({ committed, mspId: 'MojMSP', role: 'issuer-operator', millis });
  const issueFresh = (supersede?: boolean) =>
    JSON.stringify({
      issuerDid: did,
      credentials: [anchorRequest(fresh, subject)],
      ...(supersede === undefined ? {} : { supersede }),
    });
  const stored = (written: { state: Map<string, Buffer> }, key: string): Record<string, unknown> =>
    JSON.parse(written.state.get(key)?.toString('utf8') ?? 'null') as Record<string, unknown>;

  it('refuses a second credential for a held subject with SUBJECT_HAS_ACTIVE_CREDENTIAL naming the holder, and writes nothing', async () => {
    for (const status of ['ACTIVE', 'SUSPENDED']) {
      const { ctx, written } = operator(committedWith(status));
      const refused = new CredentialContract().IssueCredentials(ctx, issueFresh());
      await expect(refused).rejects.toThrow(/^SUBJECT_HAS_ACTIVE_CREDENTIAL: /);
      await expect(refused).rejects.toThrow(`${held} (${status})`);
      expect(written.state.size).toBe(0);
    }
  });

  it('anchors when the holder was revoked, and takes the subject over', async () => {
    const { ctx, written } = operator(committedWith('REVOKED'));
    await new CredentialContract().IssueCredentials(ctx, issueFresh());
    expect(stored(written, holderKey)).toEqual({ credentialId: fresh });
    // The holder key keeps the policy it got when first written.
    expect(written.validationParameters.has(holderKey)).toBe(false);
  });

  it('supersede: the new anchor and the old one’s revocation (SUPERSEDED) in one transaction, linked both ways', async () => {
    const { ctx, written } = operator(committedWith('ACTIVE'));
    const result = JSON.parse(await new CredentialContract().IssueCredentials(ctx, issueFresh(true))) as unknown;
    expect(result).toEqual({ issuerDid: did, anchored: [fresh], unchanged: [], superseded: [{ id: held, by: fresh }] });
    expect(stored(written, compositeKey('credential', [fresh]))).toMatchObject({ status: 'ACTIVE', supersedes: held });
    expect(stored(written, compositeKey('credential', [held]))).toMatchObject({
      status: 'REVOKED',
      reason: 'SUPERSEDED',
      supersededBy: fresh,
      updatedAt: '2026-11-26T08:00:00.123Z',
    });
    expect(stored(written, holderKey)).toEqual({ credentialId: fresh });
    // Status watchers learn of the revocation from the transaction's one event.
    expect(written.events.map((e) => e.name)).toEqual(['CredentialsIssued']);
    expect(JSON.parse(Buffer.from(written.events[0]!.payload).toString('utf8'))).toEqual({
      issuerDid: did,
      ids: [fresh],
      changes: [{ id: held, from: 'ACTIVE', to: 'REVOKED', reason: 'SUPERSEDED' }],
    });
  });

  it('never supersedes a suspended credential (INVALID_TRANSITION)', async () => {
    const { ctx, written } = operator(committedWith('SUSPENDED'));
    await expect(new CredentialContract().IssueCredentials(ctx, issueFresh(true))).rejects.toThrow(
      /^INVALID_TRANSITION: .*SUSPENDED/,
    );
    expect(written.state.size).toBe(0);
  });

  it('an identical re-anchor of the holder is still a no-op', async () => {
    const committed = committedWith('ACTIVE');
    const { ctx, written } = operator(committed);
    const again = JSON.stringify({ issuerDid: did, credentials: [{ ...anchorRequest(held, subject) }] });
    expect(JSON.parse(await new CredentialContract().IssueCredentials(ctx, again))).toMatchObject({
      anchored: [],
      unchanged: [held],
    });
    expect(written.state.size).toBe(0);
  });

  it('revoking frees the subject; suspending and reinstating keep it held', async () => {
    const revoke = operator(committedWith('ACTIVE'));
    await new CredentialContract().SetCredentialStatus(
      revoke.ctx,
      JSON.stringify({ id: held, status: 'REVOKED', reason: 'DISBARMENT' }),
    );
    expect(stored(revoke.written, holderKey)).toEqual({ credentialId: null });

    const suspend = operator(committedWith('ACTIVE'));
    await new CredentialContract().SetCredentialStatus(
      suspend.ctx,
      JSON.stringify({ id: held, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' }),
    );
    const reinstate = operator(committedWith('SUSPENDED'));
    await new CredentialContract().SetCredentialStatuses(
      reinstate.ctx,
      JSON.stringify({ issuerDid: did, changes: [{ id: held, status: 'ACTIVE', reason: 'SUSPENSION_LIFTED' }] }),
    );
    for (const { written } of [suspend, reinstate]) expect(written.state.has(holderKey)).toBe(false);
  });

  it('reads records anchored before subject digests existed as holding nothing', async () => {
    const committed = committedRegistry();
    const { subjectDigest: _omitted, supersedes: _s, supersededBy: _b, ...legacy } = record(held, 'ACTIVE');
    committed.set(compositeKey('credential', [held]), marshal(legacy));
    const { ctx, written } = operator(committed);
    expect(JSON.parse(await new CredentialContract().GetCredential(ctx, JSON.stringify({ id: held })))).toMatchObject({
      subjectDigest: null,
      supersedes: null,
      supersededBy: null,
    });
    await new CredentialContract().SetCredentialStatus(
      ctx,
      JSON.stringify({ id: held, status: 'REVOKED', reason: 'DISBARMENT' }),
    );
    expect([...written.state.keys()]).toEqual([compositeKey('credential', [held])]);
  });
});

describe('ListCredentialsByIssuer', () => {
  const other = 'did:web:moi.gov.tw';
  const [own, foreign] = [
    'urn:uuid:00000000-0000-4000-8000-00000000000c',
    'urn:uuid:00000000-0000-4000-8000-00000000000d',
  ];
  const record = (id: string, issuerDid: string) => ({
    ...anchorRequest(id, null),
    validFrom: '2026-11-26T00:00:00.000Z',
    issuerDid,
    status: 'ACTIVE',
    reason: null,
    anchoredAt: '2026-11-26T00:00:00.000Z',
    updatedAt: '2026-11-26T00:00:00.000Z',
    updatedByMspId: 'MojMSP',
    supersedes: null,
    supersededBy: null,
  });
  const list = async (committed: Map<string, Buffer>, pageSize = 10) => {
    const { ctx } = fakeContext({ committed, mspId: 'MojMSP', role: 'issuer-operator', millis });
    const page = await new CredentialContract().ListCredentialsByIssuer(
      ctx,
      JSON.stringify({ issuerDid: did, pageSize }),
    );
    return JSON.parse(page) as { records: { id: string; issuerDid: string }[]; bookmark: string };
  };

  it('leaves out a credential of another issuer that an index entry under this issuer points to', async () => {
    const committed = committedRegistry();
    committed.set(compositeKey('credential', [own]), marshal(record(own, did)));
    committed.set(compositeKey('credential', [foreign]), marshal(record(foreign, other)));
    committed.set(compositeKey('credential-by-issuer', [did, own]), Buffer.from(own));
    // A corrupted entry: under this issuer, naming the other issuer's credential.
    committed.set(compositeKey('credential-by-issuer', [did, foreign]), Buffer.from(foreign));
    const page = await list(committed);
    expect(page.records.map((r) => [r.id, r.issuerDid])).toEqual([[own, did]]);
    expect(page.bookmark).toBe('');
  });

  it('fills the page from the entries after a left-out one, so a short page is still the last', async () => {
    const committed = committedRegistry();
    committed.set(compositeKey('credential', [own]), marshal(record(own, did)));
    committed.set(compositeKey('credential', [foreign]), marshal(record(foreign, other)));
    const second = 'urn:uuid:00000000-0000-4000-8000-00000000000e';
    committed.set(compositeKey('credential', [second]), marshal(record(second, did)));
    // A corrupted entry whose key sorts before the issuer's own, so a page of one would fetch it alone.
    const before = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    committed.set(compositeKey('credential-by-issuer', [did, before]), Buffer.from(foreign));
    committed.set(compositeKey('credential-by-issuer', [did, own]), Buffer.from(own));
    committed.set(compositeKey('credential-by-issuer', [did, second]), Buffer.from(second));
    const first = await list(committed, 1);
    expect(first.records.map((r) => r.id)).toEqual([own]);
    expect(first.bookmark).toBe(compositeKey('credential-by-issuer', [did, second]));
  });
});

describe('RegisterIssuer', () => {
  it('pins the issuer record to the governance organisations', async () => {
    const committed = new Map([[compositeKey('config', ['registry']), marshal({ governanceMspIds: ['NdcMSP'] })]]);
    const { ctx, written } = fakeContext({ committed, mspId: 'NdcMSP', role: 'governance-admin', millis });
    const request = {
      did,
      mspId: 'MojMSP',
      name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
      credentialTypes: ['LawyerLicenceCredential'],
      keys: [{ kid: `${did}#key-1`, publicKeyJwk: jwk }],
    };
    await new IssuerRegistryContract().RegisterIssuer(ctx, JSON.stringify(request));
    const policy = written.validationParameters.get(compositeKey('issuer', [did]));
    expect(policy && new KeyEndorsementPolicy(policy).listOrgs()).toEqual(['NdcMSP']);
    expect(written.events.map((e) => e.name)).toEqual(['IssuerRegistered']);
  });
});

describe('chaincode sources', () => {
  // Every endorser must compute the same result: no clock, randomness, environment or I/O.
  const forbidden = [
    /Date\.now\(/,
    /new Date\(\s*\)/,
    /Math\.random\(/,
    /process\.env/,
    /randomUUID|randomBytes/,
    /require\(['"](fs|node:fs|http|https|net|child_process)['"]\)|from ['"](node:)?(fs|http|https|net|child_process)['"]/,
  ];
  const dir = join(__dirname, '..', 'src');
  it.each(readdirSync(dir).filter((file) => file.endsWith('.ts')))('%s uses no nondeterministic source', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(forbidden.filter((pattern) => pattern.test(text)).map(String)).toEqual([]);
  });
});
