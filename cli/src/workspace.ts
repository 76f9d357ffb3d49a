/**
 * The operator's workspace: a folder with `credledger.json` (which ledger, which identities act for
 * which issuer, where issuer keys and outputs live) plus, for the embedded backend, the ledger itself.
 * Commands find it by `--workspace`, then CREDLEDGER_WORKSPACE, then the nearest `credledger.json`
 * from the current directory upwards (as git finds `.git`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';

import type {
  IdentityKeyProtection,
  Ledger,
  LedgerConfig as OpenLedgerConfig,
  LedgerNetwork,
} from '@credledger/ledger';

import { cliError } from './context.js';
import { identityKeys } from './passphrase.js';

export const configFileName = 'credledger.json';

export type LedgerConfig =
  | { readonly backend: 'embedded'; readonly directory: string }
  /**
   * One Fabric connection file per organisation, by MSP id; how long a submit keeps re-sending through
   * an ordering failure (the sdk's default, 30 s, when absent; 0: never).
   */
  | {
      readonly backend: 'fabric';
      readonly connections: Readonly<Record<string, string>>;
      readonly orderingRetrySeconds?: number;
    };

export interface IssuerConfig {
  /** Identity that acts for the issuer (`MojMSP/operator`). */
  readonly identity: string;
  /** Types it may issue (copied from its registration, to pick the issuer of a type without a ledger read). */
  readonly credentialTypes: readonly string[];
  /** Keys of the issuer held in a PKCS#11 token, by key id (`did:web:moj.gov.tw#key-2`): where, never the PIN. */
  readonly pkcs11Keys?: Readonly<Record<string, TokenKeyReference>>;
}

/** Where a key in a PKCS#11 token is: the module (the vendor's library), the token's label, the key's label. */
export interface TokenKeyReference {
  readonly module: string;
  readonly token: string;
  readonly keyLabel: string;
}

export interface WorkspaceConfig {
  readonly version: 1;
  readonly ledger: LedgerConfig;
  /** Identity for governance transactions (register issuers, manage their keys). */
  readonly governance: string;
  /**
   * Identity reads go through unless told (`--as`): written by `init` for a Fabric workspace as the
   * organisation of its first connection file (`MojMSP`), so an agency's workspace reads through its own
   * peer before it operates any issuer (decision 0022). Absent: readerIdentity infers it.
   */
  readonly reader?: string;
  /** Issuers this workspace operates, by DID. */
  readonly issuers: Readonly<Record<string, IssuerConfig>>;
  /** Folder of the encrypted issuer key store. */
  readonly keyStore: string;
  /** Base URL of the verifier page: QR links are `<verifierBaseUrl>#<credential>`. */
  readonly verifierBaseUrl: string;
  /** Base URL where status lists are published (`<statusBaseUrl>/status/<issuer>/<purpose>`). */
  readonly statusBaseUrl: string;
  /** Folder of published status lists and trust list: `verify` reads status there, offline, by default. */
  readonly statusDir?: string;
}

/** The governance keys `verify` pins offline, kept in the workspace (written by `trust-list export`). */
export const governanceKeysFileName = 'governance-keys.json';

/** The signed trust list's file name in a published folder. */
export const trustListFileName = 'trust-list.jwt';

export interface Workspace {
  readonly dir: string;
  readonly config: WorkspaceConfig;
  /** A path from the config, resolved against the workspace folder. */
  resolve(path: string): string;
}

/** Default config of a new workspace; `init` writes it. */
export function defaultConfig(ledger: LedgerConfig, port = 8080): WorkspaceConfig {
  return {
    version: 1,
    ledger,
    governance: 'NdcMSP/admin',
    issuers: {},
    keyStore: 'keys',
    verifierBaseUrl: `http://localhost:${port}/`,
    statusBaseUrl: `http://localhost:${port}`,
  };
}

/** Where the workspace is, without reading it: `--workspace`, CREDLEDGER_WORKSPACE, else search upwards. */
export function locateWorkspace(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = flag ?? env.CREDLEDGER_WORKSPACE;
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  let dir = process.cwd();
  for (;;) {
    if (existsSync(join(dir, configFileName))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Opens the workspace. Fails: WORKSPACE_NOT_FOUND, CONFIG_INVALID. */
export function openWorkspace(flag: string | undefined): Workspace {
  const dir = locateWorkspace(flag);
  const file = dir === undefined ? undefined : join(dir, configFileName);
  if (dir === undefined || file === undefined || !existsSync(file)) {
    throw dir === undefined
      ? cliError('WORKSPACE_NOT_FOUND', 'upwards', { file: configFileName })
      : cliError('WORKSPACE_NOT_FOUND', 'inDir', { file: configFileName, dir });
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw cliError('CONFIG_INVALID', 'notValidJson', { file });
  }
  return { dir, config: parseConfig(json, file), resolve: (path) => (isAbsolute(path) ? path : join(dir, path)) };
}

function parseConfig(json: unknown, file: string): WorkspaceConfig {
  const fail = (field: string): never => {
    throw cliError('CONFIG_INVALID', 'field', { file, field });
  };
  const object = (value: unknown, field: string): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : fail(field);
  const text = (value: unknown, field: string): string =>
    typeof value === 'string' && value !== '' ? value : fail(field);

  const root = object(json, 'the file');
  if (root.version !== 1) fail('version');
  const ledgerJson = object(root.ledger, 'ledger');
  let ledger: LedgerConfig;
  if (ledgerJson.backend === 'embedded') {
    ledger = { backend: 'embedded', directory: text(ledgerJson.directory, 'ledger.directory') };
  } else if (ledgerJson.backend === 'fabric') {
    const connections = object(ledgerJson.connections, 'ledger.connections');
    const retry = ledgerJson.orderingRetrySeconds;
    if (retry !== undefined && (typeof retry !== 'number' || !Number.isFinite(retry) || retry < 0)) {
      throw cliError('CONFIG_INVALID', 'orderingRetrySeconds', { file });
    }
    ledger = {
      backend: 'fabric',
      connections: Object.fromEntries(
        Object.entries(connections).map(([msp, path]) => [msp, text(path, `ledger.connections.${msp}`)]),
      ),
      ...(typeof retry === 'number' ? { orderingRetrySeconds: retry } : {}),
    };
  } else {
    return fail('ledger.backend');
  }
  const issuersJson = object(root.issuers ?? {}, 'issuers');
  const issuers = Object.fromEntries(
    Object.entries(issuersJson).map(([did, value]) => {
      const entry = object(value, `issuers.${did}`);
      const types = Array.isArray(entry.credentialTypes)
        ? entry.credentialTypes.map((type, i) => text(type, `issuers.${did}.credentialTypes[${i}]`))
        : [];
      const tokenKeys =
        entry.pkcs11Keys === undefined
          ? undefined
          : Object.fromEntries(
              Object.entries(object(entry.pkcs11Keys, `issuers.${did}.pkcs11Keys`)).map(([kid, ref]) => {
                const field = `issuers.${did}.pkcs11Keys.${kid}`;
                const key = object(ref, field);
                return [
                  kid,
                  {
                    module: text(key.module, `${field}.module`),
                    token: text(key.token, `${field}.token`),
                    keyLabel: text(key.keyLabel, `${field}.keyLabel`),
                  },
                ];
              }),
            );
      return [
        did,
        {
          identity: text(entry.identity, `issuers.${did}.identity`),
          credentialTypes: types,
          ...(tokenKeys === undefined ? {} : { pkcs11Keys: tokenKeys }),
        },
      ];
    }),
  );
  return {
    version: 1,
    ledger,
    governance: text(root.governance, 'governance'),
    ...(root.reader === undefined ? {} : { reader: text(root.reader, 'reader') }),
    issuers,
    keyStore: text(root.keyStore, 'keyStore'),
    verifierBaseUrl: text(root.verifierBaseUrl, 'verifierBaseUrl'),
    statusBaseUrl: text(root.statusBaseUrl, 'statusBaseUrl'),
    ...(root.statusDir === undefined ? {} : { statusDir: text(root.statusDir, 'statusDir') }),
  };
}

/** Writes the config atomically (temp file + rename), so a kill never leaves half a file. */
export async function saveConfig(dir: string, config: WorkspaceConfig): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, configFileName);
  await writeFile(`${file}.tmp`, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o644 });
  await rename(`${file}.tmp`, file);
}

/** A workspace with one issuer's acting identity recorded. */
export function withIssuer(config: WorkspaceConfig, did: string, issuer: IssuerConfig): WorkspaceConfig {
  return { ...config, issuers: { ...config.issuers, [did]: issuer } };
}

/** A workspace that knows where one of an issuer's keys is in a PKCS#11 token. Fails: ISSUER_NOT_FOUND. */
export function withTokenKey(
  config: WorkspaceConfig,
  did: string,
  kid: string,
  reference: TokenKeyReference,
): WorkspaceConfig {
  const issuer = config.issuers[did];
  if (issuer === undefined) throw cliError('ISSUER_NOT_FOUND', 'notOperated', { did });
  return withIssuer(config, did, { ...issuer, pkcs11Keys: { ...issuer.pkcs11Keys, [kid]: reference } });
}

/** `--issuer`, else the one issuer of this workspace that may issue `type`. Fails: ISSUER_NOT_FOUND, INVALID_INPUT. */
export function issuerForType(workspace: Workspace, type: string, flag: string | undefined): string {
  if (flag !== undefined) return flag;
  const candidates = Object.entries(workspace.config.issuers).filter(([, issuer]) =>
    issuer.credentialTypes.includes(type),
  );
  const [only] = candidates;
  if (only !== undefined && candidates.length === 1) return only[0];
  throw candidates.length === 0
    ? cliError('ISSUER_NOT_FOUND', 'noneForType', { type })
    : cliError('INVALID_INPUT', 'severalIssuers', { type });
}

/** The identity acting for an issuer: `--as`, else the workspace's record of it. Fails: ISSUER_NOT_FOUND. */
export function identityForIssuer(workspace: Workspace, did: string, as: string | undefined): string {
  if (as !== undefined) return as;
  const known = workspace.config.issuers[did];
  if (!known) throw cliError('ISSUER_NOT_FOUND', 'notOperated', { did });
  return known.identity;
}

/**
 * The identity a command reads the ledger as when it is not told (`--as`): the workspace's `reader` when
 * it names one (a Fabric workspace's own organisation, written by `init`); else one of the workspace's own
 * organisation — the identity of its first issuer — so that reads go through its own peer and need no
 * other organisation's identity or connection file (decision 0022); `NdcMSP/auditor` only for a workspace
 * that operates no issuer. On the embedded ledger, that organisation's read-only `auditor` when it has
 * one: its key is not sealed, so reads never ask for a passphrase (decision 0020).
 */
export function readerIdentity(workspace: Workspace, as: string | undefined): string {
  if (as !== undefined) return as;
  if (workspace.config.reader !== undefined) return workspace.config.reader;
  const first = Object.values(workspace.config.issuers)[0];
  if (first === undefined) return 'NdcMSP/auditor';
  const ledger = workspace.config.ledger;
  const mspId = first.identity.split('/')[0] ?? '';
  const auditor = `${mspId}/auditor`;
  if (
    ledger.backend === 'embedded' &&
    existsSync(join(workspace.resolve(ledger.directory), 'msp', mspId, 'users', 'auditor.pem'))
  )
    return auditor;
  return first.identity;
}

/** How a command shares an embedded ledger with other commands (the ledger's `sharing`). */
export interface LedgerOpenOptions {
  /** Keyring passphrases of the embedded ledger's organisations; default: environment, then a prompt. */
  readonly identityKeys?: IdentityKeyProtection;
  /**
   * Default: hold the ledger, or act through the `serve` (or `watch`) that holds it. Long-running
   * commands serve the others while they hold it: `serve` must hold it, `watch` either.
   */
  readonly sharing?: 'serve' | 'serve-or-reach';
}

/** What `openLedger` is given for this workspace's ledger. */
export function ledgerConfigOf(workspace: Workspace, options: LedgerOpenOptions = {}): OpenLedgerConfig {
  const config = workspace.config.ledger;
  if (config.backend === 'embedded') {
    return {
      backend: 'embedded',
      directory: workspace.resolve(config.directory),
      create: false,
      identityKeys: options.identityKeys ?? identityKeys(),
      ...(options.sharing === undefined ? {} : { sharing: options.sharing }),
    };
  }
  return {
    backend: 'fabric',
    connections: Object.fromEntries(
      Object.entries(config.connections).map(([mspId, file]) => [mspId, workspace.resolve(file)]),
    ),
    idempotentTransactions: ['CredentialContract:IssueCredentials'],
    ...(config.orderingRetrySeconds === undefined
      ? {}
      : { orderingRetry: { totalMs: config.orderingRetrySeconds * 1000 } }),
  };
}

/**
 * Opens the workspace's ledger through `@credledger/ledger` (which loads the backend, and with it
 * fabric-shim or fabric-gateway, here and never at start-up). An embedded ledger another command holds
 * (`serve`) is reached through it.
 * Fails: LEDGER_LOCKED, LEDGER_UNAVAILABLE, LEDGER_CORRUPT; CONFIG_INVALID for an identity of an
 * organisation the workspace has no Fabric connection file for.
 */
export async function openLedgers(workspace: Workspace, options: LedgerOpenOptions = {}): Promise<LedgerNetwork> {
  const { openLedger } = await import('@credledger/ledger');
  const network = await openLedger(ledgerConfigOf(workspace, options)).catch((error: unknown) => {
    throw backendMissing(error);
  });
  const config = workspace.config.ledger;
  if (config.backend === 'embedded') return network;
  // The workspace's own words for an organisation it has no connection file for.
  return {
    ...network,
    connect: (identity) => {
      const mspId = identity.split('/')[0] ?? identity;
      if (!Object.hasOwn(config.connections, mspId)) {
        return Promise.reject(cliError('CONFIG_INVALID', 'noConnection', { mspId }));
      }
      return network.connect(identity);
    },
  };
}

/** A backend package that is not installed, in the CLI's words (with what to do); anything else unchanged. */
export function backendMissing(error: unknown): unknown {
  const details = (error as { details?: { package?: unknown } } | null)?.details;
  if (
    (error as { code?: unknown } | null)?.code === 'CONFIG_INVALID' &&
    typeof details?.package === 'string' &&
    details.package.startsWith('@credledger/ledger-')
  )
    return cliError('CONFIG_INVALID', 'backendMissing', { package: details.package });
  return error;
}

/** An open ledger connection and everything to release with it. */
export interface OpenLedger extends AsyncDisposable {
  readonly ledger: Ledger;
  readonly ledgers: LedgerNetwork;
}

/** Opens the workspace's ledger and connects as one identity. */
export async function connect(
  workspace: Workspace,
  identity: string,
  options: LedgerOpenOptions = {},
): Promise<OpenLedger> {
  const ledgers = await openLedgers(workspace, options);
  try {
    const ledger = await ledgers.connect(identity);
    return { ledger, ledgers, [Symbol.asyncDispose]: () => ledgers[Symbol.asyncDispose]() };
  } catch (error) {
    await ledgers[Symbol.asyncDispose]();
    throw error;
  }
}
