import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AnchorRequest } from '@credledger/chaincode';

import { CredledgerError } from '../src/errors.js';
import { csvLine, parseCsv } from '../src/batch/csv.js';
import { checkBatchInput, issueBatchResumable } from '../src/batch/issuance-batch.js';
import { credentialDigest } from '../src/credentials/digest.js';
import { getCredentialType } from '../src/credentials/types/index.js';
import { createIssuer, type Issuer, type IssuerRegistry } from '../src/issuer.js';
import { generateIssuerKey } from '../src/keys/issuer-key.js';
import { statusIndexAllocators, type StatusIndexAllocator } from '../src/status/allocator.js';

const lawyer = getCredentialType('LawyerLicenceCredential');
const issuerDid = 'did:web:moj.gov.tw';
const key = generateIssuerKey('ES256', { did: issuerDid, fragment: 'key-1' });

function csv(rows: number): Uint8Array {
  const lines = ['name,licenceNumber,admissionDate,practiceStatus,barMemberships'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `王小明${String.fromCharCode(0x4e00 + i)},(115)台檢證字第${String(i).padStart(6, '0')}號,2020-01-0${(i % 9) + 1},practising,臺北律師公會;臺中律師公會`,
    );
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/**
 * A stand-in ledger with the chaincode's anchoring rules (identical re-anchor is a no-op, the same id
 * with another digest is ID_CONFLICT) and a way to fail after or before a chosen commit. The issuer
 * over it is the real one (real signatures, real status allocation), signing on this thread.
 */
class FakeLedger {
  readonly anchors = new Map<string, AnchorRequest>();
  commits = 0;
  /** Status allocations survive reruns, as the workspace's file store does. */
  readonly allocator: StatusIndexAllocator = statusIndexAllocators.inMemory();

  issuer(
    options: { failBeforeCommit?: number; failAfterCommit?: number; perTx?: number } = {},
  ): Issuer & { signed: number } {
    const registry: IssuerRegistry = {
      issueCredentials: (request) => {
        if (this.commits === options.failBeforeCommit)
          return Promise.reject(new CredledgerError('LEDGER_UNAVAILABLE', 'down'));
        const anchored: string[] = [];
        const unchanged: string[] = [];
        for (const c of request.credentials) {
          const earlier = this.anchors.get(c.id);
          if (earlier !== undefined && earlier.digest !== c.digest)
            return Promise.reject(new CredledgerError('ID_CONFLICT', c.id));
          (earlier === undefined ? anchored : unchanged).push(c.id);
        }
        for (const c of request.credentials) this.anchors.set(c.id, c);
        this.commits++;
        if (this.commits - 1 === options.failAfterCommit)
          return Promise.reject(new CredledgerError('DEADLINE_EXCEEDED', 'commit status unknown'));
        return Promise.resolve({
          txId: `tx${this.commits}`,
          blockNumber: BigInt(this.commits),
          issuerDid: request.issuerDid,
          anchored,
          unchanged,
        });
      },
      setCredentialStatus: () => Promise.reject(new Error('not used')),
      setCredentialStatuses: () => Promise.reject(new Error('not used')),
    };
    // Counts signings: the issuer allocates revocation indexes exactly once per credential it signs.
    const counted = { signed: 0 };
    const allocator: StatusIndexAllocator = {
      listSize: this.allocator.listSize,
      allocate: (did, purpose, ids) => {
        if (purpose === 'revocation') counted.signed += ids.length;
        return this.allocator.allocate(did, purpose, ids);
      },
      allocations: (did, purpose) => this.allocator.allocations(did, purpose),
    };
    const issuer = createIssuer({
      registry,
      issuerDid,
      key,
      statusAllocator: allocator,
      statusBaseUrl: 'https://verify.moj.gov.tw',
      workers: 0,
      anchorBatchSize: options.perTx ?? 10,
    });
    return Object.defineProperty(issuer, 'signed', { get: () => counted.signed }) as Issuer & { signed: number };
  }
}

/** Rows the journal in `dir` records as signed. */
async function journalledRows(dir: string): Promise<number> {
  const text = await readFile(join(dir, '.credledger-batch.journal'), 'utf8');
  return text.split('\n').filter((line) => line.startsWith('{"k":"signed"')).length;
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

  it('reads back what csvLine writes: commas, quotes, line breaks and CJK in cells, each record at its line', () => {
    // Seeded: the same cells every run.
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['a', '臺北', ',', '"', '""', '\n', ' ', 'x1', '\r\n'];
    const cell = (): string => {
      const text = Array.from({ length: next(6) }, () => pieces[next(pieces.length)] ?? '').join('');
      // csvCell prefixes a leading CR (a formula guard), which this test does not exercise.
      return text.startsWith('\r') ? `a${text}` : text;
    };
    const rows = Array.from({ length: 300 }, () => Array.from({ length: 2 + next(4) }, cell));
    const parsed = parseCsv(csvLine(['h1', 'h2']) + rows.map(csvLine).join(''));
    let line = 2;
    const expected = rows.map((cells) => {
      const record = { line, cells };
      line += 1 + cells.join('').split('\n').length - 1;
      return record;
    });
    expect(parsed.header).toEqual(['h1', 'h2']);
    expect(parsed.records).toEqual(expected);
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
      const steps = ledger.issuer();
      const result = await issueBatchResumable(checkBatchInput(csv(25), lawyer), steps, { outDir: dir });
      expect(result.rows).toHaveLength(25);
      expect(new Set(result.rows.map((row) => row.id)).size).toBe(25);
      expect(ledger.anchors.size).toBe(25);
      expect(ledger.commits).toBe(3);
      expect((await readdir(join(dir, 'jwt'))).length).toBe(25);
      for (const row of result.rows)
        expect(credentialDigest((await readFile(join(dir, row.file), 'utf8')).trim())).toBe(
          ledger.anchors.get(row.id)?.digest,
        );
      const table = parseCsv(await readFile(result.resultCsv, 'utf8'));
      expect(table.header.slice(0, 3)).toEqual(['line', 'id', 'file']);
      expect(table.records.map((record) => record.cells[1])).toEqual(result.rows.map((row) => row.id));
    }));

  it('after a failure whose commit status is unknown, a rerun re-anchors the same JWTs and signs only the rest', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const input = checkBatchInput(csv(50), lawyer);
      const options = { outDir: dir };
      const first = ledger.issuer({ failAfterCommit: 1 });
      await expect(issueBatchResumable(input, first, options)).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
      const anchoredBefore = new Map(ledger.anchors);
      const journalled = await journalledRows(dir);

      const second = ledger.issuer();
      const result = await issueBatchResumable(input, second, options);
      // Rows journalled before the failure are never signed again; only the rest are.
      expect(second.signed).toBe(50 - journalled);
      expect(result.signedNow).toBe(50 - journalled);
      expect(ledger.anchors.size).toBe(50);
      for (const [id, anchor] of anchoredBefore) expect(ledger.anchors.get(id)?.digest).toBe(anchor.digest);
      expect(new Set(result.rows.map((row) => row.id)).size).toBe(50);
      expect([...ledger.anchors.keys()].sort()).toEqual(result.rows.map((row) => row.id).sort());
    }));

  it('after a failure before a commit, a rerun anchors the journalled rows without signing them again', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const input = checkBatchInput(csv(30), lawyer);
      const options = { outDir: dir };
      const first = ledger.issuer({ failBeforeCommit: 1 });
      await expect(issueBatchResumable(input, first, options)).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
      expect(ledger.anchors.size).toBe(10);
      const journalled = await journalledRows(dir);
      expect(journalled).toBeGreaterThanOrEqual(20);

      const second = ledger.issuer();
      const result = await issueBatchResumable(input, second, options);
      expect(second.signed).toBe(30 - journalled);
      expect(result.signedNow).toBe(second.signed);
      expect(ledger.anchors.size).toBe(30);
    }));

  it('a rerun of a finished batch signs and anchors nothing new', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const input = checkBatchInput(csv(12), lawyer);
      const options = { outDir: dir };
      const first = await issueBatchResumable(input, ledger.issuer({ perTx: 5 }), options);
      const again = ledger.issuer({ perTx: 5 });
      const second = await issueBatchResumable(input, again, options);
      expect(again.signed).toBe(0);
      expect(second.anchoredNow).toBe(0);
      expect(second.rows).toEqual(first.rows);
    }));

  it('refuses another input in the same output directory', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const options = { outDir: dir };
      await issueBatchResumable(checkBatchInput(csv(3), lawyer), ledger.issuer(), options);
      await expect(
        issueBatchResumable(checkBatchInput(csv(4), lawyer), ledger.issuer(), options),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }));

  it('a rerun rewrites JWT files that are missing or torn, from the journal', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const input = checkBatchInput(csv(12), lawyer);
      const first = await issueBatchResumable(input, ledger.issuer(), { outDir: dir });
      const [a, b] = first.rows;
      const whole = await readFile(join(dir, a!.file), 'utf8');
      await rm(join(dir, a!.file));
      await writeFile(join(dir, b!.file), whole.slice(0, 40));
      const again = ledger.issuer();
      const second = await issueBatchResumable(input, again, { outDir: dir });
      expect(second.repairedFiles).toBe(2);
      expect(again.signed).toBe(0);
      for (const row of [a!, b!]) {
        expect(credentialDigest((await readFile(join(dir, row.file), 'utf8')).trim())).toBe(
          ledger.anchors.get(row.id)?.digest,
        );
      }
    }));
});
