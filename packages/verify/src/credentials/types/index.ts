import { CredledgerError } from '../../errors.js';
import { quoteInput } from '../../quote-input.js';
import type { CredentialTypeDefinition, EnumValue, Label } from './definition.js';
import { economicCertificateCredential } from './economic-certificate.js';
import { lawyerLicenceCredential } from './lawyer-licence.js';

export type * from './definition.js';

/**
 * Every credential type the sdk can issue and display, by name. Adding a type is adding an entry here
 * and its name to `CredentialTypeName` (the `satisfies` fails until both agree).
 */
export const credentialTypes: Readonly<Record<string, CredentialTypeDefinition>> = Object.freeze({
  [lawyerLicenceCredential.name]: lawyerLicenceCredential,
  [economicCertificateCredential.name]: economicCertificateCredential,
} satisfies Record<CredentialTypeName, CredentialTypeDefinition>);

/** Names of the built-in credential types. */
export type CredentialTypeName = 'LawyerLicenceCredential' | 'EconomicCertificateCredential';

/**
 * Looks up a credential type by name (the VC `type` entry, e.g. `LawyerLicenceCredential`).
 * @throws CredledgerError UNKNOWN_CREDENTIAL_TYPE
 */
export function getCredentialType(name: string): CredentialTypeDefinition {
  const type = Object.hasOwn(credentialTypes, name) ? credentialTypes[name] : undefined;
  if (!type) {
    throw new CredledgerError('UNKNOWN_CREDENTIAL_TYPE', `unknown credential type ${quoteInput(name)}`, {
      details: { type: name },
    });
  }
  return type;
}

/**
 * What a verdict calls a credential of this type with this subject, e.g. 律師證書 / lawyer licence, or
 * 產地證明書 / certificate of origin for an economic certificate of that kind.
 */
export function credentialNoun(type: CredentialTypeDefinition, subject?: Readonly<Record<string, unknown>>): Label {
  if (type.nounField !== undefined && subject !== undefined) {
    const value = enumValueOf(type, type.nounField, subject[type.nounField]);
    if (value?.noun) return value.noun;
  }
  return type.noun;
}

/** The labels of an enum value of a field, or undefined when the field is no enum or the value is unknown. */
export function enumValueOf(type: CredentialTypeDefinition, field: string, value: unknown): EnumValue | undefined {
  const definition = type.fields.find((f) => f.name === field);
  if (definition?.type !== 'enum') return undefined;
  return definition.values.find((v) => v.value === value);
}
