/**
 * The verifier page: wires the inputs (link, camera, photo or PDF, paste, share) to the verification
 * pipeline and renders its result. Everything shown from a credential goes through `textContent`, never HTML. What
 * the page remembers (the language, the status source, the last result, the camera, the QR reader) is
 * held by `startVerifierPage`, called once when the page loads: its scope is the page's.
 */
import { decodeCredentialLink, verifyCredential, type VerificationResult } from '@credledger/verify';

import { renderResult, type StatusOrigin } from './render.js';
import { inputProblemWords, uiWords, type InputProblem, type Language, type UiKey } from './messages.js';
import { createQrReader, ScanError, type CameraScan } from './scan.js';
import { NotifyPanel, type StatusChange } from './notify.js';
import { SHARE_ACTION, SHARE_CACHE, SHARED_QUERY } from './share-target.js';
import {
  linkProblem,
  loadPageConfig,
  loadStatusSource,
  presentationVerifierOf,
  type LoadedSource,
} from './status-config.js';
import type { WalletRequestView } from './wallet-request.js';

const LANGUAGE_KEY = 'credledger.language';

/** The element with `id`, checked to be of the expected kind. */
function byId<T extends HTMLElement>(id: string, kind: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`page is missing #${id}`);
  return element;
}

/** Re-checks after a change until the answer shows it (the API may reuse a read for up to a second). */
const CHANGE_RECHECKS = 5;
const CHANGE_RECHECK_DELAY_MS = 1000;

function initialLanguage(): Language {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'zh-TW') return asked;
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    if (saved === 'en' || saved === 'zh-TW') return saved;
  } catch {
    // Storage may be disabled; zh-TW is the default.
  }
  return 'zh-TW';
}

/** The API could not answer at all (network down, server error): the signed lists may still know. */
function statusUnreachable(result: VerificationResult): boolean {
  return (
    result.verdict === 'UNVERIFIABLE' && result.checks.some((check) => check.reason === 'STATUS_SOURCE_UNAVAILABLE')
  );
}

/** Whether a file is a PDF: by its type, else by its first bytes (a share sheet may give no type). */
async function isPdf(file: Blob): Promise<boolean> {
  if (file.type === 'application/pdf') return true;
  if (file.type.startsWith('image/')) return false;
  const head = new Uint8Array(await file.slice(0, 1024).arrayBuffer());
  return new TextDecoder('latin1').decode(head).includes('%PDF-');
}

/** Starts the page: finds its elements, wires them, and verifies the credential in the address, if any. */
function startVerifierPage(): void {
  let language: Language = initialLanguage();
  const pageBase = new URL('.', location.href);
  const config = loadPageConfig(pageBase);
  let source: Promise<LoadedSource> | undefined;
  /** The "request from a wallet" view, once opened (wallet-request.js, loaded then). */
  let walletView: WalletRequestView | undefined;
  let last: { input: string; result: VerificationResult; origin: StatusOrigin; run: number } | undefined;
  let cameraScan: CameraScan | undefined;
  /** The page of a PDF whose printed QR code stood in for its missing attachment (shown beside the input). */
  let readFromPdfQrPage: number | undefined;
  let run = 0;
  /** Data answers the service worker had to serve from its cache during the current verification. */
  let servedFromCache: { url: string; storedAt: string | null }[] = [];

  const { decodeImageFile, startCameraScan } = createQrReader();

  const elements = {
    lang: byId('lang', HTMLButtonElement),
    scan: byId('scan', HTMLButtonElement),
    stopScan: byId('stop-scan', HTMLButtonElement),
    upload: byId('upload', HTMLInputElement),
    camera: byId('camera', HTMLDivElement),
    video: byId('video', HTMLVideoElement),
    pasteForm: byId('paste-form', HTMLFormElement),
    paste: byId('paste', HTMLTextAreaElement),
    inputError: byId('input-error', HTMLParagraphElement),
    inputNote: byId('input-note', HTMLParagraphElement),
    result: byId('result', HTMLElement),
    intro: byId('intro', HTMLParagraphElement),
    privacy: byId('privacy', HTMLParagraphElement),
    inputs: byId('inputs', HTMLElement),
    askWallet: byId('ask-wallet', HTMLButtonElement),
    walletRequest: byId('wallet-request', HTMLElement),
  };

  const notify = new NotifyPanel(
    {
      section: byId('notify', HTMLElement),
      recheck: byId('recheck', HTMLParagraphElement),
      watchPanel: byId('watch-panel', HTMLDivElement),
      watchState: byId('watch-state', HTMLParagraphElement),
      watch: byId('watch', HTMLButtonElement),
      watchStop: byId('watch-stop', HTMLButtonElement),
      webhook: byId('webhook', HTMLDetailsElement),
      webhookForm: byId('webhook-form', HTMLFormElement),
      webhookUrl: byId('webhook-url', HTMLInputElement),
      webhookError: byId('webhook-error', HTMLParagraphElement),
      webhookResult: byId('webhook-result', HTMLDivElement),
      subscriptionId: byId('subscription-id', HTMLElement),
      subscriptionToken: byId('subscription-token', HTMLElement),
    },
    {
      recheck: async () => {
        if (last) await verify(last.input, false, true);
      },
      changed: async (change: StatusChange) => {
        for (let attempt = 0; attempt < CHANGE_RECHECKS && last; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, CHANGE_RECHECK_DELAY_MS));
          await verify(last.input, false, true);
          if (last.result.status?.state === change.to) return;
        }
      },
    },
  );

  function render(): void {
    if (!last) return;
    renderResult(elements.result, last.result, last.origin, language, new Date());
  }

  function applyLanguage(): void {
    document.documentElement.lang = language === 'zh-TW' ? 'zh-Hant-TW' : 'en';
    document.title = uiWords.pageTitle[language];
    for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
      const key = element.dataset['i18n'] as UiKey;
      if (key in uiWords) element.textContent = uiWords[key][language];
    }
    const other: Language = language === 'zh-TW' ? 'en' : 'zh-TW';
    elements.lang.textContent = uiWords.otherLanguage[language];
    elements.lang.lang = other === 'zh-TW' ? 'zh-Hant-TW' : 'en';
    notify.setLanguage(language);
    walletView?.setLanguage(language);
    showInputNote();
    render();
  }

  function showInputNote(): void {
    elements.inputNote.textContent =
      readFromPdfQrPage === undefined
        ? ''
        : uiWords.readFromPdfQr[language].replace('{page}', String(readFromPdfQrPage));
  }

  function showProblem(problem: InputProblem | undefined): void {
    elements.inputError.textContent = problem ? inputProblemWords[problem][language] : '';
  }

  function statusSource(): Promise<LoadedSource> {
    source ??= config.then((loaded) => loadStatusSource(pageBase, loaded));
    return source;
  }

  /**
   * Verifies `input` and shows the result. Later calls win over earlier unfinished ones. `quiet` is a
   * re-check of the credential on screen (after a change notice): the old verdict stays until the new one.
   */
  async function verify(input: string, moveFocus: boolean, quiet = false, pdfQrPage?: number): Promise<void> {
    const mine = ++run;
    closeWalletRequest();
    showProblem(undefined);
    // A re-check of the credential on screen keeps saying where it came from.
    if (!quiet) readFromPdfQrPage = pdfQrPage;
    showInputNote();
    const problem = linkProblem(input);
    if (problem) {
      showProblem(problem);
      return;
    }
    if (last?.input !== input) notify.hide();
    const started = performance.now();
    elements.result.hidden = false;
    if (!quiet) {
      elements.result.removeAttribute('data-verdict');
      elements.result.setAttribute('aria-busy', 'true');
    }
    servedFromCache = [];
    const loaded = await statusSource();
    let result = await verifyCredential(input, { status: loaded.source, decodeLink: loaded.decodeLink });
    let origin: StatusOrigin = { kind: loaded.source.kind, servedFromCache };
    if (loaded.fallback && statusUnreachable(result)) {
      const fromLists = await verifyCredential(input, { status: loaded.fallback, decodeLink: loaded.decodeLink });
      // Only a real answer replaces "cannot check now": missing or stale lists say no more than it does.
      if (fromLists.verdict !== 'UNVERIFIABLE') {
        result = fromLists;
        origin = { kind: 'offline', servedFromCache, fallback: true };
      }
    }
    if (mine !== run) return;
    last = { input, result, origin, run: mine };
    render();
    elements.result.removeAttribute('aria-busy');
    const ms = performance.now() - started;
    elements.result.dataset['verdict'] = result.verdict;
    elements.result.dataset['verifyMs'] = ms.toFixed(1);
    document.dispatchEvent(new CustomEvent('credledger:verdict', { detail: { verdict: result.verdict, ms } }));
    if (moveFocus) elements.result.focus();
    const decoded = decodeCredentialLink(input);
    const jwt = 'jwt' in decoded ? decoded.jwt : undefined;
    const genuine = result.checks.some((check) => check.name === 'signature' && check.result === 'pass');
    if (jwt !== undefined && genuine && origin.fallback !== true && !statusUnreachable(result))
      loaded.keepFallbackCopies(jwt);
    await notify.show(result, {
      jwt,
      apiBase: loaded.apiBase,
      fallback: origin.fallback === true || statusUnreachable(result),
    });
  }

  async function startScan(): Promise<void> {
    showProblem(undefined);
    stopScan();
    elements.camera.hidden = false;
    elements.scan.hidden = true;
    elements.stopScan.hidden = false;
    elements.stopScan.focus();
    try {
      cameraScan = await startCameraScan(elements.video);
      const text = await cameraScan.result;
      stopScan();
      await verify(text, true);
    } catch (error) {
      stopScan();
      if (error instanceof ScanError) showProblem(error.problem);
      else if (!(error instanceof DOMException && error.name === 'AbortError')) throw error;
    }
  }

  function stopScan(): void {
    cameraScan?.stop();
    cameraScan = undefined;
    const hadFocus = document.activeElement === elements.stopScan;
    elements.camera.hidden = true;
    elements.stopScan.hidden = true;
    elements.scan.hidden = false;
    if (hadFocus) elements.scan.focus();
  }

  /**
   * The credential a credledger document carries. The reader (pdf-lib) is a file of its own, loaded only
   * now: the page's first visit stays small. A PDF without an attachment is read through the QR code
   * printed in it: the vector symbol rasterised by the reader, or a page image (a JPEG one decoded by
   * the browser), each decoded by the page's QR reader.
   */
  async function readPdf(file: Blob): Promise<{ text: string; pdfQrPage?: number }> {
    const reader = (await import(new URL('pdf-reader.js', document.baseURI).href)) as typeof import('./pdf-reader.js');
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return { text: (await reader.readDocumentCredential(bytes)).jwt };
    } catch (cause) {
      const { code, details } = cause as { code?: unknown; details?: { reason?: unknown } };
      if (code !== 'INVALID_INPUT') throw cause;
      if (details?.reason !== 'NO_CREDENTIAL') throw new ScanError('IMAGE_UNREADABLE', { cause });
      const printed = await reader.findInPdfPictures(bytes, (picture) =>
        decodeImageFile(
          picture.kind === 'jpeg'
            ? new Blob([picture.bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })
            : new ImageData(picture.rgba as Uint8ClampedArray<ArrayBuffer>, picture.width, picture.height),
        ).catch(() => undefined),
      );
      if ('found' in printed) return { text: printed.found, pdfQrPage: printed.page };
      throw new ScanError('PDF_WITHOUT_CREDENTIAL', { cause });
    }
  }

  async function readFile(file: Blob): Promise<void> {
    showProblem(undefined);
    try {
      const started = performance.now();
      const { text, pdfQrPage } = (await isPdf(file)) ? await readPdf(file) : { text: await decodeImageFile(file) };
      elements.result.dataset['decodeMs'] = (performance.now() - started).toFixed(1);
      await verify(text, true, false, pdfQrPage);
    } catch (error) {
      if (error instanceof ScanError) showProblem(error.problem);
      else throw error;
    }
  }

  async function readUpload(): Promise<void> {
    const file = elements.upload.files?.[0];
    elements.upload.value = '';
    if (file) await readFile(file);
  }

  /**
   * What the phone's share sheet gave the installed page: the service worker (sw.ts) kept it on this
   * device and opened `?shared`. A file is read as if uploaded, a link or text as if pasted (the first
   * web address in it, if any). Nothing kept means the share reached the server before the worker was
   * installed (it answers with this same address and reads nothing): the page asks to share again.
   */
  async function readShared(): Promise<void> {
    const params = new URLSearchParams(location.search);
    if (!params.has(SHARED_QUERY)) return;
    params.delete(SHARED_QUERY);
    // A reload must not read the share again.
    history.replaceState(null, '', `${location.pathname}${params.size > 0 ? `?${params}` : ''}`);
    const key = new URL(SHARE_ACTION, document.baseURI).href;
    let shared: Response | undefined;
    try {
      const cache = await caches.open(SHARE_CACHE);
      shared = await cache.match(key);
      await cache.delete(key);
    } catch {
      // No Cache Storage (storage disabled): nothing can have been kept.
    }
    if (!shared) {
      showProblem('SHARE_NOT_RECEIVED');
      return;
    }
    if (shared.headers.get('x-shared') === 'file') {
      await readFile(await shared.blob());
      return;
    }
    const text = await shared.text();
    // A link ends at a space or a character no URL holds (a full-width 。), less closing punctuation.
    const link = /https?:\/\/[!-~]+/.exec(text)?.[0].replace(/[.,;:!?)\]'"]+$/, '');
    await verify(link ?? text.trim(), true);
  }

  /**
   * Opens the "request from a wallet" view: its code and QR encoder (wallet-request.js) load only now,
   * so the first visit stays small. A credential on screen is put away: the view shows its own outcome.
   */
  async function openWalletRequest(verifierBase: string): Promise<void> {
    showProblem(undefined);
    stopScan();
    if (!walletView) {
      let module: typeof import('./wallet-request.js');
      try {
        module = (await import(new URL('wallet-request.js', document.baseURI).href)) as typeof module;
      } catch {
        showProblem('WALLET_VIEW_UNAVAILABLE');
        return;
      }
      walletView ??= module.createWalletRequestView(elements.walletRequest, {
        verifierBase,
        language,
        onClose: () => {
          closeWalletRequest();
          elements.askWallet.focus();
        },
      });
    }
    run++;
    last = undefined;
    notify.hide();
    // The view takes the place of the inputs: on a phone its QR code then fits the first screen.
    elements.result.hidden = true;
    elements.intro.hidden = true;
    elements.inputs.hidden = true;
    // Not true of a request to a wallet, which answers the server: the view says what is sent instead.
    elements.privacy.hidden = true;
    walletView.show();
  }

  /** Puts the view away (the user closed it, or a credential is being verified) and the inputs back. */
  function closeWalletRequest(): void {
    walletView?.close();
    elements.intro.hidden = false;
    elements.inputs.hidden = false;
    elements.privacy.hidden = false;
  }

  function verifyFromLocation(): void {
    if (location.hash.length > 1) void verify(location.href, false);
  }

  elements.lang.addEventListener('click', () => {
    language = language === 'zh-TW' ? 'en' : 'zh-TW';
    try {
      localStorage.setItem(LANGUAGE_KEY, language);
    } catch {
      // Not remembered, still switched.
    }
    applyLanguage();
  });
  elements.scan.addEventListener('click', () => void startScan());
  elements.stopScan.addEventListener('click', () => {
    stopScan();
  });
  elements.upload.addEventListener('change', () => void readUpload());
  // Offered only where the page's config names a verifier that asks wallets (serve --wallet).
  void config.then((loaded) => {
    const verifierBase = presentationVerifierOf(loaded, pageBase);
    if (verifierBase === undefined) return;
    elements.askWallet.hidden = false;
    elements.askWallet.addEventListener('click', () => void openWalletRequest(verifierBase));
  });
  // A file dropped anywhere on the page is read as if uploaded (a photo, a screenshot, a PDF).
  document.addEventListener('dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  });
  document.addEventListener('drop', (event) => {
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    void readFile(file);
  });
  elements.pasteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = elements.paste.value.trim();
    if (text === '') {
      showProblem('EMPTY_INPUT');
      elements.paste.focus();
      return;
    }
    void verify(text, true);
  });
  window.addEventListener('hashchange', verifyFromLocation);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && cameraScan) stopScan();
  });

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', (event: MessageEvent<unknown>) => {
      const data = event.data as { type?: unknown; url?: unknown; storedAt?: unknown } | null;
      if (data?.type === 'served-from-cache' && typeof data.url === 'string') {
        servedFromCache.push({ url: data.url, storedAt: typeof data.storedAt === 'string' ? data.storedAt : null });
        // The worker's message can arrive after the answer it is about: show the notice then.
        if (last?.run === run) render();
      }
    });
    navigator.serviceWorker.register('sw.js').catch(() => {
      // Offline use is an addition; the page works without it.
    });
  }

  applyLanguage();
  verifyFromLocation();
  void readShared();
}

startVerifierPage();
