/**
 * `credledger ledger …`: `verify` re-checks the embedded ledger's hash chain, state, history and index;
 * `protect-keys` seals the PEM keys of its local organisations under each one's passphrase (decision 0020).
 * The wiring: arguments, options and help. The action is actions/ledger.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, type Wiring } from '../wiring.js';

export function registerLedger(program: Command, { t, later }: Wiring): void {
  const ledger = program.command('ledger').description(t.pick('帳本維護', 'ledger maintenance'));
  later(ledger, { options: false }, () => {
    const verify = ledger
      .command('verify')
      .description(t.pick('重新驗證內嵌帳本的雜湊鏈與狀態', "re-check the embedded ledger's hash chain and state"))
      .action(action(async () => (await import('../actions/ledger.js')).verify));
    examples(verify, t, ['credledger ledger verify', 'credledger ledger verify --json']);

    const protect = ledger
      .command('protect-keys')
      .description(
        t.pick(
          '以各組織的密語加密內嵌帳本中仍為明文的身分金鑰（憑證機構與可寫入的身分；可重複執行）',
          "seal the embedded ledger's plain identity keys under each organisation's passphrase (CAs and identities that may write; safe to rerun)",
        ),
      )
      .action(action(async () => (await import('../actions/ledger.js')).protectKeys));
    examples(protect, t, [
      'credledger ledger protect-keys',
      'CREDLEDGER_IDENTITY_PASSPHRASE_NDCMSP=… CREDLEDGER_IDENTITY_PASSPHRASE_MOJMSP=… credledger ledger protect-keys',
    ]);
  });
}
