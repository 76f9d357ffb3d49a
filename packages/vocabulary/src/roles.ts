/**
 * The certificate attribute (Fabric CA attribute extension) the chaincode reads a caller's role from,
 * and its values (docs/data-model.md).
 */
export const roleAttribute = 'credledger.role';
export const roles = ['governance-admin', 'issuer-operator', 'auditor'] as const;
export type Role = (typeof roles)[number];
