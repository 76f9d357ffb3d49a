/**
 * A small fixed world for verification tests: two issuers (MOJ with ES256 keys, MOEA with EdDSA),
 * a governance key, credentials signed with the SDK's own signer, an in-memory ledger registry, and
 * helpers to export a trust list and status lists from it. Time is fixed; nothing reads the clock.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

import { buildCredential } from '../src/credentials/credential.js';
import { signBytes } from '../src/credentials/compact-jws.js';
import { expect } from '@jest/globals';
import { credentialDigest } from '@credledger/ledger';
import { issueSdJwtCredential, issuerSignedJwt, type SdJwtProfile } from '../src/credentials/sd-jwt.js';
import {
  offlineStatusSource,
  validateSubject,
  type Check,
  type PinnedKey,
  sha256Hex,
  type StatusSource,
  type VerificationResult,
} from '@credledger/verify';
import { nodeCredentialSigner, signCredential } from '../src/credentials/sign.js';
import { publicKeyJwk } from '../src/keys/issuer-key.js';
import { statusIndexAllocators, type StatusIndexAllocator } from '../src/status/allocator.js';
import { credentialStatusEntries } from '../src/status/entry.js';
import { publishStatusLists } from '../src/status/publisher.js';
import type { ListSigningKey } from '@credledger/verify/formats';
import { signTrustList } from '@credledger/verify/formats';
import type { RegistryReader, CredentialRecord, IssuerKeyRecord, IssuerRecord } from '@credledger/verify';
import { companySubject, lawyerSubject } from './credentials-samples.js';
import { testPrivateKey } from './fixtures/keys.js';

export const MOJ = 'did:web:moj.gov.tw';
export const MOEA = 'did:web:moea.gov.tw';
export const GOV = 'did:web:ndc.gov.tw';
export const BASE = 'https://verify.gov.tw';
export const LAWYER = 'LawyerLicenceCredential';
export const COMPANY = 'EconomicCertificateCredential';

/** "Now" of most tests; credentials are valid 2026-01-01 … 2036-01-01. */
export const NOW = new Date('2026-11-27T10:00:00.000Z');
export const ISSUED = new Date('2026-11-26T08:00:00.000Z');

export interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly record: IssuerKeyRecord;
}

function key(kid: string, privateKey: KeyObject, window: Partial<IssuerKeyRecord> = {}): TestKey {
  return {
    kid,
    privateKey,
    record: {
      kid,
      publicKeyJwk: publicKeyJwk(createPublicKey(privateKey)),
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: null,
      compromisedSince: null,
      ...window,
    },
  };
}

/** Fresh keys per world, except the fixed test keys. */
export function makeKeys() {
  const fresh = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return {
    moj1: key(`${MOJ}#key-1`, testPrivateKey('es256')),
    /** Retired 2026-06-01. */
    mojOld: key(`${MOJ}#key-0`, fresh(), {
      validFrom: '2025-01-01T00:00:00.000Z',
      validUntil: '2026-06-01T00:00:00.000Z',
    }),
    /** Compromised since 2026-11-26T12:00Z. */
    mojStolen: key(`${MOJ}#key-2`, fresh(), { compromisedSince: '2026-11-26T12:00:00.000Z' }),
    moea1: key(`${MOEA}#key-1`, testPrivateKey('eddsa')),
    gov: key(`${GOV}#ndc-1`, testPrivateKey('other')),
  };
}

export type Keys = ReturnType<typeof makeKeys>;

export function issuerRecords(keys: Keys): IssuerRecord[] {
  return [
    {
      did: MOJ,
      mspId: 'MojMSP',
      name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
      credentialTypes: [LAWYER],
      keys: [keys.mojOld.record, keys.moj1.record, keys.mojStolen.record],
      status: 'ACTIVE',
      registeredAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2026-11-26T12:00:00.000Z',
    },
    {
      did: MOEA,
      mspId: 'MoeaMSP',
      name: { 'zh-TW': '經濟部', en: 'Ministry of Economic Affairs' },
      credentialTypes: [COMPANY],
      keys: [keys.moea1.record],
      status: 'ACTIVE',
      registeredAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    },
  ];
}

export const listKey = (k: TestKey): ListSigningKey => ({
  kid: k.kid,
  alg: k.record.publicKeyJwk.kty === 'OKP' ? 'EdDSA' : 'ES256',
  signer: nodeCredentialSigner(k.privateKey),
});

export interface IssueOptions {
  readonly issuer?: string;
  readonly type?: string;
  readonly key?: TestKey;
  readonly kid?: string;
  readonly validFrom?: Date;
  readonly validUntil?: Date | null;
  readonly issuedAt?: Date;
  readonly id?: string;
  readonly subject?: Record<string, unknown>;
}

/** A test world: issuers, a ledger of credential records, an allocator. */
export class World {
  readonly keys = makeKeys();
  readonly issuers = issuerRecords(this.keys);
  readonly records = new Map<string, CredentialRecord>();
  readonly allocator: StatusIndexAllocator = statusIndexAllocators.inMemory();
  /** Reads that fail (status source unreachable). */
  down = false;

  /** Signs a credential with the SDK's signer (no ledger record yet). */
  async sign(options: IssueOptions = {}): Promise<{ id: string; jwt: string }> {
    const issuer = options.issuer ?? MOJ;
    const type = options.type ?? (issuer === MOEA ? COMPANY : LAWYER);
    const signingKey = options.key ?? (issuer === MOEA ? this.keys.moea1 : this.keys.moj1);
    const id = options.id ?? `urn:uuid:${globalThis.crypto.randomUUID()}`;
    const [revocation] = await this.allocator.allocate(issuer, 'revocation', [id]);
    const [suspension] = await this.allocator.allocate(issuer, 'suspension', [id]);
    const subject =
      options.subject ??
      validateSubject(type === COMPANY ? COMPANY : LAWYER, type === COMPANY ? companySubject : lawyerSubject);
    const payload = buildCredential({
      type,
      id,
      issuer,
      subject: subject as never,
      validFrom: options.validFrom ?? new Date('2026-01-01T00:00:00Z'),
      validUntil: options.validUntil === undefined ? new Date('2036-01-01T00:00:00Z') : options.validUntil,
      issuedAt: options.issuedAt ?? ISSUED,
      status: credentialStatusEntries(BASE, issuer, { revocation: revocation!, suspension: suspension! }),
    });
    const jwt = await signCredential(payload, {
      alg: signingKey.record.publicKeyJwk.kty === 'OKP' ? 'EdDSA' : 'ES256',
      kid: options.kid ?? signingKey.kid,
      privateKey: signingKey.privateKey,
    });
    return { id, jwt };
  }

  /** Anchors a signed credential as the chaincode would. */
  async anchor(jwt: string, anchoredAt = '2026-11-26T08:00:05.000Z'): Promise<CredentialRecord> {
    const [h, p] = jwt.split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as { kid: string };
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const record: CredentialRecord = {
      id: payload.id as string,
      issuerDid: payload.issuer as string,
      type: (payload.type as string[])[1]!,
      digest: await sha256Hex(jwt),
      kid: header.kid,
      validFrom: new Date(payload.validFrom as string).toISOString(),
      validUntil: payload.validUntil ? new Date(payload.validUntil as string).toISOString() : null,
      status: 'ACTIVE',
      reason: null,
      anchoredAt,
      updatedAt: anchoredAt,
    };
    this.records.set(record.id, record);
    return record;
  }

  /** Signs and anchors. */
  async issue(options: IssueOptions = {}): Promise<{ id: string; jwt: string }> {
    const issued = await this.sign(options);
    await this.anchor(issued.jwt);
    return issued;
  }

  setStatus(
    id: string,
    status: CredentialRecord['status'],
    reason: string | null,
    at = '2026-11-27T09:00:00.000Z',
  ): void {
    const record = this.records.get(id);
    if (!record) throw new Error(`no record ${id}`);
    this.records.set(id, { ...record, status, reason, updatedAt: at });
  }

  /** A Registry look-alike over this world (throws like Registry on not found). */
  registry(): RegistryReader {
    const notFound = (code: string): Error => Object.assign(new Error(code), { code });
    return {
      getIssuer: (did) => {
        if (this.down) return Promise.reject(new Error('connect ECONNREFUSED'));
        const issuer = this.issuers.find((i) => i.did === did);
        return Promise.resolve(issuer ?? null);
      },
      getCredential: (id) => {
        if (this.down) return Promise.reject(notFound('LEDGER_UNAVAILABLE'));
        return Promise.resolve(this.records.get(id) ?? null);
      },
    };
  }

  governanceKeys(): PinnedKey[] {
    return [{ kid: this.keys.gov.kid, publicKeyJwk: this.keys.gov.record.publicKeyJwk }];
  }

  async trustList(issuedAt = ISSUED, validUntil = new Date('2026-12-31T00:00:00Z')): Promise<string> {
    return signTrustList({ issuers: this.issuers, issuedAt, validUntil, governanceDid: GOV }, listKey(this.keys.gov));
  }

  /** Publishes both issuers' status lists (Bitstring, or Status List 2021) from the ledger records; URL → JWT. */
  async statusLists(
    now = new Date('2026-11-27T09:30:00.000Z'),
    format?: 'StatusList2021',
  ): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [did, k] of [
      [MOJ, this.keys.moj1],
      [MOEA, this.keys.moea1],
    ] as const) {
      const { lists } = await publishStatusLists({
        issuerDid: did,
        baseUrl: BASE,
        records: [...this.records.values()],
        allocations: {
          revocation: await this.allocator.allocations(did, 'revocation'),
          suspension: await this.allocator.allocations(did, 'suspension'),
        },
        now,
        key: listKey(k),
        ...(format === undefined ? {} : { format }),
      });
      for (const list of lists) out[list.url] = list.jwt;
    }
    return out;
  }

  /** An offline status source over this trust list and `lists` (URL → JWT), noting each URL it is asked for in `asked`. */
  async offlineSource(lists: Record<string, string>, asked: string[] = []): Promise<StatusSource> {
    return offlineStatusSource({
      trustList: await this.trustList(),
      governanceKeys: this.governanceKeys(),
      statusLists: (url) => {
        asked.push(url);
        return Promise.resolve(lists[url]);
      },
    });
  }
}

/**
 * Issues an SD-JWT VC of `profile` with the World's MoJ key, bound to `holder`'s key when given, and
 * anchors its record as the chaincode anchors any credential: the digest of the issuer-signed JWT.
 */
export async function issueSdJwtLicence(
  world: World,
  profile: SdJwtProfile,
  holder?: KeyObject,
): Promise<{ id: string; sdJwt: string; record: CredentialRecord }> {
  const id = `urn:uuid:${globalThis.crypto.randomUUID()}`;
  const [revocation] = await world.allocator.allocate(MOJ, 'revocation', [id]);
  const [suspension] = await world.allocator.allocate(MOJ, 'suspension', [id]);
  const key = world.keys.moj1;
  const sdJwt = await issueSdJwtCredential(
    {
      type: LAWYER,
      id,
      issuer: MOJ,
      subject: validateSubject(LAWYER, lawyerSubject),
      validFrom: new Date('2026-01-01T00:00:00Z'),
      validUntil: new Date('2036-01-01T00:00:00Z'),
      issuedAt: ISSUED,
      status: credentialStatusEntries(BASE, MOJ, { revocation: revocation!, suspension: suspension! }),
      options: { profile, ...(holder ? { holderKey: publicKeyJwk(createPublicKey(holder)) } : {}) },
      baseUrl: BASE,
    },
    {
      alg: 'ES256',
      kid: key.kid,
      sign: (input) => Promise.resolve(signBytes('ES256', key.privateKey, Buffer.from(input)).toString('base64url')),
    },
  );
  const record: CredentialRecord = {
    id,
    issuerDid: MOJ,
    type: LAWYER,
    digest: credentialDigest(issuerSignedJwt(sdJwt)),
    kid: key.kid,
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2036-01-01T00:00:00.000Z',
    status: 'ACTIVE',
    reason: null,
    anchoredAt: '2026-11-26T08:00:05.000Z',
    updatedAt: '2026-11-26T08:00:05.000Z',
  };
  world.records.set(id, record);
  return { id, sdJwt, record };
}

/** The `status` check of a verification result. */
export const statusCheck = (result: VerificationResult): Check | undefined =>
  result.checks.find((check) => check.name === 'status');

/**
 * Walks a credential ACTIVE → SUSPENDED → ACTIVE (reinstated) → REVOKED on the World's ledger and
 * expects `verdict()` to read VALID, SUSPENDED, VALID, REVOKED along the way.
 */
export async function expectStatusLifecycle(world: World, id: string, verdict: () => Promise<string>): Promise<void> {
  expect(await verdict()).toBe('VALID');
  world.setStatus(id, 'SUSPENDED', 'DISCIPLINARY_SUSPENSION');
  expect(await verdict()).toBe('SUSPENDED');
  world.setStatus(id, 'ACTIVE', null);
  expect(await verdict()).toBe('VALID');
  world.setStatus(id, 'REVOKED', 'DISBARMENT');
  expect(await verdict()).toBe('REVOKED');
}
