/**
 * Creating a workspace (for `init` and `demo`): the config file, and for the embedded backend the
 * ledger with its local organisations and the chaincode's one-time Init naming the governance MSP.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { cliError } from './context.js';
import { quoted } from './quoted.js';
import { configFileName, defaultConfig, saveConfig, type WorkspaceConfig } from './workspace.js';

export interface InitRequest {
  readonly dir: string;
  /** `embedded` or `fabric` (as given on the command line: anything else is refused). */
  readonly backend: string;
  /** Fabric connection files (one per organisation); ignored for embedded. */
  readonly connections: readonly string[];
  readonly port: number;
}

export interface InitResult {
  readonly dir: string;
  readonly backend: 'embedded' | 'fabric';
  /** Identities the workspace can act as (`MspId/user`, or MSP ids for Fabric). */
  readonly identities: readonly string[];
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
  const sdk = await import('@credledger/sdk');

  if (request.backend === 'fabric') {
    if (request.connections.length === 0) throw cliError('INVALID_INPUT', 'fabricNeedsConnection', {});
    const connections: Record<string, string> = {};
    for (const file of request.connections) {
      const profile = await sdk.loadConnectionProfile(file);
      connections[profile.mspId] = resolve(file);
    }
    const config = defaultConfig({ backend: 'fabric', connections }, request.port);
    await saveConfig(dir, config);
    return { dir, backend: 'fabric', identities: Object.keys(connections), config };
  }
  if (request.backend !== 'embedded')
    throw cliError('INVALID_INPUT', 'ledgerBackend', { value: await quoted(request.backend) });

  const config = defaultConfig({ backend: 'embedded', directory: 'ledger' }, request.port);
  let identities: string[];
  {
    await using network = await sdk.ledgers.embedded({
      directory: resolve(dir, config.ledger.backend === 'embedded' ? config.ledger.directory : 'ledger'),
    });
    identities = network.identities().map((identity) => identity.name);
    await using ledger = network.connect(config.governance);
    await new sdk.Registry(ledger).init({ governanceMspIds });
  }
  // The config is written last: a workspace with a config always has an initialised ledger.
  await saveConfig(dir, config);
  return { dir, backend: 'embedded', identities, config };
}
