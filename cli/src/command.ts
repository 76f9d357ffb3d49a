/**
 * commander in the operator's language: a `Command` whose usage errors are said in both languages
 * (commander words them in English only), and help whose headings, usage line and option notes are in
 * Traditional Chinese under zh-TW. English help and English usage errors are commander's own, unchanged.
 * A command's wiring may come in two steps: what the program's help lists of it first, the rest when
 * commander looks it up by name (decision 0043).
 */
import { Command, Help, type HelpConfiguration, type Option } from 'commander';

import { columns } from './columns.js';
import { CliError } from './cli-error.js';
import { errorTexts, fillText, type Text } from './error-text.js';
import type { I18n } from './i18n.js';

// commander's error methods (lib/command.js) are what its parser calls on `this` for each usage error;
// they take the values the error names, which its English message is the only other place of.
declare module 'commander' {
  interface Command {
    unknownCommand(): void;
    unknownOption(flag: string): void;
    missingArgument(name: string): void;
    optionMissingArgument(option: Option): void;
    missingMandatoryOptionValue(option: Option): void;
    _excessArguments(receivedArgs: string[]): void;
    _findCommand(name?: string): Command | undefined;
  }
}

const usageTexts = errorTexts.USAGE;

/**
 * A command (and, through `createCommand`, every subcommand) whose usage errors carry a zh-TW sentence,
 * and whose wiring may be completed when it is looked up by name.
 */
export class CredledgerCommand extends Command {
  /** The rest of this command's wiring, until commander first looks the command up by name. */
  #rest: (() => void) | undefined;
  #optionsLater = false;

  override createCommand(name?: string): Command {
    return new CredledgerCommand(name);
  }

  override createHelp(): Help {
    return Object.assign(new CredledgerHelp(), this.configureHelp());
  }

  /**
   * Leaves the rest of this command's wiring (`wire`: its options, subcommands, help texts, action) until
   * commander looks the command up by name, which it does before it runs the command or shows its help
   * (`credledger <command> …`, `credledger help <command>`). Until then the program's help lists it by
   * what it has (name, arguments, description), marked `[options]` as commander marks a command with
   * options when `options` says the rest adds some.
   */
  wireWhenNamed(options: boolean, wire: () => void): void {
    this.#rest = wire;
    this.#optionsLater = options;
  }

  /** Whether options are still to come (the program's help marks the command `[options]`). */
  get optionsLater(): boolean {
    return this.#optionsLater;
  }

  // commander finds a command by name to run it, show its help or dispatch `help <command>`: it gets the
  // rest of its wiring first.
  override _findCommand(name?: string): Command | undefined {
    const found = super._findCommand(name);
    if (found instanceof CredledgerCommand) found.#wireRest();
    return found;
  }

  #wireRest(): void {
    const wire = this.#rest;
    if (wire === undefined) return;
    this.#rest = undefined;
    this.#optionsLater = false;
    wire();
  }

  override unknownCommand(): void {
    said(
      () => {
        super.unknownCommand();
      },
      fillText(usageTexts.unknownCommand, { name: this.args[0] ?? '' }),
    );
  }

  override unknownOption(flag: string): void {
    said(
      () => {
        super.unknownOption(flag);
      },
      fillText(usageTexts.unknownOption, { flag }),
    );
  }

  override missingArgument(name: string): void {
    said(
      () => {
        super.missingArgument(name);
      },
      fillText(usageTexts.missingArgument, { name }),
    );
  }

  override optionMissingArgument(option: Option): void {
    said(
      () => {
        super.optionMissingArgument(option);
      },
      fillText(usageTexts.optionMissingArgument, { flags: option.flags }),
    );
  }

  override missingMandatoryOptionValue(option: Option): void {
    said(
      () => {
        super.missingMandatoryOptionValue(option);
      },
      fillText(usageTexts.missingMandatoryOption, { flags: option.flags }),
    );
  }

  override _excessArguments(receivedArgs: string[]): void {
    said(
      () => {
        super._excessArguments(receivedArgs);
      },
      fillText(usageTexts.excessArguments, {
        command: this.name(),
        expected: this.registeredArguments.length,
        received: receivedArgs.length,
        args: receivedArgs.join(', '),
      }),
    );
  }
}

/**
 * Runs one of commander's error methods and gives the USAGE error it ends in (through the program's
 * exit override) a sentence in both languages: commander's English as it is, the table's zh-TW.
 */
function said(run: () => void, text: Text): void {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError && error.code === 'USAGE')
      throw new CliError('USAGE', { 'zh-TW': text['zh-TW'], en: error.message }, error.hint, error.details);
    throw error;
  }
}

/**
 * commander's help, with a command whose options are still to come (`wireWhenNamed`) listed as commander
 * lists one that has them: `issue [options] <type>`.
 */
class CredledgerHelp extends Help {
  override subcommandTerm(cmd: Command): string {
    const term = super.subcommandTerm(cmd);
    if (!(cmd instanceof CredledgerCommand) || !cmd.optionsLater) return term;
    // commander's term: the name (and first alias), ` [options]` when there are options, then the arguments.
    const known = [cmd.name(), ...cmd.aliases().slice(0, 1)].join('|');
    return `${known} [options]${term.slice(known.length)}`;
  }
}

/** commander's fixed headings, in Chinese. */
const titles: Readonly<Record<string, string>> = {
  'Usage:': '用法：',
  'Arguments:': '引數：',
  'Options:': '選項：',
  'Global Options:': '全域選項：',
  'Commands:': '指令：',
};

/** commander's placeholders in usage lines and command terms, in Chinese. */
const placeholders: readonly (readonly [string, string])[] = [
  ['[options]', '[選項]'],
  ['[command]', '[指令]'],
];

function localizeUsage(text: string): string {
  return text
    .split(' ')
    .map((word) => placeholders.find(([en]) => en === word)?.[1] ?? word)
    .join(' ');
}

/**
 * Help settings for the operator's language: none for English (commander's own help), and for zh-TW
 * Chinese headings, usage placeholders, default and choice notes, and column widths that count a
 * Chinese character as two columns.
 */
export function helpIn(t: I18n): HelpConfiguration {
  if (t.lang !== 'zh-TW') return {};
  const base = new CredledgerHelp();
  const notes = (description: string, extra: string[]): string =>
    extra.length === 0 ? description : `${description}${description === '' ? '' : ' '}（${extra.join('；')}）`;
  return {
    styleTitle: (title) => titles[title] ?? title,
    commandUsage: (cmd) => localizeUsage(base.commandUsage(cmd)),
    subcommandTerm: (cmd) => localizeUsage(base.subcommandTerm(cmd)),
    optionDescription: (option) => {
      const extra: string[] = [];
      if (option.argChoices) extra.push(`可選：${option.argChoices.map((choice) => `「${choice}」`).join('、')}`);
      const shown =
        option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
      if (option.defaultValue !== undefined && shown)
        extra.push(`預設：${option.defaultValueDescription ?? JSON.stringify(option.defaultValue)}`);
      if (option.envVar !== undefined) extra.push(`環境變數：${option.envVar}`);
      return notes(option.description, extra);
    },
    argumentDescription: (argument) => {
      const extra: string[] = [];
      if (argument.argChoices) extra.push(`可選：${argument.argChoices.map((choice) => `「${choice}」`).join('、')}`);
      if (argument.defaultValue !== undefined)
        extra.push(`預設：${argument.defaultValueDescription ?? JSON.stringify(argument.defaultValue)}`);
      return notes(argument.description, extra);
    },
    // commander pads and wraps by columns.
    displayWidth: columns,
  };
}
