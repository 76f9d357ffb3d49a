import { CredledgerError } from '../errors.js';
import { fieldRule } from './field-rules.js';
import { checkAnyText, checkTextKind, codePoints, visibleChars, type TextProblem } from './text-rules.js';
import type { CredentialTypeDefinition, FieldDefinition, ItemSpec, Label } from './types/definition.js';
import { getCredentialType } from './types/index.js';
import { isValidUbn } from './ubn.js';

/** A validated `credentialSubject`: JSON values only, properties in the type's field order. */
export type CredentialSubject = Readonly<Record<string, string | number | readonly (string | number)[]>>;

/** Why a field was rejected; `details.problem` of a SCHEMA_INVALID error. */
export type SchemaProblem =
  | 'not-an-object'
  | 'required'
  | 'unknown-field'
  | 'not-applicable'
  | 'wrong-type'
  | 'too-short'
  | 'too-long'
  | 'pattern'
  | 'whitespace'
  | 'control-character'
  | 'not-normalized'
  | 'not-in-enum'
  | 'checksum'
  | 'invalid-date'
  | 'out-of-range'
  | 'too-few-items'
  | 'too-many-items'
  | 'duplicate'
  | TextProblem;

/** One problem with one field of a subject: what is wrong with which value, and the field's rule. */
export interface SchemaIssue {
  /** The field, e.g. `ubn`, or `barMemberships[1]` for a list item; `(subject)` for the whole subject. */
  readonly field: string;
  readonly problem: SchemaProblem;
  /** The offending value as given (absent when the field is missing or the field itself is unknown). */
  readonly value?: unknown;
  /** What is wrong, e.g. "mixes Latin and Cyrillic letters: а (U+0430) is Cyrillic". */
  readonly reason: Label;
  /** The field's rule in words (see `fieldRule`). */
  readonly rule: Label;
}

/** The outcome of `checkSubject`: the subject in field order when every field passes, else every problem. */
export type SubjectCheck =
  | { readonly subject: CredentialSubject; readonly issues: readonly [] }
  | { readonly subject?: undefined; readonly issues: readonly [SchemaIssue, ...SchemaIssue[]] };

/** A field's pattern as the regular expression that checks a whole value. */
function compiled(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/**
 * What checking subjects of one type needs, made once per checker rather than once per value: the
 * field names and each pattern compiled (a `new RegExp` per value was a tenth of a subject's check).
 */
interface TypeCheck {
  readonly definition: CredentialTypeDefinition;
  readonly known: ReadonlySet<string>;
  readonly patterns: ReadonlyMap<ItemSpec, RegExp>;
}

function typeCheckOf(definition: CredentialTypeDefinition): TypeCheck {
  const patterns = new Map<ItemSpec, RegExp>();
  for (const field of definition.fields) {
    const spec = field.type === 'list' ? field.items : field;
    if (spec.type === 'string' && spec.pattern !== undefined) patterns.set(spec, compiled(spec.pattern));
  }
  return { definition, known: new Set(definition.fields.map((f) => f.name)), patterns };
}

const label = (zh: string, en: string): Label => ({ 'zh-TW': zh, en });

type Finding = readonly [SchemaProblem, Label];

const wrongType: Record<ItemSpec['type'] | 'list', Label> = {
  string: label('必須是文字', 'must be text'),
  date: label('必須是日期文字 YYYY-MM-DD', 'must be a date string YYYY-MM-DD'),
  ubn: label('必須是 8 位數字的文字', 'must be a string of 8 digits'),
  integer: label('必須是整數', 'must be a whole number'),
  enum: label('必須是文字', 'must be text'),
  list: label('必須是清單', 'must be a list'),
};

/** Checks one scalar against its spec; returns the problem and what is wrong, or undefined when it is fine. */
function checkItem(spec: ItemSpec, value: unknown, patterns: TypeCheck['patterns']): Finding | undefined {
  if (typeof value !== (spec.type === 'integer' ? 'number' : 'string')) return ['wrong-type', wrongType[spec.type]];
  switch (spec.type) {
    case 'string': {
      const text = value as string;
      // Characters as a reader counts them (an ideograph outside the BMP is one, not two); never more
      // than UTF-16 units, so counting is needed only near the limits.
      const length =
        text.length > spec.maxLength || text.length < 2 * (spec.minLength ?? 1) ? codePoints(text).length : text.length;
      const min = spec.minLength ?? 1;
      if (length < min)
        return ['too-short', label(`有 ${length} 字，少於 ${min} 字`, `has ${length} characters, fewer than ${min}`)];
      if (length > spec.maxLength)
        return [
          'too-long',
          label(`有 ${length} 字，超過 ${spec.maxLength} 字`, `has ${length} characters, more than ${spec.maxLength}`),
        ];
      const finding =
        checkAnyText(text) ?? (spec.text === undefined ? undefined : checkTextKind(text, spec.text, spec.scripts));
      if (finding) return [finding.problem, finding.reason];
      if (spec.pattern !== undefined && !(patterns.get(spec) ?? compiled(spec.pattern)).test(text))
        return ['pattern', label('不符規定的格式', 'does not have the required form')];
      return undefined;
    }
    case 'date':
      return isCalendarDate(value as string)
        ? undefined
        : ['invalid-date', label('不是有效的日期 YYYY-MM-DD', 'is not a calendar date YYYY-MM-DD')];
    case 'ubn':
      if (!/^[0-9]{8}$/.test(value as string)) return ['pattern', label('不是 8 位數字', 'is not 8 digits')];
      return isValidUbn(value as string)
        ? undefined
        : ['checksum', label('未通過統一編號檢查碼', 'fails the 統一編號 checksum')];
    case 'integer': {
      const n = value as number;
      if (!Number.isSafeInteger(n)) return ['wrong-type', wrongType.integer];
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
        return ['out-of-range', label('超出允許的範圍', 'is out of the allowed range')];
      return undefined;
    }
    case 'enum':
      return spec.values.some((v) => v.value === value)
        ? undefined
        : ['not-in-enum', label('不是允許的值', 'is not one of the allowed values')];
  }
}

/** True for `YYYY-MM-DD` naming a real day between 1900 and 9999. */
export function isCalendarDate(value: string): boolean {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function applies(field: FieldDefinition, subject: Readonly<Record<string, unknown>>): boolean {
  return field.when === undefined || field.when.in.includes(subject[field.when.field] as string);
}

/** One field's problem, if any: presence, then type and format (the first bad item of a list). */
function checkField(
  field: FieldDefinition,
  input: Readonly<Record<string, unknown>>,
  patterns: TypeCheck['patterns'],
): SchemaIssue | undefined {
  const value = input[field.name];
  const issue = (problem: SchemaProblem, reason: Label, at = field.name, shown: unknown = value): SchemaIssue => ({
    field: at,
    problem,
    ...(shown === undefined ? {} : { value: shown }),
    reason,
    rule: fieldRule(field),
  });
  if (!applies(field, input)) {
    if (value === undefined) return undefined;
    const when = field.when ?? { field: '', in: [] };
    const values = when.in.join(' / ');
    return issue(
      'not-applicable',
      label(
        `已填，但此欄只在 ${when.field} 為 ${values} 時適用`,
        `is filled in, but the field only applies when ${when.field} is ${values}`,
      ),
    );
  }
  if (value === undefined)
    return field.required ? issue('required', label('未填，但為必填', 'is missing; it is required')) : undefined;
  if (field.type !== 'list') {
    const finding = checkItem(field, value, patterns);
    return finding ? issue(...finding) : undefined;
  }
  if (!Array.isArray(value)) return issue('wrong-type', wrongType.list);
  const items = value as readonly unknown[];
  const min = field.minItems ?? 0;
  if (items.length < min)
    return issue(
      'too-few-items',
      label(`有 ${items.length} 項，少於 ${min} 項`, `has ${items.length} items, fewer than ${min}`),
    );
  if (items.length > field.maxItems)
    return issue(
      'too-many-items',
      label(
        `有 ${items.length} 項，超過 ${field.maxItems} 項`,
        `has ${items.length} items, more than ${field.maxItems}`,
      ),
    );
  for (const [index, item] of items.entries()) {
    const at = `${field.name}[${index}]`;
    const finding = checkItem(field.items, item, patterns);
    if (finding) return issue(finding[0], finding[1], at, item);
    if (field.unique && items.indexOf(item) !== index)
      return issue('duplicate', label('與前面的項目重複', 'repeats an earlier item'), at, item);
  }
  return undefined;
}

const fieldList = (type: CredentialTypeDefinition): Label => {
  const names = type.fields.map((f) => f.name).join(', ');
  return label(`欄位為：${names}`, `the fields are: ${names}`);
};

/**
 * Checks a `credentialSubject` against its type and reports every field's problem (the first per field),
 * so an operator fixes a row once. `validateSubject` is the same check throwing the first problem.
 * @param type a type definition or a type name
 * @throws CredledgerError UNKNOWN_CREDENTIAL_TYPE for an unknown type name
 */
export function checkSubject(type: CredentialTypeDefinition | string, subject: unknown): SubjectCheck {
  return subjectChecker(type)(subject);
}

/**
 * `checkSubject` for many subjects of one type (the rows of a batch): the type's checks (field names,
 * compiled patterns) are prepared once, then each call checks one subject, with the same result.
 * @throws CredledgerError UNKNOWN_CREDENTIAL_TYPE for an unknown type name (when made)
 * @example
 * const check = subjectChecker('LawyerLicenceCredential');
 * const results = rows.map((row) => check(row));
 */
export function subjectChecker(type: CredentialTypeDefinition | string): (subject: unknown) => SubjectCheck {
  const check = typeCheckOf(typeof type === 'string' ? getCredentialType(type) : type);
  return (subject) => checkWith(check, subject);
}

function checkWith({ definition, known, patterns }: TypeCheck, subject: unknown): SubjectCheck {
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) {
    return {
      issues: [
        {
          field: '(subject)',
          problem: 'not-an-object',
          reason: label('credentialSubject 必須是 JSON 物件', 'the subject must be a JSON object'),
          rule: fieldList(definition),
        },
      ],
    };
  }
  const input = subject as Readonly<Record<string, unknown>>;
  const issues: SchemaIssue[] = [];
  for (const name of Object.keys(input)) {
    if (!known.has(name) && input[name] !== undefined)
      issues.push({
        field: name,
        problem: 'unknown-field',
        reason: label('不是此類型的欄位', 'is not a field of this type'),
        rule: fieldList(definition),
      });
  }
  const output: Record<string, string | number | readonly (string | number)[]> = {};
  for (const field of definition.fields) {
    const issue = checkField(field, input, patterns);
    if (issue) issues.push(issue);
    else if (input[field.name] !== undefined && applies(field, input)) {
      const value = input[field.name] as string | number | readonly (string | number)[];
      output[field.name] = Array.isArray(value) ? [...(value as readonly (string | number)[])] : value;
    }
  }
  const [first, ...rest] = issues;
  return first === undefined ? { subject: output, issues: [] } : { issues: [first, ...rest] };
}

/**
 * An issue as one sentence in a language: the value (quoted, at most 80 characters, invisible characters
 * written ⟨U+XXXX⟩), what is wrong, and the rule, e.g.
 * `"Wаng" mixes Latin and Cyrillic letters: а (U+0430) is Cyrillic (rule: a personal name in one script: …)`.
 */
export function schemaIssueText(issue: SchemaIssue, lang: keyof Label): string {
  return issueSentence(issue.value === undefined ? undefined : shownValue(issue.value), issue.reason, issue.rule, lang);
}

/** `"<value>" <reason> (rule: <rule>)` in a language, from a value already made visible (or absent). */
export function issueSentence(
  shown: string | undefined,
  reason: Label,
  rule: Label | string,
  lang: keyof Label,
): string {
  const value = shown === undefined ? '' : `"${shown}" `;
  const ruleText = typeof rule === 'string' ? rule : rule[lang];
  return lang === 'en' ? `${value}${reason.en} (rule: ${ruleText})` : `${value}${reason['zh-TW']}（規則：${ruleText}）`;
}

/**
 * A value as an error quotes it, without the quotes: text via `visibleChars` (at most 80 characters,
 * invisible ones as ⟨U+XXXX⟩), anything else as JSON.
 */
export function shownValue(value: unknown): string {
  return visibleChars(typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * Checks a `credentialSubject` against its type before signing and returns it with its properties in
 * the type's field order (so every credential of a type serialises the same way, which the QR codec
 * relies on). Unknown properties are rejected: nothing unlisted (such as a national ID number) can ride along.
 * @param type a type definition or a type name
 * @param subject the subject as the caller has it
 * @throws CredledgerError SCHEMA_INVALID for the first problem (`checkSubject` lists them all), with
 *   `details: { type, field, problem, value, reason, rule, localized }`: `field` is e.g. `ubn` or
 *   `barMemberships[1]`, `value` the offending value as quoted, `reason`/`rule`/`localized` texts in
 *   both languages; UNKNOWN_CREDENTIAL_TYPE for an unknown type name
 * @example
 * validateSubject('EconomicCertificateCredential', { kind: 'company-registration', ubn: '04595257', … })
 */
export function validateSubject(type: CredentialTypeDefinition | string, subject: unknown): CredentialSubject {
  return subjectValidator(type)(subject);
}

/**
 * `validateSubject` for many subjects of one type: the type's checks are prepared once, then each
 * call checks one subject, with the same result and the same errors.
 * @throws CredledgerError UNKNOWN_CREDENTIAL_TYPE for an unknown type name (when made; each call throws
 *   SCHEMA_INVALID as `validateSubject` does)
 * @example
 * const validate = subjectValidator('LawyerLicenceCredential');
 * const subjects = rows.map((row) => validate(row));
 */
export function subjectValidator(type: CredentialTypeDefinition | string): (subject: unknown) => CredentialSubject {
  const check = typeCheckOf(typeof type === 'string' ? getCredentialType(type) : type);
  return (subject) => {
    const result = checkWith(check, subject);
    if (result.subject !== undefined) return result.subject;
    throw schemaError(check.definition.name, result.issues[0]);
  };
}

/** The SCHEMA_INVALID error of an issue: an English message, both languages in `details.localized`. */
export function schemaError(typeName: string, issue: SchemaIssue): CredledgerError {
  const en = `${typeName}.${issue.field}: ${schemaIssueText(issue, 'en')}`;
  return new CredledgerError('SCHEMA_INVALID', en, {
    details: {
      type: typeName,
      field: issue.field,
      problem: issue.problem,
      ...(issue.value === undefined ? {} : { value: shownValue(issue.value) }),
      reason: issue.reason,
      rule: issue.rule,
      localized: { 'zh-TW': `${typeName}.${issue.field}：${schemaIssueText(issue, 'zh-TW')}`, en },
    },
  });
}
