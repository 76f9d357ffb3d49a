/**
 * `credledger issue-batch <type> --csv rows.csv --out dir/`: checks every row first (schema, one
 * credential per subject in the file and on the ledger), then issues with a progress bar; resumable
 * (rerun the same command after any interruption). QR images are a separate step (`--qr` runs it after
 * issuance, or `credledger qr-batch` later) so they never slow issuance.
 * What the command does; its arguments, options and help are wired in commands/issue-batch.ts, which
 * loads this module when the command runs.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { RowConflict, RowIssue } from '@credledger/issuer';

import { CliError, type Context, cliError } from '../context.js';
import type { I18n } from '../i18n.js';
import { cliExitCodes, exitCodes } from '../exit-codes.js';
import { openEarly, type EarlyOpening } from '../early-session.js';
import { openIssuing, type IssuingSession } from '../issuing.js';
import { canPrompt } from '../passphrase.js';
import { progressBar } from '../progress.js';
import { runQrBatch } from '../qr-batch-run.js';
import { type DocumentFormat } from '../document-output.js';
import { runPdfBatch } from '../pdf-batch-run.js';
import { validityFromFlags } from '../validity-args.js';
import { sdJwtFromFlags, type FormatFlags } from '../format-args.js';
import { connect, identityForIssuer, issuerForType, openWorkspace } from '../workspace.js';

interface IssueBatchOptions extends FormatFlags {
  readonly csv: string;
  readonly out: string;
  readonly dryRun?: boolean;
  readonly issuer?: string;
  readonly as?: string;
  readonly qr?: boolean;
  readonly pdf?: boolean;
  readonly pdfFormat: DocumentFormat;
  readonly supersede?: boolean;
  readonly perTx: string;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly allowExpired?: boolean;
}

/** Lines of a kind printed before the summary; the rest are in errors.csv (and all of them under --json). */
const printedLines = 20;

/** A planned supersession, one line per row: the credential the row replaces. */
function supersedeLine(ctx: Context, conflict: RowConflict): string {
  const held = `${conflict.credentialId} (${conflict.status})`;
  return ctx.pick(
    `第 ${conflict.line} 列：將換發 ${held}，舊憑證以「已換發」撤銷`,
    `row ${conflict.line}: will supersede ${held}, revoked as SUPERSEDED`,
  );
}

/**
 * The first row errors, each in the operator's language (a rule repeated for the same column is said
 * once, then referred to), and where all of them are. `out` prints a line (stdout, or stderr for a
 * refused run, whose report ends in an error line).
 */
function printRowIssues(
  ctx: Context,
  issuing: typeof import('@credledger/issuer'),
  issues: readonly RowIssue[],
  errorsCsv: string,
  out: (line: string) => void = (line) => {
    ctx.say(line);
  },
): void {
  const ruleSaidAt = new Map<string, number>();
  for (const issue of issues.slice(0, printedLines)) {
    const key = `${issue.column}\u0000${issue.rule.en}`;
    out(issuing.rowIssueText(issue, ctx.lang, ruleSaidAt.get(key)));
    if (!ruleSaidAt.has(key)) ruleSaidAt.set(key, issue.line);
  }
  const more = issues.length - printedLines;
  if (more > 0)
    out(
      ctx.pick(
        `…另有 ${count(more)} 個列錯誤；全部列於 ${errorsCsv}`,
        `… and ${count(more)} more row error${more === 1 ? '' : 's'}; all of them in ${errorsCsv}`,
      ),
    );
  else if (issues.length > 0) out(ctx.pick(`以上錯誤也寫入 ${errorsCsv}`, `these errors are also in ${errorsCsv}`));
}

/**
 * Writes every row error to `errors.csv` in the output folder, owner-only (0600 in a 0700 folder: it
 * quotes names and licence numbers), or removes an earlier run's when there is none, so a stale list
 * never misleads anyone.
 */
async function writeRowErrors(
  ctx: Context,
  issuing: typeof import('@credledger/issuer'),
  out: string,
  errors: readonly RowIssue[],
): Promise<void> {
  const errorsCsv = join(out, issuing.rowIssuesCsvName);
  if (errors.length === 0) {
    await rm(errorsCsv, { force: true });
    return;
  }
  await mkdir(out, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw cliError('FILE_NOT_FOUND', 'outputDir', { dir: out }, { details: { cause: String(error) } });
  });
  await issuing.writeRowIssuesCsv(errorsCsv, errors, ctx.lang);
}

/** Row errors of the file and of the ledger together, in file order (a row has one kind or the other). */
function byLine(...lists: (readonly RowIssue[])[]): RowIssue[] {
  return lists.flat().sort((a, b) => a.line - b.line);
}

/**
 * The error that refuses a batch whose rows' subjects already have credentials: the first such row,
 * how many more, and every conflict in `details` (so `--json` has them all).
 */
function conflictError(
  conflicts: readonly RowConflict[],
  blocking: readonly RowConflict[],
  supersede: boolean,
  type: string,
  issuerDid: string,
  errorsCsv: string,
): CliError {
  const first = blocking[0];
  const details = { details: { conflicts, count: blocking.length, errorsCsv } };
  const said = {
    line: first?.line ?? '?',
    status: first?.status ?? '',
    id: first?.credentialId ?? '',
    type,
    issuer: issuerDid,
  };
  const more = { ...said, more: count(blocking.length - 1), file: errorsCsv };
  if (supersede && blocking.some((conflict) => conflict.status === 'SUSPENDED'))
    return blocking.length === 1
      ? cliError('INVALID_TRANSITION', 'batchSuspended', said, details)
      : cliError('INVALID_TRANSITION', 'batchSuspendedMany', more, details);
  return blocking.length === 1
    ? cliError('SUBJECT_HAS_ACTIVE_CREDENTIAL', 'batchHeld', said, details)
    : cliError('SUBJECT_HAS_ACTIVE_CREDENTIAL', 'batchHeldMany', more, details);
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Reads and checks the batch input; a problem of the whole file (encoding, header, CSV syntax) gets the
 * template as its next step.
 */
async function readInput(
  issuing: typeof import('@credledger/issuer'),
  csv: string,
  type: string,
  t: I18n,
): Promise<Awaited<ReturnType<typeof import('@credledger/issuer').readBatchInput>>> {
  try {
    return await issuing.readBatchInput(csv, type);
  } catch (error) {
    if (!(await import('@credledger/verify')).isCredledgerError(error, 'INVALID_INPUT')) throw error;
    throw new CliError(
      error.code,
      error.message,
      t.pick(
        `執行 \`credledger types ${type}\` 查看欄位規則，或由 \`credledger types ${type} --csv-template\` 取得範本`,
        `run \`credledger types ${type}\` for the columns and their rules, or start from \`credledger types ${type} --csv-template\``,
      ),
      error.details,
    );
  }
}

/**
 * The issuing session of a batch: the ledger, the key and the status index. The embedded ledger runs on
 * this thread: on a worker thread of its own a batch took more CPU and was slower (decision 0044).
 */
function openBatchSession(
  ctx: Context,
  type: string,
  options: IssueBatchOptions,
  perTx: number,
): Promise<IssuingSession> {
  const workspace = openWorkspace(ctx.options.workspace);
  const issuerDid = issuerForType(workspace, type, options.issuer);
  return openIssuing(workspace, issuerDid, options.as, ctx.keyPassphrase, { anchorBatchSize: perTx });
}

/** The action of `credledger issue-batch`. */
export async function issueBatch(ctx: Context, type: string, options: IssueBatchOptions): Promise<void> {
  const perTx = Number(options.perTx);
  if (!Number.isInteger(perTx) || perTx < 1 || perTx > 2000) throw cliError('INVALID_INPUT', 'perTx', {});
  // Where no passphrase can be asked for (no terminal), the session opens while the CSV is read and
  // checked; on a terminal its prompts come after the check, as they always did.
  const early =
    options.dryRun === true || canPrompt() ? undefined : openEarly(() => openBatchSession(ctx, type, options, perTx));
  try {
    await issueBatchWith(ctx, type, options, perTx, early);
  } finally {
    await early?.drop();
  }
}

async function issueBatchWith(
  ctx: Context,
  type: string,
  options: IssueBatchOptions,
  perTx: number,
  early: EarlyOpening<IssuingSession> | undefined,
): Promise<void> {
  const [issuing, { Registry }] = await Promise.all([import('@credledger/issuer'), import('@credledger/ledger')]);
  const validity = await validityFromFlags(type, options, ctx);
  const sdJwt = await sdJwtFromFlags(options);
  if (sdJwt !== undefined && (options.qr === true || options.pdf === true))
    throw cliError('INVALID_INPUT', 'sdJwtNoQr', {});
  const input = await readInput(issuing, options.csv, type, ctx);
  const supersede = options.supersede === true;
  const errorsCsv = join(options.out, issuing.rowIssuesCsvName);
  const invalid = new Set(input.issues.map((issue) => issue.row)).size;
  // A row naming an earlier row's subject passed its schema check but is not valid in this batch.
  const valid = input.total - invalid;
  const rowsLine = (): string =>
    ctx.pick(
      `${count(input.total)} 列，${count(valid)} 列正確，${count(invalid)} 列有誤（${count(input.issues.length)} 個錯誤）`,
      `${count(input.total)} rows, ${count(valid)} valid, ${count(invalid)} invalid (${count(input.issues.length)} error${input.issues.length === 1 ? '' : 's'})`,
    );

  if (input.issues.length > 0 && !options.dryRun) {
    await writeRowErrors(ctx, issuing, options.out, input.issues);
    if (ctx.options.json) ctx.emit({ rows: input.total, valid, invalid, issues: input.issues, errorsCsv });
    else {
      printRowIssues(ctx, issuing, input.issues, errorsCsv);
      ctx.say(rowsLine());
    }
    ctx.note(ctx.pick('有錯誤的列，未核發任何憑證', 'rows have errors; nothing was issued'));
    ctx.exit(cliExitCodes.ROWS_INVALID);
    return;
  }

  const workspace = openWorkspace(ctx.options.workspace);
  const issuerDid = issuerForType(workspace, type, options.issuer);
  if (options.dryRun) {
    // Read-only: the rows checked against the ledger as the issuer's operator, nothing signed or written.
    let conflicts: RowConflict[] = [];
    if (input.rows.length > 0) {
      await using opened = await connect(workspace, identityForIssuer(workspace, issuerDid, options.as));
      conflicts = await issuing.findBatchConflicts(input, new Registry(opened.ledger), issuerDid, options.out);
    }
    // Only a conflict that would refuse the batch is an error; one --supersede resolves is a plan.
    const held = issuing.conflictIssues(input, conflicts, { supersede });
    const errors = byLine(input.issues, held);
    const blocking = conflicts.filter((c) => !supersede || c.status === 'SUSPENDED');
    const superseding = conflicts.filter((c) => !blocking.includes(c));
    await writeRowErrors(ctx, issuing, options.out, errors);
    if (ctx.options.json)
      ctx.emit({
        rows: input.total,
        valid,
        invalid,
        issues: input.issues,
        conflicts,
        supersede,
        ...(errors.length > 0 ? { errorsCsv } : {}),
      });
    else {
      printRowIssues(ctx, issuing, errors, errorsCsv);
      for (const conflict of superseding.slice(0, printedLines)) ctx.say(supersedeLine(ctx, conflict));
      if (superseding.length > printedLines)
        ctx.say(
          ctx.pick(
            `…另有 ${count(superseding.length - printedLines)} 列將換發（--json 列出全部）`,
            `… and ${count(superseding.length - printedLines)} more rows to supersede (--json lists them all)`,
          ),
        );
      ctx.say(
        rowsLine() +
          ctx.pick(
            `，${count(blocking.length)} 列的對象已有憑證` +
              (superseding.length > 0 ? `，${count(superseding.length)} 列將換發` : ''),
            `, ${count(blocking.length)} already have a credential` +
              (superseding.length > 0 ? `, ${count(superseding.length)} to supersede` : ''),
          ),
      );
    }
    if (input.issues.length > 0) ctx.exit(cliExitCodes.ROWS_INVALID);
    else if (blocking.some((c) => c.status === 'SUSPENDED') && supersede) ctx.exit(exitCodes.INVALID_TRANSITION);
    else if (blocking.length > 0) ctx.exit(exitCodes.SUBJECT_HAS_ACTIVE_CREDENTIAL);
    return;
  }

  using bar = progressBar({ label: ctx.pick('核發', 'issuing'), t: ctx, silent: ctx.options.json });
  const started = performance.now();
  let result;
  let issuerName;
  {
    await using session = await (early?.take() ?? openBatchSession(ctx, type, options, perTx));
    issuerName = session.record.name;
    // The dry run's ledger check first: a batch refused for subjects that already have credentials
    // writes nothing but errors.csv (the issuer checks again before signing, against races).
    const conflicts = await issuing.findBatchConflicts(input, session.registry, issuerDid, options.out);
    const held = issuing.conflictIssues(input, conflicts, { supersede });
    await writeRowErrors(ctx, issuing, options.out, held);
    if (held.length > 0) {
      if (!ctx.options.json)
        printRowIssues(ctx, issuing, held, errorsCsv, (line) => {
          ctx.note(line);
        });
      const blocking = conflicts.filter((c) => !supersede || c.status === 'SUSPENDED');
      throw conflictError(conflicts, blocking, supersede, type, issuerDid, errorsCsv);
    }
    result = await issuing
      .issueBatchResumable(input, session.issuer, {
        outDir: options.out,
        validity,
        supersede,
        // Just read above: the issuer refuses by these instead of reading the same holders again.
        conflicts,
        ...(sdJwt === undefined ? {} : { sdJwt }),
        onProgress: (p) => {
          bar.update(p.done - p.resumedFrom, p.total - p.resumedFrom);
        },
      })
      .catch(async (error: unknown) => {
        // A subject taken between the check above and signing: the issuer's own refusal, with the
        // conflicts it names (nothing was signed or written).
        const raced = (error as { details?: { conflicts?: unknown } }).details?.conflicts;
        if (Array.isArray(raced)) {
          const issues = issuing.conflictIssues(input, raced as RowConflict[], { supersede });
          await writeRowErrors(ctx, issuing, options.out, issues);
          if (!ctx.options.json)
            printRowIssues(ctx, issuing, issues, errorsCsv, (line) => {
              ctx.note(line);
            });
        }
        throw error;
      });
  }
  bar.finish();
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    issued: result.rows.length,
    signedNow: result.signedNow,
    superseded: result.superseded,
    anchoredNow: result.anchoredNow,
    seconds: Math.round(seconds * 1000) / 1000,
    repairedFiles: result.repairedFiles,
    timings: result.timings,
    resultCsv: result.resultCsv,
    journal: result.journal,
  };
  let qr: { rendered: number; seconds: number } | undefined;
  if (options.qr) qr = await runQrBatch(workspace, options.out, { t: ctx, silent: ctx.options.json });
  const pdf = options.pdf
    ? await runPdfBatch(workspace, options.out, {
        t: ctx,
        silent: ctx.options.json,
        format: options.pdfFormat,
        issuerName,
      })
    : undefined;
  if (ctx.options.json) ctx.emit({ ...summary, ...(qr ? { qr } : {}), ...(pdf ? { pdf } : {}) });
  else {
    ctx.say(
      ctx.pick(
        `已核發 ${summary.issued} 張（本次簽署 ${summary.signedNow}），${summary.seconds} 秒`,
        `issued ${summary.issued} (signed ${summary.signedNow} in this run) in ${summary.seconds} s`,
      ),
    );
    if (summary.superseded.length > 0)
      ctx.say(
        ctx.pick(
          `換發 ${summary.superseded.length} 張：舊憑證已以「已換發」撤銷`,
          `superseded ${summary.superseded.length}: the old credentials are revoked as SUPERSEDED`,
        ),
      );
    ctx.say(ctx.pick(`結果：${summary.resultCsv}`, `result: ${summary.resultCsv}`));
    if (qr)
      ctx.say(ctx.pick(`QR：${qr.rendered} 張，${qr.seconds} 秒`, `QR: ${qr.rendered} images in ${qr.seconds} s`));
    if (pdf)
      ctx.say(
        ctx.pick(
          `PDF：新產生 ${pdf.rendered} 份，略過 ${pdf.skipped} 份，${pdf.seconds} 秒（${join(options.out, 'pdf')}）`,
          `PDF: ${pdf.rendered} documents in ${pdf.seconds} s, ${pdf.skipped} already present (${join(options.out, 'pdf')})`,
        ),
      );
  }
}
