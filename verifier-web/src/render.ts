/**
 * Renders a verification result into the result section, one coherent story per verdict: what a person
 * is shown follows what was established (docs/decisions/0007-what-a-verifier-shows.md). Every value
 * from a credential or a status source is set with `textContent` or as an attribute value, never parsed
 * as HTML, and with its hidden characters written out, so a bidi override cannot reorder a name.
 */
import {
  credentialTypes,
  established,
  showHiddenCharacters,
  type CredentialTypeDefinition,
  type Established,
  type VerificationResult,
} from '@credledger/verify';
import { isReasonCode, reasonLabels } from '@credledger/vocabulary';

import {
  checkReasonWords,
  checkResultWords,
  checkWords,
  clippedWords,
  describeAge,
  formatDate,
  formatDateTime,
  freshnessWords,
  uiWords,
  verdictWords,
  type Language,
  type VerdictContext,
} from './messages.js';

/** Where the status in a result came from, as the page saw it. */
export interface StatusOrigin {
  readonly kind: 'ledger' | 'http' | 'offline';
  /** Answers the service worker served from its cache because the network failed. */
  readonly servedFromCache: readonly { readonly url: string; readonly storedAt: string | null }[];
  /** The API could not be reached and the signed status lists answered instead. */
  readonly fallback?: boolean;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

function part(container: HTMLElement, selector: string): HTMLElement {
  const found = container.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`result section is missing ${selector}`);
  return found;
}

function typeOf(name: string | undefined): CredentialTypeDefinition | undefined {
  return name !== undefined && Object.hasOwn(credentialTypes, name) ? credentialTypes[name] : undefined;
}

function date(iso: string | null | undefined, language: Language): string | undefined {
  if (!iso) return undefined;
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? undefined : formatDate(parsed, language);
}

function nounOf(result: VerificationResult, language: Language): string {
  const type = typeOf(result.credential?.type);
  if (!type) return uiWords.genericNoun[language];
  if (type.nounField !== undefined && result.credential) {
    const field = type.fields.find((f) => f.name === type.nounField);
    const value = result.credential.subject[type.nounField];
    if (field?.type === 'enum') {
      const match = field.values.find((v) => v.value === value);
      if (match?.noun) return match.noun[language];
    }
  }
  return type.noun[language];
}

/** Longer values are clipped to `clipTo` characters and their length: a 10,000-character name is no layout. */
const clipAbove = 200;
const clipTo = 120;

/** A value from a credential as it may be shown: hidden characters written out (⟨U+202E⟩), long values clipped. */
export function visible(value: string, language: Language): string {
  const chars = Array.from(value);
  const clipped =
    chars.length > clipAbove ? `${chars.slice(0, clipTo).join('')}${clippedWords[language](chars.length)}` : value;
  return showHiddenCharacters(clipped);
}

/** The label of the field a failed claims check names, or its escaped name when the type has no such field. */
function claimsField(result: VerificationResult, language: Language): string | undefined {
  const field = result.checks.find((c) => c.name === 'claims' && c.result === 'fail')?.field;
  if (field === undefined) return undefined;
  const definition = typeOf(result.credential?.type)?.fields.find((f) => f.name === field.replace(/\[\d+\]$/, ''));
  return definition ? definition.label[language] : visible(field, language);
}

/**
 * The sentence context of a verdict, all from established data: the issuer's name from the trust data
 * only when the issuer's signature over this credential is established, the type's name from our own
 * type definitions.
 */
export function verdictContext(result: VerificationResult, language: Language): VerdictContext {
  const story = established(result);
  const status = result.status;
  const reason = status?.reason ?? undefined;
  const shown = story.claims === 'facts' || story.claims === 'flagged';
  const issuerName = shown ? result.credential?.issuerName?.[language] : undefined;
  const context: {
    typeName: string;
    issuerName: string;
    date?: string;
    reason?: string;
    cause?: VerdictContext['cause'];
    field?: string;
  } = {
    typeName: shown ? nounOf(result, language) : uiWords.genericNoun[language],
    issuerName: issuerName === undefined ? uiWords.issuerNameUnknown[language] : visible(issuerName, language),
  };
  if (story.decisive) context.cause = { check: story.decisive.name, reason: story.decisive.reason };
  const when = verdictDate(
    result.verdict,
    {
      changedAt: status?.changedAt,
      validFrom: result.credential?.validFrom,
      validUntil: result.credential?.validUntil,
    },
    language,
  );
  if (when !== undefined) context.date = when;
  if (reason !== undefined) context.reason = statusReasonText(reason, language);
  const field = claimsField(result, language);
  if (field !== undefined) context.field = field;
  return context;
}

/**
 * The date a verdict's sentence names, formatted: when the status changed (REVOKED, SUSPENDED), when the
 * validity ended (EXPIRED) or begins (NOT_YET_VALID); undefined for other verdicts or an unknown date.
 */
export function verdictDate(
  verdict: string,
  dates: {
    readonly changedAt?: string | null | undefined;
    readonly validFrom?: string | undefined;
    readonly validUntil?: string | null | undefined;
  },
  language: Language,
): string | undefined {
  if (verdict === 'REVOKED' || verdict === 'SUSPENDED') return date(dates.changedAt, language);
  if (verdict === 'EXPIRED') return date(dates.validUntil, language);
  if (verdict === 'NOT_YET_VALID') return date(dates.validFrom, language);
  return undefined;
}

/** A status reason in words: the vocabulary's label of a known code, else the code as it may be shown. */
export function statusReasonText(reason: string, language: Language): string {
  return isReasonCode(reason) ? reasonLabels[reason][language] : visible(reason, language);
}

/** What a field spec needs for display: enum values carry their labels. */
export interface DisplaySpec {
  readonly type: string;
  readonly values?: readonly {
    readonly value: string;
    readonly label: { readonly 'zh-TW': string; readonly en: string };
  }[];
  readonly items?: DisplaySpec;
}

/** A field's value as shown: an enum value by its label, a list joined, a yes/no, anything else escaped. */
export function fieldValue(spec: DisplaySpec | undefined, value: unknown, language: Language): string {
  if (spec?.type === 'enum') {
    const match = spec.values?.find((v) => v.value === value);
    if (match) return match.label[language];
  }
  if (Array.isArray(value)) {
    const items = spec?.type === 'list' ? spec.items : undefined;
    return value.map((item: unknown) => fieldValue(items, item, language)).join(language === 'zh-TW' ? '、' : ', ');
  }
  if (typeof value === 'boolean') return value ? uiWords.yes[language] : uiWords.no[language];
  if (typeof value === 'string' || typeof value === 'number') return visible(String(value), language);
  return visible(JSON.stringify(value), language);
}

/**
 * The credential's content: as facts when established, under a warning when signed but breaking its
 * type's rules, and not at all otherwise (a note says why, except for what could not even be read).
 */
function renderFields(section: HTMLElement, result: VerificationResult, story: Established, language: Language): void {
  const list = part(section, '#fields');
  const note = part(section, '#fields-note');
  list.replaceChildren();
  const credential = result.credential;
  section.hidden = story.claims === 'none';
  section.dataset['claims'] = story.claims;
  const shown = credential !== undefined && (story.claims === 'facts' || story.claims === 'flagged');
  list.hidden = !shown;
  note.hidden = story.claims === 'facts';
  note.textContent =
    story.claims === 'flagged'
      ? uiWords.detailsFlagged[language]
      : story.decisive?.name === 'issuer' && story.decisive.result === 'unknown'
        ? uiWords.detailsHiddenUnchecked[language]
        : uiWords.detailsHiddenForged[language];
  if (!shown) return;
  const badField = result.checks
    .find((c) => c.name === 'claims' && c.result === 'fail')
    ?.field?.replace(/\[\d+\]$/, '');
  const add = (label: string, value: string, invalid = false): void => {
    const term = el('dt', invalid ? `⚠ ${label}` : label);
    const description = el('dd', value);
    if (invalid) {
      term.dataset['invalid'] = 'true';
      description.dataset['invalid'] = 'true';
    }
    list.append(term, description);
  };
  const type = typeOf(credential.type);
  add(uiWords.credentialType[language], type ? type.title[language] : visible(credential.type, language));
  const shownFields = new Set<string>();
  for (const field of type?.fields ?? []) {
    if (!Object.hasOwn(credential.subject, field.name)) continue;
    shownFields.add(field.name);
    add(field.label[language], fieldValue(field, credential.subject[field.name], language), field.name === badField);
  }
  // Fields the type does not define are still shown (under their own name, escaped), never hidden or run.
  for (const [name, value] of Object.entries(credential.subject)) {
    if (!shownFields.has(name) && name !== 'id')
      add(visible(name, language), fieldValue(undefined, value, language), name === badField);
  }
  // A revoked credential's validity period says nothing any more: it is not listed.
  if (result.verdict !== 'REVOKED') {
    add(uiWords.validFrom[language], date(credential.validFrom, language) ?? visible(credential.validFrom, language));
    add(
      uiWords.validUntil[language],
      credential.validUntil
        ? (date(credential.validUntil, language) ?? visible(credential.validUntil, language))
        : uiWords.noExpiry[language],
    );
  }
  if (result.anchoredAt) add(uiWords.anchoredAt[language], formatDateTime(new Date(result.anchoredAt), language));
  add(uiWords.credentialId[language], visible(credential.id, language));
}

/**
 * The checks that ran, each with why, led by the one the verdict rests on; the checks that did not run
 * on one line.
 */
function renderChecks(list: HTMLElement, skipped: HTMLElement, story: Established, language: Language): void {
  const decisive = story.decisive;
  const ordered =
    decisive && story.ran.includes(decisive) ? [decisive, ...story.ran.filter((c) => c !== decisive)] : story.ran;
  list.replaceChildren(
    ...ordered.map((check) => {
      const item = el('li', undefined, { 'data-check': check.name, 'data-result': check.result });
      item.append(
        el('span', checkResultWords[check.result][language], { class: 'mark' }),
        el('span', checkWords[check.name][language]),
      );
      item.append(el('span', checkReasonWords[check.reason][language], { class: 'why' }));
      return item;
    }),
  );
  skipped.hidden = story.notRun.length === 0;
  skipped.textContent =
    story.notRun.length === 0
      ? ''
      : `${uiWords.checksSkipped[language]}${story.notRun.map((name) => checkWords[name][language]).join(language === 'zh-TW' ? '、' : ', ')}`;
}

/**
 * How old the status information is, and whether it had to come from the offline cache. Shown only
 * when a status was reported: a credential whose status was never established has no freshness.
 */
function renderFreshness(
  line: HTMLElement,
  result: VerificationResult,
  origin: StatusOrigin,
  language: Language,
  now: Date,
): void {
  const stale = origin.servedFromCache.length > 0 || origin.fallback === true;
  line.dataset['stale'] = String(stale);
  line.dataset['source'] = origin.fallback === true ? 'status-list-fallback' : origin.kind;
  const reported = result.checks.some((c) => c.name === 'status' && c.reason !== 'NOT_CHECKED');
  line.hidden = !reported;
  const asOf = result.status?.asOf ?? origin.servedFromCache.find((s) => s.storedAt)?.storedAt ?? undefined;
  const when = asOf && !Number.isNaN(new Date(asOf).getTime()) ? new Date(asOf) : undefined;
  let text: string;
  if (origin.fallback === true) text = freshnessWords.fallback[language](when ? describeAge(when, now, language) : '?');
  else if (stale) text = freshnessWords.stale[language](when ? describeAge(when, now, language) : '?');
  else if (!when) text = freshnessWords.none[language]();
  else if (origin.kind === 'offline') text = freshnessWords.list[language](describeAge(when, now, language));
  else text = freshnessWords.live[language](describeAge(when, now, language));
  line.textContent = reported ? text : '';
}

/** Fills the result section for `result`: one story per verdict, saying only what was established. */
export function renderResult(
  container: HTMLElement,
  result: VerificationResult,
  origin: StatusOrigin,
  language: Language,
  now: Date,
): void {
  const story = established(result);
  const words = verdictWords[result.verdict];
  const context = verdictContext(result, language);
  const verdict = part(container, '#verdict');
  verdict.dataset['tone'] = words.tone;
  part(container, '#verdict-symbol').textContent = words.symbol;
  part(container, '#verdict-title').textContent = words.title[language];
  part(container, '#verdict-detail').textContent = words.detail[language](context);

  // The issuer by its registered name only when its signature over this credential is established.
  const issuerPart = part(container, '#issuer-part');
  const issuer = part(container, '#issuer');
  const name = result.credential?.issuerName?.[language];
  const shown = story.claims === 'facts' || story.claims === 'flagged';
  issuerPart.hidden = !shown || name === undefined;
  issuer.replaceChildren();
  if (!issuerPart.hidden && name !== undefined && result.credential) {
    issuer.append(el('span', visible(name, language)), el('small', visible(result.credential.issuer, language)));
  }

  renderFields(part(container, '#fields-part'), result, story, language);
  renderChecks(part(container, '#checks'), part(container, '#checks-skipped'), story, language);
  renderFreshness(part(container, '#freshness'), result, origin, language, now);
}
