/**
 * Printable documents for the CLI (`document`, `issue --pdf`, `issue-batch --pdf`, `demo`): the
 * issuing agency's name as the ledger registered it, and one document written owner-only like the JWT
 * it carries. Loads @credledger/documents (typeface, subsetter) only when a document is asked for.
 */
import type { DocumentFormat } from '@credledger/documents';
import type { Label } from '@credledger/verify';

export type { DocumentFormat };

/** The formats `--format` / `--pdf-format` accept. */
export const documentFormatChoices: readonly DocumentFormat[] = ['a4', 'card'];

export interface WrittenDocument {
  readonly file: string;
  readonly bytes: number;
  readonly format: DocumentFormat;
  readonly qrVersion: number;
  readonly qrModuleMm: number;
}

/**
 * Renders one credential's document and writes it with `write` (the caller's owner-only writer: the
 * document holds the holder's personal data).
 * Fails: CREDENTIAL_MALFORMED, UNKNOWN_CREDENTIAL_TYPE, INVALID_INPUT (see `DocumentRenderer.render`).
 */
export async function writeCredentialDocument(
  jwt: string,
  file: string,
  options: {
    readonly verifierBaseUrl: string;
    readonly format: DocumentFormat;
    readonly issuerName?: Label;
    readonly write: (file: string, data: Uint8Array) => Promise<void>;
  },
): Promise<WrittenDocument> {
  const { renderCredentialDocument } = await import('@credledger/documents');
  const { write, ...render } = options;
  const document = await renderCredentialDocument(jwt, render);
  await write(file, document.pdf);
  return {
    file,
    bytes: document.pdf.length,
    format: document.format,
    qrVersion: document.qrVersion,
    qrModuleMm: Math.round(document.qrModuleMm * 1000) / 1000,
  };
}

/** "54 KB, A4, QR version 10 at 0.76 mm a module" in the operator's language. */
export function documentSummary(t: { pick(zh: string, en: string): string }, document: WrittenDocument): string {
  const kb = Math.round(document.bytes / 1024);
  const format = document.format === 'card' ? t.pick('卡片', 'card') : 'A4';
  const mm = document.qrModuleMm.toFixed(2);
  return t.pick(
    `${kb} KB，${format}，QR 版本 ${document.qrVersion}，每模組 ${mm} mm`,
    `${kb} KB, ${format}, QR version ${document.qrVersion} at ${mm} mm a module`,
  );
}
