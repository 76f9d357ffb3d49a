/**
 * Write-ahead journal of a bulk issuance, kept in the batch's output directory, so a run killed at any
 * moment (SIGKILL, power loss) and started again with the same input finishes the job with nothing
 * issued twice and nothing lost.
 *
 * The order that makes it safe:
 * 1. a row gets its credential id and signed JWT, and both are appended here and fsynced BEFORE the
 *    JWT is anchored on the ledger; a rerun therefore never signs that row again under a new id;
 * 2. the anchoring transaction is submitted; re-submitting an identical record is a no-op on the
 *    ledger, so a rerun simply anchors every signed-but-unconfirmed row again;
 * 3. the commit is recorded here (fsync not needed for safety: losing the mark only costs a re-anchor).
 *
 * Format: JSON Lines. The first line is the header naming the input (its SHA-256), type and issuer;
 * a rerun with other input is refused rather than mixed into this batch. A kill can leave only the
 * last line torn (appends are sequential), so a torn final line is dropped and overwritten; a bad
 * line anywhere else means the file was edited, and the journal refuses to guess.
 */
import { open, type FileHandle } from 'node:fs/promises';

import { CredledgerError } from '@credledger/verify';

/** What identifies a batch: the same output directory may only continue the same job. */
export interface JournalHeader {
  /** Credential type name, e.g. `LawyerLicenceCredential`. */
  readonly type: string;
  /** Issuer DID the credentials are signed for. */
  readonly issuerDid: string;
  /** Lowercase hex SHA-256 of the input file's bytes. */
  readonly inputSha256: string;
  /** Number of data rows in the input. */
  readonly rows: number;
}

/** One signed row: its 0-based data row index, credential id and compact JWS. */
export interface SignedEntry {
  readonly row: number;
  readonly id: string;
  readonly jwt: string;
}

type Line =
  | ({ readonly k: 'header'; readonly v: 1 } & JournalHeader)
  | ({ readonly k: 'signed' } & SignedEntry)
  | { readonly k: 'anchored'; readonly rows: readonly number[]; readonly txId?: string }
  | { readonly k: 'complete' };

/** The standard file name of the journal inside a batch output directory. */
export const journalFileName = '.credledger-batch.journal';

/**
 * A batch journal open for appending. Create with `BatchJournal.open`; one process at a time (the
 * ledger lock of the same workspace already guarantees that for the CLI).
 */
export class BatchJournal {
  readonly #file: FileHandle;
  readonly #path: string;
  readonly #signed: Map<number, SignedEntry>;
  readonly #anchored: Set<number>;
  #complete: boolean;
  /** Appends run one after another, so lines never interleave (anchor marks arrive while signing goes on). */
  #queue: Promise<void> = Promise.resolve();

  private constructor(
    file: FileHandle,
    path: string,
    signed: Map<number, SignedEntry>,
    anchored: Set<number>,
    complete: boolean,
  ) {
    this.#file = file;
    this.#path = path;
    this.#signed = signed;
    this.#anchored = anchored;
    this.#complete = complete;
  }

  /**
   * Opens the journal at `path`, creating it with `header` or continuing an existing one.
   * Fails: INVALID_INPUT when the existing journal belongs to another input, type, issuer or row count,
   * or is damaged before its last line.
   */
  static async open(path: string, header: JournalHeader): Promise<BatchJournal> {
    // Owner-only: the journal holds every signed credential (names, licence numbers).
    const file = await open(path, 'a+', 0o600);
    try {
      await file.chmod(0o600);
      const text = (await file.readFile()).toString('utf8');
      if (text.length === 0) {
        const line: Line = { k: 'header', v: 1, ...pickHeader(header) };
        await file.write(`${JSON.stringify(line)}\n`);
        await file.datasync();
        return new BatchJournal(file, path, new Map(), new Set(), false);
      }
      const { lines, validBytes } = parseLines(text, path);
      if (validBytes < Buffer.byteLength(text, 'utf8')) {
        // A torn final line from a kill mid-append: cut it so the next append starts on a line boundary.
        await file.truncate(validBytes);
        await file.datasync();
      }
      const first = lines[0];
      if (first?.k !== 'header') throw damaged(path, 1, 'the first line is not a header');
      const mismatch = (Object.keys(pickHeader(header)) as (keyof JournalHeader)[]).find(
        (key) => first[key] !== header[key],
      );
      if (mismatch !== undefined) {
        throw new CredledgerError(
          'INVALID_INPUT',
          `the output directory holds a journal of another batch (its ${mismatch} differs); use a new --out directory`,
          { details: { journal: path, field: mismatch, journalValue: first[mismatch], value: header[mismatch] } },
        );
      }
      const signed = new Map<number, SignedEntry>();
      const anchored = new Set<number>();
      let complete = false;
      for (const line of lines.slice(1)) {
        if (line.k === 'signed') signed.set(line.row, { row: line.row, id: line.id, jwt: line.jwt });
        else if (line.k === 'anchored') for (const row of line.rows) anchored.add(row);
        else if (line.k === 'complete') complete = true;
      }
      return new BatchJournal(file, path, signed, anchored, complete);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** Where the journal lives. */
  get path(): string {
    return this.#path;
  }

  /** Signed rows by row index, from this and earlier runs. */
  get signed(): ReadonlyMap<number, SignedEntry> {
    return this.#signed;
  }

  /** Rows whose anchoring transaction is known to have committed. */
  get anchored(): ReadonlySet<number> {
    return this.#anchored;
  }

  /** True once every row was anchored and its outputs written. */
  get complete(): boolean {
    return this.#complete;
  }

  /**
   * Records signed rows durably (write + fdatasync). Only after this resolves may they be anchored.
   * Fails: INVALID_INPUT if a row was already signed with another id (a caller bug this refuses to hide).
   */
  async appendSigned(entries: readonly SignedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const entry of entries) {
      const earlier = this.#signed.get(entry.row);
      if (earlier && (earlier.id !== entry.id || earlier.jwt !== entry.jwt)) {
        throw new CredledgerError('INVALID_INPUT', `row ${entry.row} was already signed as ${earlier.id}`, {
          details: { row: entry.row, id: earlier.id },
        });
      }
    }
    const text = entries
      .map((entry) => JSON.stringify({ k: 'signed', row: entry.row, id: entry.id, jwt: entry.jwt } satisfies Line))
      .join('\n');
    await this.#append(`${text}\n`, true);
    for (const entry of entries) this.#signed.set(entry.row, entry);
  }

  /** Records that the given rows' anchoring transaction committed. */
  async appendAnchored(rows: readonly number[], txId?: string): Promise<void> {
    if (rows.length === 0) return;
    const line: Line = txId === undefined ? { k: 'anchored', rows } : { k: 'anchored', rows, txId };
    await this.#append(`${JSON.stringify(line)}\n`, false);
    for (const row of rows) this.#anchored.add(row);
  }

  /** Records that the batch finished (outputs written); durable. */
  async markComplete(): Promise<void> {
    if (this.#complete) return;
    await this.#append(`${JSON.stringify({ k: 'complete' } satisfies Line)}\n`, true);
    this.#complete = true;
  }

  /** Appends text (the file is opened in append mode), optionally followed by fdatasync, in queue order. */
  #append(text: string, sync: boolean): Promise<void> {
    const run = this.#queue.then(async () => {
      await this.#file.appendFile(text);
      if (sync) await this.#file.datasync();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#queue;
    await this.#file.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function pickHeader(header: JournalHeader): JournalHeader {
  return { type: header.type, issuerDid: header.issuerDid, inputSha256: header.inputSha256, rows: header.rows };
}

function damaged(path: string, line: number, why: string): CredledgerError {
  return new CredledgerError('INVALID_INPUT', `the batch journal is damaged at line ${line}: ${why}`, {
    details: { journal: path, line },
  });
}

/** Parses complete lines; a torn or unparsable LAST line is left out (its bytes are not counted). */
function parseLines(text: string, path: string): { lines: Line[]; validBytes: number } {
  const lines: Line[] = [];
  let validBytes = 0;
  let start = 0;
  let number = 0;
  while (start < text.length) {
    number++;
    const end = text.indexOf('\n', start);
    const isLast = end === -1 || end === text.length - 1;
    if (end === -1) break; // no newline: a torn final line
    const raw = text.slice(start, end);
    const line = parseLine(raw);
    if (!line) {
      if (isLast) break;
      throw damaged(path, number, 'unreadable line');
    }
    lines.push(line);
    validBytes += Buffer.byteLength(raw, 'utf8') + 1;
    start = end + 1;
  }
  return { lines, validBytes };
}

function parseLine(raw: string): Line | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  switch (v.k) {
    case 'header':
      return typeof v.type === 'string' &&
        typeof v.issuerDid === 'string' &&
        typeof v.inputSha256 === 'string' &&
        Number.isInteger(v.rows)
        ? (v as Line)
        : undefined;
    case 'signed':
      return Number.isInteger(v.row) && typeof v.id === 'string' && typeof v.jwt === 'string' ? (v as Line) : undefined;
    case 'anchored':
      return Array.isArray(v.rows) && v.rows.every((row) => Number.isInteger(row)) ? (v as Line) : undefined;
    case 'complete':
      return v as Line;
    default:
      return undefined;
  }
}
