/**
 * Format 0x03: the credledger `vc+jwt` template. A credential built by packages/issuer/src/credentials has a fixed
 * envelope (header, `@context`, `type`, the `iss/jti/nbf/exp` mirrors, two Bitstring status entries),
 * so only its values travel: a 16-byte UUID, then, deflated with dictionary 1,
 * `alg ␀ kid ␀ type ␀ issuer ␀ nbf ␀ exp − nbf ␀ iat − nbf ␀ status list base ␀ revocation index ␀ suspension index ␀ credentialSubject JSON`.
 * The subject rides verbatim, so any credential type fits without code. The encoder only uses this
 * form when rebuilding gives back the exact header and payload bytes; otherwise the caller falls back
 * to plain deflate (0x01). Browser-safe.
 */

const contexts = '["https://www.w3.org/ns/credentials/v2","https://credledger.org/ns/v1"]';
const uuidUrn = /^urn:uuid:([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/;
const integer = /^(?:0|-?[1-9][0-9]{0,15})$/;
const separator = '\u0000';

/** The values the template does not know. */
export interface TemplateValues {
  readonly uuid: Uint8Array;
  readonly stream: string;
}

function isoSeconds(numericDate: number): string | undefined {
  const date = new Date(numericDate * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace('.000Z', 'Z');
}

function uuidToBytes(id: string): Uint8Array | undefined {
  const m = uuidUrn.exec(id);
  if (!m) return undefined;
  const hex = m.slice(1).join('');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytesToUuid(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Rebuilds header and payload JSON text from template values; `undefined` when the values are not
 * well-formed (a damaged or forged link).
 */
export function rebuildFromTemplate(uuid: Uint8Array, stream: string): { header: string; payload: string } | undefined {
  const parts = stream.split(separator);
  if (parts.length < 11) return undefined;
  const [alg, kid, type, issuer, nbf, expDelta, iatDelta, statusBase, revocation, suspension] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  // The subject is the rest: a separator cannot occur in JSON text, but keep the split lossless anyway.
  const subject = parts.slice(10).join(separator);
  if (
    ![nbf, iatDelta, revocation, suspension].every((n) => integer.test(n)) ||
    (expDelta !== '' && !integer.test(expDelta))
  )
    return undefined;
  // Validity and issuance are sent relative to nbf: common spans (1 or 10 years) are then dictionary matches.
  const iat = String(Number(nbf) + Number(iatDelta));
  const exp = expDelta === '' ? '' : String(Number(nbf) + Number(expDelta));
  const validFrom = isoSeconds(Number(nbf));
  const validUntil = exp === '' ? null : isoSeconds(Number(exp));
  if (validFrom === undefined || validUntil === undefined) return undefined;
  const id = bytesToUuid(uuid);
  const s = JSON.stringify;
  const entry = (purpose: string, index: string): string => {
    const list = `${statusBase}/${purpose}`;
    return `{"id":${s(`${list}#${index}`)},"type":"BitstringStatusListEntry","statusPurpose":${s(purpose)},"statusListIndex":${s(index)},"statusListCredential":${s(list)}}`;
  };
  const header = `{"alg":${s(alg)},"typ":"vc+jwt","kid":${s(kid)}}`;
  const payload =
    `{"@context":${contexts},"type":["VerifiableCredential",${s(type)}],"id":${s(id)},"issuer":${s(issuer)},` +
    `"validFrom":${s(validFrom)},${validUntil === null ? '' : `"validUntil":${s(validUntil)},`}` +
    `"credentialSubject":${subject},"credentialStatus":[${entry('revocation', revocation)},${entry('suspension', suspension)}],` +
    `"iss":${s(issuer)},"jti":${s(id)},"iat":${iat},"nbf":${nbf}${exp === '' ? '' : `,"exp":${exp}`}}`;
  return { header, payload };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The template values of a credential, or `undefined` when it does not have exactly the template's
 * shape (then rebuilding could not give back its bytes).
 */
export function toTemplate(headerText: string, payloadText: string): TemplateValues | undefined {
  let header: Record<string, unknown> | undefined;
  let payload: Record<string, unknown> | undefined;
  try {
    header = record(JSON.parse(headerText));
    payload = record(JSON.parse(payloadText));
  } catch {
    return undefined;
  }
  if (header === undefined || payload === undefined) return undefined;
  const { alg, kid } = header;
  const { type, id, issuer, iat, nbf, exp, credentialSubject, credentialStatus } = payload;
  if (typeof alg !== 'string' || typeof kid !== 'string' || typeof issuer !== 'string' || typeof id !== 'string')
    return undefined;
  if (!Array.isArray(type) || type.length !== 2 || typeof type[1] !== 'string') return undefined;
  if (typeof iat !== 'number' || typeof nbf !== 'number' || (exp !== undefined && typeof exp !== 'number'))
    return undefined;
  if (record(credentialSubject) === undefined || !Array.isArray(credentialStatus) || credentialStatus.length !== 2)
    return undefined;
  const revocation = record(credentialStatus[0]);
  const suspension = record(credentialStatus[1]);
  const list = revocation?.statusListCredential;
  if (typeof list !== 'string' || !list.endsWith('/revocation')) return undefined;
  const uuid = uuidToBytes(id);
  if (uuid === undefined) return undefined;
  const stream = [
    alg,
    kid,
    type[1],
    issuer,
    String(nbf),
    exp === undefined ? '' : String(exp - nbf),
    String(iat - nbf),
    list.slice(0, -'/revocation'.length),
    String(revocation?.statusListIndex),
    String(suspension?.statusListIndex),
    JSON.stringify(credentialSubject),
  ].join(separator);
  // The only test that matters: the template gives back exactly these bytes.
  const rebuilt = rebuildFromTemplate(uuid, stream);
  return rebuilt?.header === headerText && rebuilt.payload === payloadText ? { uuid, stream } : undefined;
}
