/**
 * One ledger network, whatever its backend: what `openLedger` returns. A workspace acts as several
 * identities (an issuer's operator, the governance admin, a read-only auditor); each `connect` gives a
 * `Ledger` acting as one of them, and closing the network closes every connection it gave.
 */
import type { EmbeddedNetwork, EmbeddedNetworkOptions } from './embedded-types.js';
import type { FabricConnectionProfile, FabricLedgerOptions } from './fabric-types.js';
import type { Ledger } from './ledger.js';

/** The embedded ledger in a folder of this machine (`@credledger/ledger-embedded`). */
export interface EmbeddedLedgerConfig extends EmbeddedNetworkOptions {
  readonly backend: 'embedded';
}

/** A Fabric network reached through each organisation's peer Gateway (`@credledger/ledger-fabric`). */
export interface FabricNetworkConfig extends Omit<FabricLedgerOptions, 'profile'> {
  readonly backend: 'fabric';
  /**
   * One connection file (path or parsed profile) per organisation, by MSP id. An identity
   * `MojMSP/operator` acts through `connections.MojMSP`, as the identity that file names.
   */
  readonly connections: Readonly<Record<string, string | FabricConnectionProfile>>;
}

/** Which backend, and its options. */
export type LedgerConfig = EmbeddedLedgerConfig | FabricNetworkConfig;

export interface LedgerNetwork extends AsyncDisposable {
  readonly backend: LedgerConfig['backend'];
  /**
   * A connection acting as `identity` (`MspId/user`). On the embedded ledger, that local identity; on
   * Fabric, the identity the organisation's connection file names (the user part is not checked there).
   * Fails: CONFIG_INVALID (embedded: an identity the network does not have; Fabric: an organisation
   * without a connection file), and what the backend fails with when it opens a connection.
   */
  connect(identity: string): Promise<Ledger>;
  /**
   * The embedded network itself, when the backend is embedded: its local identities, its chain check,
   * its height and how it is shared with other processes. Undefined on Fabric.
   */
  readonly embedded: EmbeddedNetwork | undefined;
  /** Closes every connection `connect` gave, then the network. */
  close(): Promise<void>;
}
