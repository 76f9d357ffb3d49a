/**
 * `@credledger/keys`: keys at rest, shared by the issuer key store and the embedded ledger's
 * organisation keyrings — sealing under a passphrase (scrypt, AES-256-GCM, an HMAC check), the minimum
 * strength of a new passphrase, secret files written atomically, and the P-256 certificate helpers every
 * certificate credledger makes uses. Node only; no state.
 */
export {
  checkMatches,
  defaultScryptLogN,
  derivePassphraseKeys,
  isBase64url,
  isScryptParams,
  isSealed,
  newScryptParams,
  openBytes,
  passphraseCheck,
  scryptBounds,
  sealBytes,
  type PassphraseKeys,
  type ScryptParams,
  type Sealed,
} from './passphrase-seal.js';
export { assertNewPassphrase, passphraseMeasure, passphraseMinimum } from './passphrase-strength.js';
export { syncDirectory, writeSecretFileAtomic } from './atomic-file.js';
export { certificateSerial, loadX509, p256Ecdsa, pemOf } from './x509-tools.js';
