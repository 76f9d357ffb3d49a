/**
 * `credledger document <credential> --out licence.pdf [--format a4|card]`: the printable document of a
 * credential the workspace issued — bilingual, its QR code sized for print, the signed credential
 * attached. The ledger keeps digests, never credentials, so the credential is given as what `verify`
 * reads (its JWT file, its link, its QR image), not by id alone.
 */
import { Option, type Command } from 'commander';

import { action, cliError } from '../context.js';
import { readCredentialInput } from '../credential-input.js';
import {
  documentFormatChoices,
  documentSummary,
  writeCredentialDocument,
  type DocumentFormat,
} from '../document-output.js';
import { writePrivate } from '../issue-one.js';
import { examples, readerOption, type Wiring } from '../wiring.js';
import { connect, openWorkspace, readerIdentity } from '../workspace.js';

interface DocumentOptions {
  readonly out: string;
  readonly format: DocumentFormat;
  readonly as?: string;
}

export function registerDocument(program: Command, { t }: Wiring): void {
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
    )
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
    .action(
      action(async (ctx, input: string, options: DocumentOptions) => {
        if (/^urn:uuid:/i.test(input.trim())) throw cliError('INVALID_INPUT', 'documentFromId', {});
        const workspace = openWorkspace(ctx.options.workspace);
        const text = await readCredentialInput(input);
        // An SD-JWT (`<jwt>~<disclosure>~…`) is a wallet's credential: refused as one, not as "no credential".
        if (!text.includes('#') && text.includes('~')) throw cliError('INVALID_INPUT', 'sdJwtNoDocument', {});
        const verify = await import('@credledger/verify');
        let jwt = text;
        if (text.includes('#')) {
          const decoded = verify.decodeCredentialLink(text);
          if (!('jwt' in decoded)) throw cliError('CREDENTIAL_MALFORMED', 'notALink', { reason: decoded.error });
          jwt = decoded.jwt;
        }
        const decoded = await verify.decodeCredential(jwt);
        if (!decoded.ok) throw cliError('CREDENTIAL_MALFORMED', 'notACredential', { reason: decoded.detail });
        const { Registry } = await import('@credledger/ledger');
        let issuerName;
        {
          await using opened = await connect(workspace, readerIdentity(workspace, options.as));
          issuerName = (await new Registry(opened.ledger).getIssuer(decoded.credential.issuer)).name;
        }
        const written = await writeCredentialDocument(jwt, options.out, {
          verifierBaseUrl: workspace.config.verifierBaseUrl,
          format: options.format,
          issuerName,
          write: writePrivate,
        });
        if (ctx.options.json) ctx.emit({ id: decoded.credential.id, ...written });
        else ctx.say(`${t.pick('已寫入', 'wrote')} ${written.file} (${documentSummary(t, written)})`);
      }),
    );
  examples(command, t, [
    'credledger document wang.jwt --out wang-licence.pdf',
    'credledger document out/jwt/0a1b….jwt --out card.pdf --format card',
    'credledger verify wang-licence.pdf',
  ]);
}
