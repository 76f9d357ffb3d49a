/**
 * Status List 2021 for TW DIW through the built CLI on a real embedded ledger: a TW DIW licence names
 * its issuer's Status List 2021 lists, `status-list publish` writes them beside the Bitstring lists and
 * the IETF token, and `verify --status-dir` answers the licence from them with no ledger — VALID,
 * SUSPENDED, VALID after reinstate, REVOKED — while a list altered, put in another's place or stale is
 * refused (UNVERIFIABLE, with its reason).
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

interface PublishedList {
  issuer: string;
  url: string;
  file: string;
  set: number;
}
interface PublishJson {
  lists: PublishedList[];
  statusList2021: (PublishedList & { purpose: string })[];
  tokens: unknown[];
}
interface Entry {
  type: string;
  statusPurpose: string;
  statusListIndex: string;
  statusListCredential: string;
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

/** Issues a TW DIW licence into `file`; its id and its `credentialStatus` entries. */
const issueTwDiw = async (licenceNumber: string, file: string): Promise<{ id: string; entries: Entry[] }> => {
  const { id, payload } = await issueSdJwtLicenceTo(place(), 'tw-diw', '林志明', licenceNumber, file);
  return { id, entries: payload.credentialStatus as Entry[] };
};
const publish = (): Promise<PublishJson> => publishStatus<PublishJson>(place());
const verifyOffline = (file: string, at?: string) => verifyFromPublished(place(), file, at);

const mojList = (lists: PublishJson['statusList2021'], purpose: string): PublishedList | undefined =>
  lists.find((l) => l.issuer === 'did:web:moj.gov.tw' && l.purpose === purpose && !/\/\d+$/.test(l.url));

describe('status-list publish and verify --status-dir, TW DIW profile (Status List 2021)', () => {
  it('VALID → SUSPENDED → VALID (reinstated) → REVOKED from the published Status List 2021 lists alone', async () => {
    const file = join(dir, 'tw-diw.sd-jwt');
    const { id, entries } = await issueTwDiw('(114)台檢證字第000893號', file);
    expect(entries.map((e) => [e.type, e.statusPurpose])).toEqual([
      ['StatusList2021Entry', 'revocation'],
      ['StatusList2021Entry', 'suspension'],
    ]);

    const first = await publish();
    // The lists are published where the licence says they are, beside the Bitstring lists.
    for (const entry of entries) {
      const list = mojList(first.statusList2021, entry.statusPurpose);
      expect(list?.url).toBe(entry.statusListCredential);
      expect(list?.file).toBe(join(published, 'status', 'moj.gov.tw', 'sl2021', `${entry.statusPurpose}.jwt`));
      const written = (await readFile(list?.file ?? '', 'utf8')).trim();
      expect(JSON.parse(Buffer.from(written.split('.')[1] ?? '', 'base64url').toString('utf8'))).toMatchObject({
        id: entry.statusListCredential,
        type: ['VerifiableCredential', 'StatusList2021Credential'],
        credentialSubject: { type: 'StatusList2021', statusPurpose: entry.statusPurpose },
      });
    }
    expect(first.lists.map((l) => l.url)).toContain('http://localhost:8080/status/moj.gov.tw/revocation');

    await walkStatusLifecycle(place(), id, file, '2 status list(s)');
    // Counted from the ledger: this licence's revocation bit is set in both formats alike.
    const last = await publish();
    expect(mojList(last.statusList2021, 'revocation')?.set).toBe(
      last.lists.find((l) => l.url === 'http://localhost:8080/status/moj.gov.tw/revocation')?.set,
    );
  }, 120_000);

  it("a list with an altered encodedList, another issuer's list in its place, or a stale list is refused: UNVERIFIABLE", async () => {
    const file = join(dir, 'tw-diw-refused.sd-jwt');
    const { id } = await issueTwDiw('(114)台檢證字第000894號', file);
    expectExit(await runCli(ws(['revoke', id, '--reason', 'DISBARMENT'])), 0);
    const { statusList2021 } = await publish();
    const moj = mojList(statusList2021, 'revocation')?.file ?? '';
    const moea =
      statusList2021.find((l) => l.issuer === 'did:web:moea.gov.tw' && l.purpose === 'revocation')?.file ?? '';
    expect((await verifyOffline(file)).result.verdict).toBe('REVOKED');
    // Stale: two days after publishing, the lists are past their validUntil.
    const stale = await verifyOffline(file, new Date(Date.now() + 49 * 3600 * 1000).toISOString());
    expect([stale.result.verdict, stale.code]).toEqual(['UNVERIFIABLE', verdictExitCodes.UNVERIFIABLE]);
    expect(stale.result.checks.find((c) => c.name === 'status')?.reason).toBe('STATUS_LIST_STALE');

    // Every bit cleared by putting the MoEA's encodedList (it revoked nothing) into the MoJ list.
    const genuine = (await readFile(moj, 'utf8')).trim();
    const [h, p, s] = genuine.split('.');
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as {
      credentialSubject: { encodedList: string };
    };
    const moeaPayload = JSON.parse(
      Buffer.from((await readFile(moea, 'utf8')).split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { credentialSubject: { encodedList: string } };
    payload.credentialSubject.encodedList = moeaPayload.credentialSubject.encodedList;
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
    // Published again, the licence is REVOKED again.
    await publish();
    expect((await verifyOffline(file)).result.verdict).toBe('REVOKED');
  }, 120_000);

  it('says what it wrote in zh-TW and in English', async () => {
    const zh = await runCli(ws(['--lang', 'zh-TW', 'status-list', 'publish', '--out', published]));
    expectExit(zh, 0);
    expect(zh.stdout).toMatch(/sl2021\/revocation\.jwt {2}\(StatusList2021：\d+ 個位元設定\) {2}→ http/);
    const en = await runCli(ws(['status-list', 'publish', '--out', published]));
    expect(en.stdout).toMatch(/sl2021\/suspension\.jwt {2}\(StatusList2021: \d+ bits? set\) {2}→ http/);
  }, 60_000);
});
