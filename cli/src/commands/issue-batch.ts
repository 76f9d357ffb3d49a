/**
 * `credledger issue-batch <type> --csv rows.csv --out dir/`: checks every row first (schema, one
 * credential per subject in the file and on the ledger), then issues with a progress bar; resumable
 * (rerun the same command after any interruption). QR images are a separate step (`--qr` runs it after
 * issuance, or `credledger qr-batch` later) so they never slow issuance.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { Option, type Command } from 'commander';
import type { RowConflict, RowIssue } from '@credledger/sdk';

import { action, CliError, type Context } from '../context.js';
import type { I18n } from '../i18n.js';
import { cliExitCodes, exitCodes } from '../exit-codes.js';
import { openIssuing } from '../issuing.js';
import { progressBar } from '../progress.js';
import { examples, type Wiring } from '../wiring.js';
import { runQrBatch } from '../qr-batch-run.js';
import { documentFormatChoices, type DocumentFormat } from '../document-output.js';
import { runPdfBatch } from '../pdf-batch-run.js';
import { validityFromFlags } from '../validity-args.js';
import { connect, identityForIssuer, issuerForType, openWorkspace } from '../workspace.js';

interface IssueBatchOptions {
  readonly csv: string;
  readonly out: string;
  readonly dryRun?: boolean;
  readonly issuer?: string;
  readonly as?: string;
  readonly qr?: boolean;
  readonly pdf?: boolean;
  readonly pdfFormat: DocumentFormat;
  readonly supersede?: boolean;
  readonly perTx: string;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly allowExpired?: boolean;
}

/** Row errors printed before the summary; the rest are in errors.csv (and all of them under --json). */
const printedRowIssues = 20;

/** Before the error line of a refused batch: the first rows whose subject already has a credential. */
function noteConflicts(ctx: Context, error: unknown, supersede: boolean): void {
  const details = (error as { details?: { conflicts?: unknown; count?: unknown } }).details;
  if (!Array.isArray(details?.conflicts) || ctx.options.json) return;
  const shown = 10;
  for (const conflict of (details.conflicts as RowConflict[]).slice(0, shown))
    ctx.note(conflictLine(ctx, conflict, supersede));
  const total = typeof details.count === 'number' ? details.count : details.conflicts.length;
  if (total > shown)
    ctx.note(
      ctx.pick(
        `…另有 ${total - shown} 列（--dry-run 列出全部）`,
        `… and ${total - shown} more rows (--dry-run lists them all)`,
      ),
    );
}

/** One line per row whose subject already has a credential on the ledger. */
function conflictLine(ctx: Context, conflict: RowConflict, supersede: boolean): string {
  const where = ctx.pick(`第 ${conflict.line} 列：`, `row ${conflict.line}: `);
  const held = `${conflict.credentialId} (${conflict.status})`;
  if (supersede && conflict.status === 'ACTIVE')
    return `${where}${ctx.pick(`將換發 ${held}，舊憑證以「已換發」撤銷`, `will supersede ${held}, revoked as SUPERSEDED`)}`;
  if (conflict.status === 'SUSPENDED')
    return `${where}${ctx.pick(
      `已有停止中的憑證 ${held}；須先恢復或撤銷`,
      `already has ${held}, which is suspended; reinstate or revoke it first`,
    )}`;
  return `${where}${ctx.pick(`已有有效憑證 ${held}`, `already has ${held}`)}`;
}

/**
 * The first row issues, each in the operator's language (a rule repeated for the same column is said
 * once, then referred to), and where the rest are.
 */
function printRowIssues(
  ctx: Context,
  sdk: typeof import('@credledger/sdk'),
  issues: readonly RowIssue[],
  errorsCsv: string,
): void {
  const ruleSaidAt = new Map<string, number>();
  for (const issue of issues.slice(0, printedRowIssues)) {
    const key = `${issue.column}\u0000${issue.rule.en}`;
    ctx.say(sdk.rowIssueText(issue, ctx.lang, ruleSaidAt.get(key)));
    if (!ruleSaidAt.has(key)) ruleSaidAt.set(key, issue.line);
  }
  const more = issues.length - printedRowIssues;
  if (more > 0)
    ctx.say(
      ctx.pick(
        `…另有 ${count(more)} 個列錯誤；全部列於 ${errorsCsv}`,
        `… and ${count(more)} more row error${more === 1 ? '' : 's'}; all of them in ${errorsCsv}`,
      ),
    );
  else if (issues.length > 0) ctx.say(ctx.pick(`以上錯誤也寫入 ${errorsCsv}`, `these errors are also in ${errorsCsv}`));
}

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
    .option(
      '--pdf',
      t.pick(
        '核發後另以平行步驟產生可列印文件（pdf/<uuid>.pdf）',
        'render printable documents (pdf/<uuid>.pdf) afterwards, as a separate parallel step',
      ),
    )
    .addOption(
      new Option('--pdf-format <format>', t.pick('文件版面：a4 或 card', 'document layout: a4 or card'))
        .choices([...documentFormatChoices])
        .default('a4'),
    )
    .option('--valid-from <date>', t.pick('生效時間（預設：現在）', 'start of validity (default: now)'))
    .option('--valid-until <date>', t.pick('失效時間（預設依類型）', 'end of validity (default per type)'))
    .option(
      '--allow-expired',
      t.pick('允許核發一核發即已過期的憑證', 'allow credentials that are already expired when issued'),
    )
    .option(
      '--supersede',
      t.pick(
        '對象已有有效憑證時換發：舊憑證在同一筆交易中以「已換發」撤銷',
        'replace the active credential a subject already has: the old one is revoked as SUPERSEDED in the same transaction',
      ),
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
        const supersede = options.supersede === true;
        const errorsCsv = join(options.out, sdk.rowIssuesCsvName);
        const invalid = new Set(input.issues.map((issue) => issue.row)).size;
        // A row naming an earlier row's subject passed its schema check but is not valid in this batch.
        const valid = input.total - invalid;
        const rowsLine = (): string =>
          t.pick(
            `${count(input.total)} 列，${count(valid)} 列正確，${count(invalid)} 列有誤（${count(input.issues.length)} 個錯誤）`,
            `${count(input.total)} rows, ${count(valid)} valid, ${count(invalid)} invalid (${count(input.issues.length)} error${input.issues.length === 1 ? '' : 's'})`,
          );

        if (input.issues.length > 0) {
          // Owner-only like every batch output: errors.csv quotes names and licence numbers.
          await mkdir(options.out, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
            throw new CliError('FILE_NOT_FOUND', `cannot create the output directory ${options.out}`, undefined, {
              cause: String(error),
            });
          });
          await sdk.writeRowIssuesCsv(errorsCsv, input.issues, ctx.lang);
        } else {
          // A clean check leaves no errors.csv of an earlier run to mislead anyone.
          await rm(errorsCsv, { force: true });
        }
        const issuesJson = {
          rows: input.total,
          valid,
          invalid,
          issues: input.issues,
          ...(input.issues.length > 0 ? { errorsCsv } : {}),
        };
        if (input.issues.length > 0 && !options.dryRun) {
          if (ctx.options.json) ctx.emit(issuesJson);
          else {
            printRowIssues(ctx, sdk, input.issues, errorsCsv);
            ctx.say(rowsLine());
          }
          ctx.note(t.pick('有錯誤的列，未核發任何憑證', 'rows have errors; nothing was issued'));
          ctx.exit(cliExitCodes.ROWS_INVALID);
          return;
        }

        const workspace = openWorkspace(ctx.options.workspace);
        const issuerDid = issuerForType(workspace, type, options.issuer);
        if (options.dryRun) {
          // Read-only: the rows checked against the ledger as the issuer's operator, nothing signed or written.
          let conflicts: RowConflict[] = [];
          if (input.rows.length > 0) {
            await using opened = await connect(workspace, identityForIssuer(workspace, issuerDid, options.as));
            conflicts = await sdk.findBatchConflicts(input, new sdk.Registry(opened.ledger), issuerDid, options.out);
          }
          const blocking = conflicts.filter((c) => !supersede || c.status === 'SUSPENDED');
          const superseding = conflicts.length - blocking.length;
          if (ctx.options.json) ctx.emit({ ...issuesJson, conflicts, supersede });
          else {
            printRowIssues(ctx, sdk, input.issues, errorsCsv);
            for (const conflict of conflicts) ctx.say(conflictLine(ctx, conflict, supersede));
            ctx.say(
              rowsLine() +
                t.pick(
                  `，${count(blocking.length)} 列的對象已有憑證` +
                    (superseding > 0 ? `，${count(superseding)} 列將換發` : ''),
                  `, ${count(blocking.length)} already have a credential` +
                    (superseding > 0 ? `, ${count(superseding)} to supersede` : ''),
                ),
            );
          }
          if (input.issues.length > 0) ctx.exit(cliExitCodes.ROWS_INVALID);
          else if (blocking.some((c) => c.status === 'SUSPENDED') && supersede) ctx.exit(exitCodes.INVALID_TRANSITION);
          else if (blocking.length > 0) ctx.exit(exitCodes.SUBJECT_HAS_ACTIVE_CREDENTIAL);
          return;
        }

        using bar = progressBar({ label: t.pick('核發', 'issuing'), t: ctx, silent: ctx.options.json });
        const started = performance.now();
        let result;
        let issuerName;
        {
          await using session = await openIssuing(workspace, issuerDid, options.as, { anchorBatchSize: perTx });
          issuerName = session.record.name;
          result = await sdk
            .issueBatchResumable(input, session.issuer, {
              outDir: options.out,
              validity,
              supersede,
              onProgress: (p) => {
                bar.update(p.done - p.resumedFrom, p.total - p.resumedFrom);
              },
            })
            .catch((error: unknown) => {
              noteConflicts(ctx, error, supersede);
              throw error;
            });
        }
        bar.finish();
        const seconds = (performance.now() - started) / 1000;
        const summary = {
          issued: result.rows.length,
          signedNow: result.signedNow,
          superseded: result.superseded,
          anchoredNow: result.anchoredNow,
          seconds: Math.round(seconds * 1000) / 1000,
          repairedFiles: result.repairedFiles,
          timings: result.timings,
          resultCsv: result.resultCsv,
          journal: result.journal,
        };
        let qr: { rendered: number; seconds: number } | undefined;
        if (options.qr) qr = await runQrBatch(workspace, options.out, { t: ctx, silent: ctx.options.json });
        const pdf = options.pdf
          ? await runPdfBatch(workspace, options.out, {
              t: ctx,
              silent: ctx.options.json,
              format: options.pdfFormat,
              issuerName,
            })
          : undefined;
        if (ctx.options.json) ctx.emit({ ...summary, ...(qr ? { qr } : {}), ...(pdf ? { pdf } : {}) });
        else {
          ctx.say(
            t.pick(
              `已核發 ${summary.issued} 張（本次簽署 ${summary.signedNow}），${summary.seconds} 秒`,
              `issued ${summary.issued} (signed ${summary.signedNow} in this run) in ${summary.seconds} s`,
            ),
          );
          if (summary.superseded.length > 0)
            ctx.say(
              t.pick(
                `換發 ${summary.superseded.length} 張：舊憑證已以「已換發」撤銷`,
                `superseded ${summary.superseded.length}: the old credentials are revoked as SUPERSEDED`,
              ),
            );
          ctx.say(t.pick(`結果：${summary.resultCsv}`, `result: ${summary.resultCsv}`));
          if (qr)
            ctx.say(t.pick(`QR：${qr.rendered} 張，${qr.seconds} 秒`, `QR: ${qr.rendered} images in ${qr.seconds} s`));
          if (pdf)
            ctx.say(
              t.pick(
                `PDF：新產生 ${pdf.rendered} 份，略過 ${pdf.skipped} 份，${pdf.seconds} 秒（${join(options.out, 'pdf')}）`,
                `PDF: ${pdf.rendered} documents in ${pdf.seconds} s, ${pdf.skipped} already present (${join(options.out, 'pdf')})`,
              ),
            );
        }
      }),
    );
  examples(command, t, [
    'credledger issue-batch LawyerLicenceCredential --csv licences.csv --out out/ --dry-run',
    'credledger issue-batch LawyerLicenceCredential --csv licences.csv --out out/',
    'credledger issue-batch LawyerLicenceCredential --csv renewals.csv --out renewed/ --supersede',
    'credledger issue-batch LawyerLicenceCredential --csv licences.csv --out out/ --pdf --pdf-format card',
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
