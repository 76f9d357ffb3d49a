/**
 * `credledger init`: a workspace — `credledger.json`, and for the embedded backend a ledger with the
 * local organisations NDC (governance), MOJ and MOEA, their X.509 identities, and the chaincode's Init.
 * The wiring: arguments, options and help. The action is actions/init.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, type Wiring } from '../wiring.js';

export function registerInit(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('init')
    .description(
      t.pick(
        '建立工作區（設定檔、內嵌帳本、本地組織身分）',
        'create a workspace (config, embedded ledger, local org identities)',
      ),
    )
    .argument(
      '[dir]',
      t.pick(
        '工作區目錄（預設：目前目錄或 --workspace）',
        'workspace directory (default: current directory or --workspace)',
      ),
    );
  later(command, { options: true }, () => {
    command
      .option('--ledger <backend>', 'embedded | fabric', 'embedded')
      .option(
        '--connection <file...>',
        t.pick('Fabric 連線設定檔（每個組織一個）', 'Fabric connection file(s), one per organisation'),
      )
      .option('--port <port>', t.pick('驗證頁網址使用的埠號', 'port the verifier URLs point at'), '8080')
      .action(action(async () => (await import('../actions/init.js')).init));
    examples(command, t, [
      'credledger init ./moj-office',
      'CREDLEDGER_IDENTITY_PASSPHRASE_NDCMSP=… CREDLEDGER_IDENTITY_PASSPHRASE=… credledger init ./moj-office',
      'credledger init ./moj-office --ledger fabric --connection network/out/moj.json',
      'credledger init ./ndc-governance --ledger fabric --connection network/out/ndc.json',
    ]);
  });
}
