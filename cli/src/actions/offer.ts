/**
 * `credledger offer <type> --<field> <value> … | --data subject.json --profile tw-diw|ietf`: an
 * OpenID4VCI credential offer for a citizen's wallet. Nothing is signed or anchored yet: the credential
 * is issued when the wallet redeems the offer at `credledger serve --wallet`, signed for the key the
 * wallet proves it holds. Prints the credential id it will have, the offer link (QR code) and a
 * six-digit transaction code to send to the holder another way. One offer, one credential.
 * What the command does; its arguments, options and help are wired in commands/offer.ts, which
 * loads this module when the command runs.
 */
import { randomUUID } from 'node:crypto';

import type { Command } from 'commander';

import { cliError, type Context } from '../context.js';
import { type sdJwtProfileChoices } from '../format-args.js';
import { writePrivate } from '../issue-one.js';
import { subjectFromArgs } from '../subject-args.js';
import { validityFromFlags } from '../validity-args.js';
import { walletIssuerUrl, offersDirectory } from '../wallet-serve.js';
import { connect, issuerForType, openWorkspace, readerIdentity } from '../workspace.js';

interface OfferOptions {
  readonly data?: string;
  readonly issuer?: string;
  readonly as?: string;
  readonly profile: (typeof sdJwtProfileChoices)[number];
  readonly validFor: string;
  readonly issuerUrl?: string;
  readonly qrPng?: string;
  readonly qrTerminal?: boolean;
  readonly byValue?: boolean;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly supersede?: boolean;
}

/** `30m`, `24h`, `7d` (also `90s`) in milliseconds; undefined for anything else or more than 30 days. */
export function durationMs(text: string): number | undefined {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const ms = Number(match[1]) * unit;
  return ms > 0 && ms <= 30 * 86_400_000 ? ms : undefined;
}

/** The action of `credledger offer`. */
export async function offer(ctx: Context, type: string, options: OfferOptions, ...rest: unknown[]): Promise<void> {
  const commandArgs = (rest.at(-1) as Command | undefined)?.args ?? [];
  const workspace = openWorkspace(ctx.options.workspace);
  const validForMs = durationMs(options.validFor);
  if (validForMs === undefined)
    throw cliError('INVALID_INPUT', 'offerValidFor', { value: JSON.stringify(options.validFor) });
  const subject = await subjectFromArgs(type, commandArgs.slice(1), options.data, ctx);
  const validity = await validityFromFlags(type, options, ctx);
  const issuerDid = issuerForType(workspace, type, options.issuer);
  const credentialIssuer = walletIssuerUrl(options.issuerUrl ?? workspace.config.statusBaseUrl);
  const [issuing, oid4vc, { Registry }, { getCredentialType }] = await Promise.all([
    import('@credledger/issuer'),
    import('@credledger/oid4vc'),
    import('@credledger/ledger'),
    import('@credledger/verify'),
  ]);
  // The chaincode refuses a second active credential for a subject when the wallet redeems; say so now.
  if (options.supersede !== true) {
    await using opened = await connect(workspace, readerIdentity(workspace, options.as));
    const [conflict] = await issuing.findSubjectConflicts(
      new Registry(opened.ledger),
      issuerDid,
      getCredentialType(type),
      [subject],
    );
    if (conflict !== undefined)
      throw cliError('SUBJECT_HAS_ACTIVE_CREDENTIAL', 'offerSubjectHeld', {
        credentialId: conflict.credentialId,
        status: conflict.status,
      });
  }
  // A URL wallets would refuse is said before anything is written.
  oid4vc.credentialIssuerUrl(credentialIssuer);
  const offers = oid4vc.openOfferStore(offersDirectory(workspace));
  const created = await offers.create(
    {
      credentialId: `urn:uuid:${randomUUID()}`,
      issuerDid,
      type,
      profile: options.profile,
      subject,
      ...(validity.validFrom === undefined ? {} : { validFrom: validity.validFrom.toISOString() }),
      ...(validity.validUntil === undefined
        ? {}
        : { validUntil: validity.validUntil === null ? null : validity.validUntil.toISOString() }),
      ...(options.supersede === true ? { supersede: true } : {}),
    },
    { validForMs },
  );
  const link = await oid4vc.credentialOfferLink(
    { credentialIssuer, preAuthorizedCode: created.preAuthorizedCode, type, profile: options.profile },
    { byValue: options.byValue === true },
  );
  const files: string[] = [];
  if (options.qrPng !== undefined) {
    await writePrivate(options.qrPng, (await issuing.renderPng(link)).png);
    files.push(options.qrPng);
  }
  if (ctx.options.json) {
    ctx.emit({
      offerId: created.offerId,
      credentialId: created.credentialId,
      txCode: created.txCode,
      link,
      credentialIssuer,
      expiresAt: created.expiresAt.toISOString(),
      files,
    });
    return;
  }
  const until = created.expiresAt.toISOString().replace(/\.\d+Z$/, 'Z');
  ctx.say(
    [
      ctx.pick(`要約            ${created.offerId}`, `offer             ${created.offerId}`),
      ctx.pick(`憑證編號        ${created.credentialId}`, `credential id     ${created.credentialId}`),
      ctx.pick(`交易碼          ${created.txCode}`, `transaction code  ${created.txCode}`),
      ctx.pick(`錢包連結        ${link}`, `wallet link       ${link}`),
    ].join('\n'),
  );
  if (options.qrTerminal === true) ctx.say((await issuing.renderTerminal(link)).text);
  for (const file of files) ctx.note(`${ctx.pick('已寫入', 'wrote')} ${file}`);
  ctx.note(
    ctx.pick(
      `請另以簡訊、信件或臨櫃告知持有者交易碼（QR 碼不含交易碼）。要約可兌換一次，至 ${until} 止，兌換處：${credentialIssuer}（需執行 credledger serve --wallet）`,
      `send the transaction code to the holder another way (SMS, letter, at the counter): the QR code does not carry it. The offer can be redeemed once, until ${until}, at ${credentialIssuer} (credledger serve --wallet must run there)`,
    ),
  );
}
