/**
 * The wiring shared by `revoke`, `suspend` and `reinstate` (their action: actions/status-change.ts):
 * one id with `--reason`, or many from a CSV, and the reasons each accepts listed in its help.
 */
import type { Command } from 'commander';

import { reasonLabels } from '@credledger/vocabulary';

import { action } from './action.js';
import type { I18n } from './i18n.js';
import { reasonsByHand, reasonsForStatus, setByIssuance, type TargetStatus } from './status-reasons.js';
import { examples, type Wiring } from './wiring.js';

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
  { t, later }: Wiring,
  verb: 'revoke' | 'suspend' | 'reinstate',
  status: TargetStatus,
  description: string,
  defaultReason: string | undefined,
  sample: string,
): void {
  const command = program
    .command(verb)
    .description(description)
    .argument('[id]', t.pick('憑證編號 urn:uuid:…', 'credential id urn:uuid:…'));
  later(command, { options: true }, () => {
    command
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
        action(async () => (await import('./actions/status-change.js')).changeStatusTo(verb, status, defaultReason)),
      )
      .addHelpText('after', reasonsHelp(t, status, defaultReason));
    examples(command, t, [
      `credledger ${verb} urn:uuid:… --reason ${sample}`,
      `credledger ${verb} --csv ids.csv --reason ${sample}`,
    ]);
  });
}
