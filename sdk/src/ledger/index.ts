/**
 * Ledger backends, created by factories (fabric-gateway's `checkpointers.file()` shape); their classes
 * stay unexported. Importing this module is cheap: the embedded peer, fabric-shim and LevelDB load only
 * when a ledger is opened.
 */
import { openFabricLedger } from './fabric.js';
import type { EmbeddedNetwork, EmbeddedNetworkOptions } from './embedded/types.js';
import type { IdentityKeyProtection } from './org-keyring.js';
import type { ProtectedOrg } from './protect-local-keys.js';

export type { OrgSpec, UserSpec } from './local-ca.js';
export { defaultOrgs } from './local-ca.js';
export { fromLedgerError } from './from-ledger-error.js';
export type { IdentityKeyProtection } from './org-keyring.js';
export type { ProtectedOrg } from './protect-local-keys.js';
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

/**
 * Seals the PEM keys of an embedded ledger's local organisations (CAs and identities that may change the
 * ledger) under each organisation's passphrase; safe to run again after an interruption.
 * Fails: PASSPHRASE_REQUIRED, PASSPHRASE_WEAK, PASSPHRASE_WRONG, KEY_STORE_ERROR.
 * @example
 * await protectLocalKeys('.credledger/ledger', { passphrase: (mspId) => passphrases[mspId] });
 */
export async function protectLocalKeys(directory: string, protection: IdentityKeyProtection): Promise<ProtectedOrg[]> {
  const { protectLocalKeys: protect } = await import('./protect-local-keys.js');
  return protect(directory, protection);
}

/** Ledger backends by name. */
export const ledgers = {
  embedded: openEmbeddedNetwork,
  /** A peer's Gateway service (fabric-gateway and grpc-js load on first open); see `openFabricLedger`. */
  fabric: openFabricLedger,
};
