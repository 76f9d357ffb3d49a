/**
 * A throwaway embedded network with the registry initialised and two issuers registered, shared by
 * the registry and authorization suites. Fixture data only: ids, digests, DIDs, made-up public keys.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnchorRequest, IssuerKeyRequest, RegisterIssuerRequest } from '@credledger/vocabulary';
import { isCredledgerError } from '@credledger/verify';
import { defaultOrgs, ledgers, Registry, type EmbeddedNetwork, type OrgSpec } from '@credledger/ledger';

export const governance = 'NdcMSP/admin';
export const mojOperator = 'MojMSP/operator';
export const moeaOperator = 'MoeaMSP/operator';
export const mojAuditor = 'MojMSP/auditor';
export const ndcAuditor = 'NdcMSP/auditor';
/** An organisation that is not governance and owns no issuer, whose users carry the powerful roles. */
export const outsiderOperator = 'OtherMSP/operator';
export const outsiderAdmin = 'OtherMSP/admin';

const orgs: readonly OrgSpec[] = [
  ...defaultOrgs,
  {
    mspId: 'OtherMSP',
    users: [
      { name: 'operator', role: 'issuer-operator' },
      { name: 'admin', role: 'governance-admin' },
    ],
  },
];

export const mojDid = 'did:web:moj.gov.tw';
export const moeaDid = 'did:web:moea.gov.tw';
export const lawyerLicence = 'LawyerLicenceCredential';
export const companyRegistration = 'CompanyRegistrationCredential';

let counter = 0;

/** A fresh lowercase urn:uuid (version 4 layout) unique within the test process. */
export function newId(): string {
  counter += 1;
  const hex = createHash('sha256').update(`credential ${process.pid} ${counter}`).digest('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A made-up 32-byte base64url coordinate (the chaincode checks the shape, not the curve). */
function coordinate(seed: string): string {
  return createHash('sha256').update(seed).digest('base64url');
}

export function publicKey(
  kid: string,
  window: { validFrom?: string; validUntil?: string | null } = {},
): IssuerKeyRequest {
  return {
    kid,
    publicKeyJwk: { kty: 'EC', crv: 'P-256', x: coordinate(`${kid} x`), y: coordinate(`${kid} y`) },
    ...window,
  };
}

/** An instant `days` from now, as the chaincode stores it. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

export function registration(did: string, mspId: string, types: string[]): RegisterIssuerRequest {
  return {
    did,
    mspId,
    name: { 'zh-TW': `測試機關 ${did.slice(8)}`, en: `Test agency ${did.slice(8)}` },
    credentialTypes: types,
    keys: [publicKey(`${did}#key-1`, { validFrom: '2020-01-01T00:00:00Z' })],
  };
}

/** An anchor request for a new credential of `issuerDid` signed with its key-1, for a subject of its own. */
export function anchorOf(issuerDid: string, type: string, overrides: Partial<AnchorRequest> = {}): AnchorRequest {
  const id = overrides.id ?? newId();
  return {
    id,
    digest: digestOf(`jws of ${id}`),
    type,
    kid: `${issuerDid}#key-1`,
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2036-01-01T00:00:00.000Z',
    subjectDigest: digestOf(`subject of ${id}`),
    ...overrides,
  };
}

export interface World {
  readonly network: EmbeddedNetwork;
  /** A Registry acting as a local identity, e.g. `as(mojOperator)`. */
  as(identity: string): Registry;
  close(): Promise<void>;
}

/** Opens a fresh network; unless `initialise` is false, runs Init (NdcMSP) and registers MOJ and MOEA. */
export async function openWorld(options: { initialise?: boolean } = {}): Promise<World> {
  const directory = await mkdtemp(join(tmpdir(), 'credledger-registry-'));
  const network = await ledgers.embedded({ directory, orgs, fsync: false });
  const registries = new Map<string, Registry>();
  const as = (identity: string): Registry => {
    let registry = registries.get(identity);
    if (registry === undefined) {
      registry = new Registry(network.connect(identity));
      registries.set(identity, registry);
    }
    return registry;
  };
  if (options.initialise !== false) {
    await as(governance).init({ governanceMspIds: ['NdcMSP'] });
    await as(governance).registerIssuer(registration(mojDid, 'MojMSP', [lawyerLicence]));
    await as(governance).registerIssuer(registration(moeaDid, 'MoeaMSP', [companyRegistration]));
  }
  return {
    network,
    as,
    async close() {
      await network.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** The CredledgerError code a promise rejects with, or 'ok' when it resolves. */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (isCredledgerError(err)) return err.code;
    throw err;
  }
}
