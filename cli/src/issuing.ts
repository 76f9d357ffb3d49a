/**
 * What issuing commands share: where an issuer's encrypted keys live in the workspace, which key
 * signs (the newest one the ledger still lists as active), and a session that signs with it and
 * anchors through the issuer's own organisation.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { Issuer, IssuerKey, IssuerRecord, Registry } from '@credledger/sdk';

import { cliError } from './context.js';
import { passphrase } from './passphrase.js';
import { connect, identityForIssuer, type OpenLedger, type Workspace } from './workspace.js';

/** Folder of an issuer's key files: `<keyStore>/<did slug>/`. */
export function issuerKeyDir(workspace: Workspace, did: string): string {
  return join(workspace.resolve(workspace.config.keyStore), encodeURIComponent(did.replace(/^did:web:/, '')));
}

/** File of one key: `<keyStore>/<did slug>/<fragment>.json`. */
export function issuerKeyFile(workspace: Workspace, kid: string): string {
  const [did = '', fragment = ''] = kid.split('#');
  return join(issuerKeyDir(workspace, did), `${encodeURIComponent(fragment)}.json`);
}

/** Generates a key and writes it encrypted. Fails: PASSPHRASE_REQUIRED, KEY_STORE_ERROR (exists). */
export async function createIssuerKey(
  workspace: Workspace,
  did: string,
  fragment: string,
  alg: 'ES256' | 'EdDSA',
  scryptLogN?: number,
): Promise<IssuerKey> {
  const { generateIssuerKey, writeIssuerKeyFile } = await import('@credledger/sdk');
  const key = generateIssuerKey(alg, { did, fragment });
  await mkdir(issuerKeyDir(workspace, did), { recursive: true, mode: 0o700 });
  await writeIssuerKeyFile(
    issuerKeyFile(workspace, key.kid),
    key,
    await passphrase(),
    scryptLogN === undefined ? {} : { scryptLogN },
  );
  return key;
}

/** The next unused `key-N` fragment of an issuer (by the ledger record and the local files). */
export async function nextKeyFragment(workspace: Workspace, issuer: IssuerRecord): Promise<string> {
  const used = new Set(issuer.keys.map((key) => key.kid.split('#')[1]));
  const dir = issuerKeyDir(workspace, issuer.did);
  if (existsSync(dir)) for (const file of await readdir(dir)) used.add(decodeURIComponent(file.replace(/\.json$/, '')));
  for (let n = 1; ; n++) if (!used.has(`key-${n}`)) return `key-${n}`;
}

/**
 * Decrypts the issuer's signing key: the newest registered key with no end of validity and no
 * compromise, whose file this workspace holds. Fails: KEY_NOT_FOUND, PASSPHRASE_REQUIRED/WRONG.
 */
export async function loadSigningKey(workspace: Workspace, issuer: IssuerRecord): Promise<IssuerKey> {
  const { readIssuerKeyFile } = await import('@credledger/sdk');
  const active = issuer.keys
    .filter((key) => key.validUntil === null && key.compromisedSince === null)
    .sort((a, b) => b.validFrom.localeCompare(a.validFrom));
  for (const key of active) {
    const file = issuerKeyFile(workspace, key.kid);
    if (existsSync(file)) return readIssuerKeyFile(file, await passphrase());
  }
  throw cliError('KEY_NOT_FOUND', 'noSigningKey', { did: issuer.did });
}

/** An open ledger connection acting for one issuer, and the sdk issuer that signs and anchors for it. */
export interface IssuingSession extends AsyncDisposable {
  readonly registry: Registry;
  readonly record: IssuerRecord;
  readonly key: IssuerKey;
  readonly issuer: Issuer;
}

export interface IssuingOptions {
  /** Credentials per anchoring transaction (1..2000); default the sdk's 2,000. */
  readonly anchorBatchSize?: number;
}

/**
 * Opens the ledger as the issuer's operator, decrypts its signing key and creates the sdk issuer.
 * Fails: WORKSPACE_NOT_FOUND, ISSUER_NOT_FOUND, LEDGER_LOCKED, KEY_NOT_FOUND, PASSPHRASE_*.
 */
export async function openIssuing(
  workspace: Workspace,
  issuerDid: string,
  as: string | undefined,
  options: IssuingOptions = {},
): Promise<IssuingSession> {
  const opened: OpenLedger = await connect(workspace, identityForIssuer(workspace, issuerDid, as));
  try {
    const sdk = await import('@credledger/sdk');
    const registry = new sdk.Registry(opened.ledger);
    const record = await registry.getIssuer(issuerDid);
    const key = await loadSigningKey(workspace, record);
    // Signing workers start on the first large batch, so a session that signs one credential never pays for them.
    const issuer = sdk.createIssuer({
      registry,
      issuerDid,
      key,
      statusAllocator: sdk.statusIndexAllocators.file(workspace.resolve('status-index.jsonl')),
      statusBaseUrl: workspace.config.statusBaseUrl,
      ...(options.anchorBatchSize === undefined ? {} : { anchorBatchSize: options.anchorBatchSize }),
    });
    return {
      registry,
      record,
      key,
      issuer,
      [Symbol.asyncDispose]: async () => {
        await issuer.close();
        await opened[Symbol.asyncDispose]();
      },
    };
  } catch (error) {
    await opened[Symbol.asyncDispose]();
    throw error;
  }
}
