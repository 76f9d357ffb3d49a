/**
 * The package's public shapes, kept apart from the code that calls pkcs11js so that its declarations
 * never name pkcs11js (an optional peer dependency a user of these types may not have).
 */
import type { P256PublicJwk } from './p256.js';

/** A token present in a slot of the module. */
export interface TokenDescription {
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serialNumber: string;
}

/** A loaded, initialised PKCS#11 module. */
export interface Pkcs11Module extends AsyncDisposable {
  /** The library path, as given. */
  readonly path: string;
  /** The tokens present now. Fails: PKCS11_DEVICE_ERROR. */
  tokens(): TokenDescription[];
  /**
   * Opens the token with this label and logs in as its user.
   * Fails: PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_REQUIRED, PKCS11_PIN_INCORRECT, PKCS11_PIN_LOCKED, PKCS11_DEVICE_ERROR.
   */
  openToken(options: OpenTokenOptions): Promise<Pkcs11Token>;
  /** Closes every token opened through it, then finalises and unloads the library. */
  close(): Promise<void>;
}

/** How to open a token. */
export interface OpenTokenOptions {
  /** The token's label (CKA_LABEL of the token, as `softhsm2-util --show-slots` lists it). */
  readonly label: string;
  /** The user PIN. Never logged, never put in an error. */
  readonly pin: string;
  /**
   * Signing threads, each with a session of its own and one signature at a time; default 2. More suit
   * an HSM whose latency rather than its CPU bounds its rate (a network HSM).
   */
  readonly sessions?: number;
}

/** What the token says about a private key's protection (read with C_GetAttributeValue). */
export interface PrivateKeyProtection {
  /** CKA_TOKEN: stored in the token, not a session object. */
  readonly token: boolean;
  /** CKA_SENSITIVE: its value is never revealed in the clear. */
  readonly sensitive: boolean;
  /** CKA_EXTRACTABLE: it may be exported wrapped. */
  readonly extractable: boolean;
  /** CKA_ALWAYS_SENSITIVE: it has been sensitive since it was made. */
  readonly alwaysSensitive: boolean;
  /** CKA_NEVER_EXTRACTABLE: it has never been extractable. */
  readonly neverExtractable: boolean;
}

/** An ES256 key pair in the token. */
export interface Pkcs11Key {
  /** CKA_LABEL shared by its private and public objects. */
  readonly label: string;
  /** CKA_ID, hex (Fabric's key identifier for keys made here). */
  readonly id: string;
  readonly alg: 'ES256';
  readonly publicKeyJwk: P256PublicJwk;
  readonly protection: PrivateKeyProtection;
  /**
   * Signs a SHA-256 digest with CKM_ECDSA: the 64-byte r‖s, low-S.
   * Fails: PKCS11_DEVICE_ERROR (token removed or failed, token closed).
   */
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
  /**
   * did-jwt's `Signer`, for credentials, status lists and trust lists: SHA-256 of the data (UTF-8 when a
   * string), signed in the token, base64url r‖s, low-S. Fails as `signDigest`.
   */
  readonly credentialSigner: (data: string | Uint8Array) => Promise<string>;
  /**
   * fabric-gateway's `Signer`, for ledger transactions: the digest fabric-gateway hands it, signed in the
   * token, DER, low-S (as Fabric requires). Fails as `signDigest`.
   */
  readonly ledgerSigner: (digest: Uint8Array) => Promise<Uint8Array>;
}

/** An open token. Several signatures run at once, one per session. */
export interface Pkcs11Token extends AsyncDisposable {
  readonly module: string;
  readonly label: string;
  readonly description: TokenDescription;
  /** Sessions signing at once. */
  readonly sessions: number;
  /**
   * The ES256 key pair with this label.
   * Fails: PKCS11_KEY_NOT_FOUND, PKCS11_KEY_UNSUITABLE (not P-256, cannot sign, no public half, several
   * keys with the label, or its public half does not match), PKCS11_DEVICE_ERROR.
   */
  key(label: string): Promise<Pkcs11Key>;
  /** The key with this label, or undefined when the token has none. Fails as `key` otherwise. */
  findKey(label: string): Promise<Pkcs11Key | undefined>;
  /**
   * Generates an ES256 (P-256) key pair inside the token: the private key a token object, sensitive, not
   * extractable, for signing only; CKA_ID is Fabric's key identifier (SHA-256 of the public point).
   * Fails: PKCS11_KEY_EXISTS when a key has the label, PKCS11_DEVICE_ERROR (includes a token that
   * refuses to generate).
   */
  generateKey(label: string): Promise<Pkcs11Key>;
  /** Waits for signatures in flight, closes the sessions (and logs out with the last of them). */
  close(): Promise<void>;
}
