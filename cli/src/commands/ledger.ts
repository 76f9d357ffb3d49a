/**
 * `credledger ledger …`: `verify` re-checks the embedded ledger's hash chain, state, history and index;
 * `protect-keys` seals the PEM keys of its local organisations under each one's passphrase (decision 0020).
 */
import type { Command } from 'commander';

import { action, cliError } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { identityKeys } from '../passphrase.js';
import { examples, type Wiring } from '../wiring.js';
import { backendMissing, openLedgers, openWorkspace } from '../workspace.js';

export function registerLedger(program: Command, { t }: Wiring): void {
  const ledger = program.command('ledger').description(t.pick('帳本維護', 'ledger maintenance'));
  const verify = ledger
    .command('verify')
    .description(t.pick('重新驗證內嵌帳本的雜湊鏈與狀態', "re-check the embedded ledger's hash chain and state"))
    .action(
      action(async (ctx) => {
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
              ? t.pick(`帳本完整：${result.blocks} 個區塊皆已驗證`, `ledger intact: ${result.blocks} blocks verified`)
              : t.pick('帳本有問題：', 'ledger problems:'),
          );
          for (const problem of result.problems) ctx.say(`  ${problem}`);
        }
        if (!result.ok) ctx.exit(exitCodes.LEDGER_CORRUPT);
      }),
    );
  examples(verify, t, ['credledger ledger verify', 'credledger ledger verify --json']);

  const protect = ledger
    .command('protect-keys')
    .description(
      t.pick(
        '以各組織的密語加密內嵌帳本中仍為明文的身分金鑰（憑證機構與可寫入的身分；可重複執行）',
        "seal the embedded ledger's plain identity keys under each organisation's passphrase (CAs and identities that may write; safe to rerun)",
      ),
    )
    .action(
      action(async (ctx) => {
        const workspace = openWorkspace(ctx.options.workspace);
        const config = workspace.config.ledger;
        if (config.backend !== 'embedded') throw cliError('CONFIG_INVALID', 'ledgerProtectFabric', {});
        const { protectLocalKeys } = await import('@credledger/ledger');
        const result = await protectLocalKeys(workspace.resolve(config.directory), identityKeys()).catch(
          (error: unknown) => {
            throw backendMissing(error);
          },
        );
        if (ctx.options.json) {
          ctx.emit(result);
          return;
        }
        for (const org of result) {
          if (org.sealed.length > 0)
            ctx.say(
              t.pick(
                `${org.mspId}：已加密 ${org.sealed.join(', ')}${org.keyringCreated ? '（新密語）' : ''}`,
                `${org.mspId}: sealed ${org.sealed.join(', ')}${org.keyringCreated ? ' (new passphrase)' : ''}`,
              ),
            );
          else
            ctx.say(t.pick(`${org.mspId}：沒有明文金鑰（早已加密）`, `${org.mspId}: no plain keys (already sealed)`));
        }
        ctx.say(
          t.pick(
            '唯讀的 auditor 身分金鑰保持可讀：它們只能讀取帳本，而帳本本身就在旁邊',
            'read-only auditor keys stay readable: they may only read the ledger, which sits beside them',
          ),
        );
      }),
    );
  examples(protect, t, [
    'credledger ledger protect-keys',
    'CREDLEDGER_IDENTITY_PASSPHRASE_NDCMSP=… CREDLEDGER_IDENTITY_PASSPHRASE_MOJMSP=… credledger ledger protect-keys',
  ]);
}
