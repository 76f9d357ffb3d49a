/**
 * Decoding of an SD-JWT VC presentation (`<issuer-signed JWT>~<disclosure>~…~[<KB-JWT>]`) of either
 * profile into the credential the pipeline checks: the issuer-signed JWT is what the signature and the
 * ledger anchor are about; the subject is only what was disclosed. Disclosures are decoded and applied
 * with the OpenWallet Foundation's `@sd-jwt/decode`, digests computed on WebCrypto. Nothing is trusted
 * here: which disclosures the issuer listed, and the key binding, are checked after the signature
 * (presented.ts).
 * @see https://www.rfc-editor.org/rfc/rfc9901
 */
import { decodeSdJwt, unpack } from '@sd-jwt/decode';
import { fail, vcFields, VC_CONTEXT_V2, type DecodeOutcome } from '../decode.js';
import { parseCompactJws, parseCompactJwsWith, type JwsScratch } from '../jws.js';
import { credentialTypes } from '../credentials/types/index.js';
import { profileOfTyp, typeOfVct } from './profiles.js';
import type { SdJwtPresented } from './presented.js';

const encoder = new TextEncoder();

/** SHA-256 on WebCrypto, as `@sd-jwt/*` asks for a hasher; the only algorithm accepted. */
async function sha256(data: string | ArrayBuffer, alg: string): Promise<Uint8Array> {
  if (alg !== 'sha-256') throw new Error(`hash algorithm ${alg} is not supported`);
  const bytes = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
}

const isoOf = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Claims of the IETF profile that are about the credential, not its subject. */
const ietfRegistered: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'iat',
  'nbf',
  'exp',
  'jti',
  'vct',
  'vct#integrity',
  'status',
  'cnf',
  '_sd_alg',
]);

/** True when the text looks like an SD-JWT (a compact JWS followed by `~`) rather than a `vc+jwt` or link. */
export function looksLikeSdJwt(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.includes('~') && !trimmed.includes('#');
}

/**
 * Decodes and structurally checks an SD-JWT VC. Never throws.
 * Checked: the issuer-signed JWT as for a `vc+jwt` (but `typ` `vc+sd-jwt` or `dc+sd-jwt`), `_sd_alg`
 * sha-256, every disclosure a base64url JSON array, a trailing KB-JWT of `typ: kb+jwt`; then the
 * credential's fields with the disclosures applied (tw-diw: the VC 2.0 fields; ietf: `iss`, `jti`, a
 * credledger `vct`, `nbf`, `exp`).
 */
export async function decodeSdJwtCredential(input: string, scratch?: JwsScratch): Promise<DecodeOutcome> {
  const text = input.trim();
  const lastTilde = text.lastIndexOf('~');
  const parts = text.split('~');
  const issuerJwt = parts[0] ?? '';
  const jws = parseCompactJwsWith(issuerJwt, scratch);
  if (typeof jws === 'string')
    return jws === 'NOT_COMPACT_JWS'
      ? fail('NOT_COMPACT_JWS', 'the issuer-signed JWT is not a compact JWS')
      : fail('BAD_ENCODING', jws);
  const { header } = jws;
  const profile = profileOfTyp(header.typ);
  if (!profile) return fail('NOT_VC_JWT', 'header typ is neither vc+sd-jwt nor dc+sd-jwt');
  if ('crit' in header) return fail('UNSUPPORTED_HEADER', 'crit header parameters are not supported');
  if (typeof header.alg !== 'string') return fail('UNSUPPORTED_HEADER', 'header alg missing');
  if (typeof header.kid !== 'string' || header.kid === '') return fail('UNSUPPORTED_HEADER', 'header kid missing');
  const sdAlg = jws.payload._sd_alg ?? 'sha-256';
  if (sdAlg !== 'sha-256') return fail('SD_ALG_UNSUPPORTED', `_sd_alg ${JSON.stringify(sdAlg).slice(0, 40)}`);

  const encodedDisclosures = parts.slice(1, -1);
  const kbText = parts[parts.length - 1] ?? '';
  let keyBinding: SdJwtPresented['keyBinding'];
  if (kbText !== '') {
    const kb = parseCompactJws(kbText);
    if (typeof kb === 'string' || kb.header.typ !== 'kb+jwt')
      return fail('KEY_BINDING_MALFORMED', 'what follows the last ~ is not a kb+jwt');
    keyBinding = kb;
  }

  let claims: Record<string, unknown>;
  let disclosureKeymap: Record<string, string>;
  const digests: string[] = [];
  try {
    // The issuer-signed JWT and the disclosures only: the KB-JWT was parsed above.
    const decoded = await decodeSdJwt(`${[issuerJwt, ...encodedDisclosures].join('~')}~`, sha256);
    for (const disclosure of decoded.disclosures) {
      const value = disclosure.decode() as unknown;
      if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string' || typeof value[1] !== 'string')
        return fail('DISCLOSURE_MALFORMED', 'a disclosure is not [salt, claim name, value]');
      digests.push(await disclosure.digest({ hasher: sha256, alg: 'sha-256' }));
    }
    const unpacked = await unpack({ ...jws.payload }, decoded.disclosures, sha256);
    if (!isObject(unpacked.unpackedObj)) return fail('BAD_CLAIM', 'the claims are not an object');
    claims = unpacked.unpackedObj;
    disclosureKeymap = unpacked.disclosureKeymap;
  } catch (error) {
    return fail(
      'DISCLOSURE_MALFORMED',
      error instanceof Error ? error.message.slice(0, 200) : 'undecodable disclosure',
    );
  }
  const listed = new Set(Object.values(disclosureKeymap));
  const subjectPrefix = profile === 'tw-diw' ? 'credentialSubject.' : '';
  const disclosed = Object.keys(disclosureKeymap)
    .filter((key) => key.startsWith(subjectPrefix) && !key.slice(subjectPrefix.length).includes('.'))
    .map((key) => key.slice(subjectPrefix.length));
  const cnf = jws.payload.cnf;
  const holderKey = isObject(cnf) && isObject(cnf.jwk) ? (cnf.jwk as JsonWebKey) : undefined;
  const sdJwt: SdJwtPresented = {
    profile,
    disclosed,
    unlisted: digests.filter((digest) => !listed.has(digest)).length,
    duplicated: new Set(encodedDisclosures).size !== encodedDisclosures.length,
    ...(keyBinding ? { keyBinding } : {}),
    ...(holderKey ? { holderKey } : {}),
    sdHashInput: text.slice(0, lastTilde + 1),
  };

  const outcome = vcFields(jws, header.kid, profile === 'tw-diw' ? claims : ietfView(claims));
  if (!outcome.ok) return outcome;
  // Disclosures come in the order of their digests: show them in the order the type lists its fields.
  const order = fieldOrder(outcome.credential.type);
  const rank = (name: string): number => order.get(name) ?? order.size;
  const byField = (a: string, b: string): number => rank(a) - rank(b);
  const subject = Object.fromEntries(Object.entries(outcome.credential.subject).sort(([a], [b]) => byField(a, b)));
  return {
    ok: true,
    credential: { ...outcome.credential, subject, sdJwt: { ...sdJwt, disclosed: [...disclosed].sort(byField) } },
  };
}

/** Field name → position in its credential type; empty for a type this verifier does not know. */
function fieldOrder(type: string): Map<string, number> {
  const definition = Object.hasOwn(credentialTypes, type) ? credentialTypes[type] : undefined;
  return new Map((definition?.fields ?? []).map((field, index) => [field.name, index]));
}

/** The IETF profile's claims as the VC 2.0 fields the pipeline reads. */
function ietfView(claims: Record<string, unknown>): Record<string, unknown> {
  const subject: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims)) if (!ietfRegistered.has(name)) subject[name] = value;
  const type = typeof claims.vct === 'string' ? typeOfVct(claims.vct) : undefined;
  return {
    '@context': [VC_CONTEXT_V2],
    type: ['VerifiableCredential', ...(type === undefined ? [] : [type])],
    ...(typeof claims.jti === 'string' ? { id: claims.jti } : {}),
    ...(typeof claims.iss === 'string' ? { issuer: claims.iss } : {}),
    ...(typeof claims.nbf === 'number' ? { validFrom: isoOf(claims.nbf) } : {}),
    ...(typeof claims.exp === 'number' ? { validUntil: isoOf(claims.exp) } : {}),
    credentialSubject: subject,
    // The `status` claim (`status_list { idx, uri }`, IETF Token Status List) is what an offline source reads.
    ...(isObject(claims.status) ? { credentialStatus: [claims.status] } : {}),
    iss: claims.iss,
    jti: claims.jti,
    nbf: claims.nbf,
    ...(claims.exp === undefined ? {} : { exp: claims.exp }),
    ...(claims.iat === undefined ? {} : { iat: claims.iat }),
  };
}
