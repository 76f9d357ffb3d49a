/** `credledger revoke <id> --reason <code>` (or `--csv`): ends a credential for good. */
import type { Command } from 'commander';

import type { Wiring } from '../wiring.js';
import { registerStatusChange } from '../status-change.js';

export function registerRevoke(program: Command, wiring: Wiring): void {
  registerStatusChange(
    program,
    wiring,
    'revoke',
    'REVOKED',
    wiring.t.pick('撤銷憑證（不可回復）', 'revoke credentials (final)'),
    undefined,
    'DISBARMENT',
  );
}
