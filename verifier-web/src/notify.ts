/**
 * "Notify me if this changes", offered under a verdict only where the deployment's `credledger serve`
 * has tracking on (`GET /api/v1/tracking`); elsewhere the page says how to check again. A browser has
 * no address to be called back on, so the page watches while it is open (Server-Sent Events,
 * `/api/v1/watch?ids=<id>`) and re-verifies when a change arrives; a system that does have one (a law
 * firm's, a bank's) can be registered as a webhook, with the credential itself as proof of holding it.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import type { VerificationResult } from '@credledger/verify';

import {
  formatDateTime,
  subscribeProblemWords,
  watchStateWords,
  type Language,
  type SubscribeProblem,
  type WatchState,
} from './messages.js';

/** What `GET /api/v1/tracking` says the server offers. */
interface TrackingOffer {
  readonly sse: boolean;
  readonly webhooks: boolean;
}

/** One status change as the stream carries it (docs/tracking.md). */
export interface StatusChange {
  readonly id: string;
  readonly to: string;
  readonly at: string | null;
}

export interface NotifyElements {
  readonly section: HTMLElement;
  readonly recheck: HTMLElement;
  readonly watchPanel: HTMLElement;
  readonly watchState: HTMLElement;
  readonly watch: HTMLButtonElement;
  readonly watchStop: HTMLButtonElement;
  readonly webhook: HTMLDetailsElement;
  readonly webhookForm: HTMLFormElement;
  readonly webhookUrl: HTMLInputElement;
  readonly webhookError: HTMLElement;
  readonly webhookResult: HTMLElement;
  readonly subscriptionId: HTMLElement;
  readonly subscriptionToken: HTMLElement;
}

export interface NotifyHooks {
  /** The stream opened (first time or after a drop): re-check, since a change may have come in between. */
  readonly recheck: () => Promise<void>;
  /** A change of the watched credential arrived: re-verify until the answer shows it. */
  readonly changed: (change: StatusChange) => Promise<void>;
}

/** Verdicts whose status can still change, so watching them means something. */
const changeable: ReadonlySet<string> = new Set(['VALID', 'SUSPENDED', 'NOT_YET_VALID']);

/** Asks the API whether it tracks; a 404, an error or no answer means no. */
function askTrackingOffer(apiBase: string): Promise<TrackingOffer | undefined> {
  return fetch(`${apiBase}/api/v1/tracking`, {
    credentials: 'omit',
    redirect: 'error',
    headers: { accept: 'application/json' },
  })
    .then(async (response) => {
      if (!response.ok) return undefined;
      const body = (await response.json()) as { sse?: unknown; webhooks?: unknown } | null;
      return { sse: body?.sse === true, webhooks: body?.webhooks === true };
    })
    .catch(() => undefined);
}

function subscribeProblemOf(code: unknown): SubscribeProblem {
  switch (code) {
    case 'INVALID_INPUT':
      return 'URL_REFUSED';
    case 'ACCESS_DENIED':
    case 'CREDENTIAL_MALFORMED':
    case 'CREDENTIAL_NOT_FOUND':
      return 'CREDENTIAL_REFUSED';
    case 'RATE_LIMITED':
      return 'RATE_LIMITED';
    default:
      return 'UNAVAILABLE';
  }
}

/** The notify section under a verdict: one per page, made by the page (main.ts) when it loads. */
export class NotifyPanel {
  private language: Language = 'zh-TW';
  /** What each API said it offers: asked once per API for as long as the panel (the page) lives. */
  readonly #offers = new Map<string, Promise<TrackingOffer | undefined>>();
  private credentialId: string | undefined;
  private jwt: string | undefined;
  private apiBase: string | undefined;
  private stream: EventSource | undefined;
  private state: { readonly name: WatchState; readonly time: string } | undefined;
  private problem: SubscribeProblem | undefined;

  constructor(
    private readonly elements: NotifyElements,
    private readonly hooks: NotifyHooks,
  ) {
    elements.watch.addEventListener('click', () => {
      this.startWatching();
    });
    elements.watchStop.addEventListener('click', () => {
      this.stopWatching(true);
    });
    elements.webhookForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.register();
    });
  }

  /**
   * Shows what fits the verification just made: the controls when the server tracks and the status can
   * still change, the re-check sentence when it does not track. A different credential ends the watch.
   */
  async show(
    result: VerificationResult,
    options: { readonly jwt: string | undefined; readonly apiBase: string | undefined; readonly fallback: boolean },
  ): Promise<void> {
    const id = result.credential?.id;
    if (id !== this.credentialId) {
      this.stopWatching(false);
      this.state = undefined;
      this.problem = undefined;
      this.elements.webhookResult.hidden = true;
      this.elements.webhook.open = false;
      this.elements.webhookUrl.value = '';
      this.credentialId = id;
    }
    this.jwt = options.jwt;
    this.apiBase = options.apiBase;
    const genuine = result.checks.some((check) => check.name === 'signature' && check.result === 'pass');
    if (id === undefined || !genuine || (!changeable.has(result.verdict) && this.stream === undefined)) {
      this.elements.section.hidden = true;
      return;
    }
    // Tracking needs the live API: not when the page had to fall back to the signed lists.
    const offer =
      options.apiBase !== undefined && !options.fallback ? await this.#trackingOffer(options.apiBase) : undefined;
    if (id !== this.credentialId) return;
    const tracking = offer?.sse === true || this.stream !== undefined;
    this.elements.section.dataset['tracking'] = tracking ? 'on' : 'off';
    this.elements.recheck.hidden = tracking;
    this.elements.watchPanel.hidden = !tracking;
    this.elements.webhook.hidden = offer?.webhooks !== true;
    this.elements.section.hidden = false;
    this.render();
  }

  /** Hides the section and ends any watch (a new verification is starting for other input). */
  hide(): void {
    this.stopWatching(false);
    this.credentialId = undefined;
    this.elements.section.hidden = true;
  }

  /** What the API at `apiBase` offers, asked the first time it is needed. */
  #trackingOffer(apiBase: string): Promise<TrackingOffer | undefined> {
    let offer = this.#offers.get(apiBase);
    if (!offer) {
      offer = askTrackingOffer(apiBase);
      this.#offers.set(apiBase, offer);
    }
    return offer;
  }

  setLanguage(language: Language): void {
    this.language = language;
    this.render();
  }

  private render(): void {
    const { watchState, webhookError } = this.elements;
    watchState.dataset['state'] = this.state?.name ?? 'idle';
    watchState.textContent = this.state ? watchStateWords[this.state.name][this.language](this.state.time) : '';
    webhookError.textContent = this.problem ? subscribeProblemWords[this.problem][this.language] : '';
  }

  private setState(name: WatchState, time = ''): void {
    this.state = { name, time };
    this.render();
  }

  private startWatching(): void {
    const id = this.credentialId;
    if (this.apiBase === undefined || id === undefined || this.stream) return;
    const stream = new EventSource(`${this.apiBase}/api/v1/watch?ids=${encodeURIComponent(id)}`);
    this.stream = stream;
    this.setState('connecting');
    stream.addEventListener('open', () => {
      this.setState('watching');
      this.elements.section.dataset['watching'] = 'open';
      void this.hooks.recheck();
    });
    stream.addEventListener('status', (event: MessageEvent<string>) => {
      let change: StatusChange;
      try {
        change = JSON.parse(event.data) as StatusChange;
      } catch {
        return;
      }
      if (change.id !== id) return;
      void this.hooks.changed(change).then(() => {
        if (this.stream !== stream) return;
        const at = change.at === null ? new Date() : new Date(change.at);
        this.setState('changed', formatDateTime(Number.isNaN(at.getTime()) ? new Date() : at, this.language));
      });
    });
    stream.addEventListener('error', () => {
      delete this.elements.section.dataset['watching'];
      // CLOSED: the server refused the stream (the browser does not retry); else it is reconnecting.
      if (stream.readyState === EventSource.CLOSED) {
        this.stopWatching(false);
        this.setState('failed');
      } else {
        this.setState('reconnecting');
      }
    });
    this.elements.watch.hidden = true;
    this.elements.watchStop.hidden = false;
    this.elements.watchStop.focus();
  }

  private stopWatching(byUser: boolean): void {
    const hadFocus = document.activeElement === this.elements.watchStop;
    this.stream?.close();
    this.stream = undefined;
    delete this.elements.section.dataset['watching'];
    this.elements.watch.hidden = false;
    this.elements.watchStop.hidden = true;
    if (byUser) this.setState('stopped');
    if (hadFocus) this.elements.watch.focus();
  }

  /** Registers the webhook address with the credential as proof; shows the id and token once. */
  private async register(): Promise<void> {
    const { webhookUrl, webhookForm, webhookResult, subscriptionId, subscriptionToken } = this.elements;
    if (this.apiBase === undefined || this.jwt === undefined || !webhookUrl.reportValidity()) return;
    const submit = webhookForm.querySelector('button');
    if (submit) submit.disabled = true;
    this.problem = undefined;
    this.render();
    try {
      const response = await fetch(`${this.apiBase}/api/v1/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ url: webhookUrl.value.trim(), credentials: [this.jwt] }),
        credentials: 'omit',
        redirect: 'error',
      });
      const body = (await response.json().catch(() => null)) as {
        subscription?: { id?: unknown };
        token?: unknown;
        error?: { code?: unknown };
      } | null;
      if (response.status === 201 && typeof body?.subscription?.id === 'string' && typeof body.token === 'string') {
        subscriptionId.textContent = body.subscription.id;
        subscriptionToken.textContent = body.token;
        webhookResult.hidden = false;
        webhookResult.focus();
      } else {
        this.problem = subscribeProblemOf(body?.error?.code);
      }
    } catch {
      this.problem = 'UNAVAILABLE';
    } finally {
      if (submit) submit.disabled = false;
      this.render();
    }
  }
}
