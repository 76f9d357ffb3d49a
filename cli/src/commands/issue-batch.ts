/**
 * `credledger issue-batch <type> --csv rows.csv --out dir/`: checks every row first (schema, one
 * credential per subject in the file and on the ledger), then issues with a progress bar; resumable
 * (rerun the same command after any interruption). QR images are a separate step (`--qr` runs it after
 * issuance, or `credledger qr-batch` later) so they never slow issuance.
 */
import { Option, type Command } from 'commander';
import type { RowConflict, RowIssue } from '@credledger/sdk';

import { action, CliError, type Context } from '../context.js';
import { cliExitCodes, exitCodes } from '../exit-codes.js';
import { openIssuing } from '../issuing.js';
import { progressBar } from '../progress.js';
import { examples, type Wiring } from '../program.js';
import { runQrBatch } from '../qr-batch-run.js';
import { connect, identityForIssuer, issuerForType, openWorkspace } from '../workspace.js';

interface IssueBatchOptions {
  readonly csv: string;
  readonly out: string;
  readonly dryRun?: boolean;
  readonly issuer?: string;
  readonly as?: string;
  readonly qr?: boolean;
  readonly supersede?: boolean;
  readonly perTx: string;
}

/** One line per bad row, in the operator's language. */
function issueLine(ctx: Context, issue: RowIssue): string {
  const where = `${ctx.pick('第', 'line ')}${issue.line}${ctx.pick(' 行', '')}: ${issue.field}`;
  if (issue.duplicateOf !== undefined) {
    return `${where}: ${ctx.pick(
      `與第 ${issue.duplicateOf} 行為同一對象；一批對每個對象只核發一張`,
      `same subject as line ${issue.duplicateOf}; a batch issues one credential per subject`,
    )}`;
  }
  return `${where}: ${issue.message}`;
}

/** Before the error line of a refused batch: the first rows whose subject already has a credential. */
function noteConflicts(ctx: Context, error: unknown, supersede: boolean): void {
  const details = (error as { details?: { conflicts?: unknown; count?: unknown } }).details;
  if (!Array.isArray(details?.conflicts) || ctx.options.json) return;
  const shown = 10;
  for (const conflict of (details.conflicts as RowConflict[]).slice(0, shown))
    ctx.note(conflictLine(ctx, conflict, supersede));
  const count = typeof details.count === 'number' ? details.count : details.conflicts.length;
  if (count > shown)
    ctx.note(
      ctx.pick(
        `…另有 ${count - shown} 列（--dry-run 列出全部）`,
        `… and ${count - shown} more rows (--dry-run lists them all)`,
      ),
    );
}

/** One line per row whose subject already has a credential on the ledger. */
function conflictLine(ctx: Context, conflict: RowConflict, supersede: boolean): string {
  const where = `${ctx.pick('第', 'line ')}${conflict.line}${ctx.pick(' 行', '')}`;
  const held = `${conflict.credentialId} (${conflict.status})`;
  if (supersede && conflict.status === 'ACTIVE')
    return `${where}: ${ctx.pick(`將換發 ${held}，舊憑證以「已換發」撤銷`, `will supersede ${held}, revoked as SUPERSEDED`)}`;
  if (conflict.status === 'SUSPENDED')
    return `${where}: ${ctx.pick(
      `已有停止中的憑證 ${held}；須先恢復或撤銷`,
      `already has ${held}, which is suspended; reinstate or revoke it first`,
    )}`;
  return `${where}: ${ctx.pick(`已有有效憑證 ${held}`, `already has ${held}`)}`;
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
        const input = await sdk.readBatchInput(options.csv, type);
        const supersede = options.supersede === true;

        if (input.issues.length > 0 && !options.dryRun) {
          for (const issue of input.issues) ctx.say(issueLine(ctx, issue));
          ctx.say(
            t.pick(
              `${input.total} 列，${input.rows.length} 列正確，${input.issues.length} 列有誤`,
              `${input.total} rows, ${input.rows.length} valid, ${input.issues.length} invalid`,
            ),
          );
          if (ctx.options.json) ctx.emit({ rows: input.total, valid: input.rows.length, issues: input.issues });
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
          if (ctx.options.json)
            ctx.emit({ rows: input.total, valid: input.rows.length, issues: input.issues, conflicts, supersede });
          else {
            const lines = [
              ...input.issues.map((issue) => ({ line: issue.line, text: issueLine(ctx, issue) })),
              ...conflicts.map((conflict) => ({ line: conflict.line, text: conflictLine(ctx, conflict, supersede) })),
            ].sort((a, b) => a.line - b.line);
            for (const { text } of lines) ctx.say(text);
            ctx.say(
              t.pick(
                `${input.total} 列，${input.rows.length} 列正確，${input.issues.length} 列有誤，${blocking.length} 列的對象已有憑證` +
                  (superseding > 0 ? `，${superseding} 列將換發` : ''),
                `${input.total} rows, ${input.rows.length} valid, ${input.issues.length} invalid, ${blocking.length} already have a credential` +
                  (superseding > 0 ? `, ${superseding} to supersede` : ''),
              ),
            );
          }
          if (input.issues.length > 0) ctx.exit(cliExitCodes.ROWS_INVALID);
          else if (blocking.some((c) => c.status === 'SUSPENDED') && supersede) ctx.exit(exitCodes.INVALID_TRANSITION);
          else if (blocking.length > 0) ctx.exit(exitCodes.SUBJECT_HAS_ACTIVE_CREDENTIAL);
          return;
        }

        const bar = progressBar({ label: t.pick('核發', 'issuing'), t: ctx, silent: ctx.options.json });
        const started = performance.now();
        let result;
        {
          await using session = await openIssuing(workspace, issuerDid, options.as, { anchorBatchSize: perTx });
          result = await sdk
            .issueBatchResumable(input, session.issuer, {
              outDir: options.out,
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
        if (ctx.options.json) ctx.emit({ ...summary, ...(qr ? { qr } : {}) });
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
        }
      }),
    );
  examples(command, t, [
    'credledger issue-batch LawyerLicenceCredential --csv licences.csv --out out/ --dry-run',
    'credledger issue-batch LawyerLicenceCredential --csv licences.csv --out out/',
    'credledger issue-batch LawyerLicenceCredential --csv renewals.csv --out renewed/ --supersede',
    'credledger qr-batch out/',
  ]);
}
