/**
 * `credledger status <id>`: the credential's ledger record (no personal data: ids, digest, status).
 * The wiring: arguments, options and help. The action is actions/status.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerStatus(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('status')
    .description(t.pick('查詢憑證在帳本上的狀態', "show a credential's ledger status"))
    .argument('<id>', 'urn:uuid:…');
  later(command, { options: true }, () => {
    command.addOption(readerOption(t)).action(action(async () => (await import('../actions/status.js')).status));
    examples(command, t, ['credledger status urn:uuid:0b7c…', 'credledger status urn:uuid:0b7c… --json']);
  });
}
