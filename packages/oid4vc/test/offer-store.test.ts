/**
 * The offer store on a real folder: one offer, one credential — across concurrent requests, a crash
 * between signing and anchoring, and an expired token — with only hashes of its secrets on disk.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createNonceBook } from '../src/issuance/nonces.js';
import { OfferRefused, openOfferStore, type OfferContent } from '../src/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credledger-offers-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const content: OfferContent = {
  credentialId: 'urn:uuid:3f0d1c56-7a43-4c1e-9f6e-1d2f3a4b5c6d',
  issuerDid: 'did:web:moj.gov.tw',
  type: 'LawyerLicenceCredential',
  profile: 'ietf',
  subject: { name: '王小明', licenceNumber: '(115)台檢證字第012345號' },
};
const t0 = new Date('2026-12-07T09:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const token = { now: t0, tokenLifetimeMs: 300_000 };

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OfferRefused) return error.refusal;
    throw error;
  }
  return 'accepted';
}

describe('openOfferStore', () => {
  it('keeps hashes of the code and the transaction code, never the secrets', async () => {
    const store = openOfferStore(dir);
    const offer = await store.create(content, { now: t0 });
    const text = await readFile(join(dir, `${offer.offerId}.json`), 'utf8');
    expect(text).not.toContain(offer.preAuthorizedCode.split('.')[1]);
    expect(text).not.toContain(`"${offer.txCode}"`);
    expect(JSON.parse(text)).toMatchObject({
      state: 'OFFERED',
      credentialId: content.credentialId,
      txCodeAttemptsLeft: 5,
    });
  });

  it('gives one access token for two concurrent exchanges of the same code', async () => {
    const store = openOfferStore(dir);
    const offer = await store.create(content, { now: t0 });
    const outcomes = await Promise.all([
      refusal(store.exchangeCode(offer.preAuthorizedCode, offer.txCode, token)),
      refusal(store.exchangeCode(offer.preAuthorizedCode, offer.txCode, token)),
    ]);
    expect(outcomes.sort()).toEqual(['OFFER_USED', 'accepted']);
  });

  it('refuses an offer after its expiry and a token after its lifetime', async () => {
    const store = openOfferStore(dir);
    const expired = await store.create(content, { now: t0, validForMs: 60_000 });
    expect(
      await refusal(store.exchangeCode(expired.preAuthorizedCode, expired.txCode, { ...token, now: later(60_000) })),
    ).toBe('OFFER_EXPIRED');
    const offer = await store.create(content, { now: t0 });
    const { accessToken } = await store.exchangeCode(offer.preAuthorizedCode, offer.txCode, token);
    expect(await refusal(store.authorize(accessToken, later(299_999)))).toBe('accepted');
    expect(await refusal(store.authorize(accessToken, later(300_000)))).toBe('TOKEN_EXPIRED');
    expect(await refusal(store.authorize(`${offer.offerId}.not-the-token`, t0))).toBe('UNKNOWN_TOKEN');
  });

  it('sweeps: an offer never redeemed expires and loses its personal data; finished offers go after the retention time; a signed one stays', async () => {
    const store = openOfferStore(dir);
    const hour = 3_600_000;
    const unused = await store.create(content, { now: t0, validForMs: hour });
    const exchanged = await store.create(content, { now: t0, validForMs: hour });
    const { accessToken } = await store.exchangeCode(exchanged.preAuthorizedCode, exchanged.txCode, {
      now: later(hour - 60_000),
      tokenLifetimeMs: 300_000,
    });
    const issued = await store.create(content, { now: t0, validForMs: hour });
    const issuedToken = (await store.exchangeCode(issued.preAuthorizedCode, issued.txCode, token)).accessToken;
    await store.redeem(issuedToken, t0, () => Promise.resolve({ credential: 'jwt' }));
    const signed = await store.create(content, { now: t0, validForMs: hour });
    const signedToken = (await store.exchangeCode(signed.preAuthorizedCode, signed.txCode, token)).accessToken;
    await expect(
      store.redeem(signedToken, t0, async (_content, _before, onSigned) => {
        await onSigned('signed-jwt', 'thumbprint');
        throw new Error('the ledger went away');
      }),
    ).rejects.toThrow('the ledger went away');
    const file = (offerId: string) => readFile(join(dir, `${offerId}.json`), 'utf8');

    // Before the expiry nothing changes; the exchanged offer lives as long as its token.
    expect(await store.sweep(later(hour - 1))).toEqual({ expired: 0, removed: 0 });
    expect(await store.sweep(later(hour))).toEqual({ expired: 1, removed: 0 });
    expect(JSON.parse(await file(unused.offerId))).toMatchObject({ state: 'EXPIRED' });
    expect(await file(unused.offerId)).not.toContain('王小明');
    expect(await refusal(store.exchangeCode(unused.preAuthorizedCode, unused.txCode, { ...token, now: t0 }))).toBe(
      'OFFER_EXPIRED',
    );
    expect(await refusal(store.authorize(accessToken, later(hour)))).toBe('accepted');
    expect(await store.sweep(later(hour + 240_000))).toEqual({ expired: 1, removed: 0 });
    expect(await file(exchanged.offerId)).not.toContain('王小明');
    expect(await refusal(store.authorize(accessToken, t0))).toBe('TOKEN_EXPIRED');

    const month = 30 * 24 * hour;
    expect(await store.sweep(later(hour + month - 1))).toEqual({ expired: 0, removed: 0 });
    expect(await store.sweep(later(hour + month))).toEqual({ expired: 0, removed: 2 });
    expect(await store.read(issued.offerId)).toBeUndefined();
    expect(await store.read(unused.offerId)).toBeUndefined();
    expect(await store.sweep(later(hour + 240_000 + month))).toEqual({ expired: 0, removed: 1 });
    expect(await readdir(dir)).toEqual([`${signed.offerId}.json`]);
    expect(JSON.parse(await file(signed.offerId))).toMatchObject({ state: 'SIGNED', signed: 'signed-jwt' });
    await expect(openOfferStore(join(dir, 'none')).sweep(t0)).resolves.toEqual({ expired: 0, removed: 0 });
  });

  it('after a crash between signing and anchoring, anchors the credential signed before instead of a second one', async () => {
    const store = openOfferStore(dir);
    const offer = await store.create(content, { now: t0 });
    const { accessToken } = await store.exchangeCode(offer.preAuthorizedCode, offer.txCode, token);
    const failed = store.redeem(accessToken, t0, async (_content, signedBefore, onSigned) => {
      expect(signedBefore).toBeUndefined();
      await onSigned('eyJ.signed.once~', 'thumbprint-of-the-holder-key');
      throw new Error('LEDGER_UNAVAILABLE: the orderer did not answer');
    });
    await expect(failed).rejects.toThrow(/LEDGER_UNAVAILABLE/);
    expect(await store.read(offer.offerId)).toMatchObject({ state: 'SIGNED', signed: 'eyJ.signed.once~' });

    // The ledger came back after the token's lifetime: a SIGNED offer is still finished with its token.
    const seen: unknown[] = [];
    const { offer: issued, result } = await store.redeem(accessToken, later(3_600_000), (_content, signedBefore) => {
      seen.push(signedBefore);
      return Promise.resolve({ credential: signedBefore?.credential ?? 'signed again' });
    });
    expect(seen).toEqual([{ credential: 'eyJ.signed.once~', signedFor: 'thumbprint-of-the-holder-key' }]);
    expect(result.credential).toBe('eyJ.signed.once~');
    expect(issued.state).toBe('ISSUED');
    // Delivered: the subject's claims and the credential leave the file.
    const text = await readFile(join(dir, `${offer.offerId}.json`), 'utf8');
    expect(text).not.toContain('王小明');
    expect(text).not.toContain('eyJ.signed.once~');
    expect(await refusal(store.redeem(accessToken, t0, () => Promise.resolve({ credential: 'x' })))).toBe('OFFER_USED');
  });

  it('locks the offer at the fifth wrong transaction code, also for the right one after it', async () => {
    const store = openOfferStore(dir);
    const offer = await store.create(content, { now: t0 });
    const wrong = offer.txCode === '999999' ? '999998' : '999999';
    const outcomes = [];
    for (let attempt = 0; attempt < 5; attempt++)
      outcomes.push(await refusal(store.exchangeCode(offer.preAuthorizedCode, wrong, token)));
    expect(outcomes).toEqual(['WRONG_TX_CODE', 'WRONG_TX_CODE', 'WRONG_TX_CODE', 'WRONG_TX_CODE', 'OFFER_LOCKED']);
    expect(await refusal(store.exchangeCode(offer.preAuthorizedCode, offer.txCode, token))).toBe('OFFER_LOCKED');
    expect(await refusal(store.exchangeCode(offer.preAuthorizedCode, undefined, token))).toBe('OFFER_LOCKED');
    // A locked offer is dead: the subject's claims leave its file.
    expect(await readFile(join(dir, `${offer.offerId}.json`), 'utf8')).not.toContain('王小明');
  });
});

describe('createNonceBook', () => {
  it('accepts a nonce once, before it expires, and forgets the oldest when full', () => {
    const book = createNonceBook({ lifetimeMs: 1000, max: 2 });
    const first = book.issue(t0).nonce;
    expect(book.consume(first, t0)).toBe(true);
    expect(book.consume(first, t0)).toBe(false);
    const old = book.issue(t0).nonce;
    expect(book.consume(old, later(1000))).toBe(false);
    const a = book.issue(t0).nonce;
    const b = book.issue(t0).nonce;
    const c = book.issue(t0).nonce;
    expect([book.consume(a, t0), book.consume(b, t0), book.consume(c, t0)]).toEqual([false, true, true]);
  });
});
