/**
 * Credential offers on disk: one file per offer in a folder only its owner reads, written atomically,
 * so an offer made by `credledger offer` is redeemed by `credledger serve --wallet` and a restart loses
 * nothing. An offer moves one way: OFFERED → TOKEN_ISSUED (the pre-authorized code and the transaction
 * code were accepted once) → SIGNED (the credential signed for the holder's key, kept until anchored)
 * → ISSUED (anchored and delivered; the subject's claims are dropped from the file). A wrong
 * transaction code counts; the fifth locks the offer. Only hashes of the code, the transaction code
 * and the access token are stored. A sweep expires offers never redeemed, removing their personal data,
 * and deletes finished ones after a retention time.
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { writeSecretFileAtomic } from '@credledger/keys';
import { CredledgerError } from '@credledger/verify';

/** The SD-JWT profile a wallet receives. */
export type WalletProfile = 'ietf' | 'tw-diw';

/** What is offered: one credential of one type for one subject, issued when the wallet redeems it. */
export interface OfferContent {
  /** The id the credential will have on the ledger (`urn:uuid:…`). */
  readonly credentialId: string;
  readonly issuerDid: string;
  readonly type: string;
  readonly profile: WalletProfile;
  /** The validated `credentialSubject`. */
  readonly subject: Readonly<Record<string, unknown>>;
  /** Validity of the credential (ISO 8601); absent: from redemption for the type's term. */
  readonly validFrom?: string;
  readonly validUntil?: string | null;
  /** Replace the subject's active credential when redeemed. */
  readonly supersede?: boolean;
}

/**
 * OFFERED → TOKEN_ISSUED → SIGNED → ISSUED; LOCKED after the fifth wrong transaction code; EXPIRED when a
 * sweep found it never redeemed in time. LOCKED, ISSUED and EXPIRED offers hold no personal data.
 */
export type OfferState = 'OFFERED' | 'TOKEN_ISSUED' | 'SIGNED' | 'ISSUED' | 'LOCKED' | 'EXPIRED';

export interface OfferRecord {
  readonly version: 1;
  readonly offerId: string;
  readonly state: OfferState;
  readonly createdAt: string;
  /** The offer cannot be redeemed after this instant (ISO 8601). */
  readonly expiresAt: string;
  readonly codeHash: string;
  readonly txCodeHash: string;
  readonly txCodeAttemptsLeft: number;
  /** The credential to issue; dropped once ISSUED. */
  readonly content?: OfferContent;
  readonly credentialId: string;
  readonly accessTokenHash?: string;
  readonly accessTokenExpiresAt?: string;
  /** The signed credential, between signing and anchoring (SIGNED). */
  readonly signed?: string;
  /** What the signed credential is bound to (the holder key's JWK thumbprint), to compare on a retry. */
  readonly signedFor?: string;
  readonly issuedAt?: string;
}

/** A new offer: the secrets are returned once and only their hashes are stored. */
export interface CreatedOffer {
  readonly offerId: string;
  readonly preAuthorizedCode: string;
  /** Six digits, to send to the holder another way than the offer (SMS, letter, at the counter). */
  readonly txCode: string;
  readonly expiresAt: Date;
  readonly credentialId: string;
}

/** Why a redemption was refused: each has its own OAuth error and log line. */
export type OfferRefusal =
  | 'UNKNOWN_CODE'
  | 'OFFER_EXPIRED'
  | 'OFFER_USED'
  | 'OFFER_LOCKED'
  | 'WRONG_TX_CODE'
  | 'UNKNOWN_TOKEN'
  | 'TOKEN_EXPIRED';

export class OfferRefused extends Error {
  constructor(
    readonly refusal: OfferRefusal,
    readonly offerId: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'OfferRefused';
  }
}

export interface OfferStore {
  /** Stores a new offer. `validForMs` from `now` (default 24 h). */
  create(content: OfferContent, options?: { readonly validForMs?: number; readonly now?: Date }): Promise<CreatedOffer>;
  /**
   * The offer a pre-authorized code names, while it can still be exchanged (a wallet fetching an offer by
   * reference); nothing changes. Fails: OfferRefused (UNKNOWN_CODE, OFFER_EXPIRED, OFFER_USED, OFFER_LOCKED).
   */
  redeemable(code: string, now: Date): Promise<OfferRecord>;
  /**
   * Exchanges the pre-authorized code and the transaction code for an access token, once.
   * Fails: OfferRefused (UNKNOWN_CODE, OFFER_EXPIRED, OFFER_USED, OFFER_LOCKED, WRONG_TX_CODE).
   */
  exchangeCode(
    code: string,
    txCode: string | undefined,
    options: { readonly now: Date; readonly tokenLifetimeMs: number },
  ): Promise<{ readonly offer: OfferRecord; readonly accessToken: string }>;
  /**
   * Runs `issue` for the offer an access token names, at most once per offer: `issue` gets the offer
   * and, on a retry after a crash, the credential signed before it and what it was signed for; it calls
   * `onSigned` with the signed credential before anchoring. A SIGNED offer is finished with its token even
   * after the token's lifetime (the credential exists; only its anchoring is pending).
   * Fails: OfferRefused (UNKNOWN_TOKEN, TOKEN_EXPIRED, OFFER_USED).
   */
  redeem<T extends { readonly credential: string }>(
    accessToken: string,
    now: Date,
    issue: (
      content: OfferContent,
      signedBefore: { readonly credential: string; readonly signedFor: string } | undefined,
      onSigned: (credential: string, signedFor: string) => Promise<void>,
    ) => Promise<T>,
  ): Promise<{ readonly offer: OfferRecord; readonly result: T }>;
  /**
   * The offer an access token is good for now, without using it (a request is checked before its proof).
   * Fails: OfferRefused (UNKNOWN_TOKEN, TOKEN_EXPIRED, OFFER_USED).
   */
  authorize(accessToken: string, now: Date): Promise<OfferRecord>;
  /** An offer by its id, or undefined. */
  read(offerId: string): Promise<OfferRecord | undefined>;
  /**
   * Tidies the folder at `now`: an offer not redeemed by its expiry (and, once its code was exchanged,
   * by its token's) becomes EXPIRED and its personal data leaves the file; an offer that is finished
   * (ISSUED, LOCKED or EXPIRED) is deleted `retainMs` after its expiry (default 30 days), so the folder
   * does not grow without end. SIGNED offers are never touched: their credential waits to be anchored.
   */
  sweep(now: Date, options?: { readonly retainMs?: number }): Promise<OfferSweep>;
}

/** What a sweep did. */
export interface OfferSweep {
  /** Offers that became EXPIRED, their personal data removed. */
  readonly expired: number;
  /** Finished offers deleted after the retention time. */
  readonly removed: number;
}

const TX_CODE_ATTEMPTS = 5;
const DAY_MS = 24 * 60 * 60 * 1000;
const RETAIN_MS = 30 * DAY_MS;
const FINISHED: ReadonlySet<OfferState> = new Set<OfferState>(['ISSUED', 'LOCKED', 'EXPIRED']);
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The offers in `directory` (created 0700 on first write). */
export function openOfferStore(directory: string): OfferStore {
  // Transitions of one offer run one at a time in this process (serve is the only redeemer).
  const queues = new Map<string, Promise<unknown>>();
  const serially = <T>(offerId: string, step: () => Promise<T>): Promise<T> => {
    const previous = queues.get(offerId) ?? Promise.resolve();
    const next = previous.then(step, step);
    const settled = next.catch(() => undefined);
    queues.set(offerId, settled);
    void settled.then(() => {
      if (queues.get(offerId) === settled) queues.delete(offerId);
    });
    return next;
  };
  const fileOf = (offerId: string) => join(directory, `${offerId}.json`);
  const read = async (offerId: string): Promise<OfferRecord | undefined> => {
    if (!ID.test(offerId)) return undefined;
    try {
      return JSON.parse(await readFile(fileOf(offerId), 'utf8')) as OfferRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  const authorized = async (accessToken: string, now: Date): Promise<OfferRecord> => {
    const [offerId = ''] = accessToken.split('.');
    const offer = await read(offerId);
    if (offer?.accessTokenHash === undefined || !sameHash(offer.accessTokenHash, hash(offerId, accessToken)))
      throw new OfferRefused('UNKNOWN_TOKEN', undefined, 'the access token is not valid');
    if (offer.state === 'ISSUED') throw new OfferRefused('OFFER_USED', offerId, 'the credential was already issued');
    if (
      offer.state === 'EXPIRED' ||
      (offer.state !== 'SIGNED' && now.getTime() >= Date.parse(offer.accessTokenExpiresAt ?? ''))
    )
      throw new OfferRefused('TOKEN_EXPIRED', offerId, 'the access token expired');
    return offer;
  };
  /** The offer a code names if it can be exchanged now; else why not. */
  const redeemable = async (code: string, now: Date): Promise<OfferRecord> => {
    const [offerId = '', secret = ''] = code.split('.');
    const offer = await read(offerId);
    if (offer === undefined || !sameHash(offer.codeHash, hash(offerId, secret)))
      throw new OfferRefused('UNKNOWN_CODE', undefined, 'no offer has this pre-authorized code');
    if (offer.state === 'LOCKED')
      throw new OfferRefused('OFFER_LOCKED', offerId, 'the offer is locked after too many wrong transaction codes');
    if (offer.state === 'EXPIRED')
      throw new OfferRefused('OFFER_EXPIRED', offerId, `the offer expired at ${offer.expiresAt}`);
    if (offer.state !== 'OFFERED') throw new OfferRefused('OFFER_USED', offerId, 'the offer was already used');
    if (now.getTime() >= Date.parse(offer.expiresAt))
      throw new OfferRefused('OFFER_EXPIRED', offerId, `the offer expired at ${offer.expiresAt}`);
    return offer;
  };
  const write = async (record: OfferRecord, create = false): Promise<void> => {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await writeSecretFileAtomic(fileOf(record.offerId), `${JSON.stringify(record, null, 2)}\n`, !create);
  };

  return {
    async create(content, options = {}) {
      const now = options.now ?? new Date();
      const validForMs = options.validForMs ?? DAY_MS;
      if (!(validForMs > 0)) throw new CredledgerError('INVALID_INPUT', 'an offer must be valid for some time');
      const offerId = randomUUID();
      const secret = randomBytes(32).toString('base64url');
      const txCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const expiresAt = new Date(now.getTime() + validForMs);
      await write(
        {
          version: 1,
          offerId,
          state: 'OFFERED',
          createdAt: now.toISOString(),
          expiresAt: expiresAt.toISOString(),
          codeHash: hash(offerId, secret),
          txCodeHash: hash(offerId, txCode),
          txCodeAttemptsLeft: TX_CODE_ATTEMPTS,
          content,
          credentialId: content.credentialId,
        },
        true,
      );
      return {
        offerId,
        preAuthorizedCode: `${offerId}.${secret}`,
        txCode,
        expiresAt,
        credentialId: content.credentialId,
      };
    },

    redeemable(code, now) {
      const [offerId = ''] = code.split('.');
      return serially(offerId, () => redeemable(code, now));
    },

    exchangeCode(code, txCode, { now, tokenLifetimeMs }) {
      const [offerId = ''] = code.split('.');
      return serially(offerId, async () => {
        const offer = await redeemable(code, now);
        if (txCode === undefined || !sameHash(offer.txCodeHash, hash(offerId, txCode))) {
          const left = offer.txCodeAttemptsLeft - 1;
          // A locked offer is dead: its personal data leaves the file.
          const { content: _content, ...withoutContent } = offer;
          await write(
            left <= 0
              ? { ...withoutContent, txCodeAttemptsLeft: 0, state: 'LOCKED' }
              : { ...offer, txCodeAttemptsLeft: left },
          );
          throw new OfferRefused(
            left <= 0 ? 'OFFER_LOCKED' : 'WRONG_TX_CODE',
            offerId,
            left <= 0
              ? 'wrong transaction code; the offer is now locked'
              : `wrong transaction code (${left} ${left === 1 ? 'attempt' : 'attempts'} left)`,
          );
        }
        const accessToken = `${offerId}.${randomBytes(32).toString('base64url')}`;
        const next: OfferRecord = {
          ...offer,
          state: 'TOKEN_ISSUED',
          accessTokenHash: hash(offerId, accessToken),
          accessTokenExpiresAt: new Date(now.getTime() + tokenLifetimeMs).toISOString(),
        };
        await write(next);
        return { offer: next, accessToken };
      });
    },

    authorize(accessToken, now) {
      const [offerId = ''] = accessToken.split('.');
      return serially(offerId, () => authorized(accessToken, now));
    },

    redeem(accessToken, now, issue) {
      const [offerId = ''] = accessToken.split('.');
      return serially(offerId, async () => {
        const offer = await authorized(accessToken, now);
        const content = offer.content;
        if (content === undefined) throw new OfferRefused('OFFER_USED', offerId, 'the credential was already issued');
        let current = offer;
        const before =
          offer.state === 'SIGNED' && offer.signed !== undefined
            ? { credential: offer.signed, signedFor: offer.signedFor ?? '' }
            : undefined;
        const result = await issue(content, before, async (credential, signedFor) => {
          current = { ...current, state: 'SIGNED', signed: credential, signedFor };
          await write(current);
        });
        // Delivered once: the personal data and the credential leave the file.
        const { content: _content, signed: _signed, signedFor: _signedFor, ...kept } = current;
        const issued: OfferRecord = { ...kept, state: 'ISSUED', issuedAt: now.toISOString() };
        await write(issued);
        return { offer: issued, result };
      });
    },

    read,

    async sweep(now, options = {}) {
      const retainMs = options.retainMs ?? RETAIN_MS;
      let names: string[];
      try {
        names = await readdir(directory);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { expired: 0, removed: 0 };
        throw error;
      }
      let expired = 0;
      let removed = 0;
      for (const name of names) {
        const offerId = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
        if (!ID.test(offerId)) continue;
        await serially(offerId, async () => {
          const offer = await read(offerId);
          if (offer === undefined) return;
          const end = Math.max(Date.parse(offer.expiresAt), Date.parse(offer.accessTokenExpiresAt ?? '') || 0);
          if (FINISHED.has(offer.state)) {
            if (now.getTime() >= end + retainMs) {
              await rm(fileOf(offerId), { force: true });
              removed++;
            }
          } else if ((offer.state === 'OFFERED' || offer.state === 'TOKEN_ISSUED') && now.getTime() >= end) {
            // Never redeemed: the subject's claims leave the file; what happened to the offer stays.
            const { content: _content, ...kept } = offer;
            await write({ ...kept, state: 'EXPIRED' });
            expired++;
          }
        });
      }
      return { expired, removed };
    },
  };
}

function hash(offerId: string, secret: string): string {
  return createHash('sha256').update(`credledger/offer/v1\n${offerId}\n${secret}`).digest('base64url');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
