/**
 * What `verify` accepts, turned into text the verification pipeline reads: a compact JWT, a
 * credential link, `-` for standard input, a file holding either, a QR image (PNG/JPEG) to scan, or a
 * credledger document (PDF): the credential attached to it, else the QR code printed in it.
 *
 * The same bytes get the same verdict however they arrive. An argument is read as a file when a file
 * of that name exists; otherwise it is a FILE_NOT_FOUND only when it looks like a path (see
 * `looksLikePath`); anything else is credential text, verified as such (MALFORMED if it is none).
 * `verify --help` reads this module for its rule in words, so node:fs/promises loads only when a
 * file is read.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';

import { cliError } from './cli-error.js';
import type { I18n } from './i18n.js';
import { quoted } from './quoted.js';

const imageExtensions: ReadonlySet<string> = new Set(['.png', '.jpg', '.jpeg']);

/** File name endings that say "this is a file": the QR images, and what credentials are saved as. */
const fileExtensions: ReadonlySet<string> = new Set([...imageExtensions, '.pdf', '.jwt', '.txt', '.json']);

/** The longest path Linux accepts (PATH_MAX); a longer argument cannot name a file. */
const maxPathLength = 4096;

/**
 * Whether a `verify` argument that names no existing file was meant as a path: one line, not longer
 * than a path can be, no URL scheme, and either a `/` or `\` in it or a file name ending
 * (.jwt .txt .json .png .jpg .jpeg). A compact JWS has none of these (base64url has no `/`, and its
 * dots separate parts, not an extension of those names).
 */
export function looksLikePath(input: string): boolean {
  if (input.length > maxPathLength || /[\r\n]/.test(input) || /^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return false;
  return /[/\\]/.test(input) || fileExtensions.has(extname(input).toLowerCase());
}

function isFile(path: string): boolean {
  try {
    return path.length <= maxPathLength && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where a credential was read from, when it matters to the reader: the QR code printed in a PDF. */
export interface CredentialSource {
  readonly text: string;
  /** Set when a PDF carried no credential and its printed QR code was read instead (page, from 1). */
  readonly pdfQrPage?: number;
}

/** Reads the credential text out of a `verify` argument. Fails: FILE_NOT_FOUND, QR_UNREADABLE. */
export async function readCredentialInput(input: string): Promise<string> {
  return (await readCredentialSource(input)).text;
}

/** As {@link readCredentialInput}, saying whether a PDF's printed QR code stood in for its attachment. */
export async function readCredentialSource(input: string): Promise<CredentialSource> {
  if (input === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { text: Buffer.concat(chunks).toString('utf8').trim() };
  }
  if (!isFile(input)) {
    if (!looksLikePath(input)) return { text: input.trim() };
    throw cliError('FILE_NOT_FOUND', 'noReadableFile', { value: await quoted(input) });
  }
  if (imageExtensions.has(extname(input).toLowerCase())) {
    const { readQrImage } = await import('@credledger/issuer');
    return { text: await readQrImage(input) };
  }
  if (extname(input).toLowerCase() === '.pdf') return readPdfCredential(input);
  const { readFile } = await import('node:fs/promises');
  try {
    return { text: (await readFile(input, 'utf8')).trim() };
  } catch {
    throw cliError('FILE_NOT_FOUND', 'cannotRead', { file: await quoted(input) });
  }
}

/**
 * The credential a credledger document (PDF) carries as its attachment; a PDF without one (the
 * attachment removed on the way, or a printed document scanned back) is read through the QR code
 * printed in it: credledger's vector symbol rasterised, or a page image. A PDF with neither is refused
 * in one line that says how to verify it instead.
 */
async function readPdfCredential(path: string): Promise<CredentialSource> {
  const { readFile } = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    throw cliError('FILE_NOT_FOUND', 'cannotRead', { file: await quoted(path) });
  }
  const reader = await import('@credledger/documents/reader');
  try {
    return { text: (await reader.readDocumentCredential(bytes)).jwt };
  } catch (error) {
    const { code, details } = error as { code?: unknown; details?: { reason?: unknown } };
    if (code !== 'INVALID_INPUT') throw error;
    if (details?.reason === 'NO_CREDENTIAL') {
      const printed = await readPrintedQr(bytes, reader.findInPdfPictures);
      if ('text' in printed) return { text: printed.text, pdfQrPage: printed.page };
      throw cliError('INVALID_INPUT', 'pdfWithoutCredentialOrQr', {
        file: path,
        reason: `${(error as Error).message}, and no QR code could be read on its pages${printed.skipped}`,
      });
    }
    throw cliError('INVALID_INPUT', 'pdfWithoutCredential', { file: path, reason: (error as Error).message });
  }
}

/**
 * The first QR code jsQR reads in the PDF's pictures (its vector drawing first, then its images; a
 * JPEG page image through the same JPEG decoder as a photo given to `verify`), or what was left unread.
 */
async function readPrintedQr(
  bytes: Uint8Array,
  findInPdfPictures: typeof import('@credledger/documents/reader').findInPdfPictures,
): Promise<{ text: string; page: number } | { skipped: string }> {
  const { readQrImage, readQrPixels } = await import('@credledger/issuer');
  const jpegs: string[] = [];
  const result = await findInPdfPictures(bytes, async (picture) => {
    const text =
      picture.kind === 'pixels'
        ? readQrPixels(picture.rgba, picture.width, picture.height)
        : await readQrImage(picture.bytes).catch((error: unknown) => {
            jpegs.push(`page ${picture.page}: a JPEG image (${(error as Error).message})`);
            return undefined;
          });
    // Binary QR content is not a link; only text codes can carry a credential.
    return text === undefined || text.length === 0 ? undefined : text;
  });
  if ('found' in result) return { text: result.found, page: result.page };
  const unread = [...result.skipped, ...jpegs];
  return { skipped: unread.length === 0 ? '' : ` (not read: ${unread.join('; ')})` };
}

/** The rule above in the operator's words, for `verify --help`. */
export function credentialInputHelp(t: I18n): string {
  return t.pick(
    [
      '',
      '引數的判讀：有此名稱的檔案就讀取該檔（PDF 文件讀取其附件中的憑證，沒有附件則讀取印在其中的 QR 碼）；',
      '否則含 / 或 \\、或以 .jwt .txt .json .png .jpg .jpeg .pdf 結尾的引數視為路徑（找不到即 FILE_NOT_FOUND）；',
      '其餘一律當作憑證文字驗證（不是憑證即 MALFORMED）。',
    ].join('\n'),
    [
      '',
      'How an argument is read: a file of that name is read (a PDF document: the credential attached to it, else',
      'the QR code printed in it); otherwise an argument with / or \\ in it, or ending in .jwt .txt .json .png .jpg',
      '.jpeg .pdf, is a path (FILE_NOT_FOUND when missing); anything else is verified as credential text (MALFORMED',
      'when it is none).',
    ].join('\n'),
  );
}
