/**
 * Bulk issuance from a CSV file into an output directory, resumable after a kill at any moment:
 * validate every row first → give each row an id and sign it → journal (fsync) → anchor on the ledger
 * → write one JWT file per row and a result CSV. See `journal.ts` for why the order makes a rerun safe.
 *
 * Signing and anchoring are passed in (`BatchIssuanceSteps`) so this file owns only the ordering and
 * the files; the issuer module supplies the real signer and ledger calls.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CredledgerError, isCredledgerError } from '../errors.js';
import { newCredentialId } from '../credentials/credential.js';
import type { CredentialSubject } from '../credentials/schema.js';
import { validateSubject } from '../credentials/schema.js';
import type { CredentialTypeDefinition } from '../credentials/types/definition.js';
import { getCredentialType } from '../credentials/types/index.js';
import { columnsFor, csvLine, parseCsv, recordToSubject, type RowIssue } from './csv.js';
import { BatchJournal, journalFileName, type SignedEntry } from './journal.js';

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
  /** Every row that failed its schema check; a batch with issues is never issued. */
  readonly issues: readonly RowIssue[];
  /** Number of data rows read. */
  readonly total: number;
  /** SHA-256 of the input bytes: a rerun must present the same file. */
  readonly sha256: string;
}

/**
 * Reads a batch CSV and checks every row against the credential type's schema, collecting one issue
 * per bad row (its line and the field at fault) instead of stopping at the first.
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

/** `readBatchInput` for bytes already in memory. */
export function checkBatchInput(bytes: Uint8Array, type: CredentialTypeDefinition): BatchInput {
  const table = parseCsv(Buffer.from(bytes).toString('utf8'));
  const columns = columnsFor(type, table.header);
  const rows: ValidRow[] = [];
  const issues: RowIssue[] = [];
  table.records.forEach((record, row) => {
    try {
      const subject = validateSubject(type, recordToSubject(columns, record.cells));
      rows.push({ row, line: record.line, subject, cells: record.cells });
    } catch (error) {
      if (!isCredledgerError(error, 'SCHEMA_INVALID')) throw error;
      const field = typeof error.details.field === 'string' ? error.details.field : '(row)';
      issues.push({ line: record.line, row, field, message: error.message });
    }
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { type, header: table.header, rows, issues, total: table.records.length, sha256 };
}

/** What a batch needs from the issuer and the ledger. */
export interface BatchIssuanceSteps {
  /** Signs one credential per item with the given id (same order). Must not touch the ledger. */
  sign(items: readonly { readonly id: string; readonly subject: CredentialSubject }[]): Promise<readonly string[]>;
  /**
   * Anchors signed credentials in one transaction, all or nothing. Anchoring an identical credential
   * again must be a no-op (the chaincode guarantees it), since a rerun re-anchors unconfirmed rows.
   */
  anchor(jwts: readonly string[]): Promise<{ readonly txId?: string }>;
}

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
  /** Issuer DID the steps sign for (recorded in the journal). */
  readonly issuerDid: string;
  /** Output directory: JWT files, result CSV, journal. Created if missing. */
  readonly outDir: string;
  /** Credentials per ledger transaction (≤ the chaincode's batch limit). Default 1,000. */
  readonly chunkSize?: number;
  readonly onProgress?: (progress: BatchProgress) => void;
}

export interface BatchResult {
  /** Rows issued, in input order: row index, CSV line, id and JWT file (relative to outDir). */
  readonly rows: readonly { readonly row: number; readonly line: number; readonly id: string; readonly file: string }[];
  /** Rows signed by this run (the rest came from the journal of an earlier run). */
  readonly signedNow: number;
  /** Rows whose anchor transaction this run submitted (re-anchors of journalled rows included). */
  readonly anchoredNow: number;
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
 * Fails: INVALID_INPUT (rows with issues; a journal of another batch in `outDir`), and whatever the
 * steps throw (the journal keeps what was done; rerun to continue).
 */
export async function issueBatchResumable(input: BatchInput, steps: BatchIssuanceSteps, options: BatchOptions): Promise<BatchResult> {
  if (input.issues.length > 0) {
    throw new CredledgerError('INVALID_INPUT', `${input.issues.length} rows fail their schema check; nothing was issued`, {
      details: { issues: input.issues.slice(0, 20) },
    });
  }
  const chunkSize = Math.max(1, options.chunkSize ?? 1000);
  await mkdir(join(options.outDir, 'jwt'), { recursive: true });
  const journal = await BatchJournal.open(join(options.outDir, journalFileName), {
    type: input.type.name,
    issuerDid: options.issuerDid,
    inputSha256: input.sha256,
    rows: input.total,
  });
  try {
    const total = input.rows.length;
    const resumedFrom = input.rows.filter((row) => journal.anchored.has(row.row)).length;
    let done = resumedFrom;
    let signedNow = 0;
    let anchoredNow = 0;
    const report = (phase: BatchPhase): void => options.onProgress?.({ phase, done, total, resumedFrom });
    const byRow = new Map(input.rows.map((row) => [row.row, row]));

    // Files of rows finished by an earlier run may be torn by the kill: write them again from the journal.
    await writeJwtFiles(options.outDir, [...journal.anchored].flatMap((row) => journal.signed.get(row) ?? []));
    report('anchor-journalled');

    const anchorChunk = async (entries: readonly SignedEntry[]): Promise<void> => {
      const { txId } = await steps.anchor(entries.map((entry) => entry.jwt));
      await journal.appendAnchored(
        entries.map((entry) => entry.row),
        txId,
      );
      await writeJwtFiles(options.outDir, entries);
      anchoredNow += entries.length;
      done += entries.length;
    };

    // 1. Rows signed by an earlier run whose commit was never confirmed: anchor the SAME JWTs again.
    const unconfirmed = [...journal.signed.values()].filter((entry) => !journal.anchored.has(entry.row) && byRow.has(entry.row));
    for (const chunk of chunks(unconfirmed, chunkSize)) {
      await anchorChunk(chunk);
      report('anchor-journalled');
    }

    // 2. Rows never signed: sign chunk k+1 while chunk k is being anchored.
    const fresh = input.rows.filter((row) => !journal.signed.has(row.row));
    let inFlight: Promise<void> | undefined;
    for (const chunk of chunks(fresh, chunkSize)) {
      const items = chunk.map((row) => ({ id: newCredentialId(), subject: row.subject }));
      const jwts = await steps.sign(items);
      const entries = chunk.map((row, i) => ({ row: row.row, id: items[i]!.id, jwt: jwts[i]! }));
      // Durable before the ledger sees it: a rerun re-anchors these exact JWTs, never re-signs the rows.
      await journal.appendSigned(entries);
      signedNow += entries.length;
      if (inFlight) {
        await inFlight;
        report('issue');
      }
      inFlight = anchorChunk(entries);
      // Keep the rejection observed until awaited, so a failure is reported once, by the await.
      inFlight.catch(() => undefined);
    }
    if (inFlight) {
      await inFlight;
      report('issue');
    }

    const rows = input.rows.map((row) => {
      const entry = journal.signed.get(row.row)!;
      return { row: row.row, line: row.line, id: entry.id, file: jwtFileOf(entry.id) };
    });
    const resultCsv = join(options.outDir, resultCsvName);
    await writeResultCsv(resultCsv, input, rows);
    report('write');
    await journal.markComplete();
    return { rows, signedNow, anchoredNow, resultCsv, journal: journal.path };
  } finally {
    await journal.close();
  }
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Writes JWT files with bounded concurrency. Not fsynced: the journal is the durable copy. */
async function writeJwtFiles(outDir: string, entries: readonly SignedEntry[]): Promise<void> {
  const concurrency = 32;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const entry = entries[next++]!;
      await writeFile(join(outDir, jwtFileOf(entry.id)), `${entry.jwt}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
}

/** The input's columns plus `line`, `id`, `file`, written atomically (temp file + rename). */
async function writeResultCsv(path: string, input: BatchInput, rows: BatchResult['rows']): Promise<void> {
  const parts = [csvLine(['line', 'id', 'file', ...input.header])];
  const cellsByRow = new Map(input.rows.map((row) => [row.row, row.cells]));
  for (const row of rows) parts.push(csvLine([String(row.line), row.id, row.file, ...(cellsByRow.get(row.row) ?? [])]));
  const temp = `${path}.tmp`;
  await writeFile(temp, parts.join(''));
  await rename(temp, path);
}
