/**
 * `credledger document <credential> --out licence.pdf [--format a4|card]`: the printable document of a
 * credential the workspace issued — bilingual, its QR code sized for print, the signed credential
 * attached. The ledger keeps digests, never credentials, so the credential is given as what `verify`
 * reads (its JWT file, its link, its QR image), not by id alone.
 * What the command does; its arguments, options and help are wired in commands/document.ts, which
 * loads this module when the command runs.
 */
import { cliError, type Context } from '../context.js';
import { readCredentialInput } from '../credential-input.js';
import { documentSummary, writeCredentialDocument, type DocumentFormat } from '../document-output.js';
import { writePrivate } from '../issue-one.js';
import { connect, openWorkspace, readerIdentity } from '../workspace.js';

interface DocumentOptions {
  readonly out: string;
  readonly format: DocumentFormat;
  readonly as?: string;
}

/** The action of `credledger document`. */
export async function document(ctx: Context, input: string, options: DocumentOptions): Promise<void> {
  if (/^urn:uuid:/i.test(input.trim())) throw cliError('INVALID_INPUT', 'documentFromId', {});
  const workspace = openWorkspace(ctx.options.workspace);
  const text = await readCredentialInput(input);
  // An SD-JWT (`<jwt>~<disclosure>~…`) is a wallet's credential: refused as one, not as "no credential".
  if (!text.includes('#') && text.includes('~')) throw cliError('INVALID_INPUT', 'sdJwtNoDocument', {});
  const verify = await import('@credledger/verify');
  let jwt = text;
  if (text.includes('#')) {
    const decoded = verify.decodeCredentialLink(text);
    if (!('jwt' in decoded)) throw cliError('CREDENTIAL_MALFORMED', 'notALink', { reason: decoded.error });
    jwt = decoded.jwt;
  }
  const decoded = await verify.decodeCredential(jwt);
  if (!decoded.ok) throw cliError('CREDENTIAL_MALFORMED', 'notACredential', { reason: decoded.detail });
  const { Registry } = await import('@credledger/ledger');
  let issuerName;
  {
    await using opened = await connect(workspace, readerIdentity(workspace, options.as));
    issuerName = (await new Registry(opened.ledger).getIssuer(decoded.credential.issuer)).name;
  }
  const written = await writeCredentialDocument(jwt, options.out, {
    verifierBaseUrl: workspace.config.verifierBaseUrl,
    format: options.format,
    issuerName,
    write: writePrivate,
  });
  if (ctx.options.json) ctx.emit({ id: decoded.credential.id, ...written });
  else ctx.say(`${ctx.pick('已寫入', 'wrote')} ${written.file} (${documentSummary(ctx, written)})`);
}
