/**
 * A command loads the packages of its own user and no others: a citizen's or a bank's `verify` and
 * `status` load neither the issuing code (signing, QR and PDF rendering) nor the HTTP server. The CLI
 * imports each package where a command needs it, never the @credledger/sdk umbrella that loads them all.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';

import { expectExit, runCli, tempDir } from './cli.js';
import { loadTracer } from './load-trace.js';

/** The package a resolved file URL lies in: `node_modules/<name>/…` or the workspace's `packages/<name>/…`. */
function packageOf(url: string): string | undefined {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/|\/packages\/([^/]+)\//.exec(url);
  return match === null ? undefined : (match[1] ?? `@credledger/${match[2] ?? ''}`);
}

const notForVerifiers = [
  '@credledger/issuer',
  '@credledger/server',
  '@credledger/documents',
  'fastify',
  'pngjs',
  'pdf-lib',
];

describe('the packages a command loads', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let trace: Awaited<ReturnType<typeof loadTracer>>;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    trace = await loadTracer(dir);
    expectExit(await runCli(['demo', join(dir, 'ws'), '--no-serve', '--json']), 0);
  }, 120_000);

  afterAll(async () => {
    await cleanup();
  });

  /** The packages `args` loaded; `exit`: the exit code it must end with (its output is shown if not). */
  async function loadedBy(args: readonly string[], exit?: number): Promise<{ code: number | null; loaded: string[] }> {
    const { result, urls } = await trace(args);
    if (exit !== undefined) expectExit(result, exit);
    const names = urls.map(packageOf).filter((name): name is string => name !== undefined);
    return { code: result.code, loaded: [...new Set(names)] };
  }

  it('verify: the verifier and the ledger, nothing of issuing or serving', async () => {
    const { code, loaded } = await loadedBy(
      ['verify', join(dir, 'ws', 'lawyer-licence.jwt'), '--workspace', join(dir, 'ws')],
      0,
    );
    expect(code).toBe(0);
    expect(loaded).toEqual(expect.arrayContaining(['@credledger/verify', '@credledger/ledger']));
    expect(loaded.filter((name) => notForVerifiers.includes(name))).toEqual([]);
  }, 60_000);

  it('status: the ledger, nothing of issuing or serving', async () => {
    const { code, loaded } = await loadedBy([
      'status',
      '--workspace',
      join(dir, 'ws'),
      'urn:uuid:00000000-0000-4000-8000-000000000000',
    ]);
    expect(code).not.toBe(0);
    expect(loaded).toContain('@credledger/ledger');
    expect(loaded.filter((name) => notForVerifiers.includes(name))).toEqual([]);
  }, 60_000);

  it('issue: the issuing code, and still not the HTTP server', async () => {
    const { code, loaded } = await loadedBy(
      [
        'issue',
        'LawyerLicenceCredential',
        '--workspace',
        join(dir, 'ws'),
        '--name',
        '王小明',
        '--licence-number',
        '(115)台檢證字第099999號',
        '--admission-date',
        '2020-09-01',
        '--practice-status',
        'practising',
        '--out',
        join(dir, 'issued.jwt'),
      ],
      0,
    );
    expect(code).toBe(0);
    expect(loaded).toContain('@credledger/issuer');
    expect(loaded.filter((name) => name === '@credledger/server' || name === 'fastify')).toEqual([]);
  }, 60_000);
});
