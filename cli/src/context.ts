/**
 * What every command action receives: the global options, the operator's language and the two output
 * streams. Results go to stdout (human text or `--json`); progress, hints and errors go to stderr, so
 * `credledger issue … --json | jq` stays clean.
 */
import type { Command } from 'commander';

import { cliExitCodes, exitCodeOf } from './exit-codes.js';
import { i18n, resolveLang, type I18n } from './i18n.js';

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
}

/**
 * An error raised by the CLI itself with an sdk-style code (`INVALID_INPUT`, `FILE_NOT_FOUND`, …), or an
 * sdk error given a next step: `details` as the sdk's (its `localized` sentence is what stderr shows).
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export function createContext(options: GlobalOptions): Context {
  const strings = i18n(resolveLang(options.lang));
  return {
    ...strings,
    options,
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
  readonly hint?: string;
}

/** Errors with a code of ours, by name (so printing an error never loads the sdk or the token package). */
const codedErrorNames = new Set(['CredledgerError', 'CliError', 'Pkcs11Error']);

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
 * Prints an error as one line `error CODE: message`, then a hint line when there is a next step, and
 * returns the exit code. The stack (and the error's details) only with `--debug`.
 */
export function reportError(error: unknown, options: Pick<GlobalOptions, 'debug' | 'json' | 'lang'>): number {
  const strings = i18n(resolveLang(options.lang));
  const coded = codedError(error);
  const code = coded?.code ?? 'INTERNAL';
  // An sdk error may carry its sentence in both languages (`details.localized`); print the operator's.
  const localized = coded?.details?.localized as Readonly<Record<string, unknown>> | undefined;
  const inLanguage = localized?.[strings.lang];
  const message = oneLine(coded?.message ?? (error instanceof Error ? error.message : String(error)));
  const shown = typeof inLanguage === 'string' ? oneLine(inLanguage) : message;
  const exitCode = coded ? exitCodeOf(coded.code) : cliExitCodes.INTERNAL;
  const hint = coded?.hint ?? (coded ? strings.maybe(`hint.${coded.code}`) : strings.t('error.internal'));

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
 * Wraps a command action: builds the context from the parsed options and turns any thrown error into
 * the one-line report and its exit code. The action gets commander's arguments unchanged (positional
 * arguments, options, then the command itself).
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- A types each action's commander arguments; unknown[] would refuse typed parameters
export function action<A extends unknown[]>(
  run: (ctx: Context, ...args: A) => Promise<void> | void,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const options = globalOptionsOf(command);
    const ctx = createContext(options);
    try {
      await run(ctx, ...(args as A));
    } catch (error) {
      process.exitCode = reportError(error, options);
    }
  };
}
