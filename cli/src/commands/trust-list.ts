/**
 * `credledger trust-list export`: the governance organisation signs the registry's public facts
 * (issuers, names, types, keys with their windows) so verifiers can work offline. The governance key
 * is created on first export; verifiers pin its public key (printed here).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';

import { action } from '../context.js';
import { createIssuerKey, issuerKeyFile } from '../issuing.js';
import { examples, readerOption, type Wiring } from '../wiring.js';
import { connect, governanceKeysFileName, openWorkspace, trustListFileName, readerIdentity } from '../workspace.js';

export function registerTrustList(program: Command, { t }: Wiring): void {
  const trustList = program.command('trust-list').description(t.pick('信任清單', 'trust list'));
  const exportCommand = trustList
    .command('export')
    .description(
      t.pick(
        '由發行者登記簿匯出經治理機關簽署的信任清單',
        'export the governance-signed trust list from the issuer registry',
      ),
    )
    .option('--out <dir>', t.pick('輸出目錄', 'output directory'), '.')
    .option('--governance-did <did>', t.pick('治理機關 DID', 'governance DID'), 'did:web:ndc.gov.tw')
    .option('--days <n>', t.pick('有效天數', 'days the list stays valid'), '7')
    .addOption(readerOption(t))
    .action(
      action(async (ctx, options: { out: string; governanceDid: string; days: string; as?: string }) => {
        const workspace = openWorkspace(ctx.options.workspace);
        const [{ nodeCredentialSigner, readIssuerKeyFile }, { Registry }, { signTrustList }] = await Promise.all([
          import('@credledger/issuer'),
          import('@credledger/ledger'),
          import('@credledger/verify/formats'),
        ]);
        const kid = `${options.governanceDid}#key-1`;
        const keyFile = issuerKeyFile(workspace, kid);
        const key = existsSync(keyFile)
          ? await readIssuerKeyFile(keyFile, await ctx.keyPassphrase.read())
          : await createIssuerKey(workspace, ctx.keyPassphrase, options.governanceDid, 'key-1', 'ES256');
        await using opened = await connect(workspace, readerIdentity(workspace, options.as));
        const issuers = await new Registry(opened.ledger).listIssuers();
        const issuedAt = new Date();
        const jwt = await signTrustList(
          {
            issuers,
            issuedAt,
            validUntil: new Date(issuedAt.getTime() + Number(options.days) * 86_400_000),
            governanceDid: options.governanceDid,
          },
          { kid: key.kid, alg: key.alg, signer: nodeCredentialSigner(key.privateKey) },
        );
        const file = join(options.out, trustListFileName);
        const pinned = join(options.out, governanceKeysFileName);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, `${jwt}\n`);
        const keys = `${JSON.stringify([{ kid: key.kid, publicKeyJwk: key.publicKeyJwk }], null, 2)}\n`;
        await writeFile(pinned, keys);
        // The workspace's own pinned copy: `verify --status-dir` trusts this one, never a key file
        // lying beside the lists it checks.
        await writeFile(workspace.resolve(governanceKeysFileName), keys);
        if (ctx.options.json) ctx.emit({ file, governanceKeys: pinned, issuers: issuers.length, kid: key.kid });
        else
          ctx.say(
            t.pick(
              `已寫入 ${file}（${issuers.length} 個發行者）；治理機關公鑰：${pinned}`,
              `wrote ${file} (${issuers.length} issuers); governance key to pin: ${pinned}`,
            ),
          );
      }),
    );
  examples(exportCommand, t, ['credledger trust-list export --out public/']);
}
