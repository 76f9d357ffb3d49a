/**
 * One credential, one verdict: ECDSA's (r, n − s) twin of a genuine signature is refused online and
 * offline alike, every signing path produces low-S signatures, and anchoring refuses a high-S one.
 * Ed25519 needs no such rule: Node's and WebCrypto's verifiers already refuse S + L (RFC 8032 §5.1.7).
 */
import { describe, expect, it } from '@jest/globals';
import { createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';

import { buildCredential, credentialHeader } from '../src/credentials/credential.js';
import { signCompactJws as signCompactJwsFast, encodeJwsPart } from '../src/credentials/compact-jws.js';
import { createSignPool } from '../src/credentials/sign-pool.js';
import { nodeCredentialSigner, signCredential } from '../src/credentials/sign.js';
import { anchorRequestOf } from '../src/issuer.js';
import {
  ledgerStatusSource,
  offlineStatusSource,
  verifyCredential,
  type VerificationResult,
  validateSubject,
} from '@credledger/verify';
import { isLowS, toLowS, signCompactJws as signListJws } from '@credledger/verify/formats';
import { credentialStatusEntries } from '../src/status/entry.js';
import { lawyerSubject } from './credentials-samples.js';
import { testPrivateKey } from './fixtures/keys.js';
import { MOEA, MOJ, NOW, World } from './verify-world.js';

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** The compact JWS's signature bytes. */
const signatureOf = (jwt: string): Buffer => Buffer.from(jwt.slice(jwt.lastIndexOf('.') + 1), 'base64url');
const withSignature = (jwt: string, signature: Uint8Array): string =>
  `${jwt.slice(0, jwt.lastIndexOf('.'))}.${Buffer.from(signature).toString('base64url')}`;

/** The ES256 twin (r, n − s) of a signature: the malleated encoding anyone can compute. */
function es256Twin(jwt: string): string {
  const signature = signatureOf(jwt);
  expect(isLowS(signature)).toBe(true);
  const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
  const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  const twin = Buffer.concat([signature.subarray(0, 32), Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')]);
  return withSignature(jwt, twin);
}

/** The Ed25519 twin (R, S + L), which a lax verifier would accept. */
function ed25519Twin(jwt: string): string {
  const signature = Buffer.from(signatureOf(jwt));
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(signature[32 + i] ?? 0);
  let v = s + L;
  for (let i = 0; i < 32; i++) {
    signature[32 + i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return withSignature(jwt, signature);
}

const shapeOf = (result: VerificationResult) => ({
  verdict: result.verdict,
  signature: result.checks.find((c) => c.name === 'signature')?.reason,
});

async function bothWays(world: World, jwt: string) {
  const online = await verifyCredential(jwt, { status: ledgerStatusSource(world.registry()), now: NOW });
  const offline = await verifyCredential(jwt, {
    status: offlineStatusSource({
      trustList: await world.trustList(),
      governanceKeys: world.governanceKeys(),
      statusLists: await world.statusLists(),
    }),
    now: NOW,
  });
  return { online, offline };
}

describe('a genuine ES256 credential with s replaced by n − s', () => {
  it('is TAMPERED online and offline, with the same signature reason, while the original is VALID both ways', async () => {
    const world = new World();
    const { jwt } = await world.issue();
    const genuine = await bothWays(world, jwt);
    expect(shapeOf(genuine.online)).toEqual({ verdict: 'VALID', signature: 'SIGNATURE_VALID' });
    expect(shapeOf(genuine.offline)).toEqual({ verdict: 'VALID', signature: 'SIGNATURE_VALID' });

    const twin = es256Twin(jwt);
    // The twin really is a valid ECDSA signature: only the canonical-form rule tells them apart.
    const signingInput = twin.slice(0, twin.lastIndexOf('.'));
    expect(
      nodeVerify(
        'sha256',
        Buffer.from(signingInput),
        { key: createPublicKey(world.keys.moj1.privateKey), dsaEncoding: 'ieee-p1363' },
        signatureOf(twin),
      ),
    ).toBe(true);

    const malleated = await bothWays(world, twin);
    expect(shapeOf(malleated.online)).toEqual({ verdict: 'TAMPERED', signature: 'SIGNATURE_NOT_CANONICAL' });
    expect(shapeOf(malleated.offline)).toEqual({ verdict: 'TAMPERED', signature: 'SIGNATURE_NOT_CANONICAL' });
  });

  it('cannot be anchored', async () => {
    const world = new World();
    const { jwt } = await world.sign();
    expect(anchorRequestOf(jwt).id).toMatch(/^urn:uuid:/);
    expect(() => anchorRequestOf(es256Twin(jwt))).toThrow(expect.objectContaining({ code: 'CREDENTIAL_MALFORMED' }));
  });
});

describe('Ed25519', () => {
  it("needs no extra rule: the (R, S + L) twin is refused by the runtime's own verifier, TAMPERED both ways", async () => {
    const world = new World();
    const { jwt } = await world.issue({ issuer: MOEA });
    const twin = ed25519Twin(jwt);
    const signingInput = Buffer.from(jwt.slice(0, jwt.lastIndexOf('.')));
    expect(nodeVerify(null, signingInput, createPublicKey(world.keys.moea1.privateKey), signatureOf(twin))).toBe(false);
    const { online, offline } = await bothWays(world, twin);
    expect(shapeOf(online)).toEqual({ verdict: 'TAMPERED', signature: 'SIGNATURE_INVALID' });
    expect(shapeOf(offline)).toEqual({ verdict: 'TAMPERED', signature: 'SIGNATURE_INVALID' });
  });
});

describe('every ES256 signing path gives low-S signatures', () => {
  const privateKey = testPrivateKey('es256');
  const kid = `${MOJ}#key-1`;
  const payload = (i: number) =>
    buildCredential({
      type: 'LawyerLicenceCredential',
      id: `urn:uuid:6f1c2a4e-8b1d-4c3e-9f2a-${String(i).padStart(12, '0')}`,
      issuer: MOJ,
      subject: validateSubject('LawyerLicenceCredential', lawyerSubject),
      validFrom: new Date('2026-01-01T00:00:00Z'),
      validUntil: new Date('2036-01-01T00:00:00Z'),
      issuedAt: new Date('2026-11-26T08:00:00Z'),
      status: credentialStatusEntries('https://verify.gov.tw', MOJ, {
        revocation: { list: 0, index: i },
        suspension: { list: 0, index: i },
      }),
    });

  it('OpenSSL alone gives high S about half the time (so the normalisation is what makes them canonical)', () => {
    const raw = Array.from({ length: 200 }, (_, i) =>
      nodeSign('sha256', Buffer.from(`m${i}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }),
    );
    expect(raw.filter((s) => !isLowS(s)).length).toBeGreaterThan(0);
  });

  it('1,000 from the in-process fast path, the node signer and the worker pool: all low-S and verifying', async () => {
    const header = encodeJwsPart(credentialHeader('ES256', kid));
    const fast = Array.from({ length: 1000 }, (_, i) =>
      signCompactJwsFast(header, JSON.stringify(payload(i)), 'ES256', privateKey),
    );
    const signer = nodeCredentialSigner(privateKey);
    const viaSigner = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const signature = await signer(`x${i}`);
        if (typeof signature !== 'string') throw new Error('the node signer returns base64url text');
        return Buffer.from(signature, 'base64url');
      }),
    );
    const pool = createSignPool({ privateKey, alg: 'ES256', kid, size: 2 });
    let pooled: string[];
    try {
      pooled = (await pool.sign(Array.from({ length: 1000 }, (_, i) => JSON.stringify(payload(i))))).map((s) => s.jwt);
    } finally {
      await pool.close();
    }
    expect(fast.map(signatureOf).filter((s) => !isLowS(s))).toEqual([]);
    expect(viaSigner.filter((s) => !isLowS(s))).toEqual([]);
    expect(pooled.map(signatureOf).filter((s) => !isLowS(s))).toEqual([]);
    const publicKey = { key: createPublicKey(privateKey), dsaEncoding: 'ieee-p1363' as const };
    for (const jwt of [...fast.slice(0, 50), ...pooled.slice(0, 50)]) {
      expect(nodeVerify('sha256', Buffer.from(jwt.slice(0, jwt.lastIndexOf('.'))), publicKey, signatureOf(jwt))).toBe(
        true,
      );
    }
  }, 60_000);

  it('an external signer that returns high S: credentials and status lists come out low-S and VALID', async () => {
    // An HSM-like signer that always hands back the high-S half of its signature.
    const highS = async (data: string | Uint8Array): Promise<string> => {
      const low = toLowS(
        nodeSign('sha256', typeof data === 'string' ? Buffer.from(data) : data, {
          key: privateKey,
          dsaEncoding: 'ieee-p1363',
        }),
      );
      const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
      const s = BigInt(`0x${Buffer.from(low.subarray(32)).toString('hex')}`);
      return Buffer.concat([low.subarray(0, 32), Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')]).toString(
        'base64url',
      );
    };
    expect(isLowS(Buffer.from(await highS('probe'), 'base64url'))).toBe(false);

    const world = new World();
    const jwts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signCredential(payload(i), { alg: 'ES256', kid, credentialSigner: highS })),
    );
    for (const jwt of jwts) expect(isLowS(signatureOf(jwt))).toBe(true);
    await world.anchor(jwts[0] ?? '');
    const result = await verifyCredential(jwts[0] ?? '', { status: ledgerStatusSource(world.registry()), now: NOW });
    expect(result.verdict).toBe('VALID');

    // Status lists and trust lists are signed through the same external-signer path.
    const list = await signListJws({ alg: 'ES256', kid, typ: 'vc+jwt' }, { hello: 'world' }, highS);
    expect(isLowS(signatureOf(list))).toBe(true);
  });

  it('an external ES256 signer that returns DER is refused, not passed on', async () => {
    const der = (data: string | Uint8Array): Promise<string> =>
      Promise.resolve(
        nodeSign('sha256', typeof data === 'string' ? Buffer.from(data) : data, privateKey).toString('base64url'),
      );
    await expect(signCredential(payload(1), { alg: 'ES256', kid, credentialSigner: der })).rejects.toThrow(TypeError);
  });
});
