/**
 * Every command path the CLI offers, read from the program itself, so a test over all commands
 * (their help, its language) covers a new command without a list to keep up to date.
 */
import type { Command } from 'commander';

import { buildProgram } from '../src/program.js';

function pathsUnder(command: Command, prefix: readonly string[], leaves: boolean): string[][] {
  return command.commands
    .filter((sub) => sub.name() !== 'help')
    .flatMap((sub) => {
      const path = [...prefix, sub.name()];
      const below = pathsUnder(sub, path, leaves);
      return leaves && sub.commands.length > 0 ? below : [path, ...below];
    });
}

/**
 * `[]` for the program, then every command and subcommand, e.g. `['issuer', 'add-key']`; with
 * `leaves`, only the commands that do something (not the groups such as `issuer`, whose help lists them).
 */
export function commandPaths(options: { readonly leaves?: boolean } = {}): string[][] {
  const leaves = options.leaves === true;
  return [...(leaves ? [] : [[]]), ...pathsUnder(buildProgram('en', { whole: true }), [], leaves)];
}
