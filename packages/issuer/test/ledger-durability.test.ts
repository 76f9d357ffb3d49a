/**
 * Durability with real processes: a writer killed with SIGKILL at several points during commits leaves
 * a ledger that reopens consistent, with every block whole and every acknowledged commit present; a
 * second process opening a ledger in use gets LEDGER_LOCKED naming the holder, or acts through the
 * holder when it serves its peer socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { peerSocketPath } from '@credledger/ledger-embedded/protocol';
import { ledgers } from '@credledger/ledger';
import { openFixtureNetwork, tempDir } from './helpers/ledger-fixture.js';

const child = fileURLToPath(new URL('./helpers/ledger-child.mjs', import.meta.url));
const built = fileURLToPath(new URL('../../../sdk/dist/index.js', import.meta.url));

interface Running {
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line matching `pattern`. */
  waitFor(pattern: RegExp): Promise<string>;
  exited: Promise<void>;
}

function run(mode: 'hold' | 'serve' | 'write', directory: string): Running {
  const proc = spawn(process.execPath, [child, mode, directory], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let buffered = '';
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  proc.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<void>((resolve) => {
    proc.on('exit', () => {
      resolve();
    });
  });
  return {
    process: proc,
    lines,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const found = lines.find((l) => pattern.test(l));
        if (found) {
          resolve(found);
          return;
        }
        waiters.push({ pattern, resolve });
        void exited.then(() => {
          setTimeout(() => {
            reject(new Error(`child exited before ${String(pattern)}: ${stderr}`));
          }, 50);
        });
      }),
  };
}

const describeBuilt = existsSync(built) ? describe : describe.skip;
if (!existsSync(built)) console.warn('ledger durability tests skipped: build the packages first (npm run build)');

describeBuilt('embedded ledger durability (child processes)', () => {
  it('survives SIGKILL at several points during commits: reopens consistent with acknowledged commits present', async () => {
    const directory = await tempDir('crash');
    const killAfterMs = [0, 3, 15, 40, 90, 160];
    let acknowledged: { block: bigint; key: string; many: boolean }[] = [];
    try {
      for (const delay of killAfterMs) {
        const writer = run('write', directory);
        await writer.waitFor(/^committed /);
        await new Promise((r) => setTimeout(r, delay));
        writer.process.kill('SIGKILL');
        await writer.exited;
        acknowledged = acknowledged.concat(
          writer.lines
            .filter((l) => l.startsWith('committed '))
            .map((l) => {
              const [, block, , key, kind] = l.split(' ');
              return { block: BigInt(block ?? '0'), key: key ?? '', many: kind === 'many' };
            }),
        );
        const { network } = await openFixtureNetwork({ directory });
        try {
          const report = await network.verifyChain();
          expect(report).toEqual({ ok: true, blocks: network.height(), problems: [] });
          const highest = acknowledged.reduce((m, a) => (a.block > m ? a.block : m), 0n);
          expect(network.height()).toBeGreaterThan(highest);
          const ledger = network.connect('NdcMSP/auditor');
          for (const a of acknowledged.slice(-20)) {
            const probe = a.many ? `${a.key}/00000199` : a.key;
            expect(Buffer.from(await ledger.evaluate('Get', probe)).toString()).not.toBe('');
          }
        } finally {
          await network.close();
        }
      }
      expect(acknowledged.length).toBeGreaterThan(killAfterMs.length);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 120_000);

  it('loads neither fabric-shim nor LevelDB when the sdk is imported without opening a ledger', async () => {
    const script = `
      const { createRequire } = await import('node:module');
      await import(${JSON.stringify(built)});
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => /fabric-shim|fabric-contract-api|classic-level|winston/.test(k));
      process.stdout.write(JSON.stringify(loaded));`;
    const proc = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await new Promise<void>((resolve) => {
      proc.on('exit', () => {
        resolve();
      });
    });
    expect(JSON.parse(out)).toEqual([]);
  }, 30_000);

  it('gives LEDGER_LOCKED naming the holding process, and opens once the holder is gone', async () => {
    const directory = await tempDir('lock');
    const holder = run('hold', directory);
    try {
      await holder.waitFor(/^ready /);
      await expect(openFixtureNetwork({ directory })).rejects.toMatchObject({
        code: 'LEDGER_LOCKED',
        details: { pid: holder.process.pid },
      });
      holder.process.kill('SIGKILL');
      await holder.exited;
      const { network } = await openFixtureNetwork({ directory });
      expect((await network.verifyChain()).ok).toBe(true);
      await network.close();
    } finally {
      holder.process.kill('SIGKILL');
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);

  it('reaches a holder in another process through its socket; once the holder is killed (SIGKILL) its socket file blocks nobody, and the next serving holder replaces it', async () => {
    const directory = await tempDir('serve');
    let holder = run('serve', directory);
    try {
      await holder.waitFor(/^ready /);
      const reached = await ledgers.embedded({ directory, chaincodeName: 'fixture' });
      const operator = reached.connect('MojMSP/operator');
      const { txId } = await operator.submit('Put', 'k', 'v');
      holder.process.kill('SIGKILL');
      await holder.exited;
      await expect(operator.evaluate('Get', 'k')).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
      await reached.close();
      // What the killed holder left behind: a socket file nobody listens on.
      expect((await stat(peerSocketPath(directory))).isSocket()).toBe(true);

      const { network } = await openFixtureNetwork({ directory });
      expect(network.sharing).toBeUndefined();
      expect(Buffer.from(await network.connect('NdcMSP/auditor').evaluate('History', 'k')).toString()).toContain(txId);
      await network.close();

      holder = run('serve', directory);
      await holder.waitFor(/^ready /);
      const again = await ledgers.embedded({ directory, chaincodeName: 'fixture' });
      expect(Buffer.from(await again.connect('MojMSP/auditor').evaluate('Get', 'k')).toString()).toBe('v');
      await again.close();
    } finally {
      holder.process.kill('SIGKILL');
      await holder.exited;
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);
});
