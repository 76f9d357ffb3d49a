/**
 * The action of `revoke`, `suspend` and `reinstate` (wiring: status-change.ts): one id with `--reason`,
 * or many from a CSV (`id` column, optional `reason` column), grouped per issuer into bulk
 * transactions, each submitted by the issuer's own organisation.
 */
import { readFile } from 'node:fs/promises';

import { reasonLabels, type ReasonCode } from '@credledger/vocabulary';

import { cliError, type Context, type Run, withDetails } from '../context.js';
import { codeInWords, statusWords } from '../i18n.js';
import { identityForIssuer, openLedgers, openWorkspace, readerIdentity } from '../workspace.js';
import { reasonsByHand, reasonsForStatus, setByIssuance, type TargetStatus } from '../status-reasons.js';

export interface StatusOptions {
  readonly reason?: string;
  readonly csv?: string;
  readonly as?: string;
}

/** The reason, when `verb` accepts it; checked before anything is read from or sent to the ledger. */
function checkReason(
  quoteInput: (value: string) => string,
  verb: string,
  status: TargetStatus,
  reason: string | undefined,
  where: { readonly id: string } | { readonly line: number },
): string {
  const accepted = reasonsByHand(status).join(', ');
  const hint = {
    'zh-TW': `\`credledger ${verb} --help\` 列出每個理由的意義`,
    en: `\`credledger ${verb} --help\` lists what each reason means`,
  };
  if (reason === undefined)
    throw 'id' in where
      ? cliError('INVALID_INPUT', 'reasonMissing', { verb, id: quoteInput(where.id), accepted }, { hint })
      : cliError('INVALID_INPUT', 'reasonMissingOnLine', { verb, line: where.line, accepted }, { hint });
  if ((setByIssuance as readonly string[]).includes(reason) && reasonsForStatus(status).includes(reason as ReasonCode))
    throw 'id' in where
      ? cliError('INVALID_INPUT', 'supersededByHand', { verb, reason, id: quoteInput(where.id) }, { hint })
      : cliError('INVALID_INPUT', 'supersededByHandOnLine', { verb, reason, line: where.line }, { hint });
  if (!reasonsByHand(status).includes(reason as ReasonCode))
    throw 'id' in where
      ? cliError(
          'INVALID_INPUT',
          'reasonRefused',
          { verb, reason: quoteInput(reason), id: quoteInput(where.id), accepted },
          { hint },
        )
      : cliError(
          'INVALID_INPUT',
          'reasonRefusedOnLine',
          { verb, reason: quoteInput(reason), line: where.line, accepted },
          { hint },
        );
  return reason;
}

async function changeStatus(
  ctx: Context,
  verb: string,
  status: TargetStatus,
  id: string | undefined,
  options: StatusOptions,
  defaultReason: string | undefined,
): Promise<void> {
  const { quoteInput } = await import('@credledger/verify');
  const csv = options.csv;
  const requests: { id: string; reason: string }[] = [];
  if (id !== undefined && csv === undefined)
    requests.push({
      id,
      reason: checkReason(quoteInput, verb, status, options.reason ?? defaultReason, { id }),
    });
  else if (id === undefined && csv !== undefined) {
    const { parseCsv } = await import('@credledger/issuer');
    let text: string;
    try {
      text = await readFile(csv, 'utf8');
    } catch {
      throw cliError('FILE_NOT_FOUND', 'cannotRead', { file: csv });
    }
    const table = parseCsv(text);
    const idColumn = table.header.indexOf('id');
    const reasonColumn = table.header.indexOf('reason');
    if (idColumn < 0) throw cliError('INVALID_INPUT', 'noIdColumn', { file: csv });
    for (const record of table.records) {
      const rowReason = reasonColumn < 0 ? undefined : record.cells[reasonColumn]?.trim() || undefined;
      requests.push({
        id: (record.cells[idColumn] ?? '').trim(),
        reason: checkReason(quoteInput, verb, status, rowReason ?? options.reason ?? defaultReason, {
          line: record.line,
        }),
      });
    }
  } else throw cliError('USAGE', 'idOrCsv', {});

  const workspace = openWorkspace(ctx.options.workspace);
  const { Registry, maxCredentialsPerTransaction } = await import('@credledger/ledger');
  await using ledgers = await openLedgers(workspace);
  // Read as the identity that will submit the change: no other organisation's peer or identity is needed.
  const reader = new Registry(await ledgers.connect(readerIdentity(workspace, options.as)));
  const byIssuer = new Map<string, { id: string; status: TargetStatus; reason: string }[]>();
  for (const request of requests) {
    const record = await reader.getCredential(request.id).catch((error: unknown) => {
      throw withDetails(error, { id: request.id });
    });
    const list = byIssuer.get(record.issuerDid) ?? [];
    list.push({ id: request.id, status, reason: request.reason });
    byIssuer.set(record.issuerDid, list);
  }
  const changed: unknown[] = [];
  const unchanged: string[] = [];
  for (const [issuerDid, changes] of byIssuer) {
    const registry = new Registry(await ledgers.connect(identityForIssuer(workspace, issuerDid, options.as)));
    for (let i = 0; i < changes.length; i += maxCredentialsPerTransaction) {
      const result = await registry.setCredentialStatuses({
        issuerDid,
        changes: changes.slice(i, i + maxCredentialsPerTransaction) as never,
      });
      changed.push(...result.changed);
      unchanged.push(...result.unchanged);
    }
  }
  if (ctx.options.json) ctx.emit({ changed, unchanged });
  else {
    for (const change of changed as { id: string; from: string; to: string; reason: string }[]) {
      const [from, to, reason] = [
        codeInWords(ctx, change.from, statusWords),
        codeInWords(ctx, change.to, statusWords),
        codeInWords(ctx, change.reason, reasonLabels),
      ];
      ctx.say(ctx.pick(`${change.id}：${from} → ${to}，理由 ${reason}`, `${change.id}: ${from} → ${to} (${reason})`));
    }
    for (const same of unchanged) ctx.say(ctx.pick(`${same}：未變更（已是此狀態）`, `${same}: unchanged (already so)`));
  }
}

/** The action of `revoke`, `suspend` or `reinstate`: credentials into `status`. */
export function changeStatusTo(
  verb: string,
  status: TargetStatus,
  defaultReason: string | undefined,
): Run<[id: string | undefined, options: StatusOptions]> {
  return (ctx, id, options) => changeStatus(ctx, verb, status, id, options, defaultReason);
}
