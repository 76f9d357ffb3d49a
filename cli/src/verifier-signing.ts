/**
 * `serve --wallet --verifier-certificate <file> --verifier-key <file>`: the verifier's certificate chain
 * and P-256 key, read once at start, for signed presentation requests (`x509_san_dns:`, decision 0042).
 * What they must be — a P-256 key that is the leaf's, a leaf naming the server's host and valid now — is
 * checked by `@credledger/oid4vc` when the verifier starts.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { cliError } from './context.js';
import { quoted } from './quoted.js';

export interface VerifierSigning {
  readonly privateKey: KeyObject;
  /** The PEM chain, leaf first. */
  readonly certificates: string;
}

/** Fails: FILE_NOT_FOUND (either file unreadable), CONFIG_INVALID (the key not an unencrypted PEM private key). */
export async function readVerifierSigning(certificateFile: string, keyFile: string): Promise<VerifierSigning> {
  const read = async (file: string): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch {
      throw cliError('FILE_NOT_FOUND', 'cannotRead', { file: await quoted(file) });
    }
  };
  const [certificates, keyPem] = [await read(certificateFile), await read(keyFile)];
  try {
    return { privateKey: createPrivateKey(keyPem), certificates };
  } catch {
    throw cliError('CONFIG_INVALID', 'verifierKey', { file: await quoted(keyFile) });
  }
}
