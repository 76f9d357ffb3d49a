/**
 * `credledger watch <id…> [--issuer did] [--json]`: prints credential status changes as they are
 * committed, until Ctrl-C. Reads the workspace's ledger events, or with `--server` the Server-Sent
 * Events of a `credledger serve --tracking` (then only by id). `--checkpoint <file>` resumes after a
 * restart exactly where the previous run stopped.
 * The wiring: arguments, options and help. The action is actions/watch.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerWatch(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('watch')
    .description(
      t.pick(
        '憑證狀態一有變更即顯示（Ctrl-C 結束）',
        'print credential status changes as they happen (Ctrl-C to stop)',
      ),
    )
    .argument('[ids...]', t.pick('憑證編號 urn:uuid:…', 'credential ids urn:uuid:…'));
  later(command, { options: true }, () => {
    command
      .option('--issuer <did>', t.pick('只看此發行者的憑證', "only this issuer's credentials"))
      .option('--type <type>', t.pick('只看此類型的憑證', 'only credentials of this type'))
      .option(
        '--server <url>',
        t.pick(
          '改由 credledger serve --tracking 的即時串流讀取（僅限指定編號）',
          'read the live stream of a credledger serve --tracking instead (ids only)',
        ),
      )
      .option(
        '--checkpoint <file>',
        t.pick('進度檔：重新啟動時從上次停止處接續', 'progress file: a restart resumes where the last run stopped'),
      )
      .option(
        '--from-block <n>',
        t.pick(
          '第一次執行時從此區塊開始（預設：下一個區塊）',
          'first run starts at this block (default: the next one)',
        ),
      )
      .addOption(readerOption(t))
      .action(action(async () => (await import('../actions/watch.js')).watch));
    examples(command, t, [
      'credledger watch urn:uuid:0b7c…',
      'credledger watch --issuer did:web:moj.gov.tw --json --checkpoint moj.checkpoint.json',
      'credledger watch urn:uuid:0b7c… --server https://verify.example.gov.tw',
    ]);
  });
}
