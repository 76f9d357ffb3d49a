/**
 * The issuer DID resolver against a real embedded ledger (temp directory): registry answers with every
 * key and its window, status changes are seen at once, unknown DIDs fall back to HTTPS did:web (a local
 * HTTPS server for web-did-resolver, an injected fetch for the other path), an unreachable registry is an
 * error and not an HTTPS answer, and did-jwt's verifyJWT verifies SDK-issued credentials through it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { verifyJWT } from 'did-jwt';
import { Resolver, type DIDDocument } from 'did-resolver';
import { validateSubject, CredledgerError } from '@credledger/verify';
import { createIssuerResolver, issuerDidDocument, ledgerDidResolver } from '@credledger/server';
import { buildCredential, generateIssuerKey, signCredential, type IssuerKey } from '@credledger/issuer';
import type { IssuerRecord } from '@credledger/ledger';
import { credentialStatusEntries } from '../../issuer/src/status/entry.js';
import { lawyerSubject } from '../../issuer/test/credentials-samples.js';
import {
  daysFromNow,
  governance,
  lawyerLicence,
  ndcAuditor,
  openWorld,
  type World,
} from '../../issuer/test/registry-world.js';

const moj = 'did:web:moj.gov.tw';
const retiredAgency = 'did:web:archive.gov.tw';
const auditor = (): ReturnType<World['as']> => world.as(ndcAuditor);

let world: World;
let keys: { old: IssuerKey; current: IssuerKey; stolen: IssuerKey; archive: IssuerKey; thief: IssuerKey };
/** MOJ before its key-2 was marked compromised: what a cache would keep serving. */
let mojBeforeCompromise: IssuerRecord;
let compromisedSince: string;

beforeAll(async () => {
  keys = {
    old: generateIssuerKey('ES256', { did: moj, fragment: 'key-0' }),
    current: generateIssuerKey('ES256', { did: moj, fragment: 'key-1' }),
    stolen: generateIssuerKey('EdDSA', { did: moj, fragment: 'key-2' }),
    archive: generateIssuerKey('ES256', { did: retiredAgency, fragment: 'key-1' }),
    // Not registered anywhere: a forger's key.
    thief: generateIssuerKey('ES256', { did: moj, fragment: 'key-1' }),
  };
  world = await openWorld({ initialise: false });
  const admin = world.as(governance);
  await admin.init({ governanceMspIds: ['NdcMSP'] });
  const since = daysFromNow(-30);
  await admin.registerIssuer({
    did: moj,
    mspId: 'MojMSP',
    name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
    credentialTypes: [lawyerLicence],
    keys: [keys.old, keys.current, keys.stolen].map((k) => ({
      kid: k.kid,
      publicKeyJwk: k.publicKeyJwk,
      validFrom: since,
    })),
  });
  await admin.retireIssuerKey({ did: moj, kid: keys.old.kid });
  mojBeforeCompromise = await auditor().getIssuer(moj);
  compromisedSince = daysFromNow(-2);
  await admin.markIssuerKeyCompromised({ did: moj, kid: keys.stolen.kid, compromisedSince });
  await admin.registerIssuer({
    did: retiredAgency,
    mspId: 'MoeaMSP',
    name: { 'zh-TW': '已裁撤機關', en: 'Abolished agency' },
    credentialTypes: [lawyerLicence],
    keys: [{ kid: keys.archive.kid, publicKeyJwk: keys.archive.publicKeyJwk, validFrom: since }],
  });
  await admin.setIssuerStatus({ did: retiredAgency, status: 'DEACTIVATED' });
});

afterAll(async () => {
  await world.close();
});

let counter = 0;
async function credential(issuer: string, key: IssuerKey, kid = key.kid): Promise<string> {
  counter += 1;
  const payload = buildCredential({
    type: lawyerLicence,
    id: `urn:uuid:6f1c2a4e-8b1d-4c3e-9f2a-${counter.toString(16).padStart(12, '0')}`,
    issuer,
    subject: validateSubject(lawyerLicence, lawyerSubject),
    validFrom: new Date(daysFromNow(-1)),
    validUntil: new Date(daysFromNow(365)),
    issuedAt: new Date(daysFromNow(-1)),
    status: credentialStatusEntries('https://verify.gov.tw', issuer, {
      revocation: { list: 0, index: 10 + counter },
      suspension: { list: 0, index: 20 + counter },
    }),
  });
  return signCredential(payload, { alg: key.alg, kid, privateKey: key.privateKey });
}

function urlOf(input: Parameters<typeof globalThis.fetch>[0]): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** A fetch that must not be called. */
const noFetch: typeof globalThis.fetch = () => Promise.reject(new Error('fetch was called'));

describe('ledgerDidResolver: the registry answers', () => {
  it('resolves a registered issuer with all its keys and validity windows, metadata from the record', async () => {
    const record = await auditor().getIssuer(moj);
    const resolver = createIssuerResolver({ registry: auditor(), fetch: noFetch });
    const result = await resolver.resolve(moj);
    expect(result.didResolutionMetadata).toEqual({ contentType: 'application/did+ld+json', source: 'registry' });
    expect(result.didDocument).toEqual(issuerDidDocument(record));
    expect(result.didDocument?.verificationMethod?.map((m) => [m.id, m.publicKeyJwk])).toEqual([
      [keys.old.kid, keys.old.publicKeyJwk],
      [keys.current.kid, keys.current.publicKeyJwk],
      [keys.stolen.kid, keys.stolen.publicKeyJwk],
    ]);
    expect(result.didDocumentMetadata).toEqual({
      created: record.registeredAt,
      updated: record.updatedAt,
      deactivated: false,
      issuerStatus: 'ACTIVE',
    });
  });

  it('shows a retired key with its end and a compromised key with its compromise time, and leaves the latter out of assertionMethod', async () => {
    const { didDocument } = await createIssuerResolver({ registry: auditor() }).resolve(`${moj}#key-2`);
    const methods = new Map(didDocument?.verificationMethod?.map((m) => [m.id, m]));
    const retired = mojBeforeCompromise.keys.find((k) => k.kid === keys.old.kid);
    expect(retired?.validUntil).toEqual(expect.any(String));
    expect(methods.get(keys.old.kid)).toMatchObject({ validUntil: retired?.validUntil, compromisedSince: null });
    expect(methods.get(keys.current.kid)).toMatchObject({ validUntil: null, compromisedSince: null });
    expect(methods.get(keys.stolen.kid)).toMatchObject({ validUntil: null });
    expect(
      Date.parse(String((methods.get(keys.stolen.kid) as Record<string, unknown> | undefined)?.['compromisedSince'])),
    ).toBe(Date.parse(compromisedSince));
    expect(didDocument?.assertionMethod).toEqual([keys.old.kid, keys.current.kid]);
  });

  it('caches nothing by default, so a key status change is seen by the next resolution; cache: true keeps the old answer', async () => {
    // A registry whose answer changes between two resolutions, as the ledger's does when a key is marked compromised.
    let answer = mojBeforeCompromise;
    const registry = { getIssuer: (): Promise<IssuerRecord> => Promise.resolve(answer) };
    const uncached = createIssuerResolver({ registry });
    const cached = createIssuerResolver({ registry, cache: true });
    await uncached.resolve(moj);
    await cached.resolve(moj);
    answer = await auditor().getIssuer(moj);
    const stolen = (document: DIDDocument | null) =>
      (document?.verificationMethod?.find((m) => m.id === keys.stolen.kid) as Record<string, unknown> | undefined)?.[
        'compromisedSince'
      ];
    expect(stolen((await uncached.resolve(moj)).didDocument)).toEqual(expect.any(String));
    expect(stolen((await cached.resolve(moj)).didDocument)).toBeNull();
  });

  it('reports a DEACTIVATED issuer as deactivated, keys listed but none asserting', async () => {
    const result = await createIssuerResolver({ registry: auditor(), fetch: noFetch }).resolve(retiredAgency);
    expect(result.didDocumentMetadata).toMatchObject({ deactivated: true, issuerStatus: 'DEACTIVATED' });
    expect(result.didDocument?.verificationMethod?.map((m) => m.id)).toEqual([keys.archive.kid]);
    expect(result.didDocument?.assertionMethod).toEqual([]);
  });

  it('prefers the registry over what the issuer web server serves for a registered DID', async () => {
    const served: string[] = [];
    const fetch: typeof globalThis.fetch = (input) => {
      served.push(urlOf(input));
      return Promise.resolve(Response.json({ id: moj, verificationMethod: [] }));
    };
    const result = await createIssuerResolver({ registry: auditor(), fetch }).resolve(moj);
    expect(result.didResolutionMetadata['source']).toBe('registry');
    expect(result.didDocument?.verificationMethod).toHaveLength(3);
    expect(served).toEqual([]);
  });

  it('answers invalidDid for a malformed did:web without asking anyone', async () => {
    const registry = { getIssuer: (): Promise<IssuerRecord> => Promise.reject(new Error('registry was asked')) };
    const result = await new Resolver(ledgerDidResolver(registry, { fetch: noFetch })).resolve('did:web:-bad..host');
    expect(result.didResolutionMetadata).toMatchObject({ error: 'invalidDid' });
  });
});

describe('ledgerDidResolver: when the registry does not answer', () => {
  it('returns an internalError result, not an HTTPS answer, when the registry is unreachable', async () => {
    const registry = {
      getIssuer: (): Promise<IssuerRecord> =>
        Promise.reject(new CredledgerError('LEDGER_UNAVAILABLE', 'no peer answered')),
    };
    const served: string[] = [];
    const fetch: typeof globalThis.fetch = (input) => {
      served.push(urlOf(input));
      return Promise.resolve(Response.json({ id: moj }));
    };
    const result = await createIssuerResolver({ registry, fetch }).resolve(moj);
    expect(result.didDocument).toBeNull();
    expect(result.didResolutionMetadata).toMatchObject({ error: 'internalError', code: 'LEDGER_UNAVAILABLE' });
    expect(served).toEqual([]);
  });

  it('returns an internalError result when the embedded ledger behind the registry is closed', async () => {
    const closed = await openWorld();
    const registry = closed.as(ndcAuditor);
    await closed.close();
    const result = await createIssuerResolver({ registry, fetch: noFetch }).resolve('did:web:moj.gov.tw');
    expect(result.didDocument).toBeNull();
    expect(result.didResolutionMetadata).toMatchObject({ error: 'internalError', code: expect.any(String) });
  });
});

describe('ledgerDidResolver: HTTPS did:web fallback for DIDs the registry does not hold', () => {
  let server: Server;
  let port: number;
  let requests: string[];
  let savedCas: string[];
  const document = (did: string): DIDDocument => ({
    '@context': 'https://www.w3.org/ns/did/v1',
    id: did,
    verificationMethod: [
      { id: `${did}#web-1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { ...keys.current.publicKeyJwk } },
    ],
    assertionMethod: [`${did}#web-1`],
  });

  beforeAll(async () => {
    const { certificate, privateKey } = await localhostCertificate();
    requests = [];
    server = createServer({ cert: certificate, key: privateKey }, (request, response) => {
      requests.push(request.url ?? '');
      const host = `did:web:localhost%3A${String(port)}`;
      const did =
        request.url === '/impostor/did.json'
          ? 'did:web:moj.gov.tw'
          : request.url === '/.well-known/did.json'
            ? host
            : request.url === '/issuers/lab/did.json'
              ? `${host}:issuers:lab`
              : undefined;
      if (did === undefined) {
        response.writeHead(404).end();
        return;
      }
      response.setHeader('content-type', 'application/did+json');
      response.end(JSON.stringify(document(did)));
    });
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    port = (server.address() as AddressInfo).port;
    // web-did-resolver fetches with the platform's default trust store; trust this test's certificate there, then restore it.
    savedCas = getCACertificates('default');
    setDefaultCACertificates([...savedCas, certificate]);
  });

  beforeEach(() => {
    // Each test sees only its own requests, in whatever order the tests run.
    requests = [];
  });

  afterAll(async () => {
    setDefaultCACertificates(savedCas);
    // The client keeps its connections alive; close them so the server can stop.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('resolves an unknown DID over HTTPS with web-did-resolver', async () => {
    const did = `did:web:localhost%3A${String(port)}`;
    const result = await createIssuerResolver({ registry: auditor() }).resolve(did);
    expect(result.didResolutionMetadata).toMatchObject({ source: 'https' });
    expect(result.didResolutionMetadata['error']).toBeUndefined();
    expect(result.didDocument).toEqual(document(did));
    const path = `${did}:issuers:lab`;
    expect((await createIssuerResolver({ registry: auditor() }).resolve(path)).didDocument).toEqual(document(path));
    expect(requests).toEqual(['/.well-known/did.json', '/issuers/lab/did.json']);
  });

  it('reports notFound when the HTTPS server has no document for the DID', async () => {
    const result = await createIssuerResolver({ registry: auditor() }).resolve(
      `did:web:localhost%3A${String(port)}:nobody`,
    );
    expect(result.didDocument).toBeNull();
    expect(result.didResolutionMetadata).toMatchObject({ error: 'notFound', source: 'https' });
  });

  it('gives no document when the HTTPS server serves the document of another DID', async () => {
    const result = await createIssuerResolver({ registry: auditor() }).resolve(
      `did:web:localhost%3A${String(port)}:impostor`,
    );
    expect(result.didDocument).toBeNull();
    expect(result.didResolutionMetadata).toMatchObject({ error: 'notFound', source: 'https' });
  });

  it('resolves over an injected fetch with the did:web URL rule, rejecting a document of another DID', async () => {
    const urls: string[] = [];
    const fetch: typeof globalThis.fetch = (input) => {
      const url = urlOf(input);
      urls.push(url);
      return Promise.resolve(
        url === 'https://moea.gov.tw/.well-known/did.json'
          ? Response.json(document('did:web:moea.gov.tw'))
          : Response.json(document('did:web:someone-else.example')),
      );
    };
    const resolver = createIssuerResolver({ registry: auditor(), fetch });
    const found = await resolver.resolve('did:web:moea.gov.tw');
    expect(found.didDocument).toEqual(document('did:web:moea.gov.tw'));
    expect(found.didResolutionMetadata).toEqual({ contentType: 'application/did+ld+json', source: 'https' });
    const mismatch = await resolver.resolve('did:web:example.com%3A8443:issuers:x');
    expect(mismatch.didDocument).toBeNull();
    expect(mismatch.didResolutionMetadata).toMatchObject({ error: 'notFound', source: 'https' });
    expect(urls).toEqual(['https://moea.gov.tw/.well-known/did.json', 'https://example.com:8443/issuers/x/did.json']);
  });

  it('answers notFound without any request when https is false', async () => {
    const result = await createIssuerResolver({ registry: auditor(), https: false, fetch: noFetch }).resolve(
      `did:web:localhost%3A${String(port)}`,
    );
    expect(result.didResolutionMetadata).toMatchObject({ error: 'notFound' });
    expect(result.didDocument).toBeNull();
  });
});

describe('did-jwt verifyJWT with the issuer resolver (interop)', () => {
  const verify = (jwt: string) =>
    // A fresh options object per call: did-jwt stores the resolved authenticator in the object it is given.
    verifyJWT(jwt, {
      resolver: createIssuerResolver({ registry: auditor(), fetch: noFetch }),
      proofPurpose: 'assertionMethod',
    });

  it('verifies an SDK-issued credential, then rejects a forgery verified right after it', async () => {
    const genuine = await credential(moj, keys.current);
    await expect(verify(genuine)).resolves.toMatchObject({
      verified: true,
      issuer: moj,
      signer: { id: keys.current.kid },
    });
    // Same issuer, same kid, signed by a key the registry has never seen.
    const forged = await credential(moj, keys.thief, keys.current.kid);
    await expect(verify(forged)).rejects.toThrow(/invalid_signature/);
  });

  it('keeps a retired key verifying what it signed, and refuses the compromised key and a deactivated issuer', async () => {
    await expect(verify(await credential(moj, keys.old))).resolves.toMatchObject({ verified: true });
    // Both keys are in the document but not in assertionMethod, which is what refuses them: without a proof
    // purpose did-jwt takes every verification method and accepts them.
    const stolen = await credential(moj, keys.stolen);
    const archived = await credential(retiredAgency, keys.archive);
    await expect(verify(stolen)).rejects.toThrow(/invalid_signature|no_suitable_keys/);
    await expect(verify(archived)).rejects.toThrow(/invalid_signature|no_suitable_keys/);
    const anyPurpose = (jwt: string) => verifyJWT(jwt, { resolver: createIssuerResolver({ registry: auditor() }) });
    await expect(anyPurpose(stolen)).resolves.toMatchObject({ verified: true, signer: { id: keys.stolen.kid } });
    await expect(anyPurpose(archived)).resolves.toMatchObject({ verified: true, signer: { id: keys.archive.kid } });
  });
});

/** A self-signed certificate for `localhost` (P-256), made with @peculiar/x509 as the local CA does. */
async function localhostCertificate(): Promise<{ certificate: string; privateKey: string }> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(globalThis.crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keyPair = await globalThis.crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=localhost',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: algorithm,
    keys: keyPair,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }]),
    ],
  });
  const pkcs8 = Buffer.from(await globalThis.crypto.subtle.exportKey('pkcs8', keyPair.privateKey)).toString('base64');
  const privateKey = `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
  return { certificate: cert.toString('pem'), privateKey };
}
