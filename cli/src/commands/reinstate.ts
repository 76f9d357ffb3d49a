/** `credledger reinstate <id>` (or `--csv`): a suspended credential becomes active again. */
import type { Command } from 'commander';

import type { Wiring } from '../wiring.js';
import { registerStatusChange } from '../status-change.js';

export function registerReinstate(program: Command, wiring: Wiring): void {
  registerStatusChange(
    program,
    wiring,
    'reinstate',
    'ACTIVE',
    wiring.t.pick('恢復停止中的憑證', 'reinstate suspended credentials'),
    'SUSPENSION_LIFTED',
    'SUSPENSION_LIFTED',
  );
}
