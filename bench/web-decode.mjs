#!/usr/bin/env node
// web.decodeToVerdict.p50: milliseconds from a QR image given to the verifier page to its verdict, in
// Chromium (Debian's, driven by playwright-core). The page (verifier-web/dist) is served by startServer
// over an embedded ledger holding the credential, its issuer registered; the page's status source is
// that server's API, as when an agency runs `credledger serve`.
//
// Each sample: the PNG of the credential's QR code is set on the page's file input (setInputFiles);
// the time is taken inside the page, from the input's `change` event (a capturing listener, so before
// the page's own handler) to the page's `credledger:verdict` event — image decode (createImageBitmap →
// canvas → jsQR), link decode, signature and status checks (an HTTP request to the server), render.
// The page's own data-decode-ms / data-verify-ms split and Playwright's outside view are in the note.
//
// The figure is taken with Chromium's CPU throttled 4× (DevTools' Emulation.setCPUThrottlingRate, a
// mid-range phone's speed); the same samples unthrottled, taken just before, are in the note.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, launchChromium, median, openMojLedger, quick, report } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const webRoot = join(here, '..', 'verifier-web', 'dist');
const samples = quick ? 40 : 100;
const figure = { name: 'web.decodeToVerdict.p50', unit: 'ms', baseline: null };

if (!chromiumPath) {
  report([{ ...figure, value: null, note: 'skipped: Chromium not installed (apt-get install -y chromium)' }]);
} else if (!existsSync(join(webRoot, 'index.html')) || !existsSync(join(webRoot, 'app.js'))) {
  report([
    {
      ...figure,
      value: null,
      note: 'skipped: verifier-web/dist is not built (npm run build -w @credledger/verifier-web)',
    },
  ]);
} else {
  await measure();
}

async function measure() {
  const {
    anchorRecordOf,
    credentialSigner,
    encodeCredentialLink,
    getCredentialType,
    readQrImage,
    Registry,
    renderPng,
    startServer,
    statusIndexAllocators,
    validateSubject,
  } = await import('@credledger/sdk');
  const did = 'did:web:moj.gov.tw';
  const directory = await mkdtemp(join(tmpdir(), 'credledger-bench-web-'));
  let network;
  let server;
  let browser;
  try {
    let key;
    ({ network, key } = await openMojLedger(join(directory, 'ledger'), { fsync: false }));
    server = await startServer({ ledger: network.connect('MojMSP/auditor'), port: 0, webRoot, rateLimit: false });

    // One signed lawyer licence, anchored; its link names this server.
    const sign = credentialSigner({
      type: getCredentialType('LawyerLicenceCredential'),
      issuerDid: did,
      key,
      allocator: statusIndexAllocators.inMemory(),
      statusBaseUrl: server.url,
      validFrom: new Date(Date.now() - 86_400_000),
    });
    const subject = validateSubject('LawyerLicenceCredential', {
      name: '陳雅婷',
      nameEn: 'Chen Ya-Ting',
      licenceNumber: '(115)台檢證字第012345號',
      admissionDate: '2026-01-05',
      practiceStatus: 'practising',
      barMemberships: ['臺北律師公會', '全國律師聯合會'],
      lawFirm: '明理法律事務所',
    });
    const [jwt] = await sign([{ id: `urn:uuid:${crypto.randomUUID()}`, subject }]);
    await new Registry(network.connect('MojMSP/operator')).issueCredentials({
      issuerDid: did,
      credentials: [anchorRecordOf(jwt)],
    });
    const link = encodeCredentialLink(jwt, `${server.url}/`);
    const { png, version } = await renderPng(link);
    if ((await readQrImage(png)) !== link) throw new Error('the QR PNG does not decode back to its link');

    browser = await launchChromium();
    const page = await (await browser.newContext()).newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#upload', { state: 'attached' });
    // Runs in the page (a browser global scope, hence globalThis.document).
    await page.evaluate(() => {
      const doc = globalThis.document;
      const state = (globalThis.__bench = { started: 0, waiters: [] });
      doc.addEventListener('change', () => (state.started = performance.now()), true);
      doc.addEventListener('credledger:verdict', (event) => {
        const result = doc.getElementById('result');
        const sample = {
          ms: performance.now() - state.started,
          verdict: event.detail.verdict,
          decodeMs: Number(result?.dataset.decodeMs ?? NaN),
          verifyMs: Number(result?.dataset.verifyMs ?? NaN),
        };
        for (const resolve of state.waiters.splice(0)) resolve(sample);
      });
    });

    const file = { name: 'licence.png', mimeType: 'image/png', buffer: png };
    const one = async () => {
      const verdict = page.evaluate(() => new Promise((resolve) => globalThis.__bench.waiters.push(resolve)));
      const outsideStart = performance.now();
      await page.setInputFiles('#upload', file);
      const sample = await verdict;
      if (sample.verdict !== 'VALID') throw new Error(`the page said ${sample.verdict}`);
      return { ...sample, outsideMs: performance.now() - outsideStart };
    };
    const measureSet = async () => {
      for (let i = 0; i < 5; i++) await one(); // warm-up: first decode after load (or a new rate) is cold
      const results = [];
      for (let i = 0; i < samples; i++) results.push(await one());
      return results;
    };
    const unthrottled = await measureSet();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const throttled = await measureSet();
    if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join('; ')}`);

    const p = (results, key, q) => {
      const sorted = results.map((r) => r[key]).sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    };
    const described = (results) =>
      `p50 ${p(results, 'ms', 0.5).toFixed(1)} ms, p90 ${p(results, 'ms', 0.9).toFixed(1)} ms (page's own split p50: decode ${p(results, 'decodeMs', 0.5).toFixed(1)} ms + verify ${p(results, 'verifyMs', 0.5).toFixed(1)} ms; from Playwright's setInputFiles: ${p(results, 'outsideMs', 0.5).toFixed(1)} ms)`;
    report([
      {
        ...figure,
        value: median(throttled.map((r) => r.ms)),
        note:
          `CPU throttled 4× (a mid-range phone): ${described(throttled)}; unthrottled: ${described(unthrottled)}; ` +
          `${samples} uploads each after 5 warm-up ones, one page, Chromium ${browser.version()} headless; image: the sdk's QR PNG of a signed lawyer-licence link (v${version}, ECC M, 4 px/module, ${png.length} B); ` +
          `in-page change event → credledger:verdict event, status over HTTP from startServer`,
      },
    ]);
  } finally {
    await browser?.close();
    await server?.close();
    await network?.close();
    await rm(directory, { recursive: true, force: true });
  }
}
