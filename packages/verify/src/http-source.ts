/**
 * Status source over the read-only HTTP API of `credledger serve` (docs/api.md). Uses `fetch`, so it
 * runs in browsers and Node alike. Every answer is parsed as untrusted JSON.
 */
import { KeyCache } from './jws.js';
import { parseCredentialRecord, parseIsoTime, parseIssuerRecord } from './records.js';
import {
  StatusSourceError,
  type IssuerLookup,
  type StatusLookup,
  type StatusRequest,
  type StatusSource,
} from './status-source.js';

export interface HttpStatusSourceOptions {
  /** Base URL of a `credledger serve` instance, e.g. `https://verify.moj.gov.tw`. */
  readonly baseUrl: string;
  /** `fetch` to use; default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  /** Per-request timeout; default 10 s. */
  readonly timeoutMs?: number;
}

/** Largest JSON answer read (an issuer with many keys is a few KB). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

class HttpStatusSource implements StatusSource {
  readonly kind = 'http';
  readonly keys = new KeyCache();
  private readonly base: string;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly timeoutMs: number;

  constructor(options: HttpStatusSourceOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    const f = options.fetch ?? globalThis.fetch;
    // Bound to globalThis: browsers refuse `fetch` called on another receiver.
    this.fetchFn = (input, init) => f.call(globalThis, input, init);
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** GETs JSON; undefined on 404. Fails: StatusSourceError on network errors, other statuses, bad JSON. */
  private async getJson(path: string): Promise<Record<string, unknown> | undefined> {
    const url = `${this.base}${path}`;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new StatusSourceError('STATUS_SOURCE_UNAVAILABLE', `GET ${url} failed`, { cause: error });
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw new StatusSourceError('STATUS_SOURCE_UNAVAILABLE', `GET ${url}: HTTP ${response.status}`);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new StatusSourceError('STATUS_SOURCE_UNAVAILABLE', `GET ${url}: body unreadable`, { cause: error });
    }
    if (text.length > MAX_RESPONSE_BYTES)
      throw new StatusSourceError('STATUS_SOURCE_UNAVAILABLE', `GET ${url}: answer too large`);
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      return value as Record<string, unknown>;
    } catch (error) {
      throw new StatusSourceError('STATUS_SOURCE_UNAVAILABLE', `GET ${url}: not JSON`, { cause: error });
    }
  }

  private asOf(body: Record<string, unknown>, url: string): string {
    if (parseIsoTime(body.asOf) === undefined)
      throw new StatusSourceError('STATUS_SOURCE_UNAVAILABLE', `${url}: asOf missing`);
    return body.asOf as string;
  }

  async getIssuer(did: string, now: Date): Promise<IssuerLookup> {
    const path = `/api/v1/issuers/${encodeURIComponent(did)}`;
    const body = await this.getJson(path);
    if (!body) return { issuer: undefined, asOf: now.toISOString() };
    const issuer = parseIssuerRecord(body.record);
    if (!issuer || issuer.did !== did)
      throw new StatusSourceError('STATUS_SOURCE_UNAVAILABLE', `${path}: not an issuer record for ${did}`);
    return { issuer, asOf: this.asOf(body, path) };
  }

  async getStatus(request: StatusRequest): Promise<StatusLookup> {
    const path = `/api/v1/credentials/${encodeURIComponent(request.id)}`;
    const body = await this.getJson(path);
    if (!body) return { kind: 'record', record: null, asOf: request.now.toISOString() };
    const record = parseCredentialRecord(body.record);
    if (!record || record.id !== request.id)
      throw new StatusSourceError('STATUS_SOURCE_UNAVAILABLE', `${path}: not a credential record`);
    return { kind: 'record', record, asOf: this.asOf(body, path) };
  }
}

/**
 * Creates a status source reading `credledger serve`'s API: `GET {base}/api/v1/issuers/{did}` and
 * `GET {base}/api/v1/credentials/{id}` (docs/api.md). Network failures and non-404 errors make the
 * verdict UNVERIFIABLE (reason STATUS_SOURCE_UNAVAILABLE).
 *
 * @example
 * const result = await verifyCredential(link, { status: httpStatusSource({ baseUrl: 'https://verify.moj.gov.tw' }) });
 */
export function httpStatusSource(options: HttpStatusSourceOptions): StatusSource {
  return new HttpStatusSource(options);
}
