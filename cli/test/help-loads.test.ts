/**
 * `credledger --help` loads the commands' wiring (arguments, options, help) and none of their code:
 * no module of `src/actions/` nor what only actions use (the workspace, issuing, the error report), and none of the Node modules only actions use (decision 0039). A
 * resolve hook (`module.registerHooks`) records the files the child process loads; the source map of
 * each bundle chunk names the sources in it. Node's own modules are read from
 * `process.moduleLoadList` when the child exits.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { expectExit, tempDir } from './cli.js';
import { loadTracer } from './load-trace.js';

/** Sources only a command's action uses: the actions, the workspace, issuing, the context and its error report. */
const commandCode = /(^|\/)src\/(actions\/.*|workspace|issuing|issue-one|context)\.ts$/;

/** Node modules the program's wiring does not need: each came with a command's code, or as a whole namespace. */
const notForHelp = ['crypto', 'child_process', 'fs/promises', 'worker_threads'];

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
  it.each(asked.map((args) => [args.join(' '), args]))('credledger %s: the wiring only', async (_name, args) => {
    const { files, builtins } = await loadedBy(args as string[]);
    const sources = await sourcesOf(files);
    expect(sources).toEqual(expect.arrayContaining([expect.stringMatching(/(^|\/)src\/commands\/issue\.ts$/)]));
    expect(sources.filter((source) => commandCode.test(source))).toEqual([]);
    expect(builtins.filter((name) => notForHelp.includes(name))).toEqual([]);
  });
});
