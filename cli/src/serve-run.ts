/**
 * Running the verifier server over the workspace's ledger until SIGINT/SIGTERM (then it closes the
 * server and releases the ledger lock). Shared by `serve` and `demo`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { connect, type Workspace } from './workspace.js';

/** The built verifier page of this checkout (`verifier-web/dist`), when present. */
export function defaultWebRoot(): string | undefined {
  const root = fileURLToPath(new URL('../../verifier-web/dist', import.meta.url));
  return existsSync(root) ? root : undefined;
}

export interface ServeRequest {
  readonly port: number;
  readonly host: string;
  readonly webRoot?: string;
  readonly publishedRoot?: string;
  /** Called once the server listens. */
  readonly onListening: (url: string) => void;
}

/** Serves until a termination signal; resolves after a clean shutdown. */
export async function serveUntilSignal(workspace: Workspace, request: ServeRequest): Promise<void> {
  const sdk = await import('@credledger/sdk');
  await using opened = await connect(workspace, 'NdcMSP/auditor');
  const webRoot = request.webRoot ?? defaultWebRoot();
  const server = await sdk.startServer({
    ledger: opened.ledger,
    port: request.port,
    host: request.host,
    ...(webRoot === undefined ? {} : { webRoot }),
    ...(request.publishedRoot === undefined ? {} : { publishedRoot: request.publishedRoot }),
  });
  request.onListening(server.url);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
}
