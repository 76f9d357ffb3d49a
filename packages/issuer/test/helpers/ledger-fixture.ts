/** Opens embedded networks running the fixture chaincode, in temporary directories. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgers, type EmbeddedNetwork, type EmbeddedNetworkOptions } from '@credledger/ledger';

const require = createRequire(import.meta.url);

/** The fixture chaincode's contract classes, loaded once fabric-shim is contained. */
export const fixtureContracts = async (): Promise<readonly unknown[]> =>
  (require('../fixtures/test-chaincode.cjs') as { contracts: unknown[] }).contracts;

export async function tempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `credledger-${label}-`));
}

/** An embedded network with the fixture chaincode in a fresh temporary directory, removed on close. */
export async function openFixtureNetwork(
  options: Partial<EmbeddedNetworkOptions> = {},
): Promise<{ network: EmbeddedNetwork; directory: string; dispose: () => Promise<void> }> {
  const directory = options.directory ?? (await tempDir('ledger'));
  const network = await ledgers.embedded({
    chaincodeName: 'fixture',
    contracts: fixtureContracts,
    ...options,
    directory,
  });
  return {
    network,
    directory,
    dispose: async () => {
      await network.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
