/**
 * The CLI's own errors: a code of the table of error texts, said in both languages, with a hint. Apart
 * from the context (context.ts re-exports them) so that what the context owns may throw them too.
 */
import { errorTexts, fillText, type Params, type PrintedCode, type Situation, type Text } from './error-text.js';

/**
 * An error raised by the CLI itself with an sdk-style code (`INVALID_INPUT`, `FILE_NOT_FOUND`, …), or an
 * sdk error given a next step: `details` as the sdk's (its `localized` sentence is what stderr shows).
 * A message in both languages (`said`) is what stderr shows; its English is the error's `message`.
 * Errors of the CLI's own are made by `cliError`, from the table of error texts.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly said?: Text;
  constructor(
    readonly code: string,
    message: string | Text,
    readonly hint?: string | Text,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(typeof message === 'string' ? message : message.en);
    if (typeof message !== 'string') this.said = message;
  }
}

/**
 * An error of the CLI's own, said as the table of error texts says `situation` of `code`, with the
 * values it names (typed: each name either language uses), and the situation's hint if it has one.
 * @example
 * throw cliError('INVALID_INPUT', 'notADate', { flag: '--valid-from', value: quoteInput(value) })
 */
export function cliError<C extends PrintedCode, S extends Situation<C>>(
  code: C,
  situation: S,
  params: Params<C, S>,
  extra: { readonly hint?: string | Text; readonly details?: Readonly<Record<string, unknown>> } = {},
): CliError {
  const sentence = (errorTexts[code] as Readonly<Record<string, Text & { readonly hint?: Text }>>)[situation];
  if (sentence === undefined) throw new Error(`no error text ${code}.${situation}`);
  const hint = extra.hint ?? (sentence.hint === undefined ? undefined : fillText(sentence.hint, params));
  return new CliError(code, fillText(sentence, params), hint, extra.details);
}
