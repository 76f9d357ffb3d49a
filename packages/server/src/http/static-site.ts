/**
 * The built verifier page, read into memory once at start (it is a few small files), with an ETag and a
 * gzip copy of each text file, so serving it costs no disk reads. The copies are made after the start,
 * one file at a time on one thread of libuv's pool (the page's 1.6 MB take ~60 ms at level 9), so the
 * server listens without waiting for them and the ledger's reads keep the pool's other threads.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

import { CredledgerError } from '@credledger/verify';

export interface StaticFile {
  readonly body: Buffer;
  /** The gzip copy, once made; undefined for a file not worth compressing (or if compressing failed). */
  readonly gzip: Promise<Buffer | undefined> | undefined;
  readonly contentType: string;
  readonly etag: string;
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

const gzipAsync = promisify(gzip);

/** Largest web root the server will hold in memory. */
const MAX_SITE_BYTES = 32 * 1024 * 1024;

function extension(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(dot).toLowerCase();
}

/**
 * Reads every file under `root` into memory, keyed by URL path (`/index.html`). Dot files are skipped.
 * Fails: FILE_NOT_FOUND (no such directory), CONFIG_INVALID (too large).
 */
export async function loadStaticSite(root: string): Promise<Map<string, StaticFile>> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new CredledgerError('FILE_NOT_FOUND', `web root ${root} is not a directory`);
  const files = new Map<string, StaticFile>();
  let total = 0;
  // Each copy starts when the one before it is made.
  let compressed: Promise<unknown> = Promise.resolve();
  const compress = (body: Buffer): Promise<Buffer | undefined> => {
    const copy = compressed.then(() => gzipAsync(body, { level: 9 })).catch(() => undefined);
    compressed = copy;
    return copy;
  };
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
      } else if (entry.isFile()) {
        const body = await readFile(path);
        total += body.length;
        if (total > MAX_SITE_BYTES)
          throw new CredledgerError('CONFIG_INVALID', `web root ${root} is larger than ${MAX_SITE_BYTES} bytes`);
        const type = contentTypes[extension(entry.name)] ?? 'application/octet-stream';
        const compressible = /^text\/|json|svg|javascript|wasm/.test(type) && body.length > 256;
        files.set('/' + relative(root, path).split(sep).join('/'), {
          body,
          gzip: compressible ? compress(body) : undefined,
          contentType: type,
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        });
      }
    }
  };
  await walk(root);
  return files;
}
