/**
 * @credledger/pkcs11: issuer keys in a PKCS#11 token (a hardware security module, or SoftHSM for tests).
 * ES256 keys are generated inside the token or found by label; they sign credentials (did-jwt's
 * `Signer`) and ledger transactions (fabric-gateway's `Signer`) without ever leaving it. Needs the
 * optional peer dependency pkcs11js (`npm install pkcs11js`).
 */
export { openPkcs11Module, openToken } from './module.js';
export type {
  OpenTokenOptions,
  Pkcs11Key,
  Pkcs11Module,
  Pkcs11Token,
  PrivateKeyProtection,
  TokenDescription,
} from './types.js';
export { isPkcs11Error, Pkcs11Error, pkcs11ErrorCodes, type Pkcs11ErrorCode } from './errors.js';
export { derSignature, ecPointToJwk, fabricKeyId, type P256PublicJwk } from './p256.js';
