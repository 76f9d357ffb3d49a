/**
 * First check of the pipeline: turn untrusted input (a compact `vc+jwt` or a credential link) into a
 * structurally sound credential, or say precisely why not. Nothing here trusts the content yet.
 *
 * @see https://www.w3.org/TR/vc-jose-cose/#securing-with-jose
 * @see https://www.w3.org/TR/vc-data-model-2.0/
 */
import { parseCompactJwsWith, type JwsScratch, type ParsedJws } from './jws.js';
import { parseIsoTime } from './records.js';
import type { SdJwtPresented } from './sd-jwt/presented.js';

/** Longest input looked at (a link or a JWS). Anything longer is refused before any parsing. */
export const MAX_INPUT_LENGTH = 64 * 1024;

export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';

export type DecodeReason =
  | 'DECODED'
  | 'NOT_A_STRING'
  | 'INPUT_TOO_LONG'
  | 'LINK_UNDECODABLE'
  | 'NOT_COMPACT_JWS'
  | 'BAD_ENCODING'
  | 'NOT_VC_JWT'
  | 'UNSUPPORTED_HEADER'
  | 'MISSING_CLAIM'
  | 'BAD_CLAIM'
  | 'CLAIMS_INCONSISTENT'
  // SD-JWT VC (sd-jwt/decode-sd-jwt.ts)
  | 'DISCLOSURE_MALFORMED'
  | 'KEY_BINDING_MALFORMED'
  | 'SD_ALG_UNSUPPORTED';

/** A credential that passed the structural checks (still unverified). */
export interface DecodedCredential {
  readonly jws: ParsedJws;
  readonly kid: string;
  readonly id: string;
  /** The credential type besides `VerifiableCredential`. */
  readonly type: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validFromMs: number;
  readonly validUntil: string | null;
  readonly validUntilMs: number | undefined;
  /** `iat` in ms, if present. */
  readonly issuedAtMs: number | undefined;
  readonly subject: Readonly<Record<string, unknown>>;
  readonly credentialStatus: readonly unknown[];
  /** For an SD-JWT VC: what was presented besides the issuer-signed JWT (`jws`). */
  readonly sdJwt?: SdJwtPresented;
}

export type DecodeOutcome =
  | { readonly ok: true; readonly credential: DecodedCredential }
  | { readonly ok: false; readonly reason: Exclude<DecodeReason, 'DECODED'>; readonly detail: string };

/** What a link decoder gives back: the JWS, or the QR codec's `{ jwt }` / `{ error }` result. */
export type LinkDecoderResult = string | { readonly jwt: string } | { readonly error: string };

/** Turns a credential link into the compact JWS it carries (e.g. the QR codec's `decodeCredentialLink`). */
export type LinkDecoder = (link: string) => LinkDecoderResult | Promise<LinkDecoderResult>;

const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export const fail = (reason: Exclude<DecodeReason, 'DECODED'>, detail: string): DecodeOutcome => ({
  ok: false,
  reason,
  detail,
});

/** Extracts the compact JWS from input: as is, or from a link's fragment (through `decodeLink` if given). */
async function extractJws(input: string, decodeLink: LinkDecoder | undefined): Promise<string | DecodeOutcome> {
  const text = input.trim();
  const hash = text.indexOf('#');
  // Without a `#` the input can only be a compact JWS: parsing it tells (see decodeCredential).
  if (hash < 0) return text;
  if (decodeLink) {
    try {
      const decoded: unknown = await decodeLink(text);
      const jws = typeof decoded === 'string' ? decoded : (decoded as { jwt?: unknown } | null)?.jwt;
      if (typeof jws !== 'string') {
        const code = (decoded as { error?: unknown } | null)?.error;
        return fail('LINK_UNDECODABLE', typeof code === 'string' ? code.slice(0, 100) : 'link decoder returned no JWS');
      }
      if (jws.length > MAX_INPUT_LENGTH) return fail('INPUT_TOO_LONG', `decoded link is ${jws.length} characters`);
      return jws;
    } catch (error) {
      return fail('LINK_UNDECODABLE', error instanceof Error ? error.message.slice(0, 200) : 'link decoder failed');
    }
  }
  // Without a codec only the plain form `<base>#<compact JWS>` can be read.
  const fragment = text.slice(hash + 1);
  if (JWS_SHAPE.test(fragment)) return fragment;
  return fail('LINK_UNDECODABLE', 'link fragment is not a compact JWS and no link decoder was given');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const secondsOf = (ms: number): number => Math.floor(ms / 1000);

/**
 * Decodes and structurally checks a credential. Never throws.
 *
 * Checked: compact JWS, `typ: vc+jwt`, no `crit`, string `alg` and `kid`; VC 2.0 context, exactly one
 * type besides `VerifiableCredential`, `urn:uuid:` id, issuer, strict ISO `validFrom`/`validUntil`,
 * object `credentialSubject`; JWT claims (`iss`, `jti`, `nbf`, `exp`), when present, equal to the
 * credential's own fields, so a JOSE library and this verifier can never disagree about them.
 */
export function decodeCredential(input: unknown, decodeLink?: LinkDecoder): Promise<DecodeOutcome> {
  return decodeCredentialWith(input, decodeLink, undefined);
}

/** `decodeCredential`, parsing with the buffers of `scratch` (the verifier's) when given. */
export async function decodeCredentialWith(
  input: unknown,
  decodeLink: LinkDecoder | undefined,
  scratch: JwsScratch | undefined,
): Promise<DecodeOutcome> {
  if (typeof input !== 'string') return fail('NOT_A_STRING', `input is ${input === null ? 'null' : typeof input}`);
  if (input.length > MAX_INPUT_LENGTH) return fail('INPUT_TOO_LONG', `input is ${input.length} characters`);
  // A plain JWS (the common case) is not awaited through the link path.
  const direct = input.indexOf('#') < 0;
  const extracted = direct ? input.trim() : await extractJws(input, decodeLink);
  if (typeof extracted !== 'string') return extracted;

  const jws = parseCompactJwsWith(extracted, scratch);
  if (typeof jws === 'string') {
    // Input that is not three base64url parts (and no link) is reported as such, whatever failed first.
    if (direct && !JWS_SHAPE.test(extracted))
      return fail('NOT_COMPACT_JWS', 'input is neither a compact JWS nor a link');
    if (jws === 'TOO_LONG') return fail('INPUT_TOO_LONG', 'JWS too long');
    if (jws === 'NOT_COMPACT_JWS') return fail('NOT_COMPACT_JWS', 'not three base64url parts');
    return fail('BAD_ENCODING', jws);
  }
  const { header, payload } = jws;
  if (header.typ !== 'vc+jwt') return fail('NOT_VC_JWT', 'header typ is not vc+jwt');
  if ('crit' in header) return fail('UNSUPPORTED_HEADER', 'crit header parameters are not supported');
  if (typeof header.alg !== 'string') return fail('UNSUPPORTED_HEADER', 'header alg missing');
  if (typeof header.kid !== 'string' || header.kid === '') return fail('UNSUPPORTED_HEADER', 'header kid missing');

  return vcFields(jws, header.kid, payload);
}

/**
 * The VC 2.0 fields of a credential payload, checked: VC 2.0 context, exactly one type besides
 * `VerifiableCredential`, `urn:uuid:` id, issuer DID, strict ISO `validFrom`/`validUntil`, object
 * `credentialSubject`; JWT claims (`iss`, `jti`, `nbf`, `exp`), when present, equal to the credential's
 * own fields. `jws` is what the issuer signed (for an SD-JWT, the issuer-signed JWT; `payload` is then
 * its claims with the disclosures applied).
 */
export function vcFields(jws: ParsedJws, kid: string, payload: Readonly<Record<string, unknown>>): DecodeOutcome {
  const context = payload['@context'];
  if (!Array.isArray(context) || context[0] !== VC_CONTEXT_V2)
    return fail('BAD_CLAIM', '@context must start with the VC 2.0 context');
  const types = payload.type;
  if (!Array.isArray(types) || !types.every((t) => typeof t === 'string') || !types.includes('VerifiableCredential')) {
    return fail('BAD_CLAIM', 'type must list VerifiableCredential');
  }
  const specific = types.filter((t) => t !== 'VerifiableCredential');
  if (specific.length !== 1) return fail('BAD_CLAIM', 'type must name exactly one credential type');
  const id = payload.id;
  if (typeof id !== 'string') return fail('MISSING_CLAIM', 'id');
  if (!/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    return fail('BAD_CLAIM', 'id is not urn:uuid');
  const issuerValue = payload.issuer;
  const issuer =
    typeof issuerValue === 'string'
      ? issuerValue
      : isObject(issuerValue) && typeof issuerValue.id === 'string'
        ? issuerValue.id
        : undefined;
  if (issuer === undefined) return fail('MISSING_CLAIM', 'issuer');
  if (!issuer.startsWith('did:') || issuer.length > 512) return fail('BAD_CLAIM', 'issuer is not a DID');
  const validFromMs = parseIsoTime(payload.validFrom);
  if (validFromMs === undefined)
    return fail(payload.validFrom === undefined ? 'MISSING_CLAIM' : 'BAD_CLAIM', 'validFrom');
  let validUntilMs: number | undefined;
  if (payload.validUntil !== undefined) {
    validUntilMs = parseIsoTime(payload.validUntil);
    if (validUntilMs === undefined) return fail('BAD_CLAIM', 'validUntil');
  }
  const subject = payload.credentialSubject;
  if (!isObject(subject)) return fail(subject === undefined ? 'MISSING_CLAIM' : 'BAD_CLAIM', 'credentialSubject');
  const status = payload.credentialStatus;
  const credentialStatus = status === undefined ? [] : Array.isArray(status) ? status : [status];

  if (payload.iss !== undefined && payload.iss !== issuer)
    return fail('CLAIMS_INCONSISTENT', 'iss differs from issuer');
  if (payload.jti !== undefined && payload.jti !== id) return fail('CLAIMS_INCONSISTENT', 'jti differs from id');
  if (payload.nbf !== undefined && payload.nbf !== secondsOf(validFromMs))
    return fail('CLAIMS_INCONSISTENT', 'nbf differs from validFrom');
  if (payload.exp !== undefined && (validUntilMs === undefined || payload.exp !== secondsOf(validUntilMs))) {
    return fail('CLAIMS_INCONSISTENT', 'exp differs from validUntil');
  }
  let issuedAtMs: number | undefined;
  if (payload.iat !== undefined) {
    if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) return fail('BAD_CLAIM', 'iat');
    issuedAtMs = payload.iat * 1000;
  }

  return {
    ok: true,
    credential: {
      jws,
      kid,
      id,
      type: specific[0] as string,
      issuer,
      validFrom: payload.validFrom as string,
      validFromMs,
      validUntil: validUntilMs === undefined ? null : (payload.validUntil as string),
      validUntilMs,
      issuedAtMs,
      subject,
      credentialStatus,
    },
  };
}
