/**
 * Offline support. The page's own files are served from the cache (installed with this worker); status
 * data (config, API answers, trust list, status lists) always goes to the network first and falls back
 * to the last copy, and then the page is told which answers came from the cache so it can say their age.
 * A file or link shared to the installed page from the phone's share sheet is received here and kept on
 * the device for the page (main.ts) to verify.
 */
import { SHARE_ACTION, SHARE_CACHE, SHARED_QUERY } from './share-target.js';

declare const __SHELL_FILES__: string[];
declare const __ON_DEMAND_FILES__: string[];
declare const __SHELL_VERSION__: string;

interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  readonly clientId: string;
  respondWith(response: Promise<Response>): void;
}
interface ClientLike {
  postMessage(message: unknown): void;
}
interface WorkerScope {
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void>; get(id: string): Promise<ClientLike | undefined> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
}

const scope = self as unknown as WorkerScope;
const SHELL_CACHE = `credledger-shell-${__SHELL_VERSION__}`;
const DATA_CACHE = 'credledger-data-v1';
/** Most status answers kept for offline use; the oldest go first. */
const MAX_DATA_ENTRIES = 200;
/** A status source slower than this counts as unreachable, and the cached copy is used. */
const NETWORK_TIMEOUT_MS = 6000;
/** Header carrying when a data response was stored, so a cached answer can be dated. */
const STORED_AT = 'x-credledger-stored-at';

const base = new URL(scope.registration.scope);
const shellUrls: ReadonlySet<string> = new Set(__SHELL_FILES__.map((name) => new URL(name, base).href));
/** Files of this version the page loads only when asked (the QR reader): cached on first use. */
const onDemandUrls: ReadonlySet<string> = new Set(__ON_DEMAND_FILES__.map((name) => new URL(name, base).href));
/** The manifest's `share_target` action; main.ts takes what was shared from SHARE_CACHE under this URL. */
const shareUrl = new URL(SHARE_ACTION, base).href;

scope.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll([base.href, ...shellUrls]))
      .then(() => scope.skipWaiting()),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith('credledger-shell-') && key !== SHELL_CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => scope.clients.claim()),
  );
});

scope.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method === 'POST' && request.url === shareUrl) {
    event.respondWith(receiveShare(request));
    return;
  }
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== base.origin) return;
  // Tracking is live or nothing: an event stream never ends (so it cannot be stored), and an old
  // answer about whether the server tracks would be wrong.
  if (/\/api\/v1\/(watch|tracking|subscriptions)(\/|$)/.test(url.pathname)) return;
  // Requests to wallets are live, and their outcomes hold personal data: never stored on the device.
  if (/\/oid4vp\//.test(url.pathname)) return;
  if (request.mode === 'navigate' || shellUrls.has(url.href) || url.href === base.href) {
    event.respondWith(fromShell(request));
    return;
  }
  if (onDemandUrls.has(url.href)) {
    event.respondWith(onFirstUse(request));
    return;
  }
  event.respondWith(networkFirst(request, event.clientId));
});

/**
 * A share from the phone's share sheet (manifest.webmanifest): the first shared file, else the shared
 * link or text, is kept in a cache of its own, replacing any earlier share, and the page is opened with
 * `?shared` to verify it. It goes no further than this device.
 * @see https://w3c.github.io/web-share-target/level-2/#share_target-member
 */
async function receiveShare(request: Request): Promise<Response> {
  const cache = await caches.open(SHARE_CACHE);
  await cache.delete(shareUrl);
  const form = await request.formData().catch(() => undefined);
  const file = form?.getAll('file').find((value) => value instanceof File);
  const text = ['url', 'text'].map((name) => form?.get(name)).find((v) => typeof v === 'string' && v.trim() !== '');
  const shared = file ?? text;
  if (shared !== undefined)
    await cache.put(shareUrl, new Response(shared, { headers: { 'x-shared': file ? 'file' : 'text' } }));
  return Response.redirect(new URL(`./?${SHARED_QUERY}`, base).href, 303);
}

async function fromShell(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const key = request.mode === 'navigate' ? base.href : request.url;
  const hit = await cache.match(key, { ignoreSearch: request.mode === 'navigate' });
  return hit ?? fetch(request);
}

/** An on-demand file: from the shell cache once it has been used, else fetched and kept there. */
async function onFirstUse(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(request.url);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request.url, response.clone());
  return response;
}

async function networkFirst(request: Request, clientId: string): Promise<Response> {
  const cache = await caches.open(DATA_CACHE);
  try {
    // A timeout aborts the request itself, so a slow answer is not left downloading.
    const response = await fetch(request, { signal: AbortSignal.timeout(NETWORK_TIMEOUT_MS) });
    // Only good answers are kept: a 404 or 503 must not replace the last good copy.
    if (response.ok) {
      const headers = new Headers(response.headers);
      headers.set(STORED_AT, new Date().toISOString());
      const body = await response.clone().arrayBuffer();
      await cache.put(
        request,
        new Response(body, { status: response.status, statusText: response.statusText, headers }),
      );
      await trim(cache);
    }
    return response;
  } catch (error) {
    const hit = await cache.match(request);
    if (!hit) throw error;
    const client = clientId ? await scope.clients.get(clientId) : undefined;
    client?.postMessage({ type: 'served-from-cache', url: request.url, storedAt: hit.headers.get(STORED_AT) });
    return hit;
  }
}

async function trim(cache: Cache): Promise<void> {
  const keys = await cache.keys();
  // Cache keys come back in insertion order; a re-put moves nothing, which is close enough for a bound.
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_DATA_ENTRIES))) await cache.delete(key);
}
