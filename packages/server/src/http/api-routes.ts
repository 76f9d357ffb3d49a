/**
 * The read API under `/api/v1`: health, a credential's status by id, issuers and their DID documents,
 * and the published status lists and trust list. Every answer says how current it is (`asOf`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Registry } from '@credledger/ledger';
import type { IssuerRecord } from '@credledger/vocabulary';

import { issuerDidDocument } from '../did/did-document.js';
import { json, JSON_TYPE, sendAnswer, type Answer } from './answer.js';
import type { HeaderPolicy } from './headers.js';
import { HttpError } from './http-error.js';
import { jsonBody } from './json-body.js';
import { readKeys } from './ledger-follower.js';
import type { PublishedFiles } from './published-files.js';
import type { CachedRead, ReadCache } from './read-cache.js';

/** API paths are versioned; a breaking change gets `/api/v2`. */
export const API_PREFIX = '/api/v1';

/** The reads the server makes; a `Registry` over any Ledger (or a test double) provides them. */
export type ServerRegistry = Pick<Registry, 'getCredential' | 'getIssuer' | 'listIssuers'>;

/** What the routes read from and answer with. */
export interface ApiContext {
  readonly registry: ServerRegistry;
  readonly reads: ReadCache;
  readonly published: PublishedFiles;
  readonly policy: HeaderPolicy;
  readonly onError?: ((error: unknown, request: { method: string; url: string }) => void) | undefined;
}

/** Longest decoded path parameter (a credential id or a DID). */
const MAX_PARAM_LENGTH = 512;

const noCache: Readonly<Record<string, string>> = { 'Cache-Control': 'no-cache' };

/** When an answer is current: now, while the server follows the ledger and it has not changed; else its read time. */
function asOfOf(reads: ReadCache, read: CachedRead<unknown>): string {
  return read.followed && reads.isFollowing ? new Date().toISOString() : read.readAt;
}

/** The issuer's DID document (did:web `did.json`). */
export function didJson(issuer: IssuerRecord): Answer {
  return {
    status: 200,
    body: jsonBody(issuerDidDocument(issuer)),
    contentType: 'application/did+json',
    headers: noCache,
  };
}

/** Adds the API's GET routes (Fastify adds HEAD to each) to `app`. */
export function apiRoutes(app: FastifyInstance, context: ApiContext): void {
  const { reads, registry, published, policy } = context;
  type Params = Record<string, string>;
  const get = (path: string, answer: (params: Params) => Promise<Answer>): void => {
    app.get(`${API_PREFIX}${path}`, async (request: FastifyRequest, reply: FastifyReply) => {
      const params = request.params as Params;
      for (const value of Object.values(params)) {
        if (value.length > MAX_PARAM_LENGTH) throw new HttpError('BAD_REQUEST', 'path segment too long');
      }
      return sendAnswer(request, reply, await answer(params), 'api', policy);
    });
  };

  get('/health', async () => {
    try {
      const read = await reads.get(readKeys.issuers, () => registry.listIssuers());
      return json(200, { status: 'ok', ledger: 'reachable', asOf: asOfOf(reads, read) });
    } catch (error) {
      context.onError?.(error, { method: 'GET', url: '/health' });
      return json(
        503,
        { status: 'unavailable', ledger: 'unreachable', asOf: new Date().toISOString() },
        { 'Retry-After': '5' },
      );
    }
  });
  get('/credentials/:id', async ({ id = '' }) => {
    const read = await reads.get(
      readKeys.credential(id),
      () => registry.getCredential(id),
      (record) => record.id === id,
    );
    // The hot path: the record's text is made once per ledger read; the answer is the same as
    // jsonBody({ record, asOf }).
    read.text ??= JSON.stringify(read.value);
    const body = `{"record":${read.text},"asOf":"${asOfOf(reads, read)}"}\n`;
    return { status: 200, body, contentType: JSON_TYPE, headers: noCache };
  });
  get('/issuers', async () => {
    const read = await reads.get(readKeys.issuers, () => registry.listIssuers());
    return json(200, { issuers: read.value, asOf: asOfOf(reads, read) }, noCache);
  });
  get('/issuers/:did', async ({ did = '' }) => {
    const read = await reads.get(readKeys.issuer(did), () => registry.getIssuer(did));
    return json(200, { record: read.value, asOf: asOfOf(reads, read) }, noCache);
  });
  get('/issuers/:did/did.json', async ({ did = '' }) => {
    const { value } = await reads.get(readKeys.issuer(did), () => registry.getIssuer(did));
    return didJson(value);
  });
  get('/trust-list', () => published.answer('trust-list'));
  get('/status-lists/:issuer/:purpose', ({ issuer = '', purpose = '' }) =>
    published.answer(`status/${issuer}/${purpose}`),
  );
  get('/status-lists/:issuer/:purpose/:n', ({ issuer = '', purpose = '', n = '' }) =>
    published.answer(`status/${issuer}/${purpose}/${n}`),
  );
  // A later Status List 2021 list (`sl2021/<purpose>/<n>`); its list 0 is the route above.
  get('/status-lists/:issuer/sl2021/:purpose/:n', ({ issuer = '', purpose = '', n = '' }) =>
    published.answer(`status/${issuer}/sl2021/${purpose}/${n}`),
  );
}
