/** `credledger status <id>`: the credential's ledger record (no personal data: ids, digest, status). */
import type { Command } from 'commander';

import { reasonLabels } from '@credledger/vocabulary';

import { action, withDetails } from '../context.js';
import { codeInWords, statusWords } from '../i18n.js';
import { examples, readerOption, type Wiring } from '../wiring.js';
import { connect, openWorkspace, readerIdentity } from '../workspace.js';

export function registerStatus(program: Command, { t }: Wiring): void {
  const command = program
    .command('status')
    .description(t.pick('查詢憑證在帳本上的狀態', "show a credential's ledger status"))
    .argument('<id>', 'urn:uuid:…')
    .addOption(readerOption(t))
    .action(
      action(async (ctx, id: string, options: { as: string }) => {
        const workspace = openWorkspace(ctx.options.workspace);
        const { Registry } = await import('@credledger/ledger');
        await using opened = await connect(workspace, readerIdentity(workspace, options.as));
        const record = await new Registry(opened.ledger).getCredential(id).catch((error: unknown) => {
          throw withDetails(error, { id });
        });
        if (ctx.options.json) ctx.emit(record);
        else {
          const status = codeInWords(t, record.status, statusWords);
          const reason = record.reason === null ? undefined : codeInWords(t, record.reason, reasonLabels);
          ctx.say(
            `${record.id}  ${status}${reason === undefined ? '' : t.pick(`  ${t.t('status.reason')}：${reason}`, ` (${reason})`)}`,
          );
          ctx.say(
            `  ${t.pick('類型', 'type')}: ${record.type}   ${t.pick('發行者', 'issuer')}: ${record.issuerDid}   ${t.pick('金鑰', 'kid')}: ${record.kid}`,
          );
          ctx.say(
            `  ${t.pick('錨定時間', 'anchored')}: ${record.anchoredAt}   ${t.pick('更新', 'updated')}: ${record.updatedAt}`,
          );
          ctx.say(`  ${t.pick('效期', 'valid')}: ${record.validFrom} – ${record.validUntil ?? '∞'}`);
          ctx.say(`  ${t.pick('帳本指紋', 'digest')}: ${record.digest}`);
          if (record.supersedes !== null) ctx.say(`  ${t.pick('換發自', 'supersedes')}: ${record.supersedes}`);
          if (record.supersededBy !== null)
            ctx.say(`  ${t.pick('已由此換發', 'superseded by')}: ${record.supersededBy}`);
        }
      }),
    );
  examples(command, t, ['credledger status urn:uuid:0b7c…', 'credledger status urn:uuid:0b7c… --json']);
}
