/**
 * The Fabric identity (`mspId` + X.509 certificate) and its `ledgerSigner`, from PEM files or from
 * a PKCS#11 token. With an HSM the private key never leaves the token: fabric-gateway's HSM signer
 * sends it digests to sign.
 *
 * The HSM path needs the optional native module `pkcs11js`, which fabric-gateway loads only when an
 * HSM signer factory is created. This repository builds it on `npm ci` (root `allowScripts`, node-gyp
 * with Node's headers from `npm_config_nodedir`); an installation that lacks it runs
 * `npm install pkcs11js` (node-gyp and a C++ toolchain). Without it, opening a ledger with an HSM
 * identity fails with KEY_STORE_ERROR and says so. fabric-gateway initialises the PKCS#11 module
 * itself: in one process, do not also open the same module through @credledger/pkcs11 first (its
 * keys made there serve here, found by CKA_ID = SHA-256 of the public point).
 *
 * @see https://hyperledger.github.io/fabric-gateway/main/api/node/functions/signers.newHSMSignerFactory.html
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import type { Signer } from '@hyperledger/fabric-gateway';

import { CredledgerError } from '@credledger/verify';
import type { FabricIdentityFiles } from '@credledger/ledger';

type GatewayModule = typeof import('@hyperledger/fabric-gateway');

/** A signer plus what must be released when the ledger closes (the HSM session). */
export interface LedgerSignerHandle {
  readonly certificate: string;
  readonly ledgerSigner: Signer;
  close(): void;
}

/**
 * Loads the certificate and builds the signer.
 * Throws FILE_NOT_FOUND (certificate or key file missing), KEY_STORE_ERROR (unreadable key, HSM
 * unavailable), PASSPHRASE_REQUIRED (HSM PIN not in the environment).
 */
export async function loadLedgerSigner(
  files: FabricIdentityFiles,
  gateway: GatewayModule,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LedgerSignerHandle> {
  const certificate = await readText(files.certPath, 'certificate');
  if ('keyPath' in files) {
    const pem = await readText(files.keyPath, 'private key');
    let key;
    try {
      key = createPrivateKey(pem);
    } catch (err) {
      throw new CredledgerError('KEY_STORE_ERROR', `${files.keyPath} is not a PEM private key`, {
        cause: err,
        details: { path: files.keyPath },
      });
    }
    return { certificate, ledgerSigner: gateway.signers.newPrivateKeySigner(key), close: () => undefined };
  }

  const { library, label } = files.hsm;
  const pinEnv = files.hsm.pinEnv ?? 'CREDLEDGER_HSM_PIN';
  const pin = env[pinEnv];
  if (pin === undefined || pin === '') {
    throw new CredledgerError('PASSPHRASE_REQUIRED', `set ${pinEnv} to the PIN of HSM token "${label}"`, {
      details: { pinEnv, label },
    });
  }
  const identifier =
    files.hsm.identifier === undefined ? subjectKeyIdentifier(certificate) : Buffer.from(files.hsm.identifier, 'hex');
  let factory;
  try {
    factory = gateway.signers.newHSMSignerFactory(library);
  } catch (err) {
    throw new CredledgerError(
      'KEY_STORE_ERROR',
      `cannot load the PKCS#11 library ${library} (is the optional pkcs11js module built? run \`npm rebuild pkcs11js\`)`,
      { cause: err, details: { library } },
    );
  }
  try {
    const { signer, close } = factory.newSigner({ label, pin, identifier });
    return {
      certificate,
      ledgerSigner: signer,
      close: () => {
        close();
        factory.dispose();
      },
    };
  } catch (err) {
    factory.dispose();
    throw new CredledgerError('KEY_STORE_ERROR', `HSM token "${label}" has no usable key for this certificate`, {
      cause: err,
      details: { library, label },
    });
  }
}

/** Fabric's PKCS#11 BCCSP key id: SHA-256 of the uncompressed EC public point, as raw bytes. */
function subjectKeyIdentifier(certificatePem: string): Buffer {
  const jwk = new X509Certificate(certificatePem).publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.x === undefined || jwk.y === undefined) {
    throw new CredledgerError(
      'KEY_STORE_ERROR',
      'HSM identities need an EC certificate; set identity.hsm.identifier otherwise',
    );
  }
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  return createHash('sha256').update(point).digest();
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CredledgerError('FILE_NOT_FOUND', `cannot read the ${what} file ${path}`, {
      cause: err,
      details: { path },
    });
  }
}
