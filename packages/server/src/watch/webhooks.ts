/**
 * Webhook delivery for credential status changes: signed HTTPS POSTs, in order per subscription,
 * retried with exponential backoff, dead-lettered after repeated failure, at least once (a receiver
 * drops repeats by `Idempotency-Key`).
 *
 * Signature (docs/tracking.md): header `Credledger-Signature: t=<unix seconds>,kid=<key id>,sig=<base64url>`
 * where `sig` is an Ed25519 signature over the ASCII bytes `<t>.` followed by the exact request body.
 * The server's public keys are a JWK Set at `/.well-known/credledger-webhook-keys.json`; `kid` is the
 * key's RFC 7638 thumbprint. Asymmetric, so the server holds no secret shared with any receiver.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8037 (Ed25519 JWKs)
 * @see https://www.rfc-editor.org/rfc/rfc7638 (JWK thumbprint)
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { open, readFile, rename } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { join } from 'node:path';

import { CredledgerError } from '@credledger/verify';

/** Name of the signature header. */
export const signatureHeader = 'Credledger-Signature';
/** Where `serve --tracking` publishes its webhook public keys (a JWK Set). */
export const webhookKeysPath = '/.well-known/credledger-webhook-keys.json';

/** An Ed25519 public key as a JWK, with its thumbprint as `kid`. */
export interface WebhookPublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

/** The server's webhook signing key. */
export interface WebhookSigningKey {
  readonly privateKey: KeyObject;
  readonly publicJwk: WebhookPublicJwk;
}

/** Wraps an Ed25519 private key. Throws CONFIG_INVALID for any other kind of key. */
export function webhookSigningKey(privateKey: KeyObject): WebhookSigningKey {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new CredledgerError('CONFIG_INVALID', 'the webhook signing key must be an Ed25519 private key');
  }
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as { x?: string };
  const x = jwk.x ?? '';
  // RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
  const kid = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
  return { privateKey, publicJwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' } };
}

/**
 * Loads the signing key kept in `<stateDir>/webhook-signing-key.pem`, creating it (mode 0600) on first use.
 * Fails: CONFIG_INVALID when the file exists but is not an Ed25519 private key.
 */
export async function loadOrCreateWebhookSigningKey(stateDir: string): Promise<WebhookSigningKey> {
  const path = join(stateDir, 'webhook-signing-key.pem');
  let pem: string | undefined;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new CredledgerError('CONFIG_INVALID', `cannot read ${path}`, { cause: error });
  }
  if (pem !== undefined) {
    try {
      return webhookSigningKey(createPrivateKey(pem));
    } catch (error) {
      throw new CredledgerError('CONFIG_INVALID', `${path} is not an Ed25519 private key`, {
        cause: error,
        details: { path },
      });
    }
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const text = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  return webhookSigningKey(privateKey);
}

/** The signature header value for `body` sent at `timestampSeconds`. */
export function signWebhook(body: string, key: WebhookSigningKey, timestampSeconds: number): string {
  const signature = sign(null, Buffer.from(`${timestampSeconds}.${body}`, 'utf8'), key.privateKey).toString(
    'base64url',
  );
  return `t=${timestampSeconds},kid=${key.publicJwk.kid},sig=${signature}`;
}

/** Why a webhook signature was refused. */
export type WebhookSignatureProblem = 'MALFORMED_HEADER' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE' | 'STALE_TIMESTAMP';

export type WebhookSignatureCheck =
  | { readonly valid: true; readonly kid: string; readonly timestamp: number }
  | { readonly valid: false; readonly problem: WebhookSignatureProblem };

export interface VerifyWebhookSignatureInput {
  /** The request body exactly as received (bytes or the UTF-8 string). */
  readonly body: string | Uint8Array;
  /** The `Credledger-Signature` header value. */
  readonly header: string | undefined;
  /** The server's published keys: the JWK Set from its well-known path, or its `keys` array. */
  readonly keys: { readonly keys: readonly unknown[] } | readonly unknown[];
  /** Current time in ms (default `Date.now()`). */
  readonly now?: number;
  /** Largest accepted age or skew of `t` (default 300 s), so a captured request cannot be replayed later. */
  readonly toleranceSeconds?: number;
}

/**
 * Checks a webhook's origin, for receivers: the signature must verify with one of the server's
 * published keys, over `<t>.<body>`, and `t` must be within `toleranceSeconds` of now.
 * Returns data, never throws.
 * @example
 * const keys = await (await fetch(`${server}/.well-known/credledger-webhook-keys.json`)).json();
 * const check = verifyWebhookSignature({ body: rawBody, header: req.headers['credledger-signature'], keys });
 * if (!check.valid) return res.writeHead(401).end();
 */
export function verifyWebhookSignature(input: VerifyWebhookSignatureInput): WebhookSignatureCheck {
  const parts = new Map<string, string>();
  for (const piece of (input.header ?? '').split(',')) {
    const at = piece.indexOf('=');
    if (at > 0) parts.set(piece.slice(0, at).trim(), piece.slice(at + 1).trim());
  }
  const t = parts.get('t');
  const kid = parts.get('kid');
  const sig = parts.get('sig');
  if (
    t === undefined ||
    !/^\d{1,12}$/.test(t) ||
    kid === undefined ||
    sig === undefined ||
    !/^[A-Za-z0-9_-]{86}$/.test(sig)
  ) {
    return { valid: false, problem: 'MALFORMED_HEADER' };
  }
  const list = Array.isArray(input.keys) ? input.keys : (input.keys as { keys: readonly unknown[] }).keys;
  const jwk = (Array.isArray(list) ? list : []).find(
    (candidate): candidate is { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string } =>
      typeof candidate === 'object' &&
      candidate !== null &&
      (candidate as { kid?: unknown }).kid === kid &&
      (candidate as { crv?: unknown }).crv === 'Ed25519',
  );
  if (jwk === undefined) return { valid: false, problem: 'UNKNOWN_KEY' };
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  } catch {
    return { valid: false, problem: 'UNKNOWN_KEY' };
  }
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : Buffer.from(input.body);
  const message = Buffer.concat([Buffer.from(`${t}.`, 'ascii'), body]);
  if (!verify(null, message, publicKey, Buffer.from(sig, 'base64url')))
    return { valid: false, problem: 'BAD_SIGNATURE' };
  const timestamp = Number(t);
  const tolerance = input.toleranceSeconds ?? 300;
  if (Math.abs((input.now ?? Date.now()) / 1000 - timestamp) > tolerance)
    return { valid: false, problem: 'STALE_TIMESTAMP' };
  return { valid: true, kid, timestamp };
}

/** Which webhook URLs are accepted, and where deliveries may connect. */
export interface WebhookUrlPolicy {
  /**
   * Accept `http://` to loopback hosts (127.0.0.1, [::1], localhost) and let deliveries connect to
   * loopback addresses: development and tests only. Default false: HTTPS to public addresses only.
   */
  readonly allowLoopbackHttp?: boolean;
  /** Let deliveries connect to private and link-local addresses (an intranet receiver). Default false. */
  readonly allowPrivateNetworks?: boolean;
}

const loopbackHosts: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Checks a subscriber's webhook URL. Throws INVALID_INPUT with the reason. */
export function checkWebhookUrl(text: string, policy: WebhookUrlPolicy = {}): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CredledgerError('INVALID_INPUT', 'the webhook URL is not a URL');
  }
  if (text.length > 2048) throw new CredledgerError('INVALID_INPUT', 'the webhook URL is longer than 2048 characters');
  if (url.username !== '' || url.password !== '')
    throw new CredledgerError('INVALID_INPUT', 'the webhook URL may not carry credentials');
  if (url.hash !== '') throw new CredledgerError('INVALID_INPUT', 'the webhook URL may not carry a fragment');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && policy.allowLoopbackHttp === true && loopbackHosts.has(url.hostname)) return url;
  throw new CredledgerError('INVALID_INPUT', 'webhook URLs must use https://');
}

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['::', 128],
  ['::ffff:0:0', 96],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** May a delivery connect to `address`? Public addresses always; the others only as the policy allows. */
export function addressAllowed(address: string, policy: WebhookUrlPolicy): boolean {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (loopback.check(address, family)) return policy.allowLoopbackHttp === true;
  if (blocked.check(address, family)) return policy.allowPrivateNetworks === true;
  return true;
}

/**
 * A DNS lookup that refuses addresses the policy forbids, checked at connect time so a name that
 * resolves to an internal address (or re-resolves to one later) cannot turn the server into a proxy.
 */
function guardedLookup(policy: WebhookUrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const list = Array.isArray(addresses) ? addresses : [];
      const allowed = list.filter((entry) => addressAllowed(entry.address, policy));
      if (allowed.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves to no address a webhook may reach`), {
          code: 'EADDRNOTALLOWED',
        });
        callback(refused, '', 0);
        return;
      }
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
        return;
      }
      const first = allowed[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/** The outcome of one POST. */
export interface DeliveryAttempt {
  readonly ok: boolean;
  /** HTTP status, or 0 when no response came. */
  readonly status: number;
  /** Short reason for operators (`HTTP 503`, `ECONNREFUSED`, `timeout`). */
  readonly error: string | null;
}

export interface PostOptions {
  readonly timeoutMs: number;
  readonly policy: WebhookUrlPolicy;
  readonly signal?: AbortSignal;
}

/** POSTs one signed body. A 2xx answer is success; anything else (or no answer) a failure to retry. */
export function postWebhook(
  url: URL,
  body: string,
  headers: Readonly<Record<string, string>>,
  options: PostOptions,
): Promise<DeliveryAttempt> {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !addressAllowed(host, options.policy)) {
      resolve({ ok: false, status: 0, error: 'EADDRNOTALLOWED' });
      return;
    }
    let settled = false;
    const finish = (attempt: DeliveryAttempt): void => {
      if (settled) return;
      settled = true;
      resolve(attempt);
    };
    const request = send(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(body)),
          'User-Agent': 'credledger-webhooks/1',
        },
        lookup: guardedLookup(options.policy),
        timeout: options.timeoutMs,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        // The answer's body means nothing to us; read (and drop) a little of it so the socket can be reused.
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 64 * 1024) response.destroy();
        });
        response.on('end', () => {
          finish({
            ok: status >= 200 && status < 300,
            status,
            error: status >= 200 && status < 300 ? null : `HTTP ${status}`,
          });
        });
        response.on('error', () => {
          finish({
            ok: status >= 200 && status < 300,
            status,
            error: status >= 200 && status < 300 ? null : `HTTP ${status}`,
          });
        });
        response.on('close', () => {
          finish({
            ok: status >= 200 && status < 300,
            status,
            error: status >= 200 && status < 300 ? null : `HTTP ${status}`,
          });
        });
      },
    );
    request.on('timeout', () => {
      request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish({ ok: false, status: 0, error: error.code ?? error.message });
    });
    request.end(body);
  });
}

/** Backoff before attempt `attempts + 1`: doubling from `initialMs`, capped at `maxMs`, ±20 % jitter. */
export function backoffMs(
  attempts: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
