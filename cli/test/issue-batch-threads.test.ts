/**
 * What `issue-batch` loads and when it opens the ledger (decision 0044): a plain batch loads none of the
 * libraries it does not use, and without a terminal the ledger opens while the CSV is still being
 * checked, so even a batch refused for its rows has opened it, and leaves it closed, with the refusal as
 * before. Seen through a module-load tracer.
 */
import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { cliExitCodes } from '../src/exit-codes.js';
import { baseEnv, cliMain, expectExit, finish, json, runCli, tempDir, wangLicence } from './cli.js';
import { traceLineSource } from './load-trace.js';

const tracer = `
import { registerHooks } from 'node:module';
import { threadId } from 'node:worker_threads';
${traceLineSource}
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (resolved.url.startsWith('file:')) trace('LOADED ' + threadId + ' ' + resolved.url);
    return resolved;
  },
});
`;

/** The ledger's own packages: the peer and the chaincode it runs. */
const ledgerPackages = /\/(packages\/ledger-embedded|chaincode|node_modules\/fabric-shim)\//;
/**
 * Libraries a batch of `vc+jwt`s signed with a key file never uses: SD-JWT's (and the schema library
 * it brings), did-jwt's external-signer path, and the QR encoder and decoders.
 */
const unusedByABatch = /\/node_modules\/(@sd-jwt\/sd-jwt-vc|@sd-jwt\/core|zod|did-jwt|qrcode|jsqr|pngjs|jpeg-js)\//;

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
let tracerUrl: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'ws');
  expectExit(await runCli(['demo', workspace, '--no-serve', '--json']), 0);
  const file = join(dir, 'tracer.mjs');
  await writeFile(file, tracer);
  tracerUrl = pathToFileURL(file).href;
}, 120_000);

afterAll(async () => {
  await cleanup();
});

/** Runs issue-batch under the tracer (stdin and stderr pipes: no terminal); its result and, per thread, the ledger files it loaded. */
async function traced(csv: string, out: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      tracerUrl,
      cliMain,
      '-w',
      workspace,
      'issue-batch',
      'LawyerLicenceCredential',
      '--csv',
      csv,
      '--out',
      out,
      '--json',
    ],
    { env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const result = await finish(child, '');
  const ledgerLoads = new Map<string, number>();
  const unused = new Set<string>();
  for (const line of result.stderr.split('\n')) {
    const match = /^LOADED (\d+) (\S+)$/.exec(line);
    if (match?.[2] === undefined) continue;
    if (ledgerPackages.test(match[2])) ledgerLoads.set(match[1] ?? '', (ledgerLoads.get(match[1] ?? '') ?? 0) + 1);
    const library = unusedByABatch.exec(match[2])?.[1];
    if (library !== undefined) unused.add(library);
  }
  return { result, ledgerThreads: [...ledgerLoads.keys()], unused: [...unused] };
}

const header = 'name,licenceNumber,admissionDate,practiceStatus,barMemberships,lawFirm';
const row = (n: number): string =>
  `王怡君,(111)台檢證字第${String(900_000 + n).padStart(6, '0')}號,2015-03-01,practising,臺北律師公會,明德法律事務所`;

describe('issue-batch threads', () => {
  it('loads none of the libraries a plain batch does not use, and the ledger on the main thread', async () => {
    const csv = join(dir, 'three.csv');
    await writeFile(csv, [header, row(1), row(2), row(3)].join('\n') + '\n');
    const out = join(dir, 'out-three');
    const { result, ledgerThreads, unused } = await traced(csv, out);
    expectExit(result, 0);
    expect(unused).toEqual([]);
    expect(json<{ issued: number }>(result).issued).toBe(3);
    // Thread 0 is the main thread: the ledger runs there (a thread of its own made the batch slower).
    expect(ledgerThreads).toEqual(['0']);
    expect((await readdir(join(out, 'jwt'))).length).toBe(3);
  }, 60_000);

  it('opens the ledger while the CSV is checked, and a batch refused for its rows still closes it', async () => {
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, [header, row(4), row(5).replace('2015-03-01', '2015-13-01')].join('\n') + '\n');
    const out = join(dir, 'out-bad');
    const { result, ledgerThreads } = await traced(csv, out);
    // The refusal is what it was: the rows, nothing issued (ROWS_INVALID's exit status).
    expectExit(result, cliExitCodes.ROWS_INVALID);
    expect(json<{ invalid: number }>(result).invalid).toBe(1);
    // The ledger's files were loaded: its opening had started before the rows were refused.
    expect(ledgerThreads).toEqual(['0']);
    // The ledger was closed again: the next command opens it.
    expectExit(await runCli(['-w', workspace, ...wangLicence, '--json']), 0);
  }, 60_000);
});
