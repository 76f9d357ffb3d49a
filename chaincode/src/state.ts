/**
 * Keys and serialisation of ledger state. Every endorsing peer must produce identical bytes, so
 * JSON is written with recursively sorted keys and time comes only from the transaction header.
 * @see https://hyperledger-fabric.readthedocs.io/en/release-2.5/chaincode4ade.html#json-determinism
 */
import type { Context } from 'fabric-contract-api';

type Stub = Context['stub'];

/** Object types of the composite keys this chaincode writes. */
export const objectTypes = {
  config: 'config',
  issuer: 'issuer',
  credential: 'credential',
  /** Index: `credential-by-issuer` + issuer DID + credential id → credential id, for paginated listing. */
  credentialByIssuer: 'credential-by-issuer',
  /** `subject-holder` + issuer DID + subject digest → SubjectHolderRecord (one ACTIVE credential per subject). */
  subjectHolder: 'subject-holder',
} as const;

export const configKey = (stub: Stub): string => stub.createCompositeKey(objectTypes.config, ['registry']);
export const issuerKey = (stub: Stub, did: string): string => stub.createCompositeKey(objectTypes.issuer, [did]);
export const credentialKey = (stub: Stub, id: string): string => stub.createCompositeKey(objectTypes.credential, [id]);
export const credentialByIssuerKey = (stub: Stub, did: string, id: string): string =>
  stub.createCompositeKey(objectTypes.credentialByIssuer, [did, id]);
export const subjectHolderKey = (stub: Stub, did: string, subjectDigest: string): string =>
  stub.createCompositeKey(objectTypes.subjectHolder, [did, subjectDigest]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A copy of `value` with every object's keys in code-unit order; arrays keep their order. */
export function sortKeys(value: unknown): Json {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number in ledger JSON');
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
      throw new TypeError(`${typeof value} cannot be stored as ledger JSON`);
    }
    return value as Json;
  }
  if (Array.isArray(value)) return value.map(sortKeys);
  const sorted: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    // Optional members that are absent are left out, as JSON.stringify would.
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}

/** Canonical JSON text: sorted keys, no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** Canonical JSON bytes for `putState` and event payloads (the stub reads a string payload as base64). */
export function marshal(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/** Parses a stored value this chaincode wrote; `T` is the caller's knowledge of what it stored under that key. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the type names the stored shape
export function unmarshal<T>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

/** Reads and parses a key; `undefined` when absent (a peer answers a missing key with zero bytes). */
export async function readJson<T>(stub: Stub, key: string): Promise<T | undefined> {
  const bytes = await stub.getState(key);
  return bytes.length === 0 ? undefined : unmarshal<T>(bytes);
}

export async function writeJson(stub: Stub, key: string, value: unknown): Promise<void> {
  await stub.putState(key, marshal(value));
}

/** A protobuf Timestamp as the shim hands it out: `seconds` is a Long (≥ 2.5.4) or a plain number. */
export interface TimestampLike {
  seconds: number | string | { toNumber(): number };
  nanos: number;
}

function secondsOf(seconds: TimestampLike['seconds']): number {
  if (typeof seconds === 'number') return seconds;
  if (typeof seconds === 'string') return Number(seconds);
  return seconds.toNumber();
}

/** ISO 8601 UTC with milliseconds of a protobuf timestamp (deterministic: no clock involved). */
export function isoFromTimestamp(timestamp: TimestampLike): string {
  const millis = secondsOf(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1_000_000);
  return new Date(millis).toISOString();
}

/** The transaction time: the client's proposal timestamp, identical on every endorser. */
export function txTime(stub: Stub): string {
  return isoFromTimestamp(stub.getTxTimestamp());
}
