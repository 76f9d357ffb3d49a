/**
 * A demo a phone can scan: `--public-url` sets what the QR codes link to; `--host 0.0.0.0` serves the
 * LAN over HTTPS (browsers check signatures only in a secure context) with the QR codes linking to the
 * LAN address; on loopback the demo says how to rerun for a phone. Bad `--public-url`: one line, exit 20.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';

import { readQrImage } from '@credledger/sdk';

import { exitCodes } from '../src/exit-codes.js';
import { lanAddress } from '../src/public-url.js';
import { errorLines, expectExit, finish, freePort, json, runCli, startCli, tempDir, type CliResult } from './cli.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});

afterAll(async () => {
  await cleanup();
});

interface DemoJson {
  dir: string;
  publicUrl: string;
  credentials: { label: string; qrPng: string; link: string }[];
}

/** Starts the CLI and resolves with its stderr once `ready` appears there; `stop` ends it with SIGINT. */
async function startUntil(
  args: string[],
  ready: string,
): Promise<{ stderr: () => string; stop: () => Promise<CliResult> }> {
  const child = startCli(args);
  const done = finish(child);
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer | string) => {
      err += String(chunk);
      if (err.includes(ready)) resolve();
    });
    void done.then((result) => {
      reject(new Error(`exited ${result.code} before "${ready}"\nstderr: ${result.stderr}`));
    });
  });
  return {
    stderr: () => err,
    stop: async () => {
      child.kill('SIGINT');
      return done;
    },
  };
}

describe('demo --public-url', () => {
  it('makes every QR code link to that URL, and the workspace keep it for later issuance', async () => {
    const workspace = join(dir, 'public');
    const result = await runCli([
      'demo',
      workspace,
      '--no-serve',
      '--public-url',
      'https://verify.example.org/',
      '--json',
    ]);
    expectExit(result, 0);
    const demo = json<DemoJson>(result);
    expect(demo.publicUrl).toBe('https://verify.example.org');
    expect(demo.credentials).toHaveLength(3);
    for (const credential of demo.credentials) {
      const link = await readQrImage(credential.qrPng);
      expect(link).toBe(credential.link);
      expect(link.startsWith('https://verify.example.org/#')).toBe(true);
    }
    const config = JSON.parse(await readFile(join(workspace, 'credledger.json'), 'utf8')) as Record<string, string>;
    expect(config).toMatchObject({
      verifierBaseUrl: 'https://verify.example.org/',
      statusBaseUrl: 'https://verify.example.org',
    });
  }, 120_000);

  it.each([['ftp://verify.example.org'], ['http://verify.example.org/#x'], ['verify.example.org']])(
    '%s is refused in one line, before anything is created',
    async (url) => {
      const workspace = join(dir, 'refused');
      const result = await runCli(['demo', workspace, '--no-serve', '--public-url', url]);
      expectExit(result, exitCodes.INVALID_INPUT);
      expect(errorLines(result)).toEqual([
        `error INVALID_INPUT: --public-url must be an http(s) URL without query or fragment, such as http://192.168.1.20:8080, not "${url}"`,
      ]);
      const served = await runCli(['-w', join(dir, 'public'), 'serve', '--public-url', url]);
      expectExit(served, exitCodes.INVALID_INPUT);
      expect(errorLines(served)).toHaveLength(1);
    },
  );
});

describe('serve --public-url', () => {
  it('prints that URL, and says when the workspace’s QR codes link elsewhere', async () => {
    const workspace = join(dir, 'serve-ws');
    expectExit(await runCli(['init', workspace]), 0);
    const running = await startUntil(
      ['-w', workspace, 'serve', '--port', '0', '--public-url', 'https://verify.example.org', '--json'],
      'verifierBaseUrl',
    );
    const result = await running.stop();
    expectExit(result, 0);
    expect(json<{ url: string; publicUrl: string }>(result)).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      publicUrl: 'https://verify.example.org',
    });
    expect(running.stderr()).toContain(
      'note: QR codes issued in this workspace link to http://localhost:8080 (verifierBaseUrl in credledger.json); for new ones to open this server, set verifierBaseUrl to https://verify.example.org/',
    );
  }, 60_000);
});

describe('demo --host 0.0.0.0', () => {
  it('serves HTTPS on the LAN with a certificate for its address, and its QR codes link there', async () => {
    const port = await freePort();
    const workspace = join(dir, 'lan');
    const lan = lanAddress();
    const running = await startUntil(['demo', workspace, '--host', '0.0.0.0', '--port', String(port)], 'Ctrl-C');
    try {
      const expected = `https://${lan ?? 'localhost'}:${port}`;
      for (const label of ['lawyer-licence', 'company-certificate', 'lawyer-licence-revoked']) {
        expect((await readQrImage(join(workspace, `${label}.png`))).startsWith(`${expected}/#`)).toBe(true);
      }
      const cert = await readFile(join(workspace, 'tls-cert.pem'), 'utf8');
      const x509 = new X509Certificate(cert);
      if (lan !== undefined) expect(x509.subjectAltName).toContain(`IP Address:${lan}`);
      expect(running.stderr()).toContain(x509.fingerprint256);
      // The page answers over HTTPS with that certificate (trusted here as a pinned CA).
      const status = await new Promise<number>((resolve, reject) => {
        request(`https://localhost:${port}/`, { ca: cert }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
      if (lan !== undefined) expect(running.stderr()).toContain(`it opens ${expected}/#… and the page verifies it`);
    } finally {
      expectExit(await running.stop(), 0);
    }
  }, 120_000);
});

describe('demo on loopback', () => {
  it('says a phone cannot open localhost and how to rerun for one', async () => {
    const port = await freePort();
    const running = await startUntil(['demo', join(dir, 'loop'), '--port', String(port)], 'Ctrl-C');
    const result = await running.stop();
    expectExit(result, 0);
    expect(result.stderr).toContain(
      'A phone cannot open localhost. To scan from a phone on the same network, rerun with',
    );
    expect(result.stderr).toContain(`  npx credledger demo --host 0.0.0.0 --port ${port}\n`);
  }, 120_000);
});
