/**
 * What each backend package exports, as `openLedger` calls it. `@credledger/ledger-embedded` and
 * `@credledger/ledger-fabric` check their entry points against these (`satisfies`), so a backend that
 * drifts from the contract fails to build.
 */
import type { EmbeddedNetwork, EmbeddedNetworkOptions, IdentityKeyProtection } from './embedded-types.js';
import type { FabricConnectionProfile, FabricLedger, FabricLedgerOptions } from './fabric-types.js';

/** What `protectLocalKeys` did for one organisation. */
export interface ProtectedOrg {
  readonly mspId: string;
  /** True when its keyring was made now (its passphrase was new). */
  readonly keyringCreated: boolean;
  /** Owners whose PEM key was sealed now, e.g. `MojMSP/ca`, `MojMSP/operator`. */
  readonly sealed: readonly string[];
  /** Owners whose key was sealed already. */
  readonly alreadySealed: readonly string[];
}

export interface EmbeddedBackend {
  openEmbeddedNetwork(options: EmbeddedNetworkOptions): Promise<EmbeddedNetwork>;
  protectLocalKeys(directory: string, protection: IdentityKeyProtection): Promise<ProtectedOrg[]>;
}

export interface FabricBackend {
  openFabricLedger(options: FabricLedgerOptions): Promise<FabricLedger>;
  loadConnectionProfile(path: string): Promise<FabricConnectionProfile>;
}
