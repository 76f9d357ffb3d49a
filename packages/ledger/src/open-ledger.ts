/**
 * `openLedger`: one function for every backend. Each backend is a package of its own, imported here
 * only when a ledger of its kind is opened, so a Fabric user never loads fabric-shim or LevelDB and an
 * embedded user never loads gRPC; a backend that is not installed is named in the error.
 */
import { CredledgerError } from '@credledger/verify';

import type { EmbeddedBackend, FabricBackend } from './backend-contract.js';
import type { EmbeddedNetwork, EmbeddedNetworkOptions } from './embedded-types.js';
import type { FabricLedger, FabricLedgerOptions } from './fabric-types.js';
import type { Ledger } from './ledger.js';
import type { LedgerConfig, LedgerNetwork } from './network.js';

/**
 * Imports a backend package, or says which package to install. The name is a variable on purpose: the
 * backends depend on this package, so its build must not need theirs (backend-contract.ts types them).
 */
async function backend<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    // Only the backend itself missing, not a package the backend imports (whose error names the
    // backend's path as the importer).
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(`Cannot find package '${name}'`)) {
      throw new CredledgerError(
        'CONFIG_INVALID',
        `this ledger needs ${name}, which is not installed: npm install ${name}`,
        {
          details: { package: name },
        },
      );
    }
    throw error;
  }
}

/** `@credledger/ledger-embedded`, loaded on first use. Fails: CONFIG_INVALID when it is not installed. */
export const loadEmbeddedBackend = (): Promise<EmbeddedBackend> => backend('@credledger/ledger-embedded');

/** `@credledger/ledger-fabric`, loaded on first use. Fails: CONFIG_INVALID when it is not installed. */
export const loadFabricBackend = (): Promise<FabricBackend> => backend('@credledger/ledger-fabric');

/**
 * Opens a ledger network: the embedded ledger in a folder, or a Fabric network through each
 * organisation's connection file. The same interface for both.
 * Fails: CONFIG_INVALID (bad options, backend not installed), and each backend's own failures
 * (embedded: LEDGER_LOCKED, LEDGER_UNAVAILABLE, LEDGER_CORRUPT).
 * @example
 * await using network = await openLedger({ backend: 'embedded', directory: '.credledger/ledger' });
 * const registry = new Registry(await network.connect('MojMSP/operator'));
 */
export async function openLedger(config: LedgerConfig): Promise<LedgerNetwork> {
  const open: Ledger[] = [];
  // Every connection is closed even when one fails to; the first failure is reported.
  const closeAll = async (): Promise<void> => {
    const results = await Promise.allSettled(open.splice(0).map((ledger) => ledger.close()));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  };
  if (config.backend === 'embedded') {
    const { backend: _, ...options } = config;
    const network = await openEmbeddedNetwork(options);
    const close = async (): Promise<void> => {
      try {
        await closeAll();
      } finally {
        await network.close();
      }
    };
    return {
      backend: 'embedded',
      embedded: network,
      // `connect` of the embedded network throws synchronously (an unknown identity): a rejection here.
      connect: (identity) =>
        Promise.resolve().then(() => {
          const ledger = network.connect(identity);
          open.push(ledger);
          return ledger;
        }),
      close,
      [Symbol.asyncDispose]: close,
    };
  }
  // Configs come from files too: a backend the types do not allow can still arrive.
  if ((config as { readonly backend: unknown }).backend !== 'fabric') {
    throw new CredledgerError('CONFIG_INVALID', 'ledger backend must be "embedded" or "fabric"', {
      details: { field: 'backend' },
    });
  }
  const { backend: _, connections, ...options } = config;
  if (typeof (connections as unknown) !== 'object' || (connections as unknown) === null) {
    throw new CredledgerError('CONFIG_INVALID', 'a Fabric ledger needs connections: one connection file per MSP id', {
      details: { field: 'connections' },
    });
  }
  // The backend is loaded now, so a missing one fails here; fabric-gateway and gRPC load on the first connection.
  const fabric = await loadFabricBackend();
  return {
    backend: 'fabric',
    embedded: undefined,
    connect: async (identity) => {
      const mspId = identity.split('/')[0] ?? identity;
      const profile = Object.hasOwn(connections, mspId) ? connections[mspId] : undefined;
      if (profile === undefined) {
        throw new CredledgerError('CONFIG_INVALID', `no Fabric connection file for ${mspId}`, { details: { mspId } });
      }
      const ledger = await fabric.openFabricLedger({ ...options, profile });
      open.push(ledger);
      return ledger;
    },
    close: closeAll,
    [Symbol.asyncDispose]: closeAll,
  };
}

/**
 * Opens (or creates) an embedded ledger in `options.directory`, or reaches it through the process that
 * holds it (option `sharing`).
 * Fails: LEDGER_LOCKED (another process holds it and does not serve it; details name its pid),
 * LEDGER_UNAVAILABLE (no ledger and `create: false`), LEDGER_CORRUPT (unreadable ledger), CONFIG_INVALID
 * (bad options, `@credledger/ledger-embedded` not installed).
 * @example
 * await using network = await ledgers.embedded({ directory: '.credledger/ledger' });
 * const ledger = network.connect('MojMSP/operator');
 * const { txId } = await ledger.submit('IssueCredentials', JSON.stringify(request));
 */
export async function openEmbeddedNetwork(options: EmbeddedNetworkOptions): Promise<EmbeddedNetwork> {
  return (await loadEmbeddedBackend()).openEmbeddedNetwork(options);
}

/**
 * Opens a connection to a peer's Gateway (`@credledger/ledger-fabric`). Nothing is sent until the first
 * call; a peer that is down shows up as LEDGER_UNAVAILABLE on that call.
 * Fails: FILE_NOT_FOUND / CONFIG_INVALID (connection file, certificates, backend not installed),
 * KEY_STORE_ERROR, PASSPHRASE_REQUIRED (HSM PIN).
 * @example
 * await using ledger = await ledgers.fabric({ profile: 'network/out/moj.json' });
 */
export async function openFabricLedger(options: FabricLedgerOptions): Promise<FabricLedger> {
  return (await loadFabricBackend()).openFabricLedger(options);
}

/** Ledger backends by name, each opened on its own (`openLedger` opens either behind one interface). */
export const ledgers = {
  embedded: openEmbeddedNetwork,
  fabric: openFabricLedger,
};
