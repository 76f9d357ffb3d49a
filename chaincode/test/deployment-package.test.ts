/**
 * The chaincode package as `network/fabric.sh deploy` stages it (its `stage` command runs exactly that
 * step), for both ways Fabric runs it:
 *
 * - Fabric's Node builder. The peer leaves `node_modules` out of a Node chaincode package, copies the
 *   rest into a build folder and runs `npm ci --omit=dev` there (fabric-nodeenv's build.sh). Here a
 *   clean folder gets the same copy and the same command. `@credledger/vocabulary` is on no registry, so
 *   npm can only install it from the package itself: the test proves the package carries it, that
 *   `require('@credledger/vocabulary')` in that folder resolves to the installed copy (a real folder, the
 *   workspace's build byte for byte), and that the contract runtime loads the chaincode from the folder
 *   (`fabric-chaincode-node metadata generate`, the bootstrap `npm start` runs, short of dialling a peer).
 * - Chaincode as a service. The servers run from the staged folder itself, so its `node_modules` must
 *   hold a real copy of the vocabulary, not a link into the repository (Docker mounts only network/out).
 *
 * What it does not prove: a peer's build container (fabric-nodeenv, Node 18, its npm) building and
 * launching the package, or a peer talking to it; the third-party dependencies come from npm's cache
 * when it has them (`--prefer-offline`), otherwise from the registry, as in `npm ci` on a peer.
 */
import { describe, expect, it } from '@jest/globals';
import { reasonCodes } from '@credledger/vocabulary';
import { spawn } from 'node:child_process';
import { cp, lstat, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const vocabulary = join(root, 'packages/vocabulary');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      done({ code, stdout, stderr });
    });
  });
}

function expectSuccess(result: Result): void {
  if (result.code !== 0) throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
}

/** Runs `network/fabric.sh stage` with its output under `out`; returns the staged folder. */
async function stage(builder: 'node' | 'ccaas', out: string): Promise<string> {
  const staged = await run(join(root, 'network/fabric.sh'), ['stage'], root, { CC_BUILDER: builder, CL_OUT: out });
  expectSuccess(staged);
  // The path is the last line of its output.
  expect(staged.stdout.trim().split('\n').pop()).toBe(join(out, 'chaincode/stage'));
  return join(out, 'chaincode/stage');
}

/** Where `require('@credledger/vocabulary')` resolves from `folder`, and what it holds there. */
async function resolveVocabulary(folder: string): Promise<{ file: string; reasonCodes: string[] }> {
  const probe = await run(
    process.execPath,
    [
      '-e',
      "const file = require.resolve('@credledger/vocabulary'); const { reasonCodes } = require('@credledger/vocabulary'); console.log(JSON.stringify({ file, reasonCodes }));",
    ],
    folder,
  );
  expectSuccess(probe);
  return JSON.parse(probe.stdout) as { file: string; reasonCodes: string[] };
}

/** The vocabulary installed in `folder`'s node_modules is a real folder holding the workspace's build. */
async function expectInstalledCopy(folder: string): Promise<void> {
  const installed = join(folder, 'node_modules/@credledger/vocabulary');
  expect((await lstat(installed)).isDirectory()).toBe(true);
  const resolved = await resolveVocabulary(folder);
  expect(resolved.file).toBe(join(installed, 'dist/cjs/index.js'));
  expect(resolved.reasonCodes).toEqual([...reasonCodes]);
  for (const file of await readdir(join(vocabulary, 'dist/cjs'))) {
    if (file.endsWith('.js'))
      expect(await readFile(join(installed, 'dist/cjs', file), 'utf8')).toBe(
        await readFile(join(vocabulary, 'dist/cjs', file), 'utf8'),
      );
  }
}

/** The contract runtime's bootstrap loads the chaincode from `folder` and finds both contracts. */
async function expectContractsLoad(folder: string, work: string): Promise<void> {
  const metadata = join(work, 'metadata.json');
  const generated = await run(
    process.execPath,
    [
      join(folder, 'node_modules/fabric-shim/cli.js'),
      'metadata',
      'generate',
      '--module-path',
      folder,
      '--file',
      metadata,
    ],
    folder,
    { CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING' },
  );
  expectSuccess(generated);
  const { contracts } = JSON.parse(await readFile(metadata, 'utf8')) as {
    contracts: Record<string, { transactions: { name: string }[] }>;
  };
  expect(Object.keys(contracts)).toEqual(expect.arrayContaining(['CredentialContract', 'IssuerRegistryContract']));
  expect(contracts['CredentialContract']?.transactions.map((t) => t.name)).toContain('SetCredentialStatuses');
}

describe('the chaincode package network/fabric.sh deploys', () => {
  it('for Fabric’s Node builder carries @credledger/vocabulary, which npm ci --omit=dev installs from the package itself', async () => {
    const work = await mkdtemp(join(tmpdir(), 'credledger-cc-node-'));
    try {
      const staged = await stage('node', join(work, 'out'));
      await expect(lstat(join(staged, 'node_modules'))).rejects.toMatchObject({ code: 'ENOENT' });
      const manifest = JSON.parse(await readFile(join(staged, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      const version = (JSON.parse(await readFile(join(vocabulary, 'package.json'), 'utf8')) as { version: string })
        .version;
      const tarball = `credledger-vocabulary-${version}.tgz`;
      expect(manifest.dependencies['@credledger/vocabulary']).toBe(`file:vendor/${tarball}`);
      await lstat(join(staged, 'vendor', tarball));
      const lock = JSON.parse(await readFile(join(staged, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { resolved?: string; integrity?: string }>;
      };
      expect(lock.packages['node_modules/@credledger/vocabulary']).toMatchObject({
        resolved: `file:vendor/${tarball}`,
        integrity: expect.stringMatching(/^sha512-/),
      });

      // The peer: `cp -R /chaincode/input/src/. /chaincode/output && cd /chaincode/output && npm ci --omit=dev`.
      const output = join(work, 'output');
      await cp(staged, output, { recursive: true, filter: (path) => !path.split('/').includes('node_modules') });
      expectSuccess(await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], output));

      await expectInstalledCopy(output);
      await expectContractsLoad(output, work);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 240_000);

  it('as a service runs from the staged folder, whose node_modules holds a real copy of @credledger/vocabulary', async () => {
    const work = await mkdtemp(join(tmpdir(), 'credledger-cc-ccaas-'));
    try {
      const staged = await stage('ccaas', join(work, 'out'));
      expect((await lstat(join(staged, 'node_modules/.bin/fabric-chaincode-node'))).isSymbolicLink()).toBe(true);
      await expectInstalledCopy(staged);
      await expectContractsLoad(staged, work);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 240_000);
});
