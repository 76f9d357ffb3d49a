/**
 * `credledger init`: a workspace — `credledger.json`, and for the embedded backend a ledger with the
 * local organisations NDC (governance), MOJ and MOEA, their X.509 identities, and the chaincode's Init.
 */
import type { Command } from 'commander';

import { action } from '../context.js';
import { examples, type Wiring } from '../wiring.js';
import { initWorkspace } from '../setup.js';

interface InitOptions {
  readonly ledger: string;
  readonly connection?: string[];
  readonly port: string;
}

export function registerInit(program: Command, { t }: Wiring): void {
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
    )
    .option('--ledger <backend>', 'embedded | fabric', 'embedded')
    .option(
      '--connection <file...>',
      t.pick('Fabric 連線設定檔（每個組織一個）', 'Fabric connection file(s), one per organisation'),
    )
    .option('--port <port>', t.pick('驗證頁網址使用的埠號', 'port the verifier URLs point at'), '8080')
    .action(
      action(async (ctx, dir: string | undefined, options: InitOptions) => {
        const result = await initWorkspace({
          dir: dir ?? ctx.options.workspace ?? process.cwd(),
          backend: options.ledger,
          connections: options.connection ?? [],
          port: Number(options.port),
        });
        if (ctx.options.json) ctx.emit(result);
        else {
          ctx.say(t.pick(`已建立工作區 ${result.dir}`, `workspace created in ${result.dir}`));
          ctx.say(
            t.pick(
              `帳本：${result.backend}；身分：${result.identities.join(', ')}`,
              `ledger: ${result.backend}; identities: ${result.identities.join(', ')}`,
            ),
          );
          // One workspace per organisation (decision 0022): several connection files let it act for each.
          if (result.backend === 'fabric' && result.identities.length > 1)
            ctx.note(
              t.pick(
                `注意：此工作區可代表 ${result.identities.join('、')} 行事（各組織的身分金鑰都由它的連線設定檔指向），能讀取它的人即可代表每一個組織；建議每個組織各自一個工作區`,
                `note: this workspace can act for ${result.identities.join(', ')} (each connection file points at that organisation's identity key), so whoever can read it can act for each; the recommended set-up is one workspace per organisation`,
              ),
            );
          if (result.sealed.length > 0)
            ctx.say(
              t.pick(
                `以各組織密語加密：${result.sealed.join(', ')}（唯讀的 auditor 不加密）`,
                `sealed under each organisation's passphrase: ${result.sealed.join(', ')} (read-only auditors are not)`,
              ),
            );
          ctx.say(t.pick('下一步：credledger issuer register …', 'next: credledger issuer register …'));
        }
      }),
    );
  examples(command, t, [
    'credledger init ./moj-office',
    'CREDLEDGER_IDENTITY_PASSPHRASE_NDCMSP=… CREDLEDGER_IDENTITY_PASSPHRASE=… credledger init ./moj-office',
    'credledger init ./moj-office --ledger fabric --connection network/out/moj.json',
    'credledger init ./ndc-governance --ledger fabric --connection network/out/ndc.json',
  ]);
}
