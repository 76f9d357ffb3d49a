/**
 * Shared by `revoke`, `suspend` and `reinstate`: one id with `--reason`, or many from a CSV
 * (`id` column, optional `reason` column), grouped per issuer into bulk transactions, each submitted
 * by the issuer's own organisation.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';

import { credentialTransitions, reasonLabels, type CredentialStatus, type ReasonCode } from '@credledger/vocabulary';

import { action, cliError, type Context, withDetails } from './context.js';
import { codeInWords, statusWords, type I18n } from './i18n.js';
import { examples, type Wiring } from './wiring.js';
import { identityForIssuer, openLedgers, openWorkspace, readerIdentity } from './workspace.js';

/** The status an action moves credentials into. */
export type TargetStatus = CredentialStatus;

interface StatusOptions {
  readonly reason?: string;
  readonly csv?: string;
  readonly as?: string;
}

/**
 * The reasons an action accepts: those the credential status machine allows for some transition into
 * its target status (`credentialTransitions` of @credledger/vocabulary, the one source of these rules
 * that the chaincode enforces), in its order. The vocabulary is plain data, so `--help` still loads
 * nothing of the sdk or Fabric.
 */
export function reasonsForStatus(status: TargetStatus): readonly ReasonCode[] {
  const reasons = new Set<ReasonCode>();
  for (const from of Object.values(credentialTransitions)) for (const reason of from[status] ?? []) reasons.add(reason);
  return [...reasons];
}

/**
 * Reasons only issuance sets: SUPERSEDED revokes a credential in the transaction that anchors its
 * successor (`issue --supersede`), linking the two; by hand it would leave a credential "superseded" by
 * nothing.
 */
const setByIssuance: readonly ReasonCode[] = ['SUPERSEDED'];

/** The reasons an operator may give an action by hand: the chaincode's, less those only issuance sets. */
export function reasonsByHand(status: TargetStatus): readonly ReasonCode[] {
  return reasonsForStatus(status).filter((reason) => !setByIssuance.includes(reason));
}

/** The reasons an action accepts, one a line: code, zh-TW phrase, English phrase. */
function reasonsHelp(t: I18n, status: TargetStatus, defaultReason: string | undefined): string {
  const reasons = reasonsByHand(status);
  const width = Math.max(...reasons.map((reason) => reason.length));
  const lines = reasons.map((reason) => {
    const words = reasonLabels[reason];
    const mark = reason === defaultReason ? t.pick('（預設）', ' (default)') : '';
    return `  ${reason.padEnd(width)}  ${t.pick(words['zh-TW'], `${words['zh-TW']} / ${words.en}`)}${mark}`;
  });
  const byIssuance = reasonsForStatus(status).some((reason) => setByIssuance.includes(reason))
    ? `\n${t.pick(
        '（SUPERSEDED「已換發」不可手動指定：由 `credledger issue --supersede` 核發新憑證時撤銷舊憑證並連結兩者）',
        '(SUPERSEDED is not given by hand: `credledger issue --supersede` sets it when it issues the successor, linking the two)',
      )}`
    : '';
  return `\n${t.pick('可用的理由代碼（--reason）：', 'Reason codes (--reason):')}\n${lines.join('\n')}${byIssuance}`;
}

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
      t.pick('理由代碼（見下方清單；CSV 的 reason 欄優先）', 'reason code (listed below; a CSV reason column wins)'),
    )
    .option(
      '--csv <file>',
      t.pick('批次：含 id（與可選 reason）欄的 CSV', 'bulk: CSV with an id (and optional reason) column'),
    )
    .option('--as <identity>', t.pick('代表發行者的身分', 'identity acting for the issuer'))
    .action(
      action(async (ctx, id: string | undefined, options: StatusOptions) => {
        await changeStatus(ctx, verb, status, id, options, defaultReason);
      }),
    )
    .addHelpText('after', reasonsHelp(t, status, defaultReason));
  examples(command, t, [
    `credledger ${verb} urn:uuid:… --reason ${sample}`,
    `credledger ${verb} --csv ids.csv --reason ${sample}`,
  ]);
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
