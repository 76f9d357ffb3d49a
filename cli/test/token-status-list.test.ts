/**
 * The IETF Token Status List through the built CLI on a real embedded ledger: `status-list publish`
 * writes each issuer's Status List Token beside its Bitstring Status Lists, and `verify --status-dir`
 * answers an IETF-profile SD-JWT VC from it with no ledger — VALID, SUSPENDED, VALID after reinstate,
 * REVOKED — while a token altered or put in another's place is refused (UNVERIFIABLE).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { verdictExitCodes } from '../src/exit-codes.js';
import { expectExit, runCli, tempDir } from './cli.js';
import {
  issueSdJwtLicenceTo,
  publishStatus,
  verifyFromPublished,
  walkStatusLifecycle,
  type OfflineStatusPlace,
} from './offline-status.js';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
let published: string;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];

interface PublishJson {
  lists: { issuer: string; url: string; file: string; set: number }[];
  tokens: { issuer: string; url: string; file: string; revoked: number; suspended: number }[];
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'ws');
  published = join(dir, 'public');
  expectExit(await runCli(['demo', workspace, '--no-serve', '--json']), 0);
  expectExit(await runCli(ws(['trust-list', 'export', '--out', published])), 0);
}, 120_000);

afterAll(async () => {
  await cleanup();
});

const place = (): OfflineStatusPlace => ({ workspace, published });
const issueIetf = async (licenceNumber: string, file: string): Promise<string> =>
  (await issueSdJwtLicenceTo(place(), 'ietf', '王大明', licenceNumber, file)).id;
const publish = (): Promise<PublishJson> => publishStatus<PublishJson>(place());
const verifyOffline = (file: string) => verifyFromPublished(place(), file);

describe('status-list publish and verify --status-dir, IETF profile', () => {
  it('VALID → SUSPENDED → VALID (reinstated) → REVOKED from the published Status List Token alone', async () => {
    const file = join(dir, 'ietf.sd-jwt');
    const id = await issueIetf('(114)台檢證字第000891號', file);
    const issuerJwt = (await readFile(file, 'utf8')).trim().split('~')[0] ?? '';
    const claims = JSON.parse(Buffer.from(issuerJwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      status: { status_list: { idx: number; uri: string } };
    };

    const first = await publish();
    const token = first.tokens.find((t) => t.issuer === 'did:web:moj.gov.tw');
    // The token is published where the credential says it is.
    expect(token?.url).toBe(claims.status.status_list.uri);
    expect(first.tokens.map((t) => t.issuer).sort()).toEqual(['did:web:moea.gov.tw', 'did:web:moj.gov.tw']);
    const written = (await readFile(token?.file ?? '', 'utf8')).trim();
    expect(JSON.parse(Buffer.from(written.split('.')[0] ?? '', 'base64url').toString('utf8'))).toMatchObject({
      typ: 'statuslist+jwt',
    });

    await walkStatusLifecycle(place(), id, file, '1 status list token');
    // Counted from the ledger: this credential revoked, nothing else changed (the other tests may run first).
    const last = await publish();
    expect(last.tokens.find((t) => t.issuer === 'did:web:moj.gov.tw')).toMatchObject({
      revoked: (token?.revoked ?? NaN) + 1,
      suspended: token?.suspended,
    });
  }, 120_000);

  it("a token with an altered lst, or another issuer's token in its place, is refused: UNVERIFIABLE", async () => {
    const file = join(dir, 'ietf-refused.sd-jwt');
    const id = await issueIetf('(114)台檢證字第000892號', file);
    expectExit(await runCli(ws(['revoke', id, '--reason', 'DISBARMENT'])), 0);
    const { tokens } = await publish();
    const moj = tokens.find((t) => t.issuer === 'did:web:moj.gov.tw')?.file ?? '';
    const moea = tokens.find((t) => t.issuer === 'did:web:moea.gov.tw')?.file ?? '';
    const genuine = (await readFile(moj, 'utf8')).trim();
    expect((await verifyOffline(file)).result.verdict).toBe('REVOKED');

    // Every entry set back to VALID by re-encoding an empty list; the signature no longer covers it.
    const [h, p, s] = genuine.split('.');
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as {
      status_list: { bits: number; lst: string };
    };
    const moeaPayload = JSON.parse(
      Buffer.from((await readFile(moea, 'utf8')).split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { status_list: { bits: number; lst: string } };
    payload.status_list = moeaPayload.status_list; // MoEA revoked nothing: an all-VALID list
    await writeFile(moj, `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}\n`);
    const altered = await verifyOffline(file);
    expect([altered.result.verdict, altered.code]).toEqual(['UNVERIFIABLE', verdictExitCodes.UNVERIFIABLE]);
    expect(altered.result.checks.find((c) => c.name === 'status')).toMatchObject({
      reason: 'STATUS_LIST_INVALID',
      detail: expect.stringMatching(/SIGNATURE_INVALID/) as unknown,
    });

    await copyFile(moea, moj);
    const foreign = await verifyOffline(file);
    expect(foreign.result.verdict).toBe('UNVERIFIABLE');
    expect(foreign.result.checks.find((c) => c.name === 'status')?.reason).toBe('STATUS_LIST_INVALID');
  }, 120_000);

  it('says what it wrote in zh-TW and in English', async () => {
    const zh = await runCli(ws(['--lang', 'zh-TW', 'status-list', 'publish', '--out', published]));
    expectExit(zh, 0);
    expect(zh.stdout).toMatch(/token\.jwt {2}\(IETF 狀態清單權杖：已撤銷 \d+、已停止效力 \d+\) {2}→ http/);
    const en = await runCli(ws(['status-list', 'publish', '--out', published]));
    expect(en.stdout).toMatch(/token\.jwt {2}\(IETF Status List Token: \d+ revoked, \d+ suspended\) {2}→ http/);
  }, 60_000);
});
