/**
 * An open token: its user logged in, signing threads with a session each, and its ES256 keys found by
 * label or generated inside it. A private key made here is a token object that is sensitive and not
 * extractable: the token signs with it and never hands it out, not even wrapped.
 * @see https://docs.oasis-open.org/pkcs11/pkcs11-curr/v2.40/os/pkcs11-curr-v2.40-os.html#_Toc416960050 (CKM_ECDSA)
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import type * as Pkcs11js from 'pkcs11js';

import { ckr, ckrOf, fromCryptoki, Pkcs11Error } from './errors.js';
import { canonicalRawSignature, derSignature, ecPointToJwk, fabricKeyId, isP256Params, p256EcParams } from './p256.js';
import type { P256PublicJwk } from './p256.js';
import { createSigningThreads } from './signing-threads.js';
import type { OpenTokenOptions, Pkcs11Key, Pkcs11Token, TokenDescription } from './types.js';

type Pkcs11Library = typeof Pkcs11js;
type Handle = Pkcs11js.Handle;

const defaultSessions = 2;

/** Internal: opens sessions on a slot of an initialised module and logs in. */
export function openTokenOnSlot(
  pkcs11js: Pkcs11Library,
  library: Pkcs11js.PKCS11,
  slot: Handle,
  context: {
    readonly module: string;
    readonly description: TokenDescription;
    readonly options: OpenTokenOptions;
    readonly onClose: () => void;
  },
): Pkcs11Token {
  const { module, description, options } = context;
  const tokenName = JSON.stringify(options.label);
  const where = { module, token: options.label };
  const size = options.sessions ?? defaultSessions;
  if (!Number.isInteger(size) || size < 1)
    throw new TypeError(`sessions must be a positive integer (got ${String(options.sessions)})`);
  if (options.pin === '') throw new Pkcs11Error('PKCS11_PIN_REQUIRED', `no PIN for token ${tokenName}`);

  const sessions: Handle[] = [];
  const closeAll = (): void => {
    for (const session of sessions.splice(0)) {
      try {
        library.C_CloseSession(session);
      } catch {
        // A session of a removed token is gone already.
      }
    }
  };
  try {
    // One more than the signing sessions: key lookups and generation never wait for a signature.
    for (let i = 0; i <= size; i++) sessions.push(library.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION));
  } catch (error) {
    closeAll();
    throw fromCryptoki(error, 'opening a session', where);
  }
  try {
    // Logging in one session logs in every session of this application with the token.
    library.C_Login(sessions[0] as Handle, pkcs11js.CKU_USER, options.pin);
  } catch (error) {
    if (ckrOf(error) !== ckr.CKR_USER_ALREADY_LOGGED_IN) {
      closeAll();
      throw fromCryptoki(error, 'logging in', where);
    }
  }

  const [admin, ...signing] = sessions as [Handle, ...Handle[]];
  const threads = createSigningThreads({
    module,
    sessions: signing,
    closedError: () => new Pkcs11Error('PKCS11_DEVICE_ERROR', `token ${tokenName} is closed`, { details: where }),
    failure: (error) => fromCryptoki(error, 'signing', where),
  });

  const attributes = (object: Handle, types: readonly number[]): Buffer[] => {
    const read = library.C_GetAttributeValue(
      admin,
      object,
      types.map((type) => ({ type })),
    );
    return read.map((attribute) => (Buffer.isBuffer(attribute.value) ? attribute.value : Buffer.alloc(0)));
  };
  const flag = (value: Buffer | undefined): boolean => value !== undefined && value.length > 0 && value[0] !== 0;
  const ulong = (value: Buffer | undefined): number =>
    value === undefined || value.length === 0
      ? -1
      : value.length >= 8
        ? Number(value.readBigUInt64LE(0))
        : value.readUInt32LE(0);

  const find = (template: Pkcs11js.Template): Handle[] => {
    library.C_FindObjectsInit(admin, template);
    try {
      return library.C_FindObjects(admin, 16);
    } finally {
      library.C_FindObjectsFinal(admin);
    }
  };

  const signDigest = (keyHandle: Handle, label: string) => async (digest: Uint8Array) => {
    if (digest.length !== 32) throw new TypeError('an ES256 digest is 32 bytes (SHA-256)');
    const raw = await threads.sign(keyHandle, digest);
    try {
      return canonicalRawSignature(raw);
    } catch (error) {
      throw new Pkcs11Error('PKCS11_DEVICE_ERROR', `token ${tokenName} returned a malformed ES256 signature`, {
        cause: error,
        details: { ...where, key: label, length: raw.length },
      });
    }
  };

  const unsuitable = (label: string, why: string): never => {
    throw new Pkcs11Error('PKCS11_KEY_UNSUITABLE', `key ${JSON.stringify(label)} in token ${tokenName} ${why}`, {
      details: { ...where, key: label },
    });
  };

  const loadKey = (label: string): Pkcs11Key | undefined => {
    let privateHandles: Handle[];
    try {
      privateHandles = find([
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_LABEL, value: label },
      ]);
    } catch (error) {
      throw fromCryptoki(error, 'looking for a key', { ...where, key: label });
    }
    const [privateKey] = privateHandles;
    if (privateKey === undefined) return undefined;
    if (privateHandles.length > 1) unsuitable(label, `is the label of ${privateHandles.length} private keys`);

    let key: Pkcs11Key;
    try {
      const [keyType, params, canSign, id, token, sensitive, extractable, alwaysSensitive, neverExtractable] =
        attributes(privateKey, [
          pkcs11js.CKA_KEY_TYPE,
          pkcs11js.CKA_EC_PARAMS,
          pkcs11js.CKA_SIGN,
          pkcs11js.CKA_ID,
          pkcs11js.CKA_TOKEN,
          pkcs11js.CKA_SENSITIVE,
          pkcs11js.CKA_EXTRACTABLE,
          pkcs11js.CKA_ALWAYS_SENSITIVE,
          pkcs11js.CKA_NEVER_EXTRACTABLE,
        ]);
      if (ulong(keyType) !== pkcs11js.CKK_EC || params === undefined || !isP256Params(params))
        unsuitable(label, 'is not a P-256 (ES256) key');
      if (!flag(canSign)) unsuitable(label, 'may not sign (CKA_SIGN is false)');
      const publicTemplate: Pkcs11js.Template = [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
        { type: pkcs11js.CKA_LABEL, value: label },
        ...(id !== undefined && id.length > 0 ? [{ type: pkcs11js.CKA_ID, value: id }] : []),
      ];
      const [publicKey] = find(publicTemplate);
      if (publicKey === undefined) return unsuitable(label, 'has no public key object beside it');
      const [point] = attributes(publicKey, [pkcs11js.CKA_EC_POINT]);
      let publicKeyJwk: P256PublicJwk;
      try {
        publicKeyJwk = ecPointToJwk(point ?? Buffer.alloc(0));
      } catch {
        return unsuitable(label, 'has a public key that is not a P-256 point');
      }
      const sign = signDigest(privateKey, label);
      key = {
        label,
        id: (id ?? Buffer.alloc(0)).toString('hex'),
        alg: 'ES256',
        publicKeyJwk,
        protection: {
          token: flag(token),
          sensitive: flag(sensitive),
          extractable: flag(extractable),
          alwaysSensitive: flag(alwaysSensitive),
          neverExtractable: flag(neverExtractable),
        },
        signDigest: sign,
        credentialSigner: async (data) => {
          const digest = createHash('sha256')
            .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
            .digest();
          return Buffer.from(await sign(digest)).toString('base64url');
        },
        ledgerSigner: async (digest) => derSignature(await sign(digest)),
      };
      checkPair(privateKey, label, publicKeyJwk);
    } catch (error) {
      throw fromCryptoki(error, 'reading a key', { ...where, key: label });
    }
    return key;
  };

  /** One signature, verified with the public half: two objects sharing a label need not be one pair. */
  const checkPair = (privateKey: Handle, label: string, publicKeyJwk: P256PublicJwk): void => {
    const message = Buffer.from(`credledger key check ${label}`, 'utf8');
    library.C_SignInit(admin, { mechanism: pkcs11js.CKM_ECDSA }, privateKey);
    const signature = library.C_Sign(admin, createHash('sha256').update(message).digest(), Buffer.alloc(72));
    const publicKey = createPublicKey({ key: { ...publicKeyJwk }, format: 'jwk' });
    if (!verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature))
      unsuitable(label, 'does not match the public key labelled alike');
  };

  let closed = false;
  const token: Pkcs11Token = {
    module,
    label: options.label,
    description,
    sessions: size,
    findKey: (label) => Promise.resolve(label).then(loadKey),
    async key(label) {
      const key = await token.findKey(label);
      if (key === undefined)
        throw new Pkcs11Error(
          'PKCS11_KEY_NOT_FOUND',
          `token ${tokenName} has no private key labelled ${JSON.stringify(label)}`,
          { details: { ...where, key: label } },
        );
      return key;
    },
    async generateKey(label) {
      if ((await token.findKey(label)) !== undefined)
        throw new Pkcs11Error(
          'PKCS11_KEY_EXISTS',
          `token ${tokenName} already has a key labelled ${JSON.stringify(label)}`,
          { details: { ...where, key: label } },
        );
      let session: Handle | undefined;
      try {
        // Token objects are created in a read/write session; the login holds for it too.
        session = library.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
        const pair = await library.C_GenerateKeyPairAsync(
          session,
          { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
          [
            { type: pkcs11js.CKA_TOKEN, value: true },
            { type: pkcs11js.CKA_PRIVATE, value: false },
            { type: pkcs11js.CKA_VERIFY, value: true },
            { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(p256EcParams) },
            { type: pkcs11js.CKA_LABEL, value: label },
          ],
          [
            { type: pkcs11js.CKA_TOKEN, value: true },
            { type: pkcs11js.CKA_PRIVATE, value: true },
            { type: pkcs11js.CKA_SENSITIVE, value: true },
            { type: pkcs11js.CKA_EXTRACTABLE, value: false },
            { type: pkcs11js.CKA_SIGN, value: true },
            { type: pkcs11js.CKA_DERIVE, value: false },
            { type: pkcs11js.CKA_LABEL, value: label },
          ],
        );
        const [point] = library.C_GetAttributeValue(session, pair.publicKey, [{ type: pkcs11js.CKA_EC_POINT }]);
        const id = fabricKeyId(Buffer.isBuffer(point?.value) ? point.value : Buffer.alloc(0));
        for (const object of [pair.publicKey, pair.privateKey])
          library.C_SetAttributeValue(session, object, [{ type: pkcs11js.CKA_ID, value: id }]);
      } catch (error) {
        throw fromCryptoki(error, 'generating a key', { ...where, key: label });
      } finally {
        if (session !== undefined) {
          try {
            library.C_CloseSession(session);
          } catch {
            // Closing a session of a removed token fails; the error above says what happened.
          }
        }
      }
      return token.key(label);
    },
    async close() {
      if (closed) return;
      closed = true;
      await threads.close();
      closeAll();
      context.onClose();
    },
    [Symbol.asyncDispose]: () => token.close(),
  };
  return token;
}
