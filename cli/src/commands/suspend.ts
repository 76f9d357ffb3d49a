/** `credledger suspend <id> --reason <code>` (or `--csv`): suspends a credential until reinstated. */
import type { Command } from 'commander';

import type { Wiring } from '../wiring.js';
import { registerStatusChange } from '../status-change.js';

export function registerSuspend(program: Command, wiring: Wiring): void {
  registerStatusChange(
    program,
    wiring,
    'suspend',
    'SUSPENDED',
    wiring.t.pick('停止憑證效力（可恢復）', 'suspend credentials (reversible)'),
    undefined,
    'DISCIPLINARY_SUSPENSION',
  );
}
