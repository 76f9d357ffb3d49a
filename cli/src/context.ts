/**
 * What every command action receives: the global options, the operator's language and the two output
 * streams. Results go to stdout (human text or `--json`); progress, hints and errors go to stderr, so
 * `credledger issue … --json | jq` stays clean.
 */
import type { Command } from 'commander';

import { anyCodeTexts, fillTemplate, fillText, phraseOf, type Text } from './error-text.js';
import { CliError } from './cli-error.js';
import { cliExitCodes, exitCodeOf } from './exit-codes.js';
import { i18n, resolveLang, type I18n, type Lang } from './i18n.js';
import { KeyPassphrase } from './passphrase.js';

export { CliError, cliError } from './cli-error.js';

export interface GlobalOptions {
  readonly json: boolean;
  readonly debug: boolean;
  readonly lang?: string;
  readonly workspace?: string;
}

export interface Context extends I18n {
  readonly options: GlobalOptions;
  /** One line (or block) of human output on stdout; suppressed under `--json`. */
  say(text: string): void;
  /** Machine output: one JSON document on stdout under `--json`. */
  emit(value: unknown): void;
  /** A note for the operator on stderr (never a result). */
  note(text: string): void;
  /** Sets the process exit code without ending the process (output is flushed first). */
  exit(code: number): void;
  /**
   * The issuer key passphrase for this command: read when first needed (environment or terminal), then
   * kept until the command ends, however many keys it opens.
   */
  readonly keyPassphrase: KeyPassphrase;
}

/** A command's action (`actions/<verb>.ts`): its context, then commander's arguments unchanged. */
export type Run<A extends unknown[]> = (ctx: Context, ...args: A) => Promise<void> | void;

/**
 * An error about one file of many (a batch's JWT file): its sentence in each language, after the file.
 * Anything that is no coded error passes unchanged.
 */
export function aboutFile(error: unknown, file: string): unknown {
  const coded = codedError(error);
  if (coded === undefined) return error;
  const said = {
    'zh-TW': fillTemplate(anyCodeTexts.inFile['zh-TW'], { file, sentence: sentenceOf(error, 'zh-TW') }),
    en: fillTemplate(anyCodeTexts.inFile.en, { file, sentence: sentenceOf(error, 'en') }),
  };
  return new CliError(coded.code, said, coded.hint, coded.details);
}

/**
 * Adds what the CLI knows to an sdk error it passes on (the credential id it asked for, say), so the
 * phrase of the code can name it: `details` gain `values`; code, message and everything else stay.
 * Anything that is no coded error passes unchanged.
 */
export function withDetails(error: unknown, values: Readonly<Record<string, string | number>>): unknown {
  const coded = codedError(error);
  if (coded === undefined) return error;
  const wrapped = new CliError(coded.code, coded.said ?? coded.message, coded.hint, { ...coded.details, ...values });
  wrapped.stack = coded.stack ?? wrapped.stack;
  return wrapped;
}

/**
 * The context of one command action: made by `action` when the command starts, dropped when it ends,
 * with everything it holds (the key passphrase, once read).
 */
export function createContext(options: GlobalOptions): Context {
  const strings = i18n(resolveLang(options.lang));
  return {
    ...strings,
    options,
    keyPassphrase: new KeyPassphrase(strings.pick('發行者金鑰密語：', 'Issuer key passphrase: ')),
    say: (text) => {
      if (!options.json) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    emit: (value) => {
      process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
    },
    note: (text) => {
      process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    exit: (code) => {
      process.exitCode = code;
    },
  };
}

/** JSON for ledger values: bigint block numbers as decimal strings, bytes as base64. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

interface CodedError {
  readonly code: string;
  readonly message: string;
  readonly stack?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly hint?: string | Text;
  readonly said?: Text;
}

/** Errors with a code of ours, by name (so printing an error never loads the sdk or the token package). */
const codedErrorNames: ReadonlySet<string> = new Set(['CredledgerError', 'CliError', 'Pkcs11Error']);

/**
 * A CredledgerError, a Pkcs11Error (a token's) or a CliError. Node's own `code` (ENOENT…) is not ours
 * and does not count.
 */
function codedError(error: unknown): CodedError | undefined {
  if (!(error instanceof Error)) return undefined;
  if (!codedErrorNames.has(error.name)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? (error as unknown as CodedError) : undefined;
}

/**
 * The longest error message printed. Messages quote input through quoteInput (80 characters); this
 * guards against one that embeds input some other way (a 120 KB paste must never come back whole).
 */
const maxMessageLength = 1000;

/** Makes an error message one line: operators grep logs and scripts read the first line. */
function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > maxMessageLength ? `${line.slice(0, maxMessageLength)}…` : line;
}

/**
 * An error's sentence in a language: the CLI's own in both languages (`said`), an sdk error's
 * `details.localized`; else in English the message, in Chinese the phrase of its code, naming the
 * values its details carry (the English specifics stay in `--json` and `--debug`).
 */
export function sentenceOf(error: unknown, lang: Lang): string {
  const coded = codedError(error);
  const message = coded?.message ?? (error instanceof Error ? error.message : String(error));
  const localized = coded?.details?.localized as Readonly<Record<string, unknown>> | undefined;
  const inLanguage = coded?.said?.[lang] ?? localized?.[lang];
  if (typeof inLanguage === 'string') return inLanguage;
  if (lang === 'en' && message !== '') return message;
  const phrase = phraseOf(coded?.code ?? 'INTERNAL');
  return phrase === undefined ? message : fillText(phrase, coded?.details ?? {})[lang];
}

/** The hint of an sdk error: a passphrase error about an organisation's keyring has its own. */
function hintKey(coded: CodedError): string {
  const aboutKeyring = coded.code.startsWith('PASSPHRASE_') && coded.details?.mspId !== undefined;
  return `hint.${coded.code}${aboutKeyring ? '.identity' : ''}`;
}

/**
 * Prints an error as one line `error CODE: sentence` in the operator's language, then a hint line when
 * there is a next step, and returns the exit code. The stack (and the error's details) only with
 * `--debug`; `--json` carries the English message.
 */
export function reportError(error: unknown, options: Pick<GlobalOptions, 'debug' | 'json' | 'lang'>): number {
  const strings = i18n(resolveLang(options.lang));
  const coded = codedError(error);
  const code = coded?.code ?? 'INTERNAL';
  const message = oneLine(coded?.message ?? (error instanceof Error ? error.message : String(error)));
  const shown = oneLine(sentenceOf(error, strings.lang));
  const exitCode = coded ? exitCodeOf(coded.code) : cliExitCodes.INTERNAL;
  const given = coded?.hint;
  const hint =
    given === undefined
      ? coded
        ? strings.maybe(hintKey(coded))
        : strings.t('error.internal')
      : typeof given === 'string'
        ? given
        : given[strings.lang];

  process.stderr.write(`error ${code}: ${shown}\n`);
  if (hint) process.stderr.write(`${strings.t('error.hint')}: ${hint}\n`);
  if (options.debug) {
    if (coded?.details && Object.keys(coded.details).length > 0) {
      process.stderr.write(`details: ${JSON.stringify(coded.details)}\n`);
    }
    if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  }
  if (options.json) {
    const details = coded?.details && Object.keys(coded.details).length > 0 ? coded.details : undefined;
    process.stdout.write(
      `${JSON.stringify({ error: { code, message, exitCode, ...(details ? { details } : {}) } })}\n`,
    );
  }
  return exitCode;
}

/** The global options as commander parsed them for this command. */
export function globalOptionsOf(command: Command): GlobalOptions {
  const all = command.optsWithGlobals<{ json?: boolean; debug?: boolean; lang?: string; workspace?: string }>();
  return {
    json: all.json === true,
    debug: all.debug === true,
    ...(all.lang === undefined ? {} : { lang: all.lang }),
    ...(all.workspace === undefined ? {} : { workspace: all.workspace }),
  };
}

/**
 * Runs a command action (action.ts loads it when its command runs): builds the context from the parsed options and turns any
 * thrown error into the one-line report and its exit code. The action gets commander's arguments
 * unchanged (positional arguments, options, then the command itself).
 */
export async function runAction<A extends unknown[]>(run: Run<A>, args: readonly unknown[]): Promise<void> {
  const command = args[args.length - 1] as Command;
  const options = globalOptionsOf(command);
  const ctx = createContext(options);
  try {
    await run(ctx, ...(args as A));
  } catch (error) {
    process.exitCode = reportError(error, options);
  }
}
