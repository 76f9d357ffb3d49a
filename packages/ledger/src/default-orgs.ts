/**
 * The organisations a new embedded ledger is made with when it is given none: the governance
 * organisation and the two first issuing ministries, each with an acting identity and a read-only
 * auditor. Data only; the embedded backend creates their CAs and identities.
 */
import type { OrgSpec } from './embedded-types.js';

/** NdcMSP (governance), MojMSP (Ministry of Justice), MoeaMSP (Ministry of Economic Affairs). */
export const defaultOrgs: readonly OrgSpec[] = [
  {
    mspId: 'NdcMSP',
    users: [
      { name: 'admin', role: 'governance-admin' },
      { name: 'auditor', role: 'auditor' },
    ],
  },
  {
    mspId: 'MojMSP',
    users: [
      { name: 'operator', role: 'issuer-operator' },
      { name: 'auditor', role: 'auditor' },
    ],
  },
  {
    mspId: 'MoeaMSP',
    users: [
      { name: 'operator', role: 'issuer-operator' },
      { name: 'auditor', role: 'auditor' },
    ],
  },
];
