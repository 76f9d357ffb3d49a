/**
 * Creating a workspace (for `init` and `demo`): the config file, and for the embedded backend the
 * ledger with its local organisations and the chaincode's one-time Init naming the governance MSP.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import type { IdentityKeyProtection } from '@credledger/ledger';

import { cliError } from './context.js';
import { identityKeys } from './passphrase.js';
import { quoted } from './quoted.js';
import { backendMissing, configFileName, defaultConfig, saveConfig, type WorkspaceConfig } from './workspace.js';

export interface InitRequest {
  readonly dir: string;
  /** `embedded` or `fabric` (as given on the command line: anything else is refused). */
  readonly backend: string;
  /** Fabric connection files (one per organisation); ignored for embedded. */
  readonly connections: readonly string[];
  readonly port: number;
  /** Keyring passphrases of the new ledger's organisations; default: environment, then a prompt. */
  readonly identityKeys?: IdentityKeyProtection;
}

export interface InitResult {
  readonly dir: string;
  readonly backend: 'embedded' | 'fabric';
  /** Identities the workspace can act as (`MspId/user`, or MSP ids for Fabric). */
  readonly identities: readonly string[];
  /** Identities whose keys are sealed under their organisation's passphrase (embedded). */
  readonly sealed: readonly string[];
  readonly config: WorkspaceConfig;
}

/** The governance organisation of a new embedded ledger. */
export const governanceMspIds = ['NdcMSP'];

/** Creates a workspace. Fails: WORKSPACE_EXISTS, INVALID_INPUT, and the ledger's errors. */
export async function initWorkspace(request: InitRequest): Promise<InitResult> {
  const dir = resolve(request.dir);
  if (existsSync(resolve(dir, configFileName))) {
    throw cliError('WORKSPACE_EXISTS', 'holdsConfig', { dir, file: configFileName });
  }
  if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535) {
    throw cliError('INVALID_INPUT', 'initPort', { value: await quoted(request.port) });
  }
  const ledger = await import('@credledger/ledger');

  if (request.backend === 'fabric') {
    if (request.connections.length === 0) throw cliError('INVALID_INPUT', 'fabricNeedsConnection', {});
    const connections: Record<string, string> = {};
    for (const file of request.connections) {
      const profile = await ledger.loadConnectionProfile(file).catch((error: unknown) => {
        throw backendMissing(error);
      });
      connections[profile.mspId] = resolve(file);
    }
    // Reads go through the organisation of the first connection file: the workspace's own.
    const [reader] = Object.keys(connections);
    const config = {
      ...defaultConfig({ backend: 'fabric', connections }, request.port),
      ...(reader === undefined ? {} : { reader }),
    };
    await saveConfig(dir, config);
    return { dir, backend: 'fabric', identities: Object.keys(connections), sealed: [], config };
  }
  if (request.backend !== 'embedded')
    throw cliError('INVALID_INPUT', 'ledgerBackend', { value: await quoted(request.backend) });

  const config = defaultConfig({ backend: 'embedded', directory: 'ledger' }, request.port);
  // Every organisation's new passphrase is asked and checked before anything is written.
  const source = request.identityKeys ?? identityKeys();
  const chosen = new Map<string, string>();
  for (const org of ledger.defaultOrgs) {
    const passphrase = await source.passphrase(org.mspId, 'new');
    (await import('@credledger/keys')).assertNewPassphrase(passphrase);
    chosen.set(org.mspId, passphrase);
  }
  let identities: string[];
  let sealed: string[];
  {
    await using network = await ledger.ledgers
      .embedded({
        directory: resolve(dir, config.ledger.backend === 'embedded' ? config.ledger.directory : 'ledger'),
        identityKeys: {
          ...(source.scryptLogN === undefined ? {} : { scryptLogN: source.scryptLogN }),
          passphrase: (mspId, purpose) => chosen.get(mspId) ?? source.passphrase(mspId, purpose),
        },
      })
      .catch((error: unknown) => {
        throw backendMissing(error);
      });
    identities = network.identities().map((identity) => identity.name);
    sealed = network
      .identities()
      .filter((identity) => identity.sealed)
      .map((identity) => identity.name);
    await using governance = network.connect(config.governance);
    await new ledger.Registry(governance).init({ governanceMspIds });
  }
  // The config is written last: a workspace with a config always has an initialised ledger.
  await saveConfig(dir, config);
  return { dir, backend: 'embedded', identities, sealed, config };
}
