/**
 * `credledger verify <jwt | link | image>`: every check and the verdict; the exit code is the verdict
 * (0 VALID, 10–18 the others, see exit-codes.ts). Loads only the browser-safe verification entry
 * unless the status comes from the workspace's ledger.
 */
import type { Command } from 'commander';
import type { StatusSource, VerificationResult } from '@credledger/sdk/verify';

import { action, CliError, type Context } from '../context.js';
import { readCredentialInput } from '../credential-input.js';
import { verdictExitCodes } from '../exit-codes.js';
import type { MessageKey } from '../i18n.js';
import { examples, type Wiring } from '../program.js';
import { connect, openWorkspace, type OpenLedger } from '../workspace.js';

interface VerifyCommandOptions {
  readonly api?: string;
  readonly at?: string;
  readonly as: string;
}

export function registerVerify(program: Command, { t }: Wiring): void {
  const command = program
    .command('verify')
    .description(t.pick('驗證憑證（JWT、連結或 QR 圖檔）；結束碼表示結果', 'verify credentials (JWT, link or QR image); the exit code tells the verdict'))
    .argument('<input...>', t.pick('JWT、憑證連結、含其一的檔案、PNG/JPEG 圖檔，或 - 表示標準輸入', 'a JWT, a credential link, a file holding one, a PNG/JPEG QR image, or - for stdin'))
    .option('--api <url>', t.pick('向 `credledger serve` 的 API 查詢狀態，而非本工作區帳本', 'read status from a `credledger serve` API instead of the workspace ledger'))
    .option('--at <time>', t.pick('以此時間驗證（ISO 8601）', 'verify as of this time (ISO 8601)'))
    .option('--as <identity>', t.pick('讀取帳本的身分', 'identity reading the ledger'), 'NdcMSP/auditor')
    .action(
      action(async (ctx, inputs: string[], options: VerifyCommandOptions) => {
        const now = options.at === undefined ? new Date() : new Date(options.at);
        if (Number.isNaN(now.getTime())) {
          throw new CliError('INVALID_INPUT', `--at is not a time: ${options.at}`);
        }
        const texts = await Promise.all(inputs.map(readCredentialInput));
        const [{ verifyCredential, httpStatusSource }, { decodeCredentialLink }] = await Promise.all([
          import('@credledger/sdk/verify'),
          import('@credledger/sdk'),
        ]);
        const decodeLink = (link: string): string => {
          const decoded = decodeCredentialLink(link);
          if ('jwt' in decoded) return decoded.jwt;
          throw new Error(decoded.error);
        };
        let opened: OpenLedger | undefined;
        let status: StatusSource;
        if (options.api !== undefined) status = httpStatusSource({ baseUrl: options.api });
        else {
          const workspace = openWorkspace(ctx.options.workspace);
          opened = await connect(workspace, options.as);
          const { Registry, ledgerStatusSource } = await import('@credledger/sdk');
          status = ledgerStatusSource(new Registry(opened.ledger));
        }
        try {
          const results: VerificationResult[] = [];
          for (const text of texts) results.push(await verifyCredential(text, { status, now, decodeLink }));
          if (ctx.options.json) ctx.emit(results.length === 1 ? results[0] : results);
          else results.forEach((result, i) => printResult(ctx, inputs.length > 1 ? inputs[i] : undefined, result));
          const worst = results.find((result) => result.verdict !== 'VALID') ?? results[0];
          ctx.exit(worst ? verdictExitCodes[worst.verdict] : 0);
        } finally {
          await opened?.[Symbol.asyncDispose]();
        }
      }),
    );
  examples(command, t, [
    'credledger verify out/jwt/0a1b….jwt',
    'credledger verify licence-qr.png --json',
    "credledger verify 'http://localhost:8080/#6201…' --api http://localhost:8080",
  ]);
}

const marks = { pass: '✓', fail: '✗', unknown: '?' } as const;

function printResult(ctx: Context, label: string | undefined, result: VerificationResult): void {
  if (label !== undefined) ctx.say(`${label}`);
  ctx.say(`${ctx.t('verify.verdict')}: ${result.verdict} (${ctx.t(`verdict.${result.verdict}` as MessageKey)})`);
  for (const check of result.checks) {
    ctx.say(`  ${marks[check.result]} ${check.name.padEnd(16)} ${ctx.t(`check.${check.result}`).padEnd(8)} ${check.reason}${check.detail ? ` — ${check.detail}` : ''}`);
  }
  const credential = result.credential;
  if (credential) {
    const issuerName = credential.issuerName ? (ctx.lang === 'zh-TW' ? credential.issuerName['zh-TW'] : credential.issuerName.en) : credential.issuer;
    ctx.say(`  ${credential.type} ${credential.id}`);
    ctx.say(`  ${ctx.pick('發行者', 'issuer')}: ${issuerName} (${credential.issuer})`);
    for (const [field, value] of Object.entries(credential.subject)) ctx.say(`    ${field}: ${Array.isArray(value) ? value.join('; ') : String(value)}`);
  }
  if (result.status) {
    ctx.say(`  ${ctx.pick('狀態', 'status')}: ${result.status.state}${result.status.reason ? ` (${result.status.reason})` : ''} — ${ctx.pick('資料時間', 'as of')} ${result.status.asOf}`);
  }
}
