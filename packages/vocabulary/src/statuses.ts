/** The states of a credential on the ledger (docs/data-model.md `CredentialRecord.status`). */
export const credentialStatuses = ['ACTIVE', 'SUSPENDED', 'REVOKED'] as const;
export type CredentialStatus = (typeof credentialStatuses)[number];

/** The states of an issuer in the registry (docs/data-model.md `IssuerRecord.status`). */
export const issuerStatuses = ['ACTIVE', 'SUSPENDED', 'DEACTIVATED'] as const;
export type IssuerStatus = (typeof issuerStatuses)[number];

/** True when `value` is one of `credentialStatuses` (for untrusted JSON). */
export function isCredentialStatus(value: unknown): value is CredentialStatus {
  return (credentialStatuses as readonly unknown[]).includes(value);
}

/** True when `value` is one of `issuerStatuses` (for untrusted JSON). */
export function isIssuerStatus(value: unknown): value is IssuerStatus {
  return (issuerStatuses as readonly unknown[]).includes(value);
}
