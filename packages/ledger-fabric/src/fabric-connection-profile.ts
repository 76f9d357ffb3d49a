/**
 * The connection file an organisation's Fabric client reads: which peer Gateway to call, how to
 * trust its TLS certificate, who to act as, and which channel and chaincode to use.
 * `network/fabric.sh` writes one per organisation in `network/out/<org>.json`; an agency with its
 * own network writes the same shape (documented in network/README.md).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';

import type { FabricConnectionProfile, FabricIdentityFiles } from '@credledger/ledger';
import { CredledgerError } from '@credledger/verify';

/**
 * Reads and checks a connection file; relative paths in it are taken relative to the file.
 * Throws FILE_NOT_FOUND when the file is missing, CONFIG_INVALID when it is not a connection file.
 */
export async function loadConnectionProfile(path: string): Promise<FabricConnectionProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CredledgerError('FILE_NOT_FOUND', `cannot read Fabric connection file ${path}`, {
      cause: err,
      details: { path },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CredledgerError('CONFIG_INVALID', `Fabric connection file ${path} is not JSON`, {
      cause: err,
      details: { path },
    });
  }
  return parseConnectionProfile(json, dirname(resolve(path)), path);
}

/**
 * Checks an already-parsed connection profile; relative paths resolve against `baseDir`.
 * Throws CONFIG_INVALID naming the first wrong field.
 */
export function parseConnectionProfile(
  json: unknown,
  baseDir: string = process.cwd(),
  source = 'connection profile',
): FabricConnectionProfile {
  const fail = (field: string, expected: string): never => {
    throw new CredledgerError('CONFIG_INVALID', `${source}: ${field} must be ${expected}`, {
      details: { source, field },
    });
  };
  const object = (value: unknown, field: string): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : fail(field, 'an object');
  const text = (value: unknown, field: string): string =>
    typeof value === 'string' && value.length > 0 ? value : fail(field, 'a non-empty string');
  const file = (value: unknown, field: string): string => {
    const path = text(value, field);
    return isAbsolute(path) ? path : resolve(baseDir, path);
  };

  const root = object(json, 'the profile');
  const identity = object(root.identity, 'identity');
  let identityFiles: FabricIdentityFiles;
  if (identity.hsm !== undefined) {
    const hsm = object(identity.hsm, 'identity.hsm');
    const reference: { library: string; label: string; identifier?: string; pinEnv?: string } = {
      library: text(hsm.library, 'identity.hsm.library'),
      label: text(hsm.label, 'identity.hsm.label'),
    };
    if (hsm.identifier !== undefined) {
      reference.identifier = text(hsm.identifier, 'identity.hsm.identifier');
      if (!/^(?:[0-9a-fA-F]{2})+$/.test(reference.identifier)) fail('identity.hsm.identifier', 'hex');
    }
    if (hsm.pinEnv !== undefined) reference.pinEnv = text(hsm.pinEnv, 'identity.hsm.pinEnv');
    identityFiles = { certPath: file(identity.certPath, 'identity.certPath'), hsm: reference };
  } else {
    identityFiles = {
      certPath: file(identity.certPath, 'identity.certPath'),
      keyPath: file(identity.keyPath, 'identity.keyPath'),
    };
  }

  const peerEndpoint = text(root.peerEndpoint, 'peerEndpoint');
  if (!/^[^\s/]+:\d{1,5}$/.test(peerEndpoint)) fail('peerEndpoint', 'host:port');

  const profile: {
    -readonly [K in keyof FabricConnectionProfile]: FabricConnectionProfile[K];
  } = {
    mspId: text(root.mspId, 'mspId'),
    peerEndpoint,
    tlsRootCertPath: file(root.tlsRootCertPath, 'tlsRootCertPath'),
    identity: identityFiles,
    channel: text(root.channel, 'channel'),
    chaincode: text(root.chaincode, 'chaincode'),
  };
  if (root.hostAlias !== undefined) profile.hostAlias = text(root.hostAlias, 'hostAlias');
  if (root.tlsClient !== undefined) {
    const tlsClient = object(root.tlsClient, 'tlsClient');
    profile.tlsClient = {
      certPath: file(tlsClient.certPath, 'tlsClient.certPath'),
      keyPath: file(tlsClient.keyPath, 'tlsClient.keyPath'),
    };
  }
  return profile;
}
