/**
 * `credledger trust-list export`: the governance organisation signs the registry's public facts
 * (issuers, names, types, keys with their windows) so verifiers can work offline. The governance key
 * is created on first export; verifiers pin its public key (printed here).
 * What the command does; its arguments, options and help are wired in commands/trust-list.ts, which
 * loads this module when the command runs.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { createIssuerKey, issuerKeyFile } from '../issuing.js';
import { connect, governanceKeysFileName, openWorkspace, trustListFileName, readerIdentity } from '../workspace.js';
import type { Context } from '../context.js';

/** The action of `credledger trust-list export`. */
export async function exportTrustList(
  ctx: Context,
  options: { out: string; governanceDid: string; days: string; as?: string },
): Promise<void> {
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
      ctx.pick(
        `已寫入 ${file}（${issuers.length} 個發行者）；治理機關公鑰：${pinned}`,
        `wrote ${file} (${issuers.length} issuers); governance key to pin: ${pinned}`,
      ),
    );
}
