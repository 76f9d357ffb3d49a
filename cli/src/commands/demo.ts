/**
 * `credledger demo`: the whole mission in seconds on a fresh embedded ledger, then the verifier on
 * localhost (unless `--no-serve`) with what to open and scan.
 */
import type { Command } from 'commander';

import { action, CliError } from '../context.js';
import { runDemo, type DemoResult } from '../demo-run.js';
import { passphraseEnv } from '../passphrase.js';
import { examples, type Wiring } from '../program.js';
import { serveUntilSignal } from '../serve-run.js';
import { openWorkspace } from '../workspace.js';

export function registerDemo(program: Command, { t }: Wiring): void {
  const command = program
    .command('demo')
    .description(
      t.pick(
        '一鍵示範：建立工作區、登記發行者、核發與撤銷、產生 QR、啟動驗證頁',
        'one-command tour: workspace, issuers, issue and revoke, QR codes, verifier on localhost',
      ),
    )
    .argument(
      '[dir]',
      t.pick(
        '示範目錄（預設：新的暫存目錄；既有示範目錄會被取代）',
        'demo folder (default: a new temp folder; an earlier demo there is replaced)',
      ),
    )
    .option('--no-serve', t.pick('不啟動驗證服務（供腳本使用）', 'do not start the verifier (for scripts)'))
    .option('--port <port>', t.pick('驗證服務埠號', 'verifier port'), '8080')
    .action(
      action(async (ctx, dir: string | undefined, options: { serve: boolean; port: string }) => {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 1 || port > 65535)
          throw new CliError('INVALID_INPUT', `--port must be 1..65535, not ${options.port}`);
        // Demo keys are throwaway; without a passphrase in the environment they get a fixed one.
        process.env[passphraseEnv] ??= 'credledger demo';
        const started = performance.now();
        const result = await runDemo({ ...(dir === undefined ? {} : { dir }), port });
        const seconds = Math.round(performance.now() - started) / 1000;
        if (ctx.options.json) ctx.emit({ ...result, seconds });
        else {
          ctx.say(t.pick(`示範工作區：${result.dir}（${seconds} 秒）`, `demo workspace: ${result.dir} (${seconds} s)`));
          for (const credential of result.credentials) {
            ctx.say(`  ${credential.label.padEnd(24)} ${credential.status.padEnd(8)} ${credential.qrPng}`);
          }
          if (!options.serve) {
            ctx.say(t.pick('試試：', 'try:'));
            for (const line of workspaceCommands(result)) ctx.say(line);
          }
        }
        if (!options.serve) return;
        await serveUntilSignal(openWorkspace(result.dir), {
          port,
          host: '127.0.0.1',
          onListening: (url, sharing) => {
            ctx.note(
              t.pick(
                `驗證頁：${url}/ — 用手機掃描上列 PNG，或開啟：`,
                `verifier page: ${url}/ — scan the PNGs above with a phone, or open:`,
              ),
            );
            for (const credential of result.credentials) ctx.note(`  ${credential.label}: ${credential.link}`);
            ctx.note(t.pick('或在另一個終端機：', 'or, in another terminal:'));
            // While the demo serves, it holds the workspace's ledger and other commands act through it.
            if (sharing !== undefined && 'socket' in sharing)
              for (const line of workspaceCommands(result)) ctx.note(line);
            ctx.note(`  npx credledger verify ${result.credentials[0]?.qrPng ?? ''} --api ${url}`);
            ctx.note(t.pick('Ctrl-C 結束', 'Ctrl-C to stop'));
          },
        });
      }),
    );
  examples(command, t, ['credledger demo', 'credledger demo ./demo --no-serve --json']);
}

/** Commands on the demo workspace itself: verifying a licence and the revoked one against its ledger. */
function workspaceCommands(result: DemoResult): string[] {
  return [
    `  npx credledger -w ${result.dir} verify ${result.credentials[0]?.qrPng ?? ''}`,
    `  npx credledger -w ${result.dir} verify ${result.credentials[2]?.jwtFile ?? ''}`,
  ];
}
