/**
 * `credledger verify <jwt | link | image | pdf>`: the verdict and what was established (verify-report.ts);
 * the exit code is the verdict (0 VALID, 10–19 the others, see exit-codes.ts). Status comes from the
 * workspace's ledger, a `credledger serve` API (`--api`), or offline from signed files (`--status-dir`);
 * the last two load only the browser-safe verification entry, never the ledger, Fabric or gRPC.
 * The wiring: arguments, options and help. The action is actions/verify.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { credentialInputHelp } from '../credential-input.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerVerify(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('verify')
    .description(
      t.pick(
        '驗證憑證（JWT、連結、QR 圖檔或 PDF 文件）；結束碼表示結果',
        'verify credentials (JWT, link, QR image or PDF document); the exit code tells the verdict',
      ),
    )
    .argument(
      '<input...>',
      t.pick(
        'JWT、憑證連結、含其一的檔案、PNG/JPEG 圖檔、憑證的 PDF 文件，或 - 表示標準輸入',
        "a JWT, a credential link, a file holding one, a PNG/JPEG QR image, a credential's PDF document, or - for stdin",
      ),
    );
  later(command, { options: true }, () => {
    command
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
          '離線驗證：讀取 `status-list publish` 與 `trust-list export` 寫出的已簽署檔案（預設為工作區設定的 `statusDir`）',
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
      .addOption(readerOption(t))
      .option(
        '--show-claims',
        t.pick(
          '簽章未通過驗證時，仍在「未經證實、很可能是偽造」的警告標題下列出憑證所稱的內容',
          'when the signature did not verify, still list what the credential claims, under an "unverified, probably forged" heading',
        ),
      )
      .action(action(async () => (await import('../actions/verify.js')).verify));
    command.addHelpText('after', credentialInputHelp(t));
    examples(command, t, [
      'credledger verify out/jwt/0a1b….jwt',
      'credledger verify licence-qr.png --json',
      'credledger verify licence.pdf',
      'credledger verify licence.jwt --status-dir public/',
      "credledger verify 'http://localhost:8080/#6201…' --api http://localhost:8080",
    ]);
  });
}
