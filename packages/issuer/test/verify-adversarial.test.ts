import { createHmac, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { signCredential } from '../src/credentials/sign.js';
import {
  decodeCredentialLink,
  ledgerStatusSource,
  offlineStatusSource,
  established,
  verifyCredential,
  verifyCredentials,
  type Check,
  type CheckName,
  type VerificationResult,
  type VerifyOptions,
} from '@credledger/verify';
import { encodeCredentialLink } from '@credledger/verify/formats';
import { companySubject, lawyerSubject } from './credentials-samples.js';
import { LAWYER, MOEA, MOJ, NOW, World } from './verify-world.js';

const check = (result: VerificationResult, name: CheckName): Check | undefined =>
  result.checks.find((c) => c.name === name);
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (jwt: string): [Record<string, unknown>, Record<string, unknown>, string] => {
  const [h, p, s] = jwt.split('.');
  return [
    JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>,
    JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>,
    s!,
  ];
};

async function setup(): Promise<{ world: World; genuine: { id: string; jwt: string }; options: VerifyOptions }> {
  const world = new World();
  const genuine = await world.issue();
  return { world, genuine, options: { status: ledgerStatusSource(world.registry()), now: NOW } };
}

describe('adversarial input: each yields the right verdict, never a throw', () => {
  it('alg none is TAMPERED', async () => {
    const { genuine, options } = await setup();
    const [header, payload] = parts(genuine.jwt);
    const forged = `${b64({ ...header, alg: 'none' })}.${b64(payload)}.`;
    const result = await verifyCredential(forged, options);
    expect(result.verdict).toBe('TAMPERED');
    expect(check(result, 'signature')).toMatchObject({ result: 'fail', reason: 'ALG_NOT_ALLOWED' });
  });

  it('HS256 keyed with the public key (JWK JSON, PEM, raw x) is TAMPERED', async () => {
    const { world, genuine, options } = await setup();
    const [header, payload] = parts(genuine.jwt);
    const jwk = world.keys.moj1.record.publicKeyJwk;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    for (const secret of [JSON.stringify(jwk), pem, String(jwk.x)]) {
      const signingInput = `${b64({ ...header, alg: 'HS256' })}.${b64(payload)}`;
      const mac = createHmac('sha256', secret).update(signingInput).digest('base64url');
      const result = await verifyCredential(`${signingInput}.${mac}`, options);
      expect(result.verdict).toBe('TAMPERED');
      expect(check(result, 'signature')).toMatchObject({ reason: 'ALG_NOT_ALLOWED' });
    }
  });

  it('an alg that does not match the key (EdDSA header on a P-256 key) is TAMPERED', async () => {
    const { genuine, options } = await setup();
    const [header, payload, signature] = parts(genuine.jwt);
    const result = await verifyCredential(`${b64({ ...header, alg: 'EdDSA' })}.${b64(payload)}.${signature}`, options);
    expect(result.verdict).toBe('TAMPERED');
    expect(check(result, 'signature')).toMatchObject({ reason: 'ALG_NOT_ALLOWED' });
  });

  it('a payload swapped in from another genuine credential, keeping a valid signature, is TAMPERED', async () => {
    const { world, genuine, options } = await setup();
    const other = await world.issue();
    const [h, , s] = genuine.jwt.split('.');
    const swapped = `${h}.${other.jwt.split('.')[1]}.${s}`;
    const result = await verifyCredential(swapped, options);
    expect(result.verdict).toBe('TAMPERED');
    expect(check(result, 'signature')).toMatchObject({ result: 'fail', reason: 'SIGNATURE_INVALID' });
    // Both originals still verify.
    expect((await verifyCredential(other.jwt, options)).verdict).toBe('VALID');
  });

  it('a kid the issuer never registered is TAMPERED', async () => {
    const { world, options } = await setup();
    const forged = await world.issue({ kid: `${MOJ}#key-9` });
    const result = await verifyCredential(forged.jwt, options);
    expect(result.verdict).toBe('TAMPERED');
    expect(check(result, 'signature')).toMatchObject({ reason: 'KEY_NOT_FOUND' });
  });

  it("another issuer's key: by its own kid (KID_NOT_OF_ISSUER) or under the issuer's kid (bad signature)", async () => {
    const { world, options } = await setup();
    const ownKid = await world.issue({ key: world.keys.moea1 }); // MOJ credential, kid did:web:moea.gov.tw#key-1
    const r1 = await verifyCredential(ownKid.jwt, options);
    expect(r1.verdict).toBe('TAMPERED');
    expect(check(r1, 'signature')).toMatchObject({ reason: 'KID_NOT_OF_ISSUER' });
    const borrowedKid = await world.issue({ key: world.keys.moea1, kid: `${MOJ}#key-1` });
    const r2 = await verifyCredential(borrowedKid.jwt, options);
    expect(r2.verdict).toBe('TAMPERED');
    expect(check(r2, 'signature')).toMatchObject({ reason: 'ALG_NOT_ALLOWED' }); // EdDSA header, P-256 key
    const p256Thief = { ...world.keys.moj1, privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey };
    const r3 = await verifyCredential((await world.issue({ key: p256Thief })).jwt, options);
    expect(r3.verdict).toBe('TAMPERED');
    expect(check(r3, 'signature')).toMatchObject({ reason: 'SIGNATURE_INVALID' });
  });

  it('a forged credential verified right after (and concurrently with) a genuine one with the same options is caught', async () => {
    const { world, genuine, options } = await setup();
    const attacker = { ...world.keys.moj1, privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey };
    const forged = await world.sign({ key: attacker });
    await world.anchor(forged.jwt); // even an anchored forgery: the signature decides
    const frozen = Object.freeze({ ...options });
    expect((await verifyCredential(genuine.jwt, frozen)).verdict).toBe('VALID');
    expect((await verifyCredential(forged.jwt, frozen)).verdict).toBe('TAMPERED');
    const together = await Promise.all(
      [genuine.jwt, forged.jwt, genuine.jwt, forged.jwt].map((jwt) => verifyCredential(jwt, frozen)),
    );
    expect(together.map((r) => r.verdict)).toEqual(['VALID', 'TAMPERED', 'VALID', 'TAMPERED']);
  });

  it('every truncation of a genuine credential is MALFORMED or TAMPERED, never VALID', async () => {
    const { genuine, options } = await setup();
    const verdicts = new Set<string>();
    for (let length = 0; length < genuine.jwt.length; length += 7) {
      const result = await verifyCredential(genuine.jwt.slice(0, length), options);
      verdicts.add(result.verdict);
    }
    expect([...verdicts].sort()).toEqual(['MALFORMED', 'TAMPERED']);
  });

  it('oversized (1 MB), binary, empty and non-string input is MALFORMED', async () => {
    const { genuine, options } = await setup();
    const huge = `${genuine.jwt}${'A'.repeat(1024 * 1024)}`;
    const big = await verifyCredential(huge, options);
    expect(big.verdict).toBe('MALFORMED');
    expect(check(big, 'decode')).toMatchObject({ reason: 'INPUT_TOO_LONG' });
    const hugePayload = `${genuine.jwt.split('.')[0]}.${'A'.repeat(1024 * 1024)}.sig`;
    expect((await verifyCredential(hugePayload, options)).verdict).toBe('MALFORMED');
    for (const input of [
      randomBytes(900).toString('latin1'),
      '\u0000\uffff\ud800',
      '',
      '...',
      'a.b.c',
      `${genuine.jwt}.extra`,
    ]) {
      expect((await verifyCredential(input, options)).verdict).toBe('MALFORMED');
    }
    for (const input of [null, undefined, 42, {}, [], Buffer.from(genuine.jwt)]) {
      const result = await verifyCredential(input as never, options);
      expect(result.verdict).toBe('MALFORMED');
      expect(check(result, 'decode')).toMatchObject({ reason: 'NOT_A_STRING' });
    }
  });

  it('header and claim games are MALFORMED: typ JWT, crit, exp disagreeing with validUntil, non-urn id', async () => {
    const { world, options } = await setup();
    const { jwt } = await world.sign();
    const [header, payload] = parts(jwt);
    const key = world.keys.moj1.privateKey;
    const resign = (h: Record<string, unknown>, p: Record<string, unknown>): Promise<string> =>
      signCredential(p as never, { alg: 'ES256', kid: String(h.kid), privateKey: key }).then((signed) => {
        const [, pp, ss] = signed.split('.');
        return `${b64(h)}.${pp}.${ss}`; // header replaced: its signature breaks, but decode refuses first
      });
    for (const h of [
      { ...header, typ: 'JWT' },
      { ...header, crit: ['b64'] },
    ]) {
      const result = await verifyCredential(await resign(h, payload), options);
      expect(result.verdict).toBe('MALFORMED');
    }
    for (const p of [
      { ...payload, exp: (payload.exp as number) + 86400 },
      { ...payload, id: 'https://example.org/1' },
      { ...payload, jti: 'urn:uuid:x' },
    ]) {
      const signed = await signCredential(p as never, { alg: 'ES256', kid: String(header.kid), privateKey: key });
      expect((await verifyCredential(signed, options)).verdict).toBe('MALFORMED');
    }
  });

  it('another spelling of a genuine signature is never VALID: base64 padding, whitespace, a non-JSON payload (decision 0013)', async () => {
    const { world, genuine, options } = await setup();
    const [h = '', p = '', sig = ''] = genuine.jwt.split('.');
    expect((await verifyCredential(genuine.jwt, options)).verdict).toBe('VALID');
    for (const variant of [
      `${h}.${p}.${sig}==`,
      `${h}.${p}.${sig.slice(0, 20)} ${sig.slice(20)}`,
      `${h}.${p}.${sig.slice(0, 20)}\n${sig.slice(20)}`,
      `${h}=.${p}.${sig}`,
    ]) {
      const result = await verifyCredential(variant, options);
      expect(result.verdict).not.toBe('VALID');
      expect(result.credential?.issuerName).toBeUndefined();
    }
    // A payload that is valid base64url but a JSON string, not an object, signed by the issuer's own key.
    const key = world.keys.moj1.privateKey;
    const stringPayload = Buffer.from(JSON.stringify('not a credential')).toString('base64url');
    const signature = sign('sha256', Buffer.from(`${h}.${stringPayload}`), { key, dsaEncoding: 'ieee-p1363' });
    const result = await verifyCredential(`${h}.${stringPayload}.${signature.toString('base64url')}`, options);
    expect(result.verdict).toBe('MALFORMED');
  });

  it('unicode look-alike issuer DIDs and names are UNKNOWN_ISSUER with no registry name shown', async () => {
    const { world, options } = await setup();
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    for (const did of [
      'did:web:moј.gov.tw' /* Cyrillic je */,
      'did:web:moj.gov.tw\u200b',
      'did:web:ｍoj.gov.tw',
      'did:web:MOJ.gov.tw',
    ]) {
      const key = { ...world.keys.moj1, kid: `${did}#key-1`, privateKey: attacker };
      const forged = await world.issue({ issuer: did, key, type: LAWYER });
      const result = await verifyCredential(forged.jwt, options);
      expect(result.verdict).toBe('UNKNOWN_ISSUER');
      expect(result.credential?.issuerName).toBeUndefined();
    }
    // A look-alike DID that borrows the real issuer's kid is still judged by its own issuer claim.
    const borrowed = await world.issue({ issuer: 'did:web:moј.gov.tw', type: LAWYER });
    expect((await verifyCredential(borrowed.jwt, options)).verdict).toBe('UNKNOWN_ISSUER');
    // Names inside the credential never become the displayed issuer name.
    const named = await world.issue({ subject: { name: '法務部 Ministry of Justice', licenceNumber: 'x' } });
    const result = await verifyCredential(named.jwt, options);
    expect(result.credential?.issuerName).toEqual({ 'zh-TW': '法務部', en: 'Ministry of Justice' });
  });

  it('links: the plain `<base>#<jwt>` form without a codec, a failing codec is MALFORMED', async () => {
    const { genuine, options } = await setup();
    expect((await verifyCredential(`https://verify.gov.tw/#${genuine.jwt}`, options)).verdict).toBe('VALID');
    const failing = await verifyCredential('https://verify.gov.tw/#1234567890', {
      ...options,
      decodeLink: () => {
        throw new Error('unsupported format version');
      },
    });
    expect(failing.verdict).toBe('MALFORMED');
    expect(check(failing, 'decode')).toMatchObject({ reason: 'LINK_UNDECODABLE' });
    const codec = await verifyCredential('https://verify.gov.tw/#1234567890', {
      ...options,
      decodeLink: () => Promise.resolve(genuine.jwt),
    });
    expect(codec.verdict).toBe('VALID');
  });

  it('QR links through the codec: VALID, and a changed digit is never VALID', async () => {
    const { genuine, options } = await setup();
    const link = encodeCredentialLink(genuine.jwt, 'https://verify.gov.tw/');
    const withCodec = { ...options, decodeLink: decodeCredentialLink };
    expect((await verifyCredential(link, withCodec)).verdict).toBe('VALID');
    const hash = link.indexOf('#');
    const digit = link.charAt(hash + 40) === '1' ? '2' : '1';
    const altered = `${link.slice(0, hash + 40)}${digit}${link.slice(hash + 41)}`;
    const result = await verifyCredential(altered, withCodec);
    expect(['MALFORMED', 'TAMPERED']).toContain(result.verdict);
    expect((await verifyCredential('https://verify.gov.tw/#999', withCodec)).verdict).toBe('MALFORMED');
  });

  it('offline: a forged status list (signed by the attacker under the issuer kid) cannot clear a revocation', async () => {
    const world = new World();
    const { id, jwt } = await world.issue();
    world.setStatus(id, 'REVOKED', 'DISBARMENT');
    const lists = await world.statusLists();
    world.setStatus(id, 'ACTIVE', null);
    const attackerWorld = new World();
    // The attacker's world has its own MOJ key-0 (retired), key-2 (compromised) — sign lists with its key-2 under MOJ kid.
    const forgedLists = await (async () => {
      const w = attackerWorld;
      for (const [k, r] of world.records) w.records.set(k, r);
      (w as { allocator: unknown }).allocator = world.allocator;
      (w.keys as { moj1: unknown }).moj1 = {
        ...world.keys.moj1,
        privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
      };
      return w.statusLists();
    })();
    const status = offlineStatusSource({
      trustList: await world.trustList(),
      governanceKeys: world.governanceKeys(),
      statusLists: { ...lists, ...forgedLists },
    });
    const result = await verifyCredential(jwt, { status, now: NOW });
    expect(result.verdict).toBe('UNVERIFIABLE');
    expect(check(result, 'status')).toMatchObject({ reason: 'STATUS_LIST_INVALID' });
    const honest = offlineStatusSource({
      trustList: await world.trustList(),
      governanceKeys: world.governanceKeys(),
      statusLists: lists,
    });
    expect((await verifyCredential(jwt, { status: honest, now: NOW })).verdict).toBe('REVOKED');
  });

  it('an unregistered kid of the other issuer is TAMPERED', async () => {
    const { world, options } = await setup();
    const forged = await world.issue({ issuer: MOEA, kid: `${MOEA}#key-2` });
    expect((await verifyCredential(forged.jwt, options)).verdict).toBe('TAMPERED');
  });
});

describe('signed and anchored content that breaks its type (a compromised or careless issuer system)', () => {
  const bad: readonly [string, Record<string, unknown>, string, string][] = [
    [
      'a practice status outside the allowed values',
      { practiceStatus: 'practising"><script>alert(1)</script>' },
      'CLAIM_NOT_ALLOWED',
      'practiceStatus: not-in-enum',
    ],
    ['a 10,000-character name', { name: '陳'.repeat(10_000) }, 'CLAIM_TOO_LONG', 'name: too-long'],
    [
      'a right-to-left override in the name',
      { name: '王\u202e明小\u202c' },
      'CLAIM_HIDDEN_CHARACTERS',
      'name: control-character',
    ],
    ['a zero-width space in the name', { name: '王小\u200b明' }, 'CLAIM_HIDDEN_CHARACTERS', 'name: control-character'],
    [
      'a Hangul filler in the law firm',
      { lawFirm: '明理\u3164法律事務所' },
      'CLAIM_HIDDEN_CHARACTERS',
      'lawFirm: invisible-character',
    ],
    ['a control character in the name', { name: '王\u0007小明' }, 'CLAIM_HIDDEN_CHARACTERS', 'name: control-character'],
    [
      'a field the type does not define',
      { nationalId: 'A123456789' },
      'CLAIM_NOT_IN_TYPE',
      'nationalId: unknown-field',
    ],
  ];

  it.each(bad)(
    '%s is INVALID_CLAIMS, never VALID, though signature and anchor pass',
    async (_, change, reason, detail) => {
      const world = new World();
      const { jwt } = await world.issue({ subject: { ...lawyerSubject, ...change } });
      const result = await verifyCredential(jwt, { status: ledgerStatusSource(world.registry()), now: NOW });
      expect(result.verdict).toBe('INVALID_CLAIMS');
      expect(check(result, 'signature')).toMatchObject({ result: 'pass' });
      expect(check(result, 'anchor')).toMatchObject({ result: 'pass', reason: 'DIGEST_MATCHES' });
      expect(check(result, 'claims')).toEqual({
        name: 'claims',
        result: 'fail',
        reason,
        detail,
        field: detail.slice(0, detail.indexOf(':')),
      });
      expect(established(result)).toMatchObject({ claims: 'flagged', decisive: { name: 'claims', reason } });
    },
  );

  it('is INVALID_CLAIMS offline too (the browser path), and for an economic certificate', async () => {
    const world = new World();
    const licence = await world.issue({ subject: { ...lawyerSubject, name: '王\u202e明小\u202c' } });
    const certificate = await world.issue({ issuer: MOEA, subject: { ...companySubject, ubn: '04595258' } });
    const status = offlineStatusSource({
      trustList: await world.trustList(),
      governanceKeys: world.governanceKeys(),
      statusLists: await world.statusLists(),
    });
    const results = await verifyCredentials([licence.jwt, certificate.jwt], { status, now: NOW });
    expect(results.map((r) => r.verdict)).toEqual(['INVALID_CLAIMS', 'INVALID_CLAIMS']);
    expect(check(results[1]!, 'claims')).toMatchObject({ reason: 'CLAIM_NOT_ALLOWED', detail: 'ubn: checksum' });
  });

  it('ranks below REVOKED and SUSPENDED, above EXPIRED and UNVERIFIABLE', async () => {
    const world = new World();
    const subject = { ...lawyerSubject, practiceStatus: 'retired' };
    const revoked = await world.issue({ subject });
    world.setStatus(revoked.id, 'REVOKED', 'DISBARMENT');
    const suspended = await world.issue({ subject });
    world.setStatus(suspended.id, 'SUSPENDED', 'DISCIPLINARY_SUSPENSION');
    const expired = await world.issue({ subject, validUntil: new Date('2026-06-01T00:00:00Z') });
    const unanchored = await world.sign({ subject });
    const status = ledgerStatusSource(world.registry());
    const verdict = async (jwt: string): Promise<string> => (await verifyCredential(jwt, { status, now: NOW })).verdict;
    expect(await verdict(revoked.jwt)).toBe('REVOKED');
    expect(await verdict(suspended.jwt)).toBe('SUSPENDED');
    expect(await verdict(expired.jwt)).toBe('INVALID_CLAIMS');
    expect(await verdict(unanchored.jwt)).toBe('INVALID_CLAIMS');
    world.down = true;
    const down = await verifyCredential(expired.jwt, { status, now: NOW });
    // The issuer cannot be read: nothing is established, not even that the content is the issuer's.
    expect(down.verdict).toBe('UNVERIFIABLE');
    expect(check(down, 'claims')).toMatchObject({ reason: 'NOT_CHECKED' });
  });

  it('a type this verifier does not know is UNVERIFIABLE (its content cannot be checked), never VALID', async () => {
    const world = new World();
    (world.issuers[0]!.credentialTypes as string[]).push('NotaryLicenceCredential');
    const { jwt } = await world.issue({ type: 'NotaryLicenceCredential', subject: { name: '王小明' } });
    const result = await verifyCredential(jwt, { status: ledgerStatusSource(world.registry()), now: NOW });
    expect(result.verdict).toBe('UNVERIFIABLE');
    expect(check(result, 'claims')).toMatchObject({ result: 'unknown', reason: 'TYPE_UNKNOWN' });
    expect(established(result)).toMatchObject({ claims: 'flagged', decisive: { name: 'claims' } });
  });
});

describe('what a forgery reports', () => {
  it('an edited credential: nothing it claims is checked or reported, not its validity, not the status of its id', async () => {
    const { genuine, options } = await setup();
    const [h, p, s] = parts(genuine.jwt);
    const forged = `${b64(h)}.${b64({ ...p, credentialSubject: { ...(p.credentialSubject as object), name: '王小明' } })}.${s}`;
    const result = await verifyCredential(forged, options);
    expect(result.verdict).toBe('TAMPERED');
    expect(Object.fromEntries(result.checks.map((c) => [c.name, `${c.result}:${c.reason}`]))).toEqual({
      decode: 'pass:DECODED',
      issuer: 'pass:ISSUER_REGISTERED',
      'credential-type': 'pass:TYPE_ALLOWED',
      signature: 'fail:SIGNATURE_INVALID',
      claims: 'unknown:NOT_CHECKED',
      validity: 'unknown:NOT_CHECKED',
      anchor: 'fail:DIGEST_MISMATCH',
      status: 'unknown:NOT_CHECKED',
    });
    expect(result.status).toBeUndefined();
    expect(result.anchoredAt).toBeUndefined();
    // The registry's name for the DID it names is not lent to it.
    expect(result.credential?.issuerName).toBeUndefined();
    expect(established(result)).toEqual({
      ran: result.checks.filter((c) => c.reason !== 'NOT_CHECKED'),
      notRun: ['claims', 'validity', 'status'],
      decisive: check(result, 'signature'),
      claims: 'unverified',
    });
  });

  it('a genuine signature over content the ledger does not hold under that id reports no status either', async () => {
    const { world, genuine, options } = await setup();
    const resigned = await world.sign({ id: genuine.id, subject: { ...lawyerSubject, name: '王小明' } });
    const result = await verifyCredential(resigned.jwt, options);
    expect(result.verdict).toBe('TAMPERED');
    expect(check(result, 'status')).toMatchObject({ result: 'unknown', reason: 'NOT_CHECKED' });
    expect(established(result)).toMatchObject({ claims: 'unverified', decisive: { name: 'anchor' } });
  });

  it('what was established, per verdict', async () => {
    const { world, genuine, options } = await setup();
    const valid = await verifyCredential(genuine.jwt, options);
    expect(established(valid)).toEqual({ ran: valid.checks, notRun: [], claims: 'facts' });
    const malformed = await verifyCredential('not.a.credential', options);
    expect(established(malformed)).toMatchObject({
      claims: 'none',
      notRun: ['issuer', 'credential-type', 'signature', 'claims', 'validity', 'anchor', 'status'],
      decisive: { name: 'decode', result: 'fail' },
    });
    world.setStatus(genuine.id, 'REVOKED', 'DISBARMENT');
    expect(established(await verifyCredential(genuine.jwt, options))).toMatchObject({
      claims: 'facts',
      decisive: { name: 'status', reason: 'REVOKED' },
    });
    world.down = true;
    expect(established(await verifyCredential(genuine.jwt, options))).toMatchObject({
      claims: 'unverified',
      decisive: { name: 'issuer', result: 'unknown' },
    });
  });
});
