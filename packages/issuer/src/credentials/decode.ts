/**
 * Splits a compact `vc+jwt` into header, payload and signature without checking the signature, with
 * the verifier's own parser (`parseCompactJws`): one base64url decoder and one notion of a well-formed
 * JWS for issuing and verifying alike. Browser-safe. Verification decides what to trust; this only
 * refuses what is not a credential JWT.
 */
import { CredledgerError } from '@credledger/verify';
import { parseCompactJws, type JwsParseError } from '@credledger/verify/formats';
import type { CredentialHeader, CredentialPayload } from './credential.js';

/** Longest compact JWS we decode; a credential is ~1.3 kB, this leaves room and stops abuse. */
export const maxCredentialJwtLength = 16_384;

export interface DecodedCredentialJwt {
  /** The protected header as sent (fields are not yet checked beyond being a JSON object). */
  readonly header: Readonly<Record<string, unknown>> & Partial<CredentialHeader>;
  readonly payload: Readonly<Record<string, unknown>> & Partial<CredentialPayload>;
  /** `<header>.<payload>` exactly as signed. */
  readonly signingInput: string;
  /** The raw signature bytes. */
  readonly signature: Uint8Array;
}

const problems: Readonly<Record<JwsParseError, string>> = {
  TOO_LONG: 'not a credential JWT of a sensible size',
  NOT_COMPACT_JWS: 'not a compact JWS (three base64url parts)',
  BAD_BASE64URL: 'not a compact JWS: a part is not unpadded base64url',
  BAD_JSON: 'the header or the payload is not a base64url JSON object',
};

function malformed(message: string): never {
  throw new CredledgerError('CREDENTIAL_MALFORMED', message);
}

/**
 * Splits and parses a compact JWS.
 * @throws CredledgerError CREDENTIAL_MALFORMED (not three base64url parts, not JSON objects, too long)
 */
export function decodeCredentialJwt(jwt: string): DecodedCredentialJwt {
  if (typeof jwt !== 'string' || jwt.length > maxCredentialJwtLength) malformed(problems.TOO_LONG);
  const parsed = parseCompactJws(jwt);
  if (typeof parsed === 'string') malformed(problems[parsed]);
  if (parsed.signature.length === 0) malformed(problems.NOT_COMPACT_JWS);
  return {
    header: parsed.header,
    payload: parsed.payload,
    signingInput: jwt.slice(0, jwt.lastIndexOf('.')),
    signature: parsed.signature,
  };
}
