/**
 * `credledger history <id>`: the audit trail — every committed version with tx id, time, status, reason, acting org.
 * What the command does; its arguments, options and help are wired in commands/history.ts, which
 * loads this module when the command runs.
 */
import { reasonLabels } from '@credledger/vocabulary';

import { pad } from '../columns.js';
import { withDetails, type Context } from '../context.js';
import { codeInWords, statusWords } from '../i18n.js';
import { connect, openWorkspace, readerIdentity } from '../workspace.js';

/** The action of `credledger history`. */
export async function history(ctx: Context, id: string, options: { as: string }): Promise<void> {
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
          ? `${ctx.pick('換發自', 'supersedes')} ${entry.supersedes}`
          : '',
        entry.supersededBy && entry.supersededBy !== previous?.supersededBy
          ? `${ctx.pick('已由此換發', 'superseded by')} ${entry.supersededBy}`
          : '',
      ].filter((link) => link !== '');
      // zh-TW: each code with its phrase, columns counted as a terminal shows them.
      const status = codeInWords(ctx, entry.status, statusWords);
      const reason = entry.reason === null ? '' : codeInWords(ctx, entry.reason, reasonLabels);
      ctx.say(
        `${entry.time}  ${pad(status, ctx.pick(17, 9))} ${pad(reason, ctx.pick(40, 24))} ${entry.mspId.padEnd(8)} ${ctx.pick('交易', 'tx')} ${entry.txId}` +
          (links.length > 0 ? `  ${links.join('  ')}` : ''),
      );
      previous = entry;
    }
  }
}
