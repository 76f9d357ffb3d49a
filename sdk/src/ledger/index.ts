/**
 * Ledger backends, created by factories (fabric-gateway's `checkpointers.file()` shape); their classes
 * stay unexported. Importing this module is cheap: the embedded peer, fabric-shim and LevelDB load only
 * when a ledger is opened.
 */
import { openFabricLedger } from './fabric.js';
import type { EmbeddedNetwork, EmbeddedNetworkOptions } from './embedded/types.js';

export type { OrgSpec, UserSpec } from './local-ca.js';
export { defaultOrgs } from './local-ca.js';
export { fromLedgerError } from './from-ledger-error.js';
export type { Committed, EventsOptions, Ledger, LedgerEvent, LedgerIdentity, TransactionName } from './ledger.js';

export type {
  EmbeddedNetworkOptions,
  EmbeddedIdentityInfo,
  ChainVerification,
  EndorsedTransaction,
  EmbeddedLedger,
  EmbeddedNetwork,
  CertificateRequest,
  SignerIdentity,
} from './embedded/types.js';

/**
 * Opens (or creates) an embedded ledger in `options.directory`, or reaches it through the process that
 * holds it (option `sharing`).
 * Fails: LEDGER_LOCKED (another process holds it and does not serve it; details name its pid),
 * LEDGER_UNAVAILABLE (no ledger and `create: false`), LEDGER_CORRUPT (unreadable ledger), CONFIG_INVALID
 * (bad options).
 * @example
 * await using network = await ledgers.embedded({ directory: '.credledger/ledger' });
 * const ledger = network.connect('MojMSP/operator');
 * const { txId } = await ledger.submit('IssueCredentials', JSON.stringify(request));
 */
async function openEmbeddedNetwork(options: EmbeddedNetworkOptions): Promise<EmbeddedNetwork> {
  const { openNetwork } = await import('./embedded/network.js');
  return openNetwork(options);
}

/** Ledger backends by name. */
export const ledgers = {
  embedded: openEmbeddedNetwork,
  /** A peer's Gateway service (fabric-gateway and grpc-js load on first open); see `openFabricLedger`. */
  fabric: openFabricLedger,
};
