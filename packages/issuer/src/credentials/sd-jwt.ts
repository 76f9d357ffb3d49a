/**
 * A credential as an SD-JWT VC, for wallets: every subject claim selectively disclosable, what must
 * always be shown (type, issuer, validity, status reference) in the clear. Two profiles:
 *
 * - `tw-diw` (Taiwan's digital wallet, 數位憑證皮夾): header `typ: vc+sd-jwt`, ES256, `kid`; the W3C-style
 *   payload of a `vc+jwt` with `credentialSubject` holding only `_sd` digests, plus `credentialSchema`,
 *   and `StatusList2021Entry` status entries (the list format TW DIW reads) at the Bitstring indices.
 * - `ietf` (RFC 9901 SD-JWT, SD-JWT VC; the EU wallets): header `typ: dc+sd-jwt`; `iss`, `vct`, `jti`,
 *   `iat`/`nbf`/`exp`, `status.status_list` (IETF Token Status List reference), `cnf` when a holder key
 *   is given; the subject claims at the top level, each disclosable.
 *
 * Built with the OpenWallet Foundation's `@sd-jwt/core` and `@sd-jwt/sd-jwt-vc`; signed through the
 * issuer's own signing function (a local key or its `credentialSigner`). The ledger anchors the issuer-
 * signed JWT (the part before the first `~`), hashed as a `vc+jwt` is. See docs/decisions/0019-sd-jwt-vc.md.
 * @see https://www.rfc-editor.org/rfc/rfc9901
 * @see https://datatracker.ietf.org/doc/draft-ietf-oauth-sd-jwt-vc/
 */
import { hash, randomBytes } from 'node:crypto';
import { decodeSdJwtSync, getClaimsSync } from '@sd-jwt/decode';
import { CredledgerError, STATUS_LIST_2021_CONTEXT } from '@credledger/verify';
import { sdJwtProfiles, sdJwtTyp, vctOf, typeOfVct, type SdJwtProfile } from '@credledger/verify/formats';
import { buildCredential, type BuildCredentialInput, type CredentialAlgorithm } from './credential.js';
import {
  statusList2021Entry,
  statusListNumber,
  tokenStatusListUrl,
  type BitstringStatusListEntry,
  type StatusList2021Entry,
} from '../status/entry.js';

export { sdJwtProfiles, type SdJwtProfile };

/** What to issue as SD-JWT: the profile and, optionally, the holder's public key (goes into `cnf`). */
export interface SdJwtOptions {
  readonly profile: SdJwtProfile;
  /** The holder's public JWK; the credential is then bound to it (`cnf.jwk`) and presented with a KB-JWT. */
  readonly holderKey?: JsonWebKey;
}

export interface SdJwtCredentialInput extends BuildCredentialInput {
  readonly options: SdJwtOptions;
  /** Base URL of the verifier/status service; `credentialSchema` and the token status list live under it. */
  readonly baseUrl: string;
}

/** Signs `<header>.<payload>` (the JWS signing input) and resolves to the base64url signature. */
export type SigningFunction = (signingInput: string) => Promise<string>;

const sha256 = (data: string | ArrayBuffer): Uint8Array =>
  new Uint8Array(hash('sha256', typeof data === 'string' ? data : Buffer.from(data), 'buffer'));
const salt = (length: number): string => randomBytes(length).toString('base64url');

function invalid(message: string, details: Record<string, unknown> = {}): never {
  throw new CredledgerError('INVALID_INPUT', message, { details });
}

/** The public members of a JWK that may go into `cnf` (a private `d` is refused, never copied). */
function holderJwk(jwk: JsonWebKey): JsonWebKey {
  // A JavaScript caller may pass anything.
  if (typeof (jwk as unknown) !== 'object' || (jwk as unknown) === null) invalid('the holder key must be a public JWK');
  if ('d' in jwk) invalid('the holder key must be the public key only (it has "d")');
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string')
    return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string')
    return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  return invalid('the holder key must be a P-256 or Ed25519 public JWK', { kty: jwk.kty, crv: jwk.crv });
}

/** The list number of a status entry: it must name one of the issuer's lists of its purpose under `baseUrl`. */
function listNumberOf(input: SdJwtCredentialInput, entry: BitstringStatusListEntry): number {
  const list = statusListNumber(entry.statusListCredential, input.baseUrl, input.issuer, entry.statusPurpose);
  if (list === undefined)
    invalid(
      `the ${entry.statusPurpose} entry is not a ${entry.statusPurpose} list of ${input.issuer} under ${input.baseUrl}`,
      {
        statusListCredential: entry.statusListCredential,
      },
    );
  return list;
}

/**
 * The IETF profile's status reference: the credential's revocation index, in the issuer's Status List
 * Token of the same list number under `baseUrl` (where the token publisher puts it). The revocation
 * entry must be one of the issuer's revocation lists under `baseUrl`.
 */
function tokenStatusReference(input: SdJwtCredentialInput): { idx: number; uri: string } {
  const revocation = input.status.find((entry) => entry.statusPurpose === 'revocation');
  if (!revocation) invalid('an SD-JWT credential needs a revocation status allocation');
  const list = listNumberOf(input, revocation);
  return { idx: Number(revocation.statusListIndex), uri: tokenStatusListUrl(input.baseUrl, input.issuer, list) };
}

/**
 * The TW DIW profile's status entries: for each Bitstring entry, the `StatusList2021Entry` at the same
 * index in the Status List 2021 list of the same number and purpose (where the publisher puts it), so
 * both formats are built from the same allocations and ledger records.
 */
function statusList2021Entries(input: SdJwtCredentialInput): StatusList2021Entry[] {
  if (!input.status.some((entry) => entry.statusPurpose === 'revocation'))
    invalid('an SD-JWT credential needs a revocation status allocation');
  return input.status.map((entry) =>
    statusList2021Entry(input.baseUrl, input.issuer, entry.statusPurpose, {
      list: listNumberOf(input, entry),
      index: Number(entry.statusListIndex),
    }),
  );
}

/**
 * Builds and signs one credential as an SD-JWT VC (issuer-signed JWT, then its disclosures, `~`-separated,
 * ending in `~`: no key binding yet, the holder adds it when presenting).
 * @throws CredledgerError SCHEMA_INVALID (as `buildCredential`), INVALID_INPUT (holder key; EdDSA for tw-diw)
 */
export async function issueSdJwtCredential(
  input: SdJwtCredentialInput,
  signing: { readonly alg: CredentialAlgorithm; readonly kid: string; readonly sign: SigningFunction },
): Promise<string> {
  const { profile, holderKey } = input.options;
  if (!sdJwtProfiles.includes(profile)) invalid(`unknown SD-JWT profile ${JSON.stringify(profile)}`, { profile });
  // The TW DIW specification fixes ES256 (P-256).
  if (profile === 'tw-diw' && signing.alg !== 'ES256')
    invalid('the tw-diw profile signs with ES256 (P-256); this issuer key is EdDSA', { alg: signing.alg });
  const cnf = holderKey === undefined ? undefined : { jwk: holderJwk(holderKey) };
  const vc = buildCredential(input);
  const claimNames = Object.keys(input.subject);
  const base = input.baseUrl.replace(/\/+$/, '');
  const config = {
    hasher: sha256,
    saltGenerator: salt,
    signAlg: signing.alg,
    signer: signing.sign,
    hashAlg: 'sha-256' as const,
  };
  if (profile === 'tw-diw') {
    const { credentialSubject, ...rest } = vc;
    const payload = {
      ...rest,
      // The Status List 2021 terms are defined by their own context, not by VC 2.0's.
      '@context': [...rest['@context'], STATUS_LIST_2021_CONTEXT],
      credentialStatus: statusList2021Entries(input),
      credentialSchema: { id: `${base}/schemas/${input.type}`, type: 'JsonSchema' },
      credentialSubject,
      ...(cnf ? { cnf } : {}),
    };
    // Loaded when an SD-JWT is issued: every other issuance (and `issue-batch`'s start) skips the
    // libraries and the ~225 files of the schema library they bring.
    const { SDJwtInstance } = await import('@sd-jwt/core');
    return new SDJwtInstance(config).issue(payload, { credentialSubject: { _sd: claimNames } } as never, {
      header: { typ: sdJwtTyp['tw-diw'], kid: signing.kid },
    });
  }
  const payload = {
    iss: vc.iss,
    jti: vc.jti,
    vct: vctOf(input.type),
    iat: vc.iat,
    nbf: vc.nbf,
    ...(vc.exp === undefined ? {} : { exp: vc.exp }),
    status: { status_list: tokenStatusReference(input) },
    ...(cnf ? { cnf } : {}),
    ...input.subject,
  };
  const { SDJwtVcInstance } = await import('@sd-jwt/sd-jwt-vc');
  return new SDJwtVcInstance(config).issue(payload as never, { _sd: claimNames } as never, {
    header: { kid: signing.kid },
  });
}

/** The issuer-signed JWT of an SD-JWT (what the ledger anchors): everything before the first `~`. */
export function issuerSignedJwt(sdJwt: string): string {
  const tilde = sdJwt.indexOf('~');
  return tilde < 0 ? sdJwt : sdJwt.slice(0, tilde);
}

/** True when the text is an SD-JWT (a compact JWS followed by `~`). */
export function isSdJwt(text: string): boolean {
  return text.includes('~');
}

/**
 * An issued SD-JWT read back (all disclosures applied, nothing verified) as the fields a `vc+jwt` has:
 * `type`, `id`/`jti`, `issuer`/`iss`, `nbf`, `exp` and `credentialSubject`; for anchoring and journals.
 * @throws CredledgerError CREDENTIAL_MALFORMED
 */
export function readSdJwtCredential(sdJwt: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  issuerJwt: string;
} {
  try {
    const decoded = decodeSdJwtSync(sdJwt, (data) => sha256(data));
    const claims = getClaimsSync<Record<string, unknown>>(decoded.jwt.payload, decoded.disclosures, (data) =>
      sha256(data),
    );
    const header = decoded.jwt.header;
    if (header.typ === sdJwtTyp['tw-diw']) return { header, payload: claims, issuerJwt: issuerSignedJwt(sdJwt) };
    if (header.typ !== sdJwtTyp.ietf) throw new Error(`header typ ${String(header.typ)}`);
    const { iss, jti, vct, iat, nbf, exp, ...rest } = claims;
    // The rest are the subject's claims, without the credential's own (status reference, holder key).
    const subject = Object.fromEntries(
      Object.entries(rest).filter(([name]) => !['status', 'cnf', '_sd_alg', 'sub'].includes(name)),
    );
    const type = typeof vct === 'string' ? typeOfVct(vct) : undefined;
    return {
      header,
      issuerJwt: issuerSignedJwt(sdJwt),
      payload: {
        type: ['VerifiableCredential', type],
        id: jti,
        jti,
        issuer: iss,
        iss,
        iat,
        nbf,
        ...(exp === undefined ? {} : { exp }),
        credentialSubject: subject,
      },
    };
  } catch (error) {
    if (error instanceof CredledgerError) throw error;
    throw new CredledgerError('CREDENTIAL_MALFORMED', 'not an SD-JWT credential of a known profile', { cause: error });
  }
}
