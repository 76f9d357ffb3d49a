/**
 * Server-Sent Events for a page or dashboard: `GET /api/v1/watch?ids=<id>,<id>` streams
 * `event: status` messages whose `id:` is the change's cursor, so a browser's EventSource resumes
 * after a dropped connection with `Last-Event-ID` exactly after the last change it received. The
 * stream's starting point is sent as a bare `id:` when it opens, so a client that has received no
 * change yet still resumes where it started (e.g. after a restart of the server).
 * Each stream reads the ledger's events itself (from its own resume point), filtered to its ids.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { CredledgerError } from '@credledger/verify';
import { checkpointers, type Ledger } from '@credledger/ledger';
import { parseCursor, watch, type StatusChangeEvent } from './watch.js';

/** JSON form of a change (block number as a decimal string), as SSE data and webhook bodies carry it. */
export function changeJson(change: StatusChangeEvent): {
  id: string;
  issuerDid: string;
  from: string;
  to: string;
  reason: string;
  txId: string;
  blockNumber: string;
  at: string | null;
} {
  return {
    id: change.id,
    issuerDid: change.issuerDid,
    from: change.from,
    to: change.to,
    reason: change.reason,
    txId: change.txId,
    blockNumber: change.blockNumber.toString(),
    at: change.at,
  };
}

export interface SseOptions {
  /** Most ids in one stream (default 100). */
  readonly maxIds?: number;
  /** Comment line sent this often so proxies keep the connection (default 15 000 ms). */
  readonly heartbeatMs?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

const idPattern = /^urn:uuid:[0-9a-fA-F-]{36}$/;

/** The ids and resume point of a watch request. Throws INVALID_INPUT when they are malformed. */
export function parseWatchRequest(
  url: URL,
  request: IncomingMessage,
  maxIds: number,
): { ids: string[]; after: string | undefined } {
  const ids = [
    ...new Set(
      url.searchParams
        .getAll('ids')
        .flatMap((value) => value.split(','))
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ];
  if (ids.length === 0) throw new CredledgerError('INVALID_INPUT', 'name the credentials to watch: ?ids=urn:uuid:…');
  if (ids.length > maxIds) throw new CredledgerError('INVALID_INPUT', `at most ${maxIds} ids per stream`);
  const bad = ids.find((id) => !idPattern.test(id));
  if (bad !== undefined) throw new CredledgerError('INVALID_INPUT', 'ids must be urn:uuid credential ids');
  // EventSource sends Last-Event-ID on reconnection; a first connection may carry it as a parameter.
  const header = request.headers['last-event-id'];
  const after =
    (typeof header === 'string' && header !== '' ? header : undefined) ??
    url.searchParams.get('lastEventId') ??
    undefined;
  if (after !== undefined) parseCursor(after);
  return { ids, after };
}

/**
 * Streams changes of `ids` after `request.after` (without it: from the next commit) to `response`
 * until the client leaves or `signal` aborts. The response headers are written here; resolves when
 * the stream ends.
 */
export async function streamStatusChanges(
  ledger: Ledger,
  response: ServerResponse,
  request: { ids: readonly string[]; after: string | undefined },
  signal: AbortSignal,
  options: SseOptions = {},
): Promise<void> {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    // Tell buffering proxies (nginx) to pass each message on at once.
    'X-Accel-Buffering': 'no',
    'X-Content-Type-Options': 'nosniff',
  });
  // A retry hint, the resume point (an id with no data sets the client's last event id without an
  // event: WHATWG HTML "dispatch the event" step 1), and a first line so the client knows the stream is open.
  const id = request.after === undefined ? '' : `id: ${request.after}\n`;
  response.write(`retry: 3000\n${id}: watching\n\n`);
  const stop = new AbortController();
  const end = (): void => {
    stop.abort();
  };
  signal.addEventListener('abort', end, { once: true });
  response.on('close', end);
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  try {
    const changes = watch(
      ledger,
      { ids: request.ids },
      {
        checkpoint: checkpointers.inMemory(),
        ...(request.after === undefined ? {} : { after: request.after }),
        signal: stop.signal,
      },
    );
    for await (const change of changes) {
      response.write(`id: ${change.cursor}\nevent: status\ndata: ${JSON.stringify(changeJson(change))}\n\n`);
    }
  } catch (error) {
    options.onError?.(error, 'watch stream');
  } finally {
    clearInterval(heartbeat);
    signal.removeEventListener('abort', end);
    response.end();
    // Shutting down: close the connection as well, so a client reconnecting at once cannot keep the
    // closing server busy on it with new requests.
    if (signal.aborted) response.socket?.destroySoon();
  }
}
