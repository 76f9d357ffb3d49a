/**
 * `credledger history <id>`: the audit trail — every committed version with tx id, time, status, reason, acting org.
 * The wiring: arguments, options and help. The action is actions/history.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerHistory(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('history')
    .description(t.pick('憑證的稽核軌跡', "a credential's audit trail"))
    .argument('<id>', 'urn:uuid:…');
  later(command, { options: true }, () => {
    command.addOption(readerOption(t)).action(action(async () => (await import('../actions/history.js')).history));
    examples(command, t, ['credledger history urn:uuid:0b7c…']);
  });
}
