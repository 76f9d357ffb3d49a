/**
 * What a `credledger` process loads, for the tests that keep commands lean: the CLI run with a resolve
 * hook (`module.registerHooks`, given by `node --import`) that prints every file URL it resolves, and at
 * exit Node's own modules from `process.moduleLoadList`.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { baseEnv, cliMain, finish, type CliResult } from './cli.js';

/**
 * Source of `trace(line)` for a tracer module: writes the line to descriptor 2. Once the CLI has made
 * process.stderr, Node has made that descriptor (a pipe here) non-blocking: a write to a full pipe then
 * fails with EAGAIN, and the tracer tries again until the test has read some.
 */
const traceLineSource = `
import { writeSync } from 'node:fs';
function trace(line) {
  const bytes = Buffer.from(line + '\\n');
  for (let at = 0; at < bytes.length; ) {
    try {
      at += writeSync(2, bytes, at);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}
`;

const tracer = `
import { registerHooks } from 'node:module';
${traceLineSource}
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (resolved.url.startsWith('file:')) trace('LOADED ' + resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  for (const name of process.moduleLoadList) if (name.startsWith('NativeModule ')) trace('BUILTIN ' + name.slice(13));
});
`;

export interface LoadTrace {
  readonly result: CliResult;
  /** File URLs resolved, in order (repeats kept). */
  readonly urls: readonly string[];
  /** Node's built-in modules loaded, by name. */
  readonly builtins: readonly string[];
}

/** A tracer written into `dir` (a test's temp folder); `run(args)` runs the CLI under it, stdout a pipe. */
export async function loadTracer(dir: string): Promise<(args: readonly string[]) => Promise<LoadTrace>> {
  const file = join(dir, 'tracer.mjs');
  await writeFile(file, tracer);
  const url = pathToFileURL(file).href;
  return async (args) => {
    const child = spawn(process.execPath, ['--import', url, cliMain, ...args], {
      env: baseEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = await finish(child);
    const lines = (prefix: string): string[] =>
      result.stderr
        .split('\n')
        .filter((line) => line.startsWith(prefix))
        .map((line) => line.slice(prefix.length));
    return { result, urls: lines('LOADED '), builtins: lines('BUILTIN ') };
  };
}
