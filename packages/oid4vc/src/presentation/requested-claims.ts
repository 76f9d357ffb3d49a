/**
 * What a verifier may ask a wallet for: subject claims of one credledger credential type, each a field
 * of the type, at least one, none twice. Both request languages (DCQL for IETF wallets, Presentation
 * Exchange for TW DIW) are built from a list this check accepted.
 */
import { CredledgerError, getCredentialType, quoteInput } from '@credledger/verify';

/**
 * Checks `claims` against the fields of `credentialType`; returns the type's name.
 * @throws CredledgerError UNKNOWN_CREDENTIAL_TYPE; INVALID_INPUT when no claim, one twice, or one the type lacks
 */
export function checkRequestedClaims(credentialType: string, claims: readonly string[]): string {
  const type = getCredentialType(credentialType);
  const fields = new Set(type.fields.map((field) => field.name));
  if (claims.length === 0)
    throw new CredledgerError('INVALID_INPUT', 'a presentation request asks for at least one claim');
  // A JavaScript caller may pass anything.
  for (const claim of claims as readonly unknown[]) {
    if (typeof claim !== 'string' || !fields.has(claim))
      throw new CredledgerError('INVALID_INPUT', `${type.name} has no claim ${quoteInput(String(claim))}`, {
        details: { claim, fields: [...fields] },
      });
  }
  if (new Set(claims).size !== claims.length)
    throw new CredledgerError('INVALID_INPUT', 'a claim is asked for twice', { details: { claims } });
  return type.name;
}
