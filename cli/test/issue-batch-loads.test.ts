/**
 * What `issue-batch` loads and when it opens the ledger (decision 0044): a plain batch loads none of the
 * libraries it does not use, and without a terminal the ledger opens while the CSV is still being
 * checked, so even a batch refused for its rows has opened it, and leaves it closed, with the refusal as
 * before. Seen through the module-load tracer (stdin not a terminal).
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { cliExitCodes } from '../src/exit-codes.js';
import { expectExit, json, runCli, tempDir, wangLicence } from './cli.js';
import { loadTracer } from './load-trace.js';

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
let trace: Awaited<ReturnType<typeof loadTracer>>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'ws');
  expectExit(await runCli(['demo', workspace, '--no-serve', '--json']), 0);
  trace = await loadTracer(dir);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

/** Runs issue-batch under the tracer; its result, whether it loaded the ledger, and the unused libraries it loaded. */
async function traced(csv: string, out: string) {
  const { result, urls } = await trace([
    '-w',
    workspace,
    'issue-batch',
    'LawyerLicenceCredential',
    '--csv',
    csv,
    '--out',
    out,
    '--json',
  ]);
  const unused = new Set(urls.flatMap((url) => unusedByABatch.exec(url)?.[1] ?? []));
  return { result, ledgerLoaded: urls.some((url) => ledgerPackages.test(url)), unused: [...unused] };
}

const header = 'name,licenceNumber,admissionDate,practiceStatus,barMemberships,lawFirm';
const row = (n: number): string =>
  `王怡君,(111)台檢證字第${String(900_000 + n).padStart(6, '0')}號,2015-03-01,practising,臺北律師公會,明德法律事務所`;

describe('what issue-batch loads', () => {
  it('loads none of the libraries a plain batch does not use', async () => {
    const csv = join(dir, 'three.csv');
    await writeFile(csv, [header, row(1), row(2), row(3)].join('\n') + '\n');
    const out = join(dir, 'out-three');
    const { result, ledgerLoaded, unused } = await traced(csv, out);
    expectExit(result, 0);
    expect(unused).toEqual([]);
    expect(json<{ issued: number }>(result).issued).toBe(3);
    expect(ledgerLoaded).toBe(true);
    expect((await readdir(join(out, 'jwt'))).length).toBe(3);
  }, 60_000);

  it('opens the ledger while the CSV is checked, and a batch refused for its rows still closes it', async () => {
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, [header, row(4), row(5).replace('2015-03-01', '2015-13-01')].join('\n') + '\n');
    const out = join(dir, 'out-bad');
    const { result, ledgerLoaded } = await traced(csv, out);
    // The refusal is what it was: the rows, nothing issued (ROWS_INVALID's exit status).
    expectExit(result, cliExitCodes.ROWS_INVALID);
    expect(json<{ invalid: number }>(result).invalid).toBe(1);
    // The ledger's files were loaded: its opening had started before the rows were refused.
    expect(ledgerLoaded).toBe(true);
    // The ledger was closed again: the next command opens it.
    expectExit(await runCli(['-w', workspace, ...wangLicence, '--json']), 0);
  }, 60_000);
});
