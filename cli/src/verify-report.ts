/**
 * A verification as an operator reads it: the verdict once, with what it means; what the credential
 * says only when its issuer's signature established it (or flagged, when it breaks its type's rules);
 * the checks that ran, each with its code and a phrase; the checks that did not run on one line.
 * Every value taken from a credential is printed with hidden characters written out (⟨U+202E⟩) and
 * long values clipped, so a terminal never shows a reordered name or obeys an escape sequence.
 * See docs/decisions/0007-what-a-verifier-shows.md.
 */
import { isReasonCode, reasonLabels } from '@credledger/vocabulary';
import type {
  Check,
  CredentialSummary,
  CredentialTypeDefinition,
  Established,
  FieldDefinition,
  Label,
  StatusSummary,
  VerificationResult,
  Verdict,
} from '@credledger/verify';

import { columns, pad } from './columns.js';
import type { Context } from './context.js';
import { checkNameWords, checkReasonWords, type MessageKey } from './i18n.js';

/** What the report needs of `@credledger/verify` (loaded lazily by the command). */
export interface ReportTools {
  readonly types: Readonly<Record<string, CredentialTypeDefinition>>;
  established(result: VerificationResult): Established;
  showHiddenCharacters(value: string): string;
}

export interface ReportOptions {
  /** Print what a credential claims even when its signature did not establish it (under a warning). */
  readonly showClaims: boolean;
  /** Where the credential was read from, when not from the input's own text (a PDF's printed QR code). */
  readonly readFrom?: string;
}

const marks = { pass: '✓', fail: '✗', unknown: '?' } as const;

/** Values longer than this are clipped to `clipTo` characters and their length. */
const clipAbove = 200;
const clipTo = 120;

/** Prints one verification result. */
export function printVerification(
  ctx: Context,
  label: string | undefined,
  result: VerificationResult,
  tools: ReportTools,
  options: ReportOptions,
): void {
  const text = (l: Label): string => (ctx.lang === 'zh-TW' ? l['zh-TW'] : l.en);
  /** A value from a credential (or any input) as it may be printed. */
  const shown = (value: string): string => {
    const chars = Array.from(value);
    const clipped =
      chars.length > clipAbove
        ? `${chars.slice(0, clipTo).join('')}${ctx.t('verify.clipped', { count: chars.length })}`
        : value;
    return tools.showHiddenCharacters(clipped);
  };
  const story = tools.established(result);

  if (label !== undefined) ctx.say(shown(label));
  if (options.readFrom !== undefined) ctx.say(options.readFrom);
  ctx.say(`${ctx.t('verify.verdict')}: ${result.verdict} — ${ctx.t(verdictWords(result.verdict, story.decisive))}`);

  const credential = result.credential;
  const type = credential && Object.hasOwn(tools.types, credential.type) ? tools.types[credential.type] : undefined;
  if (credential && (story.claims === 'facts' || story.claims === 'flagged')) {
    const issuer = credential.issuerName ? text(credential.issuerName) : credential.issuer;
    if (story.claims === 'flagged') {
      ctx.say(`  ${ctx.t('verify.claimsFlagged', { issuer: shown(issuer) })}`);
      printClaims(ctx, credential, type, shown, text, shown(issuer), '    ');
    } else printClaims(ctx, credential, type, shown, text, shown(issuer));
  } else if (credential && story.claims === 'unverified') {
    if (options.showClaims) {
      const forged = ['TAMPERED', 'UNKNOWN_ISSUER', 'WRONG_TYPE_FOR_ISSUER'].includes(result.verdict);
      ctx.say(`  ${ctx.t(forged ? 'verify.claimsForged' : 'verify.claimsUnchecked')}`);
      // The issuer only as the DID the credential names: a registered name would lend it credit.
      printClaims(ctx, credential, type, shown, text, shown(credential.issuer), '    ');
    } else ctx.say(`  ${ctx.t('verify.claimsHidden')}`);
  }
  if (result.presentation) {
    // An SD-JWT: which subject claims the holder chose to show; the rest are not in this presentation.
    const p = result.presentation;
    const names = p.disclosed
      .map((name) => {
        const field = type?.fields.find((f) => f.name === name);
        return field ? text(field.label) : shown(name);
      })
      .join(ctx.pick('、', ', '));
    ctx.say(
      `  ${ctx.pick('SD-JWT 揭露', 'SD-JWT disclosed')} (${p.profile}${p.keyBound ? ctx.pick('，持有者簽章已驗證', ', holder key binding verified') : ''}): ${names === '' ? ctx.pick('（無）', '(none)') : names}`,
    );
  }
  if (result.status) ctx.say(`  ${ctx.pick('狀態', 'status')}: ${statusInWords(ctx, result.status)}`);

  ctx.say(`  ${ctx.t('verify.checks')}:`);
  const nameWidth = Math.max(...story.ran.map((c) => columns(text(checkNameWords[c.name]))));
  const resultWidth = Math.max(...story.ran.map((c) => columns(ctx.t(`check.${c.result}`))));
  for (const check of story.ran) {
    const detail = checkDetail(ctx, check, result, type, shown, text);
    ctx.say(
      `    ${marks[check.result]} ${pad(text(checkNameWords[check.name]), nameWidth)}  ${pad(ctx.t(`check.${check.result}`), resultWidth)}  ${check.reason}${ctx.pick(`（${text(checkReasonWords[check.reason])}）`, ` (${text(checkReasonWords[check.reason])})`)}${detail ? ` — ${detail}` : ''}`,
    );
  }
  if (story.notRun.length > 0) {
    const names = story.notRun.map((name) => text(checkNameWords[name])).join(ctx.pick('、', ', '));
    ctx.say(`  ${ctx.t('verify.notRun', { names })}`);
  }
}

/**
 * What a verdict means, in the words of the check it rests on where that changes what to do: an
 * UNVERIFIABLE credential signed by a compromised key is not to be relied on (retrying changes
 * nothing), unlike one whose status could not be read just now.
 */
function verdictWords(verdict: Verdict, decisive: Check | undefined): MessageKey {
  if (verdict === 'UNVERIFIABLE') {
    switch (decisive?.reason) {
      case 'KEY_COMPROMISED_BEFORE_ANCHOR':
      case 'KEY_COMPROMISED_NOT_ANCHORED':
        return 'verdict.UNVERIFIABLE.keyCompromised';
      case 'TYPE_UNKNOWN':
        return 'verdict.UNVERIFIABLE.typeUnknown';
      case 'NOT_ANCHORED':
        return 'verdict.UNVERIFIABLE.notAnchored';
      default:
        break;
    }
  }
  return `verdict.${verdict}`;
}

/** The type, id, issuer, validity period and subject fields of a credential. */
function printClaims(
  ctx: Context,
  credential: CredentialSummary,
  type: CredentialTypeDefinition | undefined,
  shown: (value: string) => string,
  text: (l: Label) => string,
  issuer: string,
  indent = '  ',
): void {
  ctx.say(
    `${indent}${type ? `${text(type.title)} (${credential.type})` : shown(credential.type)} ${shown(credential.id)}`,
  );
  ctx.say(
    `${indent}${ctx.pick('發行者', 'issuer')}: ${issuer === shown(credential.issuer) ? issuer : `${issuer} (${shown(credential.issuer)})`}`,
  );
  ctx.say(
    `${indent}${ctx.pick('有效期間', 'valid')}: ${shown(credential.validFrom)} – ${credential.validUntil === null ? ctx.pick('無期限', 'no expiry') : shown(credential.validUntil)}`,
  );
  for (const [name, value] of Object.entries(credential.subject)) {
    const field = type?.fields.find((f) => f.name === name);
    ctx.say(`${indent}  ${field ? text(field.label) : shown(name)}: ${displayValue(field, value, text, shown)}`);
  }
}

/** What a check adds beyond its reason, from the result's data (never the sdk's English detail). */
function checkDetail(
  ctx: Context,
  check: Check,
  result: VerificationResult,
  type: CredentialTypeDefinition | undefined,
  shown: (value: string) => string,
  text: (l: Label) => string,
): string | undefined {
  const credential = result.credential;
  switch (check.reason) {
    case 'ISSUER_NOT_REGISTERED':
      return credential ? shown(credential.issuer) : undefined;
    case 'TYPE_NOT_ALLOWED':
      return credential ? shown(credential.type) : undefined;
    case 'DIGEST_MATCHES':
      return result.anchoredAt === undefined ? undefined : ctx.t('verify.anchoredAt', { time: result.anchoredAt });
    case 'EXPIRED':
      return credential?.validUntil ? ctx.t('verify.validUntil', { time: shown(credential.validUntil) }) : undefined;
    case 'NOT_YET_VALID':
      return credential ? ctx.t('verify.validFrom', { time: shown(credential.validFrom) }) : undefined;
    default:
      if (check.name === 'claims' && check.field !== undefined) {
        const base = check.field.replace(/\[\d+\]$/, '');
        const field = type?.fields.find((f) => f.name === base);
        // A field of the type by its label; a field the type does not have by the name the credential gave it.
        return ctx.t('verify.field', { field: field ? text(field.label) : shown(check.field) });
      }
      return undefined;
  }
}

/**
 * A credential's status as an operator reads it: the state and reason in words, since when, and how
 * fresh the answer is. A code this CLI has no words for is shown as the code.
 */
function statusInWords(ctx: Context, status: StatusSummary): string {
  const state = ctx.maybe(`status.${status.state}`) ?? status.state;
  const reason =
    status.reason === null
      ? undefined
      : isReasonCode(status.reason)
        ? reasonLabels[status.reason][ctx.lang]
        : status.reason;
  const since = status.changedAt === null ? '' : ` ${ctx.t('status.since', { date: status.changedAt })}`;
  return `${state}${reason === undefined ? '' : ctx.pick(`（${reason}）`, ` (${reason})`)}${since} — ${ctx.pick('資料時間', 'as of')} ${status.asOf}`;
}

/** A subject value as an operator reads it: enum codes by their label, lists joined with `; `. */
function displayValue(
  field: FieldDefinition | undefined,
  value: unknown,
  text: (l: Label) => string,
  shown: (value: string) => string,
): string {
  const spec = field?.type === 'list' ? field.items : field;
  const one = (item: unknown): string => {
    if (spec?.type === 'enum') {
      const known = spec.values.find((v) => v.value === item);
      if (known) return text(known.label);
    }
    return shown(typeof item === 'string' ? item : JSON.stringify(item));
  };
  return Array.isArray(value) ? value.map(one).join('; ') : one(value);
}
