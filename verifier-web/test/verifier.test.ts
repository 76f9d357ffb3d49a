/**
 * The verifier page in a real browser (Debian's Chromium through playwright-core), over `credledger
 * serve` on a real embedded ledger with credentials issued and anchored by the SDK. BarcodeDetector is
 * absent from this Chromium, so the camera and upload paths exercise ZXing-C++ (WebAssembly) in the
 * worker, under the server's CSP.
 * Screenshots of each verdict, in zh-TW and English, are written to verifier-web/test-results/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib';

import { renderCredentialDocument } from '@credledger/documents';

import { withoutAttachments } from '../../packages/documents/test/strip-attachment.js';
import { openWorld, photoOf, qrPng, XSS_NAME, y4mOf, type World } from './world.js';
import { chromiumArgs, chromiumPath } from './chromium.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const artifacts = join(packageRoot, 'test-results');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

if (!chromiumPath) {
  console.warn(
    'verifier-web browser tests skipped: Chromium not found at /usr/lib/chromium/chromium or /usr/bin/chromium (apt-get install chromium)',
  );
}
const describeInBrowser = chromiumPath ? describe : describe.skip;
const poppler = spawnSync('pdftoppm', ['-v']).error === undefined;
if (!poppler) console.warn('the scanned-PDF page test skipped: pdftoppm not found (apt-get install poppler-utils)');
const withPoppler = poppler ? it : it.skip;

interface Verdict {
  readonly verdict: string;
  readonly title: string;
  readonly detail: string;
}

async function verdictOn(page: Page): Promise<Verdict> {
  await page.waitForSelector('#result[data-verdict]', { timeout: 20_000 });
  return page.evaluate(() => ({
    verdict: document.getElementById('result')?.dataset['verdict'] ?? '',
    title: document.getElementById('verdict-title')?.textContent ?? '',
    detail: document.getElementById('verdict-detail')?.textContent ?? '',
  }));
}

async function checkResults(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#checks li', (items) =>
    Object.fromEntries(items.map((li) => [li.getAttribute('data-check') ?? '', li.getAttribute('data-result') ?? ''])),
  );
}

async function switchToEnglish(page: Page): Promise<void> {
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** axe-core's WCAG 2.x A/AA rules on the current page (axe is evaluated, since the CSP forbids adding scripts). */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

describeInBrowser('verifier page in Chromium', () => {
  let world: World;
  let browser: Browser;
  /** The fake camera's video file, removed after the suite. */
  let camera: string | undefined;
  const pageErrors: string[] = [];

  /** Fragment-only page URL on the main server (the link's own base is the same server). */
  const pageFor = (link: string): string => `${world.server.url}/#${link.slice(link.indexOf('#') + 1)}`;

  /**
   * A page whose script errors, console errors and dialogs are recorded. `expectStatus`: an HTTP error
   * status the test provokes on purpose (Chromium logs every one), e.g. the 404 to `/api/v1/tracking`
   * of a server without tracking. `serverGoesAway`: the test stops the server, so the loads that then fail
   * (and the 404s of a static host without the API) are expected; script errors and CSP violations still count.
   */
  async function openPage(
    context?: BrowserContext,
    options: { expectStatus?: number; serverGoesAway?: boolean } = {},
  ): Promise<Page> {
    const page = await (context ?? (await browser.newContext())).newPage();
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (options.expectStatus !== undefined && message.text().includes(`status of ${options.expectStatus} `)) return;
      if (options.serverGoesAway === true && message.text().startsWith('Failed to load resource:')) return;
      pageErrors.push(`console: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      pageErrors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    return page;
  }

  beforeAll(async () => {
    execFileSync(process.execPath, [join(packageRoot, 'build.mjs')], { stdio: 'pipe' });
    mkdirSync(artifacts, { recursive: true });
    world = await openWorld(join(packageRoot, 'dist'));
    camera = join(tmpdir(), `credledger-camera-${process.pid}.y4m`);
    writeFileSync(camera, y4mOf(await qrPng(world.valid.link)));
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        ...chromiumArgs,
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${camera}`,
      ],
    });
  }, 120_000);

  // Every test runs on a page that logged no script error, console error, dialog or CSP violation, and
  // leaves the main server running for the next: tests run in any order (CI shuffles them).
  afterEach(async () => {
    await (world as World | undefined)?.restartServer();
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    // Either may be missing when beforeAll failed half-way.
    rmSync(join(tmpdir(), `credledger-camera-${String(process.pid)}.y4m`), { force: true });
    await (browser as Browser | undefined)?.close();
    await (world as World | undefined)?.close();
    if (camera !== undefined) rmSync(camera, { force: true });
  });

  it('opens a valid licence from its QR link: VALID, the issuer by its registered name, the fields and every check passing', async () => {
    const page = await openPage();
    const response = await page.goto(pageFor(world.valid.link));
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const zh = await verdictOn(page);
    expect(zh.verdict).toBe('VALID');
    expect(zh.detail).toBe('此律師證書由法務部核發，目前有效');
    expect(await page.textContent('#issuer')).toContain('法務部');
    const fields = await page.textContent('#fields');
    expect(fields).toContain('陳雅婷');
    expect(fields).toContain('(115)台檢證字第012345號');
    expect(fields).toContain('臺北律師公會、全國律師聯合會');
    expect(Object.values(await checkResults(page))).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
    ]);
    expect(await page.isHidden('#checks-skipped')).toBe(true);
    expect(await page.getAttribute('#freshness', 'data-stale')).toBe('false');
    // This server has no wallet endpoints (no serve --wallet): nothing offers to ask a wallet.
    expect(await page.isHidden('#ask-wallet')).toBe(true);
    await screenshot(page, 'valid.zh-TW');

    await switchToEnglish(page);
    const en = await verdictOn(page);
    expect(en.detail).toBe('Issued by the Ministry of Justice, currently in force');
    expect(await page.textContent('#fields')).toContain('Licence number');
    await screenshot(page, 'valid.en');
    await page.context().close();
  }, 60_000);

  it('scans a licence with the camera (fake capture device, ZXing-C++ in the worker): VALID', async () => {
    const page = await openPage();
    await page.goto(`${world.server.url}/`);
    await page.click('#scan');
    const result = await verdictOn(page);
    expect(result.verdict).toBe('VALID');
    expect(await page.textContent('#fields')).toContain('陳雅婷');
    expect(await page.isHidden('#camera')).toBe(true);
    expect(await page.isHidden('#stop-scan')).toBe(true);
    expect(await page.isVisible('#scan')).toBe(true);
    await page.context().close();
  }, 60_000);

  it('reads an uploaded photo of a revoked licence: REVOKED, with the date and the reason', async () => {
    const page = await openPage();
    await page.goto(`${world.server.url}/`);
    const photo = photoOf(await qrPng(world.revoked.link));
    await page.setInputFiles('#upload', { name: 'licence-photo.png', mimeType: 'image/png', buffer: photo });
    const zh = await verdictOn(page);
    expect(zh.verdict).toBe('REVOKED');
    expect(zh.detail).toContain('除名');
    expect(zh.detail).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect((await checkResults(page))['status']).toBe('fail');
    // The check the verdict rests on leads the list.
    expect(await page.getAttribute('#checks li:first-child', 'data-check')).toBe('status');
    // Whose licence was revoked, yes; a validity period it no longer has, no.
    const fields = await page.textContent('#fields');
    expect(fields).toContain('林志明');
    expect(fields).not.toContain('有效期限');
    expect(fields).not.toContain('生效日');
    await screenshot(page, 'revoked.zh-TW');
    await switchToEnglish(page);
    const en = await verdictOn(page);
    expect(en.detail).toContain('disbarment');
    await screenshot(page, 'revoked.en');
    await page.context().close();
  }, 60_000);

  /** A licence's printable document, as its issuer renders it, its QR code linking to this world's page. */
  async function documentOf(jwt: string): Promise<Buffer> {
    const { pdf } = await renderCredentialDocument(jwt, {
      verifierBaseUrl: `${world.server.url}/`,
      issuerName: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
    });
    return Buffer.from(pdf);
  }

  it('verifies a licence given as its PDF document: VALID, and loads the PDF reader only then', async () => {
    const page = await openPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(`${world.server.url}/`);
    await page.waitForLoadState('networkidle');
    expect(requested.filter((path) => path.endsWith('/pdf-reader.js'))).toEqual([]);
    const pdf = await documentOf(world.valid.jwt);
    await page.setInputFiles('#upload', { name: 'licence.pdf', mimeType: 'application/pdf', buffer: pdf });
    const result = await verdictOn(page);
    expect(result.verdict).toBe('VALID');
    // The verified fields, to compare with the paper.
    expect(await page.textContent('#fields')).toContain('陳雅婷');
    expect(requested.filter((path) => path.endsWith('/pdf-reader.js'))).toHaveLength(1);
    await page.context().close();
  }, 60_000);

  /** The licence's document with the holder's name edited in its attached credential, the signature kept. */
  async function tamperedDocumentOf(jwt: string): Promise<Buffer> {
    const doc = await PDFDocument.load(await documentOf(jwt));
    const [header = '', payload = '', signature = ''] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      credentialSubject: { name: string };
    };
    claims.credentialSubject.name = '王大明';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const names = doc.catalog.lookup(PDFName.of('Names'), PDFDict).lookup(PDFName.of('EmbeddedFiles'), PDFDict);
    const ef = names.lookup(PDFName.of('Names'), PDFArray).lookup(1, PDFDict).lookup(PDFName.of('EF'), PDFDict);
    ef.set(PDFName.of('F'), doc.context.register(doc.context.flateStream(new TextEncoder().encode(forged))));
    return Buffer.from(await doc.save());
  }

  it('says TAMPERED for a PDF whose attached credential was altered, REVOKED for a revoked licence’s PDF', async () => {
    const tampered = await tamperedDocumentOf(world.valid.jwt);
    const page = await openPage();
    await page.goto(`${world.server.url}/`);
    await page.setInputFiles('#upload', { name: 'licence.pdf', mimeType: 'application/pdf', buffer: tampered });
    expect((await verdictOn(page)).verdict).toBe('TAMPERED');
    await page.setInputFiles('#upload', {
      name: 'revoked.pdf',
      mimeType: 'application/pdf',
      buffer: await documentOf(world.revoked.jwt),
    });
    await page.waitForSelector('#result[data-verdict="REVOKED"]', { timeout: 20_000 });
    expect((await verdictOn(page)).verdict).toBe('REVOKED');
    await page.context().close();
  }, 60_000);

  it('verifies a PDF whose attachment was removed through its printed QR code, saying so: VALID, then REVOKED', async () => {
    const page = await openPage();
    await page.goto(`${world.server.url}/`);
    const stripped = Buffer.from(await withoutAttachments(await documentOf(world.valid.jwt)));
    await page.setInputFiles('#upload', { name: 'licence.pdf', mimeType: 'application/pdf', buffer: stripped });
    expect((await verdictOn(page)).verdict).toBe('VALID');
    expect(await page.textContent('#fields')).toContain('陳雅婷');
    expect(await page.textContent('#input-note')).toBe('讀取自 PDF 第 1 頁印的 QR Code（此 PDF 未附帶電子憑證）');
    await page.click('#lang');
    expect(await page.textContent('#input-note')).toBe(
      'Read from the QR code printed on page 1 of the PDF (no credential attached)',
    );
    await page.setInputFiles('#upload', {
      name: 'revoked.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await withoutAttachments(await documentOf(world.revoked.jwt))),
    });
    await page.waitForSelector('#result[data-verdict="REVOKED"]', { timeout: 20_000 });
    expect(await page.textContent('#input-note')).toContain('page 1 of the PDF');
    // A credential given another way says nothing of a PDF.
    await page.fill('#paste', world.valid.jwt);
    await page.click('#paste-form button[type="submit"]');
    await page.waitForSelector('#result[data-verdict="VALID"]', { timeout: 20_000 });
    expect(await page.textContent('#input-note')).toBe('');
    await page.context().close();
  }, 60_000);

  withPoppler(
    'verifies a scan saved as a PDF with a JPEG page image (decoded by the browser)',
    async () => {
      // The licence printed and scanned back: its page rasterised at 150 dpi as JPEG (pdftoppm), wrapped
      // in a new PDF as a DCTDecode image with nothing attached.
      const scratch = mkdtempSync(join(tmpdir(), 'credledger-scan-'));
      try {
        const pdfFile = join(scratch, 'licence.pdf');
        writeFileSync(pdfFile, await documentOf(world.valid.jwt));
        execFileSync('pdftoppm', ['-r', '150', '-jpeg', '-singlefile', pdfFile, join(scratch, 'page')]);
        const scan = await PDFDocument.create();
        const image = await scan.embedJpg(readFileSync(join(scratch, 'page.jpg')));
        scan.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
        const page = await openPage();
        await page.goto(`${world.server.url}/`);
        await page.setInputFiles('#upload', {
          name: 'scan.pdf',
          mimeType: 'application/pdf',
          buffer: Buffer.from(await scan.save()),
        });
        expect((await verdictOn(page)).verdict).toBe('VALID');
        expect(await page.textContent('#input-note')).toContain('第 1 頁');
        await page.context().close();
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it('says in both languages that a PDF without a credential carries none', async () => {
    const plain = await PDFDocument.create();
    plain.addPage();
    const page = await openPage();
    await page.goto(`${world.server.url}/`);
    await page.setInputFiles('#upload', {
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await plain.save()),
    });
    await page.waitForFunction(() => (document.getElementById('input-error')?.textContent ?? '') !== '');
    expect(await page.textContent('#input-error')).toContain('未附電子憑證');
    await page.context().close();
  }, 60_000);

  interface ManifestShareTarget {
    readonly action: string;
    readonly method: string;
    readonly enctype: string;
    readonly params: {
      readonly text: string;
      readonly url: string;
      readonly files: readonly { readonly name: string; readonly accept: readonly string[] }[];
    };
  }

  /** The page's web app manifest as the server sends it, and its share target's action as an absolute URL. */
  async function shareTarget(): Promise<ManifestShareTarget & { readonly actionUrl: string }> {
    const manifestUrl = `${world.server.url}/manifest.webmanifest`;
    const response = await fetch(manifestUrl);
    expect(response.headers.get('content-type')).toBe('application/manifest+json');
    const target = ((await response.json()) as { share_target: ManifestShareTarget }).share_target;
    return { ...target, actionUrl: new URL(target.action, manifestUrl).href };
  }

  /**
   * Shares a file or a text to the page as a phone's share sheet does (Web Share Target Level 2): a
   * navigation that POSTs multipart/form-data to the manifest's action, named by its params. It starts
   * from a blank page, as the share sheet is no page of this origin (and the page's CSP allows no form).
   */
  async function share(
    page: Page,
    item: { file: { name: string; mimeType: string; buffer: Buffer } } | { text: string },
  ): Promise<void> {
    const target = await shareTarget();
    await page.goto('about:blank');
    await page.evaluate(
      ({ target, file, text }) => {
        const form = document.createElement('form');
        form.method = target.method;
        form.enctype = target.enctype;
        form.action = target.actionUrl;
        if (file) {
          const input = document.createElement('input');
          input.type = 'file';
          input.name = target.params.files[0]?.name ?? '';
          const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], file.name, { type: file.mimeType }));
          input.files = transfer.files;
          form.append(input);
        }
        if (text !== undefined) {
          const field = document.createElement('textarea');
          field.name = target.params.text;
          field.value = text;
          form.append(field);
        }
        document.body.append(form);
        form.submit();
      },
      'file' in item
        ? {
            target,
            file: { name: item.file.name, mimeType: item.file.mimeType, base64: item.file.buffer.toString('base64') },
          }
        : { target, text: item.text },
    );
    await page.waitForURL(`${world.server.url}/`);
  }

  it('is an installable share target: the manifest is served, linked, allowed by the CSP, and takes PDFs, images and links', async () => {
    const target = await shareTarget();
    expect(target).toMatchObject({
      method: 'POST',
      enctype: 'multipart/form-data',
      actionUrl: `${world.server.url}/share`,
    });
    expect(target.params.url).toBe('url');
    expect(target.params.text).toBe('text');
    expect(target.params.files).toEqual([
      { name: 'file', accept: expect.arrayContaining(['application/pdf', 'image/png', 'image/jpeg', 'image/webp']) },
    ]);
    // A profile on disk: Chromium does not offer to install from an incognito-like context.
    const profile = mkdtempSync(join(tmpdir(), 'credledger-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await openPage(context);
      await page.goto(`${world.server.url}/`);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
      // Chromium's own reading of the manifest: no parse errors, and nothing keeps the page from installing.
      const cdp = await context.newCDPSession(page);
      const manifest = await cdp.send('Page.getAppManifest');
      expect(manifest.url).toBe(`${world.server.url}/manifest.webmanifest`);
      expect(manifest.errors).toEqual([]);
      expect((JSON.parse(manifest.data ?? '{}') as { share_target?: unknown }).share_target).toEqual(
        expect.objectContaining({ action: 'share' }),
      );
      expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);

  it('verifies a PDF, a QR picture and a link shared from the phone’s share sheet: VALID, TAMPERED, REVOKED, VALID', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await openPage(context);
    await page.goto(`${world.server.url}/`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    /** Who answered each POST (the shares), and whether the worker sent any on. */
    const posts: string[] = [];
    context.on('response', (response) => {
      if (response.request().method() !== 'POST') return;
      posts.push(
        response.request().serviceWorker()
          ? 'sent on by the worker'
          : response.fromServiceWorker()
            ? 'worker'
            : 'network',
      );
    });

    const pdf = { name: 'licence.pdf', mimeType: 'application/pdf', buffer: await documentOf(world.valid.jwt) };
    await share(page, { file: pdf });
    expect((await verdictOn(page)).verdict).toBe('VALID');
    expect(await page.textContent('#fields')).toContain('陳雅婷');
    await screenshot(page, 'share-pdf.zh-TW');

    await share(page, { file: { ...pdf, buffer: await tamperedDocumentOf(world.valid.jwt) } });
    expect((await verdictOn(page)).verdict).toBe('TAMPERED');
    await screenshot(page, 'share-tampered-pdf.zh-TW');

    await share(page, { file: { name: 'qr.png', mimeType: 'image/png', buffer: await qrPng(world.revoked.link) } });
    expect((await verdictOn(page)).verdict).toBe('REVOKED');

    // A messaging app shares a link as text, with words around it.
    await share(page, { text: `陳律師的執業證書：${world.valid.link}。` });
    expect((await verdictOn(page)).verdict).toBe('VALID');
    await switchToEnglish(page);
    await screenshot(page, 'share-link.en');

    // Every share was answered by the worker on the device: nothing shared left the browser.
    expect(posts).toEqual(['worker', 'worker', 'worker', 'worker']);
    // Taken, not kept: the page emptied the worker's share cache.
    expect(await page.evaluate(async () => (await (await caches.open('credledger-share')).keys()).length)).toBe(0);
    await context.close();
  }, 90_000);

  it('a share that reaches the server before the worker is installed: sent back to the page unread, which asks to share again', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await openPage(context);
    const pdf = { name: 'licence.pdf', mimeType: 'application/pdf', buffer: await documentOf(world.valid.jwt) };
    await share(page, { file: pdf });
    await page.waitForFunction(() => (document.getElementById('input-error')?.textContent ?? '') !== '');
    expect(await page.textContent('#input-error')).toBe(
      '分享的檔案或連結未送達本頁。請再分享一次，或改用上傳或貼上連結。',
    );
    expect(await page.isHidden('#result')).toBe(true);
    await screenshot(page, 'share-not-received.zh-TW');
    // The page installed its worker meanwhile: sharing again works.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    await share(page, { file: pdf });
    expect((await verdictOn(page)).verdict).toBe('VALID');
    expect(await page.textContent('#input-error')).toBe('');
    await context.close();
  }, 90_000);

  it('shows a suspended licence pasted as text: SUSPENDED with its reason', async () => {
    const page = await openPage();
    await page.goto(`${world.server.url}/`);
    await page.fill('#paste', world.suspended.link);
    await page.click('#paste-form button[type=submit]');
    const zh = await verdictOn(page);
    expect(zh.verdict).toBe('SUSPENDED');
    expect(zh.detail).toContain('停止執行職務');
    await screenshot(page, 'suspended.zh-TW');
    await switchToEnglish(page);
    await screenshot(page, 'suspended.en');
    await page.context().close();
  }, 60_000);

  it('opens a tampered link: TAMPERED, signature failing, the altered details not shown', async () => {
    const page = await openPage();
    await page.goto(pageFor(world.tamperedLink));
    const zh = await verdictOn(page);
    expect(zh.verdict).toBe('TAMPERED');
    expect((await checkResults(page))['signature']).toBe('fail');
    expect(await page.textContent('#fields')).not.toContain('012346');
    await screenshot(page, 'tampered.zh-TW');
    await switchToEnglish(page);
    await screenshot(page, 'tampered.en');
    await page.context().close();
  }, 60_000);

  it('shows markup in a credential field as text: no element created, no dialog', async () => {
    const before = pageErrors.length;
    const page = await openPage();
    await page.goto(pageFor(world.xss.link));
    // Markup is no name: the licence breaks its type's rules, and what it says is shown flagged, as text.
    expect((await verdictOn(page)).verdict).toBe('INVALID_CLAIMS');
    expect(await page.textContent('#fields')).toContain(XSS_NAME);
    expect(await page.$$eval('#result img', (images) => images.length)).toBe(0);
    await page.waitForTimeout(300);
    expect(pageErrors.slice(before).filter((e) => e.startsWith('dialog'))).toEqual([]);
    await screenshot(page, 'xss-as-text.zh-TW');
    await page.context().close();
  }, 60_000);

  it('a forged JWT pasted: TAMPERED, and nothing it claims shown — no issuer name, no fields, no passing status', async () => {
    const page = await openPage();
    await page.goto(`${world.server.url}/`);
    await page.fill('#paste', world.forgedJwt);
    await page.click('#paste-form button[type=submit]');
    for (const language of ['zh-TW', 'en'] as const) {
      if (language === 'en') await switchToEnglish(page);
      const result = await verdictOn(page);
      expect(result.verdict).toBe('TAMPERED');
      const shown = await page.innerText('#result');
      for (const claim of [
        '法務部',
        'Ministry of Justice',
        '王小明',
        '陳雅婷',
        '(115)台檢證字第012345號',
        '明理法律事務所',
      ]) {
        expect(shown).not.toContain(claim);
      }
      expect(await page.isHidden('#issuer-part')).toBe(true);
      expect(await page.isHidden('#fields')).toBe(true);
      expect(await page.isHidden('#freshness')).toBe(true);
      const checks = await checkResults(page);
      expect(checks).toMatchObject({ signature: 'fail' });
      // The status of the id it names, its validity and its content were never established: not listed as results.
      expect(Object.keys(checks)).not.toContain('status');
      expect(Object.keys(checks)).not.toContain('validity');
      expect(Object.values(checks).filter((r) => r === 'unknown')).toEqual([]);
      expect(await page.textContent('#checks-skipped')).toContain(
        language === 'zh-TW' ? '未被撤銷或停止' : 'Not revoked or suspended',
      );
    }
    await page.context().close();
  }, 60_000);

  it('a link with one digit changed: one coherent MALFORMED story, nothing claimed, no line twice', async () => {
    const page = await openPage();
    await page.goto(pageFor(world.malformedLink));
    for (const language of ['zh-TW', 'en'] as const) {
      if (language === 'en') await switchToEnglish(page);
      const result = await verdictOn(page);
      expect(result.verdict).toBe('MALFORMED');
      const shown = await page.innerText('#result');
      for (const unsaid of [
        '未登記的核發者',
        '簽章未通過驗證',
        '狀態資料',
        'Unregistered issuer',
        'signature did not verify',
        'Status:',
      ]) {
        expect(shown).not.toContain(unsaid);
      }
      expect(await page.isHidden('#issuer-part')).toBe(true);
      expect(await page.isHidden('#fields-part')).toBe(true);
      expect(await page.isHidden('#freshness')).toBe(true);
      // The one check that ran, and one line for the seven that could not.
      expect(await checkResults(page)).toEqual({ decode: 'fail' });
      expect(await page.isVisible('#checks-skipped')).toBe(true);
      const lines = (await page.innerText('body'))
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      expect(lines.filter((line, i) => lines.indexOf(line) !== i)).toEqual([]);
    }
    await page.context().close();
  }, 60_000);

  it('content a careless or compromised issuer signed outside the type: INVALID_CLAIMS, flagged, escaped, clipped', async () => {
    const page = await openPage();
    const cases: [string, string, string][] = [
      [world.bidi.link, '姓名', '王⟨U+202E⟩明小⟨U+202C⟩'],
      [world.outOfSet.link, '執業狀態', 'practising"><script>alert(1)</script>'],
      [world.longName.link, '姓名', `${'陳'.repeat(120)}…（共 10000 字）`],
      [world.unknownField.link, 'nationalId', 'A123456789'],
    ];
    for (const [link, label, value] of cases) {
      await page.goto(pageFor(link));
      await page.reload();
      const result = await verdictOn(page);
      expect(result.verdict).toBe('INVALID_CLAIMS');
      expect(result.title).toBe('內容不符規定');
      expect(result.detail).toContain(`「${label}」`);
      expect(await checkResults(page)).toMatchObject({ signature: 'pass', claims: 'fail', anchor: 'pass' });
      expect(await page.isVisible('#fields-note')).toBe(true);
      expect(await page.textContent('#fields-note')).toContain('不可採信');
      const flagged = await page.$$eval('#fields [data-invalid="true"]', (nodes) => nodes.map((n) => n.textContent));
      expect(flagged).toEqual([`⚠ ${label}`, value]);
      // No bidi control reaches the screen: 王‮明小‬ can never read as 王小明.
      expect(await page.innerText('body')).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/);
    }
    await switchToEnglish(page);
    expect((await verdictOn(page)).title).toBe('Content breaks the rules');
    await page.context().close();
  }, 90_000);

  it('at phone size (390×844) each verdict reads whole in both languages, the language button on one line', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await openPage(context);
    const shots: [string, string][] = [
      ['valid', pageFor(world.valid.link)],
      ['revoked', pageFor(world.revoked.link)],
      ['tampered', pageFor(world.tamperedLink)],
      ['malformed', pageFor(world.malformedLink)],
      ['invalid-claims', pageFor(world.bidi.link)],
    ];
    const oneLine = (): Promise<{ lines: number; overflow: boolean }> =>
      page.evaluate(() => {
        const button = document.getElementById('lang');
        const range = document.createRange();
        range.selectNodeContents(button ?? document.body);
        return {
          lines: new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size,
          overflow: document.documentElement.scrollWidth > window.innerWidth,
        };
      });
    for (const [name, url] of shots) {
      await page.goto(url);
      await page.reload();
      await verdictOn(page);
      if ((await page.evaluate(() => document.documentElement.lang)) === 'en') await page.click('#lang');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-Hant-TW');
      expect(await oneLine()).toEqual({ lines: 1, overflow: false });
      await screenshot(page, `phone-${name}.zh-TW`);
      await switchToEnglish(page);
      expect(await oneLine()).toEqual({ lines: 1, overflow: false });
      await screenshot(page, `phone-${name}.en`);
    }
    await context.close();
  }, 120_000);

  it('has no axe-core WCAG A/AA violations, empty or with a verdict, in both languages', async () => {
    const page = await openPage();
    await page.goto(`${world.server.url}/`);
    expect(await axeViolations(page)).toEqual([]);
    for (const link of [world.valid.link, world.revoked.link, world.tamperedLink]) {
      await page.goto(pageFor(link));
      await page.reload();
      await verdictOn(page);
      expect(await axeViolations(page)).toEqual([]);
    }
    await switchToEnglish(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('can be used with the keyboard alone: paste, submit, focus lands on the result', async () => {
    const page = await openPage();
    await page.goto(`${world.server.url}/`);
    await page.focus('#paste');
    await page.keyboard.insertText(world.valid.link);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect((await verdictOn(page)).verdict).toBe('VALID');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('result');
    await page.context().close();
  }, 60_000);

  it('renders Chinese with a real CJK font, not fallback boxes', async () => {
    const page = await openPage();
    await page.goto(pageFor(world.valid.link));
    await verdictOn(page);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '#verdict-detail' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(
      fonts.some((font) => /wenquanyi|wqy|noto sans cjk|noto serif cjk|droid sans fallback/i.test(font.familyName)),
    ).toBe(true);
    await page.context().close();
  }, 60_000);

  it('offers "notify me if this changes" only where the server tracks; elsewhere says how to check again', async () => {
    const page = await openPage();
    await page.goto(pageFor(world.valid.link));
    expect((await verdictOn(page)).verdict).toBe('VALID');
    await page.waitForSelector('#notify[data-tracking="on"]');
    expect(await page.isVisible('#watch')).toBe(true);
    expect(await page.isVisible('#webhook')).toBe(true);
    expect(await page.isHidden('#recheck')).toBe(true);
    // A revoked licence cannot change again: nothing to watch.
    await page.goto(pageFor(world.revoked.link));
    await page.waitForSelector('#result[data-verdict="REVOKED"]');
    expect(await page.isHidden('#notify')).toBe(true);
    await page.context().close();

    // The same page and ledger behind a server without tracking (its API answers 404 to /api/v1/tracking).
    const plain = await world.serve({ webRoot: world.webRoot });
    try {
      const other = await openPage(undefined, { expectStatus: 404 });
      const link = world.valid.link;
      await other.goto(`${plain.url}/#${link.slice(link.indexOf('#') + 1)}`);
      expect((await verdictOn(other)).verdict).toBe('VALID');
      await other.waitForSelector('#notify[data-tracking="off"]');
      expect(await other.isVisible('#recheck')).toBe(true);
      expect(await other.textContent('#recheck')).toContain('重新掃描 QR Code');
      expect(await other.isHidden('#watch-panel')).toBe(true);
      await switchToEnglish(other);
      expect(await other.textContent('#recheck')).toContain('scan the QR code again');
      await screenshot(other, 'notify-off.en');
      await other.context().close();
    } finally {
      await plain.close();
    }
  }, 60_000);

  it('watches while the page is open: a revoke on the ledger turns the verdict to REVOKED without a reload', async () => {
    const licence = await world.issueLicence('李承翰');
    const page = await openPage();
    await page.goto(pageFor(licence.link));
    expect((await verdictOn(page)).verdict).toBe('VALID');
    await page.waitForSelector('#notify[data-tracking="on"]');
    // Keyboard only: focus the control and press Enter.
    await page.focus('#watch');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#notify[data-watching="open"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('watch-stop');
    expect(await page.textContent('#watch-state')).toContain('通知已開啟');
    // A mark that a reload would wipe.
    await page.evaluate(() => {
      document.body.dataset['sameDocument'] = 'yes';
    });
    await screenshot(page, 'notify-watching.zh-TW');

    await world.revoke(licence.id);
    await page.waitForSelector('#result[data-verdict="REVOKED"]', { timeout: 30_000 });
    const revoked = await verdictOn(page);
    expect(revoked.detail).toContain('除名');
    expect(await page.getAttribute('#verdict', 'aria-live')).toBe('polite');
    expect((await checkResults(page))['status']).toBe('fail');
    await page.waitForSelector('#watch-state[data-state="changed"]');
    expect(await page.evaluate(() => document.body.dataset['sameDocument'])).toBe('yes');
    await screenshot(page, 'notify-changed.zh-TW');
    await switchToEnglish(page);
    expect(await page.textContent('#watch-state')).toContain('The status changed at');
    await page.click('#watch-stop');
    expect(await page.textContent('#watch-state')).toBe('Notices are off.');
    await page.context().close();
  }, 90_000);

  it('registers a webhook with the credential as proof, showing the subscription id and token once; a refused address is explained', async () => {
    // The refused address is answered 400.
    const page = await openPage(undefined, { expectStatus: 400 });
    await page.goto(pageFor(world.valid.link));
    expect((await verdictOn(page)).verdict).toBe('VALID');
    await page.waitForSelector('#notify[data-tracking="on"]');
    await page.focus('#webhook summary');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#webhook', 'open')).not.toBeNull();
    // Only https:// (or loopback, which this server allows for development) is accepted.
    await page.fill('#webhook-url', 'http://firm.example/hooks/credledger');
    await page.click('#webhook-form button[type=submit]');
    await page.waitForFunction(() => (document.getElementById('webhook-error')?.textContent ?? '') !== '');
    expect(await page.textContent('#webhook-error')).toContain('https://');
    expect(await page.isHidden('#webhook-result')).toBe(true);

    await page.fill('#webhook-url', 'http://127.0.0.1:9/hooks/credledger');
    await page.click('#webhook-form button[type=submit]');
    await page.waitForSelector('#webhook-result:not([hidden])');
    expect(await page.textContent('#subscription-id')).toMatch(/^sub_[A-Za-z0-9_-]+$/);
    expect((await page.textContent('#subscription-token'))?.length).toBeGreaterThan(16);
    expect(await page.textContent('#webhook-error')).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('webhook-result');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'notify-webhook.zh-TW');
    await switchToEnglish(page);
    expect(await page.textContent('#webhook-result')).toContain('the token is not shown again');
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('has no axe-core violations with the notify controls shown and watching', async () => {
    const page = await openPage();
    await page.goto(pageFor(world.suspended.link));
    expect((await verdictOn(page)).verdict).toBe('SUSPENDED');
    await page.waitForSelector('#notify[data-tracking="on"]');
    await page.click('#watch');
    await page.waitForSelector('#notify[data-watching="open"]');
    await page.click('#webhook summary');
    expect(await axeViolations(page)).toEqual([]);
    await switchToEnglish(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('works offline after the first load: the last status is shown with a stale-status notice', async () => {
    const context = await browser.newContext();
    const page = await openPage(context, { serverGoesAway: true });
    await page.goto(pageFor(world.valid.link));
    expect((await verdictOn(page)).verdict).toBe('VALID');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    // Now under the worker: this load puts the status answers into its cache.
    await page.reload();
    expect((await verdictOn(page)).verdict).toBe('VALID');
    await world.stopServer();
    await page.reload();
    const offline = await verdictOn(page);
    expect(offline.verdict).toBe('VALID');
    await page.waitForSelector('#freshness[data-stale="true"]', { timeout: 10_000 });
    expect(await page.textContent('#freshness')).toContain('無法連線');
    await screenshot(page, 'offline-stale.zh-TW');
    await switchToEnglish(page);
    expect(await page.textContent('#freshness')).toContain('offline');
    await screenshot(page, 'offline-stale.en');
    await context.close();
  }, 90_000);

  it('downloads the QR reader only when it is used, then keeps it for offline uploads', async () => {
    const context = await browser.newContext();
    const page = await openPage(context, { serverGoesAway: true });
    /** The file names the service worker keeps for this version of the page. */
    const kept = (): Promise<string[]> =>
      page.evaluate(async () => {
        const names = (await caches.keys()).filter((name) => name.startsWith('credledger-shell-'));
        const cache = await caches.open(names[0] ?? 'none');
        return (await cache.keys()).map((request) => new URL(request.url).pathname);
      });
    await page.goto(pageFor(world.valid.link));
    expect((await verdictOn(page)).verdict).toBe('VALID');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    // A first visit from a credential link: the shell, not the QR reader.
    expect(await kept()).toEqual(expect.arrayContaining(['/', '/app.js', '/app.css', '/index.html']));
    expect(await kept()).not.toContain('/qr-worker.js');
    expect(await kept()).not.toContain('/qr-worker.wasm');

    const photo = { name: 'licence-photo.png', mimeType: 'image/png', buffer: photoOf(await qrPng(world.valid.link)) };
    await page.goto(`${world.server.url}/`);
    await page.setInputFiles('#upload', photo);
    expect((await verdictOn(page)).verdict).toBe('VALID');
    expect(await kept()).toEqual(expect.arrayContaining(['/qr-worker.js', '/qr-worker.wasm']));

    await world.stopServer();
    await page.reload();
    await page.setInputFiles('#upload', photo);
    const offline = await verdictOn(page);
    expect(offline.verdict).toBe('VALID');
    await page.waitForSelector('#freshness[data-stale="true"]', { timeout: 10_000 });
    await context.close();
  }, 90_000);

  it('verifies from the signed trust list and status lists beside the page when no API is configured', async () => {
    await world.stopServer();
    // A static host: the built page plus a config.json naming the trust list and the pinned governance key.
    const staticRoot = mkdtempSync(join(tmpdir(), 'credledger-static-'));
    cpSync(join(packageRoot, 'dist'), staticRoot, { recursive: true });
    writeFileSync(
      join(staticRoot, 'config.json'),
      JSON.stringify({ trustList: 'trust-list.jwt', governanceKeys: world.governanceKeys }),
    );
    // Same address as before, so the status list URLs written into the credentials are same-origin.
    const staticServer = await world.serve({ webRoot: staticRoot, port: Number(new URL(world.server.url).port) });
    try {
      const page = await openPage(undefined, { serverGoesAway: true });
      await page.goto(pageFor(world.revoked.link));
      const revoked = await verdictOn(page);
      expect(revoked.verdict).toBe('REVOKED');
      expect(await checkResults(page)).toMatchObject({ signature: 'pass', anchor: 'unknown', status: 'fail' });
      expect(await page.textContent('#issuer')).toContain('法務部');
      expect(await page.textContent('#freshness')).toContain('狀態清單');
      await screenshot(page, 'static-revoked.zh-TW');
      await page.goto(pageFor(world.valid.link));
      await page.reload();
      expect((await verdictOn(page)).verdict).toBe('VALID');
      await switchToEnglish(page);
      expect(await page.textContent('#freshness')).toContain('signed status list');
      await screenshot(page, 'static-valid.en');
      await page.context().close();
    } finally {
      await staticServer.close();
      rmSync(staticRoot, { recursive: true, force: true });
    }
  }, 90_000);

  it('verifies IETF and TW DIW SD-JWT VCs from the Status List Token and Status List 2021 lists beside the page when no API is configured: VALID, REVOKED', async () => {
    await world.stopServer();
    const staticRoot = mkdtempSync(join(tmpdir(), 'credledger-static-'));
    cpSync(join(packageRoot, 'dist'), staticRoot, { recursive: true });
    writeFileSync(
      join(staticRoot, 'config.json'),
      JSON.stringify({ trustList: 'trust-list.jwt', governanceKeys: world.governanceKeys }),
    );
    // Same address as before, so the token URI written into the credentials is same-origin.
    const staticServer = await world.serve({ webRoot: staticRoot, port: Number(new URL(world.server.url).port) });
    try {
      const page = await openPage(undefined, { serverGoesAway: true });
      await page.goto(`${world.server.url}/`);
      for (const [credential, verdict, status, shot] of [
        [world.ietfValid, 'VALID', 'pass', 'ietf'],
        [world.ietfRevoked, 'REVOKED', 'fail', 'ietf'],
        [world.twDiwValid, 'VALID', 'pass', undefined],
        [world.twDiwRevoked, 'REVOKED', 'fail', undefined],
      ] as const) {
        await page.fill('#paste', credential.sdJwt);
        await page.click('#paste-form button[type=submit]');
        await page.waitForFunction(
          (expected) => document.getElementById('result')?.dataset['verdict'] === expected,
          verdict,
          { timeout: 20_000 },
        );
        expect((await verdictOn(page)).verdict).toBe(verdict);
        expect(await checkResults(page)).toMatchObject({ signature: 'pass', anchor: 'unknown', status });
        if (shot) await screenshot(page, `static-${shot}-${verdict.toLowerCase()}.zh-TW`);
      }
      await page.context().close();
    } finally {
      await staticServer.close();
      rmSync(staticRoot, { recursive: true, force: true });
    }
  }, 90_000);

  it('falls back to the signed status lists when the API cannot be reached, for a credential never checked on this device, and says how old they are', async () => {
    await world.stopServer();
    // serve's API plus the pinned governance key: the signed files beside the page are the fallback.
    const root = mkdtempSync(join(tmpdir(), 'credledger-fallback-'));
    cpSync(join(packageRoot, 'dist'), root, { recursive: true });
    writeFileSync(
      join(root, 'config.json'),
      JSON.stringify({ statusApi: '.', trustList: 'trust-list.jwt', governanceKeys: world.governanceKeys }),
    );
    // Same address as the credentials name, so their status list URLs are same-origin.
    const server = await world.serve({ webRoot: root, port: Number(new URL(world.server.url).port) });
    try {
      const context = await browser.newContext();
      const page = await openPage(context, { serverGoesAway: true });
      await page.goto(pageFor(world.valid.link));
      expect((await verdictOn(page)).verdict).toBe('VALID');
      expect(await page.getAttribute('#freshness', 'data-source')).toBe('http');
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
      // Under the worker: this check keeps copies of the trust list and the issuer's status lists.
      await page.reload();
      expect((await verdictOn(page)).verdict).toBe('VALID');
      await page.waitForFunction(async () => {
        const keys = await (await caches.open('credledger-data-v1')).keys();
        return (
          keys.some((k) => k.url.endsWith('/trust-list.jwt')) &&
          keys.filter((k) => k.url.includes('/status/')).length >= 2
        );
      });
      await server.close();

      // The revoked licence was never checked here: no API answer for it is cached.
      await page.goto(pageFor(world.revoked.link));
      await page.reload();
      await page.waitForSelector('#result[data-verdict="REVOKED"]', { timeout: 30_000 });
      // A status list is a bitstring: it says revoked, not why.
      expect((await verdictOn(page)).detail).toBe('此律師證書已由法務部撤銷，不再有效');
      expect(await checkResults(page)).toMatchObject({ signature: 'pass', anchor: 'unknown', status: 'fail' });
      expect(await page.getAttribute('#freshness', 'data-source')).toBe('status-list-fallback');
      expect(await page.getAttribute('#freshness', 'data-stale')).toBe('true');
      const zh = await page.textContent('#freshness');
      expect(zh).toContain('無法連線狀態服務');
      expect(zh).toMatch(/\d+ (秒|分鐘|小時|天)前/);
      await screenshot(page, 'fallback-revoked.zh-TW');
      await switchToEnglish(page);
      expect(await page.textContent('#freshness')).toMatch(
        /status service cannot be reached .* signed status list published \d+ (s|minutes?|hours?|days?) ago/,
      );
      await screenshot(page, 'fallback-revoked.en');

      // Another licence never checked here, in force: no live API to watch, so the page says how to check again.
      await page.goto(pageFor(world.another.link));
      await page.reload();
      await page.waitForSelector('#result[data-verdict="VALID"]', { timeout: 30_000 });
      expect(await page.getAttribute('#freshness', 'data-source')).toBe('status-list-fallback');
      await page.waitForSelector('#notify[data-tracking="off"]');
      expect(await page.isVisible('#recheck')).toBe(true);
      expect(await page.isHidden('#watch-panel')).toBe(true);
      await context.close();
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
