/**
 * Renders a verification result into the result section. Every value from a credential or a status
 * source is set with `textContent` or as an attribute value, never parsed as HTML.
 */
import { credentialTypes, type CredentialTypeDefinition, type VerificationResult } from '@credledger/sdk/verify';

import {
  checkReasonWords,
  checkResultWords,
  checkWords,
  describeAge,
  formatDate,
  formatDateTime,
  freshnessWords,
  reasonWords,
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

/** The sentence context of a verdict, all from verified data (issuer name from the trust data). */
export function verdictContext(result: VerificationResult, language: Language): VerdictContext {
  const status = result.status;
  const reason = status?.reason ?? undefined;
  const context: { typeName: string; issuerName: string; date?: string; reason?: string } = {
    typeName: nounOf(result, language),
    issuerName: result.credential?.issuerName?.[language] ?? uiWords.issuerNameUnknown[language],
  };
  let when: string | undefined;
  if (result.verdict === 'REVOKED' || result.verdict === 'SUSPENDED') when = date(status?.changedAt, language);
  else if (result.verdict === 'EXPIRED') when = date(result.credential?.validUntil, language);
  else if (result.verdict === 'NOT_YET_VALID') when = date(result.credential?.validFrom, language);
  if (when !== undefined) context.date = when;
  if (reason !== undefined) {
    context.reason = Object.hasOwn(reasonWords, reason)
      ? reasonWords[reason as keyof typeof reasonWords][language]
      : reason;
  }
  return context;
}

/** What a field spec needs for display: enum values carry their labels. */
interface DisplaySpec {
  readonly type: string;
  readonly values?: readonly {
    readonly value: string;
    readonly label: { readonly 'zh-TW': string; readonly en: string };
  }[];
  readonly items?: DisplaySpec;
}

function fieldValue(spec: DisplaySpec | undefined, value: unknown, language: Language): string {
  if (spec?.type === 'enum') {
    const match = spec.values?.find((v) => v.value === value);
    if (match) return match.label[language];
  }
  if (Array.isArray(value)) {
    const items = spec?.type === 'list' ? spec.items : undefined;
    return value.map((item: unknown) => fieldValue(items, item, language)).join(language === 'zh-TW' ? '、' : ', ');
  }
  if (typeof value === 'boolean') return value ? uiWords.yes[language] : uiWords.no[language];
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

function renderFields(list: HTMLElement, note: HTMLElement, result: VerificationResult, language: Language): void {
  list.replaceChildren();
  const credential = result.credential;
  const signature = result.checks.find((c) => c.name === 'signature');
  const trusted = credential !== undefined && signature?.result === 'pass';
  list.hidden = !trusted;
  note.hidden = trusted;
  note.textContent = trusted ? '' : uiWords.detailsHidden[language];
  if (!trusted) return;
  const add = (label: string, value: string): void => {
    list.append(el('dt', label), el('dd', value));
  };
  const type = typeOf(credential.type);
  add(uiWords.credentialType[language], type ? type.title[language] : credential.type);
  const shown = new Set<string>();
  for (const field of type?.fields ?? []) {
    if (!Object.hasOwn(credential.subject, field.name)) continue;
    shown.add(field.name);
    add(field.label[language], fieldValue(field, credential.subject[field.name], language));
  }
  // Fields the type does not define are still shown (under their own name), never hidden or run.
  for (const [name, value] of Object.entries(credential.subject)) {
    if (!shown.has(name) && name !== 'id') add(name, fieldValue(undefined, value, language));
  }
  add(uiWords.validFrom[language], date(credential.validFrom, language) ?? credential.validFrom);
  add(
    uiWords.validUntil[language],
    credential.validUntil
      ? (date(credential.validUntil, language) ?? credential.validUntil)
      : uiWords.noExpiry[language],
  );
  if (result.anchoredAt) add(uiWords.anchoredAt[language], formatDateTime(new Date(result.anchoredAt), language));
  add(uiWords.credentialId[language], credential.id);
}

function renderChecks(list: HTMLElement, result: VerificationResult, language: Language): void {
  list.replaceChildren(
    ...result.checks.map((check) => {
      const item = el('li', undefined, { 'data-check': check.name, 'data-result': check.result });
      item.append(
        el('span', checkResultWords[check.result][language], { class: 'mark' }),
        el('span', checkWords[check.name][language]),
      );
      item.append(el('span', checkReasonWords[check.reason][language], { class: 'why' }));
      return item;
    }),
  );
}

/** How old the status information is, and whether it had to come from the offline cache. */
function renderFreshness(
  line: HTMLElement,
  footer: HTMLElement | null,
  result: VerificationResult,
  origin: StatusOrigin,
  language: Language,
  now: Date,
): void {
  const stale = origin.servedFromCache.length > 0 || origin.fallback === true;
  line.dataset['stale'] = String(stale);
  line.dataset['source'] = origin.fallback === true ? 'status-list-fallback' : origin.kind;
  const asOf = result.status?.asOf ?? origin.servedFromCache.find((s) => s.storedAt)?.storedAt ?? undefined;
  const when = asOf && !Number.isNaN(new Date(asOf).getTime()) ? new Date(asOf) : undefined;
  let text: string;
  if (origin.fallback === true) text = freshnessWords.fallback[language](when ? describeAge(when, now, language) : '?');
  else if (stale) text = freshnessWords.stale[language](when ? describeAge(when, now, language) : '?');
  else if (!when) text = freshnessWords.none[language]();
  else if (origin.kind === 'offline') text = freshnessWords.list[language](describeAge(when, now, language));
  else text = freshnessWords.live[language](describeAge(when, now, language));
  line.textContent = text;
  if (footer) footer.textContent = text;
}

/** Fills the result section for `result`. */
export function renderResult(
  container: HTMLElement,
  result: VerificationResult,
  origin: StatusOrigin,
  language: Language,
  now: Date,
): void {
  const words = verdictWords[result.verdict];
  const context = verdictContext(result, language);
  const verdict = part(container, '#verdict');
  verdict.dataset['tone'] = words.tone;
  part(container, '#verdict-symbol').textContent = words.symbol;
  part(container, '#verdict-title').textContent = words.title[language];
  part(container, '#verdict-detail').textContent = words.detail[language](context);

  const issuer = part(container, '#issuer');
  const name = result.credential?.issuerName?.[language];
  issuer.replaceChildren(el('span', name ?? uiWords.unregisteredIssuer[language]));
  if (result.credential?.issuer) issuer.append(el('small', result.credential.issuer));

  renderFields(part(container, '#fields'), part(container, '#fields-note'), result, language);
  renderChecks(part(container, '#checks'), result, language);
  renderFreshness(part(container, '#freshness'), document.getElementById('data-age'), result, origin, language, now);
}
