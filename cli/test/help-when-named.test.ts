/**
 * A start wires a command's options, subcommands and help texts only when commander looks the command up
 * by name (decision 0043), so what it prints must be what the whole tree prints: the program's help
 * (each command's `[options]` mark included), every command's `--help` and `help <command>`, the
 * version, and commander's usage errors with their suggestions, in English and in Traditional Chinese.
 * Both trees run in this process on the same arguments, their output kept; then the CLI itself, whose
 * help goes to the pipe without a stream, prints what the whole tree prints.
 */
import { describe, expect, it } from '@jest/globals';
import type { OutputConfiguration } from 'commander';

import { buildProgram, ExitRequest } from '../src/program.js';
import { CliError } from '../src/cli-error.js';
import { expectExit, runCli } from './cli.js';
import { commandPaths } from './command-paths.js';

interface Printed {
  readonly out: string;
  readonly err: string;
  /** How the parse ended: an exit code (help, version) or a usage error with what it says. */
  readonly end: unknown;
}

/** What the program prints for `args`, built whole or as a start builds it; 80 columns, no colours, as for a pipe. */
async function printed(lang: string, args: readonly string[], whole: boolean): Promise<Printed> {
  let out = '';
  let err = '';
  const output: OutputConfiguration = {
    writeOut: (text) => (out += text),
    writeErr: (text) => (err += text),
    getOutHelpWidth: () => 80,
    getErrHelpWidth: () => 80,
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  };
  let end: unknown = 'parsed';
  try {
    await buildProgram(lang, { output, whole }).parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof ExitRequest) end = { exitCode: error.exitCode };
    else if (error instanceof CliError)
      end = { code: error.code, message: error.message, said: error.said, hint: error.hint };
    else throw error;
  }
  return { out, err, end };
}

const commands = commandPaths().filter((path) => path.length > 0);

/** Arguments that print and end before any command's action runs. */
const cases: readonly (readonly string[])[] = [
  ['--help'],
  ['help'],
  [],
  ['--version'],
  ...commands.flatMap((path) => [
    [...path, '--help'],
    ['help', ...path],
  ]),
  ['frobnicate'],
  ['isue'],
  ['issuer', 'regster'],
  ['issuer'],
  ['issuer', 'list', '--frob'],
  ['revoke', '--reason'],
  ['status'],
  ['issue-batch', 'LawyerLicenceCredential'],
  ['issuer', 'register', 'did:web:example.org'],
  ['help', 'nosuch'],
];

describe.each(['en', 'zh-TW'])('under %s, a start prints what the whole tree prints', (lang) => {
  it.each(cases.map((args) => [args.join(' ') || '(nothing)', args]))('credledger %s', async (_name, args) => {
    const [started, whole] = await Promise.all([
      printed(lang, args as string[], false),
      printed(lang, args as string[], true),
    ]);
    expect(started).toEqual(whole);
    // Help, the version or a usage error ended it: no command ran.
    expect(started.end).not.toBe('parsed');
  });
});

describe('the CLI itself', () => {
  it.each([
    ['en', ['--help']],
    ['en', ['issue', '--help']],
    ['zh-TW', ['--help']],
    ['zh-TW', ['help', 'revoke']],
  ])('under %s, credledger %j prints what the whole tree prints', async (lang, args) => {
    const result = await runCli(args, { env: { LANG: lang === 'zh-TW' ? 'zh_TW.UTF-8' : 'en_US.UTF-8' } });
    expectExit(result, 0);
    expect(result.stdout).toBe((await printed(lang, args, true)).out);
  });
});
