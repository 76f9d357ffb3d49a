/**
 * One credential, end to end, for `issue` and `demo`: sign with the issuer's key, anchor through its
 * organisation, then write the JWT and QR codes the operator asked for.
 */
import { open } from 'node:fs/promises';

import type { SdJwtOptions, ValidityOptions } from '@credledger/issuer';
import type { Label } from '@credledger/verify';

import { cliError, withDetails } from './context.js';
import { writeCredentialDocument, type DocumentFormat, type WrittenDocument } from './document-output.js';
import { openIssuing } from './issuing.js';
import type { KeyPassphrase } from './passphrase.js';
import type { Workspace } from './workspace.js';

export interface IssueOutputs {
  readonly jwtFile?: string;
  readonly qrPng?: string;
  readonly qrSvg?: string;
  readonly qrTerminal?: boolean;
  /** The printable document (PDF) and its layout (default A4). */
  readonly pdf?: string;
  readonly pdfFormat?: DocumentFormat;
}

export interface IssueOneRequest {
  readonly type: string;
  /** A subject that passed `validateSubject`. */
  readonly subject: Readonly<Record<string, unknown>>;
  readonly issuerDid: string;
  readonly as?: string;
  /** Validity (default: from now for the type's term); `allowExpired` to issue one already expired. */
  readonly validity?: ValidityOptions;
  /** Replace the subject's ACTIVE credential (revoked as SUPERSEDED) instead of refusing. */
  readonly supersede?: boolean;
  /** Issue as an SD-JWT VC (for wallets) instead of a `vc+jwt`. */
  readonly sdJwt?: SdJwtOptions;
  readonly outputs: IssueOutputs;
  /** What decrypts the issuer's key file: the command's (`ctx.keyPassphrase`). */
  readonly keyPassphrase: KeyPassphrase;
}

export interface IssueOneResult {
  readonly id: string;
  readonly jwt: string;
  /** The QR link `<verifierBaseUrl>#<encoded credential>`; null for an SD-JWT (it goes to a wallet). */
  readonly link: string | null;
  readonly txId: string | undefined;
  /** The credential this one superseded, when it did. */
  readonly supersedes?: string;
  readonly files: readonly string[];
  readonly terminalQr?: string;
  /** The printable document written, when asked for. */
  readonly document?: WrittenDocument;
}

export async function issueOne(workspace: Workspace, request: IssueOneRequest): Promise<IssueOneResult> {
  const { outputs } = request;
  // Checked before anything is signed: an SD-JWT has no QR code or document yet.
  if (
    request.sdJwt !== undefined &&
    (outputs.qrPng !== undefined ||
      outputs.qrSvg !== undefined ||
      outputs.qrTerminal === true ||
      outputs.pdf !== undefined)
  )
    throw cliError('INVALID_INPUT', 'sdJwtNoQr', {});
  let issued: { id: string; jwt: string; supersedes?: string } | undefined;
  let txId: string | undefined;
  let issuerName: Label | undefined;
  {
    await using session = await openIssuing(workspace, request.issuerDid, request.as, request.keyPassphrase);
    issuerName = session.record.name;
    [issued] = await session.issuer
      .issueBatch(request.type, [request.subject], {
        ...request.validity,
        ...(request.supersede === true ? { supersede: true } : {}),
        ...(request.sdJwt === undefined ? {} : { sdJwt: request.sdJwt }),
        onAnchored: (_credentials, receipt) => {
          txId = receipt.txId;
        },
      })
      .catch((error: unknown) => {
        // The credential that holds the subject, for the error's phrase (the sdk lists it in `conflicts`).
        const held = (error as { details?: { conflicts?: { credentialId?: unknown }[] } }).details?.conflicts?.[0];
        throw typeof held?.credentialId === 'string' ? withDetails(error, { credentialId: held.credentialId }) : error;
      });
  }
  if (!issued) throw cliError('INTERNAL', 'nothingIssued', {});
  const { id, jwt, supersedes } = issued;
  return {
    id,
    jwt,
    txId,
    ...(supersedes === undefined ? {} : { supersedes }),
    ...(await writeCredentialOutputs(jwt, workspace.config.verifierBaseUrl, request.outputs, issuerName)),
  };
}

/**
 * Writes a file only its owner can read (0600), like the keys: a credential, or a QR code carrying one,
 * holds the holder's personal data. An existing file is narrowed too (open() keeps an old mode).
 */
export async function writePrivate(path: string, data: string | Uint8Array): Promise<void> {
  const file = await open(path, 'w', 0o600);
  try {
    // Only a regular file: `--out /dev/stdout` must not change the terminal's or a pipe's mode.
    if ((await file.stat()).isFile()) await file.chmod(0o600);
    await file.writeFile(data);
  } finally {
    await file.close();
  }
}

/** Writes the JWT, QR and document outputs of one credential; returns the link, files written and terminal QR. */
export async function writeCredentialOutputs(
  jwt: string,
  verifierBaseUrl: string,
  outputs: IssueOutputs,
  issuerName?: Label,
): Promise<{ link: string | null; files: string[]; terminalQr?: string; document?: WrittenDocument }> {
  const [issuing, { encodeCredentialLink }] = await Promise.all([
    import('@credledger/issuer'),
    import('@credledger/verify/formats'),
  ]);
  if (issuing.isSdJwt(jwt)) {
    // An SD-JWT goes to a wallet (OpenID4VCI, a later step): only its file is written.
    if (outputs.jwtFile !== undefined) await writePrivate(outputs.jwtFile, `${jwt}\n`);
    return { link: null, files: outputs.jwtFile === undefined ? [] : [outputs.jwtFile] };
  }
  const link = encodeCredentialLink(jwt, verifierBaseUrl);
  const files: string[] = [];
  if (outputs.jwtFile !== undefined) {
    await writePrivate(outputs.jwtFile, `${jwt}\n`);
    files.push(outputs.jwtFile);
  }
  if (outputs.qrPng !== undefined) {
    await writePrivate(outputs.qrPng, (await issuing.renderPng(link)).png);
    files.push(outputs.qrPng);
  }
  if (outputs.qrSvg !== undefined) {
    await writePrivate(outputs.qrSvg, (await issuing.renderSvg(link)).svg);
    files.push(outputs.qrSvg);
  }
  let document: WrittenDocument | undefined;
  if (outputs.pdf !== undefined) {
    document = await writeCredentialDocument(jwt, outputs.pdf, {
      verifierBaseUrl,
      format: outputs.pdfFormat ?? 'a4',
      ...(issuerName === undefined ? {} : { issuerName }),
      write: writePrivate,
    });
    files.push(outputs.pdf);
  }
  const terminalQr = outputs.qrTerminal ? (await issuing.renderTerminal(link)).text : undefined;
  return {
    link,
    files,
    ...(terminalQr === undefined ? {} : { terminalQr }),
    ...(document === undefined ? {} : { document }),
  };
}
