/** `credledger serve`: the verifier page, the read-only JSON API and DID documents, over this workspace's ledger. */
import { join } from 'node:path';
import type { Command } from 'commander';

import { action, CliError } from '../context.js';
import { examples, type Wiring } from '../program.js';
import { serveUntilSignal } from '../serve-run.js';
import { openWorkspace } from '../workspace.js';

interface ServeOptions {
  readonly port: string;
  readonly host: string;
  readonly webRoot?: string;
  readonly published?: string;
  readonly tracking?: boolean;
  readonly stateDir?: string;
  readonly allowLoopbackWebhooks?: boolean;
}

export function registerServe(program: Command, { t }: Wiring): void {
  const command = program
    .command('serve')
    .description(
      t.pick('提供驗證網頁、唯讀 API 與 DID 文件', 'serve the verifier page, the read-only API and DID documents'),
    )
    .option('--port <port>', t.pick('埠號（0 表示自動選擇）', 'port (0 picks a free one)'), '8080')
    .option('--host <host>', t.pick('監聽介面', 'interface to listen on'), '127.0.0.1')
    .option(
      '--web-root <dir>',
      t.pick('驗證網頁目錄（預設 verifier-web/dist）', 'verifier page directory (default verifier-web/dist)'),
    )
    .option(
      '--published <dir>',
      t.pick('已發布的狀態清單與信任清單目錄', 'directory of published status lists and trust list'),
    )
    .option(
      '--tracking',
      t.pick('啟用狀態追蹤：webhook 訂閱與即時串流', 'enable status tracking: webhook subscriptions and live streams'),
    )
    .option(
      '--state-dir <dir>',
      t.pick(
        '追蹤狀態目錄（預設 <workspace>/serve-state）',
        'tracking state directory (default <workspace>/serve-state)',
      ),
    )
    .option(
      '--allow-loopback-webhooks',
      t.pick('允許 http://127.0.0.1 webhook（僅供開發）', 'allow http://127.0.0.1 webhooks (development only)'),
    )
    .action(
      action(async (ctx, options: ServeOptions) => {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new CliError('INVALID_INPUT', `--port must be 0..65535, not ${options.port}`);
        const workspace = openWorkspace(ctx.options.workspace);
        await serveUntilSignal(workspace, {
          port,
          host: options.host,
          ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
          ...(options.published === undefined ? {} : { publishedRoot: options.published }),
          ...(options.tracking === true
            ? {
                tracking: {
                  stateDir: options.stateDir ?? join(workspace.dir, 'serve-state'),
                  allowLoopbackHttp: options.allowLoopbackWebhooks === true,
                },
              }
            : {}),
          onListening: (url, sharing) => {
            if (ctx.options.json) ctx.emit({ url });
            else ctx.say(t.pick(`驗證服務：${url}（Ctrl-C 結束）`, `verifier at ${url} (Ctrl-C to stop)`));
            if (sharing !== undefined && 'unavailable' in sharing)
              ctx.note(
                t.pick(
                  `serve 執行期間，其他指令無法使用此工作區的帳本：${sharing.unavailable}`,
                  `while serve runs, other commands cannot use this workspace's ledger: ${sharing.unavailable}`,
                ),
              );
          },
        });
      }),
    );
  examples(command, t, ['credledger serve', 'credledger serve --port 0 --published public/']);
}
