/** `credledger qr-batch <dir>`: QR PNGs for an issued batch, in parallel workers, skipping those already drawn. */
import type { Command } from 'commander';

import { action, cliError } from '../context.js';
import { examples, type Wiring } from '../wiring.js';
import { runQrBatch } from '../qr-batch-run.js';
import { openWorkspace } from '../workspace.js';

export function registerQrBatch(program: Command, { t }: Wiring): void {
  const command = program
    .command('qr-batch')
    .description(
      t.pick('為批次輸出目錄產生 QR PNG（平行）', 'render QR PNGs for a batch output directory (in parallel)'),
    )
    .argument('<dir>', t.pick('issue-batch 的輸出目錄', 'output directory of issue-batch'))
    .option('--workers <n>', t.pick('工作執行緒數', 'worker threads'))
    .action(
      action(async (ctx, dir: string, options: { workers?: string }) => {
        if (options.workers !== undefined && !/^[1-9][0-9]{0,2}$/.test(options.workers))
          throw cliError('INVALID_INPUT', 'workers', { value: options.workers });
        const workspace = openWorkspace(ctx.options.workspace);
        const result = await runQrBatch(workspace, dir, {
          t: ctx,
          silent: ctx.options.json,
          ...(options.workers === undefined ? {} : { workers: Number(options.workers) }),
        });
        if (ctx.options.json) ctx.emit(result);
        else
          ctx.say(
            t.pick(
              `QR：新產生 ${result.rendered} 張，略過 ${result.skipped} 張，${result.seconds} 秒`,
              `QR: ${result.rendered} rendered, ${result.skipped} already present, ${result.seconds} s`,
            ),
          );
      }),
    );
  examples(command, t, ['credledger qr-batch out/', 'credledger qr-batch out/ --workers 2 --json']);
}
