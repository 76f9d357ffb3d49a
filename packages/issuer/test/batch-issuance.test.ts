import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AnchorRequest } from '@credledger/vocabulary';

import { CredledgerError, getCredentialType } from '@credledger/verify';
import { csvLine, csvTemplate, parseCsv } from '../src/batch/csv.js';
import {
  checkBatchInput,
  conflictIssues,
  findBatchConflicts,
  issueBatchResumable,
  writeRowIssuesCsv,
} from '../src/batch/issuance-batch.js';
import { credentialDigest } from '@credledger/ledger';
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
  /** Reads of subject holders the issuer made. */
  holderReads = 0;
  /** Status allocations survive reruns, as the workspace's file store does. */
  readonly allocator: StatusIndexAllocator = statusIndexAllocators.inMemory();

  issuer(
    options: { failBeforeCommit?: number; failAfterCommit?: number; perTx?: number; held?: boolean } = {},
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
          superseded: [],
        });
      },
      setCredentialStatus: () => Promise.reject(new Error('not used')),
      setCredentialStatuses: () => Promise.reject(new Error('not used')),
      // Subject uniqueness is the ledger's (tested against it); this stand-in holds no subjects, or with
      // `held` every subject asked about, by an ACTIVE credential.
      getSubjectHolders: (_did, digests) => {
        this.holderReads++;
        return Promise.resolve(
          options.held === true
            ? digests.map((subjectDigest, i) => ({
                subjectDigest,
                credentialId: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
                status: 'ACTIVE' as const,
              }))
            : [],
        );
      },
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

  it('reports a row naming the same licence number as an earlier one, however spelt, with both lines', () => {
    const text = [
      'name,licenceNumber,admissionDate,practiceStatus',
      '王大明,(115)台檢證字第000001號,2020-01-01,practising',
      '李小華,(115)台檢證字第000002號,2020-01-01,practising',
      '王大明,(115)台檢證字第000001號,2020-01-01,practising',
      '陳美,(115)臺檢證字第1號,2020-01-01,practising',
      '林一,(115)台檢證字第000003號,2020-02-30,practising',
    ].join('\n');
    const input = checkBatchInput(Buffer.from(text), lawyer);
    expect(input.issues.map(({ line, field, duplicateOf }) => ({ line, field, duplicateOf }))).toEqual([
      { line: 4, field: 'licenceNumber', duplicateOf: 2 },
      { line: 5, field: 'licenceNumber', duplicateOf: 2 },
      { line: 6, field: 'admissionDate', duplicateOf: undefined },
    ]);
    // Named as every row issue is: the row (its line), the column, the value as spelt there, the earlier row.
    expect(input.issues[1]?.message).toBe(
      'row 5, column licenceNumber: "(115)臺檢證字第1號" names the same subject (licenceNumber) as row 2 (rule: a batch issues one credential per subject)',
    );
  });

  it('prepares the type checks once per file, not once per row (their patterns compiled once)', () => {
    const rows = (count: number): Buffer =>
      Buffer.from(
        [
          'name,licenceNumber,admissionDate,practiceStatus',
          ...Array.from(
            { length: count },
            (_, i) => `王大明,(115)台檢證字第${String(i).padStart(6, '0')}號,2020-01-01,practising`,
          ),
        ].join('\n'),
      );
    // Every `new RegExp` made while a file is checked, counted.
    const compiledWhile = (check: () => void): number => {
      const original = globalThis.RegExp;
      let made = 0;
      globalThis.RegExp = new Proxy(original, {
        construct(target, args: [string, string?]) {
          made++;
          return new target(...args);
        },
      });
      try {
        check();
      } finally {
        globalThis.RegExp = original;
      }
      return made;
    };
    const one = compiledWhile(() => {
      expect(checkBatchInput(rows(1), lawyer).rows).toHaveLength(1);
    });
    const many = compiledWhile(() => {
      expect(checkBatchInput(rows(200), lawyer).rows).toHaveLength(200);
    });
    expect(many).toBe(one);
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

/** Runs `fn`, expecting a CredledgerError, and returns it. */
function thrown(fn: () => unknown): CredledgerError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CredledgerError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('the CSV contract (issue 13)', () => {
  const economic = getCredentialType('EconomicCertificateCredential');
  const header = 'name,licenceNumber,admissionDate,practiceStatus';
  const row = (i: number) => `王小明,(115)台檢證字第${String(i).padStart(6, '0')}號,2020-01-01,practising`;
  const file = (rows: number, head = header) =>
    [head, ...Array.from({ length: rows }, (_, i) => row(i))].join('\r\n') + '\r\n';

  it('accepts a UTF-8 byte-order mark, as spreadsheets write one', () => {
    const input = checkBatchInput(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(file(3))]), lawyer);
    expect(input.header[0]).toBe('name');
    expect(input.rows).toHaveLength(3);
  });

  it('refuses UTF-16 and non-UTF-8 files once, saying to save as CSV UTF-8', () => {
    const utf16 = thrown(() => checkBatchInput(Buffer.from(`\uFEFF${file(3)}`, 'utf16le'), lawyer));
    expect(utf16).toMatchObject({ code: 'INVALID_INPUT', details: { problem: 'utf-16' } });
    expect(utf16.message).toMatch(/UTF-16.*"CSV UTF-8/);
    // Big5 bytes from the third line on: what a spreadsheet's plain "CSV" writes on a zh-TW system.
    const big5 = Buffer.concat([
      Buffer.from(file(1)),
      Buffer.from([0xa4, 0xfd, 0xa4, 0x70, 0xa9, 0xfa]),
      Buffer.from(',x\r\n'),
    ]);
    const notUtf8 = thrown(() => checkBatchInput(big5, lawyer));
    expect(notUtf8).toMatchObject({ code: 'INVALID_INPUT', details: { problem: 'not-utf-8', line: 3 } });
    expect(notUtf8.message).toMatch(/not UTF-8 text \(from line 3;.*"CSV UTF-8/);
  });

  it('refuses a header garbled by a byte-order mark read in the wrong encoding', () => {
    const garbled = thrown(() => checkBatchInput(Buffer.from(`\u00EF\u00BB\u00BF${file(2)}`), lawyer));
    expect(garbled).toMatchObject({ code: 'INVALID_INPUT', details: { problem: 'csv-encoding' } });
  });

  it('reports every header problem in one error, with the columns expected, however many rows follow', () => {
    const error = thrown(() =>
      checkBatchInput(
        Buffer.from(file(2000, 'nmae,licenceNumber,admissionDate,practiceStatus,licenceNumber,notes')),
        lawyer,
      ),
    );
    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      details: {
        problem: 'csv-header',
        unknown: ['nmae', 'notes'],
        repeated: ['licenceNumber'],
        missing: ['name'],
        expected: lawyer.fields.map((f) => f.name),
      },
    });
    expect(error.message).toBe(
      'the CSV header does not fit LawyerLicenceCredential: unknown columns "nmae", "notes"; repeated column "licenceNumber"; missing required column "name". Expected columns: name*, nameEn, licenceNumber*, admissionDate*, practiceStatus*, barMemberships, lawFirm (* required)',
    );
    expect((error.details.localized as { 'zh-TW': string })['zh-TW']).toMatch(
      /^CSV 標題列與 LawyerLicenceCredential 不符：未知的欄位 "nmae"、"notes"/,
    );
  });

  it('reports a column that only some rows need once, with how many rows need it', () => {
    const lines = ['kind,certificateNumber,companyName,ubn,issueDate,establishedDate,address'];
    for (let i = 0; i < 50; i++)
      lines.push(
        `company-registration,經授商字第${String(i).padStart(11, '0')}號,台灣精密機械股份有限公司,04595257,2026-11-20,1998-03-12,臺北市`,
      );
    lines.push('certificate-of-origin,CO-1,台灣精密機械股份有限公司,04595257,2026-11-20,,');
    const error = thrown(() => checkBatchInput(Buffer.from(lines.join('\n')), economic));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { problem: 'csv-header' } });
    expect(error.message).toBe(
      'the CSV file has no column "representative" (required when kind is company-registration; 50 rows need it), "destinationCountry" (required when kind is certificate-of-origin; 1 row needs it), "consignee" (required when kind is certificate-of-origin; 1 row needs it), "goodsDescription" (required when kind is certificate-of-origin; 1 row needs it)',
    );
  });

  it('locates each row issue by row and column as the header spells it, with the value and the rule', () => {
    const text = [
      'Name,licence_number,admission-date,practiceStatus,lawFirm',
      'W\u0430ng,(115)台檢證字第000001號,2020-01-01,practising,明理法律事務所',
      '王小明,(115)台檢證字第000002號,2020-01-01,practising,陳,林法律事務所',
      '王\u3164明,(115)台檢證字第000003號,2020-02-30,practising,<b>firm</b>',
    ].join('\n');
    const input = checkBatchInput(Buffer.from(text), lawyer);
    expect(input.issues.map(({ line, column, problem, value }) => ({ line, column, problem, value }))).toEqual([
      { line: 2, column: 'Name', problem: 'mixed-script', value: 'W\u0430ng' },
      { line: 3, column: '', problem: 'extra-cells', value: '林法律事務所' },
      { line: 4, column: 'Name', problem: 'invisible-character', value: '王⟨U+3164⟩明' },
      { line: 4, column: 'admission-date', problem: 'invalid-date', value: '2020-02-30' },
      { line: 4, column: 'lawFirm', problem: 'markup', value: '<b>firm</b>' },
    ]);
    expect(input.issues[0]?.message).toBe(
      `row 2, column Name: "W\u0430ng" mixes Latin and Cyrillic letters: \u0430 (U+0430) is Cyrillic (rule: ${input.issues[0]?.rule.en})`,
    );
  });

  it('writes every row issue to an owner-only errors.csv that spreadsheets open as UTF-8', () =>
    withDir(async (dir) => {
      const lines = [header];
      for (let i = 0; i < 100; i++) lines.push(row(i).replace('王小明', `W\u0430ng ${'X'.repeat(i % 3)}`.trim()));
      const input = checkBatchInput(Buffer.from(lines.join('\n')), lawyer);
      expect(input.issues).toHaveLength(100);
      const path = join(dir, 'errors.csv');
      await writeRowIssuesCsv(path, input.issues, 'zh-TW');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      const text = await readFile(path, 'utf8');
      expect(text.startsWith('\uFEFF列,欄位,值,問題代碼,規則,說明\r\n')).toBe(true);
      const table = parseCsv(text);
      expect(table.records).toHaveLength(100);
      expect(table.records[0]?.cells.slice(0, 4)).toEqual(['2', 'name', 'W\u0430ng', 'mixed-script']);
      expect(table.records[0]?.cells[5]).toBe('混用拉丁字母與西里爾字母：\u0430 (U+0430) 是西里爾字母');
      expect(await readdir(dir)).toEqual(['errors.csv']);
    }));

  it('its template of every type passes its own check', () => {
    for (const type of [lawyer, economic]) {
      const input = checkBatchInput(Buffer.from(csvTemplate(type)), type);
      expect(input.header).toEqual(type.fields.map((f) => f.name));
      expect({ type: type.name, issues: input.issues, rows: input.rows.length }).toEqual({
        type: type.name,
        issues: [],
        rows: 1,
      });
    }
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

  it('refused before anything is signed (every subject already held), leaves nothing behind: no journal, no empty folders', () =>
    withDir(async (dir) => {
      const ledger = new FakeLedger();
      const input = checkBatchInput(csv(5), lawyer);
      const fresh = join(dir, 'fresh');
      await expect(issueBatchResumable(input, ledger.issuer({ held: true }), { outDir: fresh })).rejects.toMatchObject({
        code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL',
      });
      expect(await readdir(dir)).toEqual([]);
      // A folder that existed keeps what it held, and gains nothing.
      const used = join(dir, 'used');
      await issueBatchResumable(checkBatchInput(csv(5), lawyer), ledger.issuer(), { outDir: join(used, 'first') });
      await writeFile(join(used, 'notes.txt'), 'mine');
      await expect(issueBatchResumable(input, ledger.issuer({ held: true }), { outDir: used })).rejects.toMatchObject({
        code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL',
      });
      expect((await readdir(used)).sort()).toEqual(['first', 'notes.txt']);
      expect(ledger.anchors.size).toBe(5);
    }));

  it('given the conflicts findBatchConflicts just read, reads no subject holder again, and refuses by them', () =>
    withDir(async (dir) => {
      const input = checkBatchInput(csv(5), lawyer);
      const heldBy = (held: boolean) => ({
        getSubjectHolders: (_did: string, digests: readonly string[]) =>
          Promise.resolve(
            held
              ? digests.slice(0, 1).map((subjectDigest) => ({
                  subjectDigest,
                  credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000001',
                  status: 'ACTIVE' as const,
                }))
              : [],
          ),
      });
      const ledger = new FakeLedger();
      const none = await findBatchConflicts(input, heldBy(false), issuerDid, join(dir, 'a'));
      const result = await issueBatchResumable(input, ledger.issuer(), { outDir: join(dir, 'a'), conflicts: none });
      expect(result.rows).toHaveLength(5);
      expect(ledger.holderReads).toBe(0);
      // Without them, the issuer reads the holders itself.
      await issueBatchResumable(checkBatchInput(csv(3), lawyer), ledger.issuer(), { outDir: join(dir, 'b') });
      expect(ledger.holderReads).toBe(1);

      const held = await findBatchConflicts(input, heldBy(true), issuerDid, join(dir, 'c'));
      expect(held.map(({ line }) => line)).toEqual([2]);
      const refusing = new FakeLedger();
      await expect(
        issueBatchResumable(input, refusing.issuer(), { outDir: join(dir, 'c'), conflicts: held }),
      ).rejects.toMatchObject({ code: 'SUBJECT_HAS_ACTIVE_CREDENTIAL' });
      expect([refusing.holderReads, refusing.anchors.size]).toEqual([0, 0]);
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

describe('conflictIssues', () => {
  const input = checkBatchInput(csv(3), lawyer);
  const conflicts = [
    {
      index: 0,
      row: 0,
      line: 2,
      credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000001',
      status: 'ACTIVE' as const,
    },
    {
      index: 2,
      row: 2,
      line: 4,
      credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000002',
      status: 'SUSPENDED' as const,
    },
  ];

  it('makes a row issue of each conflict that blocks the batch, naming the identifier column and value', () => {
    const issues = conflictIssues(input, conflicts);
    expect(issues.map(({ line, column, value, problem }) => [line, column, value, problem])).toEqual([
      [2, 'licenceNumber', '(115)台檢證字第000000號', 'subject-held'],
      [4, 'licenceNumber', '(115)台檢證字第000002號', 'subject-held'],
    ]);
    expect(issues[0]?.message).toBe(
      'row 2, column licenceNumber: "(115)台檢證字第000000號" already has urn:uuid:00000000-0000-4000-8000-000000000001 (ACTIVE) (rule: one ACTIVE credential per subject; --supersede replaces it)',
    );
  });

  it('superseding, only a suspended credential blocks', () => {
    expect(conflictIssues(input, conflicts, { supersede: true }).map((issue) => issue.line)).toEqual([4]);
  });
});
