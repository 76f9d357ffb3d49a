/**
 * Shared by `revoke`, `suspend` and `reinstate`: one id with `--reason`, or many from a CSV
 * (`id` column, optional `reason` column), grouped per issuer into bulk transactions, each submitted
 * by the issuer's own organisation.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';

import { action, CliError, type Context } from './context.js';
import { examples, type Wiring } from './program.js';
import { identityForIssuer, openLedgers, openWorkspace } from './workspace.js';

export type TargetStatus = 'REVOKED' | 'SUSPENDED' | 'ACTIVE';

interface StatusOptions {
  readonly reason?: string;
  readonly csv?: string;
  readonly as?: string;
}

/**
 * The reason codes of docs/data-model.md, spelled out here so that `--help` loads no sdk module;
 * cli/test/help.test.ts holds this list equal to the chaincode's.
 */
export const reasonCodes = [
  'DISCIPLINARY_SUSPENSION',
  'DISBARMENT',
  'SURRENDERED',
  'DECEASED',
  'ISSUED_IN_ERROR',
  'KEY_COMPROMISE',
  'SUPERSEDED',
  'COURT_ORDER',
  'SUSPENSION_LIFTED',
] as const;

export function registerStatusChange(
  program: Command,
  { t }: Wiring,
  verb: 'revoke' | 'suspend' | 'reinstate',
  status: TargetStatus,
  description: string,
  defaultReason: string | undefined,
  sample: string,
): void {
  const command = program
    .command(verb)
    .description(description)
    .argument('[id]', t.pick('憑證編號 urn:uuid:…', 'credential id urn:uuid:…'))
    .option(
      '--reason <code>',
      `${reasonCodes.join(' | ')}${defaultReason ? ` (${t.pick('預設', 'default')} ${defaultReason})` : ''}`,
    )
    .option(
      '--csv <file>',
      t.pick('批次：含 id（與可選 reason）欄的 CSV', 'bulk: CSV with an id (and optional reason) column'),
    )
    .option('--as <identity>', t.pick('代表發行者的身分', 'identity acting for the issuer'))
    .action(
      action(async (ctx, id: string | undefined, options: StatusOptions) => {
        await changeStatus(ctx, status, id, options, defaultReason);
      }),
    );
  examples(command, t, [
    `credledger ${verb} urn:uuid:… --reason ${sample}`,
    `credledger ${verb} --csv ids.csv --reason ${sample}`,
  ]);
}

function checkReason(reason: string | undefined, where: string): string {
  if (reason === undefined)
    throw new CliError('INVALID_INPUT', `a reason code is needed (${where})`, `--reason ${reasonCodes.join('|')}`);
  if (!(reasonCodes as readonly string[]).includes(reason))
    throw new CliError('INVALID_INPUT', `unknown reason code ${reason}`, `use one of ${reasonCodes.join(', ')}`);
  return reason;
}

async function changeStatus(
  ctx: Context,
  status: TargetStatus,
  id: string | undefined,
  options: StatusOptions,
  defaultReason: string | undefined,
): Promise<void> {
  const csv = options.csv;
  const requests: { id: string; reason: string }[] = [];
  if (id !== undefined && csv === undefined)
    requests.push({ id, reason: checkReason(options.reason ?? defaultReason, id) });
  else if (id === undefined && csv !== undefined) {
    const sdk = await import('@credledger/sdk');
    let text: string;
    try {
      text = await readFile(csv, 'utf8');
    } catch {
      throw new CliError('FILE_NOT_FOUND', `cannot read ${csv}`);
    }
    const table = sdk.parseCsv(text);
    const idColumn = table.header.indexOf('id');
    const reasonColumn = table.header.indexOf('reason');
    if (idColumn < 0) throw new CliError('INVALID_INPUT', `${csv} has no id column`);
    for (const record of table.records) {
      const rowReason = reasonColumn < 0 ? undefined : record.cells[reasonColumn]?.trim() || undefined;
      requests.push({
        id: (record.cells[idColumn] ?? '').trim(),
        reason: checkReason(rowReason ?? options.reason ?? defaultReason, `line ${record.line}`),
      });
    }
  } else throw new CliError('USAGE', 'give either one credential id or --csv <file>');

  const workspace = openWorkspace(ctx.options.workspace);
  const sdk = await import('@credledger/sdk');
  await using ledgers = await openLedgers(workspace);
  const reader = new sdk.Registry(await ledgers.as('NdcMSP/auditor'));
  const byIssuer = new Map<string, { id: string; status: TargetStatus; reason: string }[]>();
  for (const request of requests) {
    const record = await reader.getCredential(request.id);
    const list = byIssuer.get(record.issuerDid) ?? [];
    list.push({ id: request.id, status, reason: request.reason });
    byIssuer.set(record.issuerDid, list);
  }
  const changed: unknown[] = [];
  const unchanged: string[] = [];
  for (const [issuerDid, changes] of byIssuer) {
    const registry = new sdk.Registry(await ledgers.as(identityForIssuer(workspace, issuerDid, options.as)));
    for (let i = 0; i < changes.length; i += sdk.maxCredentialsPerTransaction) {
      const result = await registry.setCredentialStatuses({
        issuerDid,
        changes: changes.slice(i, i + sdk.maxCredentialsPerTransaction) as never,
      });
      changed.push(...result.changed);
      unchanged.push(...result.unchanged);
    }
  }
  if (ctx.options.json) ctx.emit({ changed, unchanged });
  else {
    for (const change of changed as { id: string; from: string; to: string; reason: string }[])
      ctx.say(`${change.id}: ${change.from} → ${change.to} (${change.reason})`);
    for (const same of unchanged) ctx.say(`${same}: ${ctx.pick('未變更（已是此狀態）', 'unchanged (already so)')}`);
  }
}
