/**
 * Commands on a workspace whose embedded ledger `credledger serve` holds (docs/decisions/0009): they act
 * through serve, over the owner-only socket in the ledger folder, signing with their own identity — so
 * an agency issues and revokes while its verifier runs, and the audit trail names the operator's
 * organisation. A key no organisation issued is refused; a socket left by a killed serve blocks nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { copyFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { exitCodes, verdictExitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, finish, json, runCli, startCli, tempDir, type CliResult } from './cli.js';

interface DemoJson {
  credentials: { label: string; id: string; status: string; jwtFile: string; qrPng: string }[];
}
interface VerifyJson {
  verdict: string;
  checks: { name: string; result: string; reason: string }[];
}
interface HistoryJson {
  id: string;
  entries: { status: string; reason: string | null; mspId: string; txId: string }[];
}

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
let demo: DemoJson;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];
const socketPath = (): string => join(workspace, 'ledger', 'run', 'peer.sock');

const lawyerArgs = [
  '--name',
  '吳淑芬',
  '--licence-number',
  '(114)台檢證字第004242號',
  '--admission-date',
  '2025-03-01',
  '--practice-status',
  'practising',
];

/** A running CLI process whose output lines can be waited for. */
interface Running {
  readonly child: ChildProcess;
  line(test: (line: string) => boolean, from?: 'stdout' | 'stderr'): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

function start(args: string[]): Running {
  const child = startCli(args);
  const done = finish(child);
  const out = { stdout: '', stderr: '' };
  const waiters: (() => void)[] = [];
  for (const from of ['stdout', 'stderr'] as const)
    child[from]?.on('data', (chunk: string) => {
      out[from] += chunk;
      for (const wake of waiters.splice(0)) wake();
    });
  return {
    child,
    line(test, from = 'stdout') {
      return new Promise((resolve, reject) => {
        const look = (): void => {
          const found = out[from].split('\n').find((l) => l !== '' && test(l));
          if (found !== undefined) resolve(found);
          else waiters.push(look);
        };
        void done.then((result) => {
          reject(new Error(`exited ${result.code} first\nstdout: ${result.stdout}\nstderr: ${result.stderr}`));
        });
        look();
      });
    },
    stop(signal = 'SIGTERM') {
      child.kill(signal);
      return done;
    },
  };
}

/** `serve --port 0 --json` on the workspace; resolves once it listens. */
async function serve(): Promise<Running & { url: string }> {
  const running = start(ws(['serve', '--port', '0', '--json']));
  const line = await running.line((l) => /"url":\s*"/.test(l));
  return { ...running, url: /"url":\s*"([^"]+)"/.exec(line)?.[1] ?? '' };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'demo');
  const result = await runCli(['demo', workspace, '--no-serve', '--json']);
  expectExit(result, 0);
  demo = json<DemoJson>(result);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

describe('commands while serve holds the embedded ledger', () => {
  it('issue, status, verify, revoke and history act through serve under the operator’s identity; watch sees the change', async () => {
    const server = await serve();
    let watcher: Running | undefined;
    try {
      const socket = await stat(socketPath());
      expect(socket.isSocket()).toBe(true);
      expect(socket.mode & 0o777).toBe(0o600);
      expect((await stat(dirname(socketPath()))).mode & 0o777).toBe(0o700);

      // watch on the workspace (not --server) reads the ledger's events through serve too.
      watcher = start(ws(['watch', '--issuer', 'did:web:moj.gov.tw', '--json']));
      await watcher.line((l) => l.startsWith('waiting for status changes'), 'stderr');

      const jwtFile = join(dir, 'wu.jwt');
      const issued = await runCli(ws(['issue', 'LawyerLicenceCredential', ...lawyerArgs, '--out', jwtFile, '--json']));
      expectExit(issued, 0);
      const { id } = json<{ id: string }>(issued);

      const active = await runCli(ws(['status', id, '--json']));
      expectExit(active, 0);
      expect(json(active)).toMatchObject({ id, status: 'ACTIVE', issuerDid: 'did:web:moj.gov.tw' });
      const valid = await runCli(ws(['verify', jwtFile, '--json']));
      expectExit(valid, verdictExitCodes.VALID);
      expect(json<VerifyJson>(valid).checks.find((c) => c.name === 'status')).toMatchObject({ result: 'pass' });

      const revoked = await runCli(ws(['revoke', id, '--reason', 'DISBARMENT', '--json']));
      expectExit(revoked, 0);
      expect(json(revoked)).toMatchObject({ changed: [{ id, from: 'ACTIVE', to: 'REVOKED', reason: 'DISBARMENT' }] });
      const now = await runCli(ws(['status', id, '--json']));
      expect(json(now)).toMatchObject({ id, status: 'REVOKED', reason: 'DISBARMENT' });
      const rejected = await runCli(ws(['verify', jwtFile, '--json']));
      expectExit(rejected, verdictExitCodes.REVOKED);
      expect(json<VerifyJson>(rejected).verdict).toBe('REVOKED');

      // The audit trail names the organisation that acted: the operator's, not serve's (NdcMSP/auditor).
      const history = await runCli(ws(['history', id, '--json']));
      expectExit(history, 0);
      expect(json<HistoryJson>(history).entries).toMatchObject([
        { status: 'ACTIVE', mspId: 'MojMSP' },
        { status: 'REVOKED', reason: 'DISBARMENT', mspId: 'MojMSP' },
      ]);

      // serve's own API reads the same ledger.
      const viaApi = await runCli(['verify', jwtFile, '--api', server.url, '--json']);
      expect(json<VerifyJson>(viaApi).verdict).toBe('REVOKED');

      const change = JSON.parse(await watcher.line((l) => l.startsWith('{'))) as Record<string, string>;
      expect(change).toMatchObject({ id, from: 'ACTIVE', to: 'REVOKED', reason: 'DISBARMENT' });
      expectExit(await watcher.stop('SIGINT'), 0);
      watcher = undefined;

      // The README's command after `npm run demo`, while the demo serves.
      const licence = demo.credentials.find((c) => c.label === 'lawyer-licence')!;
      expectExit(await runCli(ws(['verify', licence.qrPng])), verdictExitCodes.VALID);
    } finally {
      await watcher?.stop('SIGINT');
      expectExit(await server.stop(), 0);
    }
    // A clean stop removes the socket.
    await expect(stat(socketPath())).rejects.toMatchObject({ code: 'ENOENT' });
  }, 120_000);

  it('refuses a command signing with a key that no organisation of the ledger issued', async () => {
    // Another workspace's MojMSP identity: a name of this organisation, another CA. (Its auditor, whose
    // key is a PEM file: the operators' are sealed in their own workspace's keyring.)
    const stranger = join(dir, 'stranger');
    expectExit(await runCli(['init', stranger, '--json']), 0);
    const users = join(workspace, 'ledger', 'msp', 'MojMSP', 'users');
    for (const ext of ['pem', 'key'])
      await copyFile(
        join(stranger, 'ledger', 'msp', 'MojMSP', 'users', `auditor.${ext}`),
        join(users, `intruder.${ext}`),
      );
    const licence = demo.credentials.find((c) => c.label === 'lawyer-licence')!;
    const server = await serve();
    try {
      const refused = await runCli(
        ws(['revoke', licence.id, '--reason', 'DISBARMENT', '--as', 'MojMSP/intruder', '--json']),
      );
      expectExit(refused, exitCodes.ENDORSEMENT_FAILED);
      expect(errorLines(refused)).toEqual([expect.stringMatching(/^error ENDORSEMENT_FAILED: /)]);
      expect(refused.stderr).toContain('not issued by the CA of MojMSP');
      const unchanged = await runCli(ws(['status', licence.id, '--json']));
      expect(json(unchanged)).toMatchObject({ status: 'ACTIVE' });
    } finally {
      expectExit(await server.stop(), 0);
      for (const ext of ['pem', 'key']) await rm(join(users, `intruder.${ext}`));
    }
  }, 120_000);

  it('does not let the socket a killed serve left behind block the next command, nor the next serve', async () => {
    const licence = demo.credentials.find((c) => c.label === 'company-certificate')!;
    const killed = await serve();
    const result = await killed.stop('SIGKILL');
    expect(result.signal).toBe('SIGKILL');
    expect((await stat(socketPath())).isSocket()).toBe(true);

    const alone = await runCli(ws(['status', licence.id, '--json']));
    expectExit(alone, 0);
    expect(json(alone)).toMatchObject({ id: licence.id, status: 'ACTIVE' });

    const again = await serve();
    try {
      const through = await runCli(ws(['status', licence.id, '--json']));
      expectExit(through, 0);
      expect(json(through)).toMatchObject({ id: licence.id, status: 'ACTIVE' });
    } finally {
      expectExit(await again.stop(), 0);
    }
  }, 120_000);
});
