/**
 * `credledger issue-batch <type> --csv rows.csv --out dir/`: checks every row first, then issues with
 * a progress bar; resumable (rerun the same command after any interruption). QR images are a separate
 * step (`--qr` runs it after issuance, or `credledger qr-batch` later) so they never slow issuance.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { Option, type Command } from 'commander';

import { action, CliError } from '../context.js';
import type { I18n } from '../i18n.js';
import { cliExitCodes } from '../exit-codes.js';
import { openIssuing } from '../issuing.js';
import { progressBar } from '../progress.js';
import { examples, type Wiring } from '../program.js';
import { runQrBatch } from '../qr-batch-run.js';
import { validityFromFlags } from '../validity-args.js';
import { issuerForType, openWorkspace } from '../workspace.js';

interface IssueBatchOptions {
  readonly csv: string;
  readonly out: string;
  readonly dryRun?: boolean;
  readonly issuer?: string;
  readonly as?: string;
  readonly qr?: boolean;
  readonly perTx: string;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly allowExpired?: boolean;
}

/** Row errors printed before the summary; the rest are in errors.csv (and all of them under --json). */
const printedRowIssues = 20;

export function registerIssueBatch(program: Command, { t }: Wiring): void {
  const command = program
    .command('issue-batch')
    .description(
      t.pick('由 CSV 批次核發（可中斷後續作）', 'issue credentials from a CSV (resumable after any interruption)'),
    )
    .argument('<type>', t.pick('憑證類型', 'credential type'))
    .requiredOption(
      '--csv <file>',
      t.pick('輸入 CSV（欄名即欄位名，清單以 ; 分隔）', 'input CSV (columns are field names, lists separated by ;)'),
    )
    .requiredOption(
      '--out <dir>',
      t.pick('輸出目錄：每列一個 JWT、result.csv、日誌', 'output directory: one JWT per row, result.csv, journal'),
    )
    .option('--dry-run', t.pick('只檢查每一列，不核發', 'check every row, issue nothing'))
    .option('--issuer <did>', t.pick('發行者 DID', 'issuer DID'))
    .option('--as <identity>', t.pick('代表發行者的身分', 'identity acting for the issuer'))
    .option('--qr', t.pick('核發後另以平行步驟產生 QR PNG', 'render QR PNGs afterwards, as a separate parallel step'))
    .option('--valid-from <date>', t.pick('生效時間（預設：現在）', 'start of validity (default: now)'))
    .option('--valid-until <date>', t.pick('失效時間（預設依類型）', 'end of validity (default per type)'))
    .option(
      '--allow-expired',
      t.pick('允許核發一核發即已過期的憑證', 'allow credentials that are already expired when issued'),
    )
    // Credentials per ledger transaction; 1 is the benchmark baseline, not an operator setting.
    .addOption(new Option('--per-tx <n>', 'credentials per ledger transaction').default('2000').hideHelp())
    .action(
      action(async (ctx, type: string, options: IssueBatchOptions) => {
        const perTx = Number(options.perTx);
        if (!Number.isInteger(perTx) || perTx < 1 || perTx > 2000)
          throw new CliError('INVALID_INPUT', '--per-tx must be 1..2000');
        const sdk = await import('@credledger/sdk');
        const validity = await validityFromFlags(type, options, ctx);
        const input = await readInput(sdk, options.csv, type, t);
        const errorsCsv = join(options.out, sdk.rowIssuesCsvName);

        if (input.issues.length > 0) {
          await mkdir(options.out, { recursive: true }).catch((error: unknown) => {
            throw new CliError('FILE_NOT_FOUND', `cannot create the output directory ${options.out}`, undefined, {
              cause: String(error),
            });
          });
          await sdk.writeRowIssuesCsv(errorsCsv, input.issues, ctx.lang);
        } else {
          // A clean check leaves no errors.csv of an earlier run to mislead anyone.
          await rm(errorsCsv, { force: true });
        }
        if (input.issues.length > 0 || options.dryRun) {
          const invalid = new Set(input.issues.map((issue) => issue.row)).size;
          if (ctx.options.json)
            ctx.emit({
              rows: input.total,
              valid: input.rows.length,
              invalid,
              issues: input.issues,
              ...(input.issues.length > 0 ? { errorsCsv } : {}),
            });
          else {
            // A rule repeated for the same column is said once, then referred to.
            const ruleSaidAt = new Map<string, number>();
            for (const issue of input.issues.slice(0, printedRowIssues)) {
              const key = `${issue.column}\u0000${issue.rule.en}`;
              ctx.say(sdk.rowIssueText(issue, ctx.lang, ruleSaidAt.get(key)));
              if (!ruleSaidAt.has(key)) ruleSaidAt.set(key, issue.line);
            }
            const more = input.issues.length - printedRowIssues;
            if (more > 0)
              ctx.say(
                t.pick(
                  `…另有 ${count(more)} 個列錯誤；全部列於 ${errorsCsv}`,
                  `… and ${count(more)} more row error${more === 1 ? '' : 's'}; all of them in ${errorsCsv}`,
                ),
              );
            else if (input.issues.length > 0)
              ctx.say(t.pick(`以上錯誤也寫入 ${errorsCsv}`, `these errors are also in ${errorsCsv}`));
            ctx.say(
              t.pick(
                `${count(input.total)} 列，${count(input.rows.length)} 列正確，${count(invalid)} 列有誤（${count(input.issues.length)} 個錯誤）`,
                `${count(input.total)} rows, ${count(input.rows.length)} valid, ${count(invalid)} invalid (${count(input.issues.length)} error${input.issues.length === 1 ? '' : 's'})`,
              ),
            );
          }
          if (input.issues.length > 0) {
            if (!options.dryRun) ctx.note(t.pick('有錯誤的列，未核發任何憑證', 'rows have errors; nothing was issued'));
            ctx.exit(cliExitCodes.ROWS_INVALID);
          }
          return;
        }

        const workspace = openWorkspace(ctx.options.workspace);
        const issuerDid = issuerForType(workspace, type, options.issuer);
        const bar = progressBar({ label: t.pick('核發', 'issuing'), t: ctx, silent: ctx.options.json });
        const started = performance.now();
        let result;
        {
          await using session = await openIssuing(workspace, issuerDid, options.as, { anchorBatchSize: perTx });
          result = await sdk.issueBatchResumable(input, session.issuer, {
            outDir: options.out,
            validity,
            onProgress: (p) => {
              bar.update(p.done - p.resumedFrom, p.total - p.resumedFrom);
            },
          });
        }
        bar.finish();
        const seconds = (performance.now() - started) / 1000;
        const summary = {
          issued: result.rows.length,
          signedNow: result.signedNow,
          anchoredNow: result.anchoredNow,
          seconds: Math.round(seconds * 1000) / 1000,
          repairedFiles: result.repairedFiles,
          timings: result.timings,
          resultCsv: result.resultCsv,
          journal: result.journal,
        };
        let qr: { rendered: number; seconds: number } | undefined;
        if (options.qr) qr = await runQrBatch(workspace, options.out, { t: ctx, silent: ctx.options.json });
        if (ctx.options.json) ctx.emit({ ...summary, ...(qr ? { qr } : {}) });
        else {
          ctx.say(
            t.pick(
              `已核發 ${summary.issued} 張（本次簽署 ${summary.signedNow}），${summary.seconds} 秒`,
              `issued ${summary.issued} (signed ${summary.signedNow} in this run) in ${summary.seconds} s`,
            ),
          );
          ctx.say(t.pick(`結果：${summary.resultCsv}`, `result: ${summary.resultCsv}`));
          if (qr)
            ctx.say(t.pick(`QR：${qr.rendered} 張，${qr.seconds} 秒`, `QR: ${qr.rendered} images in ${qr.seconds} s`));
        }
      }),
    );
  examples(command, t, [
    'credledger issue-batch LawyerLicenceCredential --csv licences.csv --out out/ --dry-run',
    'credledger issue-batch LawyerLicenceCredential --csv licences.csv --out out/',
    'credledger qr-batch out/',
  ]);
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Reads and checks the batch input; a problem of the whole file (encoding, header, CSV syntax) gets the
 * template as its next step.
 */
async function readInput(
  sdk: typeof import('@credledger/sdk'),
  csv: string,
  type: string,
  t: I18n,
): Promise<Awaited<ReturnType<typeof import('@credledger/sdk').readBatchInput>>> {
  try {
    return await sdk.readBatchInput(csv, type);
  } catch (error) {
    if (!sdk.isCredledgerError(error, 'INVALID_INPUT')) throw error;
    throw new CliError(
      error.code,
      error.message,
      t.pick(
        `執行 \`credledger types ${type}\` 查看欄位規則，或由 \`credledger types ${type} --csv-template\` 取得範本`,
        `run \`credledger types ${type}\` for the columns and their rules, or start from \`credledger types ${type} --csv-template\``,
      ),
      error.details,
    );
  }
}
