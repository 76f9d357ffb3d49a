/**
 * `serve --wallet`: the OpenID4VCI credential issuer and the OpenID4VP verifier beside the page. At start it opens the signing
 * key of each issuer this workspace operates (once: a server cannot prompt later) and a ledger
 * connection acting for it; each redemption then signs the offered credential for the wallet's key and
 * anchors it through that connection, holding the workspace's status index only while it does — so
 * `issue` and the other commands keep working while serve runs.
 */
import type { Ledger, LedgerNetwork } from '@credledger/ledger';
import type {
  OfferSweep,
  PresentationVerifier,
  WalletIssuer,
  WalletIssuerEvent,
  WalletRoute,
} from '@credledger/oid4vc';

import { cliError } from './context.js';
import { disposeInOrder } from './dispose-in-order.js';
import { loadSigningKey, openStatusIndex, type SigningKey } from './issuing.js';
import type { KeyPassphrase } from './passphrase.js';
import type { VerifierSigning } from './verifier-signing.js';
import { identityForIssuer, type Workspace } from './workspace.js';

/** How often a running server tidies the offers folder. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Where offers live: `<workspace>/wallet-offers/`, one file per offer (owner only). */
export function offersDirectory(workspace: Workspace): string {
  return workspace.resolve('wallet-offers');
}

/** The credential issuer identifier of a base URL: without a trailing slash. */
export function walletIssuerUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

export interface WalletIssuing extends AsyncDisposable {
  readonly issuer: WalletIssuer;
  /** Asks wallets for presentations (`POST /oid4vp/requests`) and checks them against the ledger. */
  readonly verifier: PresentationVerifier;
  /** Every wallet route: the issuer's and the verifier's. */
  readonly routes: readonly WalletRoute[];
  /** Issuers whose offers this server redeems, and those it cannot (no signing key here). */
  readonly issuers: readonly string[];
  readonly skipped: readonly { readonly did: string; readonly reason: string }[];
}

/**
 * Opens what redeeming offers needs over an open ledger network.
 * Fails: ISSUER_NOT_FOUND (the workspace operates no issuer with a key here), PASSPHRASE_*, PKCS11_*.
 */
export async function openWalletIssuing(
  workspace: Workspace,
  ledgers: LedgerNetwork,
  reader: Ledger,
  passphrase: KeyPassphrase,
  options: {
    readonly baseUrl: () => string;
    readonly onEvent: (event: WalletIssuerEvent) => void;
    /**
     * After each sweep of the offers folder (at open, then hourly): offers never redeemed lose their
     * personal data, finished ones go after 30 days. A sweep that fails is reported and tried next time.
     */
    readonly onSweep: (result: OfferSweep | Error) => void;
    /** Sign presentation requests (`x509_san_dns:`, by reference); absent, they go unsigned by value. */
    readonly verifierSigning?: VerifierSigning;
  },
): Promise<WalletIssuing> {
  const [issuing, oid4vc, { Registry }, verify] = await Promise.all([
    import('@credledger/issuer'),
    import('@credledger/oid4vc'),
    import('@credledger/ledger'),
    import('@credledger/verify'),
  ]);
  // First, as it opens nothing: a certificate that does not fit stops serve before any key is opened.
  // Presentations are checked as `credledger verify` checks a credential, on the ledger this server reads,
  // with a key binding to the request's nonce and this verifier required.
  const status = verify.ledgerStatusSource(new Registry(reader));
  const verifier = oid4vc.createPresentationVerifier({
    baseUrl: options.baseUrl,
    ...(options.verifierSigning === undefined ? {} : { signing: options.verifierSigning }),
    verify: (presentation, { nonce, audience }) =>
      verify.verifyCredential(presentation, { status, keyBinding: { required: true, nonce, audience } }),
  });
  const keys = new Map<string, { key: SigningKey; registry: InstanceType<typeof Registry> }>();
  const skipped: { did: string; reason: string }[] = [];
  const closeKeys = () =>
    disposeInOrder(
      [...keys.values()].map(
        ({ key }) =>
          () =>
            key[Symbol.asyncDispose](),
      ),
    );
  try {
    for (const did of Object.keys(workspace.config.issuers)) {
      const registry = new Registry(await ledgers.connect(identityForIssuer(workspace, did, undefined)));
      try {
        keys.set(did, { key: await loadSigningKey(workspace, await registry.getIssuer(did), passphrase), registry });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== 'KEY_NOT_FOUND' && code !== 'ISSUER_NOT_FOUND') throw error;
        skipped.push({ did, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  } catch (error) {
    await closeKeys().catch(() => undefined);
    throw error;
  }
  if (keys.size === 0) {
    throw cliError('KEY_NOT_FOUND', 'walletNoIssuer', {});
  }
  const algs = new Set([...keys.values()].map(({ key }) => key.alg));
  const offers = oid4vc.openOfferStore(offersDirectory(workspace));
  const sweep = async (): Promise<void> => {
    try {
      options.onSweep(await offers.sweep(new Date()));
    } catch (error) {
      options.onSweep(error instanceof Error ? error : new Error(String(error)));
    }
  };
  await sweep();
  const issuer = oid4vc.createWalletIssuer({
    baseUrl: options.baseUrl,
    offers,
    signingAlg: algs.has('ES256') || algs.size !== 1 ? 'ES256' : ([...algs][0] ?? 'ES256'),
    onEvent: options.onEvent,
    issue: async ({ content, holderKey, signedBefore, onSigned }) => {
      const held = keys.get(content.issuerDid);
      if (held === undefined) throw cliError('KEY_NOT_FOUND', 'noSigningKey', { did: content.issuerDid });
      const statusAllocator = openStatusIndex(workspace, issuing);
      const issuer = issuing.createIssuer({
        registry: held.registry,
        issuerDid: content.issuerDid,
        key: held.key.issuerKey,
        statusAllocator,
        statusBaseUrl: workspace.config.statusBaseUrl,
      });
      try {
        const [issued] = await issuer.issueBatch(content.type, [content.subject], {
          ids: [content.credentialId],
          sdJwt: { profile: content.profile, holderKey },
          ...(content.validFrom === undefined ? {} : { validFrom: new Date(content.validFrom) }),
          ...(content.validUntil === undefined
            ? {}
            : { validUntil: content.validUntil === null ? null : new Date(content.validUntil) }),
          ...(content.supersede === true ? { supersede: true } : {}),
          ...(signedBefore === undefined ? {} : { signed: new Map([[content.credentialId, signedBefore]]) }),
          onSigned: async (credentials) => {
            const [signed] = credentials;
            if (signed !== undefined) await onSigned(signed.jwt);
          },
        });
        if (issued === undefined) throw cliError('INTERNAL', 'nothingIssued', {});
        return { credential: issued.jwt };
      } finally {
        await disposeInOrder([() => issuer.close(), () => statusAllocator.close()]);
      }
    },
  });
  const sweeper = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  sweeper.unref();
  return {
    issuer,
    verifier,
    routes: [...issuer.routes, ...verifier.routes],
    issuers: [...keys.keys()],
    skipped,
    [Symbol.asyncDispose]: () => {
      clearInterval(sweeper);
      return closeKeys();
    },
  };
}
