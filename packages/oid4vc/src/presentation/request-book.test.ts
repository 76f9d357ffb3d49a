import { describe, expect, it } from '@jest/globals';

import { dcqlQueryFor } from './dcql-query.js';
import type { PresentationOutcome } from './outcome.js';
import { createRequestBook, type PresentationRequestRecord } from './request-book.js';

const MINUTE = 60_000;
const T0 = new Date('2026-11-27T10:00:00.000Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * MINUTE);

function request(n: number, createdAt = T0): PresentationRequestRecord {
  return {
    id: `id-${n}`,
    state: `state-${n}`,
    nonce: `nonce-${n}`,
    audience: 'redirect_uri:x',
    credentialType: 'LawyerLicenceCredential',
    claims: ['name'],
    profile: 'ietf',
    query: dcqlQueryFor('LawyerLicenceCredential', ['name']),
    authorizationRequestPayload: { response_type: 'vp_token', client_id: 'redirect_uri:x', nonce: `nonce-${n}` },
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 5 * MINUTE),
  };
}

const outcome: PresentationOutcome = { verdict: 'VALID', reasons: [], claims: {}, answeredAt: T0.toISOString() };

describe('a request book', () => {
  it('gives a request to one response only: PENDING → VERIFYING → ANSWERED', () => {
    const book = createRequestBook({ lifetimeMs: 5 * MINUTE, max: 10 });
    book.add(request(1), T0);
    expect(book.read('id-1', T0)).toMatchObject({ ok: true, progress: 'PENDING' });
    expect(book.claim('state-1', at(1))).toMatchObject({ ok: true, request: { id: 'id-1' } });
    expect(book.claim('state-1', at(1))).toEqual({ ok: false, refusal: 'REQUEST_USED' });
    expect(book.read('id-1', at(1))).toMatchObject({ ok: true, progress: 'VERIFYING' });
    book.answer('id-1', outcome);
    expect(book.read('id-1', at(2))).toMatchObject({ ok: true, progress: 'ANSWERED', outcome });
    expect(book.claim('state-1', at(2))).toEqual({ ok: false, refusal: 'REQUEST_USED' });
  });

  it('refuses an unknown state, and a pending request from its expiry on', () => {
    const book = createRequestBook({ lifetimeMs: 5 * MINUTE, max: 10 });
    book.add(request(1), T0);
    expect(book.claim('state-2', T0)).toEqual({ ok: false, refusal: 'REQUEST_UNKNOWN' });
    expect(book.claim('state-1', at(5))).toEqual({ ok: false, refusal: 'REQUEST_EXPIRED' });
    expect(book.read('id-1', at(5))).toEqual({ ok: false, refusal: 'REQUEST_EXPIRED' });
  });

  it('forgets every request one lifetime after it expires, outcome and all', () => {
    const book = createRequestBook({ lifetimeMs: 5 * MINUTE, max: 10 });
    book.add(request(1), T0);
    book.add(request(2, at(1)), at(1));
    book.claim('state-1', at(1));
    book.answer('id-1', outcome);
    expect(book.read('id-1', at(9))).toMatchObject({ ok: true, progress: 'ANSWERED' });
    expect(book.read('id-1', at(10))).toEqual({ ok: false, refusal: 'REQUEST_UNKNOWN' });
    expect(book.size).toBe(1);
    expect(book.claim('state-2', at(11))).toEqual({ ok: false, refusal: 'REQUEST_UNKNOWN' });
    expect(book.size).toBe(0);
  });

  it('holds at most max requests, and takes new ones once old ones are forgotten', () => {
    const book = createRequestBook({ lifetimeMs: 5 * MINUTE, max: 2 });
    book.add(request(1), T0);
    book.add(request(2), T0);
    expect(() => {
      book.add(request(3), at(9));
    }).toThrow(expect.objectContaining({ refusal: 'TOO_MANY_REQUESTS' }));
    book.add(request(3, at(10)), at(10));
    expect(book.size).toBe(1);
  });

  it('lets one client have at most maxPerClient requests waiting; answered and expired ones do not count', () => {
    const book = createRequestBook({ lifetimeMs: 5 * MINUTE, max: 10, maxPerClient: 2 });
    book.add({ ...request(1), client: '203.0.113.9' }, T0);
    book.add({ ...request(2), client: '203.0.113.9' }, T0);
    expect(() => {
      book.add({ ...request(3), client: '203.0.113.9' }, T0);
    }).toThrow(expect.objectContaining({ refusal: 'TOO_MANY_REQUESTS' }));
    // Another client, and a caller that names none, are still served.
    book.add({ ...request(4), client: '198.51.100.4' }, T0);
    book.add(request(5), T0);
    // A wallet answered one of them: that client may ask again.
    expect(book.claim('state-1', at(1))).toMatchObject({ ok: true });
    book.add({ ...request(6, at(1)), client: '203.0.113.9' }, at(1));
    expect(() => {
      book.add({ ...request(7, at(1)), client: '203.0.113.9' }, at(1));
    }).toThrow(expect.objectContaining({ refusal: 'TOO_MANY_REQUESTS' }));
    // Once its requests expire unanswered, they no longer count either.
    book.add({ ...request(8, at(6)), client: '203.0.113.9' }, at(6));
    expect(book.read('id-8', at(6))).toMatchObject({ ok: true, progress: 'PENDING' });
  });

  it('stores no outcome for a request that was not claimed', () => {
    const book = createRequestBook({ lifetimeMs: 5 * MINUTE, max: 2 });
    book.add(request(1), T0);
    book.answer('id-1', outcome);
    expect(book.read('id-1', T0)).toMatchObject({ ok: true, progress: 'PENDING' });
    expect(book.read('id-1', T0)).not.toHaveProperty('outcome');
  });
});
