/**
 * `verify` without the ledger: offline from the signed files `status-list publish` and `trust-list
 * export` write (pinned governance key from the workspace), and over a status API. Neither may load
 * the embedded ledger, fabric-shim, fabric-gateway or gRPC: a resolve hook (`module.registerHooks`)
 * records every module the child process resolves. Also: a closed stdout is no crash.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { verdictExitCodes } from '../src/exit-codes.js';
import { baseEnv, cliMain, expectExit, finish, json, runCli, tempDir, type CliResult } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
let published: string;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];

interface DemoJson {
  credentials: { label: string; id: string; status: string; jwtFile: string }[];
}
let demo: DemoJson;
/** What `status-list publish` said on the demo's ledger (the demo revokes one MoJ credential). */
let publishedSaid: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'ws');
  published = join(dir, 'public');
  const result = await runCli(['demo', workspace, '--no-serve', '--json']);
  expectExit(result, 0);
  demo = json<DemoJson>(result);
  const publishedRun = await runCli(ws(['status-list', 'publish', '--out', published]));
  expectExit(publishedRun, 0);
  publishedSaid = publishedRun.stdout;
  expectExit(await runCli(ws(['trust-list', 'export', '--out', published])), 0);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

it('status-list publish counts the bits set of each list in English singular and plural', () => {
  const said = (list: string): string | undefined =>
    publishedSaid.split('\n').find((line) => line.includes(`/status/${list}.jwt  (`));
  expect(said('moj.gov.tw/revocation')).toContain('(1 bit set)');
  expect(said('moj.gov.tw/suspension')).toContain('(0 bits set)');
  expect(said('moea.gov.tw/revocation')).toContain('(0 bits set)');
});

const credential = (status: string): { id: string; jwtFile: string } => {
  const found = demo.credentials.find((c) => c.status === status);
  if (!found) throw new Error(`the demo issued no ${status} credential`);
  return found;
};

/** Module URLs whose loading would mean the ledger stack came along. */
const ledgerModules =
  /fabric-shim|fabric-contract-api|fabric-gateway|@grpc|classic-level|\/ledger\/embedded\/|\/ledger\/fabric/;

/** Runs the built CLI with a resolve hook that writes every resolved module URL to a file. */
async function runRecordingModules(args: readonly string[]): Promise<{ result: CliResult; modules: string[] }> {
  const log = join(dir, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const hook = [
    "import { registerHooks } from 'node:module';",
    "import { appendFileSync } from 'node:fs';",
    'registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); appendFileSync(process.env.CREDLEDGER_TEST_MODULE_LOG, r.url + "\\n"); return r; } });',
  ].join('\n');
  const child = spawn(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, cliMain, ...args],
    {
      env: baseEnv({ CREDLEDGER_TEST_MODULE_LOG: log }),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const result = await finish(child);
  const modules = (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
  await rm(log);
  return { result, modules };
}

describe('verify --status-dir (offline)', () => {
  it('finds a valid credential VALID and a revoked one REVOKED from the published files alone', async () => {
    const valid = await runCli(ws(['verify', credential('ACTIVE').jwtFile, '--status-dir', published, '--json']));
    expectExit(valid, verdictExitCodes.VALID);
    expect(json<{ verdict: string }>(valid).verdict).toBe('VALID');
    const revoked = await runCli(ws(['verify', credential('REVOKED').jwtFile, '--status-dir', published, '--json']));
    expectExit(revoked, verdictExitCodes.REVOKED);
    expect(json<{ verdict: string }>(revoked).verdict).toBe('REVOKED');
  });

  it('trusts only the governance key pinned in the workspace, not one lying beside the lists', async () => {
    const other = join(dir, 'other-keys.json');
    const pinned = JSON.parse(await readFile(join(workspace, 'governance-keys.json'), 'utf8')) as {
      kid: string;
      publicKeyJwk: { x: string; y: string };
    }[];
    const [first] = pinned;
    if (!first) throw new Error('no pinned key');
    // Same kid, another point: the trust list's signature no longer checks out.
    await writeFile(
      other,
      JSON.stringify([
        { ...first, publicKeyJwk: { ...first.publicKeyJwk, x: first.publicKeyJwk.y, y: first.publicKeyJwk.x } },
      ]),
    );
    const result = await runCli(
      ws(['verify', credential('ACTIVE').jwtFile, '--status-dir', published, '--governance-keys', other, '--json']),
    );
    expect(result.code).not.toBe(verdictExitCodes.VALID);
    expect(json<{ verdict: string }>(result).verdict).not.toBe('VALID');
  });

  it('loads neither the ledger nor Fabric nor gRPC', async () => {
    const { result, modules } = await runRecordingModules(
      ws(['verify', credential('ACTIVE').jwtFile, '--status-dir', published, '--json']),
    );
    expectExit(result, verdictExitCodes.VALID);
    expect(modules.some((url) => url.endsWith('/packages/verify/dist/index.js'))).toBe(true);
    expect(modules.filter((url) => ledgerModules.test(url))).toEqual([]);
  });
});

describe('modules loaded', () => {
  it('verify --api loads neither the ledger nor Fabric nor gRPC', async () => {
    // Nothing listens on port 9: the verdict is UNVERIFIABLE, and the modules are what matters here.
    const { result, modules } = await runRecordingModules(
      ws(['verify', credential('ACTIVE').jwtFile, '--api', 'http://127.0.0.1:9', '--json']),
    );
    expect(json<{ verdict: string }>(result).verdict).toBe('UNVERIFIABLE');
    expect(modules.some((url) => url.endsWith('/packages/verify/dist/index.js'))).toBe(true);
    expect(modules.filter((url) => ledgerModules.test(url))).toEqual([]);
  });

  it('--help loads no sdk module at all, and commander from the bundle', async () => {
    const { result, modules } = await runRecordingModules(['--help']);
    expectExit(result, 0);
    expect(modules.some((url) => url.endsWith('/cli/dist/credledger.js'))).toBe(true);
    expect(modules.filter((url) => url.includes('/sdk/dist/'))).toEqual([]);
    // cli/scripts/bundle.mjs puts commander into the bundle: a start reads no package of node_modules.
    expect(modules.filter((url) => url.includes('/node_modules/'))).toEqual([]);
  });
});

describe('verify human output', () => {
  it('labels the subject fields and names the issuer in the chosen language', async () => {
    const zh = await runCli(ws(['verify', credential('ACTIVE').jwtFile, '--status-dir', published, '--lang', 'zh-TW']));
    expectExit(zh, verdictExitCodes.VALID);
    expect(zh.stdout).toContain('法務部');
    expect(zh.stdout).toMatch(/^\s+姓名: /m);
    const en = await runCli(ws(['verify', credential('ACTIVE').jwtFile, '--status-dir', published, '--lang', 'en']));
    expectExit(en, verdictExitCodes.VALID);
    expect(en.stdout).toContain('Ministry of Justice');
    expect(en.stdout).toMatch(/^\s+Name: /m);
  });
});

describe('a reader that goes away', () => {
  it('--help into a closed pipe exits 0 without an error', async () => {
    const child = spawn(process.execPath, [cliMain, '--help'], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the program writes a byte: its first write fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) =>
      child.on('close', (c) => {
        resolve(c);
      }),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
