/**
 * The subject digest: what the ledger keys "one ACTIVE credential per issuer, type and subject" by,
 * so that the subject identifier itself (a licence number, a 統一編號) never reaches the ledger.
 * docs/decisions/0008-one-active-credential-per-subject.md says why a plain digest is enough.
 */
import { hash } from 'node:crypto';

import type { CredentialTypeDefinition, SubjectIdentifierRule } from '@credledger/verify';

/** Domain separation: a subject digest never equals any other SHA-256 credledger computes. */
const domain = 'credledger/subject-identifier/v1';

/**
 * The rewriting of one type's identifier values, each rule's patterns compiled once: owned by the
 * returned function (no process-wide cache grows with the patterns of every type ever seen), so a batch
 * makes one and uses it for every row.
 */
function rewriterOf(type: CredentialTypeDefinition): (value: string, rule: SubjectIdentifierRule) => string {
  const compiled = new Map(
    type.subjectIdentifier.map((rule) => [
      rule,
      (rule.canonical ?? []).map(({ pattern, replacement }) => [new RegExp(pattern, 'gu'), replacement] as const),
    ]),
  );
  return (value, rule) => {
    let result = value.normalize('NFC');
    for (const [pattern, replacement] of compiled.get(rule) ?? []) result = result.replace(pattern, replacement);
    return result;
  };
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
  return subjectIdentifierReader(type)(subject);
}

/**
 * `subjectIdentifierOf` for many subjects of one type: the type's rewriting prepared once, then each
 * call reads one subject's identifier, with the same result.
 */
export function subjectIdentifierReader(
  type: CredentialTypeDefinition,
): (subject: Readonly<Record<string, unknown>>) => readonly (string | number | null)[] | undefined {
  const rewrite = rewriterOf(type);
  return (subject) => {
    const rule = subjectIdentifierRuleOf(type, subject);
    if (rule === undefined) return undefined;
    return rule.fields.map((field) => {
      const value = subject[field];
      if (typeof value === 'string') return rewrite(value, rule);
      return typeof value === 'number' ? value : null;
    });
  };
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
  return subjectDigester(issuerDid, type)(subject);
}

/** `subjectDigestOf` for many subjects of one issuer and type, the type's rewriting prepared once. */
export function subjectDigester(
  issuerDid: string,
  type: CredentialTypeDefinition,
): (subject: Readonly<Record<string, unknown>>) => string | null {
  const identifierOf = subjectIdentifierReader(type);
  return (subject) => {
    const identifier = identifierOf(subject);
    if (identifier === undefined) return null;
    return hash('sha256', `${domain}\n${JSON.stringify([issuerDid, type.name, identifier])}`, 'hex');
  };
}
