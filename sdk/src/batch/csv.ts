/**
 * CSV in and out for bulk operations (RFC 4180: comma separated, `"` quoting with `""` escapes, fields
 * may span lines, CRLF or LF). Each record keeps the 1-based line number it starts on, because that is
 * what an operator looks for in a spreadsheet export when a row is refused.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
import { CredledgerError } from '../errors.js';
import type { CredentialTypeDefinition, FieldDefinition } from '../credentials/types/definition.js';

/** One CSV record and the line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly cells: readonly string[];
}

/** A parsed CSV: its header cells and the data records after it (blank lines skipped). */
export interface CsvTable {
  readonly header: readonly string[];
  readonly records: readonly CsvRecord[];
}

/** True for what ends a run of an unquoted field: `,` `"` CR LF. */
function stopsUnquoted(code: number): boolean {
  return code === 0x2c || code === 0x22 || code === 0x0d || code === 0x0a;
}

/**
 * Parses CSV text. A leading UTF-8 BOM (as spreadsheet programs write) is ignored.
 * Fails: INVALID_INPUT for an unterminated quoted field or a stray quote inside an unquoted field.
 */
export function parseCsv(text: string): CsvTable {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let cellStarted = false;

  const endCell = (): void => {
    cells.push(cell);
    cell = '';
    cellStarted = false;
  };
  const endRecord = (): void => {
    endCell();
    // A blank line is no record (spreadsheets leave them at the end).
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
  };

  while (i < input.length) {
    const ch = input.charAt(i);
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = input[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw csvError(line, 'unexpected text after a closing quote');
        }
        continue;
      }
      // Up to the next quote in one piece (a 10,000-row file is megabytes; char by char costs ~0.4 s).
      const end = input.indexOf('"', i);
      const piece = input.slice(i, end < 0 ? input.length : end);
      for (let n = piece.indexOf('\n'); n >= 0; n = piece.indexOf('\n', n + 1)) line++;
      cell += piece;
      i += piece.length;
      continue;
    }
    if (ch === '"') {
      if (cellStarted) throw csvError(line, 'a quote inside an unquoted field');
      quoted = true;
      cellStarted = true;
      i++;
      continue;
    }
    if (ch === ',') {
      endCell();
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    // Up to the next comma, quote or line break in one piece.
    let end = i + 1;
    while (end < input.length && !stopsUnquoted(input.charCodeAt(end))) end++;
    cell += input.slice(i, end);
    cellStarted = true;
    i = end;
  }
  if (quoted) throw csvError(recordLine, 'a quoted field is not closed');
  if (cell !== '' || cells.length > 0) endRecord();

  const [first, ...rest] = records;
  if (!first) throw new CredledgerError('INVALID_INPUT', 'the CSV file is empty (it needs a header row)');
  return { header: first.cells.map((name) => name.trim()), records: rest };
}

function csvError(line: number, why: string): CredledgerError {
  return new CredledgerError('INVALID_INPUT', `CSV line ${line}: ${why}`, { details: { line } });
}

/** Quotes a cell when it needs it; a leading `= + - @` is prefixed with `'` so spreadsheets never run it as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line (with its CRLF, as RFC 4180 writes it). */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A problem with one cell of a batch input, located for the operator. */
export interface RowIssue {
  /** 1-based line in the CSV file where the record starts. */
  readonly line: number;
  /** 0-based index of the data record. */
  readonly row: number;
  /** The subject field (or CSV column) at fault. */
  readonly field: string;
  readonly message: string;
}

/** Separator of list items inside one cell: `臺北律師公會;臺中律師公會`. */
export const listSeparator = ';';

/**
 * Maps CSV columns onto a credential type's subject fields and finds columns that belong to no field.
 * Column names are the field names (`licenceNumber`); kebab-case and snake_case spellings are accepted.
 * Fails: INVALID_INPUT naming unknown or repeated columns (checked once, before any row).
 */
export function columnsFor(
  type: CredentialTypeDefinition,
  header: readonly string[],
): readonly (FieldDefinition | undefined)[] {
  const byName = new Map(type.fields.map((field) => [normalise(field.name), field]));
  const seen = new Set<string>();
  return header.map((column) => {
    if (column === '') return undefined;
    const field = byName.get(normalise(column));
    if (!field) {
      throw new CredledgerError(
        'INVALID_INPUT',
        `CSV column ${JSON.stringify(column)} is not a field of ${type.name}`,
        {
          details: { field: column, known: type.fields.map((f) => f.name) },
        },
      );
    }
    if (seen.has(field.name)) {
      throw new CredledgerError('INVALID_INPUT', `CSV column ${JSON.stringify(column)} appears twice`, {
        details: { field: column },
      });
    }
    seen.add(field.name);
    return field;
  });
}

function normalise(name: string): string {
  return name.replace(/[-_\s]/g, '').toLowerCase();
}

/**
 * Turns one record into a credential subject as JSON: empty cells are absent, list cells are split on
 * `;`, integer cells become numbers (a non-number stays a string so the schema check names the field).
 */
export function recordToSubject(
  columns: readonly (FieldDefinition | undefined)[],
  cells: readonly string[],
): Record<string, unknown> {
  const subject: Record<string, unknown> = {};
  columns.forEach((field, index) => {
    if (!field) return;
    const raw = (cells[index] ?? '').trim();
    if (raw === '') return;
    subject[field.name] = cellValue(field, raw);
  });
  return subject;
}

function cellValue(field: FieldDefinition, raw: string): unknown {
  if (field.type === 'list') {
    const items = raw
      .split(listSeparator)
      .map((item) => item.trim())
      .filter((item) => item !== '');
    return field.items.type === 'integer' ? items.map(toInteger) : items;
  }
  return field.type === 'integer' ? toInteger(raw) : raw;
}

function toInteger(raw: string): number | string {
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
}
