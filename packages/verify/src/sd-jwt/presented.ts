/**
 * What an SD-JWT presentation adds to the issuer-signed JWT, and the checks made once the issuer's
 * signature is established: every disclosure is one the issuer listed (its digest is in an `_sd`), none
 * twice, and a key-binding JWT, when present, is signed by the holder key the issuer put in `cnf`, covers
 * exactly these disclosures (`sd_hash`), and answers the verifier's nonce and audience when it gave them.
 * @see https://www.rfc-editor.org/rfc/rfc9901#section-7 (verification)
 */
import { base64urlEncode, verifyJwsSignature, type ParsedJws } from '../jws.js';
import type { SdJwtProfile } from './profiles.js';

/** Why a presentation is refused once the issuer's signature holds. */
export type PresentationFailure =
  | 'DISCLOSURE_NOT_IN_SD'
  | 'DISCLOSURE_DUPLICATED'
  | 'KEY_BINDING_MISSING'
  | 'KEY_BINDING_NO_HOLDER_KEY'
  | 'KEY_BINDING_SIGNATURE_INVALID'
  | 'KEY_BINDING_SD_HASH_MISMATCH'
  | 'KEY_BINDING_NONCE_MISMATCH'
  | 'KEY_BINDING_AUDIENCE_MISMATCH'
  | 'KEY_BINDING_NOT_FRESH';

/** An SD-JWT VC as presented: its profile, what it disclosed, and what is checked after the signature. */
export interface SdJwtPresented {
  readonly profile: SdJwtProfile;
  /** Names of the subject claims disclosed, in the order the credential lists them. */
  readonly disclosed: readonly string[];
  /** Digests of disclosures that no `_sd` (or array element) of the credential lists. */
  readonly unlisted: number;
  /** True when one disclosure appears twice. */
  readonly duplicated: boolean;
  /** The key-binding JWT, when the presentation ends with one. */
  readonly keyBinding?: ParsedJws;
  /** The holder's public key from the issuer-signed `cnf.jwk`, when the credential is bound to one. */
  readonly holderKey?: JsonWebKey;
  /** `<issuer-signed JWT>~<disclosure>~…~`: what the KB-JWT's `sd_hash` covers. */
  readonly sdHashInput: string;
}

/** What a verifier asks of the key binding (OpenID4VP's nonce and client id); all optional. */
export interface KeyBindingExpectation {
  /** Refuse a presentation without a key-binding JWT. */
  readonly required?: boolean;
  readonly nonce?: string;
  readonly audience?: string;
  /** How old the KB-JWT's `iat` may be, in seconds (default 300). */
  readonly maxAgeSeconds?: number;
}

const KB_CLOCK_SKEW_S = 60;

/**
 * The presentation checks, in this order: key binding (so a disclosure altered on the way fails the
 * holder's `sd_hash`), then every disclosure listed by the issuer and none twice.
 * @returns undefined when the presentation holds, else the first failure and a detail
 */
export async function checkPresentation(
  presented: SdJwtPresented,
  expect: KeyBindingExpectation | undefined,
  now: Date,
): Promise<{ reason: PresentationFailure; detail: string } | undefined> {
  const kb = presented.keyBinding;
  if (kb) {
    if (!presented.holderKey)
      return {
        reason: 'KEY_BINDING_NO_HOLDER_KEY',
        detail: 'a key-binding JWT, but the credential names no holder key',
      };
    const failure = await verifyJwsSignature(kb, 'kb+jwt', presented.holderKey);
    // Low-S is credledger's rule for what its issuers sign; a wallet's ES256 signature may be either half.
    if (failure && failure !== 'SIGNATURE_NOT_CANONICAL')
      return { reason: 'KEY_BINDING_SIGNATURE_INVALID', detail: failure };
    const digest = new Uint8Array(
      await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(presented.sdHashInput)),
    );
    if (kb.payload.sd_hash !== base64urlEncode(digest))
      return { reason: 'KEY_BINDING_SD_HASH_MISMATCH', detail: 'sd_hash does not cover these disclosures' };
    if (expect?.nonce !== undefined && kb.payload.nonce !== expect.nonce)
      return { reason: 'KEY_BINDING_NONCE_MISMATCH', detail: 'nonce differs from the one asked for' };
    if (expect?.audience !== undefined && kb.payload.aud !== expect.audience)
      return { reason: 'KEY_BINDING_AUDIENCE_MISMATCH', detail: 'aud differs from this verifier' };
    const iat = kb.payload.iat;
    const nowS = now.getTime() / 1000;
    const maxAge = expect?.maxAgeSeconds ?? 300;
    if (typeof iat !== 'number' || iat > nowS + KB_CLOCK_SKEW_S || iat < nowS - maxAge - KB_CLOCK_SKEW_S)
      return { reason: 'KEY_BINDING_NOT_FRESH', detail: `iat ${String(iat)}` };
  } else if (expect?.required === true) {
    return { reason: 'KEY_BINDING_MISSING', detail: 'the presentation has no key-binding JWT' };
  }
  if (presented.unlisted > 0)
    return { reason: 'DISCLOSURE_NOT_IN_SD', detail: `${presented.unlisted} disclosure(s) the issuer did not list` };
  if (presented.duplicated) return { reason: 'DISCLOSURE_DUPLICATED', detail: 'a disclosure appears twice' };
  return undefined;
}
