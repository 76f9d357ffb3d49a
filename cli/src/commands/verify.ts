/**
 * `credledger verify <jwt | link | image>`: every check and the verdict; the exit code is the verdict
 * (0 VALID, 10–18 the others, see exit-codes.ts). Status comes from the workspace's ledger, a
 * `credledger serve` API (`--api`), or offline from signed files (`--status-dir`); the last two load
 * only the browser-safe verification entry, never the ledger, Fabric or gRPC.
 */
import { join, resolve, sep } from 'node:path';
import type { ReasonCode } from '@credledger/sdk';
import type { Command } from 'commander';
import type {
  CredentialTypeDefinition,
  FieldDefinition,
  Label,
  PinnedKey,
  StatusSource,
  StatusSummary,
  VerificationResult,
} from '@credledger/sdk/verify';

import { action, CliError, type Context } from '../context.js';
import { credentialInputHelp, readCredentialInput } from '../credential-input.js';
import { verdictExitCodes } from '../exit-codes.js';
import { reasonWords, type MessageKey } from '../i18n.js';
import { examples, type Wiring } from '../program.js';
import { quoted } from '../quoted.js';
import {
  connect,
  governanceKeysFileName,
  openWorkspace,
  trustListFileName,
  type OpenLedger,
  type Workspace,
} from '../workspace.js';

interface VerifyCommandOptions {
  readonly api?: string;
  readonly statusDir?: string;
  readonly governanceKeys?: string;
  readonly at?: string;
  readonly as: string;
}

export function registerVerify(program: Command, { t }: Wiring): void {
  const command = program
    .command('verify')
    .description(
      t.pick(
        '驗證憑證（JWT、連結或 QR 圖檔）；結束碼表示結果',
        'verify credentials (JWT, link or QR image); the exit code tells the verdict',
      ),
    )
    .argument(
      '<input...>',
      t.pick(
        'JWT、憑證連結、含其一的檔案、PNG/JPEG 圖檔，或 - 表示標準輸入',
        'a JWT, a credential link, a file holding one, a PNG/JPEG QR image, or - for stdin',
      ),
    )
    .option(
      '--api <url>',
      t.pick(
        '向 `credledger serve` 的 API 查詢狀態，而非本工作區帳本',
        'read status from a `credledger serve` API instead of the workspace ledger',
      ),
    )
    .option(
      '--status-dir <dir>',
      t.pick(
        '離線驗證：讀取 `status-list publish` 與 `trust-list export` 寫出的已簽署檔案（預設為工作區設定的 statusDir）',
        'verify offline from the signed files `status-list publish` and `trust-list export` wrote (default: the workspace’s statusDir)',
      ),
    )
    .option(
      '--governance-keys <file>',
      t.pick(
        '離線驗證時信任的治理機關公鑰（預設為工作區的 governance-keys.json）',
        "governance keys to trust offline (default: the workspace's governance-keys.json)",
      ),
    )
    .option('--at <time>', t.pick('以此時間驗證（ISO 8601）', 'verify as of this time (ISO 8601)'))
    .option('--as <identity>', t.pick('讀取帳本的身分', 'identity reading the ledger'), 'NdcMSP/auditor')
    .action(
      action(async (ctx, inputs: string[], options: VerifyCommandOptions) => {
        const now = options.at === undefined ? new Date() : new Date(options.at);
        if (Number.isNaN(now.getTime())) {
          throw new CliError(
            'INVALID_INPUT',
            `--at is not a time: ${await quoted(options.at)}`,
            'give a time such as 2026-01-31T12:00:00+08:00',
          );
        }
        if (options.api !== undefined && options.statusDir !== undefined) {
          throw new CliError('USAGE', '--api and --status-dir exclude each other', 'choose one source of status');
        }
        const texts = await Promise.all(inputs.map(readCredentialInput));
        // The browser-safe entry only: reading status over HTTP or from files never loads the ledger,
        // Fabric or gRPC modules.
        const verify = await import('@credledger/sdk/verify');
        const decodeLink = (link: string): string => {
          const decoded = verify.decodeCredentialLink(link);
          if ('jwt' in decoded) return decoded.jwt;
          throw new Error(decoded.error);
        };
        let opened: OpenLedger | undefined;
        let status: StatusSource;
        const offline = options.api === undefined ? offlineSource(ctx, options) : undefined;
        if (options.api !== undefined) status = verify.httpStatusSource({ baseUrl: options.api });
        else if (offline !== undefined) status = await offline;
        else {
          const workspace = openWorkspace(ctx.options.workspace);
          opened = await connect(workspace, options.as);
          const { Registry, ledgerStatusSource } = await import('@credledger/sdk');
          status = ledgerStatusSource(new Registry(opened.ledger));
        }
        try {
          const results: VerificationResult[] = [];
          for (const text of texts) results.push(await verify.verifyCredential(text, { status, now, decodeLink }));
          if (ctx.options.json) ctx.emit(results.length === 1 ? results[0] : results);
          else {
            results.forEach((result, i) => {
              // Pasted credential text can be long or hold control characters: the label quotes it then.
              const input = inputs[i] ?? '';
              const label = input.length > 80 || /[\p{Cc}\p{Cf}]/u.test(input) ? verify.quoteInput(input) : input;
              printResult(ctx, inputs.length > 1 ? label : undefined, result, verify.credentialTypes);
            });
          }
          const worst = results.find((result) => result.verdict !== 'VALID') ?? results[0];
          ctx.exit(worst ? verdictExitCodes[worst.verdict] : 0);
        } finally {
          await opened?.[Symbol.asyncDispose]();
        }
      }),
    );
  command.addHelpText('after', credentialInputHelp(t));
  examples(command, t, [
    'credledger verify out/jwt/0a1b….jwt',
    'credledger verify licence-qr.png --json',
    'credledger verify licence.jwt --status-dir public/',
    "credledger verify 'http://localhost:8080/#6201…' --api http://localhost:8080",
  ]);
}

/**
 * The offline status source, when `--status-dir` or the workspace's `statusDir` names one: the signed
 * trust list and status lists in that folder, trusted through governance keys pinned OUTSIDE it
 * (`--governance-keys`, else the workspace's copy), never through a key file lying beside the lists.
 * Undefined when neither names a folder (status then comes from the ledger).
 */
function offlineSource(ctx: Context, options: VerifyCommandOptions): Promise<StatusSource> | undefined {
  const workspace =
    options.statusDir !== undefined && options.governanceKeys !== undefined ? undefined : tryWorkspace(ctx);
  const dirOption =
    options.statusDir ??
    (workspace?.config.statusDir === undefined ? undefined : workspace.resolve(workspace.config.statusDir));
  if (dirOption === undefined) return undefined;
  const dir = resolve(dirOption);
  return (async () => {
    const keysFile = options.governanceKeys ?? (workspace ? workspace.resolve(governanceKeysFileName) : undefined);
    if (keysFile === undefined) {
      throw new CliError(
        'CONFIG_INVALID',
        'no governance key is pinned for offline verification',
        'pass --governance-keys <file>, or run `credledger trust-list export` in the workspace',
      );
    }
    const { readFile } = await import('node:fs/promises');
    const read = async (path: string, what: string): Promise<string> => {
      try {
        return (await readFile(path, 'utf8')).trim();
      } catch {
        throw new CliError(
          'FILE_NOT_FOUND',
          `cannot read the ${what} ${path}`,
          'write it with `credledger trust-list export` / `credledger status-list publish`',
        );
      }
    };
    const governanceKeys = parseGovernanceKeys(await read(keysFile, 'governance key file'), keysFile);
    const trustList = await read(join(dir, trustListFileName), 'trust list');
    const { offlineStatusSource } = await import('@credledger/sdk/verify');
    return offlineStatusSource({
      trustList,
      governanceKeys,
      statusLists: async (url) => {
        const file = statusListFile(dir, url);
        if (file === undefined) return undefined;
        try {
          return (await readFile(file, 'utf8')).trim();
        } catch {
          return undefined;
        }
      },
    });
  })();
}

function tryWorkspace(ctx: Context): Workspace | undefined {
  try {
    return openWorkspace(ctx.options.workspace);
  } catch (error) {
    if (error instanceof CliError && error.code === 'WORKSPACE_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * The file `status-list publish` wrote for a status list URL: `<dir>/<URL path>.jwt`. Undefined for a
 * URL whose path would leave the folder (an encoded `../`), which is never a list we published.
 */
export function statusListFile(dir: string, url: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, '');
  } catch {
    return undefined;
  }
  if (path === '' || path.split(/[\\/]/).some((segment) => segment === '..' || segment === '')) return undefined;
  const file = resolve(dir, `${path}.jwt`);
  return file.startsWith(`${dir}${sep}`) ? file : undefined;
}

function parseGovernanceKeys(text: string, file: string): PinnedKey[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError('CONFIG_INVALID', `${file} is not JSON`);
  }
  const keys: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
  const valid = keys.every((k) => {
    if (typeof k !== 'object' || k === null) return false;
    const { kid, publicKeyJwk } = k as Record<string, unknown>;
    return typeof kid === 'string' && typeof publicKeyJwk === 'object' && publicKeyJwk !== null;
  });
  if (keys.length === 0 || !valid)
    throw new CliError('CONFIG_INVALID', `${file} holds no governance keys ([{ kid, publicKeyJwk }])`);
  return keys as PinnedKey[];
}

const marks = { pass: '✓', fail: '✗', unknown: '?' } as const;

function printResult(
  ctx: Context,
  label: string | undefined,
  result: VerificationResult,
  types: Readonly<Record<string, CredentialTypeDefinition>>,
): void {
  const text = (l: Label): string => (ctx.lang === 'zh-TW' ? l['zh-TW'] : l.en);
  if (label !== undefined) ctx.say(label);
  // The verdict once: its phrase only when it says more than the code (`VALID`, not `VALID (valid)`).
  const phrase = ctx.t(`verdict.${result.verdict}` as MessageKey);
  const same = phrase.toUpperCase().replace(/ /g, '_') === result.verdict;
  ctx.say(`${ctx.t('verify.verdict')}: ${result.verdict}${same ? '' : ctx.pick(`（${phrase}）`, ` (${phrase})`)}`);
  for (const check of result.checks) {
    ctx.say(
      `  ${marks[check.result]} ${check.name.padEnd(16)} ${ctx.t(`check.${check.result}`).padEnd(8)} ${check.reason}${check.detail ? ` — ${check.detail}` : ''}`,
    );
  }
  const credential = result.credential;
  if (credential) {
    const type = Object.hasOwn(types, credential.type) ? types[credential.type] : undefined;
    const issuerName = credential.issuerName ? text(credential.issuerName) : credential.issuer;
    ctx.say(`  ${type ? `${text(type.title)} (${credential.type})` : credential.type} ${credential.id}`);
    ctx.say(`  ${ctx.pick('發行者', 'issuer')}: ${issuerName} (${credential.issuer})`);
    ctx.say(
      `  ${ctx.pick('有效期間', 'valid')}: ${credential.validFrom} – ${credential.validUntil ?? ctx.pick('無期限', 'no expiry')}`,
    );
    for (const [name, value] of Object.entries(credential.subject)) {
      const field = type?.fields.find((f) => f.name === name);
      ctx.say(`    ${field ? text(field.label) : name}: ${displayValue(field, value, text)}`);
    }
  }
  if (result.status) ctx.say(`  ${ctx.pick('狀態', 'status')}: ${statusInWords(ctx, result.status)}`);
}

/**
 * A credential's status as an operator reads it: the state and reason in words, since when, and how
 * fresh the answer is. A code this CLI has no words for is shown as the code.
 */
function statusInWords(ctx: Context, status: StatusSummary): string {
  const state = ctx.maybe(`status.${status.state}`) ?? status.state;
  const reason =
    status.reason === null
      ? undefined
      : Object.hasOwn(reasonWords, status.reason)
        ? reasonWords[status.reason as ReasonCode][ctx.lang]
        : status.reason;
  const since = status.changedAt === null ? '' : ` ${ctx.t('status.since', { date: status.changedAt })}`;
  return `${state}${reason === undefined ? '' : ctx.pick(`（${reason}）`, ` (${reason})`)}${since} — ${ctx.pick('資料時間', 'as of')} ${status.asOf}`;
}

/** A subject value as an operator reads it: enum codes by their label, lists joined with `; `. */
function displayValue(field: FieldDefinition | undefined, value: unknown, text: (l: Label) => string): string {
  const spec = field?.type === 'list' ? field.items : field;
  const one = (item: unknown): string => {
    if (spec?.type === 'enum') {
      const known = spec.values.find((v) => v.value === item);
      if (known) return text(known.label);
    }
    return typeof item === 'string' ? item : JSON.stringify(item);
  };
  return Array.isArray(value) ? value.map(one).join('; ') : one(value);
}
