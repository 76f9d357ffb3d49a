#!/usr/bin/env node
// web.qrScanRate: the share of degraded photos of credential QR codes the verifier page reads back to
// their exact link, beside the share of the same codes undegraded (the issuer's PNGs as rendered).
//
//   node bench/qr-scan-rate.mjs [--quick] [--count 40] [--seed 15] [--level L|M|Q|H] [--web-root <dir>]
//                               [--save <dir>]
//
// Codes: `--count` real credential links (half lawyer licences, half company-registration certificates
// from the seeded sample generator, signed ES256 with its keys, as bench/qr-sweep.mjs makes them),
// rendered by @credledger/issuer's `renderPng`, or with `--level` by the same qrcode call at another
// error-correction level, to compare levels. The subjects and every degradation's severity repeat for a
// seed; the ES256 signatures, and so the modules, differ from run to run.
// Degradations: bench/qr-degrade.mjs. `--save` writes every image and `links.json` to a folder.
//
// Decoder: the page's own, in Chromium (Debian's, driven by playwright-core). A page on a loopback
// server runs `createQrReader().decodeImageFile` of verifier-web/src/scan.ts (bundled here by esbuild as
// the page's build bundles it) beside the built page's files (verifier-web/dist: its qr-worker.js and
// what that loads) — the path an uploaded photo takes: BarcodeDetector when the browser reads QR codes
// (Debian's Chromium has none), else the image scaled down to 1,024 then 2,048 px and decoded in the
// worker. `--web-root` serves another build of the page, to compare decoders. A read counts only when
// its text is the link, character for character.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

import { degradations, random, symbolPx } from './qr-degrade.mjs';
import { chromiumPath, launchChromium, median, quantile, quick, report } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    count: { type: 'string', default: quick ? '8' : '40' },
    seed: { type: 'string', default: '15' },
    level: { type: 'string' },
    'web-root': { type: 'string' },
    save: { type: 'string' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
const figure = { name: 'web.qrScanRate', unit: 'share read', baseline: null };
const verifierWeb = join(here, '..', 'verifier-web');
const builtPage = values['web-root'] ? resolve(values['web-root']) : join(verifierWeb, 'dist');
/** Types of the built page's files the harness serves. */
const contentTypes = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.png': 'image/png' };

if (
  !Number.isInteger(count) ||
  count < 2 ||
  !Number.isInteger(seed) ||
  !['L', 'M', 'Q', 'H', undefined].includes(values.level)
) {
  console.error(
    'bench/qr-scan-rate.mjs: --count takes a whole number ≥ 2, --seed a whole number, --level L, M, Q or H',
  );
  process.exit(2);
} else if (!chromiumPath) {
  report([{ ...figure, value: null, note: 'skipped: Chromium not installed (apt-get install -y chromium)' }]);
} else if (!existsSync(join(builtPage, 'qr-worker.js'))) {
  report([
    {
      ...figure,
      value: null,
      note: `skipped: ${builtPage} has no qr-worker.js (npm run build -w @credledger/verifier-web)`,
    },
  ]);
} else {
  await measure();
}

/** An RGBA image as PNG bytes. */
function pngBytes(image) {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length);
  return PNG.sync.write(png);
}

/** `count` credential links with their QR images: the issuer's PNG, and each degraded photo of it. */
async function makeCodes() {
  const { credentialQrErrorCorrection, renderPng } = await import('@credledger/issuer');
  const { decodeCredentialLink } = await import('@credledger/verify');
  const { credentialLinkSegments, encodeCredentialLink } = await import('@credledger/verify/formats');
  const { createSampleGenerator } = await import('../packages/issuer/test/helpers/sample-credentials.ts');
  const level = values.level ?? credentialQrErrorCorrection;
  // The renderer's own qrcode call (packages/issuer/src/qr/render.ts) at another level: same segments, margin 4.
  const segments = (link) =>
    credentialLinkSegments(link).map((s) =>
      s.mode === 'numeric' ? s : { mode: 'byte', data: new TextEncoder().encode(s.data) },
    );
  const render = async (link, scale) =>
    level === credentialQrErrorCorrection
      ? renderPng(link, { scale })
      : {
          png: await QRCode.toBuffer(segments(link), { errorCorrectionLevel: level, margin: 4, scale, type: 'png' }),
          version: QRCode.create(segments(link), { errorCorrectionLevel: level }).version,
        };

  const gen = createSampleGenerator(seed);
  const codes = [];
  for (let i = 0; i < count; i++) {
    const lawyer = i % 2 === 0;
    const credential = lawyer
      ? gen.lawyerLicence({ alg: 'ES256' })
      : gen.economicCertificate('company-registration', { alg: 'ES256' });
    const base = lawyer ? 'https://verify.moj.gov.tw/' : 'https://verify.moea.gov.tw/';
    const link = encodeCredentialLink(credential.jwt, base);
    const decoded = decodeCredentialLink(link);
    if (!('jwt' in decoded) || decoded.jwt !== credential.jwt)
      throw new Error('a credential link does not decode to its JWT');
    const issued = await render(link, 4); // the PNG the issuer hands out (renderPng's default, 4 px a module)
    const printed = PNG.sync.read((await render(link, 8)).png); // sharp enough for a camera to sample
    const photos = degradations.map(({ name, apply }, d) => ({
      name,
      png: pngBytes(apply(printed, random(seed * 1_000_003 + i * 101 + d))),
    }));
    codes.push({ lawyer, link, version: issued.version, issued: issued.png, photos });
  }
  return { level, codes };
}

/**
 * A loopback server: the harness page and script, the built page's files, and the images; it notes
 * which of the page's files were asked for (what the decoder loaded).
 */
async function startHarness(files) {
  const asked = new Set();
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    const file = files.get(path);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    if (file.fromPage) asked.add(path.slice(1));
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { server, asked, url: `http://127.0.0.1:${server.address().port}` };
}

async function measure() {
  const { build } = await import('esbuild');
  const { level, codes } = await makeCodes();

  if (values.save) {
    await mkdir(values.save, { recursive: true });
    await writeFile(
      join(values.save, 'links.json'),
      JSON.stringify(
        codes.map((code) => code.link),
        null,
        2,
      ),
    );
    for (const [i, code] of codes.entries()) {
      await writeFile(join(values.save, `${i}-issued.png`), code.issued);
      for (const photo of code.photos)
        await writeFile(join(values.save, `${i}-${photo.name.replaceAll(' ', '-')}.png`), photo.png);
    }
  }

  // The page's scan.ts as the page's build bundles it (esbuild, the same targets), its reader made once.
  const bundle = await build({
    stdin: {
      contents: `import { createQrReader } from './src/scan.ts';\nglobalThis.qrReader = createQrReader();\n`,
      resolveDir: verifierWeb,
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'safari16.4', 'firefox115'],
    write: false,
    logLevel: 'warning',
  });
  const files = new Map([
    [
      '/',
      {
        type: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><title>scan</title><script type="module" src="scan.js"></script>',
      },
    ],
    ['/scan.js', { type: 'text/javascript', body: bundle.outputFiles[0].contents }],
    ['/favicon.ico', { type: 'image/x-icon', body: '' }],
  ]);
  for (const name of readdirSync(builtPage).filter((n) => n.endsWith('.js') || n.endsWith('.wasm')))
    files.set(`/${name}`, {
      type: contentTypes[name.slice(name.lastIndexOf('.'))],
      body: await readFile(join(builtPage, name)),
      fromPage: true,
    });
  const images = [];
  for (const [i, code] of codes.entries()) {
    for (const [kind, png] of [['undegraded', code.issued], ...code.photos.map((p) => [p.name, p.png])]) {
      const path = `/image/${i}/${images.length}.png`;
      images.push({ path, link: code.link, kind });
      files.set(path, { type: 'image/png', body: png });
    }
  }

  const { server, asked, url } = await startHarness(files);
  let browser;
  try {
    browser = await launchChromium();
    const page = await (await browser.newContext()).newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${url}/`);
    await page.waitForFunction(() => 'qrReader' in globalThis);
    // Runs in the page (a browser global scope).
    const barcodeDetector = await page.evaluate(async () => {
      const ctor = globalThis.BarcodeDetector;
      return ctor ? (await ctor.getSupportedFormats()).includes('qr_code') : false;
    });

    const tally = new Map([['undegraded', { read: 0, wrong: 0, total: 0 }]]);
    for (const { name } of degradations) tally.set(name, { read: 0, wrong: 0, total: 0 });
    const unread = [];
    const times = []; // ms per read in the page; the first includes starting the worker and its decoder
    for (const image of images) {
      // The file as an upload hands it over (a Blob), through the page's reader.
      const { text, ms } = await page.evaluate(async (path) => {
        const blob = await (await fetch(path)).blob();
        const started = performance.now();
        const read = await globalThis.qrReader.decodeImageFile(blob).catch(() => null);
        return { text: read, ms: performance.now() - started };
      }, image.path);
      times.push(ms);
      const row = tally.get(image.kind);
      row.total++;
      if (text === image.link) row.read++;
      else {
        if (text !== null) row.wrong++;
        unread.push(`${image.path} (${image.kind}${text === null ? '' : ', wrong text'})`);
      }
    }
    if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join('; ')}`);

    const degraded = degradations.map(({ name }) => tally.get(name));
    const read = degraded.reduce((sum, row) => sum + row.read, 0);
    const total = degraded.reduce((sum, row) => sum + row.total, 0);
    const baseline = tally.get('undegraded');
    const wrong = [...tally.values()].reduce((sum, row) => sum + row.wrong, 0);
    const versions = (lawyer) =>
      [...new Set(codes.filter((code) => code.lawyer === lawyer).map((code) => code.version))]
        .sort((a, b) => a - b)
        .join('/');
    const timing = `first read ${times[0].toFixed(0)} ms (worker and decoder start), then median ${median(times.slice(1)).toFixed(0)} ms, p90 ${quantile(times.slice(1), 0.9).toFixed(0)} ms a read, unthrottled`;
    const perKind = degradations.map(({ name }) => `${name} ${tally.get(name).read}/${tally.get(name).total}`);
    const loaded = [...asked]
      .sort()
      .map((name) => `${name} ${(gzipSync(files.get(`/${name}`).body, { level: 9 }).length / 1024).toFixed(1)} KB`);
    console.log(
      `ECC ${level}: lawyer licences v${versions(true)}, company certificates v${versions(false)}; ` +
        `read ${perKind.join(', ')}; undegraded ${baseline.read}/${baseline.total}; decoder files ${loaded.join(', ')} (gzip -9); ${timing}`,
    );
    if (unread.length > 0) console.log(`not read: ${unread.join(', ')}`);
    report([
      {
        ...figure,
        value: read / total,
        baseline: { name: 'the same codes undegraded', value: baseline.read / baseline.total },
        // Never a yes when an undegraded code goes unread or any text comes back wrong.
        valid: wrong === 0 && baseline.read === baseline.total,
        note:
          `${read}/${total} degraded images read exactly, ${baseline.read}/${baseline.total} undegraded (renderPng, 4 px a module), ${wrong} wrong texts. ` +
          `Per degradation: ${perKind.join(', ')}. ` +
          `Codes: ${count} signed links (seed ${seed}), half lawyer licences (QR v${versions(true)}), half company certificates (v${versions(false)}), ECC ${level}${values.level ? ' (--level)' : ''}. ` +
          `Each photo from the code rendered at 8 px a module, sampled by area to ${symbolPx} px wide (quiet zone included), then — ` +
          degradations.map(({ name, severity }) => `${name}: ${severity}`).join('; ') +
          `. Decoder: the page's createQrReader().decodeImageFile (verifier-web/src/scan.ts) in Chromium ${browser.version()} headless; BarcodeDetector for QR ${barcodeDetector ? 'present' : 'absent'}; ` +
          `the worker loaded ${loaded.join(' + ')} (gzip -9) from ${values['web-root'] ?? 'verifier-web/dist'}; images handed over as PNG Blobs; ${timing}.`,
      },
    ]);
  } finally {
    await browser?.close();
    await new Promise((done) => server.close(done));
  }
}
