/** `credledger ledger verify`: re-checks the embedded ledger's hash chain, state, history and index. */
import type { Command } from 'commander';

import { action, cliError } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { examples, type Wiring } from '../wiring.js';
import { openWorkspace } from '../workspace.js';

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
        const { ledgers } = await import('@credledger/sdk');
        await using network = await ledgers.embedded({ directory: workspace.resolve(config.directory), create: false });
        const result = await network.verifyChain();
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
}
