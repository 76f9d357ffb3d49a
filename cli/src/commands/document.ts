/**
 * `credledger document <credential> --out licence.pdf [--format a4|card]`: the printable document of a
 * credential the workspace issued — bilingual, its QR code sized for print, the signed credential
 * attached. The ledger keeps digests, never credentials, so the credential is given as what `verify`
 * reads (its JWT file, its link, its QR image), not by id alone.
 * The wiring: arguments, options and help. The action is actions/document.ts, loaded when the command runs.
 */
import { Option, type Command } from 'commander';

import { action } from '../action.js';
import { documentFormatChoices } from '../document-output.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerDocument(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('document')
    .description(
      t.pick(
        '產生憑證的可列印文件（PDF：中英對照、QR 碼、內附已簽章憑證）',
        "write a credential's printable document (PDF: bilingual, QR code, the signed credential attached)",
      ),
    )
    .argument(
      '<credential>',
      t.pick(
        '憑證的 JWT 檔、JWT、連結或 QR 圖檔（帳本只存摘要，無法只憑編號取得憑證）',
        "the credential's JWT file, JWT, link or QR image (the ledger keeps digests only, so an id alone cannot give the credential)",
      ),
    );
  later(command, { options: true }, () => {
    command
      .requiredOption('--out <file>', t.pick('寫入的 PDF 檔', 'PDF file to write'))
      .addOption(
        new Option(
          '--format <format>',
          t.pick('版面：「a4」或「card」（律師證書卡）', 'layout: a4 or card (lawyer licence card)'),
        )
          .choices([...documentFormatChoices])
          .default('a4'),
      )
      .addOption(readerOption(t))
      .action(action(async () => (await import('../actions/document.js')).document));
    examples(command, t, [
      'credledger document wang.jwt --out wang-licence.pdf',
      'credledger document out/jwt/0a1b….jwt --out card.pdf --format card',
      'credledger verify wang-licence.pdf',
    ]);
  });
}
