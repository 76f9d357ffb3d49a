/**
 * issue 18: an agency's workspace changes a status reading through its own organisation. The revoke /
 * suspend / reinstate pre-read used the governance organisation's auditor, so a workspace without that
 * identity (or, on Fabric, with the governance peer down) could issue but not revoke.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { expectExit, json, runCli, tempDir } from './cli.js';

let cleanup: () => Promise<void>;
let demo: string;
let credentials: { label: string; id: string; status: string }[];

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  demo = join(dir, 'demo');
  const result = await runCli(['demo', demo, '--no-serve', '--json']);
  expectExit(result, 0);
  credentials = json<{ credentials: typeof credentials }>(result).credentials;
  // The workspace keeps no identity of the governance organisation's auditor.
  const users = join(demo, 'ledger', 'msp', 'NdcMSP', 'users');
  await rm(join(users, 'auditor.key'));
  await rm(join(users, 'auditor.pem'));
}, 120_000);

afterAll(async () => {
  await cleanup();
});

it('revokes and reinstates with no identity of another organisation, reading as its own', async () => {
  const licence = credentials.find((c) => c.label === 'lawyer-licence' && c.status === 'ACTIVE');
  expect(licence).toBeDefined();
  const id = licence?.id ?? '';
  const suspended = await runCli(['-w', demo, 'suspend', id, '--reason', 'COURT_ORDER']);
  expectExit(suspended, 0);
  expect(suspended.stdout).toContain(`${id}: ACTIVE → SUSPENDED (COURT_ORDER)`);
  const reinstated = await runCli(['-w', demo, 'reinstate', id, '--reason', 'SUSPENSION_LIFTED']);
  expectExit(reinstated, 0);
  expect(reinstated.stdout).toContain(`${id}: SUSPENDED → ACTIVE`);
  const status = await runCli(['-w', demo, 'status', id, '--as', 'MojMSP/operator', '--json']);
  expectExit(status, 0);
  expect(json<{ status: string }>(status).status).toBe('ACTIVE');
}, 120_000);
