/**
 * What every command's `register` function is given and uses to describe itself. Apart from
 * program.ts so that the program can import the commands without the commands importing it back.
 */
import { Option, type Command } from 'commander';

import type { I18n } from './i18n.js';

/** What a command's `register` function receives. */
export interface Wiring {
  readonly t: I18n;
  /**
   * Adds the rest of `command`'s wiring — `wire`: its options, subcommands, help texts and action —
   * after what the program's help lists of it (its name, arguments and description). On a start, when
   * commander looks the command up by name to run it or show its help (CredledgerCommand.wireWhenNamed,
   * decision 0043); for the whole tree (tests), at once. `options`: whether `wire` adds options, which
   * the program's help shows as `[options]` before they exist.
   */
  readonly later: (command: Command, options: { readonly options: boolean }, wire: () => void) => void;
}

/** Adds an "Examples:" block to a command's help. */
export function examples(command: Command, t: I18n, lines: readonly string[]): Command {
  return command.addHelpText('after', `\n${t.t('help.examples')}\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`);
}

/**
 * `--as <identity>` on a command that reads the ledger: which identity reads (readerIdentity in
 * workspace.ts gives the default — the workspace's own organisation, its read-only auditor on the
 * embedded ledger; decisions 0020 and 0022).
 */
export function readerOption(t: I18n): Option {
  return new Option(
    '--as <identity>',
    t.pick(
      '讀取帳本的身分（預設：本工作區所屬組織的身分，內嵌帳本上為其唯讀稽核身分）',
      "identity reading the ledger (default: the workspace's own organisation's; its read-only auditor on the embedded ledger)",
    ),
  );
}
