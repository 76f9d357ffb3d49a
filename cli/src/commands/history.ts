/** `credledger history <id>`: the audit trail — every committed version with tx id, time, status, reason, acting org. */
import type { Command } from 'commander';

import { reasonLabels } from '@credledger/vocabulary';

import { pad } from '../columns.js';
import { action, withDetails } from '../context.js';
import { codeInWords, statusWords } from '../i18n.js';
import { examples, readerOption, type Wiring } from '../wiring.js';
import { connect, openWorkspace, readerIdentity } from '../workspace.js';

export function registerHistory(program: Command, { t }: Wiring): void {
  const command = program
    .command('history')
    .description(t.pick('憑證的稽核軌跡', "a credential's audit trail"))
    .argument('<id>', 'urn:uuid:…')
    .addOption(readerOption(t))
    .action(
      action(async (ctx, id: string, options: { as: string }) => {
        const workspace = openWorkspace(ctx.options.workspace);
        const { Registry } = await import('@credledger/ledger');
        await using opened = await connect(workspace, readerIdentity(workspace, options.as));
        const entries = await new Registry(opened.ledger).getCredentialHistory(id).catch((error: unknown) => {
          throw withDetails(error, { id });
        });
        if (ctx.options.json) ctx.emit({ id, entries });
        else {
          let previous: (typeof entries)[number] | undefined;
          for (const entry of entries) {
            // A supersession link is shown on the version that made it.
            const links = [
              entry.supersedes && entry.supersedes !== previous?.supersedes
                ? `${t.pick('換發自', 'supersedes')} ${entry.supersedes}`
                : '',
              entry.supersededBy && entry.supersededBy !== previous?.supersededBy
                ? `${t.pick('已由此換發', 'superseded by')} ${entry.supersededBy}`
                : '',
            ].filter((link) => link !== '');
            // zh-TW: each code with its phrase, columns counted as a terminal shows them.
            const status = codeInWords(t, entry.status, statusWords);
            const reason = entry.reason === null ? '' : codeInWords(t, entry.reason, reasonLabels);
            ctx.say(
              `${entry.time}  ${pad(status, t.pick(17, 9))} ${pad(reason, t.pick(40, 24))} ${entry.mspId.padEnd(8)} ${t.pick('交易', 'tx')} ${entry.txId}` +
                (links.length > 0 ? `  ${links.join('  ')}` : ''),
            );
            previous = entry;
          }
        }
      }),
    );
  examples(command, t, ['credledger history urn:uuid:0b7c…']);
}
