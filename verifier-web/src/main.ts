/**
 * The verifier page: wires the inputs (link, camera, photo, paste) to the verification pipeline and
 * renders its result. Everything shown from a credential goes through `textContent`, never HTML. What
 * the page remembers (the language, the status source, the last result, the camera, the QR reader,
 * the imported issuer keys) belongs to one `VerifierPage`, made once when the page loads.
 */
import { createVerifier, decodeCredentialLink, type VerificationResult } from '@credledger/verify';

import { renderResult, type StatusOrigin } from './render.js';
import { inputProblemWords, uiWords, type InputProblem, type Language, type UiKey } from './messages.js';
import { QrReader, ScanError, type CameraScan } from './scan.js';
import { NotifyPanel, type StatusChange } from './notify.js';
import { linkProblem, loadStatusSource, type LoadedSource } from './status-config.js';

const LANGUAGE_KEY = 'credledger.language';

/** The element with `id`, checked to be of the expected kind. */
function byId<T extends HTMLElement>(id: string, kind: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`page is missing #${id}`);
  return element;
}

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
};
type Elements = typeof elements;

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
async function isPdf(file: File): Promise<boolean> {
  if (file.type === 'application/pdf') return true;
  if (file.type.startsWith('image/')) return false;
  const head = new Uint8Array(await file.slice(0, 1024).arrayBuffer());
  return new TextDecoder('latin1').decode(head).includes('%PDF-');
}

/** The page and everything it remembers while it is open; one per page load (`start` below). */
class VerifierPage {
  private language: Language = initialLanguage();
  private source: Promise<LoadedSource> | undefined;
  private last: { input: string; result: VerificationResult; origin: StatusOrigin; run: number } | undefined;
  private cameraScan: CameraScan | undefined;
  /** The page of a PDF whose printed QR code stood in for its missing attachment (shown beside the input). */
  private readFromPdfQrPage: number | undefined;
  private run = 0;
  /** Data answers the service worker had to serve from its cache during the current verification. */
  private servedFromCache: { url: string; storedAt: string | null }[] = [];
  /** Issuer keys imported once for every verification the page makes (either status source). */
  private readonly verifier = createVerifier();
  private readonly qr = new QrReader();
  private readonly notify: NotifyPanel;

  constructor(private readonly elements: Elements) {
    this.notify = new NotifyPanel(
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
          if (this.last) await this.verify(this.last.input, false, true);
        },
        changed: async (change: StatusChange) => {
          for (let attempt = 0; attempt < CHANGE_RECHECKS && this.last; attempt++) {
            if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, CHANGE_RECHECK_DELAY_MS));
            await this.verify(this.last.input, false, true);
            if (this.last.result.status?.state === change.to) return;
          }
        },
      },
    );
  }

  private render(): void {
    if (!this.last) return;
    renderResult(this.elements.result, this.last.result, this.last.origin, this.language, new Date());
  }

  private applyLanguage(): void {
    const { language, elements } = this;
    document.documentElement.lang = language === 'zh-TW' ? 'zh-Hant-TW' : 'en';
    document.title = uiWords.pageTitle[language];
    for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
      const key = element.dataset['i18n'] as UiKey;
      if (key in uiWords) element.textContent = uiWords[key][language];
    }
    const other: Language = language === 'zh-TW' ? 'en' : 'zh-TW';
    elements.lang.textContent = uiWords.otherLanguage[language];
    elements.lang.lang = other === 'zh-TW' ? 'zh-Hant-TW' : 'en';
    this.notify.setLanguage(language);
    this.showInputNote();
    this.render();
  }

  private showInputNote(): void {
    this.elements.inputNote.textContent =
      this.readFromPdfQrPage === undefined
        ? ''
        : uiWords.readFromPdfQr[this.language].replace('{page}', String(this.readFromPdfQrPage));
  }

  private showProblem(problem: InputProblem | undefined): void {
    this.elements.inputError.textContent = problem ? inputProblemWords[problem][this.language] : '';
  }

  private statusSource(): Promise<LoadedSource> {
    this.source ??= loadStatusSource(new URL('.', location.href));
    return this.source;
  }

  /**
   * Verifies `input` and shows the result. Later calls win over earlier unfinished ones. `quiet` is a
   * re-check of the credential on screen (after a change notice): the old verdict stays until the new one.
   */
  private async verify(input: string, moveFocus: boolean, quiet = false, pdfQrPage?: number): Promise<void> {
    const { elements } = this;
    const mine = ++this.run;
    this.showProblem(undefined);
    // A re-check of the credential on screen keeps saying where it came from.
    if (!quiet) this.readFromPdfQrPage = pdfQrPage;
    this.showInputNote();
    const problem = linkProblem(input);
    if (problem) {
      this.showProblem(problem);
      return;
    }
    if (this.last?.input !== input) this.notify.hide();
    const started = performance.now();
    elements.result.hidden = false;
    if (!quiet) {
      elements.result.removeAttribute('data-verdict');
      elements.result.setAttribute('aria-busy', 'true');
    }
    const servedFromCache: { url: string; storedAt: string | null }[] = [];
    this.servedFromCache = servedFromCache;
    const loaded = await this.statusSource();
    let result = await this.verifier.verifyCredential(input, { status: loaded.source, decodeLink: loaded.decodeLink });
    let origin: StatusOrigin = { kind: loaded.source.kind, servedFromCache };
    if (loaded.fallback && statusUnreachable(result)) {
      const fromLists = await this.verifier.verifyCredential(input, {
        status: loaded.fallback,
        decodeLink: loaded.decodeLink,
      });
      // Only a real answer replaces "cannot check now": missing or stale lists say no more than it does.
      if (fromLists.verdict !== 'UNVERIFIABLE') {
        result = fromLists;
        origin = { kind: 'offline', servedFromCache, fallback: true };
      }
    }
    if (mine !== this.run) return;
    this.last = { input, result, origin, run: mine };
    this.render();
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
    await this.notify.show(result, {
      jwt,
      apiBase: loaded.apiBase,
      fallback: origin.fallback === true || statusUnreachable(result),
    });
  }

  private async startScan(): Promise<void> {
    const { elements } = this;
    this.showProblem(undefined);
    this.stopScan();
    elements.camera.hidden = false;
    elements.scan.hidden = true;
    elements.stopScan.hidden = false;
    elements.stopScan.focus();
    try {
      this.cameraScan = await this.qr.startCameraScan(elements.video);
      const text = await this.cameraScan.result;
      this.stopScan();
      await this.verify(text, true);
    } catch (error) {
      this.stopScan();
      if (error instanceof ScanError) this.showProblem(error.problem);
      else if (!(error instanceof DOMException && error.name === 'AbortError')) throw error;
    }
  }

  private stopScan(): void {
    const { elements } = this;
    this.cameraScan?.stop();
    this.cameraScan = undefined;
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
  private async readPdf(file: File): Promise<{ text: string; pdfQrPage?: number }> {
    const reader = (await import(new URL('pdf-reader.js', document.baseURI).href)) as typeof import('./pdf-reader.js');
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return { text: (await reader.readDocumentCredential(bytes)).jwt };
    } catch (cause) {
      const { code, details } = cause as { code?: unknown; details?: { reason?: unknown } };
      if (code !== 'INVALID_INPUT') throw cause;
      if (details?.reason !== 'NO_CREDENTIAL') throw new ScanError('IMAGE_UNREADABLE', { cause });
      const printed = await reader.findInPdfPictures(bytes, (picture) =>
        this.qr
          .decodeImageFile(
            picture.kind === 'jpeg'
              ? new Blob([picture.bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })
              : new ImageData(picture.rgba as Uint8ClampedArray<ArrayBuffer>, picture.width, picture.height),
          )
          .catch(() => undefined),
      );
      if ('found' in printed) return { text: printed.found, pdfQrPage: printed.page };
      throw new ScanError('PDF_WITHOUT_CREDENTIAL', { cause });
    }
  }

  private async readFile(file: File): Promise<void> {
    this.showProblem(undefined);
    try {
      const started = performance.now();
      const { text, pdfQrPage } = (await isPdf(file))
        ? await this.readPdf(file)
        : { text: await this.qr.decodeImageFile(file) };
      this.elements.result.dataset['decodeMs'] = (performance.now() - started).toFixed(1);
      await this.verify(text, true, false, pdfQrPage);
    } catch (error) {
      if (error instanceof ScanError) this.showProblem(error.problem);
      else throw error;
    }
  }

  private async readUpload(): Promise<void> {
    const file = this.elements.upload.files?.[0];
    this.elements.upload.value = '';
    if (file) await this.readFile(file);
  }

  private verifyFromLocation(): void {
    if (location.hash.length > 1) void this.verify(location.href, false);
  }

  /** Wires the page's controls and events, then verifies the credential in the address, if any. */
  start(): void {
    const { elements } = this;
    elements.lang.addEventListener('click', () => {
      this.language = this.language === 'zh-TW' ? 'en' : 'zh-TW';
      try {
        localStorage.setItem(LANGUAGE_KEY, this.language);
      } catch {
        // Not remembered, still switched.
      }
      this.applyLanguage();
    });
    elements.scan.addEventListener('click', () => void this.startScan());
    elements.stopScan.addEventListener('click', () => {
      this.stopScan();
    });
    elements.upload.addEventListener('change', () => void this.readUpload());
    // A file dropped anywhere on the page is read as if uploaded (a photo, a screenshot, a PDF).
    document.addEventListener('dragover', (event) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    });
    document.addEventListener('drop', (event) => {
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      void this.readFile(file);
    });
    elements.pasteForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = elements.paste.value.trim();
      if (text === '') {
        this.showProblem('EMPTY_INPUT');
        elements.paste.focus();
        return;
      }
      void this.verify(text, true);
    });
    window.addEventListener('hashchange', () => {
      this.verifyFromLocation();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.cameraScan) this.stopScan();
    });

    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.addEventListener('message', (event: MessageEvent<unknown>) => {
        const data = event.data as { type?: unknown; url?: unknown; storedAt?: unknown } | null;
        if (data?.type === 'served-from-cache' && typeof data.url === 'string') {
          this.servedFromCache.push({
            url: data.url,
            storedAt: typeof data.storedAt === 'string' ? data.storedAt : null,
          });
          // The worker's message can arrive after the answer it is about: show the notice then.
          if (this.last?.run === this.run) this.render();
        }
      });
      navigator.serviceWorker.register('sw.js').catch(() => {
        // Offline use is an addition; the page works without it.
      });
    }

    this.applyLanguage();
    this.verifyFromLocation();
  }
}

new VerifierPage(elements).start();
