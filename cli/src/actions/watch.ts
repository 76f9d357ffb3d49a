/**
 * `credledger watch <id…> [--issuer did] [--json]`: prints credential status changes as they are
 * committed, until Ctrl-C. Reads the workspace's ledger events, or with `--server` the Server-Sent
 * Events of a `credledger serve --tracking` (then only by id). `--checkpoint <file>` resumes after a
 * restart exactly where the previous run stopped.
 * What the command does; its arguments, options and help are wired in commands/watch.ts, which
 * loads this module when the command runs.
 */
import { reasonLabels } from '@credledger/vocabulary';

import { CliError, cliError, type Context } from '../context.js';
import { anyCodeTexts, fillText } from '../error-text.js';
import { codeInWords, statusWords } from '../i18n.js';
import { quoted } from '../quoted.js';
import { connect, openWorkspace, readerIdentity } from '../workspace.js';

interface WatchCommandOptions {
  readonly issuer?: string;
  readonly type?: string;
  readonly server?: string;
  readonly checkpoint?: string;
  readonly fromBlock?: string;
  readonly as?: string;
}

/** The JSON line or human line of one change (same fields either way, block number as a string). */
interface ChangeLine {
  readonly id: string;
  readonly issuerDid: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly txId: string;
  readonly blockNumber: string;
  readonly at: string | null;
}

function print(ctx: Context, change: ChangeLine): void {
  // One JSON object per line (NDJSON): a stream a script can read line by line.
  if (ctx.options.json) process.stdout.write(`${JSON.stringify(change)}\n`);
  else {
    const [from, to, reason] = [
      codeInWords(ctx, change.from, statusWords),
      codeInWords(ctx, change.to, statusWords),
      codeInWords(ctx, change.reason, reasonLabels),
    ];
    ctx.say(
      ctx.pick(
        `${change.at ?? '-'}  ${change.id}  ${from} → ${to}  理由 ${reason}  ${change.issuerDid}  交易 ${change.txId}`,
        `${change.at ?? '-'}  ${change.id}  ${from} → ${to}  (${reason})  ${change.issuerDid}  tx ${change.txId}`,
      ),
    );
  }
}

/** Aborts on the first SIGINT/SIGTERM; the stream then ends and the command exits 0. */
function untilSignal(): AbortController {
  const controller = new AbortController();
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return controller;
}

/**
 * Reads `GET /api/v1/watch` as Server-Sent Events, reconnecting with Last-Event-ID (the last id the
 * server sent: a change's, or the stream's starting point) after a dropped connection.
 */
async function watchServer(ctx: Context, server: string, ids: readonly string[], signal: AbortSignal): Promise<void> {
  let lastEventId: string | undefined;
  let announced = false;
  let delay = 1000;
  // The reconnection time: the server's `retry:` hint, as an EventSource keeps it.
  let retryMs = 3000;
  const url = new URL('/api/v1/watch', server);
  url.searchParams.set('ids', ids.join(','));
  while (!signal.aborted) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          Accept: 'text/event-stream',
          ...(lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId }),
        },
        signal,
      });
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- aborted changes while awaiting; TS keeps the loop condition's narrowing
      if (signal.aborted) return;
      ctx.note(`${url.origin}: ${(error as Error).message}; ${ctx.pick('稍後重試', 'retrying')}`);
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 30_000);
      continue;
    }
    if (!response.ok || response.body === null) {
      const text = await response.text().catch(() => '');
      const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? 'LEDGER_UNAVAILABLE';
      throw new CliError(code, fillText(anyCodeTexts.watchAnswered, { origin: url.origin, status: response.status }));
    }
    delay = 1000;
    if (!announced) {
      ctx.note(ctx.pick('等待狀態變更…（Ctrl-C 結束）', 'waiting for status changes… (Ctrl-C to stop)'));
      announced = true;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | undefined;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            else if (/^retry: ?\d+$/.test(line)) retryMs = Number(line.slice(6));
          }
          if (data.length > 0) print(ctx, JSON.parse(data.join('\n')) as ChangeLine);
          // The stream's opening id (no data) is its resume point: kept, so a reconnect misses nothing.
          if (id !== undefined) lastEventId = id;
        }
      }
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- aborted changes while awaiting; TS keeps the loop condition's narrowing
      if (signal.aborted) return;
      ctx.note(`${url.origin}: ${(error as Error).message}; ${ctx.pick('重新連線', 'reconnecting')}`);
    }
    // The stream ended (the server closed it, e.g. shutting down): reconnect after the reconnection time.
    await sleep(retryMs, signal);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}

/** The action of `credledger watch`. */
export async function watch(ctx: Context, ids: string[], options: WatchCommandOptions): Promise<void> {
  if (ids.length === 0 && options.issuer === undefined && options.type === undefined) {
    throw cliError('INVALID_INPUT', 'watchWhat', {});
  }
  const controller = untilSignal();
  if (options.server !== undefined) {
    if (options.issuer !== undefined || options.type !== undefined || ids.length === 0) {
      throw cliError('INVALID_INPUT', 'watchServerIds', {});
    }
    await watchServer(ctx, options.server, ids, controller.signal);
    return;
  }
  let startBlock: bigint | undefined;
  if (options.fromBlock !== undefined) {
    if (!/^\d+$/.test(options.fromBlock))
      throw cliError('INVALID_INPUT', 'fromBlock', { value: await quoted(options.fromBlock) });
    startBlock = BigInt(options.fromBlock);
  }
  const [{ checkpointers }, { watch }] = await Promise.all([
    import('@credledger/ledger'),
    import('@credledger/server'),
  ]);
  const workspace = openWorkspace(ctx.options.workspace);
  // watch runs until stopped: holding the ledger, it lets the other commands act through it.
  await using opened = await connect(workspace, readerIdentity(workspace, options.as), {
    sharing: 'serve-or-reach',
  });
  const checkpoint =
    options.checkpoint === undefined ? checkpointers.inMemory() : await checkpointers.file(options.checkpoint);
  const filter = {
    ...(ids.length === 0 ? {} : { ids }),
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.type === undefined ? {} : { type: options.type }),
  };
  ctx.note(ctx.pick('等待狀態變更…（Ctrl-C 結束）', 'waiting for status changes… (Ctrl-C to stop)'));
  const changes = watch(opened.ledger, filter, {
    checkpoint,
    signal: controller.signal,
    ...(startBlock === undefined ? {} : { startBlock }),
  });
  // The embedded ledger waits for new blocks on promises alone, which do not keep Node running:
  // without this timer the process would end (exit 13) instead of waiting for Ctrl-C.
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  try {
    for await (const change of changes) {
      print(ctx, {
        id: change.id,
        issuerDid: change.issuerDid,
        from: change.from,
        to: change.to,
        reason: change.reason,
        txId: change.txId,
        blockNumber: change.blockNumber.toString(),
        at: change.at,
      });
    }
  } finally {
    clearInterval(keepAlive);
  }
}
