/**
 * Tracking through the built CLI, as an operator and a subscriber would use it: `credledger serve
 * --tracking` in one process, `subscriptions add|list|remove` and `watch --server` in others, a webhook
 * receiver on loopback. A status change made while serve is stopped reaches the webhook from serve's
 * checkpoint once it starts again, and `watch --from-block` on the workspace reads it back. (Changes
 * made while serve runs go through serve itself: held-ledger.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { exitCodes } from '../src/exit-codes.js';
import { errorLines, expectExit, finish, json, runCli, startCli, tempDir, type CliResult } from './cli.js';

interface DemoJson {
  credentials: { label: string; id: string; status: string; jwtFile: string }[];
}
interface Created {
  subscription: { id: string; url: string; credentialIds: string[] };
  token: string;
}
interface ChangeLine {
  id: string;
  from: string;
  to: string;
  reason: string;
  txId: string;
  blockNumber: string;
}
interface Delivery {
  headers: IncomingHttpHeaders;
  body: { type: string; idempotencyKey: string; subscriptionId: string; change: ChangeLine };
}

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
let demo: DemoJson;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];

/** A running CLI process whose stdout can be waited on line by line, and whose end is collected. */
interface Running {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  /** Resolves with the first line of stdout (or `stderr`) matching `test`; rejects if the process ends first. */
  line(test: (line: string) => boolean, from?: 'stdout' | 'stderr'): Promise<string>;
  /** Sends `signal` and resolves with the whole run. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

function start(args: string[]): Running {
  const child = startCli(args);
  const done = finish(child);
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout?.on('data', (chunk: string) => {
    out += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr?.on('data', (chunk: string) => {
    err += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    child,
    stdout: () => out,
    line(test, from = 'stdout') {
      return new Promise((resolve, reject) => {
        const look = (): void => {
          const found = (from === 'stdout' ? out : err).split('\n').find((l) => l !== '' && test(l));
          if (found !== undefined) resolve(found);
          else waiters.push(look);
        };
        void done.then((result) => {
          reject(
            new Error(`exited ${result.code} before the line came\nstdout: ${result.stdout}\nstderr: ${result.stderr}`),
          );
        });
        look();
      });
    },
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return done;
    },
  };
}

/** `serve --tracking` on `port` (0: a free one) with the workspace's state directory; resolves once it listens. */
async function serve(port: number): Promise<{ process: Running; url: string }> {
  const running = start(ws(['serve', '--tracking', '--port', String(port), '--allow-loopback-webhooks', '--json']));
  // `--json` prints `{ "url": … }` once it listens.
  const line = await running.line((l) => /"url":\s*"/.test(l));
  return { process: running, url: /"url":\s*"([^"]+)"/.exec(line)?.[1] ?? '' };
}

/** A webhook receiver on loopback recording every delivery; answers 204. */
async function receiver(): Promise<{
  url: string;
  deliveries: Delivery[];
  next(count: number): Promise<void>;
  close(): Promise<void>;
}> {
  const deliveries: Delivery[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      deliveries.push({ headers: request.headers, body: JSON.parse(body) as Delivery['body'] });
      response.writeHead(204).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/credledger`,
    deliveries,
    next: (count) =>
      new Promise<void>((resolve) => {
        const look = (): void => {
          if (deliveries.length >= count) resolve();
          else waiters.push(look);
        };
        look();
      }),
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
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

describe('subscriptions add|list|remove against a running serve --tracking', () => {
  it('adds with the credential as proof, lists to the token holder only, refuses a credential that is not the anchored one, removes', async () => {
    const licence = demo.credentials.find((c) => c.label === 'lawyer-licence')!;
    const hook = await receiver();
    const { process: server, url } = await serve(0);
    let subscriptionId = '';
    try {
      const added = await runCli(
        ws(['subscriptions', 'add', '--server', url, '--url', hook.url, '--credential', licence.jwtFile, '--json']),
      );
      expectExit(added, 0);
      const created = json<Created>(added);
      subscriptionId = created.subscription.id;
      expect(created.subscription.id).toMatch(/^sub_/);
      expect(created.subscription.credentialIds).toEqual([licence.id]);
      expect(created.token.length).toBeGreaterThan(16);

      const listed = await runCli(
        ws([
          'subscriptions',
          'list',
          '--server',
          url,
          '--id',
          created.subscription.id,
          '--token',
          created.token,
          '--json',
        ]),
      );
      expectExit(listed, 0);
      expect(json<{ id: string; url: string; pending: number; deadLetters: unknown[] }[]>(listed)).toMatchObject([
        { id: created.subscription.id, url: hook.url, pending: 0, deadLetters: [] },
      ]);
      const wrongToken = await runCli(
        ws([
          'subscriptions',
          'list',
          '--server',
          url,
          '--id',
          created.subscription.id,
          '--token',
          'not-the-token',
          '--json',
        ]),
      );
      expectExit(wrongToken, exitCodes.INVALID_INPUT);
      expect(errorLines(wrongToken)).toHaveLength(1);

      // A credential file with one payload character changed: its digest is not the anchored one.
      const jwt = (await readFile(licence.jwtFile, 'utf8')).trim();
      const [header = '', payload = '', signature = ''] = jwt.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iat?: number };
      const forged = JSON.stringify({ ...claims, iat: (claims.iat ?? 0) + 1 });
      const forgedFile = join(dir, 'forged.jwt');
      await writeFile(forgedFile, `${header}.${Buffer.from(forged, 'utf8').toString('base64url')}.${signature}`);
      const refused = await runCli(
        ws(['subscriptions', 'add', '--server', url, '--url', hook.url, '--credential', forgedFile, '--json']),
      );
      expectExit(refused, exitCodes.ACCESS_DENIED);

      // The operator's view of the state directory is closed while serve runs (serve holds it).
      const direct = await runCli(ws(['subscriptions', 'list', '--json']));
      expectExit(direct, exitCodes.LEDGER_LOCKED);

      const removed = await runCli(
        ws(['subscriptions', 'remove', created.subscription.id, '--server', url, '--token', created.token, '--json']),
      );
      expectExit(removed, 0);
      expect(json(removed)).toEqual({ removed: created.subscription.id });
      const gone = await runCli(
        ws([
          'subscriptions',
          'list',
          '--server',
          url,
          '--id',
          created.subscription.id,
          '--token',
          created.token,
          '--json',
        ]),
      );
      expectExit(gone, exitCodes.INVALID_INPUT);
    } finally {
      expectExit(await server.stop(), 0);
      await hook.close();
    }
    // Stopped: the operator sees every subscription in the state directory; this test's is gone (other
    // tests of this file may have left theirs).
    const direct = await runCli(ws(['subscriptions', 'list', '--json']));
    expectExit(direct, 0);
    expect(subscriptionId).toMatch(/^sub_/);
    expect(json<{ id: string }[]>(direct).map((subscription) => subscription.id)).not.toContain(subscriptionId);
  }, 120_000);
});

describe('a revoke while serve --tracking is stopped', () => {
  it('is delivered once serve restarts: to the webhook from its checkpoint, to watch --server across the restart, and watch --from-block reads it', async () => {
    const licence = demo.credentials.find((c) => c.label === 'company-certificate')!;
    const hook = await receiver();
    let { process: server, url } = await serve(0);
    const port = Number(new URL(url).port);
    let watcher: Running | undefined;
    try {
      const added = await runCli(
        ws(['subscriptions', 'add', '--server', url, '--url', hook.url, '--credential', licence.jwtFile, '--json']),
      );
      expectExit(added, 0);
      const { subscription } = json<Created>(added);
      watcher = start(ws(['watch', licence.id, '--server', url, '--json']));
      // Connected (its stream has told it where it started) before anything changes.
      await watcher.line((l) => l.startsWith('waiting for status changes'), 'stderr');

      expectExit(await server.stop(), 0);
      const revoked = await runCli(ws(['revoke', licence.id, '--reason', 'COURT_ORDER', '--json']));
      expectExit(revoked, 0);
      ({ process: server, url } = await serve(port));

      // serve resumes its ingest from the checkpoint it kept: the change committed while it was down is delivered.
      await hook.next(1);
      expect(hook.deliveries).toHaveLength(1);
      const [delivery] = hook.deliveries;
      expect(delivery!.body).toMatchObject({
        type: 'credential.status-changed',
        subscriptionId: subscription.id,
        change: { id: licence.id, from: 'ACTIVE', to: 'REVOKED', reason: 'COURT_ORDER' },
      });
      expect(delivery!.headers['idempotency-key']).toBe(`${delivery!.body.change.txId}:${licence.id}`);
      expect(delivery!.headers['credledger-signature']).toMatch(/^t=\d+,kid=[^,]+,sig=[A-Za-z0-9_-]+$/);

      // watch --server rode out the restart: it reconnected with the resume point its stream announced
      // when it opened, so the change made while serve was down (before any change reached it) comes, once.
      const change = JSON.parse(await watcher.line((l) => l.startsWith('{'))) as ChangeLine;
      expect(change).toMatchObject({
        id: licence.id,
        from: 'ACTIVE',
        to: 'REVOKED',
        reason: 'COURT_ORDER',
        txId: delivery!.body.change.txId,
      });
      expect(watcher.child.exitCode).toBeNull();
      const watched = await watcher.stop('SIGINT');
      expectExit(watched, 0);
      expect(watched.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
      watcher = undefined;
    } finally {
      await watcher?.stop('SIGINT');
      expectExit(await server.stop(), 0);
      await hook.close();
    }

    // With serve stopped, a terminal reads the change back from the ledger.
    const history = start(ws(['watch', licence.id, '--from-block', '0', '--json']));
    const line = JSON.parse(await history.line((l) => l.startsWith('{'))) as ChangeLine;
    expect(line).toMatchObject({ id: licence.id, from: 'ACTIVE', to: 'REVOKED', reason: 'COURT_ORDER' });
    expect(hook.deliveries[0]!.body.change.txId).toBe(line.txId);
    expectExit(await history.stop('SIGINT'), 0);
  }, 180_000);
});
