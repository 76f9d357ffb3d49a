/**
 * What the embedded ledger (`@credledger/ledger-embedded`) is, as its users see it: the options that open
 * a network, the network, its ledgers and identities. Declared here so that callers of `openLedger` can
 * name them without loading the peer, and the backend implements them.
 */
import type { Committed, Ledger } from './ledger.js';

/** A user of a local organisation. */
export interface UserSpec {
  /** User name, unique in its org; the identity is named `MspId/name`. */
  readonly name: string;
  /** Value of the `credledger.role` attribute, or null for a certificate without attributes. */
  readonly role: string | null;
}

/** A local organisation: one MSP with its own CA and peer. */
export interface OrgSpec {
  readonly mspId: string;
  readonly users: readonly UserSpec[];
}

/** How the local organisations' keys are protected at rest (option `identityKeys` of the embedded ledger). */
export interface IdentityKeyProtection {
  /**
   * The passphrase of an organisation's keyring: `new` when its keyring is being made (the passphrase
   * must meet the minimum strength), `open` to open it. Asked at most once per organisation per network,
   * and only when one of its sealed keys is used.
   */
  passphrase(mspId: string, purpose: 'new' | 'open'): Promise<string> | string;
  /** scrypt cost log2(N) of a new keyring, 14–20; default 17. */
  readonly scryptLogN?: number;
}

/** Options of {@link ledgers.embedded}. */
export interface EmbeddedNetworkOptions {
  /** Folder holding the ledger (`db/`), the local organisations' identities (`msp/`) and the owner file. */
  readonly directory: string;
  /**
   * Contract classes to run (a chaincode's `contracts` export), or a loader called once fabric-shim is
   * contained (preferred: contract classes loaded earlier keep fabric-contract-api's slower loggers).
   * Default: `@credledger/chaincode`'s contracts, loaded lazily.
   */
  readonly contracts?: readonly unknown[] | (() => Promise<readonly unknown[]>);
  /** Chaincode name carried in proposals and events. Default `credledger`. */
  readonly chaincodeName?: string;
  /** Channel name. Default `credentials`. */
  readonly channel?: string;
  /** Local organisations, created on first open. Default {@link defaultOrgs} (NdcMSP, MojMSP, MoeaMSP). */
  readonly orgs?: readonly OrgSpec[];
  /** Create the ledger when the directory holds none. Default true; false fails with LEDGER_UNAVAILABLE. */
  readonly create?: boolean;
  /** Orderer batch size: a block is cut when this many transactions wait. Default 500. */
  readonly batchSize?: number;
  /**
   * Orderer batch timeout: a block is cut this long after its first transaction arrived. Default 0: cut
   * as soon as the committer is idle, with every transaction that arrived while it was busy (group commit).
   */
  readonly batchTimeoutMs?: number;
  /** fsync every block commit. Default true; false only for throwaway ledgers. */
  readonly fsync?: boolean;
  /** Peer `ledger.state.totalQueryLimit`: non-paginated queries stop after this many results. Default 100000. */
  readonly totalQueryLimit?: number;
  /** Peer `ledger.history.enableHistoryDatabase`. Default true. Fixed when the ledger is created. */
  readonly enableHistory?: boolean;
  /**
   * Sharing the ledger with other processes of this user, through an owner-only socket in the folder
   * (`run/peer.sock`; docs/decisions/0009):
   * - `reach` (default): hold the ledger; when another process holds it and serves it, act through that
   *   process instead (same calls, same signatures, same errors); when it does not, LEDGER_LOCKED.
   * - `serve`: hold the ledger and serve other processes while open (for long-running holders such as
   *   `credledger serve`); LEDGER_LOCKED when another process holds it.
   * - `serve-or-reach`: serve when this process gets the ledger, act through the holder otherwise.
   */
  readonly sharing?: 'reach' | 'serve' | 'serve-or-reach';
  /**
   * Where the passphrases of the local organisations' keyrings come from (docs/decisions/0020). When
   * given, a new ledger seals each organisation's CA key and the keys of its identities that may change
   * the ledger under that organisation's passphrase, and sealed keys open on first use. Without it, new
   * keys are written as PEM (throwaway ledgers only) and using a sealed key fails with PASSPHRASE_REQUIRED.
   */
  readonly identityKeys?: IdentityKeyProtection;
}

/** One local identity of an embedded network. */
export interface EmbeddedIdentityInfo {
  /** `MspId/user`, e.g. `MojMSP/operator`: the name {@link EmbeddedNetwork.connect} takes. */
  readonly name: string;
  readonly mspId: string;
  /** The `credledger.role` attribute in the certificate, or null when it carries none. */
  readonly role: string | null;
  /** True when its private key is sealed in the organisation's keyring; false for a PEM key file. */
  readonly sealed: boolean;
}

/**
 * An identity of a local organisation whose private key is not in a file: in a PKCS#11 token (an HSM) or
 * elsewhere, signing as fabric-gateway's `Signer` does. Its certificate comes from the organisation's
 * local CA ({@link EmbeddedNetwork.certify}).
 */
export interface SignerIdentity {
  readonly mspId: string;
  /** PEM certificate of the identity's public key, issued by its organisation's CA. */
  readonly certificate: string;
  /**
   * fabric-gateway's `Signer`: the SHA-256 digest of what is signed in, an ECDSA P-256 signature out
   * (DER). A high-S signature is made low-S here, as Fabric requires.
   */
  readonly ledgerSigner: (digest: Uint8Array) => Promise<Uint8Array>;
}

/** What {@link EmbeddedNetwork.certify} certifies: a user of a local organisation and its public key. */
export interface CertificateRequest {
  readonly mspId: string;
  /** User name (the certificate's CN is `<name>@<org domain>`); need not be one of the stored users. */
  readonly name: string;
  /** Value of the `credledger.role` attribute, or null for none. */
  readonly role: string | null;
  /** The P-256 public key, as a JWK. */
  readonly publicKeyJwk: { readonly kty: 'EC'; readonly crv: 'P-256'; readonly x: string; readonly y: string };
}

/** Result of {@link EmbeddedNetwork.verifyChain}. */
export interface ChainVerification {
  /** True when every block, its hash chain, the state, the history and the transaction index agree. */
  readonly ok: boolean;
  /** Blocks checked (the ledger height). */
  readonly blocks: bigint;
  /** One line per disagreement found. */
  readonly problems: string[];
}

/** A transaction endorsed but not yet ordered: Fabric's endorse-then-submit flow. */
export interface EndorsedTransaction {
  readonly txId: string;
  /** The chaincode's response payload. */
  readonly result: Uint8Array;
  /** Sends the endorsed transaction to the orderer and waits for its commit. Sending it twice gives DUPLICATE_TXID. */
  submit(): Promise<Committed>;
}

/** A {@link Ledger} connection to an embedded network, with Fabric's two-step endorse/submit flow. */
export interface EmbeddedLedger extends Ledger {
  /** Endorses (simulates against committed state) without ordering. Fails as `submit` does at endorsement. */
  endorse(name: string, ...args: string[]): Promise<EndorsedTransaction>;
}

/** An in-process Fabric network: local organisations, one peer per organisation, an orderer, one channel. */
export interface EmbeddedNetwork extends AsyncDisposable {
  readonly directory: string;
  /**
   * Where this process serves other processes (option `sharing`), or why it cannot (a socket path
   * longer than a socket address holds); undefined when it does not offer to, or acts through another.
   */
  readonly sharing: { readonly socket: string } | { readonly unavailable: string } | undefined;
  /** Every local identity, e.g. `{ name: 'MojMSP/operator', mspId: 'MojMSP', role: 'issuer-operator' }`. */
  identities(): EmbeddedIdentityInfo[];
  /**
   * A ledger connection acting as a local identity (`MojMSP/operator`), or as an identity whose key is
   * in a token ({@link SignerIdentity}), endorsed by that organisation's peer.
   * Throws CONFIG_INVALID for an unknown identity or organisation.
   */
  connect(identity: string | SignerIdentity): EmbeddedLedger;
  /**
   * Issues a certificate from a local organisation's CA for a public key whose private half is kept
   * elsewhere (a PKCS#11 token): with it and the token's signer, {@link connect} acts as that user.
   * Nothing is stored. Fails: CONFIG_INVALID (unknown organisation, bad name or key), KEY_STORE_ERROR.
   */
  certify(request: CertificateRequest): Promise<string>;
  /** Number of committed blocks (the genesis block included). */
  height(): bigint;
  /** Re-reads every block and re-derives state, history and index from them; reports each disagreement. */
  verifyChain(): Promise<ChainVerification>;
  /** Waits for pending commits, then releases the ledger directory. */
  close(): Promise<void>;
}
