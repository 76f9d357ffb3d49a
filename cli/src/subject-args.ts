/**
 * A credential subject from `issue`'s command line: `--licence-number '(115)…'` (kebab-case or the
 * field's own camelCase name), list fields by repeating the option or with `;`, or `--data file.json`.
 */
import { readFile } from 'node:fs/promises';

import { CliError, cliError } from './context.js';
import type { I18n } from './i18n.js';

const kebabToCamel = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Reads the subject and checks it against the type's schema.
 * Fails: UNKNOWN_CREDENTIAL_TYPE, SCHEMA_INVALID (naming the field), FILE_NOT_FOUND, INVALID_INPUT.
 */
export async function subjectFromArgs(
  typeName: string,
  args: readonly string[],
  dataFile: string | undefined,
  t: I18n,
): Promise<Record<string, unknown>> {
  const { getCredentialType, isCredledgerError, quoteInput, validateSubject } = await import('@credledger/verify');
  const type = getCredentialType(typeName);
  const subject: Record<string, unknown> = {};
  if (dataFile !== undefined) {
    let text: string;
    try {
      text = await readFile(dataFile, 'utf8');
    } catch {
      throw cliError('FILE_NOT_FOUND', 'cannotRead', { file: dataFile });
    }
    try {
      Object.assign(subject, JSON.parse(text) as Record<string, unknown>);
    } catch {
      throw cliError('INVALID_INPUT', 'notJson', { file: dataFile });
    }
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) throw cliError('USAGE', 'unexpectedArgument', { value: quoteInput(arg) });
    const eq = arg.indexOf('=');
    const name = kebabToCamel(eq < 0 ? arg.slice(2) : arg.slice(2, eq));
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    const field = type.fields.find((f) => f.name === name);
    if (!field)
      throw cliError(
        'USAGE',
        'notAField',
        { option: quoteInput(eq < 0 ? arg : arg.slice(0, eq)), type: type.name },
        { hint: t.pick(`執行 \`credledger types ${type.name}\``, `run \`credledger types ${type.name}\``) },
      );
    if (value === undefined) throw cliError('USAGE', 'needsValue', { option: quoteInput(arg) });
    if (field.type === 'list') {
      const items = value
        .split(';')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      const parsed =
        field.items.type === 'integer' ? items.map((item) => (/^-?\d+$/.test(item) ? Number(item) : item)) : items;
      subject[name] = [...((subject[name] as unknown[] | undefined) ?? []), ...parsed];
    } else subject[name] = field.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  try {
    return { ...validateSubject(type, subject) };
  } catch (error) {
    if (!isCredledgerError(error, 'SCHEMA_INVALID')) throw error;
    // The error names the value and the rule; the next step is the list of every field's rule.
    throw new CliError(
      error.code,
      error.message,
      t.pick(
        `執行 \`credledger types ${type.name}\` 查看每個欄位的規則`,
        `run \`credledger types ${type.name}\` for every field's rule`,
      ),
      error.details,
    );
  }
}
