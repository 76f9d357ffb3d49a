/**
 * `credledger issue-batch <type> --csv rows.csv --out dir/`: checks every row first, then issues with
 * a progress bar; resumable (rerun the same command after any interruption). QR images are a separate
 * step (`--qr` runs it after issuance, or `credledger qr-batch` later) so they never slow issuance.
 */
import { Option, type Command } from 'commander';

import { action, CliError } from '../context.js';
import { cliExitCodes } from '../exit-codes.js';
import { openIssuing } from '../issuing.js';
import { progressBar } from '../progress.js';
import { examples, type Wiring } from '../program.js';
import { runQrBatch } from '../qr-batch-run.js';
import { issuerForType, openWorkspace } from '../workspace.js';

interface IssueBatchOptions {
  readonly csv: string;
  readonly out: string;
  readonly dryRun?: boolean;
  readonly issuer?: string;
  readonly as?: string;
  readonly qr?: boolean;
  readonly perTx: string;
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
    // Credentials per ledger transaction; 1 is the benchmark baseline, not an operator setting.
    .addOption(new Option('--per-tx <n>', 'credentials per ledger transaction').default('2000').hideHelp())
    .action(
      action(async (ctx, type: string, options: IssueBatchOptions) => {
        const perTx = Number(options.perTx);
        if (!Number.isInteger(perTx) || perTx < 1 || perTx > 2000)
          throw new CliError('INVALID_INPUT', '--per-tx must be 1..2000');
        const sdk = await import('@credledger/sdk');
        const input = await sdk.readBatchInput(options.csv, type);

        if (input.issues.length > 0 || options.dryRun) {
          if (ctx.options.json) ctx.emit({ rows: input.total, valid: input.rows.length, issues: input.issues });
          else {
            for (const issue of input.issues)
              ctx.say(`${t.pick('第', 'line ')}${issue.line}${t.pick(' 行', '')}: ${issue.field}: ${issue.message}`);
            ctx.say(
              t.pick(
                `${input.total} 列，${input.rows.length} 列正確，${input.issues.length} 列有誤`,
                `${input.total} rows, ${input.rows.length} valid, ${input.issues.length} invalid`,
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
        using bar = progressBar({ label: t.pick('核發', 'issuing'), t: ctx, silent: ctx.options.json });
        const started = performance.now();
        let result;
        {
          await using session = await openIssuing(workspace, issuerDid, options.as, { anchorBatchSize: perTx });
          result = await sdk.issueBatchResumable(input, session.issuer, {
            outDir: options.out,
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
