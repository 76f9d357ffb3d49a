/**
 * W3C status list credentials secured as `vc+jwt`, in two formats: the Bitstring Status List
 * (`BitstringStatusListCredential`) and its predecessor Status List 2021 (`StatusList2021Credential`),
 * which Taiwan's digital wallet (TW DIW) reads. Building and signing them (issuer side) and checking
 * them (verifier side), by the same rules for both. Browser-safe.
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistcredential
 * @see https://www.w3.org/community/reports/credentials/CG-FINAL-vc-status-list-2021-20230102/#statuslist2021credential
 */
import { selectIssuerKey } from '../key-rules.js';
import { parseCompactJws, signCompactJws, verifyJwsSignature, type JwsAlgorithm, type JwsSigner } from '../jws.js';
import { parseIsoTime, type IssuerRecord } from '../records.js';
import { DEFAULT_STATUS_LIST_SIZE, type StatusPurpose } from './status-purpose.js';
import { Bitstring, encodeBitstring, encodeStatusList2021 } from './bitstring.js';

export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
/** The JSON-LD context defining the Status List 2021 terms (`StatusList2021Entry`, …). */
export const STATUS_LIST_2021_CONTEXT = 'https://w3id.org/vc/status-list/2021/v1';

/** The W3C status list formats, by the type of their list (the credential subject). */
export const statusListFormats = ['BitstringStatusList', 'StatusList2021'] as const;
export type StatusListFormat = (typeof statusListFormats)[number];

/** The type names of a format: the entry a credential carries, the list credential, and its subject. */
export const statusListTypes = {
  BitstringStatusList: {
    entry: 'BitstringStatusListEntry',
    credential: 'BitstringStatusListCredential',
    subject: 'BitstringStatusList',
  },
  StatusList2021: { entry: 'StatusList2021Entry', credential: 'StatusList2021Credential', subject: 'StatusList2021' },
} as const satisfies Record<StatusListFormat, { entry: string; credential: string; subject: StatusListFormat }>;

/** How a status list (or trust list) is signed: the key's DID URL, its algorithm, and a signer. */
export interface ListSigningKey {
  readonly kid: string;
  readonly alg: JwsAlgorithm;
  readonly signer: JwsSigner;
}

export interface StatusListInput {
  readonly issuerDid: string;
  /** Where the list is published; equals `statusListCredential` in the credentials. */
  readonly url: string;
  readonly purpose: StatusPurpose;
  readonly bits: Bitstring;
  /** Issue time of this list (the ledger state it reflects). */
  readonly validFrom: Date;
  /** After this a verifier treats the list as stale; a publisher regenerates well before. */
  readonly validUntil: Date;
  /** Default `BitstringStatusList`. */
  readonly format?: StatusListFormat;
}

const iso = (date: Date): string => date.toISOString();
const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The credential payload of a status list (the JWT claims mirror the VC fields, as for credentials). */
export function statusListPayload(input: StatusListInput): Record<string, unknown> {
  const format = input.format ?? 'BitstringStatusList';
  const sl2021 = format === 'StatusList2021';
  return {
    '@context': sl2021 ? [VC_CONTEXT_V2, STATUS_LIST_2021_CONTEXT] : [VC_CONTEXT_V2],
    id: input.url,
    type: ['VerifiableCredential', statusListTypes[format].credential],
    issuer: input.issuerDid,
    validFrom: iso(input.validFrom),
    validUntil: iso(input.validUntil),
    credentialSubject: {
      id: `${input.url}#list`,
      type: statusListTypes[format].subject,
      statusPurpose: input.purpose,
      encodedList: sl2021 ? encodeStatusList2021(input.bits) : encodeBitstring(input.bits),
    },
    iss: input.issuerDid,
    iat: seconds(input.validFrom),
    nbf: seconds(input.validFrom),
    exp: seconds(input.validUntil),
  };
}

/** Signs a status list as `vc+jwt` with the issuer's key. Fails: whatever `key.signer` throws. */
export async function signStatusList(input: StatusListInput, key: ListSigningKey): Promise<string> {
  return signCompactJws({ alg: key.alg, typ: 'vc+jwt', kid: key.kid }, statusListPayload(input), key.signer);
}

export type StatusListProblem =
  | 'STATUS_LIST_INVALID' // bad structure, signature, key, purpose, URL or issuer
  | 'STATUS_LIST_STALE'; // past its validUntil

export type StatusListOutcome =
  | { readonly ok: true; readonly bits: Bitstring; readonly validFrom: string; readonly validUntil: string | null }
  | { readonly ok: false; readonly problem: StatusListProblem; readonly detail: string };

const invalid = (detail: string): StatusListOutcome => ({ ok: false, problem: 'STATUS_LIST_INVALID', detail });

/**
 * Checks a status list credential for one entry: of the entry's format (`BitstringStatusList` by
 * default), signed by a key of `issuer` that was valid when the list was issued and is not marked
 * compromised (a stolen key could clear revocation bits), published at `url`, of `purpose`, at least
 * 131,072 entries, and not past its `validUntil` at `now`. Never throws.
 */
export async function verifyStatusList(
  jwt: string,
  expected: {
    readonly issuer: IssuerRecord;
    readonly url: string;
    readonly purpose: StatusPurpose;
    readonly now: Date;
    readonly format?: StatusListFormat;
  },
): Promise<StatusListOutcome> {
  const format = expected.format ?? 'BitstringStatusList';
  if (typeof jwt !== 'string') return invalid('not a string');
  const jws = parseCompactJws(jwt.trim());
  if (typeof jws === 'string') return invalid(jws);
  const { header, payload } = jws;
  if (header.typ !== 'vc+jwt' || 'crit' in header || typeof header.kid !== 'string') return invalid('header');
  const types = payload.type;
  if (!Array.isArray(types) || !types.includes(statusListTypes[format].credential)) return invalid('type');
  const issuerValue = payload.issuer;
  const issuerId = typeof issuerValue === 'string' ? issuerValue : (issuerValue as { id?: unknown } | null)?.id;
  if (issuerId !== expected.issuer.did || (payload.iss !== undefined && payload.iss !== issuerId))
    return invalid('issuer');
  if (payload.id !== expected.url) return invalid('list published under another URL');
  const subject = payload.credentialSubject as Record<string, unknown> | null | undefined;
  if (subject === null || typeof subject !== 'object' || subject.type !== statusListTypes[format].subject)
    return invalid('credentialSubject');
  if (subject.statusPurpose !== expected.purpose) return invalid('status purpose');

  const validFromMs = parseIsoTime(payload.validFrom);
  if (validFromMs === undefined) return invalid('validFrom');
  const validUntilMs = payload.validUntil === undefined ? undefined : parseIsoTime(payload.validUntil);
  if (payload.validUntil !== undefined && validUntilMs === undefined) return invalid('validUntil');

  // The list's own issue time decides the key window; a compromised key is refused outright, since
  // whoever holds it can backdate a list exactly as they could backdate a credential.
  const rule = selectIssuerKey(expected.issuer, header.kid, { anchoredAt: undefined, issuedAt: validFromMs });
  if (rule.result !== 'pass' || !rule.key) return invalid(`key: ${rule.reason}`);
  const failure = await verifyJwsSignature(jws, rule.key.kid, rule.key.publicKeyJwk);
  if (failure) return invalid(failure);

  const bits =
    typeof subject.encodedList !== 'string'
      ? undefined
      : format === 'StatusList2021'
        ? Bitstring.decodeStatusList2021(subject.encodedList)
        : Bitstring.decode(subject.encodedList);
  if (!bits) return invalid('encodedList');
  if (bits.length < DEFAULT_STATUS_LIST_SIZE) return invalid('list shorter than 131,072 entries');
  const now = expected.now.getTime();
  if (validFromMs > now + 5 * 60 * 1000) return invalid('list issued in the future');
  if (validUntilMs !== undefined && now >= validUntilMs) {
    return { ok: false, problem: 'STATUS_LIST_STALE', detail: `valid until ${String(payload.validUntil)}` };
  }
  return {
    ok: true,
    bits,
    validFrom: payload.validFrom as string,
    validUntil: validUntilMs === undefined ? null : (payload.validUntil as string),
  };
}
