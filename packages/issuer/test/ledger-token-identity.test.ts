/**
 * Organisation identities whose private keys are in a PKCS#11 token (SoftHSM 2, a fresh token in a temp
 * directory) act on the embedded ledger: their certificates come from the organisation's local CA, their
 * proposals and transactions are signed in the token, and the chaincode sees them as they are — MSP,
 * certificate, role — and applies its access rules to them. The same key also signs through
 * fabric-gateway's HSM signer, as a Fabric connection file's `identity.hsm` makes it do.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createSoftHsmToken, softhsm, type SoftHsmToken } from '../../pkcs11/test/softhsm.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'helpers', 'token-identity-child.mjs');

interface Seen {
  governanceCertificate: string;
  operatorCertificate: string;
  operatorKey: { x: string; y: string };
  registered: { did: string; status: string };
  refused: { code: string; message: string } | null;
  foreign: { code: string; message: string } | null;
  chain: { ok: boolean; problems: string[] };
  viaGateway: { blockNumber: string; clientMspId: string; role: string; creatorPem: string };
  txInfo: {
    blockNumber: string;
    txId: string;
    clientMspId: string;
    clientId: string;
    role: string;
    creatorPem: string;
    peerMspId: string;
  };
}

if (!('module' in softhsm)) {
  console.log(`ledger token identity: skipped, ${softhsm.missing}`);
  describe.skip('an organisation identity with its key in a PKCS#11 token', () => {
    it('needs SoftHSM 2', () => undefined);
  });
} else {
  describe('an organisation identity with its key in a PKCS#11 token (SoftHSM 2)', () => {
    let token: SoftHsmToken;
    let directory: string;
    let seen: Seen;
    beforeAll(async () => {
      token = await createSoftHsmToken({ label: 'ledger-identities' });
      directory = await mkdtemp(join(tmpdir(), 'credledger-token-ledger-'));
      const input = { module: token.module, token: token.label, pin: token.pin, directory };
      seen = await new Promise<Seen>((resolve, reject) => {
        const proc = spawn(process.execPath, [child, JSON.stringify(input)], {
          env: { ...process.env, ...token.env, CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
        proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
        proc.on('error', reject);
        proc.on('close', (code) => {
          if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as Seen);
          else reject(new Error(`token-identity-child exited ${code}: ${err}`));
        });
      });
    }, 120_000);
    afterAll(async () => {
      await rm(directory, { recursive: true, force: true });
      await token.cleanup();
    });

    it('submits a transaction the chaincode sees as that identity: MSP, certificate, role', () => {
      expect(Number(seen.txInfo.blockNumber)).toBeGreaterThan(0);
      expect(seen.txInfo.clientMspId).toBe('MojMSP');
      expect(seen.txInfo.peerMspId).toBe('MojMSP');
      expect(seen.txInfo.role).toBe('issuer-operator');
      expect(seen.txInfo.clientId).toContain('CN=hsm-operator@moj.credledger.local');
      expect(seen.txInfo.creatorPem).toBe(seen.operatorCertificate);
    });

    it('takes fabric-gateway’s own HSM signer (a Fabric connection file’s identity.hsm) as it is', () => {
      expect(Number(seen.viaGateway.blockNumber)).toBeGreaterThan(Number(seen.txInfo.blockNumber));
      expect(seen.viaGateway).toMatchObject({
        clientMspId: 'MojMSP',
        role: 'issuer-operator',
        creatorPem: seen.operatorCertificate,
      });
    });

    it('certifies the token’s public key: the private half never left the token', () => {
      const certified = new X509Certificate(seen.operatorCertificate).publicKey.export({
        format: 'jwk',
      });
      expect({ x: certified.x, y: certified.y }).toEqual({ x: seen.operatorKey.x, y: seen.operatorKey.y });
    });

    it('passes the chaincode’s access rules as a governance administrator, and fails them as an auditor', () => {
      expect(seen.registered).toEqual({ did: 'did:web:moj.gov.tw', status: 'ACTIVE' });
      expect(seen.refused).toMatchObject({ code: 'ACCESS_DENIED' });
      expect(seen.chain).toEqual({ ok: true, problems: [] });
    });

    it('is refused by the peer under an organisation whose CA did not certify it', () => {
      expect(seen.foreign).toMatchObject({ code: 'ENDORSEMENT_FAILED' });
      expect(seen.foreign?.message).toContain('not issued by the CA of MojMSP');
    });
  });
}
