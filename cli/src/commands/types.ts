/**
 * `credledger types [type]`: the credential types this sdk issues; with a type, each field's rule in
 * words (the same words the schema errors say) and an example; `--csv-template` prints a CSV header and
 * an example row that passes the schema, to start a batch file from.
 */
import type { Command } from 'commander';

import { action, cliError } from '../context.js';
import { examples, type Wiring } from '../wiring.js';

interface TypesOptions {
  readonly csvTemplate?: boolean;
}

export function registerTypes(program: Command, { t }: Wiring): void {
  const command = program
    .command('types')
    .description(
      t.pick('列出可核發的憑證類型與欄位規則', 'list the credential types, their fields and each field’s rule'),
    )
    .argument('[type]', t.pick('只顯示此類型（含每個欄位的規則）', 'show only this type, with each field’s rule'))
    .option(
      '--csv-template',
      t.pick(
        '輸出此類型的 CSV 範本：標題列與一列範例',
        'print a CSV template of the type: the header and one example row',
      ),
    )
    .action(
      action(async (ctx, name: string | undefined, options: TypesOptions) => {
        const [{ credentialTypes, getCredentialType }, { fieldRule, formatRule, presenceRule }, { csvTemplate }] =
          await Promise.all([
            import('@credledger/verify'),
            import('@credledger/verify/formats'),
            import('@credledger/issuer'),
          ]);
        const label = (l: { 'zh-TW': string; en: string }): string => l[ctx.lang];
        if (options.csvTemplate) {
          if (name === undefined) throw cliError('USAGE', 'csvTemplateType', {});
          const template = csvTemplate(getCredentialType(name));
          if (ctx.options.json) ctx.emit({ type: name, csv: template });
          else process.stdout.write(template);
          return;
        }
        const types = name === undefined ? Object.values(credentialTypes) : [getCredentialType(name)];
        if (ctx.options.json) {
          // The definitions as data, and each field's rule in words as `types <type>` says it.
          ctx.emit(
            types.map((type) => ({
              ...type,
              rules: Object.fromEntries(type.fields.map((field) => [field.name, fieldRule(field)])),
            })),
          );
          return;
        }
        for (const type of types) {
          ctx.say(`${type.name}  ${label(type.title)}`);
          for (const field of type.fields) {
            const required = field.required && field.when === undefined ? '*' : ' ';
            if (name === undefined) {
              ctx.say(`  ${required} ${field.name.padEnd(26)} ${label(field.label)}`);
              continue;
            }
            ctx.say(`  ${required} ${field.name}  ${label(field.label)}`);
            ctx.say(`      ${t.pick('格式：', 'format: ')}${label(formatRule(field))}`);
            ctx.say(`      ${t.pick('填寫：', 'presence: ')}${label(presenceRule(field))}`);
            if (field.example !== undefined) {
              const example = Array.isArray(field.example) ? field.example.join(';') : String(field.example);
              ctx.say(`      ${t.pick('範例：', 'example: ')}${example}`);
            }
          }
          ctx.say('');
        }
        if (name === undefined)
          ctx.say(
            t.pick(
              '* 為必填。`credledger types <類型>` 顯示每個欄位的規則；加上 --csv-template 取得 CSV 範本。',
              '* required. `credledger types <type>` shows each field’s rule; add --csv-template for a CSV template.',
            ),
          );
        else
          ctx.say(
            t.pick(
              `* 為必填。CSV 欄名即欄位名，清單以 ; 分隔；範本：credledger types ${name} --csv-template`,
              `* required. CSV columns are the field names, lists separated by ;. Template: credledger types ${name} --csv-template`,
            ),
          );
      }),
    );
  examples(command, t, [
    'credledger types',
    'credledger types LawyerLicenceCredential',
    'credledger types LawyerLicenceCredential --csv-template > licences.csv',
    'credledger types LawyerLicenceCredential --json',
  ]);
}
