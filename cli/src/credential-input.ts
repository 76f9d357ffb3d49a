/**
 * What `verify` accepts, turned into text the verification pipeline reads: a compact JWT, a
 * credential link, `-` for standard input, a file holding either, or a QR image (PNG/JPEG) to scan.
 */
import { readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';

import { CliError } from './context.js';

const imageExtensions = new Set(['.png', '.jpg', '.jpeg']);

/** Reads the credential text out of a `verify` argument. Fails: FILE_NOT_FOUND, QR_UNREADABLE. */
export async function readCredentialInput(input: string): Promise<string> {
  if (input === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').trim();
  }
  const looksLikeCredential =
    /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(input) ||
    /^https?:\/\//i.test(input) ||
    /^[0-9]+$/.test(input);
  if (looksLikeCredential) return input;
  if (!existsSync(input) || !statSync(input).isFile()) {
    throw new CliError('FILE_NOT_FOUND', `${input} is neither a credential, a link nor a readable file`);
  }
  if (imageExtensions.has(extname(input).toLowerCase())) {
    const { readQrImage } = await import('@credledger/sdk');
    return readQrImage(input);
  }
  return (await readFile(input, 'utf8')).trim();
}
