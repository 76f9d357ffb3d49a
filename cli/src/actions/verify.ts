/**
 * `credledger verify <jwt | link | image | pdf>`: the verdict and what was established (verify-report.ts);
 * the exit code is the verdict (0 VALID, 10–19 the others, see exit-codes.ts). Status comes from the
 * workspace's ledger, a `credledger serve` API (`--api`), or offline from signed files (`--status-dir`);
 * the last two load only the browser-safe verification entry, never the ledger, Fabric or gRPC.
 * What the command does; its arguments, options and help are wired in commands/verify.ts, which
 * loads this module when the command runs.
 */
import { join, resolve, sep } from 'node:path';

import type { PinnedKey, StatusSource, VerificationResult } from '@credledger/verify';

import { CliError, type Context, cliError } from '../context.js';
import { readCredentialSource } from '../credential-input.js';
import { verdictExitCodes } from '../exit-codes.js';
import { printVerification } from '../verify-report.js';
import { quoted } from '../quoted.js';
import {
  connect,
  governanceKeysFileName,
  openWorkspace,
  trustListFileName,
  type OpenLedger,
  type Workspace,
  readerIdentity,
} from '../workspace.js';

interface VerifyCommandOptions {
  readonly api?: string;
  readonly statusDir?: string;
  readonly governanceKeys?: string;
  readonly at?: string;
  readonly as: string;
  readonly showClaims?: boolean;
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
      throw cliError('CONFIG_INVALID', 'noGovernanceKey', {});
    }
    const { readFile } = await import('node:fs/promises');
    const read = async (path: string, what: 'governanceKeys' | 'trustList'): Promise<string> => {
      try {
        return (await readFile(path, 'utf8')).trim();
      } catch {
        throw cliError('FILE_NOT_FOUND', what, { file: path });
      }
    };
    const governanceKeys = parseGovernanceKeys(await read(keysFile, 'governanceKeys'), keysFile);
    const trustList = await read(join(dir, trustListFileName), 'trustList');
    const { offlineStatusSource } = await import('@credledger/verify');
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
    throw cliError('CONFIG_INVALID', 'governanceKeysNotJson', { file });
  }
  const keys: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
  const valid = keys.every((k) => {
    if (typeof k !== 'object' || k === null) return false;
    const { kid, publicKeyJwk } = k as Record<string, unknown>;
    return typeof kid === 'string' && typeof publicKeyJwk === 'object' && publicKeyJwk !== null;
  });
  if (keys.length === 0 || !valid)
    throw cliError('CONFIG_INVALID', 'noGovernanceKeys', { file, shape: '[{ kid, publicKeyJwk }]' });
  return keys as PinnedKey[];
}

/** The action of `credledger verify`. */
export async function verify(ctx: Context, inputs: string[], options: VerifyCommandOptions): Promise<void> {
  const now = options.at === undefined ? new Date() : new Date(options.at);
  if (Number.isNaN(now.getTime())) {
    throw cliError('INVALID_INPUT', 'verifyAt', { value: await quoted(options.at) });
  }
  if (options.api !== undefined && options.statusDir !== undefined) {
    throw cliError('USAGE', 'apiAndStatusDir', {});
  }
  const sources = await Promise.all(inputs.map(readCredentialSource));
  const texts = sources.map((source) => source.text);
  // The browser-safe entry only: reading status over HTTP or from files never loads the ledger,
  // Fabric or gRPC modules.
  const verify = await import('@credledger/verify');
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
    opened = await connect(workspace, readerIdentity(workspace, options.as));
    const [{ Registry }, { ledgerStatusSource }] = await Promise.all([
      import('@credledger/ledger'),
      import('@credledger/verify'),
    ]);
    status = ledgerStatusSource(new Registry(opened.ledger));
  }
  try {
    const results: VerificationResult[] = [];
    for (const text of texts) results.push(await verify.verifyCredential(text, { status, now, decodeLink }));
    if (ctx.options.json) {
      // What a machine reader needs to show a result honestly: which checks ran, which one the
      // verdict rests on, and whether the claims may be shown as facts.
      const withStory = results.map((result, i) => {
        const story = verify.established(result);
        const pdfQrPage = sources[i]?.pdfQrPage;
        return {
          ...result,
          // Which path the credential came by, when it was not the file's own text.
          ...(pdfQrPage === undefined ? {} : { readFrom: { kind: 'pdfQrCode', page: pdfQrPage } }),
          established: {
            claims: story.claims,
            checksRun: story.ran.map((c) => c.name),
            checksNotRun: story.notRun,
            ...(story.decisive ? { decisive: story.decisive.name } : {}),
          },
        };
      });
      ctx.emit(withStory.length === 1 ? withStory[0] : withStory);
    } else {
      const tools = {
        types: verify.credentialTypes,
        established: verify.established,
        showHiddenCharacters: verify.showHiddenCharacters,
      };
      results.forEach((result, i) => {
        if (i > 0) ctx.say('');
        const pdfQrPage = sources[i]?.pdfQrPage;
        printVerification(ctx, inputs.length > 1 ? inputs[i] : undefined, result, tools, {
          showClaims: options.showClaims === true,
          ...(pdfQrPage === undefined
            ? {}
            : {
                readFrom: ctx.pick(
                  `讀取自 PDF 第 ${pdfQrPage} 頁印的 QR 碼（此 PDF 未附帶憑證）`,
                  `read from the QR code printed on page ${pdfQrPage} of the PDF (no credential attached)`,
                ),
              }),
        });
      });
    }
    const worst = results.find((result) => result.verdict !== 'VALID') ?? results[0];
    ctx.exit(worst ? verdictExitCodes[worst.verdict] : 0);
  } finally {
    await opened?.[Symbol.asyncDispose]();
  }
}
