/**
 * Everything outside the API: the published files at their credential URLs (`/status/…`,
 * `/trust-list…`), did:web documents at their own paths, the credential types' JSON Schemas at the
 * `credentialSchema` URLs SD-JWT credentials name (`/schemas/<type>`), and the verifier page with its config.
 */
import { credentialTypes } from '@credledger/verify';
import { credentialJsonSchema } from '@credledger/verify/formats';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { API_PREFIX, didJson, type ServerRegistry } from './api-routes.js';
import { JSON_TYPE, sendAnswer, type Answer } from './answer.js';
import { didWebLocation } from './did-documents.js';
import type { HeaderPolicy } from './headers.js';
import { HttpError } from './http-error.js';
import { jsonBody } from './json-body.js';
import { readKeys } from './ledger-follower.js';
import type { PublishedFiles } from './published-files.js';
import type { ReadCache } from './read-cache.js';
import { pathOf } from './request-path.js';
import type { StaticFile } from './static-site.js';

export interface SiteContext {
  readonly registry: ServerRegistry;
  readonly reads: ReadCache;
  readonly published: PublishedFiles;
  readonly policy: HeaderPolicy;
  /** The verifier page's files by URL path; empty when the server has no page. */
  readonly site: ReadonlyMap<string, StaticFile>;
  /** The server verifies presentations from wallets (`serve --wallet`): the page may ask one. */
  readonly asksWallets: boolean;
}

/**
 * The page's share target (`share_target.action` in verifier-web's manifest.webmanifest). The page's
 * service worker takes the POST on the device; one reaches the server only from a phone where the worker
 * is not installed yet (decision 0034).
 */
export const SHARE_PATH = '/share';

/**
 * The answer to a share POST: the page, told by `?shared` that a share was meant for it (it says to
 * share again). The body, a file the user shared, is never read.
 */
export const shareNotReceived: Answer = {
  status: 303,
  body: 'This page receives shared files on the device; open it once, then share again.\n',
  contentType: 'text/plain; charset=utf-8',
  headers: { Location: './?shared', 'Cache-Control': 'no-store' },
};

/** True for the paths of published data (CORS-readable like the API). */
export function isDataPath(path: string): boolean {
  return (
    path.startsWith('/status/') ||
    path.startsWith('/schemas/') ||
    path.endsWith('/did.json') ||
    path === '/trust-list' ||
    path.startsWith('/trust-list.')
  );
}

/** Adds the catch-all GET route (and its HEAD) for what the API routes do not match. */
export function siteRoutes(app: FastifyInstance, context: SiteContext): void {
  const { registry, reads, published, policy, site } = context;
  // `presentationVerifier` (where the page asks wallets, relative to it) only where the routes are
  // mounted: the page shows its "request from a wallet" view where this says so (decision 0037).
  const pageConfig = jsonBody(context.asksWallets ? { statusApi: '.', presentationVerifier: '.' } : { statusApi: '.' });

  /** A did:web document at its own path, answered only when the Host header names the DID's host. */
  async function didWeb(request: FastifyRequest, path: string): Promise<Answer | undefined> {
    const host = (request.headers.host ?? '').toLowerCase();
    const { value: issuers } = await reads.get(readKeys.issuers, () => registry.listIssuers());
    const issuer = issuers.find((candidate) => {
      const location = didWebLocation(candidate.did);
      return location !== undefined && location.path === path && location.host === host;
    });
    return issuer ? didJson(issuer) : undefined;
  }

  app.get('/*', async (request, reply) => {
    const path = pathOf(request.url);
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
      throw new HttpError('NOT_FOUND', `no API route ${path.slice(API_PREFIX.length) || '/'}`);
    }
    if (path.startsWith('/status/')) {
      return sendAnswer(
        request,
        reply,
        await published.answer(decodeSegments(path.slice(1)).join('/')),
        'data',
        policy,
      );
    }
    if (path === '/trust-list' || path.startsWith('/trust-list.')) {
      return sendAnswer(
        request,
        reply,
        await published.answer(path.slice(1).replace(/\.(json|jwt)$/, '')),
        'data',
        policy,
      );
    }
    if (path.startsWith('/schemas/')) {
      const schema = schemaAnswer(path.slice('/schemas/'.length), `${request.protocol}://${request.host}${path}`);
      if (schema) return sendAnswer(request, reply, schema, 'data', policy);
    }
    if (path.endsWith('/did.json')) {
      const did = await didWeb(request, path);
      if (did) return sendAnswer(request, reply, did, 'data', policy);
    }
    const file = site.get(path === '/' ? '/index.html' : path);
    if (file) {
      const answer: Answer = {
        status: 200,
        body: file.body,
        contentType: file.contentType,
        etag: file.etag,
        gzip: await file.gzip,
        headers: { 'Cache-Control': 'no-cache' },
      };
      return sendAnswer(request, reply, answer, 'page', policy);
    }
    if (path === '/config.json' && site.size > 0) {
      // The page asks for its status source; a config.json in the web root overrides this one.
      const answer: Answer = {
        status: 200,
        body: pageConfig,
        contentType: JSON_TYPE,
        headers: { 'Cache-Control': 'no-cache' },
      };
      return sendAnswer(request, reply, answer, 'page', policy);
    }
    throw new HttpError('NOT_FOUND', `nothing at ${path}`);
  });
}

/** The JSON Schema of a credential type by its name, identified by the URL it was asked at; else undefined. */
function schemaAnswer(name: string, id: string): Answer | undefined {
  if (!Object.hasOwn(credentialTypes, name)) return undefined;
  const type = credentialTypes[name];
  if (type === undefined) return undefined;
  return {
    status: 200,
    body: jsonBody(credentialJsonSchema(type, id)),
    contentType: 'application/schema+json',
    // The types change with a release of credledger, not with the ledger.
    headers: { 'Cache-Control': 'public, max-age=3600' },
  };
}

function decodeSegments(path: string): string[] {
  try {
    return path.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError('BAD_REQUEST', 'bad percent-encoding in the path');
  }
}
