/**
 * `credledger init`: a workspace — `credledger.json`, and for the embedded backend a ledger with the
 * local organisations NDC (governance), MOJ and MOEA, their X.509 identities, and the chaincode's Init.
 * What the command does; its arguments, options and help are wired in commands/init.ts, which
 * loads this module when the command runs.
 */
import { initWorkspace } from '../setup.js';
import type { Context } from '../context.js';

interface InitOptions {
  readonly ledger: string;
  readonly connection?: string[];
  readonly port: string;
}

/** The action of `credledger init`. */
export async function init(ctx: Context, dir: string | undefined, options: InitOptions): Promise<void> {
  const result = await initWorkspace({
    dir: dir ?? ctx.options.workspace ?? process.cwd(),
    backend: options.ledger,
    connections: options.connection ?? [],
    port: Number(options.port),
  });
  if (ctx.options.json) ctx.emit(result);
  else {
    ctx.say(ctx.pick(`已建立工作區 ${result.dir}`, `workspace created in ${result.dir}`));
    ctx.say(
      ctx.pick(
        `帳本：${result.backend}；身分：${result.identities.join(', ')}`,
        `ledger: ${result.backend}; identities: ${result.identities.join(', ')}`,
      ),
    );
    // One workspace per organisation (decision 0022): several connection files let it act for each.
    if (result.backend === 'fabric' && result.identities.length > 1)
      ctx.note(
        ctx.pick(
          `注意：此工作區可代表 ${result.identities.join('、')} 行事（各組織的身分金鑰都由它的連線設定檔指向），能讀取它的人即可代表每一個組織；建議每個組織各自一個工作區`,
          `note: this workspace can act for ${result.identities.join(', ')} (each connection file points at that organisation's identity key), so whoever can read it can act for each; the recommended set-up is one workspace per organisation`,
        ),
      );
    if (result.sealed.length > 0)
      ctx.say(
        ctx.pick(
          `以各組織密語加密：${result.sealed.join(', ')}（唯讀的 auditor 不加密）`,
          `sealed under each organisation's passphrase: ${result.sealed.join(', ')} (read-only auditors are not)`,
        ),
      );
    ctx.say(ctx.pick('下一步：credledger issuer register …', 'next: credledger issuer register …'));
  }
}
