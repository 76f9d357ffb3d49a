/**
 * `credledger ledger …`: `verify` re-checks the embedded ledger's hash chain, state, history and index;
 * `protect-keys` seals the PEM keys of its local organisations under each one's passphrase (decision 0020).
 * What the command does; its arguments, options and help are wired in commands/ledger.ts, which
 * loads this module when the command runs.
 */
import { cliError, type Context } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { identityKeys } from '../passphrase.js';
import { backendMissing, openLedgers, openWorkspace } from '../workspace.js';

/** The action of `credledger ledger verify`. */
export async function verify(ctx: Context): Promise<void> {
  const workspace = openWorkspace(ctx.options.workspace);
  const config = workspace.config.ledger;
  if (config.backend !== 'embedded') {
    throw cliError('CONFIG_INVALID', 'ledgerVerifyFabric', {});
  }
  await using network = await openLedgers(workspace);
  const embedded = network.embedded;
  if (embedded === undefined) throw cliError('CONFIG_INVALID', 'ledgerVerifyFabric', {});
  const result = await embedded.verifyChain();
  if (ctx.options.json) ctx.emit(result);
  else {
    ctx.say(
      result.ok
        ? ctx.pick(`帳本完整：${result.blocks} 個區塊皆已驗證`, `ledger intact: ${result.blocks} blocks verified`)
        : ctx.pick('帳本有問題：', 'ledger problems:'),
    );
    for (const problem of result.problems) ctx.say(`  ${problem}`);
  }
  if (!result.ok) ctx.exit(exitCodes.LEDGER_CORRUPT);
}

/** The action of `credledger ledger protect-keys`. */
export async function protectKeys(ctx: Context): Promise<void> {
  const workspace = openWorkspace(ctx.options.workspace);
  const config = workspace.config.ledger;
  if (config.backend !== 'embedded') throw cliError('CONFIG_INVALID', 'ledgerProtectFabric', {});
  const { protectLocalKeys } = await import('@credledger/ledger');
  const result = await protectLocalKeys(workspace.resolve(config.directory), identityKeys()).catch((error: unknown) => {
    throw backendMissing(error);
  });
  if (ctx.options.json) {
    ctx.emit(result);
    return;
  }
  for (const org of result) {
    if (org.sealed.length > 0)
      ctx.say(
        ctx.pick(
          `${org.mspId}：已加密 ${org.sealed.join(', ')}${org.keyringCreated ? '（新密語）' : ''}`,
          `${org.mspId}: sealed ${org.sealed.join(', ')}${org.keyringCreated ? ' (new passphrase)' : ''}`,
        ),
      );
    else ctx.say(ctx.pick(`${org.mspId}：沒有明文金鑰（早已加密）`, `${org.mspId}: no plain keys (already sealed)`));
  }
  ctx.say(
    ctx.pick(
      '唯讀的 auditor 身分金鑰保持可讀：它們只能讀取帳本，而帳本本身就在旁邊',
      'read-only auditor keys stay readable: they may only read the ledger, which sits beside them',
    ),
  );
}
