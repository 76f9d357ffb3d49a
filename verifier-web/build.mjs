#!/usr/bin/env node
// Builds the static verifier into dist/: index.html, app.css, app.js (one bundle), qr-worker.js and
// qr-worker.wasm (the QR reader: ZXing-C++ from zxing-wasm),
// sw.js (offline cache and share target, versioned by the hash of everything it caches), favicon.svg,
// manifest.webmanifest (installable, a share target), pdf-reader.js (pdf-lib, loaded only when a PDF
// is given) and wallet-request.js (the "request from a wallet" view with its QR encoder, loaded only
// when it is opened).
// Usage: node build.mjs [--out <dir>]   (npm run build -w @credledger/verifier-web; default dist/)
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
// Tests that serve a page of their own build it elsewhere, so they never see dist/ half rebuilt.
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 && process.argv[outAt + 1] ? resolve(process.argv[outAt + 1]) : join(here, 'dist');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(here, 'static'), out, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  platform: 'browser',
  target: ['es2022', 'chrome111', 'safari16.4', 'firefox115'],
  legalComments: 'none',
  logLevel: 'warning',
  // The browser bundle must not reach Node built-ins; esbuild fails the build if anything does.
  external: [],
};

await build({ ...common, entryPoints: [join(here, 'src/main.ts')], outfile: join(out, 'app.js'), format: 'esm' });
await build({
  ...common,
  entryPoints: [join(here, 'src/qr-worker.ts')],
  outfile: join(out, 'qr-worker.js'),
  format: 'iife',
});
// The worker's WebAssembly, served beside it (the worker never loads it from elsewhere).
cpSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'), join(out, 'qr-worker.wasm'));

// Loaded only when someone gives the page a PDF, so not part of the first visit (see below).
await build({
  ...common,
  entryPoints: [join(here, 'src/pdf-reader.ts')],
  outfile: join(out, 'pdf-reader.js'),
  format: 'esm',
});

// Loaded only when someone opens "request from a wallet" (a server with --wallet): the view, its words
// and node-qrcode's encoder core.
await build({
  ...common,
  entryPoints: [join(here, 'src/wallet-request.ts')],
  outfile: join(out, 'wallet-request.js'),
  format: 'esm',
});

// The service worker caches the files built above; its version changes whenever one of them does, so
// browsers install the new worker and drop the old cache. The shell — what a first visit needs to show
// a verdict — is cached when the worker installs; a tool the page loads only when asked (the QR
// reader for a scan or an upload, the PDF reader for a PDF, the wallet request view) is cached the first
// time it is used, so a first visit from a credential link does not download it (bench: web.transfer).
const onDemand = ['qr-worker.js', 'qr-worker.wasm', 'pdf-reader.js', 'wallet-request.js'];
const built = readdirSync(out).sort();
const shell = built.filter((name) => !onDemand.includes(name));
const version = createHash('sha256');
for (const name of built) version.update(name).update(readFileSync(join(out, name)));
await build({
  ...common,
  entryPoints: [join(here, 'src/sw.ts')],
  outfile: join(out, 'sw.js'),
  format: 'iife',
  define: {
    __SHELL_FILES__: JSON.stringify(shell),
    __ON_DEMAND_FILES__: JSON.stringify(onDemand),
    __SHELL_VERSION__: JSON.stringify(version.digest('hex').slice(0, 16)),
  },
});

let total = 0;
for (const name of readdirSync(out)) total += readFileSync(join(out, name)).length;
writeFileSync(
  join(out, '.build-info.json'),
  JSON.stringify(
    { files: readdirSync(out).filter((n) => !n.startsWith('.')), shell: [...shell, 'sw.js'], onDemand, bytes: total },
    null,
    2,
  ),
);
console.log(`verifier-web: built ${readdirSync(out).length - 1} files (${total} bytes) into ${out}`);
