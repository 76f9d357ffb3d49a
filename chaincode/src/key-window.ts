/**
 * When a registered key may sign. The status machines of credentials and issuers it sits beside are
 * data in @credledger/vocabulary (`credentialTransitions`, `issuerTransitions`).
 */

/** Is a key with this validity window usable for signing new credentials at `at`? Instants are stored ISO strings. */
export function isKeyActive(
  key: { validFrom: string; validUntil: string | null; compromisedSince: string | null },
  at: string,
): boolean {
  return key.compromisedSince === null && key.validFrom <= at && (key.validUntil === null || at < key.validUntil);
}
