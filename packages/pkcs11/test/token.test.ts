/**
 * The package against a real token: SoftHSM 2, a fresh token per suite in a temp directory. Keys
 * generated inside it stay there (another PKCS#11 client cannot read or wrap them), signatures verify
 * with the public key the package reports and are canonical, and each failure has its own code.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { isLowS } from '@credledger/verify/formats';

import { createSoftHsmToken, softhsm, type SoftHsmToken } from './softhsm.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'token-child.mjs');

interface Failure {
  code: string;
  name: string;
  message: string;
}

/** Runs one step of token-child.mjs against `token` and returns its JSON. */
function step<T>(token: SoftHsmToken, args: Record<string, unknown>): Promise<T> {
  const input = { module: token.module, token: token.label, pin: token.pin, ...args };
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, JSON.stringify(input)], {
      env: { ...process.env, ...token.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as T);
      else reject(new Error(`token-child ${String(args.step)} exited ${code}: ${err}`));
    });
  });
}

if (!('module' in softhsm)) {
  console.log(`pkcs11: skipped, ${softhsm.missing}`);
  describe.skip('a key in a PKCS#11 token', () => {
    it('needs SoftHSM 2', () => undefined);
  });
} else {
  describe('a key in a PKCS#11 token (SoftHSM 2)', () => {
    let token: SoftHsmToken;
    let generated: { publicKeyJwk: JsonWebKey; id: string; protection: Record<string, boolean> };
    beforeAll(async () => {
      token = await createSoftHsmToken({ label: 'credledger-pkcs11' });
      generated = await step(token, { step: 'generate', key: 'issuer-key' });
    });
    afterAll(async () => {
      await token.cleanup();
    });

    it('is generated inside the token as a sensitive, non-extractable token object', () => {
      expect(generated.publicKeyJwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
      expect(generated.protection).toEqual({
        token: true,
        sensitive: true,
        extractable: false,
        alwaysSensitive: true,
        neverExtractable: true,
      });
      // Fabric's key identifier: SHA-256 of the public point, 32 bytes.
      expect(generated.id).toMatch(/^[0-9a-f]{64}$/);
    });

    it('cannot be read or wrapped out of the token by another client', async () => {
      const seen = await step<{ flags: Record<string, boolean>; value: Failure | null; wrap: Failure | null }>(token, {
        step: 'inspect',
        key: 'issuer-key',
      });
      expect(seen.flags).toEqual({
        CKA_TOKEN: true,
        CKA_SENSITIVE: true,
        CKA_EXTRACTABLE: false,
        CKA_ALWAYS_SENSITIVE: true,
        CKA_NEVER_EXTRACTABLE: true,
      });
      expect(seen.value).toMatchObject({ name: 'Pkcs11Error', message: 'CKR_ATTRIBUTE_SENSITIVE' });
      expect(seen.wrap).toMatchObject({ name: 'Pkcs11Error', message: 'CKR_KEY_UNEXTRACTABLE' });
    });

    it('signs many inputs at once across sessions: each verifies with its public key and is low-S', async () => {
      const signed = await step<{
        publicKeyJwk: JsonWebKey;
        messages: string[];
        signatures: string[];
        ledger: { proposal: string; der: string };
      }>(token, { step: 'sign', key: 'issuer-key', count: 200, sessions: 3 });
      // Found again by label in a new process: the same key.
      expect(signed.publicKeyJwk).toEqual(generated.publicKeyJwk);
      const publicKey = createPublicKey({ key: signed.publicKeyJwk, format: 'jwk' });
      signed.messages.forEach((message, i) => {
        const signature = Buffer.from(signed.signatures[i] ?? '', 'base64url');
        expect(signature).toHaveLength(64);
        expect(isLowS(signature)).toBe(true);
        expect(verify('sha256', Buffer.from(message), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(
          true,
        );
      });
      // The ledger signer signs the digest it is handed, DER-encoded and low-S, as Fabric expects.
      const der = Buffer.from(signed.ledger.der, 'base64');
      expect(verify('sha256', Buffer.from(signed.ledger.proposal), { key: publicKey, dsaEncoding: 'der' }, der)).toBe(
        true,
      );
    });

    it('fails with a distinct code for each thing an operator must fix', async () => {
      const failed = await step<Record<string, Failure | null | string[]>>(token, {
        step: 'failures',
        key: 'issuer-key',
      });
      expect(failed.module).toMatchObject({ code: 'PKCS11_MODULE_UNAVAILABLE' });
      expect(failed.notAModule).toMatchObject({ code: 'PKCS11_MODULE_UNAVAILABLE' });
      expect(failed.token).toMatchObject({ code: 'PKCS11_TOKEN_NOT_FOUND' });
      expect(failed.pin).toMatchObject({ code: 'PKCS11_PIN_INCORRECT' });
      expect(failed.noPin).toMatchObject({ code: 'PKCS11_PIN_REQUIRED' });
      expect(failed.key).toMatchObject({ code: 'PKCS11_KEY_NOT_FOUND' });
      expect(failed.exists).toMatchObject({ code: 'PKCS11_KEY_EXISTS' });
      // The free slot's nameless token is not a token anyone can open.
      expect(failed.tokens).toEqual(['credledger-pkcs11']);
      // No message carries the PIN, right or wrong.
      expect(JSON.stringify(failed)).not.toContain(token.pin);
    });
  });
}
