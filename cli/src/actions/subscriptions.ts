/**
 * `credledger subscriptions add|list|remove`: webhook subscriptions of `credledger serve --tracking`,
 * through a running server's API (`--server`, authorised by the token `add` printed) or directly in the
 * serve state directory while serve is stopped (the operator's view: every subscription).
 * Adding needs the credential itself (its compact JWS, a credential link or a file holding either):
 * only a holder may subscribe to a credential.
 * What the command does; its arguments, options and help are wired in commands/subscriptions.ts, which
 * loads this module when the command runs.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { CliError, type Context, cliError } from '../context.js';
import { anyCodeTexts, fillText } from '../error-text.js';
import { exitCodeOf } from '../exit-codes.js';
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

/** The action of `credledger subscriptions add`. */
export async function add(
  ctx: Context,
  options: Where & { url: string; credential: string[]; allowLoopbackHttp?: boolean; as: string },
): Promise<void> {
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
      ctx.pick(
        '請保存 token：查詢與取消訂閱都需要它，且不會再顯示。',
        'keep the token: listing and removing need it, and it is not shown again.',
      ),
    );
  }
}

/** The action of `credledger subscriptions list`. */
export async function list(ctx: Context, options: Where & { id?: string }): Promise<void> {
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
  else if (states.length === 0) ctx.say(ctx.pick('沒有訂閱', 'no subscriptions'));
  else for (const state of states) show(ctx, state);
}

/** The action of `credledger subscriptions remove`. */
export async function remove(ctx: Context, id: string, options: Where): Promise<void> {
  if (options.server !== undefined) {
    if (options.token === undefined) throw cliError('INVALID_INPUT', 'subscriptionToken', {});
    await api('DELETE', options.server, `/api/v1/subscriptions/${encodeURIComponent(id)}`, undefined, options.token);
  } else {
    const { openSubscriptionStore } = await import('@credledger/server');
    await using store = await openSubscriptionStore(stateDirOf(ctx, options.stateDir));
    if (!(await store.remove(id))) throw cliError('INVALID_INPUT', 'noSubscription', { id: await quoted(id) });
  }
  if (ctx.options.json) ctx.emit({ removed: id });
  else ctx.say(ctx.pick(`已取消 ${id}`, `removed ${id}`));
}
