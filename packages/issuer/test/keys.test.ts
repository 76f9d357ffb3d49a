import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { generateIssuerKey, issuerKeyFromPrivateKey, jwkThumbprint, publicKeyJwk } from '../src/keys/issuer-key.js';
import { readIssuerKeyFile, readIssuerKeyFileInfo, writeIssuerKeyFile } from '../src/keys/key-store.js';
import { testJwks, testPrivateKey } from './fixtures/keys.js';

const did = 'did:web:moj.gov.tw';
const passphrase = '正確 horse battery staple';
const fast = { scryptLogN: 14 } as const;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credledger-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A key file as read back (the members these tests edit are typed; the rest pass through). */
interface KeyFileJson {
  readonly [member: string]: unknown;
  readonly ciphertext: string;
  readonly check: string;
  readonly kdf: Record<string, unknown>;
  readonly cipher: { readonly iv: string; readonly tag: string };
}

/** Recomputes the documented integrity hash after a deliberate edit, as a forger would. */
function reseal(file: KeyFileJson): Record<string, unknown> {
  const clear = JSON.stringify([
    file.format,
    file.version,
    file.kid,
    file.alg,
    file.publicKeyJwk,
    file.createdAt,
    file.kdf,
    file.cipher.iv,
  ]);
  return {
    ...file,
    integrity: hash('sha256', `${clear}\n${file.cipher.tag}\n${file.check}\n${file.ciphertext}`, 'base64url'),
  };
}

describe('issuer keys', () => {
  it.each(['ES256', 'EdDSA'] as const)('generates %s keys with a public JWK and a DID URL kid', (alg) => {
    const key = generateIssuerKey(alg, { did, fragment: 'key-1' });
    expect(key.alg).toBe(alg);
    expect(key.kid).toBe(`${did}#key-1`);
    expect(key.publicKeyJwk).toEqual(publicKeyJwk(key.publicKey));
    expect(Object.keys(key.publicKeyJwk)).toEqual(alg === 'ES256' ? ['kty', 'crv', 'x', 'y'] : ['kty', 'crv', 'x']);
    expect('d' in key.publicKeyJwk).toBe(false);
  });

  it('names a key after its thumbprint when no fragment is given', () => {
    const key = generateIssuerKey('ES256', { did });
    expect(key.kid).toBe(`${did}#key-${jwkThumbprint(key.publicKeyJwk).slice(0, 16)}`);
  });

  it('computes RFC 7638 thumbprints (the RFC 7638 §3.1 example value for an EC key is reproduced by jose too)', async () => {
    const { calculateJwkThumbprint } = await import('jose');
    const jwk = publicKeyJwk(testPrivateKey('es256'));
    expect(jwkThumbprint(jwk)).toBe(await calculateJwkThumbprint({ ...jwk }, 'sha256'));
    const ed = publicKeyJwk(testPrivateKey('eddsa'));
    expect(jwkThumbprint(ed)).toBe(await calculateJwkThumbprint({ ...ed }, 'sha256'));
  });

  it('refuses a kid that is not a DID URL', () => {
    expect(() => issuerKeyFromPrivateKey(testPrivateKey('es256'), 'key-1')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => generateIssuerKey('ES256', { did: 'moj.gov.tw' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('never shows the private key when inspected or serialised', () => {
    const key = issuerKeyFromPrivateKey(testPrivateKey('es256'), `${did}#key-1`);
    expect(inspect(key, { depth: 5 })).not.toContain(testJwks.es256.d);
    expect(JSON.stringify(key)).not.toContain(testJwks.es256.d);
  });
});

describe('encrypted key files', () => {
  it.each(['ES256', 'EdDSA'] as const)('round-trips a %s key', async (alg) => {
    const key = generateIssuerKey(alg, { did, fragment: `key-${alg}` });
    const path = join(dir, `roundtrip-${alg}.json`);
    await writeIssuerKeyFile(path, key, passphrase, fast);
    const read = await readIssuerKeyFile(path, passphrase);
    expect(read.kid).toBe(key.kid);
    expect(read.alg).toBe(alg);
    expect(read.publicKeyJwk).toEqual(key.publicKeyJwk);
    expect(read.privateKey.equals(key.privateKey)).toBe(true);
    await expect(readIssuerKeyFileInfo(path)).resolves.toMatchObject({
      kid: key.kid,
      alg,
      publicKeyJwk: key.publicKeyJwk,
    });
  });

  it('uses scrypt 2^17 by default and keeps the private key out of the file', async () => {
    const key = issuerKeyFromPrivateKey(testPrivateKey('es256'), `${did}#key-1`);
    const path = join(dir, 'default-cost.json');
    await writeIssuerKeyFile(path, key, passphrase);
    const text = await readFile(path, 'utf8');
    expect(JSON.parse(text)).toMatchObject({
      format: 'credledger-issuer-key',
      version: 1,
      kdf: { name: 'scrypt', logN: 17, r: 8, p: 1 },
    });
    expect(text).not.toContain(testJwks.es256.d);
    expect(text).not.toContain(passphrase);
    expect((await readIssuerKeyFile(path, passphrase)).privateKey.equals(key.privateKey)).toBe(true);
  });

  it('writes mode 0600 even under a permissive umask, and leaves no temporary file', async () => {
    const previous = process.umask(0);
    try {
      const path = join(dir, 'mode.json');
      await writeIssuerKeyFile(path, generateIssuerKey('EdDSA', { did }), passphrase, fast);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to replace an existing file unless asked', async () => {
    const path = join(dir, 'exists.json');
    const first = generateIssuerKey('EdDSA', { did, fragment: 'first' });
    await writeIssuerKeyFile(path, first, passphrase, fast);
    await expect(writeIssuerKeyFile(path, generateIssuerKey('EdDSA', { did }), passphrase, fast)).rejects.toMatchObject(
      {
        code: 'KEY_STORE_ERROR',
      },
    );
    expect((await readIssuerKeyFileInfo(path)).kid).toBe(first.kid);
    const second = generateIssuerKey('EdDSA', { did, fragment: 'second' });
    await writeIssuerKeyFile(path, second, passphrase, { ...fast, overwrite: true });
    expect((await readIssuerKeyFileInfo(path)).kid).toBe(second.kid);
  });

  describe('failures', () => {
    let path: string;
    let original: KeyFileJson;
    beforeAll(async () => {
      path = join(dir, 'victim.json');
      await writeIssuerKeyFile(
        path,
        issuerKeyFromPrivateKey(testPrivateKey('es256'), `${did}#key-1`),
        passphrase,
        fast,
      );
      original = JSON.parse(await readFile(path, 'utf8')) as KeyFileJson;
    });
    const variant = async (name: string, content: string): Promise<string> => {
      const file = join(dir, name);
      await writeFile(file, content, { mode: 0o600 });
      return file;
    };

    it('reports a wrong passphrase as PASSPHRASE_WRONG and an empty one as PASSPHRASE_REQUIRED', async () => {
      await expect(readIssuerKeyFile(path, 'wrong horse')).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG' });
      await expect(readIssuerKeyFile(path, '')).rejects.toMatchObject({ code: 'PASSPHRASE_REQUIRED' });
      await expect(
        writeIssuerKeyFile(join(dir, 'x.json'), generateIssuerKey('ES256', { did }), '', fast),
      ).rejects.toMatchObject({
        code: 'PASSPHRASE_REQUIRED',
      });
    });

    it('reports accidental damage as KEY_STORE_ERROR before trying the passphrase', async () => {
      const text = JSON.stringify(original);
      const flipped = {
        ...original,
        ciphertext: `${original.ciphertext.slice(0, -2)}${original.ciphertext.endsWith('AA') ? 'AB' : 'AA'}`,
      };
      for (const [name, content] of [
        ['truncated.json', text.slice(0, text.length / 2)],
        ['empty.json', ''],
        ['not-object.json', '[]'],
        ['flipped.json', JSON.stringify(flipped)],
        ['future.json', JSON.stringify({ ...original, version: 2 })],
        ['huge-cost.json', JSON.stringify(reseal({ ...original, kdf: { ...original.kdf, logN: 30 } }))],
      ] as const) {
        await expect(readIssuerKeyFile(await variant(name, content), passphrase)).rejects.toMatchObject({
          code: 'KEY_STORE_ERROR',
        });
      }
    });

    it('detects deliberate tampering with the sealed key or its clear members (integrity recomputed)', async () => {
      const other = publicKeyJwk(testPrivateKey('other'));
      const ciphertext = Buffer.from(original.ciphertext, 'base64url');
      ciphertext[5] = (ciphertext[5] ?? 0) ^ 1;
      for (const [name, tampered] of [
        ['other-kid.json', reseal({ ...original, kid: `${did}#key-9` })],
        ['other-public-key.json', reseal({ ...original, publicKeyJwk: other })],
        ['other-ciphertext.json', reseal({ ...original, ciphertext: ciphertext.toString('base64url') })],
      ] as const) {
        await expect(
          readIssuerKeyFile(await variant(name, JSON.stringify(tampered)), passphrase),
        ).rejects.toMatchObject({
          code: 'KEY_STORE_ERROR',
        });
      }
    });

    it('reports a missing file as FILE_NOT_FOUND', async () => {
      await expect(readIssuerKeyFile(join(dir, 'absent.json'), passphrase)).rejects.toMatchObject({
        code: 'FILE_NOT_FOUND',
      });
    });
  });
});
