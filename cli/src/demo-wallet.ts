/**
 * `credledger demo --wallet`: a lawyer's licence travels through a citizen's wallet, for real, against the
 * demo's running `serve --wallet` over HTTP. The ministry makes an offer (what `credledger offer` does),
 * a wallet — credledger's reference wallet, standing in for TW DIW or an EU wallet — redeems it with the
 * transaction code and its own key, then a court clerk's verifier asks for the name and the licence
 * number only and the wallet discloses exactly those. Each step is said as it happens.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import type { Context } from './context.js';
import { writePrivate } from './issue-one.js';
import { offersDirectory } from './wallet-serve.js';
import { issuerForType, type Workspace } from './workspace.js';

export interface WalletWalkthrough {
  readonly offerId: string;
  readonly credentialId: string;
  readonly offerLink: string;
  readonly offerQrPng: string;
  readonly credentialFile: string;
  readonly requestLink: string;
  readonly disclosed: readonly string[];
  readonly verdict: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

const type = 'LawyerLicenceCredential';
const subject = {
  name: '陳怡君',
  licenceNumber: '(114)台檢證字第000777號',
  admissionDate: '2021-09-01',
  practiceStatus: 'practising',
};
const asked = ['name', 'licenceNumber'];

/** Runs the walk-through against the server at `credentialIssuer`; writes the offer QR and the licence to `dir`. */
export async function walletWalkthrough(
  ctx: Context,
  workspace: Workspace,
  credentialIssuer: string,
  dir: string,
): Promise<WalletWalkthrough> {
  const [oid4vc, issuing, { getCredentialType }] = await Promise.all([
    import('@credledger/oid4vc'),
    import('@credledger/issuer'),
    import('@credledger/verify'),
  ]);
  const fields = getCredentialType(type).fields;
  const labels = (names: readonly string[], lang: 'zh-TW' | 'en'): string[] =>
    names.map((name) => fields.find((field) => field.name === name)?.label[lang] ?? name);
  const say = (zh: string, en: string): void => {
    if (!ctx.options.json) ctx.say(ctx.pick(zh, en));
  };

  say(
    '\n數位皮夾示範（OpenID4VCI 發證、OpenID4VP 出示；docs/wallet.md）',
    '\nWallet tour (OpenID4VCI to receive, OpenID4VP to present; docs/wallet.md)',
  );
  const created = await oid4vc.openOfferStore(offersDirectory(workspace)).create(
    {
      credentialId: `urn:uuid:${randomUUID()}`,
      issuerDid: issuerForType(workspace, type, undefined),
      type,
      profile: 'ietf',
      subject,
    },
    { validForMs: 15 * 60_000 },
  );
  const offerLink = await oid4vc.credentialOfferLink({
    credentialIssuer,
    preAuthorizedCode: created.preAuthorizedCode,
    type,
    profile: 'ietf',
  });
  const offerQrPng = join(dir, 'wallet-offer.png');
  await writePrivate(offerQrPng, (await issuing.renderPng(offerLink)).png);
  say(
    `1. 法務部為 ${subject.name} 建立要約（credledger offer ${type} … --profile ietf）：\n` +
      `   QR 碼 ${offerQrPng}，交易碼 ${created.txCode} 另以簡訊寄給律師；憑證尚未簽發`,
    `1. The Ministry of Justice offers ${subject.name} her licence (credledger offer ${type} … --profile ietf):\n` +
      `   QR code ${offerQrPng}; transaction code ${created.txCode}, sent to her by SMS; nothing is signed yet`,
  );

  const wallet = oid4vc.createReferenceWallet();
  const received = await wallet.receive(offerLink, created.txCode);
  const credentialFile = join(dir, 'wallet-licence.sd-jwt');
  await writePrivate(credentialFile, `${received.credential}\n`);
  say(
    `2. 律師的皮夾掃描 QR 碼、輸入交易碼、以自己的金鑰證明持有，取得 SD-JWT 憑證 ${created.credentialId}：\n` +
      `   憑證綁定皮夾的金鑰（cnf），簽發當下上鏈；要約已用過，不能再兌換（${credentialFile}）`,
    `2. Her wallet scans the QR code, enters the code, proves its key and receives SD-JWT VC ${created.credentialId}:\n` +
      `   bound to the wallet's key (cnf), anchored on the ledger as it was issued; the offer is used up (${credentialFile})`,
  );

  const requested = await fetch(`${credentialIssuer}/oid4vp/requests`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ credentialType: type, claims: asked }),
  });
  if (requested.status !== 201) throw new Error(`the verifier refused the request: ${await requested.text()}`);
  const request = (await requested.json()) as { id: string; link: string };
  say(
    '3. 法院書記官的驗證端只要求「姓名」與「證書字號」（OpenID4VP，DCQL），皮夾掃描其 QR 碼',
    "3. A court clerk's verifier asks for the name and the licence number only (OpenID4VP, DCQL); the wallet scans its QR code",
  );

  const presented = await wallet.present(request.link, received.credential);
  const answer = (await (await fetch(`${credentialIssuer}/oid4vp/requests/${request.id}`)).json()) as {
    outcome?: { verdict: string; claims: Record<string, unknown> };
  };
  const verdict = answer.outcome?.verdict ?? 'UNANSWERED';
  const claims = answer.outcome?.claims ?? {};
  const hidden = Object.keys(subject).filter((name) => !presented.disclosed.includes(name));
  say(
    `4. 皮夾只揭露${labels(presented.disclosed, 'zh-TW').join('、')}，附上持有者簽章；驗證結果 ${verdict}：${Object.values(claims).join('，')}\n` +
      `   其餘欄位（${labels(hidden, 'zh-TW').join('、')}）從未離開皮夾\n` +
      `   試試：npx credledger -w ${workspace.dir} verify ${credentialFile}`,
    `4. The wallet discloses the ${labels(presented.disclosed, 'en').join(' and ').toLowerCase()} only, signed with its key; verdict ${verdict}: ${Object.values(claims).join(', ')}\n` +
      `   the other claims (${labels(hidden, 'en').join(', ').toLowerCase()}) never left the wallet\n` +
      `   try: npx credledger -w ${workspace.dir} verify ${credentialFile}`,
  );
  return {
    offerId: created.offerId,
    credentialId: created.credentialId,
    offerLink,
    offerQrPng,
    credentialFile,
    requestLink: request.link,
    disclosed: presented.disclosed,
    verdict,
    claims,
  };
}
