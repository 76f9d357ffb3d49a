import { CredledgerError } from '../errors.js';
import { hasHiddenCharacter } from './hidden-characters.js';
import type { CredentialTypeDefinition, FieldDefinition, ItemSpec } from './types/definition.js';
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
  | 'duplicate';

const patternCache = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let regex = patternCache.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    patternCache.set(pattern, regex);
  }
  return regex;
}

function invalid(type: CredentialTypeDefinition, field: string, problem: SchemaProblem, hint: string): never {
  throw new CredledgerError('SCHEMA_INVALID', `${type.name}.${field}: ${hint}`, {
    details: { type: type.name, field, problem },
  });
}

/** Checks one scalar against its spec; returns the problem and a short hint, or undefined when it is fine. */
function checkItem(spec: ItemSpec, value: unknown): [SchemaProblem, string] | undefined {
  switch (spec.type) {
    case 'string': {
      if (typeof value !== 'string') return ['wrong-type', 'must be a string'];
      if (value.length < (spec.minLength ?? 1))
        return ['too-short', `needs at least ${spec.minLength ?? 1} characters`];
      if (value.length > spec.maxLength) return ['too-long', `at most ${spec.maxLength} characters`];
      if (hasHiddenCharacter(value))
        return ['control-character', 'contains control or invisible formatting characters'];
      if (value.trim() !== value) return ['whitespace', 'has leading or trailing white space'];
      // One text, one byte sequence: the signature covers bytes, and a verifier compares what it shows.
      if (value.normalize('NFC') !== value) return ['not-normalized', 'must be Unicode NFC'];
      if (spec.pattern !== undefined && !compiled(spec.pattern).test(value)) return ['pattern', 'has the wrong format'];
      return undefined;
    }
    case 'date':
      if (typeof value !== 'string') return ['wrong-type', 'must be a date string YYYY-MM-DD'];
      return isCalendarDate(value) ? undefined : ['invalid-date', 'must be a calendar date YYYY-MM-DD'];
    case 'ubn':
      if (typeof value !== 'string') return ['wrong-type', 'must be a string of 8 digits'];
      if (!/^[0-9]{8}$/.test(value)) return ['pattern', 'must be 8 digits'];
      return isValidUbn(value) ? undefined : ['checksum', 'fails the 統一編號 checksum'];
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return ['wrong-type', 'must be a whole number'];
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        return ['out-of-range', `must be within ${spec.min ?? '-∞'}..${spec.max ?? '∞'}`];
      }
      return undefined;
    case 'enum':
      if (typeof value !== 'string') return ['wrong-type', 'must be a string'];
      return spec.values.some((v) => v.value === value)
        ? undefined
        : ['not-in-enum', `must be one of ${spec.values.map((v) => v.value).join(', ')}`];
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

/**
 * Checks a `credentialSubject` against its type before signing and returns it with its properties in
 * the type's field order (so every credential of a type serialises the same way, which the QR codec
 * relies on). Unknown properties are rejected: nothing unlisted (such as a national ID number) can ride along.
 * @param type a type definition or a type name
 * @param subject the subject as the caller has it
 * @throws CredledgerError SCHEMA_INVALID with `details: { type, field, problem }` (`field` is e.g. `ubn` or `barMemberships[1]`);
 *   UNKNOWN_CREDENTIAL_TYPE for an unknown type name
 * @example
 * validateSubject('EconomicCertificateCredential', { kind: 'company-registration', ubn: '04595257', … })
 */
export function validateSubject(type: CredentialTypeDefinition | string, subject: unknown): CredentialSubject {
  const definition = typeof type === 'string' ? getCredentialType(type) : type;
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) {
    invalid(definition, '(subject)', 'not-an-object', 'the subject must be a JSON object');
  }
  const input = subject as Readonly<Record<string, unknown>>;
  const known = new Set(definition.fields.map((f) => f.name));
  for (const name of Object.keys(input)) {
    if (!known.has(name) && input[name] !== undefined)
      invalid(definition, name, 'unknown-field', 'is not a field of this type');
  }

  const output: Record<string, string | number | readonly (string | number)[]> = {};
  for (const field of definition.fields) {
    const value = input[field.name];
    if (!applies(field, input)) {
      if (value !== undefined)
        invalid(
          definition,
          field.name,
          'not-applicable',
          `only allowed when ${field.when?.field} is ${field.when?.in.join(' or ')}`,
        );
      continue;
    }
    if (value === undefined) {
      if (field.required) invalid(definition, field.name, 'required', 'is required');
      continue;
    }
    if (field.type === 'list') {
      if (!Array.isArray(value)) invalid(definition, field.name, 'wrong-type', 'must be a list');
      const items = value as readonly unknown[];
      if (items.length < (field.minItems ?? 0))
        invalid(definition, field.name, 'too-few-items', `needs at least ${field.minItems ?? 0} items`);
      if (items.length > field.maxItems)
        invalid(definition, field.name, 'too-many-items', `at most ${field.maxItems} items`);
      items.forEach((item, index) => {
        const problem = checkItem(field.items, item);
        if (problem) invalid(definition, `${field.name}[${index}]`, ...problem);
        if (field.unique && items.indexOf(item) !== index)
          invalid(definition, `${field.name}[${index}]`, 'duplicate', 'repeats an earlier item');
      });
      output[field.name] = [...(items as readonly (string | number)[])];
      continue;
    }
    const problem = checkItem(field, value);
    if (problem) invalid(definition, field.name, ...problem);
    output[field.name] = value as string | number;
  }
  return output;
}
