/**
 * A fresh SoftHSM 2 token for one test: its own SOFTHSM2_CONF and token folder in a temp directory,
 * initialised with `softhsm2-util --init-token --free`, removed by `cleanup`. SoftHSM reads
 * SOFTHSM2_CONF from the real process environment when the module initialises, which jest's sandboxed
 * `process.env` never reaches: whatever opens the token runs as a child process with `env`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian (and a source build) put the SoftHSM 2 module. */
const moduleCandidates = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

/** The SoftHSM 2 module on this machine, or why the PKCS#11 tests cannot run here. */
export const softhsm: { readonly module: string } | { readonly missing: string } = (() => {
  const util = spawnSync('softhsm2-util', ['--version'], { encoding: 'utf8' });
  if (util.error !== undefined || util.status !== 0)
    return { missing: 'softhsm2-util is not installed (Debian: apt-get install softhsm2)' };
  const module = moduleCandidates.find((path) => existsSync(path));
  if (module === undefined)
    return { missing: `softhsm2-util is installed but libsofthsm2.so is not in ${moduleCandidates.join(', ')}` };
  return { module };
})();

export interface SoftHsmToken {
  readonly module: string;
  readonly label: string;
  readonly pin: string;
  /** The environment of a process that is to see this token (and only it). */
  readonly env: Readonly<Record<string, string>>;
  /** The temp directory holding the configuration and the token. */
  readonly dir: string;
  cleanup(): Promise<void>;
}

/** Initialises a token in a temp directory of its own. */
export async function createSoftHsmToken(
  options: { readonly label?: string; readonly pin?: string } = {},
): Promise<SoftHsmToken> {
  if (!('module' in softhsm)) throw new Error(softhsm.missing);
  const label = options.label ?? 'credledger-test';
  const pin = options.pin ?? '246810';
  const dir = await mkdtemp(join(tmpdir(), 'credledger-softhsm-'));
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const tokens = join(dir, 'tokens');
    await mkdir(tokens, { mode: 0o700 });
    const conf = join(dir, 'softhsm2.conf');
    await writeFile(
      conf,
      [`directories.tokendir = ${tokens}`, 'objectstore.backend = file', 'log.level = ERROR', ''].join('\n'),
    );
    const env = { SOFTHSM2_CONF: conf };
    const init = spawnSync(
      'softhsm2-util',
      ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', `${pin}-so`],
      { encoding: 'utf8', env: { ...process.env, ...env } },
    );
    if (init.status !== 0) throw new Error(`softhsm2-util --init-token failed: ${init.stderr}${init.stdout}`);
    return { module: softhsm.module, label, pin, env, dir, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
