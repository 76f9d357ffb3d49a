/**
 * SD-JWT VC credentials (docs/wallet.md), both profiles: the layout each profile fixes, verification by
 * the OpenWallet Foundation's own `@sd-jwt/sd-jwt-vc` from the issuer's public key alone, a holder's
 * selective presentation with key binding verified by `@credledger/verify`, and every refusal.
 */
import { createPublicKey, generateKeyPairSync, hash, sign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import { SDJwtInstance } from '@sd-jwt/core';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { encodeCredentialLink } from '@credledger/verify/formats';
import { ledgerStatusSource, validateSubject, verifyCredential } from '@credledger/verify';

import {
  issueSdJwtCredential,
  issuerSignedJwt,
  readSdJwtCredential,
  type SdJwtProfile,
} from '../src/credentials/sd-jwt.js';
import { signBytes } from '../src/credentials/compact-jws.js';
import { publicKeyJwk } from '../src/keys/issuer-key.js';
import { credentialStatusEntries, statusListNumber, statusListUrl, tokenStatusListUrl } from '../src/status/entry.js';
import { lawyerSubject } from './credentials-samples.js';
import { BASE, ISSUED, LAWYER, MOEA, MOJ, NOW, World, issueSdJwtLicence } from './verify-world.js';

const layout = JSON.parse(readFileSync(new URL('./fixtures/tw-diw-sd-jwt-layout.json', import.meta.url), 'utf8')) as {
  header: { keys: string[]; typ: string; alg: string };
  payload: {
    keys: string[];
    keysWithHolderKey: string[];
    '@context': string[];
    credentialSubjectKeys: string[];
    credentialSchemaType: string;
    credentialStatusType: string;
    credentialStatusPurposes: string[];
    _sd_alg: string;
  };
};

const sha256 = (data: string | ArrayBuffer): Uint8Array =>
  new Uint8Array(hash('sha256', typeof data === 'string' ? data : Buffer.from(data), 'buffer'));
const part = (jwt: string, index: number): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** An ES256 signer of a holder's (or anyone's) key, as `@sd-jwt/*` asks for one. */
const es256Signer = (key: KeyObject) => (data: string) =>
  sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
const es256Verifier = (key: KeyObject) => (data: string, signature: string) =>
  nodeVerify('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));

/** The holder's presentation: `frame` says which claims to show; a KB-JWT when a holder key is given. */
async function present(
  sdJwt: string,
  frame: Record<string, unknown>,
  holder?: KeyObject,
  kb: { nonce?: string; aud?: string; iat?: number } = {},
): Promise<string> {
  const instance = new SDJwtInstance({
    hasher: sha256,
    ...(holder ? { kbSigner: es256Signer(holder), kbSignAlg: 'ES256' } : {}),
  });
  return instance.present(
    sdJwt,
    frame as never,
    holder
      ? {
          kb: {
            payload: {
              iat: kb.iat ?? Math.floor(NOW.getTime() / 1000),
              aud: kb.aud ?? 'https://verifier.example.tw',
              nonce: kb.nonce ?? 'n-0S6_WzA2Mj',
            },
          },
        }
      : undefined,
  );
}

const holderKey = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const subset = {
  tw: { credentialSubject: { name: true, licenceNumber: true } },
  ietf: { name: true, licenceNumber: true },
};

describe('TW DIW profile', () => {
  it('has the header and claim layout of the fixture, field by field', async () => {
    const world = new World();
    const holder = holderKey();
    const { sdJwt, id } = await issueSdJwtLicence(world, 'tw-diw', holder);
    const jwt = issuerSignedJwt(sdJwt);
    const header = part(jwt, 0);
    const payload = part(jwt, 1);
    expect(Object.keys(header)).toEqual(layout.header.keys);
    expect(header).toEqual({ typ: layout.header.typ, alg: layout.header.alg, kid: world.keys.moj1.kid });
    expect(Object.keys(payload).sort()).toEqual([...layout.payload.keys, ...layout.payload.keysWithHolderKey].sort());
    expect(payload['@context']).toEqual(layout.payload['@context']);
    expect(payload.type).toEqual(['VerifiableCredential', LAWYER]);
    expect(payload.id).toBe(id);
    expect(payload.jti).toBe(id);
    expect(payload.iss).toBe(MOJ);
    expect(payload._sd_alg).toBe(layout.payload._sd_alg);
    expect(payload.credentialSchema).toEqual({
      id: `${BASE}/schemas/${LAWYER}`,
      type: layout.payload.credentialSchemaType,
    });
    const status = payload.credentialStatus as { type: string; statusPurpose: string }[];
    expect(status.map((entry) => entry.type)).toEqual(
      layout.payload.credentialStatusPurposes.map(() => layout.payload.credentialStatusType),
    );
    expect(status.map((entry) => entry.statusPurpose)).toEqual(layout.payload.credentialStatusPurposes);
    // Every subject claim is disclosable: the subject holds digests only, one per claim, none in clear.
    const subject = payload.credentialSubject as Record<string, unknown>;
    expect(Object.keys(subject)).toEqual(layout.payload.credentialSubjectKeys);
    expect(subject._sd).toHaveLength(Object.keys(lawyerSubject).length);
    expect(JSON.stringify(payload)).not.toContain(lawyerSubject.name);
    expect((payload.cnf as { jwk: JsonWebKey }).jwk).toEqual(publicKeyJwk(createPublicKey(holder)));
    expect(sdJwt.split('~')).toHaveLength(Object.keys(lawyerSubject).length + 2);
  });

  it('refuses an EdDSA issuer key: the profile is ES256', async () => {
    const world = new World();
    await expect(
      issueSdJwtCredential(
        {
          type: LAWYER,
          id: `urn:uuid:${globalThis.crypto.randomUUID()}`,
          issuer: MOJ,
          subject: validateSubject(LAWYER, lawyerSubject),
          validFrom: new Date('2026-01-01T00:00:00Z'),
          validUntil: null,
          issuedAt: ISSUED,
          status: [],
          options: { profile: 'tw-diw' },
          baseUrl: BASE,
        },
        { alg: 'EdDSA', kid: world.keys.moj1.kid, sign: () => Promise.resolve('') },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('IETF profile', () => {
  it('verifies with @sd-jwt/sd-jwt-vc alone, given only the issuer public key', async () => {
    const world = new World();
    const holder = holderKey();
    const { sdJwt, id } = await issueSdJwtLicence(world, 'ietf', holder);
    const issuerPublicKey = createPublicKey(world.keys.moj1.privateKey);
    const owf = new SDJwtVcInstance({ hasher: sha256, verifier: es256Verifier(issuerPublicKey) });
    // `validate` checks the issuer signature and applies the disclosures; `verify`, which also reads the
    // IETF Status List Token, is exercised with the published token in token-status-list.test.ts.
    const { payload, header } = await owf.validate(sdJwt);
    expect(header).toMatchObject({ typ: 'dc+sd-jwt', alg: 'ES256', kid: world.keys.moj1.kid });
    expect(payload).toMatchObject({
      iss: MOJ,
      jti: id,
      vct: `https://credledger.org/vct/${LAWYER}`,
      name: lawyerSubject.name,
      licenceNumber: lawyerSubject.licenceNumber,
      barMemberships: lawyerSubject.barMemberships,
      cnf: { jwk: publicKeyJwk(createPublicKey(holder)) },
    });
    expect(
      ((payload as { status: unknown }).status as { status_list: { idx: number; uri: string } }).status_list,
    ).toEqual({
      idx: expect.any(Number),
      uri: expect.stringMatching(/^https:\/\/verify\.gov\.tw\/status\/moj\.gov\.tw\/token(\/\d+)?$/),
    });
    // In the issuer-signed JWT the subject claims are digests only.
    const signed = part(issuerSignedJwt(sdJwt), 1);
    expect(Object.keys(signed)).not.toContain('name');
    expect(signed._sd).toHaveLength(Object.keys(lawyerSubject).length);
    // A key other than the issuer's does not verify it.
    const other = new SDJwtVcInstance({ hasher: sha256, verifier: es256Verifier(createPublicKey(holderKey())) });
    await expect(other.validate(sdJwt)).rejects.toThrow();
  });

  it("names the Status List Token of its revocation entry's list, and refuses an entry that is not the issuer's revocation list under baseUrl", async () => {
    const world = new World();
    const key = world.keys.moj1;
    const statusClaim = async (status: ReturnType<typeof credentialStatusEntries>): Promise<unknown> => {
      const sdJwt = await issueSdJwtCredential(
        {
          type: LAWYER,
          id: `urn:uuid:${globalThis.crypto.randomUUID()}`,
          issuer: MOJ,
          subject: validateSubject(LAWYER, lawyerSubject),
          validFrom: new Date('2026-01-01T00:00:00Z'),
          validUntil: null,
          issuedAt: ISSUED,
          status,
          options: { profile: 'ietf' },
          baseUrl: `${BASE}/`,
        },
        {
          alg: 'ES256',
          kid: key.kid,
          sign: (input) =>
            Promise.resolve(signBytes('ES256', key.privateKey, Buffer.from(input)).toString('base64url')),
        },
      );
      return part(issuerSignedJwt(sdJwt), 1).status;
    };
    const allocations = { revocation: { list: 3, index: 41 }, suspension: { list: 0, index: 7 } };
    expect(await statusClaim(credentialStatusEntries(BASE, MOJ, allocations))).toEqual({
      status_list: { idx: 41, uri: tokenStatusListUrl(BASE, MOJ, 3) },
    });
    const refusals = {
      'no revocation entry': credentialStatusEntries(BASE, MOJ, allocations).filter(
        (entry) => entry.statusPurpose === 'suspension',
      ),
      "another issuer's list": credentialStatusEntries(BASE, MOEA, allocations),
      'a list under another base URL': credentialStatusEntries('https://status.example.tw', MOJ, allocations),
    };
    const outcomes = await Promise.all(
      Object.entries(refusals).map(async ([why, status]) => [
        why,
        await statusClaim(status).then(
          () => 'issued',
          (error: unknown) => (error as { code?: unknown }).code,
        ),
      ]),
    );
    expect(outcomes).toEqual(Object.keys(refusals).map((why) => [why, 'INVALID_INPUT']));
  });

  it('has no QR link: encoding one is refused, not made into a link no verifier reads', async () => {
    const world = new World();
    const { sdJwt } = await issueSdJwtLicence(world, 'ietf');
    expect(() => encodeCredentialLink(sdJwt, BASE)).toThrow(
      expect.objectContaining({ code: 'CREDENTIAL_MALFORMED', message: expect.stringMatching(/SD-JWT/) }),
    );
  });

  it('reads back as the credential it anchors (journal resume path)', async () => {
    const world = new World();
    const { sdJwt, id } = await issueSdJwtLicence(world, 'ietf');
    const read = readSdJwtCredential(sdJwt);
    expect(read.payload).toMatchObject({ id, iss: MOJ, type: ['VerifiableCredential', LAWYER] });
    expect(read.payload.credentialSubject).toEqual(validateSubject(LAWYER, lawyerSubject));
  });
});

describe('statusListNumber', () => {
  it('reads back the list number of every URL statusListUrl makes, and nothing else', () => {
    for (const list of [0, 1, 12, 4096])
      expect(statusListNumber(statusListUrl(BASE, MOJ, 'revocation', list), BASE, MOJ, 'revocation')).toBe(list);
    const first = statusListUrl(BASE, MOJ, 'revocation', 0);
    for (const url of [
      `${first}/007`,
      `${first}/0`,
      `${first}/3/`,
      `${first}x`,
      statusListUrl(BASE, MOJ, 'suspension', 0),
      statusListUrl(BASE, MOEA, 'revocation', 0),
    ])
      expect(statusListNumber(url, BASE, MOJ, 'revocation')).toBeUndefined();
  });
});

describe.each<[SdJwtProfile, Record<string, unknown>]>([
  ['tw-diw', subset.tw],
  ['ietf', subset.ietf],
])('%s presentation verified by @credledger/verify', (profile, frame) => {
  it('a holder shows name and licence number with a KB-JWT: exactly those are disclosed, VALID', async () => {
    const world = new World();
    const holder = holderKey();
    const { sdJwt, id } = await issueSdJwtLicence(world, profile, holder);
    const presentation = await present(sdJwt, frame, holder);
    const status = ledgerStatusSource(world.registry());
    const result = await verifyCredential(presentation, {
      status,
      now: NOW,
      keyBinding: { required: true, nonce: 'n-0S6_WzA2Mj', audience: 'https://verifier.example.tw' },
    });
    expect(result.verdict).toBe('VALID');
    expect(result.checks.find((c) => c.name === 'anchor')?.reason).toBe('DIGEST_MATCHES');
    expect(result.presentation).toEqual({ format: 'sd-jwt', profile, disclosed: expect.any(Array), keyBound: true });
    expect([...(result.presentation?.disclosed ?? [])].sort()).toEqual(['licenceNumber', 'name']);
    expect(result.credential?.id).toBe(id);
    expect(result.credential?.subject).toEqual({
      name: lawyerSubject.name,
      licenceNumber: lawyerSubject.licenceNumber,
    });
  });

  it('the whole credential, without key binding, is VALID with every claim; REVOKED once revoked', async () => {
    const world = new World();
    const { sdJwt, id } = await issueSdJwtLicence(world, profile);
    const status = ledgerStatusSource(world.registry());
    const valid = await verifyCredential(sdJwt, { status, now: NOW });
    expect(valid.verdict).toBe('VALID');
    expect(valid.presentation?.keyBound).toBe(false);
    expect(valid.credential?.subject).toEqual(validateSubject(LAWYER, lawyerSubject));
    world.setStatus(id, 'REVOKED', 'DISBARMENT');
    expect((await verifyCredential(sdJwt, { status, now: NOW })).verdict).toBe('REVOKED');
  });

  it('refuses each broken presentation with its own code, showing no claim as fact', async () => {
    const world = new World();
    const holder = holderKey();
    const { sdJwt } = await issueSdJwtLicence(world, profile, holder);
    const status = ledgerStatusSource(world.registry());
    const expectation = { nonce: 'n-0S6_WzA2Mj', audience: 'https://verifier.example.tw' };
    const run = (text: string) => verifyCredential(text, { status, now: NOW, keyBinding: expectation });
    const refused = async (text: string) => {
      const result = await run(text);
      expect(result.presentation).toBeUndefined();
      expect(result.status).toBeUndefined();
      const signature = result.checks.find((c) => c.name === 'signature');
      return [result.verdict, signature?.reason];
    };

    const shown = await present(sdJwt, frame, holder);
    const [jwt = '', first = '', ...rest] = shown.split('~');
    const [salt, name, value] = JSON.parse(Buffer.from(first, 'base64url').toString('utf8')) as [
      string,
      string,
      unknown,
    ];
    // An altered disclosure (another value for the same claim, well-formed), sent on under the holder's KB-JWT.
    const altered = Buffer.from(JSON.stringify([salt, name, typeof value === 'string' ? `${value}x` : 'x'])).toString(
      'base64url',
    );
    expect(await refused([jwt, altered, ...rest].join('~'))).toEqual(['TAMPERED', 'KEY_BINDING_SD_HASH_MISMATCH']);
    // The same alteration without key binding: its digest is simply not among the issuer's.
    const bare = await present(sdJwt, frame);
    const [bareJwt = '', , ...bareRest] = bare.split('~');
    expect(await refused([bareJwt, altered, ...bareRest].join('~'))).toEqual(['TAMPERED', 'DISCLOSURE_NOT_IN_SD']);
    // A disclosure the issuer never listed (from another credential), signed over by the holder.
    const other = await issueSdJwtLicence(world, profile, holder);
    const foreign = other.sdJwt.split('~')[1] ?? '';
    const withForeign = `${bare}${foreign}~`;
    expect(await refused(withForeign)).toEqual(['TAMPERED', 'DISCLOSURE_NOT_IN_SD']);
    // A disclosure that is not [salt, name, value] at all.
    const garbage = Buffer.from('{"not":"a disclosure"}').toString('base64url');
    const malformed = await run([bareJwt, garbage, ...bareRest].join('~'));
    expect([malformed.verdict, malformed.checks[0]?.reason]).toEqual(['MALFORMED', 'DISCLOSURE_MALFORMED']);
    // A KB-JWT signed by another key than the holder's.
    const stolen = await present(sdJwt, frame, holderKey());
    expect(await refused(stolen)).toEqual(['TAMPERED', 'KEY_BINDING_SIGNATURE_INVALID']);
    // A replayed KB-JWT (another verifier's nonce).
    const replayed = await present(sdJwt, frame, holder, { nonce: 'an-earlier-nonce' });
    expect(await refused(replayed)).toEqual(['TAMPERED', 'KEY_BINDING_NONCE_MISMATCH']);
    // A signature that fails: TAMPERED, and the disclosed claims are not reported as the issuer's.
    const flipped = `${jwt.slice(0, -4)}${jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const forged = await run([flipped, first, ...rest].join('~'));
    expect(forged.verdict).toBe('TAMPERED');
    expect(forged.credential?.issuerName).toBeUndefined();
    expect(forged.presentation).toBeUndefined();
  });
});
