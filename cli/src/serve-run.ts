/**
 * Running the verifier server over the workspace's ledger until SIGINT/SIGTERM (then it closes the
 * server and releases the ledger lock). Shared by `serve` and `demo`. Meanwhile it serves the embedded
 * ledger to the workspace's other commands over the ledger folder's owner-only socket.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { EmbeddedNetwork } from '@credledger/ledger';
import type { OfferSweep, WalletIssuerEvent } from '@credledger/oid4vc';

import type { KeyPassphrase } from './passphrase.js';
import type { VerifierSigning } from './verifier-signing.js';
import { openWalletIssuing } from './wallet-serve.js';
import { connect, type Workspace, readerIdentity } from './workspace.js';

/**
 * The built verifier page: this checkout's `verifier-web/dist`, or, installed from npm, the copy the
 * package carries (`web/`, put there by `npm pack`); undefined when neither is present.
 */
export function defaultWebRoot(): string | undefined {
  const roots = ['../../verifier-web/dist', '../web'].map((path) => fileURLToPath(new URL(path, import.meta.url)));
  return roots.find((root) => existsSync(root));
}

export interface ServeRequest {
  readonly port: number;
  readonly host: string;
  /** Identity reading the ledger (`--as`); default readerIdentity's. */
  readonly as?: string;
  readonly webRoot?: string;
  readonly publishedRoot?: string;
  /**
   * Called once the server listens, with how other commands reach the embedded ledger meanwhile
   * (through this process, or why not); undefined on Fabric, where every process has its own gateway.
   */
  readonly onListening: (url: string, sharing: EmbeddedNetwork['sharing']) => void;
  /** Serve HTTPS with this key and certificate (PEM). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Behind a reverse proxy: the client address is the last `X-Forwarded-For` hop (rate limit, per-client bounds). */
  readonly trustProxy?: boolean;
  /** Status tracking (webhook subscriptions, SSE): only when the operator enables it (`--tracking`). */
  readonly tracking?: { readonly stateDir: string; readonly allowLoopbackHttp: boolean };
  /** A task to run against the listening server (the demo's wallet walk-through): true keeps serving. */
  readonly afterListening?: (url: string) => Promise<boolean>;
  /** The OpenID4VCI credential issuer (`--wallet`): only when the operator enables it. */
  readonly wallet?: {
    readonly keyPassphrase: KeyPassphrase;
    /** Sign presentation requests with this certificate chain and key (`--verifier-certificate`). */
    readonly verifierSigning?: VerifierSigning;
    /** The credential issuer identifier, given the URL the server listens at. */
    readonly issuerUrlFor: (serverUrl: string) => string;
    readonly onEvent: (event: WalletIssuerEvent) => void;
    /** After each sweep of the offers folder (at start, then hourly), or its failure. */
    readonly onSweep: (result: OfferSweep | Error) => void;
    /** Called once the server listens: the credential issuer URL and the issuers whose offers it redeems. */
    readonly onListening: (info: {
      readonly credentialIssuer: string;
      /** The verifier's client id (`redirect_uri:<url>/oid4vp/response`). */
      readonly presentationClientId: string;
      readonly issuers: readonly string[];
      readonly skipped: readonly { readonly did: string; readonly reason: string }[];
    }) => void;
  };
}

/**
 * Serves until a termination signal; resolves after a clean shutdown. With `afterListening`, that task
 * runs once the server listens; the server stops when it resolves false (or throws), and keeps serving
 * until a signal when it resolves true.
 */
export async function serveUntilSignal(workspace: Workspace, request: ServeRequest): Promise<void> {
  const serving = await import('@credledger/server');
  // serve holds the embedded ledger for as long as it runs, and other commands act through it meanwhile.
  await using opened = await connect(workspace, readerIdentity(workspace, request.as), { sharing: 'serve' });
  const webRoot = request.webRoot ?? defaultWebRoot();
  const height = opened.ledgers.embedded?.height();
  const tracking = request.tracking
    ? await serving.createTrackingService({
        ledger: opened.ledger,
        stateDir: request.tracking.stateDir,
        delivery: { allowLoopbackHttp: request.tracking.allowLoopbackHttp },
        // First start only: follow from the ledger's current end (later starts resume from the checkpoint).
        ...(height === undefined ? {} : { startBlock: height }),
        onError: (error, context) =>
          process.stderr.write(`tracking: ${context}: ${error instanceof Error ? error.message : String(error)}\n`),
      })
    : undefined;
  let walletBase: string | undefined;
  await using wallet = request.wallet
    ? await openWalletIssuing(workspace, opened.ledgers, opened.ledger, request.wallet.keyPassphrase, {
        baseUrl: () => {
          if (walletBase === undefined) throw new Error('the wallet endpoints answer once the server listens');
          return walletBase;
        },
        onEvent: request.wallet.onEvent,
        onSweep: request.wallet.onSweep,
        ...(request.wallet.verifierSigning === undefined ? {} : { verifierSigning: request.wallet.verifierSigning }),
      })
    : undefined;
  const server = await serving.startServer({
    ...(tracking === undefined ? {} : { tracking }),
    ...(wallet === undefined ? {} : { wallet: { routes: wallet.routes } }),
    ledger: opened.ledger,
    port: request.port,
    host: request.host,
    ...(webRoot === undefined ? {} : { webRoot }),
    ...(request.publishedRoot === undefined ? {} : { publishedRoot: request.publishedRoot }),
    ...(request.tls === undefined ? {} : { tls: request.tls }),
    ...(request.trustProxy === true ? { trustProxy: true } : {}),
  });
  tracking?.start();
  // The signal handlers come before the listening message: a Ctrl-C the moment it appears still
  // closes the server and releases the ledger instead of killing the process mid-way.
  let detach = (): void => undefined;
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      detach();
      resolve();
    };
    detach = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  request.onListening(server.url, opened.ledgers.embedded?.sharing);
  try {
    if (wallet !== undefined && request.wallet !== undefined) {
      walletBase = request.wallet.issuerUrlFor(server.url).replace(/\/+$/, '');
      // A URL wallets would refuse (http beyond loopback, a path the verifier cannot have) stops serve now,
      // in one line, not at the first wallet's request.
      request.wallet.onListening({
        credentialIssuer: wallet.issuer.credentialIssuer,
        presentationClientId: wallet.verifier.clientId,
        issuers: wallet.issuers,
        skipped: wallet.skipped,
      });
    }
    if (request.afterListening === undefined || (await request.afterListening(server.url))) await stopped;
  } finally {
    detach();
    // Open event streams would hold the server open: tracking ends them first.
    await tracking?.close();
    await server.close();
  }
}
