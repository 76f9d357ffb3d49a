/**
 * What every command's `register` function is given and uses to describe itself. Apart from
 * program.ts so that the program can import the commands without the commands importing it back.
 */
import type { Command } from 'commander';

import type { I18n } from './i18n.js';

/** What a command's `register` function receives. */
export interface Wiring {
  readonly t: I18n;
}

/** Adds an "Examples:" block to a command's help. */
export function examples(command: Command, t: I18n, lines: readonly string[]): Command {
  return command.addHelpText('after', `\n${t.t('help.examples')}\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`);
}
