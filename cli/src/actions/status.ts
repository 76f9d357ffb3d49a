/**
 * `credledger status <id>`: the credential's ledger record (no personal data: ids, digest, status).
 * What the command does; its arguments, options and help are wired in commands/status.ts, which
 * loads this module when the command runs.
 */
import { reasonLabels } from '@credledger/vocabulary';

import { withDetails, type Context } from '../context.js';
import { codeInWords, statusWords } from '../i18n.js';
import { connect, openWorkspace, readerIdentity } from '../workspace.js';

/** The action of `credledger status`. */
export async function status(ctx: Context, id: string, options: { as: string }): Promise<void> {
  const workspace = openWorkspace(ctx.options.workspace);
  const { Registry } = await import('@credledger/ledger');
  await using opened = await connect(workspace, readerIdentity(workspace, options.as));
  const record = await new Registry(opened.ledger).getCredential(id).catch((error: unknown) => {
    throw withDetails(error, { id });
  });
  if (ctx.options.json) ctx.emit(record);
  else {
    const status = codeInWords(ctx, record.status, statusWords);
    const reason = record.reason === null ? undefined : codeInWords(ctx, record.reason, reasonLabels);
    ctx.say(
      `${record.id}  ${status}${reason === undefined ? '' : ctx.pick(`  ${ctx.t('status.reason')}：${reason}`, ` (${reason})`)}`,
    );
    ctx.say(
      `  ${ctx.pick('類型', 'type')}: ${record.type}   ${ctx.pick('發行者', 'issuer')}: ${record.issuerDid}   ${ctx.pick('金鑰', 'kid')}: ${record.kid}`,
    );
    ctx.say(
      `  ${ctx.pick('錨定時間', 'anchored')}: ${record.anchoredAt}   ${ctx.pick('更新', 'updated')}: ${record.updatedAt}`,
    );
    ctx.say(`  ${ctx.pick('效期', 'valid')}: ${record.validFrom} – ${record.validUntil ?? '∞'}`);
    ctx.say(`  ${ctx.pick('帳本指紋', 'digest')}: ${record.digest}`);
    if (record.supersedes !== null) ctx.say(`  ${ctx.pick('換發自', 'supersedes')}: ${record.supersedes}`);
    if (record.supersededBy !== null) ctx.say(`  ${ctx.pick('已由此換發', 'superseded by')}: ${record.supersededBy}`);
  }
}
