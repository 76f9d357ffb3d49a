/**
 * `credledger subscriptions add|list|remove`: webhook subscriptions of `credledger serve --tracking`,
 * through a running server's API (`--server`, authorised by the token `add` printed) or directly in the
 * serve state directory while serve is stopped (the operator's view: every subscription).
 * Adding needs the credential itself (its compact JWS, a credential link or a file holding either):
 * only a holder may subscribe to a credential.
 * The wiring: arguments, options and help. The action is actions/subscriptions.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerSubscriptions(program: Command, { t, later }: Wiring): void {
  const group = program
    .command('subscriptions')
    .description(t.pick('管理狀態變更通知（webhook）訂閱', 'manage status-change webhook subscriptions'));
  later(group, { options: false }, () => {
    const where = (command: Command): Command =>
      command
        .option(
          '--server <url>',
          t.pick('透過執行中的 credledger serve --tracking', 'through a running credledger serve --tracking'),
        )
        .option(
          '--state-dir <dir>',
          t.pick(
            'serve 的狀態目錄（serve 停止時；預設 `<workspace>/serve-state`）',
            'serve state directory (while serve is stopped; default <workspace>/serve-state)',
          ),
        );

    const add = where(
      group
        .command('add')
        .description(
          t.pick('訂閱：憑證狀態變更時 POST 至 URL', 'subscribe: POST to a URL when the credentials change status'),
        )
        .requiredOption('--url <url>', t.pick('接收通知的 https:// 網址', 'https:// URL receiving the notifications'))
        .requiredOption(
          '--credential <jwt|link|file...>',
          t.pick('持有的憑證（證明持有）', 'the credentials held (the proof of holding them)'),
        )
        .option(
          '--allow-loopback-http',
          t.pick('允許 http://127.0.0.1（僅供開發）', 'allow http://127.0.0.1 (development only)'),
        )
        .addOption(readerOption(t)),
    ).action(action(async () => (await import('../actions/subscriptions.js')).add));
    examples(add, t, [
      'credledger subscriptions add --server https://verify.example.gov.tw --url https://bank.example/hooks/credledger --credential licence.jwt',
      'credledger subscriptions add --url https://firm.example/hook --credential licence.png.txt',
    ]);

    const list = where(
      group
        .command('list')
        .description(t.pick('列出訂閱與其送達狀態', 'list subscriptions and their delivery state'))
        .option('--id <id>', t.pick('訂閱編號（搭配 --server）', 'subscription id (with --server)'))
        .option(
          '--token <token>',
          t.pick('add 時取得的 token（搭配 --server）', 'the token add printed (with --server)'),
        ),
    ).action(action(async () => (await import('../actions/subscriptions.js')).list));
    examples(list, t, [
      'credledger subscriptions list',
      'credledger subscriptions list --server https://verify.example.gov.tw --id sub_… --token …',
    ]);

    const remove = where(
      group
        .command('remove')
        .description(
          t.pick(
            '取消訂閱（連同待送與無法送達的通知）',
            'remove a subscription (with its pending and dead deliveries)',
          ),
        )
        .argument('<id>', t.pick('訂閱編號 `sub_…`', 'sub_…'))
        .option(
          '--token <token>',
          t.pick('add 時取得的 token（搭配 --server）', 'the token add printed (with --server)'),
        ),
    ).action(action(async () => (await import('../actions/subscriptions.js')).remove));
    examples(remove, t, [
      'credledger subscriptions remove sub_…',
      'credledger subscriptions remove sub_… --server https://verify.example.gov.tw --token …',
    ]);
  });
}
