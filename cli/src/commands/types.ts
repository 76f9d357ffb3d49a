/**
 * `credledger types [type]`: the credential types this sdk issues; with a type, each field's rule in
 * words (the same words the schema errors say) and an example; `--csv-template` prints a CSV header and
 * an example row that passes the schema, to start a batch file from.
 * The wiring: arguments, options and help. The action is actions/types.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, type Wiring } from '../wiring.js';

export function registerTypes(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('types')
    .description(
      t.pick('列出可核發的憑證類型與欄位規則', 'list the credential types, their fields and each field’s rule'),
    )
    .argument('[type]', t.pick('只顯示此類型（含每個欄位的規則）', 'show only this type, with each field’s rule'));
  later(command, { options: true }, () => {
    command
      .option(
        '--csv-template',
        t.pick(
          '輸出此類型的 CSV 範本：標題列與一列範例',
          'print a CSV template of the type: the header and one example row',
        ),
      )
      .action(action(async () => (await import('../actions/types.js')).types));
    examples(command, t, [
      'credledger types',
      'credledger types LawyerLicenceCredential',
      'credledger types LawyerLicenceCredential --csv-template > licences.csv',
      'credledger types LawyerLicenceCredential --json',
    ]);
  });
}
