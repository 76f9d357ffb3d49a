/**
 * issue 18: an agency's workspace reads through its own organisation (decision 0022). Reads defaulted to
 * the governance organisation's auditor — the revoke / suspend / reinstate pre-read, `status`, `history`,
 * `verify`, `issuer list` — so a workspace without that identity (or, on Fabric, with the governance peer
 * down) could issue but not revoke or check.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { expectExit, json, runCli, tempDir } from './cli.js';

let cleanup: () => Promise<void>;
let demo: string;
let credentials: { label: string; id: string; status: string; jwtFile: string }[];

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
  const status = await runCli(['-w', demo, 'status', id, '--json']);
  expectExit(status, 0);
  expect(json<{ status: string }>(status).status).toBe('ACTIVE');
}, 120_000);

it('status, history, verify and issuer list read as its own identity by default', async () => {
  const licence = credentials.find((c) => c.label === 'lawyer-licence-revoked');
  expect(licence).toBeDefined();
  const id = licence?.id ?? '';
  const status = await runCli(['-w', demo, 'status', id]);
  expectExit(status, 0);
  expect(status.stdout).toMatch(/REVOKED/);
  const history = await runCli(['-w', demo, 'history', id]);
  expectExit(history, 0);
  expect(history.stdout.trim().split('\n')).toHaveLength(2);
  const verified = await runCli(['-w', demo, 'verify', licence?.jwtFile ?? '']);
  expect(verified.stdout).toMatch(/^Verdict: REVOKED/);
  const issuers = await runCli(['-w', demo, 'issuer', 'list']);
  expectExit(issuers, 0);
  expect(issuers.stdout).toContain('did:web:moj.gov.tw');
  // Told to, it still reads as the identity named, and says plainly when the workspace lacks it.
  const told = await runCli(['-w', demo, 'status', id, '--as', 'NdcMSP/auditor']);
  expect(told.stderr).toMatch(/^error CONFIG_INVALID: no local identity NdcMSP\/auditor/m);
}, 120_000);

it('every command that reads takes --as, and reads as the identity it names', async () => {
  const licence = credentials.find((c) => c.label === 'lawyer-licence');
  expect(licence).toBeDefined();
  const id = licence?.id ?? '';
  const file = licence?.jwtFile ?? '';
  const out = join(demo, 'as-out');
  const reads = [
    ['status', id],
    ['history', id],
    ['verify', file],
    ['document', file, '--out', join(out, 'x.pdf')],
    ['issuer', 'list'],
    ['issuer', 'show', 'did:web:moj.gov.tw'],
    ['issuer', 'credentials', 'did:web:moj.gov.tw'],
    ['status-list', 'publish', '--out', out],
    ['trust-list', 'export', '--out', out],
    ['serve', '--port', '0'],
  ];
  for (const args of reads) {
    const result = await runCli(['-w', demo, ...args, '--as', 'MojMSP/nobody']);
    expect([args.join(' '), result.stderr]).toEqual([
      args.join(' '),
      expect.stringMatching(/^error CONFIG_INVALID: no local identity MojMSP\/nobody/m),
    ]);
  }
}, 240_000);

it("a Fabric workspace made with its own connection file only reads through that organisation's peer", async () => {
  const office = join(demo, '..', 'moj-fabric');
  await mkdir(office, { recursive: true });
  // A connection file as network/fabric.sh writes one, for a peer nobody listens on.
  const connection = join(office, 'moj.json');
  await writeFile(
    connection,
    JSON.stringify({
      mspId: 'MojMSP',
      peerEndpoint: '127.0.0.1:1',
      tlsRootCertPath: 'tls-ca.pem',
      identity: { certPath: 'operator.pem', keyPath: 'operator.key' },
      channel: 'credentials',
      chaincode: 'credledger',
    }),
  );
  expectExit(await runCli(['init', office, '--ledger', 'fabric', '--connection', connection]), 0);
  const config = JSON.parse(await readFile(join(office, 'credledger.json'), 'utf8')) as { reader?: string };
  expect(config.reader).toBe('MojMSP');
  // It operates no issuer yet: before, reads went to NdcMSP and failed for want of its connection file.
  const status = await runCli(['-w', office, 'status', 'urn:uuid:00000000-0000-4000-8000-000000000000']);
  expect(status.code).not.toBe(0);
  expect(status.stderr).not.toContain('NdcMSP');
  expect(status.stderr).toMatch(/MojMSP|moj\.json|operator\.pem|tls-ca\.pem|127\.0\.0\.1:1/);
}, 120_000);

it('says so when a Fabric workspace is given several organisations’ connection files', async () => {
  const office = join(demo, '..', 'shared-fabric');
  await mkdir(office, { recursive: true });
  const files = [];
  for (const mspId of ['MojMSP', 'NdcMSP']) {
    const file = join(office, `${mspId}.json`);
    await writeFile(
      file,
      JSON.stringify({
        mspId,
        peerEndpoint: '127.0.0.1:1',
        tlsRootCertPath: 'tls-ca.pem',
        identity: { certPath: 'admin.pem', keyPath: 'admin.key' },
        channel: 'credentials',
        chaincode: 'credledger',
      }),
    );
    files.push(file);
  }
  const init = await runCli(['init', join(office, 'ws'), '--ledger', 'fabric', '--connection', ...files]);
  expectExit(init, 0);
  expect(init.stderr).toContain(
    "note: this workspace can act for MojMSP, NdcMSP (each connection file points at that organisation's identity key)",
  );
  // One organisation's file only: nothing to say.
  const own = await runCli(['init', join(office, 'own'), '--ledger', 'fabric', '--connection', files[0] ?? '']);
  expectExit(own, 0);
  expect(own.stderr).toBe('');
}, 120_000);
