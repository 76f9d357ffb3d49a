/**
 * "Request from a wallet" on the verifier page, in Chromium (playwright-core) over a real `credledger serve
 * --wallet` on the demo's embedded ledger: the page asks for chosen claims of a lawyer licence, shows the
 * `openid4vp://` request as a QR code, and a reference wallet (`@credledger/oid4vc`) holding a licence it
 * received from that same server presents it. The page shows the outcome in a scanned credential's
 * verdict words, with exactly the claims asked for: VALID, REVOKED, TAMPERED, NOT_AS_REQUESTED. An
 * expired request is shown as such over the server package with a verifier whose clock the test moves.
 * Screenshots at phone size go to verifier-web/test-results/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PNG } from 'pngjs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import {
  createPresentationVerifier,
  createReferenceWallet,
  type AnswerFailure as VerifierAnswerFailure,
  type ReferenceWallet,
} from '@credledger/oid4vc';
import { startServer, type RunningServer } from '@credledger/server';
import { CredledgerError } from '@credledger/verify';
import { reasonLabels } from '@credledger/vocabulary';

import { readQrPixels } from '../../packages/issuer/src/qr/scan.js';
import {
  expectExit,
  finish,
  json,
  listeningUrl,
  runCli,
  startCli,
  tempDir,
  type CliResult,
} from '../../cli/test/cli.js';
import type { AnswerFailure } from '../src/messages.js';
import { answerFailureWords, formatDate } from '../src/messages.js';
import { chromiumArgs, chromiumPath } from './chromium.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const artifacts = join(packageRoot, 'test-results');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
if (!chromiumPath)
  console.warn('"request from a wallet" browser tests skipped: Chromium not found (apt-get install chromium)');
const describeInBrowser = chromiumPath ? describe : describe.skip;

// The page's words for the verifier's own reasons cover exactly @credledger/oid4vc's list (checked by tsc).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const answerFailuresMatch: Same<AnswerFailure, VerifierAnswerFailure> = true;

interface Held {
  readonly wallet: ReferenceWallet;
  readonly credential: string;
  readonly credentialId: string;
  readonly name: string;
  readonly licenceNumber: string;
}

interface Outcome {
  readonly verdict: string;
  readonly title: string;
  readonly detail: string;
  readonly tone: string;
  /** Label → value of every claim shown, in order. */
  readonly claims: readonly (readonly [string, string])[];
  readonly reasons: readonly string[];
}

/**
 * A fetch for a reference wallet that alters the name disclosure of every presentation on its way to the
 * verifier (a disclosure the issuer never signed, with the holder's key-binding JWT kept): TAMPERED.
 */
const tamperingFetch: typeof fetch = async (input, init) => {
  const target = input instanceof Request ? input.url : String(input);
  if (!target.endsWith('/oid4vp/response') || init?.body === undefined || init.body === null) return fetch(input, init);
  const form = new URLSearchParams(init.body instanceof URLSearchParams ? init.body : (init.body as string));
  const token = JSON.parse(form.get('vp_token') ?? '{}') as Record<string, string[]>;
  const forged = Buffer.from(JSON.stringify([randomBytes(16).toString('base64url'), 'name', '王小明'])).toString(
    'base64url',
  );
  for (const presentations of Object.values(token)) {
    for (const [at, presentation] of presentations.entries()) {
      const parts = presentation.split('~');
      parts[1] = forged;
      presentations[at] = parts.join('~');
    }
  }
  form.set('vp_token', JSON.stringify(token));
  return fetch(input, { ...init, body: form.toString() });
};

describeInBrowser('request from a wallet (OpenID4VP) on the verifier page, over serve --wallet', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let webRoot: string;
  let workspace: string;
  let server: ChildProcess;
  let serverDone: Promise<CliResult>;
  let url: string;
  let browser: Browser;
  let valid: Held;
  let revoked: Held;
  let tampering: Held;
  let twDiw: Held;
  let revokedAt: string;
  /** A verifier on the server package whose clock the expiry test moves forward. */
  let clockServer: RunningServer;
  let clockOffsetMs = 0;
  const pageErrors: string[] = [];
  const ws = (args: string[]): string[] => ['-w', workspace, ...args];

  /** Offers a licence with the CLI and has a new reference wallet receive it from the server. */
  async function receive(
    name: string,
    licenceNumber: string,
    options: { readonly fetch?: typeof fetch; readonly profile?: 'ietf' | 'tw-diw' } = {},
  ): Promise<Held> {
    const profile = options.profile ?? 'ietf';
    const made = await runCli(
      ws([
        'offer',
        'LawyerLicenceCredential',
        '--name',
        name,
        '--licence-number',
        licenceNumber,
        '--admission-date',
        '2019-09-01',
        '--practice-status',
        'practising',
        '--profile',
        profile,
        '--issuer-url',
        url,
        '--json',
      ]),
    );
    expectExit(made, 0);
    const offer = json<{ link: string; txCode: string; credentialId: string }>(made);
    const wallet = createReferenceWallet(options.fetch === undefined ? {} : { fetch: options.fetch });
    // Taiwan's wallet speaks OpenID4VCI draft 13.
    const { credential } = await wallet.receive(offer.link, offer.txCode, { draft13: profile === 'tw-diw' });
    return { wallet, credential, credentialId: offer.credentialId, name, licenceNumber };
  }

  /**
   * A page whose script errors and console errors are recorded (CSP violations among them).
   * `expectStatus`: an HTTP error status the test provokes on purpose (Chromium logs every one).
   */
  async function openPage(context?: BrowserContext, options: { expectStatus?: number } = {}): Promise<Page> {
    const page = await (context ?? (await browser.newContext())).newPage();
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (options.expectStatus !== undefined && message.text().includes(`status of ${options.expectStatus} `)) return;
      pageErrors.push(`console: ${message.text()}`);
    });
    return page;
  }

  /** Opens the view, ticks `extra` claims besides the defaults, makes the request: its openid4vp:// link. */
  async function ask(page: Page, extra: readonly string[] = [], profile?: 'ietf' | 'tw-diw'): Promise<string> {
    await page.click('#ask-wallet');
    await page.waitForSelector('#wallet-request[data-state="choosing"] form:not([hidden])');
    for (const claim of extra) await page.check(`#wallet-request input[value="${claim}"]`);
    if (profile !== undefined) await page.selectOption('#wallet-request-profile', profile);
    await page.click('#wallet-request button[type="submit"]');
    await page.waitForSelector('#wallet-request[data-request-link] .wallet-qr svg');
    return (await page.getAttribute('#wallet-request', 'data-request-link')) ?? '';
  }

  async function outcomeOn(page: Page): Promise<Outcome> {
    await page.waitForSelector('#wallet-request[data-state="answered"] .wallet-outcome[data-verdict]', {
      timeout: 20_000,
    });
    return page.evaluate(() => {
      const view = document.getElementById('wallet-request');
      const text = (selector: string): string => view?.querySelector(selector)?.textContent ?? '';
      const terms = [...(view?.querySelectorAll('.wallet-outcome dt') ?? [])].map((dt) => dt.textContent);
      const values = [...(view?.querySelectorAll('.wallet-outcome dd') ?? [])].map((dd) => dd.textContent);
      return {
        verdict: view?.querySelector<HTMLElement>('.wallet-outcome')?.dataset['verdict'] ?? '',
        title: text('.wallet-outcome h2'),
        detail: text('.verdict p:not(.verdict-symbol)'),
        tone: view?.querySelector<HTMLElement>('.wallet-outcome .verdict')?.dataset['tone'] ?? '',
        claims: terms.map((term, at) => [term, values[at] ?? ''] as const),
        reasons: [...(view?.querySelectorAll('.wallet-outcome [data-reason]') ?? [])].map(
          (li) => li.getAttribute('data-reason') ?? '',
        ),
      };
    });
  }

  async function stateOf(page: Page): Promise<{ state: string; line: string }> {
    return page.evaluate(() => ({
      state: document.getElementById('wallet-request')?.dataset['state'] ?? '',
      line: document.querySelector('#wallet-request .wallet-state')?.textContent ?? '',
    }));
  }

  async function switchToEnglish(page: Page): Promise<void> {
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }

  /** The text of the QR code the page draws, read back from a screenshot of it (the issuer's jsQR reader). */
  async function qrTextOn(page: Page): Promise<string | undefined> {
    const png = PNG.sync.read(await page.locator('#wallet-request .wallet-qr svg').screenshot());
    return readQrPixels(new Uint8ClampedArray(png.data), png.width, png.height);
  }

  async function axeViolations(page: Page): Promise<string[]> {
    await page.evaluate(axeSource);
    return page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: { run(context: Document, options: object): Promise<{ violations: { id: string }[] }> };
        }
      ).axe;
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      });
      return result.violations.map((v) => v.id);
    });
  }

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('credledger-wallet-page-'));
    // A page of its own: another suite may rebuild dist/ meanwhile.
    webRoot = join(dir, 'web');
    execFileSync(process.execPath, [join(packageRoot, 'build.mjs'), '--out', webRoot], { stdio: 'pipe' });
    mkdirSync(artifacts, { recursive: true });
    workspace = join(dir, 'demo');
    expectExit(await runCli(['demo', workspace, '--no-serve', '--json']), 0);
    server = startCli(ws(['serve', '--port', '0', '--wallet', '--json', '--web-root', webRoot]));
    serverDone = finish(server);
    url = await listeningUrl(server);
    valid = await receive('林美華', '(113)台檢證字第005501號');
    revoked = await receive('張志明', '(113)台檢證字第005502號');
    tampering = await receive('陳怡君', '(113)台檢證字第005503號', { fetch: tamperingFetch });
    twDiw = await receive('黃建國', '(113)台檢證字第005504號', { profile: 'tw-diw' });
    expectExit(await runCli(ws(['revoke', revoked.credentialId, '--reason', 'DISBARMENT'])), 0);
    const record = await runCli(ws(['status', revoked.credentialId, '--json']));
    expectExit(record, 0);
    revokedAt = json<{ updatedAt: string }>(record).updatedAt;

    // The expiry test's verifier: the same page, the oid4vc routes on the server package, a movable clock.
    const verifier = createPresentationVerifier({
      baseUrl: () => clockServer.url,
      verify: () => Promise.reject(new Error('no presentation is made to this verifier')),
      now: () => new Date(Date.now() + clockOffsetMs),
    });
    const none = (what: string) => () => Promise.reject(new CredledgerError('CREDENTIAL_NOT_FOUND', `no ${what}`));
    clockServer = await startServer({
      registry: {
        getCredential: none('credential'),
        getIssuer: none('issuer'),
        listIssuers: () => Promise.resolve([]),
      },
      port: 0,
      webRoot,
      rateLimit: false,
      wallet: { routes: verifier.routes },
    });

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [...chromiumArgs],
    });
  }, 180_000);

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (clockServer as RunningServer | undefined)?.close();
    (server as ChildProcess | undefined)?.kill('SIGTERM');
    await (serverDone as Promise<CliResult> | undefined);
    await cleanup();
  });

  it('asks for the name and licence number by default, loads the view only when opened, and shows VALID with exactly those two', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await openPage(context);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const response = await page.goto(`${url}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('#ask-wallet:not([hidden])');
    expect(requested.filter((path) => path.endsWith('/wallet-request.js'))).toEqual([]);

    const link = await ask(page);
    expect(requested.filter((path) => path.endsWith('/wallet-request.js'))).toHaveLength(1);
    expect(link.startsWith('openid4vp://')).toBe(true);
    expect(await page.getAttribute('#wallet-request .same-device', 'href')).toBe(link);
    // The QR code on screen carries the link itself.
    expect(await qrTextOn(page)).toBe(link);
    const query = JSON.parse(new URL(link).searchParams.get('dcql_query') ?? '{}') as {
      credentials: { claims: { path: string[] }[] }[];
    };
    expect(query.credentials[0]?.claims.map((claim) => claim.path[0])).toEqual(['name', 'licenceNumber']);
    expect(await stateOf(page)).toEqual({
      state: 'waiting',
      line: '請對方用數位皮夾掃描這個 QR Code，並在皮夾中同意出示。',
    });
    expect(await page.textContent('#wallet-request .asked')).toBe('請求的欄位：律師證書 — 姓名、證書字號');
    expect(await page.textContent('#wallet-request .time-left')).toMatch(/^剩餘時間 [45]:\d\d$/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'wallet-request.qr.zh-TW.png') });
    await switchToEnglish(page);
    expect(await page.textContent('#wallet-request .asked')).toBe('Asked for: Lawyer Licence — Name, Licence number');
    await page.screenshot({ path: join(artifacts, 'wallet-request.qr.en.png') });

    const sent = await valid.wallet.present(link, valid.credential);
    expect(sent).toMatchObject({ status: 200, disclosed: ['name', 'licenceNumber'] });
    const en = await outcomeOn(page);
    expect(en).toEqual({
      verdict: 'VALID',
      title: 'Valid',
      detail: 'Issued by the Ministry of Justice, currently in force',
      tone: 'ok',
      claims: [
        ['Name', valid.name],
        ['Licence number', valid.licenceNumber],
      ],
      reasons: [],
    });
    expect(await page.textContent('#wallet-request .issuer')).toContain('Ministry of Justice');
    const headings = await page.$$eval('#wallet-request .wallet-outcome h3', (hs) =>
      hs.filter((h) => h.checkVisibility()).map((h) => h.textContent),
    );
    expect(headings).toEqual(['Issuer', 'What was shared']);
    await page.screenshot({ path: join(artifacts, 'wallet-request.valid.en.png') });
    await page.click('#lang');
    const zh = await outcomeOn(page);
    expect(zh).toMatchObject({
      title: '有效',
      detail: '此律師證書由法務部核發，目前有效',
      claims: [
        ['姓名', valid.name],
        ['證書字號', valid.licenceNumber],
      ],
    });
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'wallet-request.valid.zh-TW.png') });

    // An answered request takes no second answer: the wallet is refused, the page keeps the first outcome.
    expect((await valid.wallet.present(link, valid.credential)).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await outcomeOn(page)).verdict).toBe('VALID');
    // Nothing of the answer was stored by the service worker.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      return urls.filter((u) => u.includes('/oid4vp/'));
    });
    expect(cached).toEqual([]);
    await context.close();
  });

  it('shows a revoked licence presented from a wallet as REVOKED, in the words of a scanned one: when and why', async () => {
    const page = await openPage();
    await page.goto(`${url}/`);
    const link = await ask(page);
    await revoked.wallet.present(link, revoked.credential);
    const outcome = await outcomeOn(page);
    const revokedOn = formatDate(new Date(revokedAt), 'zh-TW');
    expect(outcome).toMatchObject({
      verdict: 'REVOKED',
      title: '已撤銷',
      detail: `此律師證書已於 ${revokedOn} 由法務部撤銷（原因：${reasonLabels.DISBARMENT['zh-TW']}），不再有效`,
      tone: 'bad',
      claims: [
        ['姓名', revoked.name],
        ['證書字號', revoked.licenceNumber],
      ],
      reasons: ['REVOKED'],
    });
    await page.context().close();
  });

  it('says a request the holder declined in the wallet was not shared, blaming no credential', async () => {
    const page = await openPage();
    await page.goto(`${url}/`);
    const link = await ask(page);
    expect(await valid.wallet.decline(link)).toBe(200);
    expect(await outcomeOn(page)).toEqual({
      verdict: 'DECLINED',
      title: '未出示',
      detail: '對方的皮夾沒有出示任何憑證（原因如下）；這不代表任何憑證有問題，需要時可以重新請求',
      tone: 'warn',
      claims: [],
      reasons: ['WALLET_DECLINED'],
    });
    expect(await page.isVisible('#wallet-request .wallet-outcome .fields-note')).toBe(false);
    expect(await page.textContent('#wallet-request [data-reason]')).toBe(answerFailureWords.WALLET_DECLINED['zh-TW']);
    await switchToEnglish(page);
    expect((await outcomeOn(page)).title).toBe('Not shared');
    await page.screenshot({ path: join(artifacts, 'wallet-request.declined.en.png') });
    await page.context().close();
  });

  it("asks Taiwan's digital wallet in its own flavour (Presentation Exchange, vc+sd-jwt) when chosen: VALID with the two fields", async () => {
    const page = await openPage(await browser.newContext({ viewport: { width: 390, height: 844 } }));
    await page.goto(`${url}/`);
    const link = await ask(page, [], 'tw-diw');
    const params = new URL(link).searchParams;
    expect(params.get('client_id_scheme')).toBe('redirect_uri');
    expect(params.get('dcql_query')).toBeNull();
    const definition = JSON.parse(params.get('presentation_definition') ?? '{}') as {
      input_descriptors: { format: Record<string, unknown> }[];
    };
    expect(Object.keys(definition.input_descriptors[0]?.format ?? {})).toEqual(['vc+sd-jwt']);
    expect(await page.textContent('#wallet-request-profile option:checked')).toBe('數位憑證皮夾（數位發展部）');
    expect(await twDiw.wallet.present(link, twDiw.credential)).toMatchObject({
      status: 200,
      disclosed: ['name', 'licenceNumber'],
    });
    expect(await outcomeOn(page)).toMatchObject({
      verdict: 'VALID',
      detail: '此律師證書由法務部核發，目前有效',
      claims: [
        ['姓名', twDiw.name],
        ['證書字號', twDiw.licenceNumber],
      ],
    });
    await page.screenshot({ path: join(artifacts, 'wallet-request.tw-diw.valid.zh-TW.png') });
    await page.context().close();
  });

  it('shows a presentation altered on its way as TAMPERED, showing none of what it claims', async () => {
    const page = await openPage();
    await page.goto(`${url}/`);
    const link = await ask(page);
    expect((await tampering.wallet.present(link, tampering.credential)).status).toBe(200);
    const outcome = await outcomeOn(page);
    expect(outcome).toMatchObject({ verdict: 'TAMPERED', title: '遭竄改', tone: 'bad', claims: [] });
    expect(outcome.reasons[0]).toBe('KEY_BINDING_SD_HASH_MISMATCH');
    expect(await page.textContent('#wallet-request .wallet-outcome .fields-note')).toBe(
      '無法證實出示的內容由核發機關簽署，因此不予顯示。',
    );
    expect(await page.textContent('#wallet-request .wallet-outcome')).not.toContain('王小明');
    await page.context().close();
  });

  it('says NOT_AS_REQUESTED when a field asked for is not shared, and asks again from the same view', async () => {
    const page = await openPage();
    await page.goto(`${url}/`);
    // The licence has no law firm: the wallet cannot share one.
    const link = await ask(page, ['lawFirm']);
    const sent = await valid.wallet.present(link, valid.credential);
    expect(sent.disclosed).toEqual(['name', 'licenceNumber']);
    await switchToEnglish(page);
    const outcome = await outcomeOn(page);
    expect(outcome).toEqual({
      verdict: 'NOT_AS_REQUESTED',
      title: 'Not as requested',
      detail: 'The wallet did not share what was asked for (see why below); do not rely on it, and ask again',
      tone: 'bad',
      claims: [],
      reasons: ['CLAIM_NOT_DISCLOSED'],
    });
    expect(await page.textContent('#wallet-request [data-reason]')).toBe(answerFailureWords.CLAIM_NOT_DISCLOSED.en);
    await page.click('#wallet-request .wallet-again button.primary');
    expect((await stateOf(page)).state).toBe('choosing');
    await page.context().close();
  });

  it('says an unanswered request expired and asks again with a new one', async () => {
    clockOffsetMs = 0;
    // The verifier answers the expired request 410 Gone.
    const page = await openPage(undefined, { expectStatus: 410 });
    await page.goto(`${clockServer.url}/`);
    const first = await ask(page);
    // Five minutes later on the verifier's clock: its next answer is 410 REQUEST_EXPIRED.
    clockOffsetMs = 5 * 60_000 + 1000;
    await page.waitForSelector('#wallet-request[data-state="expired"]', { timeout: 10_000 });
    expect((await stateOf(page)).line).toBe('這個請求已逾時：對方未在時限內出示。請重新請求。');
    expect(await page.isHidden('#wallet-request .wallet-qr')).toBe(true);
    expect(await page.getAttribute('#wallet-request', 'data-request-link')).toBeNull();
    await switchToEnglish(page);
    expect((await stateOf(page)).line).toBe('This request has expired: nothing was shared in time. Ask again.');
    await page.click('#wallet-request .wallet-again button.primary');
    await page.click('#wallet-request button[type="submit"]');
    await page.waitForSelector('#wallet-request[data-state="waiting"][data-request-link]');
    expect(await page.getAttribute('#wallet-request', 'data-request-link')).not.toBe(first);
    await page.context().close();
  });

  it('asks for at least one field before making a request', async () => {
    const page = await openPage(await browser.newContext({ viewport: { width: 390, height: 844 } }));
    await page.goto(`${url}/`);
    await page.click('#ask-wallet');
    expect(
      await page.$$eval('#wallet-request .claim-choices label', (labels) =>
        labels.map((label) => [label.textContent, label.querySelector('input')?.checked]),
      ),
    ).toEqual([
      ['姓名', true],
      ['英文姓名', false],
      ['證書字號', true],
      ['取得律師資格日期', false],
      ['執業狀態', false],
      ['所屬律師公會', false],
      ['執業事務所', false],
    ]);
    await page.screenshot({ path: join(artifacts, 'wallet-request.choose.zh-TW.png') });
    await page.uncheck('#wallet-request input[value="name"]');
    await page.uncheck('#wallet-request input[value="licenceNumber"]');
    await page.click('#wallet-request button[type="submit"]');
    expect(await page.textContent('#wallet-request [role="alert"]')).toBe('請至少勾選一個欄位。');
    expect((await stateOf(page)).state).toBe('choosing');
    await page.context().close();
  });

  it('words the verifier’s own reasons exactly as @credledger/oid4vc lists them', () => {
    expect(answerFailuresMatch).toBe(true);
  });
});
