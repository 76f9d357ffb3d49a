/**
 * `credledger offer <type> --<field> <value> … | --data subject.json --profile tw-diw|ietf`: an
 * OpenID4VCI credential offer for a citizen's wallet. Nothing is signed or anchored yet: the credential
 * is issued when the wallet redeems the offer at `credledger serve --wallet`, signed for the key the
 * wallet proves it holds. Prints the credential id it will have, the offer link (QR code) and a
 * six-digit transaction code to send to the holder another way. One offer, one credential.
 * The wiring: arguments, options and help. The action is actions/offer.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { profileOption } from '../format-args.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerOffer(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('offer')
    .description(
      t.pick(
        '為數位皮夾建立憑證要約（OpenID4VCI）：錢包兌換時才簽發並上鏈',
        "offer a credential to a holder's wallet (OpenID4VCI): signed and anchored when the wallet redeems it",
      ),
    )
    .argument('<type>', t.pick('憑證類型（見 `credledger types`）', 'credential type (see `credledger types`)'));
  later(command, { options: true }, () => {
    command
      .option('--data <file>', t.pick('`credentialSubject` 的 JSON 檔', 'JSON file with the credentialSubject'))
      .addOption(profileOption(t).makeOptionMandatory(true))
      .option(
        '--issuer <did>',
        t.pick(
          '發行者 DID（預設：本工作區唯一可核發此類型者）',
          'issuer DID (default: the one issuer here allowed this type)',
        ),
      )
      .option(
        '--valid-for <duration>',
        t.pick('要約有效期間，例如 30m、24h、7d', 'how long the offer can be redeemed, e.g. 30m, 24h, 7d'),
        '24h',
      )
      .option(
        '--issuer-url <url>',
        t.pick(
          '`serve --wallet` 的公開網址（預設：credledger.json 的 `statusBaseUrl`）',
          'public URL of `serve --wallet` (default: statusBaseUrl in credledger.json)',
        ),
      )
      .option('--qr-png <file>', t.pick('將要約 QR 碼寫入 PNG 檔', 'write the offer QR code as PNG'))
      .option('--qr-terminal', t.pick('在終端機顯示要約 QR 碼', 'draw the offer QR code in the terminal'))
      .option(
        '--by-value',
        t.pick(
          '要約內容直接放入連結（預設為參照：皮夾向 serve --wallet 取得要約，QR 碼小得多）',
          'put the offer itself in the link (default: by reference, the wallet fetches it from serve --wallet; a much smaller QR code)',
        ),
      )
      .option(
        '--valid-from <date>',
        t.pick('憑證生效時間（預設：兌換時）', 'start of validity (default: when redeemed)'),
      )
      .option('--valid-until <date>', t.pick('憑證失效時間（預設依類型）', 'end of validity (default per type)'))
      .option(
        '--supersede',
        t.pick(
          '兌換時換發對象現有的有效憑證（舊憑證以「已換發」撤銷）',
          'when redeemed, replace the active credential the subject has (revoked as SUPERSEDED)',
        ),
      )
      .addOption(readerOption(t))
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .action(action(async () => (await import('../actions/offer.js')).offer));
    examples(command, t, [
      'credledger offer LawyerLicenceCredential --data wang.json --profile tw-diw --qr-png offer.png',
      'credledger offer LawyerLicenceCredential --data wang.json --profile ietf --valid-for 30m --qr-terminal',
    ]);
  });
}
