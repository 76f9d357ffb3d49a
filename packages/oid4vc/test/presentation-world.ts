/**
 * A small issuing world for the presentation tests: the Ministry of Justice registered with one ES256
 * key, a lawyer's licence issued to a holder's P-256 key as an IETF SD-JWT VC by `@credledger/issuer`
 * and anchored in an in-memory ledger, the same licence as a `vc+jwt`, and a licence from an issuer no registry
 * knows. Time is fixed.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

import {
  buildCredential,
  generateIssuerKey,
  issueSdJwtCredential,
  issuerSignedJwt,
  nodeCredentialSigner,
  publicKeyJwk,
  signCredential,
  type BuildCredentialInput,
  type IssuerKey,
  type SdJwtProfile,
} from '@credledger/issuer';
import {
  ledgerStatusSource,
  sha256Hex,
  validateSubject,
  verifyCredential,
  type CredentialRecord,
  type IssuerRecord,
  type RegistryReader,
} from '@credledger/verify';

import type { PresentationCheck } from '../src/index.js';

export const MOJ = 'did:web:moj.gov.tw';
/** An issuer that signs licences but is in no registry. */
export const ROGUE = 'did:web:lawyers.example.tw';
export const BASE = 'https://verify.moj.gov.tw';
export const LAWYER = 'LawyerLicenceCredential';
export const NOW = new Date('2026-11-27T10:00:00.000Z');
const ISSUED = new Date('2026-11-26T08:00:00.000Z');
export const ANCHORED = '2026-11-26T08:00:05.000Z';

export const lawyerSubject = {
  name: '陳雅婷',
  nameEn: 'Chen Ya-Ting',
  licenceNumber: '(115)台檢證字第012345號',
  admissionDate: '2026-09-01',
  practiceStatus: 'practising',
  barMemberships: ['臺北律師公會', '全國律師聯合會'],
  lawFirm: '明理法律事務所',
};

export const holderKey = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

export class World {
  readonly keys: Readonly<Record<string, IssuerKey>> = {
    [MOJ]: generateIssuerKey('ES256', { did: MOJ, fragment: 'key-1' }),
    [ROGUE]: generateIssuerKey('ES256', { did: ROGUE, fragment: 'key-1' }),
  };
  readonly records = new Map<string, CredentialRecord>();
  /** The verification time; a test moves it. */
  now = NOW;
  readonly clock = (): Date => this.now;
  readonly #registered: IssuerRecord = {
    did: MOJ,
    mspId: 'MojMSP',
    name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
    credentialTypes: [LAWYER],
    keys: [
      {
        kid: this.keys[MOJ]!.kid,
        publicKeyJwk: this.keys[MOJ]!.publicKeyJwk,
        validFrom: '2026-01-01T00:00:00.000Z',
        validUntil: null,
        compromisedSince: null,
      },
    ],
    status: 'ACTIVE',
    registeredAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };

  /** Issues a licence to `holder` (its private or public key) and anchors it as the chaincode would (the issuer-signed JWT's digest). */
  async issue(
    holder: KeyObject,
    options: { readonly issuer?: string; readonly profile?: SdJwtProfile } = {},
  ): Promise<{ id: string; sdJwt: string }> {
    const { input, key } = this.#licence(options.issuer ?? MOJ);
    const signer = nodeCredentialSigner(key.privateKey);
    const sdJwt = await issueSdJwtCredential(
      {
        ...input,
        options: {
          profile: options.profile ?? 'ietf',
          holderKey: publicKeyJwk(holder.type === 'public' ? holder : createPublicKey(holder)),
        },
        baseUrl: BASE,
      },
      {
        alg: 'ES256',
        kid: key.kid,
        sign: async (signingInput) => {
          const signature = await signer(signingInput);
          if (typeof signature !== 'string') throw new Error('an ES256 signature is a string');
          return signature;
        },
      },
    );
    await this.#anchor(input.id, input.issuer, key.kid, issuerSignedJwt(sdJwt));
    return { id: input.id, sdJwt };
  }

  /** Issues the same licence as a `vc+jwt` (for print, not a wallet) and anchors it. */
  async issueJwt(): Promise<string> {
    const { input, key } = this.#licence(MOJ);
    const jwt = await signCredential(buildCredential(input), {
      alg: 'ES256',
      kid: key.kid,
      privateKey: key.privateKey,
    });
    await this.#anchor(input.id, MOJ, key.kid, jwt);
    return jwt;
  }

  #licence(issuer: string): { input: BuildCredentialInput; key: IssuerKey } {
    const id = `urn:uuid:${globalThis.crypto.randomUUID()}`;
    const index = this.records.size + 1;
    const list = (purpose: string): string => `${BASE}/status/${issuer.slice('did:web:'.length)}/${purpose}`;
    const entry = (purpose: 'revocation' | 'suspension') => ({
      id: `${list(purpose)}#${index}`,
      type: 'BitstringStatusListEntry' as const,
      statusPurpose: purpose,
      statusListIndex: String(index),
      statusListCredential: list(purpose),
    });
    return {
      key: this.keys[issuer]!,
      input: {
        type: LAWYER,
        id,
        issuer,
        subject: validateSubject(LAWYER, lawyerSubject),
        validFrom: new Date('2026-01-01T00:00:00Z'),
        validUntil: new Date('2036-01-01T00:00:00Z'),
        issuedAt: ISSUED,
        status: [entry('revocation'), entry('suspension')],
      },
    };
  }

  async #anchor(id: string, issuer: string, kid: string, signed: string): Promise<void> {
    this.records.set(id, {
      id,
      issuerDid: issuer,
      type: LAWYER,
      digest: await sha256Hex(signed),
      kid,
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: '2036-01-01T00:00:00.000Z',
      status: 'ACTIVE',
      reason: null,
      anchoredAt: ANCHORED,
      updatedAt: ANCHORED,
    });
  }

  revoke(id: string): void {
    const record = this.records.get(id)!;
    this.records.set(id, { ...record, status: 'REVOKED', reason: 'DISBARMENT', updatedAt: '2026-11-27T09:00:00.000Z' });
  }

  /** The ledger as `@credledger/verify` reads it: only the ministry is registered. */
  registry(): RegistryReader {
    return {
      getIssuer: (did) => Promise.resolve(did === MOJ ? this.#registered : null),
      getCredential: (id) => Promise.resolve(this.records.get(id) ?? null),
    };
  }

  /** What the CLI passes the verifier: `verifyCredential` on the ledger, a key binding required. */
  verify(): PresentationCheck {
    const status = ledgerStatusSource(this.registry(), { clock: this.clock });
    return (presentation, { nonce, audience }) =>
      verifyCredential(presentation, {
        status,
        now: this.clock(),
        keyBinding: { required: true, nonce, audience },
      });
  }
}
