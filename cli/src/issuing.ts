/**
 * What issuing commands share: where an issuer's keys live (encrypted files in the workspace, or a
 * PKCS#11 token the workspace config names), which key signs (the newest one the ledger still lists as
 * active), and a session that signs with it and anchors through the issuer's own organisation.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import type {
  ClosableStatusIndexAllocator,
  CredentialSigner,
  Issuer,
  IssuerKey,
  IssuerSigningKey,
  PublicKeyJwk,
} from '@credledger/issuer';
import type { Registry } from '@credledger/ledger';
import type { IssuerRecord } from '@credledger/vocabulary';

import { cliError } from './context.js';
import { disposeInOrder } from './dispose-in-order.js';
import type { KeyPassphrase } from './passphrase.js';
import { openTokenKey, sameKey } from './token-keys.js';
import { connect, identityForIssuer, type OpenLedger, type TokenKeyReference, type Workspace } from './workspace.js';

/**
 * The workspace's status index: the LevelDB store in `status-index/`, which imports a
 * `status-index.jsonl` of an older workspace on first use (then renamed `status-index.jsonl.migrated`).
 * Opens lazily; the caller closes it. Fails on first use: LEDGER_LOCKED (another command holds it).
 */
export function openStatusIndex(
  workspace: Workspace,
  issuing: typeof import('@credledger/issuer'),
): ClosableStatusIndexAllocator {
  return issuing.statusIndexAllocators.level(workspace.resolve('status-index'), {
    migrateFrom: workspace.resolve('status-index.jsonl'),
  });
}

/** Folder of an issuer's key files: `<keyStore>/<did slug>/`. */
export function issuerKeyDir(workspace: Workspace, did: string): string {
  return join(workspace.resolve(workspace.config.keyStore), encodeURIComponent(did.replace(/^did:web:/, '')));
}

/** File of one key: `<keyStore>/<did slug>/<fragment>.json`. */
export function issuerKeyFile(workspace: Workspace, kid: string): string {
  const [did = '', fragment = ''] = kid.split('#');
  return join(issuerKeyDir(workspace, did), `${encodeURIComponent(fragment)}.json`);
}

/**
 * Generates a key and writes it encrypted with `passphrase` (the command's, `ctx.keyPassphrase`).
 * Fails: PASSPHRASE_REQUIRED, KEY_STORE_ERROR (exists).
 */
export async function createIssuerKey(
  workspace: Workspace,
  passphrase: KeyPassphrase,
  did: string,
  fragment: string,
  alg: 'ES256' | 'EdDSA',
  scryptLogN?: number,
): Promise<IssuerKey> {
  const { generateIssuerKey, writeIssuerKeyFile } = await import('@credledger/issuer');
  const key = generateIssuerKey(alg, { did, fragment });
  await mkdir(issuerKeyDir(workspace, did), { recursive: true, mode: 0o700 });
  await writeIssuerKeyFile(
    issuerKeyFile(workspace, key.kid),
    key,
    await passphrase.read(),
    scryptLogN === undefined ? {} : { scryptLogN },
  );
  return key;
}

/** The next unused `key-N` fragment of an issuer (by the ledger record, the local files and the token keys). */
export async function nextKeyFragment(workspace: Workspace, issuer: IssuerRecord): Promise<string> {
  const used = new Set(issuer.keys.map((key) => key.kid.split('#')[1]));
  const dir = issuerKeyDir(workspace, issuer.did);
  if (existsSync(dir)) for (const file of await readdir(dir)) used.add(decodeURIComponent(file.replace(/\.json$/, '')));
  for (const kid of Object.keys(workspace.config.issuers[issuer.did]?.pkcs11Keys ?? {})) used.add(kid.split('#')[1]);
  for (let n = 1; ; n++) if (!used.has(`key-${n}`)) return `key-${n}`;
}

/** An issuer's signing key, wherever it is; disposing releases it (closes the token). */
export interface SigningKey extends AsyncDisposable {
  readonly kid: string;
  readonly alg: IssuerKey['alg'];
  readonly publicKeyJwk: PublicKeyJwk;
  /** What the sdk's issuer takes: the private key in this process (file keys), or the token's signer. */
  readonly issuerKey: IssuerSigningKey;
  /** did-jwt's `Signer` over the same key, for status lists and trust lists. */
  readonly credentialSigner: CredentialSigner;
  /** Where the private key is: the token, or undefined for an encrypted key file of the workspace. */
  readonly token?: TokenKeyReference;
}

/**
 * The issuer's signing key: the newest registered key with no end of validity and no compromise that
 * this workspace holds, as an encrypted key file (decrypted here) or in a PKCS#11 token (opened here;
 * its public key must be the one the ledger lists under that key id). A key file is decrypted with
 * `passphrase` (the command's, `ctx.keyPassphrase`).
 * Fails: KEY_NOT_FOUND, PASSPHRASE_REQUIRED/WRONG; PKCS11_* for a token key.
 */
export async function loadSigningKey(
  workspace: Workspace,
  issuer: IssuerRecord,
  passphrase: KeyPassphrase,
): Promise<SigningKey> {
  const issuing = await import('@credledger/issuer');
  const active = issuer.keys
    .filter((key) => key.validUntil === null && key.compromisedSince === null)
    .sort((a, b) => b.validFrom.localeCompare(a.validFrom));
  const inTokens = workspace.config.issuers[issuer.did]?.pkcs11Keys ?? {};
  for (const registered of active) {
    const reference = Object.hasOwn(inTokens, registered.kid) ? inTokens[registered.kid] : undefined;
    if (reference !== undefined) {
      const opened = await openTokenKey(reference);
      if (!sameKey(opened.key.publicKeyJwk, registered.publicKeyJwk)) {
        await opened[Symbol.asyncDispose]();
        throw cliError('PKCS11_KEY_UNSUITABLE', 'notTheLedgersKey', {
          keyLabel: JSON.stringify(reference.keyLabel),
          token: JSON.stringify(reference.token),
          kid: registered.kid,
        });
      }
      const { key } = opened;
      return {
        kid: registered.kid,
        alg: key.alg,
        publicKeyJwk: key.publicKeyJwk,
        issuerKey: { kid: registered.kid, alg: key.alg, credentialSigner: key.credentialSigner },
        credentialSigner: key.credentialSigner,
        token: reference,
        [Symbol.asyncDispose]: () => opened[Symbol.asyncDispose](),
      };
    }
    const file = issuerKeyFile(workspace, registered.kid);
    if (existsSync(file)) {
      const key = await issuing.readIssuerKeyFile(file, await passphrase.read());
      return {
        kid: key.kid,
        alg: key.alg,
        publicKeyJwk: key.publicKeyJwk,
        issuerKey: key,
        credentialSigner: issuing.nodeCredentialSigner(key.privateKey),
        [Symbol.asyncDispose]: () => Promise.resolve(),
      };
    }
  }
  throw cliError('KEY_NOT_FOUND', 'noSigningKey', { did: issuer.did });
}

/** An open ledger connection acting for one issuer, and the sdk issuer that signs and anchors for it. */
export interface IssuingSession extends AsyncDisposable {
  readonly registry: Registry;
  readonly record: IssuerRecord;
  readonly key: SigningKey;
  readonly issuer: Issuer;
}

export interface IssuingOptions {
  /** Credentials per anchoring transaction (1..2000); default the sdk's 2,000. */
  readonly anchorBatchSize?: number;
}

/**
 * Opens the ledger as the issuer's operator, its signing key (decrypted with `passphrase`, or in its
 * token) and creates the sdk issuer.
 * Fails: WORKSPACE_NOT_FOUND, ISSUER_NOT_FOUND, LEDGER_LOCKED, KEY_NOT_FOUND, PASSPHRASE_*, PKCS11_*.
 */
export async function openIssuing(
  workspace: Workspace,
  issuerDid: string,
  as: string | undefined,
  passphrase: KeyPassphrase,
  options: IssuingOptions = {},
): Promise<IssuingSession> {
  const opened: OpenLedger = await connect(workspace, identityForIssuer(workspace, issuerDid, as));
  try {
    const [issuing, { Registry }] = await Promise.all([import('@credledger/issuer'), import('@credledger/ledger')]);
    const registry = new Registry(opened.ledger);
    const record = await registry.getIssuer(issuerDid);
    const key = await loadSigningKey(workspace, record, passphrase);
    const statusAllocator = openStatusIndex(workspace, issuing);
    try {
      // Signing workers start on the first large batch, so a session that signs one credential never pays for them.
      const issuer = issuing.createIssuer({
        registry,
        issuerDid,
        key: key.issuerKey,
        statusAllocator,
        statusBaseUrl: workspace.config.statusBaseUrl,
        ...(options.anchorBatchSize === undefined ? {} : { anchorBatchSize: options.anchorBatchSize }),
      });
      return {
        registry,
        record,
        key,
        issuer,
        // Nothing allocates once the issuer is closed; the token closes last, so nothing signs after the
        // ledger connection is gone. Each is closed even when an earlier close failed.
        [Symbol.asyncDispose]: () =>
          disposeInOrder([
            () => issuer.close(),
            () => statusAllocator.close(),
            () => opened[Symbol.asyncDispose](),
            () => key[Symbol.asyncDispose](),
          ]),
      };
    } catch (error) {
      // The failure to start is what the operator needs to see; a failure to close after it is not.
      await disposeInOrder([() => statusAllocator.close(), () => key[Symbol.asyncDispose]()]).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    await opened[Symbol.asyncDispose]();
    throw error;
  }
}
