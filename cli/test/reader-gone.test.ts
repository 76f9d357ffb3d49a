/**
 * A reader that goes away is not an error of ours (reader-gone.ts): what credledger writes into a pipe
 * already closed is dropped, and it exits as it would have. Help and the version are written to the
 * descriptor (descriptor-output.ts); a command's output and the error report go through the streams,
 * guarded where the command runs and before the report (decision 0043). The pipe is closed right after
 * the child starts, before its program has loaded, so its first write fails with EPIPE.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';

import { cliExitCodes } from '../src/exit-codes.js';
import { baseEnv, cliMain } from './cli.js';

/** Runs the CLI with `closed` (stdout or stderr) closed at once; the exit code and what the other stream said. */
async function intoClosed(
  closed: 'stdout' | 'stderr',
  args: readonly string[],
): Promise<{ code: number | null; other: string }> {
  const child = spawn(process.execPath, [cliMain, ...args], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  child[closed].destroy();
  let other = '';
  child[closed === 'stdout' ? 'stderr' : 'stdout'].setEncoding('utf8').on('data', (chunk: string) => (other += chunk));
  const code = await new Promise<number | null>((resolve) =>
    child.on('close', (c) => {
      resolve(c);
    }),
  );
  return { code, other };
}

describe('a closed pipe', () => {
  it.each([
    ['--version', ['--version']],
    ['a command’s output (types)', ['types']],
    ['a command’s JSON (types --json)', ['types', '--json']],
  ])('stdout closed: %s exits 0 without an error', async (_name, args) => {
    expect(await intoClosed('stdout', args)).toEqual({ code: 0, other: '' });
  });

  it('stderr closed: a usage error still exits with its code', async () => {
    expect((await intoClosed('stderr', ['frobnicate'])).code).toBe(cliExitCodes.USAGE);
  });
});
