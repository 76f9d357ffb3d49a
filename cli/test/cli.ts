/**
 * Runs the BUILT `credledger` (cli/dist/credledger.js, the bundle `npm run build` makes) as a user would: a child process, its own working
 * directory and environment, exit code and both streams captured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

export const cliMain = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/credledger.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Variables of the base environment to leave out (e.g. CREDLEDGER_KEY_PASSPHRASE, to run as a new user). */
  readonly unset?: readonly string[];
  readonly input?: string;
}

/** `issue` of the README's lawyer licence (王小明), to which a test adds its output options. */
export const wangLicence: readonly string[] = [
  'issue',
  'LawyerLicenceCredential',
  '--name',
  '王小明',
  '--licence-number',
  '(115)台檢證字第012345號',
  '--admission-date',
  '2020-09-01',
  '--practice-status',
  'practising',
];

/** The environment every test run gets: English output, a fixed key passphrase, quiet chaincode logs. */
export function baseEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LANG: 'en_US.UTF-8',
    CREDLEDGER_KEY_PASSPHRASE: 'test passphrase 1',
    CREDLEDGER_IDENTITY_PASSPHRASE: 'test identity passphrase',
    CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING',
    ...extra,
  };
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  delete env.CREDLEDGER_WORKSPACE;
  delete env.NODE_OPTIONS;
  return env;
}

function withoutVariables(env: NodeJS.ProcessEnv, names: readonly string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}

/** Starts the CLI without waiting. */
export function startCli(args: readonly string[], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [cliMain, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: withoutVariables(baseEnv(options.env), options.unset ?? []),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Collects a started process's output until it exits. */
export function finish(child: ChildProcess, input?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (input !== undefined) child.stdin?.end(input);
  else child.stdin?.end();
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Runs any command (npm, npx, git: the ones on PATH, as a user would) in `cwd` to completion. */
export function runCommand(command: string, args: readonly string[], cwd: string): Promise<CliResult> {
  return finish(spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
}

/** The address a `serve --json` process prints once it listens; rejects if it exits first. */
export function listeningUrl(server: ChildProcess): Promise<string> {
  return new Promise<string>((resolveUrl, reject) => {
    let out = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /"url": "([^"]+)"/.exec(out);
      if (match?.[1] !== undefined) resolveUrl(match[1]);
    });
    server.on('exit', () => {
      reject(new Error(`serve exited early: ${out}`));
    });
  });
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return finish(startCli(args, options), options.input);
}

/** A fresh temp directory, removed by the returned cleanup. */
export async function tempDir(prefix = 'credledger-cli-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Parses the `--json` stdout of a run, failing with both streams when it is not JSON. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- each caller names the JSON shape it expects of the command
export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/** The error lines of a failed run: exactly one `error CODE: …` line is the contract. */
export function errorLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line.startsWith('error '));
}

/** Asserts the exit code, showing both streams when it differs (a bare number says little). */
export function expectExit(result: CliResult, code: number): void {
  if (result.code !== code) {
    throw new Error(
      `expected exit ${code}, got ${result.code} (signal ${result.signal})\nstderr: ${result.stderr}\nstdout: ${result.stdout.slice(0, 2000)}`,
    );
  }
}

/**
 * Holds a workspace's embedded ledger the way a running `issue-batch` does, without serving it, until
 * the returned release is called: other commands then fail LEDGER_LOCKED.
 */
export async function holdLedger(directory: string): Promise<() => Promise<void>> {
  const script = [
    "const { openLedger } = await import('@credledger/ledger');",
    `await openLedger({ backend: 'embedded', directory: ${JSON.stringify(directory)}, create: false });`,
    "process.stdout.write('ready\\n');",
    'setInterval(() => undefined, 60_000);',
  ].join('\n');
  const holder = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dirname(cliMain),
    env: baseEnv(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    holder.once('exit', () => {
      resolve();
    });
  });
  const release = async (): Promise<void> => {
    holder.kill('SIGTERM');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('ready')) resolve();
      });
      void exited.then(() => {
        reject(new Error('the holding process exited early'));
      });
    });
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return typeof address === 'object' && address !== null ? address.port : 0;
}
