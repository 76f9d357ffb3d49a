/**
 * `verify` gives the same bytes the same verdict whether they come as an argument, in a file or on
 * standard input, and an error about input quotes at most its first 80 characters.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { exitCodes, verdictExitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, json, runCli, tempDir, type CliResult } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});

afterAll(async () => {
  await cleanup();
});

// No status source is reached for input that does not decode; --api names one so no workspace is needed.
const api = ['--api', 'http://127.0.0.1:9'];

interface VerifyJson {
  verdict: string;
  checks: { name: string; result: string; reason: string }[];
}

async function threeWays(text: string): Promise<CliResult[]> {
  const file = join(dir, 'pasted.txt');
  await writeFile(file, `${text}\n`);
  return Promise.all([
    runCli(['verify', text, ...api, '--json'], { cwd: dir }),
    runCli(['verify', file, ...api, '--json'], { cwd: dir }),
    runCli(['verify', '-', ...api, '--json'], { cwd: dir, input: text }),
  ]);
}

describe('the same bytes, one verdict', () => {
  it.each([
    ['words', 'this is not a credential'],
    ['a broken JWS', 'eyJhbGciOiJFUzI1NiJ9.eyJpZCI6'],
    ['a 120 KB blob', 'A'.repeat(120_000)],
    ['a 120 KB blob with slashes (too long to be a path)', 'QUJD/'.repeat(24_000)],
  ])('%s: MALFORMED as an argument, in a file and on stdin', async (_name, text) => {
    const results = await threeWays(text);
    for (const result of results) {
      expectExit(result, verdictExitCodes.MALFORMED);
      expect(result.stderr).toBe('');
    }
    const [arg, file, stdin] = results.map((result) => json<VerifyJson>(result));
    expect(arg?.verdict).toBe('MALFORMED');
    expect(file).toEqual(arg);
    expect(stdin).toEqual(arg);
  });

  it('the human output of a 120 KB argument does not echo it', async () => {
    const result = await runCli(['verify', 'A'.repeat(120_000), ...api], { cwd: dir });
    expectExit(result, verdictExitCodes.MALFORMED);
    expect(result.stdout.length + result.stderr.length).toBeLessThan(2000);
  });
});

describe('an argument that looks like a path but names no file', () => {
  it.each(['./missing.jwt', 'missing.png', 'out/jwt/missing'])('%s is FILE_NOT_FOUND', async (path) => {
    const result = await runCli(['verify', path, ...api], { cwd: dir });
    expectExit(result, exitCodes.FILE_NOT_FOUND);
    expect(errorLines(result)).toEqual([`error FILE_NOT_FOUND: no readable file "${path}"`]);
  });

  it('quotes at most the first 80 characters, with control characters escaped', async () => {
    const long = `${'d'.repeat(300)}/x.jwt`;
    const result = await runCli(['verify', long, ...api], { cwd: dir });
    expectExit(result, exitCodes.FILE_NOT_FOUND);
    expect(errorLines(result)).toEqual([
      `error FILE_NOT_FOUND: no readable file "${'d'.repeat(80)}…" (${long.length} characters)`,
    ]);
    const escaped = await runCli(['verify', './a\u001b[2Jb.jwt', ...api], { cwd: dir });
    expect(errorLines(escaped)).toEqual(['error FILE_NOT_FOUND: no readable file "./a\\u{1b}[2Jb.jwt"']);
  });
});

describe('other errors about input', () => {
  it('quote the input the same way', async () => {
    const long = 'x'.repeat(5000);
    const cases: [string[], string][] = [
      [
        ['verify', 'a', '--at', long],
        `error INVALID_INPUT: --at is not a time: "${'x'.repeat(80)}…" (5000 characters)`,
      ],
      [['revoke', 'urn:uuid:x', '--reason', long], `does not take reason "${'x'.repeat(80)}…" (5000 characters)`],
      [
        ['types', long],
        `error UNKNOWN_CREDENTIAL_TYPE: unknown credential type "${'x'.repeat(80)}…" (5000 characters)`,
      ],
    ];
    for (const [args, expected] of cases) {
      const result = await runCli(args, { cwd: dir });
      expect(errorLines(result)).toEqual([expect.stringContaining(expected)]);
      expect(result.stderr.length).toBeLessThan(1000);
    }
  });
});
