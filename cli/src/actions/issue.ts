/**
 * `credledger issue <type> --<field> <value> … | --data subject.json`: validates, signs, anchors one
 * credential; prints its id and writes the JWT and QR images where asked.
 * What the command does; its arguments, options and help are wired in commands/issue.ts, which
 * loads this module when the command runs.
 */
import { type Command } from 'commander';

import { documentSummary, type DocumentFormat } from '../document-output.js';
import { subjectFromArgs } from '../subject-args.js';
import { issueOne, type IssueOutputs } from '../issue-one.js';
import { validityFromFlags } from '../validity-args.js';
import { sdJwtFromFlags, type FormatFlags } from '../format-args.js';
import { issuerForType, openWorkspace } from '../workspace.js';
import type { Context } from '../context.js';

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

/** The action of `credledger issue`. */
export async function issue(ctx: Context, type: string, options: IssueOptions, ...rest: unknown[]): Promise<void> {
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
      ctx.pick(
        `已換發 ${result.supersedes}：舊憑證已以「已換發」撤銷`,
        `superseded ${result.supersedes}: the old credential is revoked as SUPERSEDED`,
      ),
    );
  // The QR's last row ends the line: the prompt (or the next note) starts on a line of its own.
  if (result.terminalQr !== undefined) ctx.say(result.terminalQr);
  for (const file of result.files) {
    const document = file === result.document?.file ? ` (${documentSummary(ctx, result.document)})` : '';
    ctx.note(`${ctx.pick('已寫入', 'wrote')} ${file}${document}`);
  }
  if (
    options.out === undefined &&
    !options.qrTerminal &&
    options.qrPng === undefined &&
    options.qrSvg === undefined &&
    options.pdf === undefined
  ) {
    ctx.note(
      ctx.pick(
        '提示：以 --out、--qr-png、--pdf 或 --qr-terminal 取得憑證',
        'hint: use --out, --qr-png, --pdf or --qr-terminal to get the credential',
      ),
    );
  }
}
