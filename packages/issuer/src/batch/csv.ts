/**
 * CSV in and out for bulk operations (RFC 4180: comma separated, `"` quoting with `""` escapes, fields
 * may span lines, CRLF or LF). Each record keeps the 1-based line number it starts on, because that is
 * what an operator looks for in a spreadsheet export when a row is refused.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
import { CredledgerError, type SchemaProblem, visibleChars } from '@credledger/verify';
import { issueSentence } from '@credledger/verify/formats';
import type { CredentialTypeDefinition, FieldDefinition, Label } from '@credledger/verify';

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

const label = (zh: string, en: string): Label => ({ 'zh-TW': zh, en });

/** An INVALID_INPUT error about the whole file: English message, both languages in `details.localized`. */
function fileError(problem: string, text: Label, details: Record<string, unknown> = {}): CredledgerError {
  return new CredledgerError('INVALID_INPUT', text.en, { details: { problem, ...details, localized: text } });
}

const saveAsUtf8 = label(
  '請在試算表中另存為「CSV UTF-8（逗號分隔）」',
  'save it from the spreadsheet as "CSV UTF-8 (comma delimited)"',
);

/**
 * Decodes a CSV file's bytes as UTF-8, the one encoding the batch input takes. A UTF-8 byte-order mark
 * (what spreadsheet programs write) is dropped silently. Fails (once, for the whole file): INVALID_INPUT
 * with `details.problem` `utf-16` for UTF-16 text (a spreadsheet's "Unicode text"), `not-utf-8` naming the
 * first line that is not UTF-8 (a plain "CSV" saved in Big5 or another legacy code page).
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  const [b0, b1] = bytes;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    throw fileError(
      'utf-16',
      label(
        `CSV 檔是 UTF-16 文字（試算表的「Unicode 文字」），不是 UTF-8；${saveAsUtf8['zh-TW']}`,
        `the CSV file is UTF-16 text (a spreadsheet's "Unicode text"), not UTF-8; ${saveAsUtf8.en}`,
      ),
    );
  }
  try {
    // `ignoreBOM: false` (the default) drops one leading UTF-8 BOM.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const at = lenient.indexOf('\uFFFD');
    const line = lenient.slice(0, Math.max(0, at)).split('\n').length;
    throw fileError(
      'not-utf-8',
      label(
        `CSV 檔不是 UTF-8 文字（第 ${line} 行起；試算表的一般「CSV」會存成 Big5 等舊編碼）；${saveAsUtf8['zh-TW']}`,
        `the CSV file is not UTF-8 text (from line ${line}; a spreadsheet's plain "CSV" is saved in Big5 or another legacy encoding); ${saveAsUtf8.en}`,
      ),
      { line },
    );
  }
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
          throw csvError(line, label('右引號後面還有文字', 'unexpected text after a closing quote'));
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
      if (cellStarted) throw csvError(line, label('未加引號的欄位中有引號', 'a quote inside an unquoted field'));
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
  if (quoted) throw csvError(recordLine, label('引號欄位沒有結束引號', 'a quoted field is not closed'));
  if (cell !== '' || cells.length > 0) endRecord();

  const [first, ...rest] = records;
  if (!first)
    throw fileError('empty', label('CSV 檔是空的（需要一列標題）', 'the CSV file is empty (it needs a header row)'));
  return { header: first.cells.map((name) => name.trim()), records: rest };
}

function csvError(line: number, why: Label): CredledgerError {
  return fileError('csv-syntax', label(`CSV 第 ${line} 行：${why['zh-TW']}`, `CSV line ${line}: ${why.en}`), { line });
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

/** A problem with one cell (or one record) of a batch input, located for the operator. */
export interface RowIssue {
  /** 1-based line in the CSV file where the record starts: the row number a spreadsheet shows. */
  readonly line: number;
  /** 0-based index of the data record. */
  readonly row: number;
  /** The subject field at fault (`barMemberships[1]` for a list item), or `(row)` for the record as a whole. */
  readonly field: string;
  /** The CSV column as the header spells it; empty for the record as a whole. */
  readonly column: string;
  readonly problem: SchemaProblem | 'extra-cells' | 'same-subject' | 'subject-held';
  /** The offending value as the message shows it: at most 80 characters, invisible ones as ⟨U+XXXX⟩. */
  readonly value?: string;
  readonly reason: Label;
  readonly rule: Label;
  /** The issue in English: `row 12, column name: "Wаng" mixes Latin and Cyrillic letters: … (rule: …)`. */
  readonly message: string;
  /** For a row naming the same subject as an earlier row: that row's line. */
  readonly duplicateOf?: number;
}

/** A row issue with its English `message`, made from the rest of it. */
export function rowIssue(issue: Omit<RowIssue, 'message'>): RowIssue {
  return { ...issue, message: rowIssueText({ ...issue, message: '' }, 'en') };
}

/**
 * A row issue as one line in a language (what `message` says in English). `ruleAsFor`, the row of an
 * earlier line with the same rule, shortens the rule to a reference to that line.
 */
export function rowIssueText(issue: RowIssue, lang: keyof Label, ruleAsFor?: number): string {
  const rule =
    ruleAsFor === undefined ? issue.rule : label(`同上方第 ${ruleAsFor} 列`, `as for row ${ruleAsFor} above`);
  const text = issueSentence(issue.value, issue.reason, rule, lang);
  const where =
    lang === 'en'
      ? `row ${issue.line}${issue.column === '' ? '' : `, column ${issue.column}`}`
      : `第 ${issue.line} 列${issue.column === '' ? '' : `，欄位 ${issue.column}`}`;
  return `${where}${lang === 'en' ? ': ' : '：'}${text}`;
}

/** Separator of list items inside one cell: `臺北律師公會;臺中律師公會`. */
export const listSeparator = ';';

/**
 * Maps CSV columns onto a credential type's subject fields. Column names are the field names
 * (`licenceNumber`); kebab-case and snake_case spellings are accepted, and empty header cells ignored.
 * Fails, once for the whole file, naming every problem and the columns expected: INVALID_INPUT
 * (`details.problem` `csv-header`) for unknown or repeated columns, a missing column of a field every
 * row requires, or a header garbled by a byte-order mark read in the wrong encoding.
 */
export function columnsFor(
  type: CredentialTypeDefinition,
  header: readonly string[],
): readonly (FieldDefinition | undefined)[] {
  const byName = new Map(type.fields.map((field) => [normalise(field.name), field]));
  const seen = new Set<string>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  const columns = header.map((column) => {
    if (column === '') return undefined;
    const field = byName.get(normalise(column));
    if (!field) unknown.push(column);
    else if (seen.has(field.name)) repeated.push(column);
    else seen.add(field.name);
    return field;
  });
  const missing = type.fields.filter((f) => f.required && f.when === undefined && !seen.has(f.name)).map((f) => f.name);
  // "ï»¿": a UTF-8 byte-order mark that was read as Windows-1252 and saved again as UTF-8.
  const garbled = header[0]?.startsWith('\u00EF\u00BB\u00BF') === true;
  if (!garbled && unknown.length === 0 && repeated.length === 0 && missing.length === 0) return columns;

  if (garbled) {
    // The whole file went through the wrong encoding once; every other complaint would follow from that.
    throw fileError(
      'csv-encoding',
      label(
        `標題列以亂碼 "ï»¿" 開頭：檔案曾以錯誤的編碼讀取後再存檔，中文也已成亂碼；${saveAsUtf8['zh-TW']}`,
        `the header starts with "ï»¿": the file was read in the wrong encoding and saved again, so its Chinese text is garbled too; ${saveAsUtf8.en}`,
      ),
    );
  }
  const quote = (names: readonly string[], separator = ', '): string =>
    names.map((n) => JSON.stringify(n)).join(separator);
  const zh: string[] = [];
  const en: string[] = [];
  if (unknown.length > 0) {
    zh.push(`未知的欄位 ${quote(unknown, '、')}`);
    en.push(`unknown column${unknown.length > 1 ? 's' : ''} ${quote(unknown)}`);
  }
  if (repeated.length > 0) {
    zh.push(`重複的欄位 ${quote(repeated, '、')}`);
    en.push(`repeated column${repeated.length > 1 ? 's' : ''} ${quote(repeated)}`);
  }
  if (missing.length > 0) {
    zh.push(`缺少必填欄位 ${quote(missing, '、')}`);
    en.push(`missing required column${missing.length > 1 ? 's' : ''} ${quote(missing)}`);
  }
  const expected = type.fields.map((f) => `${f.name}${f.required && f.when === undefined ? '*' : ''}`);
  throw fileError(
    'csv-header',
    label(
      `CSV 標題列與 ${type.name} 不符：${zh.join('；')}。應有的欄位：${expected.join('、')}（* 為必填）`,
      `the CSV header does not fit ${type.name}: ${en.join('; ')}. Expected columns: ${expected.join(', ')} (* required)`,
    ),
    {
      // `field`: the first column at fault, as earlier versions named it.
      field: unknown[0] ?? repeated[0] ?? missing[0],
      unknown,
      repeated,
      missing,
      expected: type.fields.map((f) => f.name),
    },
  );
}

/**
 * The whole-file error for columns that the type requires only for some rows (`representative` when
 * `kind` is company-registration) when the file has no such column yet has rows that need it: said once,
 * with how many rows need it, instead of once per row.
 */
export function missingColumnsError(
  type: CredentialTypeDefinition,
  missing: readonly { readonly field: FieldDefinition; readonly rows: number }[],
): CredledgerError {
  const zh = missing.map(({ field, rows }) => {
    const when = field.when ? `${field.when.field} 為 ${field.when.in.join(' / ')} 時必填` : '必填';
    return `"${field.name}"（${when}；${rows.toLocaleString('en-US')} 列需要）`;
  });
  const en = missing.map(({ field, rows }) => {
    const when = field.when ? `required when ${field.when.field} is ${field.when.in.join(' / ')}` : 'required';
    return `"${field.name}" (${when}; ${rows.toLocaleString('en-US')} ${rows === 1 ? 'row needs' : 'rows need'} it)`;
  });
  return fileError(
    'csv-header',
    label(`CSV 檔缺少欄位 ${zh.join('、')}`, `the CSV file has no column ${en.join(', ')}`),
    { missing: missing.map(({ field }) => field.name) },
  );
}

/** A record with more cells than the header has columns (a comma in an unquoted value shifts the rest). */
export function extraCellsIssue(record: CsvRecord, row: number, width: number): RowIssue {
  const n = record.cells.length;
  const reason = label(
    `有 ${n} 格，但標題列只有 ${width} 欄（含逗號的值沒有加引號？）`,
    `has ${n} cells, but the header has ${width} columns (a value with a comma not in double quotes?)`,
  );
  const rule = label(
    '每列的格數與標題列相同；含逗號的值以雙引號括住',
    'one cell per header column; a value containing a comma is written in double quotes',
  );
  const issue = {
    line: record.line,
    row,
    field: '(row)',
    column: '',
    problem: 'extra-cells' as const,
    value: visibleChars(record.cells.slice(width).join(',')),
    reason,
    rule,
  };
  return rowIssue(issue);
}

/**
 * A row naming the same subject (licence number, 統一編號, …) as the row on line `earlier`: a batch
 * issues one credential per subject, or it would leave two ACTIVE ones, or revoke the first at once.
 */
export function sameSubjectIssue(
  row: { readonly row: number; readonly line: number },
  column: string,
  fields: readonly string[],
  earlier: number,
  value: string | undefined,
): RowIssue {
  const issue = {
    line: row.line,
    row: row.row,
    field: fields.at(-1) ?? '(row)',
    column,
    problem: 'same-subject' as const,
    ...(value === undefined ? {} : { value }),
    reason: label(
      `與第 ${earlier} 列為同一對象（${fields.join('、')}）`,
      `names the same subject (${fields.join(', ')}) as row ${earlier}`,
    ),
    rule: label('一批對每個對象只核發一張', 'a batch issues one credential per subject'),
    duplicateOf: earlier,
  };
  return rowIssue(issue);
}

/**
 * A row whose subject already has a credential of the issuer and type on the ledger, which blocks the
 * row: an ACTIVE one unless the batch supersedes, a SUSPENDED one always (it is reinstated or revoked
 * first). Named by the column and value of the subject's identifier, like every row issue.
 */
export function heldSubjectIssue(
  row: { readonly row: number; readonly line: number },
  column: string,
  fields: readonly string[],
  value: string | undefined,
  held: { readonly credentialId: string; readonly status: string },
): RowIssue {
  const suspended = held.status === 'SUSPENDED';
  const issue = {
    line: row.line,
    row: row.row,
    field: fields.at(-1) ?? '(row)',
    column,
    problem: 'subject-held' as const,
    ...(value === undefined ? {} : { value }),
    reason: suspended
      ? label(`已有停止中的憑證 ${held.credentialId}`, `already has ${held.credentialId}, which is suspended`)
      : label(`已有有效憑證 ${held.credentialId}`, `already has ${held.credentialId} (${held.status})`),
    rule: suspended
      ? label(
          '停止中的憑證不能換發：須先恢復或撤銷',
          'a suspended credential is not superseded: reinstate or revoke it first',
        )
      : label(
          '每個對象只有一張有效憑證；換發請加上 --supersede',
          'one ACTIVE credential per subject; --supersede replaces it',
        ),
  };
  return rowIssue(issue);
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

/**
 * A CSV template of a credential type: the header (every field, in order) and one example row made of
 * the fields' examples, for the kind the examples name (fields of other kinds left empty). The example
 * row passes the type's schema, so an operator starts from a file that works.
 */
export function csvTemplate(type: CredentialTypeDefinition): string {
  const example: Record<string, FieldDefinition['example']> = {};
  for (const field of type.fields) if (field.example !== undefined) example[field.name] = field.example;
  const cells = type.fields.map((field) => {
    const value = example[field.name];
    const applies = field.when === undefined || field.when.in.includes(example[field.when.field] as string);
    if (value === undefined || !applies) return '';
    return Array.isArray(value) ? value.join(listSeparator) : String(value);
  });
  return csvLine(type.fields.map((f) => f.name)) + csvLine(cells);
}
