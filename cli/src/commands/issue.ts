/**
 * `credledger issue <type> --<field> <value> … | --data subject.json`: validates, signs, anchors one
 * credential; prints its id and writes the JWT and QR images where asked.
 * The wiring: arguments, options and help. The action is actions/issue.ts, loaded when the command runs.
 */
import { Option, type Command } from 'commander';

import { action } from '../action.js';
import { documentFormatChoices } from '../document-output.js';
import { examples, type Wiring } from '../wiring.js';
import { addFormatOptions } from '../format-args.js';

export function registerIssue(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('issue')
    .description(
      t.pick(
        '核發一張憑證（欄位以 --<欄位> 或 --data 給定）',
        'issue one credential (fields as --<field> <value> or --data)',
      ),
    )
    .argument('<type>', t.pick('憑證類型（見 `credledger types`）', 'credential type (see `credledger types`)'));
  later(command, { options: true }, () => {
    addFormatOptions(command, t)
      .option('--data <file>', t.pick('`credentialSubject` 的 JSON 檔', 'JSON file with the credentialSubject'))
      .option(
        '--issuer <did>',
        t.pick(
          '發行者 DID（預設：本工作區唯一可核發此類型者）',
          'issuer DID (default: the one issuer here allowed this type)',
        ),
      )
      .option('--as <identity>', t.pick('代表發行者的身分', 'identity acting for the issuer'))
      .option('--out <file>', t.pick('寫入 JWT 的檔案', 'file to write the JWT to'))
      .option('--qr-png <file>', t.pick('寫入 QR PNG 圖檔', 'write the QR code as PNG'))
      .option('--qr-svg <file>', t.pick('寫入 QR SVG 圖檔', 'write the QR code as SVG'))
      .option('--qr-terminal', t.pick('在終端機顯示 QR', 'draw the QR code in the terminal'))
      .option(
        '--pdf <file>',
        t.pick(
          '寫入可列印文件（PDF，內附已簽章憑證）',
          'write the printable document (PDF, the signed credential attached)',
        ),
      )
      .addOption(
        new Option('--pdf-format <format>', t.pick('文件版面：「a4」或「card」', 'document layout: a4 or card'))
          .choices([...documentFormatChoices])
          .default('a4'),
      )
      .option('--valid-from <date>', t.pick('生效時間（預設：現在）', 'start of validity (default: now)'))
      .option('--valid-until <date>', t.pick('失效時間（預設依類型）', 'end of validity (default per type)'))
      .option(
        '--allow-expired',
        t.pick('允許核發一核發即已過期的憑證', 'allow a credential that is already expired when issued'),
      )
      .option(
        '--supersede',
        t.pick(
          '對象已有有效憑證時換發：舊憑證在同一筆交易中以「已換發」撤銷',
          'replace the active credential the subject already has: the old one is revoked as SUPERSEDED in the same transaction',
        ),
      )
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .action(action(async () => (await import('../actions/issue.js')).issue));
    examples(command, t, [
      "credledger issue LawyerLicenceCredential --name 王小明 --licence-number '(115)台檢證字第012345號' --admission-date 2020-09-01 --practice-status practising --out wang.jwt --qr-png wang.png",
      'credledger issue EconomicCertificateCredential --data company.json --qr-terminal',
      'credledger issue LawyerLicenceCredential --data wang.json --format sd-jwt --profile tw-diw --out wang.sd-jwt',
      'credledger issue EconomicCertificateCredential --data company-renewed.json --supersede --out renewed.jwt',
    ]);
  });
}
