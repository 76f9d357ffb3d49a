/**
 * `credledger status-list publish --out dir/`: every issuer of this workspace signs its Bitstring
 * Status Lists (for `vc+jwt` credentials), its Status List 2021 lists (for TW DIW SD-JWT VCs) and its
 * IETF Status List Tokens (for IETF-profile SD-JWT VCs), regenerated from one ledger read, as files a
 * static host (or `serve`) publishes.
 * What the command does; its arguments, options and help are wired in commands/status-list.ts, which
 * loads this module when the command runs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { loadSigningKey, openStatusIndex } from '../issuing.js';
import { connect, openWorkspace, readerIdentity } from '../workspace.js';
import type { Context } from '../context.js';

/** The action of `credledger status-list publish`. */
export async function publish(ctx: Context, options: { out: string; issuer?: string; as?: string }): Promise<void> {
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
    const input = { issuerDid: did, baseUrl: workspace.config.statusBaseUrl, records, allocations, now, key: listKey };
    const { lists } = await issuing.publishStatusLists(input);
    for (const list of lists) {
      const file = await writeList(list.url, list.jwt);
      written.push({ issuer: did, url: list.url, file, set: list.set });
    }
    // The same bits as Status List 2021 lists, which TW DIW SD-JWT VCs name (`…/sl2021/<purpose>`).
    const tw = await issuing.publishStatusLists({ ...input, format: 'StatusList2021' });
    for (const list of tw.lists) {
      const file = await writeList(list.url, list.jwt);
      sl2021.push({ issuer: did, purpose: list.purpose, url: list.url, file, set: list.set });
    }
    // The IETF Status List Tokens the `status.status_list.uri` of IETF-profile SD-JWT VCs names.
    const published = await issuing.publishTokenStatusLists({ ...input, allocations: allocations.revocation });
    for (const token of published.lists) {
      const file = await writeList(token.url, token.jwt);
      tokens.push({ issuer: did, url: token.url, file, revoked: token.revoked, suspended: token.suspended });
    }
  }
  if (ctx.options.json) ctx.emit({ lists: written, statusList2021: sl2021, tokens });
  else {
    for (const list of written)
      ctx.say(
        `${list.file}  (${ctx.pick(`${list.set} 個位元設定`, `${list.set} ${list.set === 1 ? 'bit' : 'bits'} set`)})  → ${list.url}`,
      );
    for (const list of sl2021)
      ctx.say(
        `${list.file}  (${ctx.pick(
          `StatusList2021：${list.set} 個位元設定`,
          `StatusList2021: ${list.set} ${list.set === 1 ? 'bit' : 'bits'} set`,
        )})  → ${list.url}`,
      );
    for (const token of tokens)
      ctx.say(
        `${token.file}  (${ctx.pick(
          `IETF 狀態清單權杖：已撤銷 ${token.revoked}、已停止效力 ${token.suspended}`,
          `IETF Status List Token: ${token.revoked} revoked, ${token.suspended} suspended`,
        )})  → ${token.url}`,
      );
  }
}
