/**
 * Status List Tokens of the IETF Token Status List in JWT form (`typ: statuslist+jwt`): building and
 * signing them (issuer side) and checking them (verifier side). An IETF-profile SD-JWT VC names one in
 * its `status.status_list { idx, uri }` claim; the token's `sub` is that `uri`. Signed with the issuer's
 * own key, like the Bitstring Status Lists (status-list.ts), and checked against the same key rules.
 * Browser-safe.
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-oauth-status-list/ (Status List Token in JWT Format;
 *   Validation Rules)
 */
import { selectIssuerKey } from '../key-rules.js';
import { parseCompactJws, signCompactJws, verifyJwsSignature } from '../jws.js';
import type { IssuerRecord } from '../records.js';
import type { ListSigningKey } from './status-list.js';
import { encodeTokenStatusList, TokenStatusList } from './token-status-list.js';

/** The JWT `typ` of a Status List Token, and the media type it is served with. */
export const STATUS_LIST_TOKEN_TYP = 'statuslist+jwt';
export const STATUS_LIST_TOKEN_MEDIA_TYPE = 'application/statuslist+jwt';

export interface StatusListTokenInput {
  /** The issuer DID: `iss`, as in the Referenced Tokens. */
  readonly issuerDid: string;
  /** Where the token is published: `sub`, equal to `status.status_list.uri` in the credentials. */
  readonly uri: string;
  readonly list: TokenStatusList;
  /** Issue time (`iat`): the ledger state it reflects. */
  readonly issuedAt: Date;
  /** After this (`exp`) a verifier refuses the token as stale; a publisher regenerates well before. */
  readonly expiresAt: Date;
  /** How long (seconds) a consumer may cache it before fetching again (`ttl`), a positive number. */
  readonly ttlSeconds: number;
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The JWT claims of a Status List Token. */
export function statusListTokenPayload(input: StatusListTokenInput): Record<string, unknown> {
  return {
    iss: input.issuerDid,
    sub: input.uri,
    iat: seconds(input.issuedAt),
    exp: seconds(input.expiresAt),
    ttl: input.ttlSeconds,
    status_list: encodeTokenStatusList(input.list),
  };
}

/** Signs a Status List Token with the issuer's key. Fails: whatever `key.signer` throws. */
export async function signStatusListToken(input: StatusListTokenInput, key: ListSigningKey): Promise<string> {
  return signCompactJws(
    { alg: key.alg, typ: STATUS_LIST_TOKEN_TYP, kid: key.kid },
    statusListTokenPayload(input),
    key.signer,
  );
}

export type StatusListTokenOutcome =
  | {
      readonly ok: true;
      readonly list: TokenStatusList;
      /** ISO time of `iat`. */
      readonly issuedAt: string;
      /** ISO time of `exp`, or null when the token has none. */
      readonly expiresAt: string | null;
    }
  | { readonly ok: false; readonly problem: 'STATUS_LIST_INVALID' | 'STATUS_LIST_STALE'; readonly detail: string };

const invalid = (detail: string): StatusListTokenOutcome => ({ ok: false, problem: 'STATUS_LIST_INVALID', detail });

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Checks a Status List Token for one Referenced Token, following the spec's validation rules: header
 * `typ: statuslist+jwt` and no `crit`; signed (ES256 or EdDSA, never a MAC) by a key of `issuer` valid
 * at its `iat` and not marked compromised (a stolen key could clear a revocation); `sub` equal to `uri`;
 * `iss`, when present, the issuer; `iat` present and not in the future; not past its `exp` at `now`;
 * a `status_list` whose `lst` inflates. Never throws.
 */
export async function verifyStatusListToken(
  jwt: string,
  expected: { readonly issuer: IssuerRecord; readonly uri: string; readonly now: Date },
): Promise<StatusListTokenOutcome> {
  if (typeof jwt !== 'string') return invalid('not a string');
  const jws = parseCompactJws(jwt.trim());
  if (typeof jws === 'string') return invalid(jws);
  const { header, payload } = jws;
  if (header.typ !== STATUS_LIST_TOKEN_TYP || 'crit' in header || typeof header.kid !== 'string')
    return invalid('header');
  if (payload.sub !== expected.uri) return invalid('token published under another URI');
  if (payload.iss !== undefined && payload.iss !== expected.issuer.did) return invalid('issuer');
  if (!isTime(payload.iat)) return invalid('iat');
  if (payload.exp !== undefined && !isTime(payload.exp)) return invalid('exp');
  if (payload.ttl !== undefined && !(isTime(payload.ttl) && payload.ttl > 0)) return invalid('ttl');
  const issuedAtMs = payload.iat * 1000;
  const expiresAtMs = payload.exp === undefined ? undefined : payload.exp * 1000;

  // As for a Bitstring Status List: the token's own issue time decides the key window, and a
  // compromised key is refused outright, since whoever holds it can backdate a token.
  const rule = selectIssuerKey(expected.issuer, header.kid, { anchoredAt: undefined, issuedAt: issuedAtMs });
  if (rule.result !== 'pass' || !rule.key) return invalid(`key: ${rule.reason}`);
  const failure = await verifyJwsSignature(jws, rule.key.kid, rule.key.publicKeyJwk);
  if (failure) return invalid(failure);

  const statusList = payload.status_list as Record<string, unknown> | null | undefined;
  if (statusList === null || typeof statusList !== 'object') return invalid('status_list');
  const list = TokenStatusList.decode(statusList.bits, statusList.lst);
  if (!list) return invalid('status_list bits or lst');
  const now = expected.now.getTime();
  if (issuedAtMs > now + 5 * 60 * 1000) return invalid('token issued in the future');
  if (expiresAtMs !== undefined && now >= expiresAtMs) {
    return { ok: false, problem: 'STATUS_LIST_STALE', detail: `expired at ${new Date(expiresAtMs).toISOString()}` };
  }
  return {
    ok: true,
    list,
    issuedAt: new Date(issuedAtMs).toISOString(),
    expiresAt: expiresAtMs === undefined ? null : new Date(expiresAtMs).toISOString(),
  };
}
