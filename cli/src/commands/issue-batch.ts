/**
 * `credledger issue-batch <type> --csv rows.csv --out dir/`: checks every row first (schema, one
 * credential per subject in the file and on the ledger), then issues with a progress bar; resumable
 * (rerun the same command after any interruption). QR images are a separate step (`--qr` runs it after
 * issuance, or `credledger qr-batch` later) so they never slow issuance.
 * The wiring: arguments, options and help. The action is actions/issue-batch.ts, loaded when the command runs.
 */
import { Option, type Command } from 'commander';

import { action } from '../action.js';
import { examples, type Wiring } from '../wiring.js';
import { addFormatOptions } from '../format-args.js';
import { addIssuanceOptions } from '../issuance-args.js';

export function registerIssueBatch(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('issue-batch')
    .description(
      t.pick('由 CSV 批次核發（可中斷後續作）', 'issue credentials from a CSV (resumable after any interruption)'),
    )
    .argument('<type>', t.pick('憑證類型', 'credential type'));
  later(command, { options: true }, () => {
    command
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
          '核發後另以平行步驟產生可列印文件（`pdf/<uuid>.pdf`）',
          'render printable documents (pdf/<uuid>.pdf) afterwards, as a separate parallel step',
        ),
      );
    addIssuanceOptions(command, t, 'batch');
    addFormatOptions(command, t)
      // Credentials per ledger transaction; 1 is the benchmark baseline, not an operator setting.
      .addOption(new Option('--per-tx <n>', 'credentials per ledger transaction').default('2000').hideHelp())
      .action(action(async () => (await import('../actions/issue-batch.js')).issueBatch));
    examples(command, t, [
      'credledger issue-batch LawyerLicenceCredential --csv licences.csv --out out/ --dry-run',
      'credledger issue-batch LawyerLicenceCredential --csv licences.csv --out out/',
      'credledger issue-batch LawyerLicenceCredential --csv renewals.csv --out renewed/ --supersede',
      'credledger issue-batch LawyerLicenceCredential --csv licences.csv --out out/ --pdf --pdf-format card',
      'credledger qr-batch out/',
    ]);
  });
}
