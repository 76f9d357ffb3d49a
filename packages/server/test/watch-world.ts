/**
 * Helpers of the tracking tests: credentials whose compact JWS is anchored (so holding can be proved),
 * a webhook receiver and an SSE client on loopback, all real HTTP.
 */
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { credentialDigest } from '@credledger/ledger';
import { anchorOf, newId, type World } from '../../issuer/test/registry-world.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** A compact JWS shaped like a credential (the tracking service checks its digest against the anchor, not its signature). */
export function credentialJws(id: string, issuerDid: string): string {
  return `${b64(JSON.stringify({ alg: 'ES256', typ: 'vc+jwt', kid: `${issuerDid}#key-1` }))}.${b64(JSON.stringify({ id, jti: id, iss: issuerDid, issuer: issuerDid }))}.${b64(`signature of ${id}`)}`;
}

/** Anchors `count` credentials of one issuer and returns their ids and JWS. */
export async function anchorHeld(
  world: World,
  operator: string,
  issuerDid: string,
  type: string,
  count: number,
): Promise<{ id: string; jws: string }[]> {
  const held = Array.from({ length: count }, () => {
    const id = newId();
    return { id, jws: credentialJws(id, issuerDid) };
  });
  await world.as(operator).issueCredentials({
    issuerDid,
    credentials: held.map(({ id, jws }) => anchorOf(issuerDid, type, { id, digest: credentialDigest(jws) })),
  });
  return held;
}

/** A request a receiver got. */
export interface Received {
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
}

/**
 * A webhook receiver on loopback that answers `status()` (200 by default) and records every request.
 * `waitFor(n)` resolves once `n` requests have arrived.
 */
export class Receiver {
  readonly received: Received[] = [];
  status: () => number = () => 200;
  /** Runs on every request before the answer (a test may kill a process there). */
  onRequest: (received: Received) => void = () => undefined;
  #server: Server | undefined;
  #waiters: { count: number; resolve: () => void }[] = [];
  port = 0;

  async listen(port = 0): Promise<string> {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = { body: Buffer.concat(chunks).toString('utf8'), headers: request.headers };
        this.received.push(received);
        this.onRequest(received);
        response.writeHead(this.status()).end();
        for (const waiter of [...this.#waiters]) {
          if (this.received.length >= waiter.count) {
            this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Idempotency keys in arrival order. */
  keys(): string[] {
    return this.received.map((r) => String(r.headers['idempotency-key']));
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  }
}

/** One Server-Sent Events message. */
export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

/** An SSE client over plain HTTP; `waitFor(n)` resolves once `n` messages with data have arrived. */
export class SseClient {
  readonly messages: SseMessage[] = [];
  /** The last `id:` the server sent, with or without data (what an EventSource sends back on reconnect). */
  lastEventId: string | undefined;
  status = 0;
  #buffer = '';
  #waiters: { count: number; resolve: () => void }[] = [];
  #request: ReturnType<typeof get> | undefined;

  open(url: string, headers: Record<string, string> = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#request = get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
        this.status = response.statusCode ?? 0;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          this.#buffer += chunk;
          this.#parse();
        });
        response.on('error', () => undefined);
        // Resolve once the stream is open (its first comment line has arrived) or refused.
        if (this.status !== 200)
          response.on('end', () => {
            resolve();
          });
        else
          response.once('data', () => {
            resolve();
          });
      });
      this.#request.on('error', reject);
    });
  }

  #parse(): void {
    let end: number;
    while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let id: string | undefined;
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const at = line.indexOf(':');
        const field = at < 0 ? line : line.slice(0, at);
        const value = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (id !== undefined) this.lastEventId = id;
      if (data.length > 0) this.messages.push({ id, event, data: data.join('\n') });
    }
    for (const waiter of [...this.#waiters]) {
      if (this.messages.length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  waitFor(count: number): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  close(): void {
    this.#request?.destroy();
  }
}

/** Sends JSON and returns the status and parsed body. */
export async function httpJson(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}
