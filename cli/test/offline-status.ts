/**
 * What the offline status tests share, through the built CLI on a real embedded ledger: issue an SD-JWT
 * licence of a profile, `status-list publish` into a folder, `verify --status-dir` from it, and walk a
 * licence ACTIVE → SUSPENDED → ACTIVE → REVOKED, publishing after each change and expecting the verdict
 * (and its exit code) offline, with no ledger read.
 */
import { expect } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import { verdictExitCodes } from '../src/exit-codes.js';
import { expectExit, json, runCli } from './cli.js';

export interface VerifyJson {
  verdict: string;
  checks: { name: string; result: string; reason: string; detail?: string }[];
}

/** A workspace and the folder its lists are published to. */
export interface OfflineStatusPlace {
  readonly workspace: string;
  readonly published: string;
}

const ws = (place: OfflineStatusPlace, args: readonly string[]): string[] => ['-w', place.workspace, ...args];

/** Issues a lawyer licence as an SD-JWT VC of `profile` into `file`: its id and its issuer-signed JWT's payload. */
export async function issueSdJwtLicenceTo(
  place: OfflineStatusPlace,
  profile: 'ietf' | 'tw-diw',
  name: string,
  licenceNumber: string,
  file: string,
): Promise<{ id: string; payload: Record<string, unknown> }> {
  const issued = await runCli(
    ws(place, [
      'issue',
      'LawyerLicenceCredential',
      '--name',
      name,
      '--licence-number',
      licenceNumber,
      '--admission-date',
      '2025-09-01',
      '--practice-status',
      'practising',
      '--format',
      'sd-jwt',
      '--profile',
      profile,
      '--out',
      file,
      '--json',
    ]),
  );
  expectExit(issued, 0);
  const issuerJwt = (await readFile(file, 'utf8')).trim().split('~')[0] ?? '';
  const payload = JSON.parse(Buffer.from(issuerJwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  return { id: json<{ id: string }>(issued).id, payload };
}

/** `status-list publish --out <published> --json`, its answer. */
export async function publishStatus<T>(place: OfflineStatusPlace): Promise<T> {
  const result = await runCli(ws(place, ['status-list', 'publish', '--out', place.published, '--json']));
  expectExit(result, 0);
  return json<T>(result);
}

/** `verify <file> --status-dir <published> [--at <at>] --json`. */
export async function verifyFromPublished(
  place: OfflineStatusPlace,
  file: string,
  at?: string,
): Promise<{ code: number | null; result: VerifyJson }> {
  const run = await runCli(
    ws(place, ['verify', file, '--status-dir', place.published, ...(at === undefined ? [] : ['--at', at]), '--json']),
  );
  return { code: run.code, result: json<VerifyJson>(run) };
}

/**
 * VALID, then suspended, reinstated and revoked by the CLI, the lists published after each change: the
 * verdict and exit code read offline at each step, the ledger never consulted, and `statusDetail` the
 * status check's detail (which lists were read).
 */
export async function walkStatusLifecycle(
  place: OfflineStatusPlace,
  id: string,
  file: string,
  statusDetail: string,
): Promise<void> {
  const steps: [string[] | undefined, keyof typeof verdictExitCodes][] = [
    [undefined, 'VALID'],
    [['suspend', id, '--reason', 'DISCIPLINARY_SUSPENSION'], 'SUSPENDED'],
    [['reinstate', id], 'VALID'],
    [['revoke', id, '--reason', 'DISBARMENT'], 'REVOKED'],
  ];
  for (const [change, verdict] of steps) {
    if (change) {
      expectExit(await runCli(ws(place, change)), 0);
      await publishStatus(place);
    }
    const { code, result } = await verifyFromPublished(place, file);
    expect([result.verdict, code]).toEqual([verdict, verdictExitCodes[verdict]]);
    expect(result.checks.find((c) => c.name === 'status')?.detail).toBe(statusDetail);
    // Offline: the ledger was not read.
    expect(result.checks.find((c) => c.name === 'anchor')?.reason).toBe('LEDGER_NOT_CONSULTED');
  }
}
