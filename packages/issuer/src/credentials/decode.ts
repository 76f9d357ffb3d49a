/**
 * Splits a compact `vc+jwt` into header, payload and signature without checking the signature.
 * Browser-safe. Verification decides what to trust; this only refuses what is not a credential JWT.
 */
import { CredledgerError } from '@credledger/verify';
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

const compactJws = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(message: string, cause?: unknown): never {
  throw new CredledgerError('CREDENTIAL_MALFORMED', message, cause === undefined ? {} : { cause });
}

/** Decodes unpadded base64url; throws on any other alphabet or an impossible length. */
export function base64UrlToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) malformed('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function jsonObject(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(base64UrlToBytes(part)));
  } catch (error) {
    malformed(`the ${what} is not base64url JSON`, error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    malformed(`the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * Splits and parses a compact JWS.
 * @throws CredledgerError CREDENTIAL_MALFORMED (not three base64url parts, not JSON objects, too long)
 */
export function decodeCredentialJwt(jwt: string): DecodedCredentialJwt {
  if (typeof jwt !== 'string' || jwt.length > maxCredentialJwtLength)
    malformed('not a credential JWT of a sensible size');
  const parts = compactJws.exec(jwt);
  if (!parts) malformed('not a compact JWS (three base64url parts)');
  const [, headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  return {
    header: jsonObject(headerPart, 'header'),
    payload: jsonObject(payloadPart, 'payload'),
    signingInput: `${headerPart}.${payloadPart}`,
    signature: base64UrlToBytes(signaturePart),
  };
}
