/**
 * Bulk issuance from a CSV file into an output directory, resumable after a kill at any moment:
 * validate every row first → give each row an id and sign it → journal (fsync) → anchor on the ledger
 * → write one JWT file per row and a result CSV. See `journal.ts` for why the order makes a rerun safe.
 *
 * Signing and anchoring are the issuer's (`Issuer.issueBatch`, one path for single and bulk
 * issuance): this file owns only the journal, the ordering around it and the files.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import {
  CredledgerError,
  isCredledgerError,
  subjectChecker,
  type CredentialSubject,
  getCredentialType,
} from '@credledger/verify';
import { newCredentialId } from '../credentials/credential.js';
import type { SdJwtOptions } from '../credentials/sd-jwt.js';
import { shownValue } from '@credledger/verify/formats';
import type { CredentialTypeDefinition, FieldDefinition, Label } from '@credledger/verify';
import { subjectIdentifierReader, subjectIdentifierRuleOf } from '../credentials/subject-digest.js';
import {
  findSubjectConflicts,
  type IssuedCredential,
  type Issuer,
  type SubjectConflict,
  type ValidityOptions,
} from '../issuer.js';
import type { Registry } from '@credledger/ledger';
import { workerFile } from '@credledger/workers';
import {
  columnsFor,
  csvLine,
  decodeCsvBytes,
  extraCellsIssue,
  heldSubjectIssue,
  missingColumnsError,
  parseCsv,
  recordToSubject,
  rowIssue,
  sameSubjectIssue,
  type RowIssue,
} from './csv.js';
import { BatchJournal, journalFileName, type SignedEntry } from './journal.js';
import type { JwtFileReply, JwtFileTask } from './jwt-file-worker.js';

/** A CSV data row that passed the schema check. */
export interface ValidRow {
  /** 0-based data row index (the journal's key). */
  readonly row: number;
  /** 1-based line of the CSV file where the record starts. */
  readonly line: number;
  readonly subject: CredentialSubject;
  readonly cells: readonly string[];
}

/** The input of a batch, read and checked. */
export interface BatchInput {
  readonly type: CredentialTypeDefinition;
  readonly header: readonly string[];
  readonly rows: readonly ValidRow[];
  /**
   * Every row that failed its schema check, and every row naming the same subject (licence number,
   * 統一編號, …) as an earlier row; a batch with issues is never issued.
   */
  readonly issues: readonly RowIssue[];
  /** Number of data rows read. */
  readonly total: number;
  /** SHA-256 of the input bytes: a rerun must present the same file. */
  readonly sha256: string;
}

/**
 * Reads a batch CSV and checks every row against the credential type's schema and against the rows
 * before it (one credential per subject in a batch), collecting one issue per bad row (its line and
 * the field at fault) instead of stopping at the first.
 * Fails: FILE_NOT_FOUND; UNKNOWN_CREDENTIAL_TYPE; INVALID_INPUT for a malformed CSV or unknown columns.
 */
export async function readBatchInput(csvPath: string, typeName: string): Promise<BatchInput> {
  const type = getCredentialType(typeName);
  let bytes: Buffer;
  try {
    bytes = await readFile(csvPath);
  } catch (error) {
    throw new CredledgerError('FILE_NOT_FOUND', `cannot read ${csvPath}`, { cause: error, details: { path: csvPath } });
  }
  return checkBatchInput(bytes, type);
}

/**
 * `readBatchInput` for bytes already in memory. Problems of the whole file (encoding, CSV syntax, the
 * header, a column some rows need but the file lacks) throw once; problems of rows are collected, every
 * bad field of every row, each naming its value and the field's rule.
 * Fails: INVALID_INPUT with `details.problem` (`utf-16`, `not-utf-8`, `csv-syntax`, `csv-header`, `empty`)
 * and `details.localized`, the sentence in both languages.
 */
export function checkBatchInput(bytes: Uint8Array, type: CredentialTypeDefinition): BatchInput {
  const table = parseCsv(decodeCsvBytes(bytes));
  const columns = columnsFor(type, table.header);
  const columnOf = new Map<string, string>();
  columns.forEach((field, index) => {
    if (field) columnOf.set(field.name, table.header[index] ?? field.name);
  });
  const width = table.header.length;
  const rows: ValidRow[] = [];
  const issues: RowIssue[] = [];
  const lacking = new Map<string, { field: FieldDefinition; rows: number }>();
  // Prepared once for every row: the type's field names and compiled patterns.
  const checkSubject = subjectChecker(type);
  table.records.forEach((record, row) => {
    if (record.cells.slice(width).some((cell) => cell.trim() !== '')) {
      issues.push(extraCellsIssue(record, row, width));
      return;
    }
    const check = checkSubject(recordToSubject(columns, record.cells));
    if (check.subject !== undefined) {
      rows.push({ row, line: record.line, subject: check.subject, cells: record.cells });
      return;
    }
    for (const issue of check.issues) {
      const fieldName = issue.field.replace(/\[\d+\]$/, '');
      const column = columnOf.get(fieldName);
      const field = type.fields.find((f) => f.name === fieldName);
      if (column === undefined && issue.problem === 'required' && field) {
        // A column the file lacks: one whole-file error below, not one per row.
        lacking.set(fieldName, { field, rows: (lacking.get(fieldName)?.rows ?? 0) + 1 });
        continue;
      }
      const located = {
        line: record.line,
        row,
        field: issue.field,
        column: column ?? '',
        problem: issue.problem,
        ...(issue.value === undefined ? {} : { value: shownValue(issue.value) }),
        reason: issue.reason,
        rule: issue.rule,
      };
      issues.push(rowIssue(located));
    }
  });
  if (lacking.size > 0) throw missingColumnsError(type, [...lacking.values()]);
  issues.push(...repeatedSubjects(type, rows, columnOf));
  issues.sort((a, b) => a.row - b.row);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { type, header: table.header, rows, issues, total: table.records.length, sha256 };
}

/** Name of the file of every row issue, written beside a batch's outputs. */
export const rowIssuesCsvName = 'errors.csv';

/**
 * Writes every row issue to a CSV an operator opens in a spreadsheet: row, column, value (quoted, at
 * most 80 characters), problem code, rule and what is wrong, in the given language, with a UTF-8 BOM so
 * spreadsheet programs read it as UTF-8. Owner-only (0600): the values are personal data. Written to a
 * temporary file and renamed, so a reader never sees half of it.
 * Fails: FILE_NOT_FOUND when the file cannot be written.
 */
export async function writeRowIssuesCsv(path: string, issues: readonly RowIssue[], lang: keyof Label): Promise<void> {
  const header =
    lang === 'en'
      ? ['row', 'column', 'value', 'problem', 'rule', 'message']
      : ['列', '欄位', '值', '問題代碼', '規則', '說明'];
  const lines = [csvLine(header)];
  for (const issue of issues) {
    lines.push(
      csvLine([
        String(issue.line),
        issue.column,
        issue.value ?? '',
        issue.problem,
        issue.rule[lang],
        issue.reason[lang],
      ]),
    );
  }
  const temp = `${path}.tmp`;
  try {
    await rm(temp, { force: true });
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(`\uFEFF${lines.join('')}`);
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    throw new CredledgerError('FILE_NOT_FOUND', `cannot write ${path}`, { cause: error, details: { path } });
  }
}

/**
 * Rows whose subject identifier (compared here, in clear, never sent) equals an earlier row's. Two
 * credentials for one subject in one batch would leave two ACTIVE ones, or revoke the first at once.
 */
function repeatedSubjects(
  type: CredentialTypeDefinition,
  rows: readonly ValidRow[],
  columnOf: ReadonlyMap<string, string>,
): RowIssue[] {
  const firstLine = new Map<string, number>();
  const issues: RowIssue[] = [];
  const identifierOf = subjectIdentifierReader(type);
  for (const row of rows) {
    const identifier = identifierOf(row.subject);
    if (identifier === undefined) continue;
    const key = JSON.stringify(identifier);
    const earlier = firstLine.get(key);
    if (earlier === undefined) {
      firstLine.set(key, row.line);
      continue;
    }
    const fields = subjectIdentifierRuleOf(type, row.subject)?.fields ?? [];
    const last = fields.at(-1);
    const value = last === undefined ? undefined : row.subject[last];
    issues.push(
      sameSubjectIssue(
        row,
        last === undefined ? '' : (columnOf.get(last) ?? last),
        fields,
        earlier,
        value === undefined ? undefined : shownValue(value),
      ),
    );
  }
  return issues;
}

/**
 * What a batch needs of the issuer: its DID and `issueBatch`, which signs on every core and anchors
 * with several transactions in flight. `createIssuer(...)` fits; its `anchorBatchSize` sets the
 * credentials per transaction, and so the journal's chunk size.
 */
export type BatchIssuer = Pick<Issuer, 'issuerDid' | 'issueBatch'>;

export type BatchPhase = 'anchor-journalled' | 'issue' | 'write';

/** Progress of a batch, reported after each chunk. */
export interface BatchProgress {
  readonly phase: BatchPhase;
  /** Rows finished (anchored) so far, including rows finished by an earlier run. */
  readonly done: number;
  readonly total: number;
  /** Rows finished by earlier runs of this batch (so a rate counts only this run's work). */
  readonly resumedFrom: number;
}

export interface BatchOptions {
  /** Output directory: JWT files, result CSV, journal. Created if missing. */
  readonly outDir: string;
  /**
   * Replace the ACTIVE credentials that subjects of the batch already have (each revoked with reason
   * SUPERSEDED in the transaction that anchors its successor). Default false: such a batch is refused
   * before anything is signed. Not part of the journal: a refused batch may be rerun with it.
   */
  readonly supersede?: boolean;
  readonly onProgress?: (progress: BatchProgress) => void;
  /**
   * Validity of the credentials this run signs (default: from now, for the type's default term). Rows
   * signed by an earlier run keep the validity they were signed with.
   */
  readonly validity?: ValidityOptions;
  /**
   * Issue as SD-JWT VCs of this profile instead of `vc+jwt`s. Rows signed by an earlier run keep the
   * format they were signed in (the journal holds them as signed).
   */
  readonly sdJwt?: SdJwtOptions;
  /**
   * What `findBatchConflicts` answered for this input and output directory just before (the CLI shows
   * its operator every conflict before issuing): the issuer refuses the batch by it instead of reading
   * the same subject holders again. Without it the issuer reads them itself.
   */
  readonly conflicts?: readonly RowConflict[];
}

export interface BatchResult {
  /** Rows issued, in input order: row index, CSV line, id and JWT file (relative to outDir). */
  readonly rows: readonly { readonly row: number; readonly line: number; readonly id: string; readonly file: string }[];
  /** Rows signed by this run (the rest came from the journal of an earlier run). */
  readonly signedNow: number;
  /** Credentials this run revoked with reason SUPERSEDED, each with the id that replaced it. */
  readonly superseded: readonly { readonly id: string; readonly by: string }[];
  /** Rows whose anchor transaction this run submitted (re-anchors of journalled rows included). */
  readonly anchoredNow: number;
  /** JWT files this run wrote again because an earlier run left them missing or partial. */
  readonly repairedFiles: number;
  /**
   * Where this run's time went, in milliseconds: signing and anchoring (JWT files being written
   * meanwhile), then waiting for the remaining JWT files after the last commit.
   */
  readonly timings: { readonly issueMs: number; readonly fileWaitMs: number };
  readonly resultCsv: string;
  readonly journal: string;
}

/** File (relative to the output directory) of a credential's JWT. */
export function jwtFileOf(id: string): string {
  return join('jwt', `${id.replace(/^urn:uuid:/, '')}.jwt`);
}

/** Name of the result CSV in the output directory. */
export const resultCsvName = 'result.csv';

/**
 * Issues every row of a checked batch input, resuming the journal in `outDir` if one exists.
 * Call only when `input.issues` is empty (the CLI refuses earlier with the list of bad rows).
 *
 * Per chunk of up to `anchorBatchSize` rows (the issuer pipelines them: chunk k+1 signs while chunk k
 * is anchored): sign → journal the JWTs with ONE fdatasync → queue their JWT files and submit the
 * anchoring transaction → mark it anchored (no fsync: a lost mark costs only an identical re-anchor).
 * Files are not fsynced one by one: the journal holds every JWT, and every run (a completed one
 * included) first rewrites any JWT file of a journalled row that is missing or differs from it.
 *
 * Fails: INVALID_INPUT (rows with issues; a journal of another batch in `outDir`),
 * SUBJECT_HAS_ACTIVE_CREDENTIAL (rows whose subject already has a credential, without `supersede`:
 * `details.conflicts` with each row's `line`; nothing signed), and whatever the issuer throws (the
 * journal keeps what was done; rerun to continue).
 */
export async function issueBatchResumable(
  input: BatchInput,
  issuer: BatchIssuer,
  options: BatchOptions,
): Promise<BatchResult> {
  if (input.issues.length > 0) {
    throw new CredledgerError(
      'INVALID_INPUT',
      `${input.issues.length} rows fail their schema check; nothing was issued`,
      {
        details: { issues: input.issues.slice(0, 20) },
      },
    );
  }
  // Owner-only, like the keys: the output holds names and licence numbers (0700 folders this creates,
  // 0600 files); umask can only narrow these.
  const jwtDir = join(options.outDir, 'jwt');
  const journalPath = join(options.outDir, journalFileName);
  const created = {
    outDir: !existsSync(options.outDir),
    jwtDir: !existsSync(jwtDir),
    journal: !existsSync(journalPath),
  };
  await mkdir(jwtDir, { recursive: true, mode: 0o700 });
  const journal = await BatchJournal.open(journalPath, {
    type: input.type.name,
    issuerDid: issuer.issuerDid,
    inputSha256: input.sha256,
    rows: input.total,
  }).catch(async (error: unknown) => {
    await removeCreated(options.outDir, jwtDir, undefined, created);
    throw error;
  });
  const files = jwtFileWriter(options.outDir);
  let finished = false;
  try {
    const total = input.rows.length;
    const resumedFrom = input.rows.filter((row) => journal.anchored.has(row.row)).length;
    let done = resumedFrom;
    let signedNow = 0;
    let anchoredNow = 0;
    const superseded: { id: string; by: string }[] = [];
    const report = (phase: BatchPhase): void => options.onProgress?.({ phase, done, total, resumedFrom });

    // Files of rows journalled by an earlier run may be missing or torn (a kill, a power loss after
    // the journal said complete): compare each with the journal and write it again where it differs.
    const repairedFiles = await repairJwtFiles(
      options.outDir,
      input.rows.flatMap((row) => journal.signed.get(row.row) ?? []),
    );
    report('anchor-journalled');

    // Every row not known to be anchored, in input order. Rows journalled as signed keep their id and
    // are anchored again with their first JWT (an identical re-anchor is a no-op); the rest get a new
    // id and are signed.
    const pending = input.rows.filter((row) => !journal.anchored.has(row.row));
    const ids = pending.map((row) => journal.signed.get(row.row)?.id ?? newCredentialId());
    const signed = new Map<string, string>();
    for (const row of pending) {
      const entry = journal.signed.get(row.row);
      if (entry) signed.set(entry.id, entry.jwt);
    }
    const rowOfId = new Map(ids.map((id, i) => [id, pending[i]?.row ?? -1]));
    // The caller's conflicts by row, as positions among the pending rows (the issuer's subjects).
    const pendingIndex = new Map(pending.map((row, i) => [row.row, i]));
    const knownConflicts = options.conflicts?.flatMap(({ row, credentialId, status }) => {
      const index = pendingIndex.get(row);
      return index === undefined ? [] : [{ index, credentialId, status }];
    });
    const entriesOf = (credentials: readonly IssuedCredential[]): SignedEntry[] =>
      credentials.map((c) => ({ row: rowOfId.get(c.id) ?? -1, id: c.id, jwt: c.jwt }));

    const issueStarted = performance.now();
    if (pending.length > 0) {
      await issuer
        .issueBatch(
          input.type.name,
          pending.map((row) => row.subject),
          {
            ...options.validity,
            ids,
            signed,
            ...(options.supersede === true ? { supersede: true } : {}),
            ...(options.sdJwt === undefined ? {} : { sdJwt: options.sdJwt }),
            ...(knownConflicts === undefined ? {} : { knownConflicts }),
            // Durable before the ledger sees it: a rerun re-anchors these exact JWTs, never re-signs the rows.
            onSigned: async (credentials) => {
              const entries = entriesOf(credentials);
              await journal.appendSigned(entries);
              signedNow += entries.length;
              // A journalled JWT is final (a rerun anchors exactly it), so its file can be written while
              // the ledger works; only result.csv and the journal's `complete` say the batch is done.
              files.write(entries);
            },
            onAnchored: async (credentials, receipt) => {
              const entries = entriesOf(credentials);
              await journal.appendAnchored(
                entries.map((entry) => entry.row),
                receipt.txId,
              );
              anchoredNow += entries.length;
              done += entries.length;
              superseded.push(...receipt.superseded);
              report('issue');
            },
          },
        )
        .catch((error: unknown) => {
          throw withLines(error, pending);
        });
    }
    const issueMs = performance.now() - issueStarted;
    await files.flush();
    const fileWaitMs = performance.now() - issueStarted - issueMs;

    const rows = input.rows.map((row) => {
      const entry = journal.signed.get(row.row);
      if (!entry)
        throw new CredledgerError('INVALID_INPUT', `row ${row.row} was not issued`, { details: { row: row.row } });
      return { row: row.row, line: row.line, id: entry.id, file: jwtFileOf(entry.id) };
    });
    const resultCsv = join(options.outDir, resultCsvName);
    await writeResultCsv(resultCsv, input, rows);
    report('write');
    await journal.markComplete();
    finished = true;
    return {
      rows,
      signedNow,
      superseded,
      anchoredNow,
      repairedFiles,
      timings: { issueMs: Math.round(issueMs), fileWaitMs: Math.round(fileWaitMs) },
      resultCsv,
      journal: journal.path,
    };
  } finally {
    // Written files are never lost to a failure elsewhere: what was queued is finished first.
    await files.flush().catch(() => undefined);
    await journal.close();
    // A run refused before anything was signed (a subject already held, an inactive issuer…) leaves
    // nothing of its own behind: no journal of nothing, no empty folders.
    if (!finished && journal.signed.size === 0) await removeCreated(options.outDir, jwtDir, journalPath, created);
  }
}

/** Removes what a refused run created: the journal (when it made it), then its folders if they are empty. */
async function removeCreated(
  outDir: string,
  jwtDir: string,
  journalPath: string | undefined,
  created: { readonly outDir: boolean; readonly jwtDir: boolean; readonly journal: boolean },
): Promise<void> {
  if (journalPath !== undefined && created.journal) await rm(journalPath, { force: true });
  // rmdir removes only an empty folder: anything else found there stays.
  if (created.jwtDir) await rmdir(jwtDir).catch(() => undefined);
  if (created.outDir) await rmdir(outDir).catch(() => undefined);
}

/** A row whose subject already has a credential of the issuer and type on the ledger. */
export interface RowConflict extends SubjectConflict {
  /** 0-based data row index. */
  readonly row: number;
  /** 1-based line of the CSV file. */
  readonly line: number;
}

/**
 * What a dry run checks against the ledger (one read, nothing written): the valid rows whose subject
 * already has a credential of `issuerDid` and the input's type, by line. Rows an earlier run of this
 * batch signed (the journal in `outDir`, when there is one) are not conflicts when their own id holds
 * the subject. Without superseding, issuing the batch would be refused for these rows.
 * Fails: INVALID_INPUT (a journal of another batch in `outDir`), ISSUER_NOT_FOUND, ledger codes.
 */
export async function findBatchConflicts(
  input: BatchInput,
  registry: Pick<Registry, 'getSubjectHolders'>,
  issuerDid: string,
  outDir?: string,
): Promise<RowConflict[]> {
  const journalled = new Map<number, string>();
  const journalPath = outDir === undefined ? undefined : join(outDir, journalFileName);
  if (journalPath !== undefined && existsSync(journalPath)) {
    const journal = await BatchJournal.open(journalPath, {
      type: input.type.name,
      issuerDid,
      inputSha256: input.sha256,
      rows: input.total,
    });
    for (const [row, entry] of journal.signed) journalled.set(row, entry.id);
    await journal.close();
  }
  const conflicts = await findSubjectConflicts(
    registry,
    issuerDid,
    input.type,
    input.rows.map((row) => row.subject),
    input.rows.map((row) => journalled.get(row.row) ?? ''),
  );
  return conflicts.map((conflict) => {
    const row = input.rows[conflict.index];
    return { ...conflict, row: row?.row ?? -1, line: row?.line ?? -1 };
  });
}

/**
 * The conflicts that block a batch, as row issues (for errors.csv and the printed list): every row
 * whose subject has a SUSPENDED credential, and without `supersede` every row whose subject has an
 * ACTIVE one. A conflict `supersede` resolves is no issue.
 */
export function conflictIssues(
  input: BatchInput,
  conflicts: readonly RowConflict[],
  options: { readonly supersede?: boolean } = {},
): RowIssue[] {
  const columnOf = new Map<string, string>();
  columnsFor(input.type, input.header).forEach((field, index) => {
    if (field) columnOf.set(field.name, input.header[index] ?? field.name);
  });
  const rowOf = new Map(input.rows.map((row) => [row.row, row]));
  return conflicts
    .filter((conflict) => options.supersede !== true || conflict.status === 'SUSPENDED')
    .map((conflict) => {
      const row = rowOf.get(conflict.row);
      const fields = row === undefined ? [] : (subjectIdentifierRuleOf(input.type, row.subject)?.fields ?? []);
      const last = fields.at(-1);
      const value = last === undefined ? undefined : row?.subject[last];
      return heldSubjectIssue(
        conflict,
        last === undefined ? '' : (columnOf.get(last) ?? last),
        fields,
        value === undefined ? undefined : shownValue(value),
        conflict,
      );
    });
}

/**
 * The issuer's subject conflicts name positions among the pending rows; an operator needs CSV lines.
 * Adds `line` (and `row`) to each conflict; any other error passes unchanged.
 */
function withLines(error: unknown, pending: readonly ValidRow[]): unknown {
  if (!isCredledgerError(error) || !Array.isArray(error.details.conflicts)) return error;
  const conflicts = (error.details.conflicts as { index: number }[]).map((conflict) => ({
    ...conflict,
    row: pending[conflict.index]?.row,
    line: pending[conflict.index]?.line,
  }));
  const [first] = conflicts;
  const lines =
    first?.line === undefined
      ? error.message
      : error.message.replace(/^(the subject|subject \d+)/, `row ${first.line}`);
  return new CredledgerError(error.code, lines, { cause: error, details: { ...error.details, conflicts } });
}

/**
 * JWT files written in the background, by one worker thread (`jwt-file-worker.ts`), while the next
 * chunks sign and anchor. Not fsynced: the journal is the durable copy.
 */
function jwtFileWriter(outDir: string): { write(entries: readonly SignedEntry[]): void; flush(): Promise<void> } {
  let worker: Worker | undefined;
  let seq = 0;
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const tasks: Promise<void>[] = [];
  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const start = (): Worker => {
    const started = new Worker(workerFile(new URL('./jwt-file-worker.js', import.meta.url)));
    started.on('message', (reply: JwtFileReply) => {
      const waiting = pending.get(reply.seq);
      pending.delete(reply.seq);
      if ('error' in reply) waiting?.reject(new Error(reply.error));
      else waiting?.resolve();
    });
    started.on('error', failAll);
    started.on('exit', (code) => {
      failAll(new Error(`the JWT file writer exited with code ${code}`));
    });
    return started;
  };
  return {
    write(entries) {
      if (entries.length === 0) return;
      worker ??= start();
      const task: JwtFileTask = {
        seq: ++seq,
        files: entries.map((entry) => [join(outDir, jwtFileOf(entry.id)), `${entry.jwt}\n`] as const),
      };
      const done = new Promise<void>((resolve, reject) => pending.set(task.seq, { resolve, reject }));
      // Observed here; `flush` reports the failure.
      done.catch(() => undefined);
      tasks.push(done);
      worker.postMessage(task);
    },
    async flush() {
      const outcomes = await Promise.allSettled(tasks.splice(0));
      const running = worker;
      worker = undefined;
      if (running) {
        running.removeAllListeners('exit');
        await running.terminate();
      }
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) {
        throw new CredledgerError('FILE_NOT_FOUND', `cannot write the JWT files in ${outDir}`, {
          cause: failed.reason,
        });
      }
    },
  };
}

/** Rewrites every listed JWT file that is missing or differs from the journal; returns how many. */
async function repairJwtFiles(outDir: string, entries: readonly SignedEntry[]): Promise<number> {
  let repaired = 0;
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let entry = entries[next++]; entry !== undefined; entry = entries[next++]) {
      const path = join(outDir, jwtFileOf(entry.id));
      const expected = `${entry.jwt}\n`;
      let current: string | undefined;
      try {
        current = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (current !== expected) {
        await writeFile(path, expected, { mode: 0o600 });
        await chmod(path, 0o600);
        repaired++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, entries.length) }, lane));
  return repaired;
}

/**
 * The input's columns plus `line`, `id`, `file`, written atomically and durably (temp file, fsync,
 * rename): after a crash it is either absent or whole, never a prefix an operator might mistake for
 * the whole batch.
 */
async function writeResultCsv(path: string, input: BatchInput, rows: BatchResult['rows']): Promise<void> {
  const parts = [csvLine(['line', 'id', 'file', ...input.header])];
  const cellsByRow = new Map(input.rows.map((row) => [row.row, row.cells]));
  for (const row of rows) parts.push(csvLine([String(row.line), row.id, row.file, ...(cellsByRow.get(row.row) ?? [])]));
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w', 0o600);
  try {
    // A temp file left by an earlier run keeps its old mode through open(): set it.
    await file.chmod(0o600);
    await file.writeFile(parts.join(''));
    await file.datasync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
}
