/**
 * `credledger issue <type> --<field> <value> … | --data subject.json`: validates, signs, anchors one
 * credential; prints its id and writes the JWT and QR images where asked.
 */
import { Option, type Command } from 'commander';

import { action } from '../context.js';
import { documentFormatChoices, documentSummary, type DocumentFormat } from '../document-output.js';
import { examples, type Wiring } from '../wiring.js';
import { subjectFromArgs } from '../subject-args.js';
import { issueOne, type IssueOutputs } from '../issue-one.js';
import { validityFromFlags } from '../validity-args.js';
import { addFormatOptions, sdJwtFromFlags, type FormatFlags } from '../format-args.js';
import { issuerForType, openWorkspace } from '../workspace.js';

interface IssueOptions extends FormatFlags {
  readonly data?: string;
  readonly issuer?: string;
  readonly as?: string;
  readonly out?: string;
  readonly qrPng?: string;
  readonly qrSvg?: string;
  readonly qrTerminal?: boolean;
  readonly pdf?: string;
  readonly pdfFormat: DocumentFormat;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly allowExpired?: boolean;
  readonly supersede?: boolean;
}

export function registerIssue(program: Command, { t }: Wiring): void {
  const command = addFormatOptions(program.command('issue'), t)
    .description(
      t.pick(
        '核發一張憑證（欄位以 --<欄位> 或 --data 給定）',
        'issue one credential (fields as --<field> <value> or --data)',
      ),
    )
    .argument('<type>', t.pick('憑證類型（見 `credledger types`）', 'credential type (see `credledger types`)'))
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
    .action(
      action(async (ctx, type: string, options: IssueOptions, ...rest: unknown[]) => {
        const commandArgs = (rest.at(-1) as Command | undefined)?.args ?? [];
        const workspace = openWorkspace(ctx.options.workspace);
        const subject = await subjectFromArgs(type, commandArgs.slice(1), options.data, ctx);
        const outputs: IssueOutputs = {
          ...(options.out === undefined ? {} : { jwtFile: options.out }),
          ...(options.qrPng === undefined ? {} : { qrPng: options.qrPng }),
          ...(options.qrSvg === undefined ? {} : { qrSvg: options.qrSvg }),
          ...(options.pdf === undefined ? {} : { pdf: options.pdf, pdfFormat: options.pdfFormat }),
          qrTerminal: options.qrTerminal === true,
        };
        const validity = await validityFromFlags(type, options, ctx);
        const sdJwt = await sdJwtFromFlags(options);
        const result = await issueOne(workspace, {
          type,
          subject,
          issuerDid: issuerForType(workspace, type, options.issuer),
          ...(options.as === undefined ? {} : { as: options.as }),
          validity,
          ...(options.supersede === true ? { supersede: true } : {}),
          ...(sdJwt === undefined ? {} : { sdJwt }),
          outputs,
          keyPassphrase: ctx.keyPassphrase,
        });
        if (ctx.options.json) {
          ctx.emit({
            id: result.id,
            jwt: result.jwt,
            link: result.link,
            txId: result.txId,
            ...(result.supersedes === undefined ? {} : { supersedes: result.supersedes }),
            files: result.files,
            ...(result.document === undefined ? {} : { document: result.document }),
          });
          return;
        }
        ctx.say(result.id);
        if (result.supersedes !== undefined)
          ctx.note(
            t.pick(
              `已換發 ${result.supersedes}：舊憑證已以「已換發」撤銷`,
              `superseded ${result.supersedes}: the old credential is revoked as SUPERSEDED`,
            ),
          );
        // The QR's last row ends the line: the prompt (or the next note) starts on a line of its own.
        if (result.terminalQr !== undefined) ctx.say(result.terminalQr);
        for (const file of result.files) {
          const document = file === result.document?.file ? ` (${documentSummary(t, result.document)})` : '';
          ctx.note(`${t.pick('已寫入', 'wrote')} ${file}${document}`);
        }
        if (
          options.out === undefined &&
          !options.qrTerminal &&
          options.qrPng === undefined &&
          options.qrSvg === undefined &&
          options.pdf === undefined
        ) {
          ctx.note(
            t.pick(
              '提示：以 --out、--qr-png、--pdf 或 --qr-terminal 取得憑證',
              'hint: use --out, --qr-png, --pdf or --qr-terminal to get the credential',
            ),
          );
        }
      }),
    );
  examples(command, t, [
    "credledger issue LawyerLicenceCredential --name 王小明 --licence-number '(115)台檢證字第012345號' --admission-date 2020-09-01 --practice-status practising --out wang.jwt --qr-png wang.png",
    'credledger issue EconomicCertificateCredential --data company.json --qr-terminal',
    'credledger issue LawyerLicenceCredential --data wang.json --format sd-jwt --profile tw-diw --out wang.sd-jwt',
    'credledger issue EconomicCertificateCredential --data company-renewed.json --supersede --out renewed.jwt',
  ]);
}
