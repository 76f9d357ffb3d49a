/**
 * Writing a secret file so that a crash leaves the old file or the new one, never half: a temporary file
 * in the same folder (mode 0600, fsynced), then a rename (replace) or a link (create only), then an
 * fsync of the folder. Errors are node's own; callers say what the file is.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `text` to `path` atomically with mode 0600. Without `overwrite`, fails with EEXIST if it exists. */
export async function writeSecretFileAtomic(path: string, text: string, overwrite: boolean): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      // A restrictive umask is fine; a permissive one must not widen the mode.
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (overwrite) {
      await rename(temp, path);
    } else {
      // link() fails if `path` exists, atomically: no window where another writer's file is replaced.
      await link(temp, path);
      await unlink(temp);
    }
    await syncDirectory(dirname(path));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** fsyncs a folder, so that a rename, link or unlink in it survives a power loss. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
