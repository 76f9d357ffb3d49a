/**
 * The `claims` check: the credential's subject against its type's schema, with the same validator
 * issuance runs before signing (credentials/schema.ts). A genuine signature proves who signed, not that
 * what they signed is a licence: a compromised or careless issuer system can sign a name of 10,000
 * characters, a practice status outside the allowed values, a field the type does not define, or a name
 * whose bidi override makes it read as someone else's. See docs/decisions/0007-what-a-verifier-shows.md.
 */
import { isCredledgerError } from './errors.js';
import { showHiddenCharacters } from './credentials/text-rules.js';
import { checkSubject, validateSubject, type SchemaProblem } from './credentials/schema.js';
import { credentialTypes } from './credentials/types/index.js';

/** Why the claims check came out as it did. */
export type ClaimsReason =
  | 'CLAIMS_CONFORM'
  | 'CLAIM_NOT_IN_TYPE'
  | 'CLAIM_MISSING'
  | 'CLAIM_TOO_LONG'
  | 'CLAIM_HIDDEN_CHARACTERS'
  | 'CLAIM_NOT_ALLOWED'
  | 'TYPE_UNKNOWN';

export interface ClaimsOutcome {
  readonly result: 'pass' | 'fail' | 'unknown';
  readonly reason: ClaimsReason;
  /** `<field>: <problem>` (the validator's problem code), field names shown with hidden characters escaped. */
  readonly detail?: string;
  /** The field that broke the rules, as `detail` names it. */
  readonly field?: string;
}

/** The validator's problems, grouped into what a person is told. */
const reasonOfProblem: Readonly<Record<SchemaProblem, ClaimsReason>> = {
  'unknown-field': 'CLAIM_NOT_IN_TYPE',
  'not-applicable': 'CLAIM_NOT_IN_TYPE',
  required: 'CLAIM_MISSING',
  'too-long': 'CLAIM_TOO_LONG',
  'too-many-items': 'CLAIM_TOO_LONG',
  'control-character': 'CLAIM_HIDDEN_CHARACTERS',
  'not-an-object': 'CLAIM_NOT_ALLOWED',
  'wrong-type': 'CLAIM_NOT_ALLOWED',
  'too-short': 'CLAIM_NOT_ALLOWED',
  pattern: 'CLAIM_NOT_ALLOWED',
  whitespace: 'CLAIM_NOT_ALLOWED',
  'not-normalized': 'CLAIM_NOT_ALLOWED',
  'not-in-enum': 'CLAIM_NOT_ALLOWED',
  checksum: 'CLAIM_NOT_ALLOWED',
  'invalid-date': 'CLAIM_NOT_ALLOWED',
  'out-of-range': 'CLAIM_NOT_ALLOWED',
  'too-few-items': 'CLAIM_NOT_ALLOWED',
  duplicate: 'CLAIM_NOT_ALLOWED',
  'invisible-character': 'CLAIM_HIDDEN_CHARACTERS',
  'private-use': 'CLAIM_HIDDEN_CHARACTERS',
  'leading-mark': 'CLAIM_NOT_ALLOWED',
  markup: 'CLAIM_NOT_ALLOWED',
  link: 'CLAIM_NOT_ALLOWED',
  'mixed-script': 'CLAIM_NOT_ALLOWED',
  'script-not-allowed': 'CLAIM_NOT_ALLOWED',
  fullwidth: 'CLAIM_NOT_ALLOWED',
  'character-not-allowed': 'CLAIM_NOT_ALLOWED',
  separator: 'CLAIM_NOT_ALLOWED',
};

/** A field name as the detail names it: the credential chose it, so it is escaped and clipped. */
function fieldName(field: unknown): string {
  const text = showHiddenCharacters(typeof field === 'string' ? field : '(subject)');
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * Checks a credential's subject against the schema of its type. Never throws.
 * @param type the credential type named by the credential (`LawyerLicenceCredential`, …)
 * @param subject its `credentialSubject`
 * @returns pass (conforms), fail (the first rule it breaks), or unknown when this verifier does not
 *   know the type and so cannot tell what the content may be
 */
export function checkClaims(type: string, subject: unknown, options: { partial?: boolean } = {}): ClaimsOutcome {
  const definition = Object.hasOwn(credentialTypes, type) ? credentialTypes[type] : undefined;
  if (!definition) return { result: 'unknown', reason: 'TYPE_UNKNOWN', detail: fieldName(type) };
  if (options.partial === true) {
    // A selective disclosure: fields not disclosed are absent by design, every disclosed one is checked.
    const present = new Set(typeof subject === 'object' && subject !== null ? Object.keys(subject) : []);
    const issue = checkSubject(definition, subject).issues.find(
      (i) => !(i.problem === 'required' && !present.has(i.field)) && i.problem !== 'not-applicable',
    );
    if (!issue) return { result: 'pass', reason: 'CLAIMS_CONFORM' };
    const field = fieldName(issue.field);
    const reason = Object.hasOwn(reasonOfProblem, issue.problem) ? reasonOfProblem[issue.problem] : 'CLAIM_NOT_ALLOWED';
    return { result: 'fail', reason, detail: `${field}: ${issue.problem}`, field };
  }
  try {
    validateSubject(definition, subject);
    return { result: 'pass', reason: 'CLAIMS_CONFORM' };
  } catch (error) {
    // Anything else is a bug in the validator: the pipeline turns a throw into data, never a VALID.
    if (!isCredledgerError(error, 'SCHEMA_INVALID')) throw error;
    const details = error.details as { field?: unknown; problem?: unknown };
    const problem = details.problem as SchemaProblem;
    const reason = Object.hasOwn(reasonOfProblem, problem) ? reasonOfProblem[problem] : 'CLAIM_NOT_ALLOWED';
    const field = fieldName(details.field);
    return { result: 'fail', reason, detail: `${field}: ${problem}`, field };
  }
}
