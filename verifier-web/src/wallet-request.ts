/**
 * The "request from a wallet" view (issue 14), a file of its own (wallet-request.js) that the page loads,
 * with its QR encoder, only when someone opens it. A court clerk or a client picks what to see of a
 * credential type; the page asks the server's OpenID4VP verifier (`POST <verifier>/oid4vp/requests`),
 * shows the `openid4vp://` link as a QR code for the holder's wallet (and as a link, for a wallet on this
 * phone), polls `GET <verifier>/oid4vp/requests/<id>` and shows the outcome in the words and looks of a
 * scanned credential's verdict, with only the claims the wallet returned. The page offers it where its
 * config names a verifier (decision 0037). The service worker never stores these answers.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html
 */
import {
  credentialNoun,
  credentialTypes,
  getCredentialType,
  type CheckReason,
  type CredentialTypeDefinition,
  type CredentialTypeName,
} from '@credledger/verify';

import {
  answerFailureWords,
  checkReasonWords,
  formatDateTime,
  presentationVerdictWords,
  timeLeftWords,
  uiWords,
  walletRequestStateWords,
  walletProfileWords,
  walletRequestWords,
  type AnswerFailure,
  type Language,
  type PresentationVerdict,
  type VerdictContext,
  type WalletProfile,
  type WalletRequestState,
} from './messages.js';
import { qrCodeSvg } from './qr-code.js';
import { fieldValue, statusReasonText, verdictDate, visible } from './render.js';

/** What is asked for when a type is picked: for a lawyer licence, who it is and which licence. */
const defaultClaims = {
  LawyerLicenceCredential: ['name', 'licenceNumber'],
  EconomicCertificateCredential: ['kind', 'certificateNumber', 'companyName'],
} as const satisfies Record<CredentialTypeName, readonly string[]>;

/** The wallets a request can be made for, the first the default: OpenID4VP 1.0 (DCQL), or Taiwan's (TW DIW). */
const walletProfiles = ['ietf', 'tw-diw'] as const satisfies readonly WalletProfile[];

/** How often the page asks whether the wallet has answered. */
const POLL_MS = 1000;

/** A request the server made, as the page keeps it. */
interface OpenRequest {
  readonly id: string;
  readonly link: string;
  readonly expiresAt: number;
  /** The server's clock minus this device's (from the `Date` header), so the time left is the server's. */
  readonly skewMs: number;
  readonly type: CredentialTypeDefinition;
  readonly claims: readonly string[];
  /** Signed with the server's certificate (`x509_san_dns`): the wallet can show who asks. */
  readonly signed: boolean;
}

/** An answered request's outcome, as `GET /oid4vp/requests/<id>` gives it. */
interface Outcome {
  readonly verdict: string;
  readonly reasons: readonly string[];
  readonly claims: Readonly<Record<string, unknown>>;
  readonly credential?: {
    readonly type: string;
    readonly issuer: string;
    readonly issuerName?: { readonly 'zh-TW': string; readonly en: string };
    readonly validFrom?: string;
    readonly validUntil?: string | null;
  };
  /** When the status changed and the issuer's reason code (REVOKED, SUSPENDED). */
  readonly status?: { readonly reason?: string; readonly changedAt?: string };
  readonly answeredAt: string;
}

/** The view the page opens; `close` stops asking the server and hides it (the user's close also calls `onClose`). */
export interface WalletRequestView {
  show(): void;
  setLanguage(language: Language): void;
  close(): void;
}

export interface WalletRequestOptions {
  /** The verifier's base URL, no trailing slash (the page's config `presentationVerifier`). */
  readonly verifierBase: string;
  readonly language: Language;
  /** Called when the user closes the view (the page puts focus back on what opened it). */
  readonly onClose: () => void;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The outcome in an answer, read defensively: the server may be newer than the page. */
function outcomeOf(value: unknown): Outcome | undefined {
  if (!isRecord(value) || typeof value.verdict !== 'string') return undefined;
  const reasons = Array.isArray(value.reasons) ? value.reasons.filter((r): r is string => typeof r === 'string') : [];
  const credential = isRecord(value.credential) ? value.credential : undefined;
  const issuerName = isRecord(credential?.issuerName) ? credential.issuerName : undefined;
  const status = isRecord(value.status) ? value.status : undefined;
  const text = (field: unknown): string | undefined => (typeof field === 'string' ? field : undefined);
  const validFrom = text(credential?.validFrom);
  const validUntil = text(credential?.validUntil);
  const reason = text(status?.reason);
  const changedAt = text(status?.changedAt);
  return {
    verdict: value.verdict,
    reasons,
    claims: isRecord(value.claims) ? value.claims : {},
    ...(credential && typeof credential.type === 'string' && typeof credential.issuer === 'string'
      ? {
          credential: {
            type: credential.type,
            issuer: credential.issuer,
            ...(typeof issuerName?.['zh-TW'] === 'string' && typeof issuerName.en === 'string'
              ? { issuerName: { 'zh-TW': issuerName['zh-TW'], en: issuerName.en } }
              : {}),
            ...(validFrom === undefined ? {} : { validFrom }),
            ...(validUntil === undefined ? {} : { validUntil }),
          },
        }
      : {}),
    ...(status
      ? {
          status: {
            ...(reason === undefined ? {} : { reason }),
            ...(changedAt === undefined ? {} : { changedAt }),
          },
        }
      : {}),
    answeredAt: typeof value.answeredAt === 'string' ? value.answeredAt : new Date().toISOString(),
  };
}

/**
 * What a verdict's words rest on, from the outcome's first reason, where the words depend on it
 * (TAMPERED, UNVERIFIABLE): the outcome names reasons, not the check that decided.
 */
function causeOf(reason: string | undefined): VerdictContext['cause'] {
  switch (reason) {
    case 'DIGEST_MISMATCH':
    case 'RECORD_MISMATCH':
    case 'NOT_ANCHORED':
      return { check: 'anchor', reason };
    case 'KEY_COMPROMISED_BEFORE_ANCHOR':
    case 'KEY_COMPROMISED_NOT_ANCHORED':
      return { check: 'signature', reason };
    case 'TYPE_UNKNOWN':
      return { check: 'claims', reason };
    case 'TRUST_LIST_INVALID':
    case 'TRUST_LIST_EXPIRED':
      return { check: 'issuer', reason };
    case 'VERIFICATION_FAILED':
      // The server could not check at all: worded as a register it could not read, "try again later".
      return { check: 'issuer', reason: 'NOT_CHECKED' };
    case 'STATUS_SOURCE_UNAVAILABLE':
    case 'STATUS_LIST_UNAVAILABLE':
    case 'STATUS_LIST_INVALID':
    case 'STATUS_LIST_STALE':
      return { check: 'status', reason };
    default:
      return undefined;
  }
}

function isCheckReason(reason: string): reason is CheckReason {
  return Object.hasOwn(checkReasonWords, reason);
}

function reasonText(reason: string, language: Language): string {
  if (isCheckReason(reason)) return checkReasonWords[reason][language];
  if (Object.hasOwn(answerFailureWords, reason)) return answerFailureWords[reason as AnswerFailure][language];
  return visible(reason, language);
}

/** "4:05": minutes and seconds. */
function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Builds the view inside `container` (an empty section of the page) and returns its handle. Its state —
 * the request being answered, the poll — lives as long as the handle.
 */
export function createWalletRequestView(container: HTMLElement, options: WalletRequestOptions): WalletRequestView {
  let language = options.language;
  let state: WalletRequestState = 'choosing';
  let noClaims = false;
  let request: OpenRequest | undefined;
  let outcome: Outcome | undefined;
  /** Bumped whenever a request is made or dropped: answers for an older one are ignored. */
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const types = Object.values(credentialTypes);
  const lawyerLicence = getCredentialType('LawyerLicenceCredential');
  const heading = el('h2', { id: 'wallet-request-heading', tabindex: '-1' });
  const stateLine = el('p', { class: 'wallet-state', role: 'status', 'aria-live': 'polite' });

  // Choosing what to ask for.
  const typeLabel = el('label', { for: 'wallet-request-type' });
  const typeSelect = el('select', { id: 'wallet-request-type' });
  for (const type of types) typeSelect.append(el('option', { value: type.name }));
  // Which wallets can answer: the request's protocol flavour and SD-JWT profile (decision 0036).
  const profileLabel = el('label', { for: 'wallet-request-profile' });
  const profileSelect = el('select', { id: 'wallet-request-profile' });
  for (const profile of walletProfiles) profileSelect.append(el('option', { value: profile }));
  const legend = el('legend');
  const choices = el('div', { class: 'claim-choices' });
  const fieldset = el('fieldset', {}, legend, choices);
  const problem = el('p', { class: 'input-error', role: 'alert' });
  const createButton = el('button', { type: 'submit', class: 'primary' });
  const closeButtons = [el('button', { type: 'button' }), el('button', { type: 'button' })];
  const form = el(
    'form',
    { class: 'wallet-ask' },
    el('div', { class: 'paste' }, typeLabel, typeSelect),
    el('div', { class: 'paste' }, profileLabel, profileSelect),
    fieldset,
    problem,
    el('div', { class: 'actions' }, createButton, closeButtons[0] ?? ''),
  );
  let boxes: { readonly input: HTMLInputElement; readonly text: HTMLSpanElement; readonly field: string }[] = [];

  // Waiting for the wallet.
  const asked = el('p', { class: 'asked' });
  const qr = el('div', { class: 'wallet-qr' });
  const timeLeft = el('p', { class: 'time-left' });
  const sameDevice = el('a', { class: 'same-device' });
  const unsigned = el('p', { class: 'fields-note' });
  const cancelButton = el('button', { type: 'button' });
  const waitPart = el(
    'div',
    { class: 'wallet-wait' },
    asked,
    qr,
    timeLeft,
    el('p', {}, sameDevice),
    unsigned,
    el('div', { class: 'actions' }, cancelButton),
  );

  // The outcome, in the looks of a scanned credential's verdict.
  const verdictSymbol = el('p', { class: 'verdict-symbol', 'aria-hidden': 'true' });
  const verdictTitle = el('h2', { id: 'wallet-verdict-title' });
  const verdictDetail = el('p');
  const verdictBox = el('div', { class: 'verdict' }, verdictSymbol, verdictTitle, verdictDetail);
  const issuerHeading = el('h3');
  const issuer = el('p', { class: 'issuer' });
  const issuerPart = el('div', {}, issuerHeading, issuer);
  const shownHeading = el('h3');
  const shownNote = el('p', { class: 'fields-note' });
  const shown = el('dl', { class: 'fields' });
  const shownPart = el('div', {}, shownHeading, shownNote, shown);
  const reasonsHeading = el('h3');
  const reasons = el('ul', { class: 'checks' });
  const reasonsPart = el('div', {}, reasonsHeading, reasons);
  const outcomePart = el(
    'section',
    { class: 'result wallet-outcome', 'aria-labelledby': 'wallet-verdict-title', tabindex: '-1' },
    verdictBox,
    issuerPart,
    shownPart,
    reasonsPart,
  );

  // Asking again, after an outcome or a request that can no longer be answered.
  const againButton = el('button', { type: 'button', class: 'primary' });
  const againPart = el('div', { class: 'actions wallet-again' }, againButton, closeButtons[1] ?? '');

  // Where the page's footer says what leaves the device, for this view: the wallet sends to the server.
  const privacy = el('p', { class: 'wallet-privacy' });

  container.replaceChildren(heading, stateLine, form, waitPart, outcomePart, againPart, privacy);

  function selectedType(): CredentialTypeDefinition {
    return credentialTypes[typeSelect.value] ?? lawyerLicence;
  }

  function selectedProfile(): WalletProfile {
    return walletProfiles.find((profile) => profile === profileSelect.value) ?? 'ietf';
  }

  /** One checkbox per field of the type, its default claims ticked. */
  function chooseType(): void {
    const type = selectedType();
    const defaults: readonly string[] = Object.hasOwn(defaultClaims, type.name)
      ? defaultClaims[type.name as CredentialTypeName]
      : type.fields.filter((field) => field.required).map((field) => field.name);
    boxes = type.fields.map((field) => {
      const input = el('input', { type: 'checkbox', name: 'claim', value: field.name });
      input.checked = defaults.includes(field.name);
      return { input, text: el('span'), field: field.name };
    });
    choices.replaceChildren(...boxes.map(({ input, text }) => el('label', {}, input, text)));
    noClaims = false;
    render();
  }

  function timeLeftMs(): number {
    return request ? request.expiresAt - (Date.now() + request.skewMs) : 0;
  }

  function setState(next: WalletRequestState): void {
    state = next;
    render();
  }

  function stopPolling(): void {
    generation++;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function schedule(mine: number): void {
    timer = setTimeout(() => void poll(mine), POLL_MS);
  }

  async function ask(): Promise<void> {
    const type = selectedType();
    const claims = boxes.filter((box) => box.input.checked).map((box) => box.field);
    noClaims = claims.length === 0;
    if (noClaims) {
      render();
      boxes[0]?.input.focus();
      return;
    }
    stopPolling();
    const mine = generation;
    request = undefined;
    outcome = undefined;
    setState('creating');
    let response: Response;
    try {
      response = await fetch(`${options.verifierBase}/oid4vp/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ credentialType: type.name, claims, profile: selectedProfile() }),
        credentials: 'omit',
        redirect: 'error',
        cache: 'no-store',
      });
    } catch {
      if (mine === generation) setState('unreachable');
      return;
    }
    const body: unknown = await response.json().catch(() => null);
    if (mine !== generation) return;
    if (response.status === 429) {
      setState('busy');
      return;
    }
    if (
      response.status !== 201 ||
      !isRecord(body) ||
      typeof body.id !== 'string' ||
      typeof body.link !== 'string' ||
      typeof body.expiresAt !== 'string' ||
      !body.link.startsWith('openid4vp://')
    ) {
      setState('refused');
      return;
    }
    const serverNow = Date.parse(response.headers.get('date') ?? '');
    request = {
      id: body.id,
      link: body.link,
      expiresAt: Date.parse(body.expiresAt),
      skewMs: Number.isNaN(serverNow) ? 0 : serverNow - Date.now(),
      type,
      claims,
      signed: body.signed === true,
    };
    qr.replaceChildren(qrCodeSvg(request.link, walletRequestWords.qrLabel[language]));
    sameDevice.href = request.link;
    setState('waiting');
    stateLine.focus();
    schedule(mine);
  }

  /** Asks the server about the request once; keeps asking until it is answered or can no longer be. */
  async function poll(mine: number): Promise<void> {
    const current = request;
    if (mine !== generation || current === undefined) return;
    let response: Response;
    try {
      response = await fetch(`${options.verifierBase}/oid4vp/requests/${encodeURIComponent(current.id)}`, {
        headers: { accept: 'application/json' },
        credentials: 'omit',
        redirect: 'error',
        cache: 'no-store',
      });
    } catch {
      if (mine !== generation) return;
      if (timeLeftMs() <= 0) {
        setState('expired');
        return;
      }
      setState('reconnecting');
      schedule(mine);
      return;
    }
    const body: unknown = await response.json().catch(() => null);
    if (mine !== generation) return;
    if (response.status === 410 || response.status === 404) {
      setState(response.status === 410 ? 'expired' : 'forgotten');
      return;
    }
    const status = isRecord(body) ? body.status : undefined;
    const answered = status === 'ANSWERED' && isRecord(body) ? outcomeOf(body.outcome) : undefined;
    if (answered) {
      outcome = answered;
      setState('answered');
      outcomePart.focus();
      return;
    }
    // Busy, or not answered yet: ask again (a 429 or 503 is a moment's trouble, not the end of the request).
    setState(!response.ok ? 'reconnecting' : status === 'VERIFYING' ? 'verifying' : 'waiting');
    schedule(mine);
  }

  function renderOutcome(answer: Outcome): void {
    const verdict: PresentationVerdict = Object.hasOwn(presentationVerdictWords, answer.verdict)
      ? (answer.verdict as PresentationVerdict)
      : 'UNVERIFIABLE';
    const words = presentationVerdictWords[verdict];
    const type =
      answer.credential && Object.hasOwn(credentialTypes, answer.credential.type)
        ? credentialTypes[answer.credential.type]
        : undefined;
    const name = answer.credential?.issuerName?.[language];
    const cause = causeOf(answer.reasons[0]);
    const date = verdictDate(
      verdict,
      {
        changedAt: answer.status?.changedAt,
        validFrom: answer.credential?.validFrom,
        validUntil: answer.credential?.validUntil,
      },
      language,
    );
    const statusReason = answer.status?.reason;
    const context: VerdictContext = {
      typeName: type ? credentialNoun(type, answer.claims)[language] : uiWords.genericNoun[language],
      issuerName: name === undefined ? uiWords.issuerNameUnknown[language] : visible(name, language),
      ...(cause === undefined ? {} : { cause }),
      ...(date === undefined ? {} : { date }),
      ...(statusReason === undefined ? {} : { reason: statusReasonText(statusReason, language) }),
    };
    outcomePart.dataset['verdict'] = verdict;
    verdictBox.dataset['tone'] = words.tone;
    verdictSymbol.textContent = words.symbol;
    verdictTitle.textContent = words.title[language];
    verdictDetail.textContent = words.detail[language](context);

    issuerPart.hidden = name === undefined || answer.credential === undefined;
    issuer.replaceChildren();
    if (name !== undefined && answer.credential)
      issuer.append(
        el('span', {}, visible(name, language)),
        el('small', {}, visible(answer.credential.issuer, language)),
      );

    // Only the claims the wallet returned, in the order of the type's fields.
    const entries = Object.entries(answer.claims);
    const ordered = type
      ? [
          ...type.fields.filter((f) => Object.hasOwn(answer.claims, f.name)).map((f) => [f.name, f] as const),
          ...entries.filter(([claim]) => !type.fields.some((f) => f.name === claim)).map(([claim]) => [claim] as const),
        ]
      : entries.map(([claim]) => [claim] as const);
    shown.replaceChildren(
      ...ordered.flatMap(([claim, field]) => [
        el('dt', { 'data-claim': claim }, field ? field.label[language] : visible(claim, language)),
        el('dd', { 'data-claim': claim }, fieldValue(field, answer.claims[claim], language)),
      ]),
    );
    // Nothing to show, and nothing to explain about what was shown: an answer not as asked, or none.
    shownPart.hidden = entries.length === 0 && (verdict === 'NOT_AS_REQUESTED' || verdict === 'DECLINED');
    shown.hidden = entries.length === 0;
    shownNote.textContent =
      entries.length === 0 ? walletRequestWords.nothingShown[language] : walletRequestWords.shownNote[language];

    reasonsPart.hidden = answer.reasons.length === 0;
    reasons.replaceChildren(
      ...answer.reasons.map((reason) => el('li', { 'data-reason': reason }, reasonText(reason, language))),
    );
  }

  function render(): void {
    const words = walletRequestWords;
    container.dataset['state'] = state;
    heading.textContent = words.heading[language];
    const answeredAt = outcome ? new Date(outcome.answeredAt) : undefined;
    stateLine.textContent = walletRequestStateWords[state][language](
      answeredAt && !Number.isNaN(answeredAt.getTime()) ? formatDateTime(answeredAt, language) : '',
    );
    typeLabel.textContent = words.typeLabel[language];
    for (const option of typeSelect.options) {
      const type = credentialTypes[option.value];
      option.textContent = type ? type.title[language] : option.value;
    }
    legend.textContent = words.claimsLegend[language];
    profileLabel.textContent = words.profileLabel[language];
    for (const option of profileSelect.options)
      option.textContent = walletProfileWords[option.value as WalletProfile][language];
    const type = selectedType();
    for (const box of boxes)
      box.text.textContent = type.fields.find((f) => f.name === box.field)?.label[language] ?? box.field;
    problem.textContent = noClaims ? words.noClaims[language] : '';
    createButton.textContent = words.create[language];
    for (const button of closeButtons) button.textContent = words.close[language];
    cancelButton.textContent = words.cancel[language];
    againButton.textContent = words.askAgain[language];
    issuerHeading.textContent = uiWords.issuerHeading[language];
    shownHeading.textContent = words.shownHeading[language];
    reasonsHeading.textContent = words.reasonsHeading[language];
    privacy.textContent = words.privacy[language];

    const waiting = state === 'waiting' || state === 'reconnecting' || state === 'verifying';
    form.hidden = state !== 'choosing';
    waitPart.hidden = !waiting || request === undefined;
    outcomePart.hidden = state !== 'answered' || outcome === undefined;
    againPart.hidden = state === 'choosing' || state === 'creating' || waiting;
    if (waiting && request) {
      container.dataset['requestLink'] = request.link;
      const labels = request.claims.map(
        (claim) => request?.type.fields.find((f) => f.name === claim)?.label[language] ?? claim,
      );
      asked.textContent = `${words.asked[language]}${request.type.title[language]} — ${labels.join(language === 'zh-TW' ? '、' : ', ')}`;
      timeLeft.textContent = timeLeftWords[language](clock(timeLeftMs()));
      qr.firstElementChild?.setAttribute('aria-label', words.qrLabel[language]);
      sameDevice.textContent = words.sameDevice[language];
      unsigned.textContent = (request.signed ? words.signed : words.unsigned)[language];
    } else {
      delete container.dataset['requestLink'];
    }
    if (state === 'answered' && outcome) renderOutcome(outcome);
  }

  typeSelect.addEventListener('change', chooseType);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void ask();
  });
  choices.addEventListener('change', () => {
    if (noClaims && boxes.some((box) => box.input.checked)) {
      noClaims = false;
      render();
    }
  });
  cancelButton.addEventListener('click', () => {
    stopPolling();
    request = undefined;
    setState('choosing');
    createButton.focus();
  });
  againButton.addEventListener('click', () => {
    stopPolling();
    request = undefined;
    outcome = undefined;
    setState('choosing');
    createButton.focus();
  });
  for (const button of closeButtons)
    button.addEventListener('click', () => {
      view.close();
      options.onClose();
    });

  const view: WalletRequestView = {
    show() {
      container.hidden = false;
      if (state !== 'choosing') render();
      heading.focus();
    },
    setLanguage(next) {
      language = next;
      render();
    },
    close() {
      stopPolling();
      request = undefined;
      outcome = undefined;
      state = 'choosing';
      container.hidden = true;
    },
  };
  chooseType();
  return view;
}
