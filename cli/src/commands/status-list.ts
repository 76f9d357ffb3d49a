/**
 * `credledger status-list publish --out dir/`: every issuer of this workspace signs its Bitstring
 * Status Lists (for `vc+jwt` credentials), its Status List 2021 lists (for TW DIW SD-JWT VCs) and its
 * IETF Status List Tokens (for IETF-profile SD-JWT VCs), regenerated from one ledger read, as files a
 * static host (or `serve`) publishes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';

import { action } from '../context.js';
import { loadSigningKey, openStatusIndex } from '../issuing.js';
import { examples, readerOption, type Wiring } from '../wiring.js';
import { connect, openWorkspace, readerIdentity } from '../workspace.js';

export function registerStatusList(program: Command, { t }: Wiring): void {
  const statusList = program
    .command('status-list')
    .description(
      t.pick(
        '狀態清單（W3C 與 IETF）',
        'status lists (W3C Bitstring Status List, Status List 2021, IETF Token Status List)',
      ),
    );
  const publish = statusList
    .command('publish')
    .description(
      t.pick(
        '由帳本狀態重新產生並簽署各發行者的狀態清單',
        "regenerate and sign each issuer's status lists from ledger state",
      ),
    )
    .requiredOption(
      '--out <dir>',
      t.pick(
        '輸出目錄（供靜態主機或 serve --published 使用）',
        'output directory (for a static host or serve --published)',
      ),
    )
    .option('--issuer <did>', t.pick('只發布此發行者', 'only this issuer'))
    .addOption(readerOption(t))
    .action(
      action(async (ctx, options: { out: string; issuer?: string; as?: string }) => {
        const workspace = openWorkspace(ctx.options.workspace);
        const [issuing, { Registry }] = await Promise.all([import('@credledger/issuer'), import('@credledger/ledger')]);
        await using allocator = openStatusIndex(workspace, issuing);
        await using opened = await connect(workspace, readerIdentity(workspace, options.as));
        const registry = new Registry(opened.ledger);
        const written: { issuer: string; url: string; file: string; set: number }[] = [];
        const sl2021: { issuer: string; purpose: string; url: string; file: string; set: number }[] = [];
        const tokens: { issuer: string; url: string; file: string; revoked: number; suspended: number }[] = [];
        const writeList = async (url: string, jwt: string): Promise<string> => {
          const path = new URL(url).pathname.replace(/^\/+/, '');
          const file = join(options.out, `${decodeURIComponent(path)}.jwt`);
          await mkdir(dirname(file), { recursive: true });
          await writeFile(file, `${jwt}\n`);
          return file;
        };
        const dids = options.issuer === undefined ? Object.keys(workspace.config.issuers) : [options.issuer];
        for (const did of dids) {
          const issuer = await registry.getIssuer(did);
          await using key = await loadSigningKey(workspace, issuer, ctx.keyPassphrase);
          const allocations = {
            revocation: await allocator.allocations(did, 'revocation'),
            suspension: await allocator.allocations(did, 'suspension'),
          };
          const records = await issuing.readCredentialRecords(registry, allocations.revocation.keys());
          // One read of the ledger, one time: both formats say the same thing as of the same moment.
          const now = new Date();
          const listKey = { kid: key.kid, alg: key.alg, signer: key.credentialSigner };
          const baseUrl = workspace.config.statusBaseUrl;
          const { lists } = await issuing.publishStatusLists({
            issuerDid: did,
            baseUrl,
            records,
            allocations,
            now,
            key: listKey,
          });
          for (const list of lists) {
            const file = await writeList(list.url, list.jwt);
            written.push({ issuer: did, url: list.url, file, set: list.set });
          }
          // The same bits as Status List 2021 lists, which TW DIW SD-JWT VCs name (`…/sl2021/<purpose>`).
          const tw = await issuing.publishStatusLists({
            issuerDid: did,
            baseUrl,
            records,
            allocations,
            now,
            key: listKey,
            format: 'StatusList2021',
          });
          for (const list of tw.lists) {
            const file = await writeList(list.url, list.jwt);
            sl2021.push({ issuer: did, purpose: list.purpose, url: list.url, file, set: list.set });
          }
          // The IETF Status List Tokens the `status.status_list.uri` of IETF-profile SD-JWT VCs names.
          const published = await issuing.publishTokenStatusLists({
            issuerDid: did,
            baseUrl,
            records,
            allocations: allocations.revocation,
            now,
            key: listKey,
          });
          for (const token of published.lists) {
            const file = await writeList(token.url, token.jwt);
            tokens.push({ issuer: did, url: token.url, file, revoked: token.revoked, suspended: token.suspended });
          }
        }
        if (ctx.options.json) ctx.emit({ lists: written, statusList2021: sl2021, tokens });
        else {
          for (const list of written)
            ctx.say(
              `${list.file}  (${t.pick(`${list.set} 個位元設定`, `${list.set} ${list.set === 1 ? 'bit' : 'bits'} set`)})  → ${list.url}`,
            );
          for (const list of sl2021)
            ctx.say(
              `${list.file}  (${t.pick(
                `StatusList2021：${list.set} 個位元設定`,
                `StatusList2021: ${list.set} ${list.set === 1 ? 'bit' : 'bits'} set`,
              )})  → ${list.url}`,
            );
          for (const token of tokens)
            ctx.say(
              `${token.file}  (${t.pick(
                `IETF 狀態清單權杖：已撤銷 ${token.revoked}、已停止效力 ${token.suspended}`,
                `IETF Status List Token: ${token.revoked} revoked, ${token.suspended} suspended`,
              )})  → ${token.url}`,
            );
        }
      }),
    );
  examples(publish, t, ['credledger status-list publish --out public/', 'credledger serve --published public/']);
}
