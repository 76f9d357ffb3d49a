/**
 * X.509 certificates for signed presentation requests, made with the `openssl` command as an operator
 * would make them: a registrar (a root CA, as a wallet ecosystem's trust anchor) and verifier certificates
 * it issues for a DNS name, each with a P-256 key. Written to a temp folder and read back as PEM.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface VerifierCertificate {
  readonly privateKey: KeyObject;
  /** The key as PEM (PKCS#8), as an operator's key file holds it. */
  readonly keyPem: string;
  /** Leaf then registrar, PEM. */
  readonly chainPem: string;
}

export interface Registrar {
  readonly certificatePem: string;
  /** A verifier certificate for `dnsName`, valid for 30 days from now, with its chain. */
  issue(dnsName: string): VerifierCertificate;
}

function openssl(dir: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A new registrar; everything it makes is in memory once this returns. */
export function createRegistrar(name = 'credledger test registrar'): Registrar {
  const dir = mkdtempSync(join(tmpdir(), 'credledger-x509-'));
  try {
    openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
    openssl(dir, [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      `/CN=${name}`,
      '-days',
      '30',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
      '-out',
      'ca.pem',
    ]);
    const caKey = readFileSync(join(dir, 'ca.key'), 'utf8');
    const certificatePem = readFileSync(join(dir, 'ca.pem'), 'utf8');
    return {
      certificatePem,
      issue(dnsName) {
        const work = mkdtempSync(join(tmpdir(), 'credledger-x509-'));
        try {
          writeFileSync(join(work, 'ca.key'), caKey);
          writeFileSync(join(work, 'ca.pem'), certificatePem);
          writeFileSync(join(work, 'ext.cnf'), `subjectAltName=DNS:${dnsName}\nkeyUsage=critical,digitalSignature\n`);
          openssl(work, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'leaf.key']);
          openssl(work, ['req', '-new', '-key', 'leaf.key', '-subj', `/CN=${dnsName}`, '-out', 'leaf.csr']);
          openssl(work, [
            'x509',
            '-req',
            '-in',
            'leaf.csr',
            '-CA',
            'ca.pem',
            '-CAkey',
            'ca.key',
            '-CAcreateserial',
            '-days',
            '30',
            '-extfile',
            'ext.cnf',
            '-out',
            'leaf.pem',
          ]);
          const keyPem = readFileSync(join(work, 'leaf.key'), 'utf8');
          return {
            privateKey: createPrivateKey(keyPem),
            keyPem,
            chainPem: `${readFileSync(join(work, 'leaf.pem'), 'utf8')}${certificatePem}`,
          };
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
