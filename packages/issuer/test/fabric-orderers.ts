/**
 * The orderers of a network that `network/fabric.sh` runs natively (FABRIC_MODE=native): which one
 * leads the channel's Raft cluster (`fabric.sh status`), stopping one the way `fabric.sh down` stops
 * every node (SIGTERM to the pid it recorded in `<CL_OUT>/run/orderer<n>.pid`), and bringing the
 * network back with `fabric.sh up`, which starts what is not running. For fabric-network.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const fabricSh = resolve(dirname(fileURLToPath(import.meta.url)), '../../../network/fabric.sh');

/** Runs `network/fabric.sh <args>` on the network whose files are in `outDir` (its CL_OUT). */
function fabric(outDir: string, ...args: string[]): { ok: boolean; output: string } {
  const run = spawnSync('bash', [fabricSh, ...args], {
    env: { ...process.env, CL_OUT: outDir },
    encoding: 'utf8',
    // `up` may rebuild chaincode servers: minutes, not hours.
    timeout: 10 * 60_000,
  });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/**
 * Why the orderers of `outDir` cannot be stopped and restarted from a test; undefined when they can.
 * Native mode is what can: in Docker mode the nodes have no pid files.
 */
export function orderersUnavailable(outDir: string): string | undefined {
  const runDir = join(outDir, 'run');
  const pidFiles = existsSync(runDir) ? readdirSync(runDir).filter((name) => /^orderer\d+\.pid$/.test(name)) : [];
  if (pidFiles.length === 0) {
    return `no orderer pid files in ${runDir} (the network is not run natively by network/fabric.sh, e.g. FABRIC_MODE=docker)`;
  }
  if (pidFiles.length < 3) {
    return `${String(pidFiles.length)} orderer(s) in ${runDir}: a leader change needs the three-orderer Raft cluster (FABRIC_ORDERERS=3)`;
  }
  return undefined;
}

/** The number of the orderer that leads `fabric.sh status`'s channel, from its `raft: leader of … is orderer<n>` line. */
export function raftLeader(outDir: string): number {
  const { ok, output } = fabric(outDir, 'status');
  const match = /raft: leader of \S+ is orderer(\d+)/.exec(output);
  if (!ok || match === null) throw new Error(`network/fabric.sh status named no single Raft leader:\n${output}`);
  return Number(match[1]);
}

/** Stops orderer `n` as `fabric.sh down` does (SIGTERM, SIGKILL after 20 s) and waits until its process is gone. */
export async function stopOrderer(outDir: string, n: number): Promise<void> {
  const pid = Number(readFileSync(join(outDir, 'run', `orderer${String(n)}.pid`), 'utf8').trim());
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  process.kill(pid, 'SIGTERM');
  for (let polls = 0; alive(); polls++) {
    if (polls === 100) process.kill(pid, 'SIGKILL');
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** Brings every stopped node back (`fabric.sh up`). */
export function startNetwork(outDir: string): void {
  const { ok, output } = fabric(outDir, 'up');
  if (!ok) throw new Error(`network/fabric.sh up failed; the network may need an operator:\n${output}`);
}
