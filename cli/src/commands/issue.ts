/**
 * `credledger issue <type> --<field> <value> … | --data subject.json`: validates, signs, anchors one
 * credential; prints its id and writes the JWT and QR images where asked.
 * The wiring: arguments, options and help. The action is actions/issue.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, type Wiring } from '../wiring.js';
import { addFormatOptions } from '../format-args.js';
import { addIssuanceOptions } from '../issuance-args.js';

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
      );
    addIssuanceOptions(command, t, 'one')
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
