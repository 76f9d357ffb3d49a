/**
 * What an agency installs: the packed tarballs of credledger's packages, installed with npm into an
 * empty folder, give a working `npx credledger` — the demo runs, a credential and its printable document
 * verify, and `serve`
 * serves the verifier page it carries in its tarball.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { verdictExitCodes } from '../src/exit-codes.js';
import { expectExit, finish, json, listeningUrl, runCommand, tempDir, type CliResult } from './cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface DemoJson {
  dir: string;
  credentials: { label: string; jwtFile: string; status: string; pdf?: string }[];
}

describe('the packed tarballs installed into an empty folder', () => {
  it('give a working npx credledger: demo, verify, and serve with its verifier page', async () => {
    const { dir, cleanup } = await tempDir('credledger-packed-');
    try {
      const tarballs: string[] = [];
      for (const folder of [
        'packages/vocabulary',
        'chaincode',
        'packages/verify',
        'packages/keys',
        'packages/ledger',
        'packages/ledger-fabric',
        'packages/ledger-embedded',
        'packages/workers',
        'packages/oid4vc',
        'packages/documents',
        'packages/pkcs11',
        'packages/server',
        'packages/issuer',
        'sdk',
        'cli',
      ]) {
        const packed = await runCommand('npm', ['pack', '--pack-destination', dir], join(root, folder));
        expectExit(packed, 0);
        tarballs.push(join(dir, packed.stdout.trim().split('\n').at(-1) ?? ''));
      }
      const app = join(dir, 'agency');
      await mkdir(app);
      await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'agency', private: true }));
      const installed = await runCommand(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs],
        app,
      );
      expectExit(installed, 0);

      const npx = (args: string[]): Promise<CliResult> =>
        runCommand('npx', ['--no-install', 'credledger', ...args], app);
      const help = await npx(['--help']);
      expectExit(help, 0);
      expect(help.stdout).toContain('demo');

      const demo = await npx(['demo', './d', '--no-serve', '--json']);
      expectExit(demo, 0);
      const made = json<DemoJson>(demo);
      const licence = made.credentials.find((c) => c.label === 'lawyer-licence');
      expect(licence?.status).toBe('ACTIVE');

      const verified = await npx(['-w', './d', 'verify', licence?.jwtFile ?? '', '--json']);
      expectExit(verified, verdictExitCodes.VALID);
      expect(json<{ verdict: string }>(verified).verdict).toBe('VALID');
      // The printable document, with the typeface and subsetter its package brings, carries the credential.
      const document = await npx(['-w', './d', 'verify', licence?.pdf ?? '', '--json']);
      expectExit(document, verdictExitCodes.VALID);

      // The installed bin run by node itself, so that stopping it stops the server (no npx in between).
      const bin = join(app, 'node_modules', '.bin', 'credledger');
      const server = spawn(process.execPath, [bin, '-w', './d', 'serve', '--port', '0', '--json'], {
        cwd: app,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const served = finish(server);
      try {
        const url = await listeningUrl(server);
        const page = await fetch(`${url}/`);
        expect(page.status).toBe(200);
        expect(await page.text()).toMatch(/<html[^>]*lang=/);
      } finally {
        server.kill('SIGTERM');
        // Stopped by the signal, it closes the server and releases the ledger: it exits by itself.
        expect((await served).signal).toBeNull();
      }
    } finally {
      await cleanup();
    }
  }, 300_000);
});

describe('the credledger bin of a checkout', () => {
  it('is a committed file outside dist, so npm ci links it before the build', async () => {
    const manifest = JSON.parse(await readFile(join(root, 'cli', 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    const bin = manifest.bin['credledger'] ?? '';
    expect(bin).not.toMatch(/^(\.\/)?dist\//);
    const tracked = await runCommand('git', ['ls-files', '--error-unmatch', bin], join(root, 'cli'));
    expectExit(tracked, 0);
    const version = await finish(spawn(process.execPath, [join(root, 'cli', bin), '--version'], { stdio: 'pipe' }));
    expectExit(version, 0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('says in one line when the checkout is not built yet', async () => {
    const { dir, cleanup } = await tempDir('credledger-unbuilt-');
    try {
      await mkdir(join(dir, 'bin'));
      await copyFile(join(root, 'cli', 'bin', 'credledger.js'), join(dir, 'bin', 'credledger.js'));
      await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      const result = await finish(
        spawn(process.execPath, [join(dir, 'bin', 'credledger.js'), '--help'], { stdio: 'pipe' }),
      );
      expectExit(result, 2);
      expect(result.stderr).toBe(
        'error NOT_BUILT: credledger is not built yet; run `npm run build` at the repository root\n',
      );
    } finally {
      await cleanup();
    }
  });
});
