/**
 * `credledger --help` loads the commands' wiring (arguments, options, help) and none of their code:
 * no module of `src/actions/` nor what only actions use (the workspace, issuing, the error report), and none of the Node modules only actions use (decision 0039). A
 * resolve hook (`module.registerHooks`) records the files the child process loads; the source map of
 * each bundle chunk names the sources in it. Node's own modules are read from
 * `process.moduleLoadList` when the child exits.
 * It writes the help without making `process.stdout` or `process.stderr` a stream, and wires the
 * options and subcommands of no command but the one named (decision 0043): the program as start.ts
 * builds it, run in this process, shows which of its commands got them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { buildProgram, ExitRequest } from '../src/program.js';
import { expectExit, tempDir } from './cli.js';
import { loadTracer } from './load-trace.js';

/** Sources only a command's action uses: the actions, the workspace, issuing, the context and its error report. */
const commandCode = /(^|\/)src\/(actions\/.*|workspace|issuing|issue-one|context)\.ts$/;

/** Node modules the program's wiring does not need: each came with a command's code, or as a whole namespace. */
const notForHelp = ['crypto', 'child_process', 'fs/promises', 'worker_threads'];

/**
 * What making stdout or stderr a stream over a pipe loads: the socket module (`node -e ''` does not load
 * it; streams themselves the tracer's `--import` loads anyway).
 */
const outputStream = ['net'];

describe('what credledger --help loads', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let trace: Awaited<ReturnType<typeof loadTracer>>;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    trace = await loadTracer(dir);
  });

  afterAll(async () => {
    await cleanup();
  });

  async function loadedBy(args: readonly string[]): Promise<{ files: string[]; builtins: readonly string[] }> {
    const { result, urls, builtins } = await trace(args);
    expectExit(result, 0);
    return { files: urls.map((url) => fileURLToPath(url)), builtins };
  }

  /** The sources bundled into the loaded chunks, by their source maps. */
  async function sourcesOf(files: readonly string[]): Promise<string[]> {
    const maps = await Promise.all(
      files.map(async (file) => JSON.parse(await readFile(`${file}.map`, 'utf8')) as { sources: string[] }),
    );
    return maps.flatMap((map) => map.sources);
  }

  const asked = [['--help'], ['issue', '--help'], ['revoke', '--help'], ['verify', '--help']];
  it.each(asked.map((args) => [args.join(' '), args]))(
    'credledger %s: the wiring only, written without an output stream',
    async (_name, args) => {
      const { files, builtins } = await loadedBy(args as string[]);
      const sources = await sourcesOf(files);
      expect(sources).toEqual(expect.arrayContaining([expect.stringMatching(/(^|\/)src\/commands\/issue\.ts$/)]));
      expect(sources.filter((source) => commandCode.test(source))).toEqual([]);
      // The entry (main.ts), start.ts, and the start's modules in one chunk (cli/scripts/bundle.mjs).
      expect(new Set(files).size).toBe(3);
      expect(builtins.filter((name) => notForHelp.includes(name))).toEqual([]);
      expect(builtins.filter((name) => outputStream.includes(name))).toEqual([]);
    },
  );
});

describe('what a start wires', () => {
  /** The program as start.ts builds it (output kept here), after commander has parsed `args`. */
  async function startedWith(args: readonly string[]): Promise<Command> {
    const program = buildProgram('en', { output: { writeOut: () => undefined, writeErr: () => undefined } });
    try {
      await program.parseAsync(args, { from: 'user' });
    } catch (error) {
      if (!(error instanceof ExitRequest)) throw error;
    }
    return program;
  }

  /** The commands, by path, that have options or subcommands of their own. */
  function wired(command: Command, prefix: readonly string[] = []): string[] {
    return command.commands.flatMap((sub) => {
      const path = [...prefix, sub.name()];
      const own = sub.options.length > 0 || sub.commands.length > 0 ? [path.join(' ')] : [];
      return [...own, ...wired(sub, path)];
    });
  }

  it('--help: the program lists every command and wires none of them', async () => {
    const program = await startedWith(['--help']);
    expect(program.commands.map((command) => command.name())).toEqual(
      expect.arrayContaining(['issue', 'issuer', 'revoke', 'verify']),
    );
    expect(wired(program)).toEqual([]);
  });

  it.each([
    [['issue', '--help'], ['issue']],
    [['help', 'revoke'], ['revoke']],
    [['--lang', 'en', 'verify', '--help'], ['verify']],
  ])('%j: only the command named is wired', async (args, named) => {
    expect(wired(await startedWith(args))).toEqual(named);
  });

  it('issuer register --help: the group named, with its commands', async () => {
    const paths = wired(await startedWith(['issuer', 'register', '--help']));
    expect(paths).toEqual(expect.arrayContaining(['issuer', 'issuer register', 'issuer add-key']));
    expect(paths.filter((path) => !path.startsWith('issuer'))).toEqual([]);
  });
});
