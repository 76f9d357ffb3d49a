/**
 * Credential payloads written straight to UTF-8 bytes, the issuer's hot path for batches: the JSON
 * pieces every credential of one issuance call shares are encoded once, and each credential adds only
 * its id, subject and status. No payload string is made: building each as a string, cloning it to a
 * signing worker and encoding it there cost a batch more than anything but the signature.
 */
import { Buffer } from 'node:buffer';
import type { CredentialSubject } from '@credledger/verify';
import { buildCredential, isCredentialId, type CredentialCommon } from './credential.js';
import { CredledgerError } from '@credledger/verify';
import type { BitstringStatusListEntry } from '../status/entry.js';

/** Payloads as UTF-8 bytes end to end: payload i is `bytes` from `ends[i - 1]` (0 for the first) to `ends[i]`. */
export interface EncodedPayloads {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

// Placeholders split the JSON of a probe credential into constant pieces; neither can occur in a
// DID, a type name or a date, and the subject and status keys occur once.
const probeId = 'urn:uuid:00000000-0000-4000-8000-000000000000';
const probeIdJson = JSON.stringify(probeId);
const probeSubject = '"credentialSubject":{}';
const probeStatus = '"credentialStatus":[]';

/**
 * An encoder of many credentials sharing type, issuer, validity and issuance time: payload i is exactly
 * the UTF-8 of `JSON.stringify(buildCredential({ ...common, id: ids[i], subject: subjects[i], status }))`
 * where `statusJson(i)` is `JSON.stringify(status)`. It is made from the JSON of one probe credential,
 * so it follows `buildCredential`'s property order by construction.
 * @throws CredledgerError SCHEMA_INVALID as `buildCredential` does: for the common part when made, for
 *   an id that is not a lowercase `urn:uuid:` when called
 */
export function credentialPayloadEncoder(
  common: CredentialCommon,
): (
  ids: readonly string[],
  subjects: readonly CredentialSubject[],
  statusJson: (index: number) => string,
) => EncodedPayloads {
  const probe = JSON.stringify(buildCredential({ ...common, id: probeId, subject: {}, status: [] }));
  const [beforeId = '', afterId = '', afterJti = '', ...extra] = probe.split(probeIdJson);
  const [middle = '', afterSubject = '', ...extraSubject] = afterId.split(probeSubject);
  const [between = '', afterStatus = '', ...extraStatus] = afterSubject.split(probeStatus);
  if (extra.length > 0 || extraSubject.length > 0 || extraStatus.length > 0) {
    // Never expected; stay correct rather than fast.
    return (ids, subjects, statusJson) =>
      encodeTexts(
        ids.map((id, i) =>
          JSON.stringify(
            buildCredential({
              ...common,
              id,
              subject: subjects[i] ?? {},
              status: JSON.parse(statusJson(i)) as readonly BitstringStatusListEntry[],
            }),
          ),
        ),
      );
  }
  // The constant pieces, with the quotes around the id (an id that passes isCredentialId needs no escaping).
  const [first, second, third, fourth, last] = [
    `${beforeId}"`,
    `"${middle}"credentialSubject":`,
    `${between}"credentialStatus":`,
    `${afterStatus}"`,
    `"${afterJti}`,
  ].map((piece) => Buffer.from(piece, 'utf8')) as [Buffer, Buffer, Buffer, Buffer, Buffer];
  const fixed = first.length + second.length + third.length + fourth.length + last.length;
  return (ids, subjects, statusJson) => {
    let bytes = Buffer.allocUnsafeSlow(ids.length * (fixed + 2048));
    const ends = new Uint32Array(ids.length);
    let at = 0;
    const put = (piece: Buffer): void => {
      bytes.set(piece, at);
      at += piece.length;
    };
    ids.forEach((id, i) => {
      if (!isCredentialId(id))
        throw new CredledgerError('SCHEMA_INVALID', 'a credential id must be a lowercase urn:uuid:', {
          details: { field: 'id', problem: 'pattern' },
        });
      const subject = JSON.stringify(subjects[i] ?? {});
      const status = statusJson(i);
      // A UTF-16 unit is at most 3 bytes of UTF-8.
      const most = fixed + 2 * id.length + 3 * (subject.length + status.length);
      if (at + most > bytes.length) {
        const larger = Buffer.allocUnsafeSlow(Math.max(2 * bytes.length, at + most));
        bytes.copy(larger, 0, 0, at);
        bytes = larger;
      }
      put(first);
      at += bytes.write(id, at, 'latin1');
      put(second);
      at += bytes.write(subject, at, 'utf8');
      put(third);
      at += bytes.write(status, at, 'utf8');
      put(fourth);
      at += bytes.write(id, at, 'latin1');
      put(last);
      ends[i] = at;
    });
    return { bytes: bytes.subarray(0, at), ends };
  };
}

/** Texts as `EncodedPayloads`. */
export function encodeTexts(texts: readonly string[]): EncodedPayloads {
  const ends = new Uint32Array(texts.length);
  const parts = texts.map((text) => Buffer.from(text, 'utf8'));
  let at = 0;
  parts.forEach((part, i) => (ends[i] = at += part.length));
  return { bytes: Buffer.concat(parts, at), ends };
}

/** Each payload as base64url, the encoded payload part of its JWS. */
export function base64urlPayloads({ bytes, ends }: EncodedPayloads): string[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  let start = 0;
  for (const end of ends) {
    out.push(buffer.toString('base64url', start, end));
    start = end;
  }
  return out;
}
