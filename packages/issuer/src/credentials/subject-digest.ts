/**
 * The subject digest: what the ledger keys "one ACTIVE credential per issuer, type and subject" by,
 * so that the subject identifier itself (a licence number, a 統一編號) never reaches the ledger.
 * docs/decisions/0008-one-active-credential-per-subject.md says why a plain digest is enough.
 */
import { hash } from 'node:crypto';

import type { CredentialTypeDefinition, SubjectIdentifierRule } from '@credledger/verify';

/** Domain separation: a subject digest never equals any other SHA-256 credledger computes. */
const domain = 'credledger/subject-identifier/v1';

// Each rewrite compiles its pattern where it is used (V8 keeps compiled patterns by source and flags),
// so no process-wide cache grows with the patterns of every type ever seen.
function rewrite(value: string, rule: SubjectIdentifierRule): string {
  let result = value.normalize('NFC');
  for (const { pattern, replacement } of rule.canonical ?? [])
    result = result.replace(new RegExp(pattern, 'gu'), replacement);
  return result;
}

/** The rule of `type` that applies to `subject`, or undefined when none does. */
export function subjectIdentifierRuleOf(
  type: CredentialTypeDefinition,
  subject: Readonly<Record<string, unknown>>,
): SubjectIdentifierRule | undefined {
  return type.subjectIdentifier.find(
    (rule) => rule.when === undefined || rule.when.in.includes(subject[rule.when.field] as string),
  );
}

/**
 * The canonical identifier of a subject: the values of its rule's fields, rewritten as the rule says
 * (e.g. `['(115)台檢證字第12345號']`). Undefined when no rule of the type applies. Stays in this process:
 * compare it locally, send only its digest.
 */
export function subjectIdentifierOf(
  type: CredentialTypeDefinition,
  subject: Readonly<Record<string, unknown>>,
): readonly (string | number | null)[] | undefined {
  const rule = subjectIdentifierRuleOf(type, subject);
  if (rule === undefined) return undefined;
  return rule.fields.map((field) => {
    const value = subject[field];
    if (typeof value === 'string') return rewrite(value, rule);
    return typeof value === 'number' ? value : null;
  });
}

/**
 * Lowercase hex SHA-256 of (issuer DID, type name, canonical subject identifier), domain-separated and
 * JSON-framed so no two different triples share an input. Null when the type names no identifier for
 * this subject (such credentials are never refused as duplicates).
 * @param issuerDid the issuing DID: the same licence number digests differently at another issuer
 * @param type the credential type (its `subjectIdentifier` rules)
 * @param subject a validated `credentialSubject`
 */
export function subjectDigestOf(
  issuerDid: string,
  type: CredentialTypeDefinition,
  subject: Readonly<Record<string, unknown>>,
): string | null {
  const identifier = subjectIdentifierOf(type, subject);
  if (identifier === undefined) return null;
  return hash('sha256', `${domain}\n${JSON.stringify([issuerDid, type.name, identifier])}`, 'hex');
}
