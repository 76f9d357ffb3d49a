/**
 * `credledger offer <type> --<field> <value> … | --data subject.json --profile tw-diw|ietf`: an
 * OpenID4VCI credential offer for a citizen's wallet. Nothing is signed or anchored yet: the credential
 * is issued when the wallet redeems the offer at `credledger serve --wallet`, signed for the key the
 * wallet proves it holds. Prints the credential id it will have, the offer link (QR code) and a
 * six-digit transaction code to send to the holder another way. One offer, one credential.
 */
import { randomUUID } from 'node:crypto';

import type { Command } from 'commander';

import { action, cliError } from '../context.js';
import { profileOption, type sdJwtProfileChoices } from '../format-args.js';
import { writePrivate } from '../issue-one.js';
import { subjectFromArgs } from '../subject-args.js';
import { validityFromFlags } from '../validity-args.js';
import { examples, readerOption, type Wiring } from '../wiring.js';
import { walletIssuerUrl, offersDirectory } from '../wallet-serve.js';
import { connect, issuerForType, openWorkspace, readerIdentity } from '../workspace.js';

interface OfferOptions {
  readonly data?: string;
  readonly issuer?: string;
  readonly as?: string;
  readonly profile: (typeof sdJwtProfileChoices)[number];
  readonly validFor: string;
  readonly issuerUrl?: string;
  readonly qrPng?: string;
  readonly qrTerminal?: boolean;
  readonly byValue?: boolean;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly supersede?: boolean;
}

export function registerOffer(program: Command, { t }: Wiring): void {
  const command = program
    .command('offer')
    .description(
      t.pick(
        '為數位皮夾建立憑證要約（OpenID4VCI）：錢包兌換時才簽發並上鏈',
        "offer a credential to a holder's wallet (OpenID4VCI): signed and anchored when the wallet redeems it",
      ),
    )
    .argument('<type>', t.pick('憑證類型（見 `credledger types`）', 'credential type (see `credledger types`)'))
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
    .option('--valid-from <date>', t.pick('憑證生效時間（預設：兌換時）', 'start of validity (default: when redeemed)'))
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
    .action(
      action(async (ctx, type: string, options: OfferOptions, ...rest: unknown[]) => {
        const commandArgs = (rest.at(-1) as Command | undefined)?.args ?? [];
        const workspace = openWorkspace(ctx.options.workspace);
        const validForMs = durationMs(options.validFor);
        if (validForMs === undefined)
          throw cliError('INVALID_INPUT', 'offerValidFor', { value: JSON.stringify(options.validFor) });
        const subject = await subjectFromArgs(type, commandArgs.slice(1), options.data, ctx);
        const validity = await validityFromFlags(type, options, t);
        const issuerDid = issuerForType(workspace, type, options.issuer);
        const credentialIssuer = walletIssuerUrl(options.issuerUrl ?? workspace.config.statusBaseUrl);
        const [issuing, oid4vc, { Registry }, { getCredentialType }] = await Promise.all([
          import('@credledger/issuer'),
          import('@credledger/oid4vc'),
          import('@credledger/ledger'),
          import('@credledger/verify'),
        ]);
        // The chaincode refuses a second active credential for a subject when the wallet redeems; say so now.
        if (options.supersede !== true) {
          await using opened = await connect(workspace, readerIdentity(workspace, options.as));
          const [conflict] = await issuing.findSubjectConflicts(
            new Registry(opened.ledger),
            issuerDid,
            getCredentialType(type),
            [subject],
          );
          if (conflict !== undefined)
            throw cliError('SUBJECT_HAS_ACTIVE_CREDENTIAL', 'offerSubjectHeld', {
              credentialId: conflict.credentialId,
              status: conflict.status,
            });
        }
        // A URL wallets would refuse is said before anything is written.
        oid4vc.credentialIssuerUrl(credentialIssuer);
        const offers = oid4vc.openOfferStore(offersDirectory(workspace));
        const created = await offers.create(
          {
            credentialId: `urn:uuid:${randomUUID()}`,
            issuerDid,
            type,
            profile: options.profile,
            subject,
            ...(validity.validFrom === undefined ? {} : { validFrom: validity.validFrom.toISOString() }),
            ...(validity.validUntil === undefined
              ? {}
              : { validUntil: validity.validUntil === null ? null : validity.validUntil.toISOString() }),
            ...(options.supersede === true ? { supersede: true } : {}),
          },
          { validForMs },
        );
        const link = await oid4vc.credentialOfferLink(
          { credentialIssuer, preAuthorizedCode: created.preAuthorizedCode, type, profile: options.profile },
          { byValue: options.byValue === true },
        );
        const files: string[] = [];
        if (options.qrPng !== undefined) {
          await writePrivate(options.qrPng, (await issuing.renderPng(link)).png);
          files.push(options.qrPng);
        }
        if (ctx.options.json) {
          ctx.emit({
            offerId: created.offerId,
            credentialId: created.credentialId,
            txCode: created.txCode,
            link,
            credentialIssuer,
            expiresAt: created.expiresAt.toISOString(),
            files,
          });
          return;
        }
        const until = created.expiresAt.toISOString().replace(/\.\d+Z$/, 'Z');
        ctx.say(
          [
            t.pick(`要約            ${created.offerId}`, `offer             ${created.offerId}`),
            t.pick(`憑證編號        ${created.credentialId}`, `credential id     ${created.credentialId}`),
            t.pick(`交易碼          ${created.txCode}`, `transaction code  ${created.txCode}`),
            t.pick(`錢包連結        ${link}`, `wallet link       ${link}`),
          ].join('\n'),
        );
        if (options.qrTerminal === true) ctx.say((await issuing.renderTerminal(link)).text);
        for (const file of files) ctx.note(`${t.pick('已寫入', 'wrote')} ${file}`);
        ctx.note(
          t.pick(
            `請另以簡訊、信件或臨櫃告知持有者交易碼（QR 碼不含交易碼）。要約可兌換一次，至 ${until} 止，兌換處：${credentialIssuer}（需執行 credledger serve --wallet）`,
            `send the transaction code to the holder another way (SMS, letter, at the counter): the QR code does not carry it. The offer can be redeemed once, until ${until}, at ${credentialIssuer} (credledger serve --wallet must run there)`,
          ),
        );
      }),
    );
  examples(command, t, [
    'credledger offer LawyerLicenceCredential --data wang.json --profile tw-diw --qr-png offer.png',
    'credledger offer LawyerLicenceCredential --data wang.json --profile ietf --valid-for 30m --qr-terminal',
  ]);
}

/** `30m`, `24h`, `7d` (also `90s`) in milliseconds; undefined for anything else or more than 30 days. */
export function durationMs(text: string): number | undefined {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const ms = Number(match[1]) * unit;
  return ms > 0 && ms <= 30 * 86_400_000 ? ms : undefined;
}
