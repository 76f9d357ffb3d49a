/**
 * The trust list: every registered issuer (DID, zh-TW/English names, allowed credential types, keys
 * with validity windows and compromise times, status) exported from the ledger registry and signed by
 * the governance (NDC) key as `vc+jwt`. A verifier pins the governance key and so can trust issuers
 * with no network at all, and report how fresh that knowledge is (`issuedAt`). Browser-safe.
 */
import { parseCompactJws, signCompactJws, verifyJwsSignature } from '../jws.js';
import { parseIsoTime, parseIssuerRecord, type IssuerRecord } from '../records.js';
import { VC_CONTEXT_V2, type ListSigningKey } from './status-list.js';

export const CREDLEDGER_CONTEXT = 'https://credledger.org/ns/v1';

/** A governance public key a verifier trusts trust lists from (shipped with the verifier). */
export interface PinnedKey {
  readonly kid: string;
  readonly publicKeyJwk: JsonWebKey;
}

export interface TrustListInput {
  /** Issuer records as the registry returns them (`registry.listIssuers()`). */
  readonly issuers: readonly IssuerRecord[];
  /** When the registry was read. */
  readonly issuedAt: Date;
  /** After this a verifier refuses the list as expired. */
  readonly validUntil: Date;
  /** The governance DID (the trust list's issuer), e.g. `did:web:ndc.gov.tw`. */
  readonly governanceDid: string;
}

/** Only public registry facts go into the list (no MSP ids). */
function publicIssuer(record: IssuerRecord): Record<string, unknown> {
  return {
    did: record.did,
    name: { 'zh-TW': record.name['zh-TW'], en: record.name.en },
    credentialTypes: [...record.credentialTypes],
    keys: record.keys.map((k) => ({
      kid: k.kid,
      publicKeyJwk: k.publicKeyJwk,
      validFrom: k.validFrom,
      validUntil: k.validUntil,
      compromisedSince: k.compromisedSince,
    })),
    status: record.status,
    ...(record.updatedAt ? { updatedAt: record.updatedAt } : {}),
  };
}

/** The trust list credential payload. */
export function trustListPayload(input: TrustListInput): Record<string, unknown> {
  const issuers = [...input.issuers].sort((a, b) => (a.did < b.did ? -1 : a.did > b.did ? 1 : 0)).map(publicIssuer);
  return {
    '@context': [VC_CONTEXT_V2, CREDLEDGER_CONTEXT],
    type: ['VerifiableCredential', 'CredledgerTrustList'],
    issuer: input.governanceDid,
    validFrom: input.issuedAt.toISOString(),
    validUntil: input.validUntil.toISOString(),
    credentialSubject: { type: 'CredledgerTrustList', issuers },
    iss: input.governanceDid,
    iat: Math.floor(input.issuedAt.getTime() / 1000),
    nbf: Math.floor(input.issuedAt.getTime() / 1000),
    exp: Math.floor(input.validUntil.getTime() / 1000),
  };
}

/** Signs a trust list with the governance key. Fails: whatever `key.signer` throws. */
export async function signTrustList(input: TrustListInput, key: ListSigningKey): Promise<string> {
  return signCompactJws({ alg: key.alg, typ: 'vc+jwt', kid: key.kid }, trustListPayload(input), key.signer);
}

export interface TrustList {
  readonly issuers: ReadonlyMap<string, IssuerRecord>;
  /** ISO time the registry was read: the freshness a verifier reports. */
  readonly issuedAt: string;
  readonly validUntil: string;
  /** The governance kid that signed it. */
  readonly signedBy: string;
}

export type TrustListOutcome =
  | { readonly ok: true; readonly trustList: TrustList }
  | { readonly ok: false; readonly problem: 'TRUST_LIST_INVALID' | 'TRUST_LIST_EXPIRED'; readonly detail: string };

const invalid = (detail: string): TrustListOutcome => ({ ok: false, problem: 'TRUST_LIST_INVALID', detail });

/**
 * Checks a trust list against pinned governance keys (the header kid must be one of them) and `now`.
 * Every issuer entry must be well-formed, else the whole list is refused. Never throws.
 */
export async function verifyTrustList(
  jwt: string,
  options: { readonly governanceKeys: readonly PinnedKey[]; readonly now: Date },
): Promise<TrustListOutcome> {
  if (typeof jwt !== 'string') return invalid('not a string');
  const jws = parseCompactJws(jwt.trim());
  if (typeof jws === 'string') return invalid(jws);
  const { header, payload } = jws;
  if (header.typ !== 'vc+jwt' || 'crit' in header || typeof header.kid !== 'string') return invalid('header');
  const pinned = options.governanceKeys.find((k) => k.kid === header.kid);
  if (!pinned) return invalid('not signed by a pinned governance key');
  const failure = await verifyJwsSignature(jws, pinned.kid, pinned.publicKeyJwk);
  if (failure) return invalid(failure);

  if (!Array.isArray(payload.type) || !payload.type.includes('CredledgerTrustList')) return invalid('type');
  const issuedAtMs = parseIsoTime(payload.validFrom);
  const validUntilMs = parseIsoTime(payload.validUntil);
  if (issuedAtMs === undefined || validUntilMs === undefined) return invalid('validity');
  const subject = payload.credentialSubject as { issuers?: unknown } | null;
  if (subject === null || typeof subject !== 'object' || !Array.isArray(subject.issuers))
    return invalid('credentialSubject');
  const issuers = new Map<string, IssuerRecord>();
  for (const raw of subject.issuers) {
    const record = parseIssuerRecord(raw);
    if (!record || issuers.has(record.did)) return invalid('issuer entry');
    issuers.set(record.did, record);
  }
  const now = options.now.getTime();
  if (issuedAtMs > now + 5 * 60 * 1000) return invalid('issued in the future');
  if (now >= validUntilMs)
    return { ok: false, problem: 'TRUST_LIST_EXPIRED', detail: `valid until ${String(payload.validUntil)}` };
  return {
    ok: true,
    trustList: {
      issuers,
      issuedAt: payload.validFrom as string,
      validUntil: payload.validUntil as string,
      signedBy: pinned.kid,
    },
  };
}
