import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CredledgerError } from '../src/errors.js';
import { parseCsv } from '../src/batch/csv.js';
import { checkBatchInput, issueBatchResumable, type BatchIssuanceSteps } from '../src/batch/issuance-batch.js';
import { getCredentialType } from '../src/credentials/types/index.js';

const lawyer = getCredentialType('LawyerLicenceCredential');

function csv(rows: number): Uint8Array {
  const lines = ['name,licenceNumber,admissionDate,practiceStatus,barMemberships'];
  for (let i = 0; i < rows; i++) {
    lines.push(`王小明${String.fromCharCode(0x4e00 + i)},(115)台檢證字第${String(i).padStart(6, '0')}號,2020-01-0${(i % 9) + 1},practising,臺北律師公會;臺中律師公會`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/**
 * A stand-in ledger with the chaincode's anchoring rules (identical re-anchor is a no-op, the same id
 * with another JWT is ID_CONFLICT) and a way to fail after or before a chosen commit.
 */
class FakeLedger {
  readonly anchors = new Map<string, string>();
  commits = 0;

  steps(options: { failBeforeCommit?: number; failAfterCommit?: number } = {}): BatchIssuanceSteps & { signed: number } {
    const ledger = this;
    const steps = {
      signed: 0,
      async sign(items: readonly { id: string }[]) {
        steps.signed += items.length;
        return items.map((item) => `jwt.${item.id}.${Math.random().toString(36).slice(2)}`);
      },
      async anchor(jwts: readonly string[]) {
        if (ledger.commits === options.failBeforeCommit) throw new CredledgerError('LEDGER_UNAVAILABLE', 'down');
        for (const jwt of jwts) {
          const id = jwt.split('.')[1]!;
          const earlier = ledger.anchors.get(id);
          if (earlier !== undefined && earlier !== jwt) throw new CredledgerError('ID_CONFLICT', id);
        }
        for (const jwt of jwts) ledger.anchors.set(jwt.split('.')[1]!, jwt);
        ledger.commits++;
        if (ledger.commits - 1 === options.failAfterCommit) throw new CredledgerError('DEADLINE_EXCEEDED', 'commit status unknown');
        return { txId: `tx${ledger.commits}` };
      },
    };
    return steps;
  }
}

async function withDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'credledger-batch-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('checkBatchInput', () => {
  it('reports every bad row with its line and field', () => {
    const text = [
      'name,licenceNumber,admissionDate,practiceStatus',
      '王大明,(115)台檢證字第000001號,2020-01-01,practising',
      '李小華,(115)台檢證字第000002號,2020-02-30,practising',
      '"陳,美",(115)台檢證字第000003號,2020-01-01,practising',
      '林一,(115)台檢證字第000004號,2020-01-01,retired',
      '',
      ',(115)台檢證字第000005號,2020-01-01,practising',
    ].join('\r\n');
    const input = checkBatchInput(Buffer.from(text), lawyer);
    expect(input.total).toBe(5);
    expect(input.rows.map((row) => row.line)).toEqual([2]);
    expect(input.issues.map(({ line, row, field }) => ({ line, row, field }))).toEqual([
      { line: 3, row: 1, field: 'admissionDate' },
      { line: 4, row: 2, field: 'name' },
      { line: 5, row: 3, field: 'practiceStatus' },
      { line: 7, row: 4, field: 'name' },
    ]);
  });

  it('refuses a column that is no field of the type', () => {
    expect(() => checkBatchInput(Buffer.from('name,nationalId\n王大明,A123456789\n'), lawyer)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: expect.objectContaining({ field: 'nationalId' }) }),
    );
  });

  it('keeps the starting line of records with quoted line breaks', () => {
    const table = parseCsv('a,b\n"x\ny",1\nz,2\n');
    expect(table.records.map((record) => [record.line, record.cells])).toEqual([
      [2, ['x\ny', '1']],
      [4, ['z', '2']],
    ]);
  });
});

describe('issueBatchResumable', () => {
  it('issues every row once and writes a JWT file and a result row for each', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const steps = ledger.steps();
      const result = await issueBatchResumable(checkBatchInput(csv(25), lawyer), steps, { issuerDid: 'did:web:moj.gov.tw', outDir: dir, chunkSize: 10 });
      expect(result.rows).toHaveLength(25);
      expect(new Set(result.rows.map((row) => row.id)).size).toBe(25);
      expect(ledger.anchors.size).toBe(25);
      expect(ledger.commits).toBe(3);
      expect((await readdir(join(dir, 'jwt'))).length).toBe(25);
      for (const row of result.rows) expect((await readFile(join(dir, row.file), 'utf8')).trim()).toBe(ledger.anchors.get(row.id));
      const table = parseCsv(await readFile(result.resultCsv, 'utf8'));
      expect(table.header.slice(0, 3)).toEqual(['line', 'id', 'file']);
      expect(table.records.map((record) => record.cells[1])).toEqual(result.rows.map((row) => row.id));
    }));

  it('after a failure whose commit status is unknown, a rerun re-anchors the same JWTs and signs only the rest', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const input = checkBatchInput(csv(50), lawyer);
      const options = { issuerDid: 'did:web:moj.gov.tw', outDir: dir, chunkSize: 10 };
      const first = ledger.steps({ failAfterCommit: 1 });
      await expect(issueBatchResumable(input, first, options)).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
      const anchoredBefore = new Map(ledger.anchors);

      const second = ledger.steps();
      const result = await issueBatchResumable(input, second, options);
      expect(first.signed + second.signed).toBe(50);
      expect(ledger.anchors.size).toBe(50);
      for (const [id, jwt] of anchoredBefore) expect(ledger.anchors.get(id)).toBe(jwt);
      expect(new Set(result.rows.map((row) => row.id)).size).toBe(50);
      expect([...ledger.anchors.keys()].sort()).toEqual(result.rows.map((row) => row.id).sort());
    }));

  it('after a failure before a commit, a rerun anchors the journalled rows without signing them again', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const input = checkBatchInput(csv(30), lawyer);
      const options = { issuerDid: 'did:web:moj.gov.tw', outDir: dir, chunkSize: 10 };
      const first = ledger.steps({ failBeforeCommit: 1 });
      await expect(issueBatchResumable(input, first, options)).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
      expect(ledger.anchors.size).toBe(10);

      const second = ledger.steps();
      const result = await issueBatchResumable(input, second, options);
      expect(first.signed + second.signed).toBe(30);
      expect(result.signedNow).toBe(second.signed);
      expect(ledger.anchors.size).toBe(30);
    }));

  it('a rerun of a finished batch signs and anchors nothing new', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const input = checkBatchInput(csv(12), lawyer);
      const options = { issuerDid: 'did:web:moj.gov.tw', outDir: dir, chunkSize: 5 };
      const first = await issueBatchResumable(input, ledger.steps(), options);
      const again = ledger.steps();
      const second = await issueBatchResumable(input, again, options);
      expect(again.signed).toBe(0);
      expect(second.anchoredNow).toBe(0);
      expect(second.rows).toEqual(first.rows);
    }));

  it('refuses another input in the same output directory', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const options = { issuerDid: 'did:web:moj.gov.tw', outDir: dir };
      await issueBatchResumable(checkBatchInput(csv(3), lawyer), ledger.steps(), options);
      await expect(issueBatchResumable(checkBatchInput(csv(4), lawyer), ledger.steps(), options)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }));
});
