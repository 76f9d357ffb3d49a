/** `credledger types`: the credential types this sdk issues, with their fields (what CSV columns to use). */
import type { Command } from 'commander';

import { action } from '../context.js';
import { examples, type Wiring } from '../program.js';

export function registerTypes(program: Command, { t }: Wiring): void {
  const command = program
    .command('types')
    .description(t.pick('列出可核發的憑證類型與欄位', 'list the credential types and their fields'))
    .argument('[type]', t.pick('只顯示此類型', 'show only this type'))
    .action(
      action(async (ctx, name: string | undefined) => {
        const { credentialTypes, getCredentialType } = await import('@credledger/sdk');
        const types = name === undefined ? Object.values(credentialTypes) : [getCredentialType(name)];
        if (ctx.options.json) {
          ctx.emit(types);
          return;
        }
        const label = (l: { 'zh-TW': string; en: string }): string => (ctx.lang === 'zh-TW' ? l['zh-TW'] : l.en);
        for (const type of types) {
          ctx.say(`${type.name}  ${label(type.title)}`);
          for (const field of type.fields) {
            const kind =
              field.type === 'list'
                ? `list of ${field.items.type} (;)`
                : field.type === 'enum'
                  ? field.values.map((v) => v.value).join('|')
                  : field.type;
            ctx.say(
              `  ${field.required ? '*' : ' '} ${field.name.padEnd(22)} ${kind.padEnd(28)} ${label(field.label)}`,
            );
          }
          ctx.say('');
        }
      }),
    );
  examples(command, t, ['credledger types', 'credledger types LawyerLicenceCredential --json']);
}
