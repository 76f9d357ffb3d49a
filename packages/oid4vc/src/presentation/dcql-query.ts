/**
 * The DCQL query a credledger verifier sends, and the check that a response answers it. A request asks
 * for one SD-JWT VC (`dc+sd-jwt`) of one credledger type, by its `vct`, and for exactly the subject claims
 * named, each a top-level claim of the IETF profile (decision 0019), bound to the holder's key.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#name-digital-credentials-query-l
 */
import { vctOf } from '@credledger/verify';

import { checkRequestedClaims } from './requested-claims.js';

/** One credential query of DCQL, as this verifier writes it. */
export interface CredentialQuery {
  readonly id: string;
  readonly format: 'dc+sd-jwt';
  readonly meta: { readonly vct_values: readonly [string] };
  readonly claims: readonly { readonly path: readonly [string] }[];
  readonly require_cryptographic_holder_binding: true;
}

/** A DCQL query (`dcql_query`) of one credential. */
export interface DcqlQuery {
  readonly credentials: readonly [CredentialQuery];
}

/**
 * The query for `claims` of a credential of `credentialType`; the query id is the type's name.
 * @throws CredledgerError UNKNOWN_CREDENTIAL_TYPE; INVALID_INPUT when no claim, one twice, or one the type lacks
 */
export function dcqlQueryFor(credentialType: string, claims: readonly string[]): DcqlQuery {
  const type = checkRequestedClaims(credentialType, claims);
  return {
    credentials: [
      {
        id: type,
        format: 'dc+sd-jwt',
        meta: { vct_values: [vctOf(type)] },
        claims: claims.map((claim) => ({ path: [claim] as const })),
        require_cryptographic_holder_binding: true,
      },
    ],
  };
}

/**
 * The one presentation a response gives for the query: the `vp_token` must name the query's credential
 * id and no other, with exactly one presentation (the query does not ask for `multiple`), a string.
 * @param presentations the `vp_token` as the protocol library parsed it (query id → presentations)
 * @returns the presentation, or undefined when the response does not answer the query this way
 */
export function queriedPresentation(
  query: DcqlQuery,
  presentations: Readonly<Record<string, readonly unknown[]>>,
): string | undefined {
  const [credential] = query.credentials;
  const ids = Object.keys(presentations);
  if (ids.length !== 1 || ids[0] !== credential.id) return undefined;
  const answered = presentations[credential.id];
  if (answered?.length !== 1) return undefined;
  const [presentation] = answered;
  return typeof presentation === 'string' ? presentation : undefined;
}
