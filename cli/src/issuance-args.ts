/**
 * The options `issue` and `issue-batch` share after their outputs: the document layout, the validity
 * window, and what to do with an expired credential or a subject's active one. `one` words them for one
 * credential, `batch` for many.
 */
import { Option, type Command } from 'commander';

import { documentFormatChoices } from './document-output.js';
import type { I18n } from './i18n.js';

export function addIssuanceOptions(command: Command, t: I18n, count: 'one' | 'batch'): Command {
  const one = count === 'one';
  return command
    .addOption(
      new Option('--pdf-format <format>', t.pick('文件版面：「a4」或「card」', 'document layout: a4 or card'))
        .choices([...documentFormatChoices])
        .default('a4'),
    )
    .option('--valid-from <date>', t.pick('生效時間（預設：現在）', 'start of validity (default: now)'))
    .option('--valid-until <date>', t.pick('失效時間（預設依類型）', 'end of validity (default per type)'))
    .option(
      '--allow-expired',
      t.pick(
        '允許核發一核發即已過期的憑證',
        one
          ? 'allow a credential that is already expired when issued'
          : 'allow credentials that are already expired when issued',
      ),
    )
    .option(
      '--supersede',
      t.pick(
        '對象已有有效憑證時換發：舊憑證在同一筆交易中以「已換發」撤銷',
        `replace the active credential ${one ? 'the subject' : 'a subject'} already has: the old one is revoked as SUPERSEDED in the same transaction`,
      ),
    );
}
