/**
 * `credledger qr-batch <dir>`: QR PNGs for an issued batch, in parallel workers, skipping those already drawn.
 * What the command does; its arguments, options and help are wired in commands/qr-batch.ts, which
 * loads this module when the command runs.
 */
import { cliError, type Context } from '../context.js';
import { runQrBatch } from '../qr-batch-run.js';
import { openWorkspace } from '../workspace.js';

/** The action of `credledger qr-batch`. */
export async function qrBatch(ctx: Context, dir: string, options: { workers?: string }): Promise<void> {
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
      ctx.pick(
        `QR：新產生 ${result.rendered} 張，略過 ${result.skipped} 張，${result.seconds} 秒`,
        `QR: ${result.rendered} rendered, ${result.skipped} already present, ${result.seconds} s`,
      ),
    );
}
