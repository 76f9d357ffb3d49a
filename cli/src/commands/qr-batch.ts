/**
 * `credledger qr-batch <dir>`: QR PNGs for an issued batch, in parallel workers, skipping those already drawn.
 * The wiring: arguments, options and help. The action is actions/qr-batch.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, type Wiring } from '../wiring.js';

export function registerQrBatch(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('qr-batch')
    .description(
      t.pick('為批次輸出目錄產生 QR PNG（平行）', 'render QR PNGs for a batch output directory (in parallel)'),
    )
    .argument('<dir>', t.pick('issue-batch 的輸出目錄', 'output directory of issue-batch'));
  later(command, { options: true }, () => {
    command
      .option('--workers <n>', t.pick('工作執行緒數', 'worker threads'))
      .action(action(async () => (await import('../actions/qr-batch.js')).qrBatch));
    examples(command, t, ['credledger qr-batch out/', 'credledger qr-batch out/ --workers 2 --json']);
  });
}
