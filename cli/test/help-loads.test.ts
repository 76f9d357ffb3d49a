/**
 * `credledger --help` loads the commands' wiring (arguments, options, help) and none of their code:
 * no module of `src/actions/` nor what only actions use (the workspace, issuing, the error report), and none of the Node modules only actions use (decision 0039). A
 * resolve hook (`module.registerHooks`) records the files the child process loads; the source map of
 * each bundle chunk names the sources in it. Node's own modules are read from
 * `process.moduleLoadList` when the child exits.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { baseEnv, cliMain, expectExit, finish, tempDir } from './cli.js';

/** Registered with `node --import`: prints each file URL resolved, and at exit Node's own modules loaded. */
const tracer = `
import { registerHooks } from 'node:module';
import { writeSync } from 'node:fs';
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (resolved.url.startsWith('file:')) writeSync(2, 'LOADED ' + resolved.url + '\\n');
    return resolved;
  },
});
process.on('exit', () => {
  for (const name of process.moduleLoadList) if (name.startsWith('NativeModule ')) writeSync(2, 'BUILTIN ' + name.slice(13) + '\\n');
});
`;

/** Sources only a command's action uses: the actions, the workspace, issuing, the context and its error report. */
const commandCode = /(^|\/)src\/(actions\/.*|workspace|issuing|issue-one|context)\.ts$/;

/** Node modules the program's wiring does not need: each came with a command's code, or as a whole namespace. */
const notForHelp = ['crypto', 'child_process', 'fs/promises', 'worker_threads'];

describe('what credledger --help loads', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let tracerUrl: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    const tracerFile = join(dir, 'tracer.mjs');
    await writeFile(tracerFile, tracer);
    tracerUrl = pathToFileURL(tracerFile).href;
  });

  afterAll(async () => {
    await cleanup();
  });

  async function loadedBy(args: readonly string[]): Promise<{ files: string[]; builtins: string[] }> {
    // stdout a pipe, as when a person or a script reads it.
    const child = spawn(process.execPath, ['--import', tracerUrl, cliMain, ...args], {
      env: baseEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = await finish(child);
    expectExit(result, 0);
    const lines = (prefix: string): string[] =>
      result.stderr
        .split('\n')
        .filter((line) => line.startsWith(prefix))
        .map((line) => line.slice(prefix.length));
    return { files: lines('LOADED ').map((url) => fileURLToPath(url)), builtins: lines('BUILTIN ') };
  }

  /** The sources bundled into the loaded chunks, by their source maps. */
  async function sourcesOf(files: readonly string[]): Promise<string[]> {
    const maps = await Promise.all(
      files.map(async (file) => JSON.parse(await readFile(`${file}.map`, 'utf8')) as { sources: string[] }),
    );
    return maps.flatMap((map) => map.sources);
  }

  const asked = [['--help'], ['issue', '--help'], ['revoke', '--help'], ['verify', '--help']];
  it.each(asked.map((args) => [args.join(' '), args]))('credledger %s: the wiring only', async (_name, args) => {
    const { files, builtins } = await loadedBy(args as string[]);
    const sources = await sourcesOf(files);
    expect(sources).toEqual(expect.arrayContaining([expect.stringMatching(/(^|\/)src\/commands\/issue\.ts$/)]));
    expect(sources.filter((source) => commandCode.test(source))).toEqual([]);
    expect(builtins.filter((name) => notForHelp.includes(name))).toEqual([]);
  });
});
