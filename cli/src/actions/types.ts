/**
 * `credledger types [type]`: the credential types this sdk issues; with a type, each field's rule in
 * words (the same words the schema errors say) and an example; `--csv-template` prints a CSV header and
 * an example row that passes the schema, to start a batch file from.
 * What the command does; its arguments, options and help are wired in commands/types.ts, which
 * loads this module when the command runs.
 */
import { cliError, type Context } from '../context.js';

interface TypesOptions {
  readonly csvTemplate?: boolean;
}

/** The action of `credledger types`. */
export async function types(ctx: Context, name: string | undefined, options: TypesOptions): Promise<void> {
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
      ctx.say(`      ${ctx.pick('格式：', 'format: ')}${label(formatRule(field))}`);
      ctx.say(`      ${ctx.pick('填寫：', 'presence: ')}${label(presenceRule(field))}`);
      if (field.example !== undefined) {
        const example = Array.isArray(field.example) ? field.example.join(';') : String(field.example);
        ctx.say(`      ${ctx.pick('範例：', 'example: ')}${example}`);
      }
    }
    ctx.say('');
  }
  if (name === undefined)
    ctx.say(
      ctx.pick(
        '* 為必填。`credledger types <類型>` 顯示每個欄位的規則；加上 --csv-template 取得 CSV 範本。',
        '* required. `credledger types <type>` shows each field’s rule; add --csv-template for a CSV template.',
      ),
    );
  else
    ctx.say(
      ctx.pick(
        `* 為必填。CSV 欄名即欄位名，清單以 ; 分隔；範本：credledger types ${name} --csv-template`,
        `* required. CSV columns are the field names, lists separated by ;. Template: credledger types ${name} --csv-template`,
      ),
    );
}
