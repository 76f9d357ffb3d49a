/**
 * `credledger subscriptions add|list|remove`: webhook subscriptions of `credledger serve --tracking`,
 * through a running server's API (`--server`, authorised by the token `add` printed) or directly in the
 * serve state directory while serve is stopped (the operator's view: every subscription).
 * Adding needs the credential itself (its compact JWS, a credential link or a file holding either):
 * only a holder may subscribe to a credential.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';

import { action, CliError, type Context, cliError } from '../context.js';
import { anyCodeTexts, fillText } from '../error-text.js';
import { exitCodeOf } from '../exit-codes.js';
import { examples, readerOption, type Wiring } from '../wiring.js';
import { quoted } from '../quoted.js';
import { connect, openWorkspace, readerIdentity } from '../workspace.js';

interface Where {
  readonly server?: string;
  readonly stateDir?: string;
  readonly token?: string;
}

/** The serve state directory: `--state-dir`, else `<workspace>/serve-state` (what `serve --tracking` uses by default). */
export function stateDirOf(ctx: Context, flag: string | undefined): string {
  if (flag !== undefined) return flag;
  return join(openWorkspace(ctx.options.workspace).dir, 'serve-state');
}

/** The compact JWS inside a JWS, a credential link, or a file holding either. */
async function credentialJws(input: string): Promise<string> {
  const text = existsSync(input) ? (await readFile(input, 'utf8')).trim() : input.trim();
  const { decodeCredentialLink } = await import('@credledger/verify');
  const decoded = decodeCredentialLink(text) as { jwt?: string };
  if (decoded.jwt === undefined)
    throw cliError('CREDENTIAL_MALFORMED', 'notCredential', {
      value: input.length > 60 ? `${input.slice(0, 60)}…` : input,
    });
  return decoded.jwt;
}

/** Calls the server's API; an error answer becomes a CliError with the server's code. */
async function api(method: string, server: string, path: string, body?: unknown, token?: string): Promise<unknown> {
  const url = new URL(path, server);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw cliError('LEDGER_UNAVAILABLE', 'unreachable', { origin: url.origin, reason: (error as Error).message });
  }
  const text = await response.text();
  if (response.ok) return text === '' ? undefined : (JSON.parse(text) as unknown);
  let code = response.status >= 500 ? 'LEDGER_UNAVAILABLE' : 'INVALID_INPUT';
  const said: Record<string, string | number> = { origin: url.origin, status: response.status };
  try {
    const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    // Codes only the HTTP layer has (NOT_FOUND, RATE_LIMITED…) keep the fallback exit code.
    if (error?.code !== undefined && exitCodeOf(error.code) !== exitCodeOf('INTERNAL')) code = error.code;
    if (error?.message !== undefined) Object.assign(said, { code: error.code ?? '', message: error.message });
  } catch {
    // Not our API's JSON: keep the status line.
  }
  throw new CliError(code, fillText(anyCodeTexts.serverAnswered, said));
}

interface StateLike {
  readonly id: string;
  readonly url: string;
  readonly credentialIds: readonly string[];
  readonly createdAt: string;
  readonly pending?: number;
  readonly attempts?: number;
  readonly lastError?: string | null;
  readonly deadLetters?: readonly unknown[];
}

function show(ctx: Context, state: StateLike): void {
  ctx.say(`${state.id}  ${state.url}`);
  ctx.say(`  ${ctx.pick('憑證', 'credentials')}: ${state.credentialIds.join(', ')}`);
  ctx.say(`  ${ctx.pick('建立', 'created')}: ${state.createdAt}`);
  if (state.pending !== undefined) {
    ctx.say(
      `  ${ctx.pick('待送', 'pending')}: ${state.pending}${state.attempts ? `  (${ctx.pick('已嘗試', 'attempts')} ${state.attempts}: ${state.lastError ?? ''})` : ''}   ${ctx.pick('無法送達', 'dead letters')}: ${state.deadLetters?.length ?? 0}`,
    );
  }
}

export function registerSubscriptions(program: Command, { t }: Wiring): void {
  const group = program
    .command('subscriptions')
    .description(t.pick('管理狀態變更通知（webhook）訂閱', 'manage status-change webhook subscriptions'));
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
  ).action(
    action(
      async (ctx, options: Where & { url: string; credential: string[]; allowLoopbackHttp?: boolean; as: string }) => {
        const credentials = await Promise.all(options.credential.map(credentialJws));
        let created: { subscription: StateLike; token: string };
        if (options.server !== undefined) {
          created = (await api('POST', options.server, '/api/v1/subscriptions', {
            url: options.url,
            credentials,
          })) as typeof created;
        } else {
          const [{ openSubscriptionStore }, { Registry }] = await Promise.all([
            import('@credledger/server'),
            import('@credledger/ledger'),
          ]);
          const workspace = openWorkspace(ctx.options.workspace);
          await using opened = await connect(workspace, readerIdentity(workspace, options.as));
          await using store = await openSubscriptionStore(stateDirOf(ctx, options.stateDir));
          created = await store.add(
            new Registry(opened.ledger),
            { url: options.url, credentials },
            { allowLoopbackHttp: options.allowLoopbackHttp === true },
          );
        }
        if (ctx.options.json) ctx.emit(created);
        else {
          show(ctx, created.subscription);
          ctx.say(`  token: ${created.token}`);
          ctx.note(
            t.pick(
              '請保存 token：查詢與取消訂閱都需要它，且不會再顯示。',
              'keep the token: listing and removing need it, and it is not shown again.',
            ),
          );
        }
      },
    ),
  );
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
  ).action(
    action(async (ctx, options: Where & { id?: string }) => {
      let states: StateLike[];
      if (options.server !== undefined) {
        if (options.id === undefined || options.token === undefined) {
          throw cliError('INVALID_INPUT', 'subscriptionOwner', {});
        }
        states = [
          (await api(
            'GET',
            options.server,
            `/api/v1/subscriptions/${encodeURIComponent(options.id)}`,
            undefined,
            options.token,
          )) as StateLike,
        ];
      } else {
        const { openSubscriptionStore } = await import('@credledger/server');
        await using store = await openSubscriptionStore(stateDirOf(ctx, options.stateDir));
        states = await store.list();
      }
      if (ctx.options.json) ctx.emit(states);
      else if (states.length === 0) ctx.say(t.pick('沒有訂閱', 'no subscriptions'));
      else for (const state of states) show(ctx, state);
    }),
  );
  examples(list, t, [
    'credledger subscriptions list',
    'credledger subscriptions list --server https://verify.example.gov.tw --id sub_… --token …',
  ]);

  const remove = where(
    group
      .command('remove')
      .description(
        t.pick('取消訂閱（連同待送與無法送達的通知）', 'remove a subscription (with its pending and dead deliveries)'),
      )
      .argument('<id>', t.pick('訂閱編號 `sub_…`', 'sub_…'))
      .option(
        '--token <token>',
        t.pick('add 時取得的 token（搭配 --server）', 'the token add printed (with --server)'),
      ),
  ).action(
    action(async (ctx, id: string, options: Where) => {
      if (options.server !== undefined) {
        if (options.token === undefined) throw cliError('INVALID_INPUT', 'subscriptionToken', {});
        await api(
          'DELETE',
          options.server,
          `/api/v1/subscriptions/${encodeURIComponent(id)}`,
          undefined,
          options.token,
        );
      } else {
        const { openSubscriptionStore } = await import('@credledger/server');
        await using store = await openSubscriptionStore(stateDirOf(ctx, options.stateDir));
        if (!(await store.remove(id))) throw cliError('INVALID_INPUT', 'noSubscription', { id: await quoted(id) });
      }
      if (ctx.options.json) ctx.emit({ removed: id });
      else ctx.say(t.pick(`已取消 ${id}`, `removed ${id}`));
    }),
  );
  examples(remove, t, [
    'credledger subscriptions remove sub_…',
    'credledger subscriptions remove sub_… --server https://verify.example.gov.tw --token …',
  ]);
}
