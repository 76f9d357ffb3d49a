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

const issueRequest = JSON.stringify({
  issuerDid: did,
  credentials: ids.map((id) => ({
    id,
    digest: 'c'.repeat(64),
    type: 'LawyerLicenceCredential',
    kid: `${did}#key-1`,
    validFrom: '2026-11-26T00:00:00Z',
    validUntil: null,
  })),
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
  it('each credential, its issuer index entry, and a key-level endorsement policy of the issuer’s org', async () => {
    const { written } = await issueOnce();
    const credentialKeys = ids.map((id) => compositeKey('credential', [id]));
    expect([...written.state.keys()].sort()).toEqual(
      [...credentialKeys, ...ids.map((id) => compositeKey('credential-by-issuer', [did, id]))].sort(),
    );
    expect([...written.validationParameters.keys()].sort()).toEqual([...credentialKeys].sort());
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
    expect(result).toBe(canonicalJson({ issuerDid: did, anchored: ids, unchanged: [] }));
  });

  it('the same bytes on every run with the same input and tx timestamp', async () => {
    const [a, b] = [await issueOnce(), await issueOnce()];
    expect([...a.written.state]).toEqual([...b.written.state]);
    expect(a.written.events).toEqual(b.written.events);
    expect(a.result).toBe(b.result);
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
