/**
 * Function-shaped views of the issuer's two steps, for callers that hold a key and a Registry but
 * want no `Issuer` object (benchmarks, test fixtures). There is one signing path and one anchoring
 * path: both live in `issuer.ts`, and these only adapt them.
 */
import type { AnchorRequest } from '@credledger/vocabulary';

import type { CredentialSubject, CredentialTypeDefinition } from '@credledger/verify';
import type { SignPool } from '../credentials/sign-pool.js';
import { anchorRequestOf, createIssuer, type IssuerRegistry } from '../issuer.js';
import type { IssuerKey } from '../keys/issuer-key.js';
import type { Registry } from '@credledger/ledger';
import type { StatusIndexAllocator } from '../status/allocator.js';
import { CredledgerError } from '@credledger/verify';

export interface SigningOptions {
  readonly type: CredentialTypeDefinition;
  readonly issuerDid: string;
  /** The issuer's current signing key (its `kid` must be registered and active on the ledger). */
  readonly key: IssuerKey;
  /** Hands out status list indexes; idempotent per credential id. */
  readonly allocator: StatusIndexAllocator;
  /** Where the issuer's status lists are published (`credentialStatus` URLs). */
  readonly statusBaseUrl: string;
  /** Start of validity; default the signing time. */
  readonly validFrom?: Date;
  /** End of validity; default `validFrom` + the type's default years; `null` for none. */
  readonly validUntil?: Date | null;
  /** Clock (tests); default `new Date()`. */
  readonly now?: () => Date;
  /** Worker threads signing with the same key; without it, small batches sign on the calling thread. */
  readonly pool?: SignPool;
}

/** Signing never reaches the ledger; a registry that says so if it ever did. */
const noLedger: IssuerRegistry = {
  issueCredentials: () => Promise.reject(new CredledgerError('CONFIG_INVALID', 'a credential signer does not anchor')),
  setCredentialStatus: () =>
    Promise.reject(new CredledgerError('CONFIG_INVALID', 'a credential signer does not change status')),
  setCredentialStatuses: () =>
    Promise.reject(new CredledgerError('CONFIG_INVALID', 'a credential signer does not change status')),
  getSubjectHolders: () =>
    Promise.reject(new CredledgerError('CONFIG_INVALID', 'a credential signer does not read the ledger')),
};

/**
 * Signs credentials of one type for one issuer through `Issuer.signCredentials` (status indexes
 * allocated, payload built, signed). Never touches the ledger. Returns the JWTs in item order.
 * Fails: SCHEMA_INVALID, INVALID_INPUT (ids), KEY_STORE_ERROR (key/alg mismatch).
 */
export function credentialSigner(
  options: SigningOptions,
): (items: readonly { readonly id: string; readonly subject: CredentialSubject }[]) => Promise<string[]> {
  const issuer = createIssuer({
    registry: noLedger,
    issuerDid: options.issuerDid,
    key: options.key,
    statusAllocator: options.allocator,
    statusBaseUrl: options.statusBaseUrl,
    // Without a pool the caller asked for no worker threads.
    ...(options.pool === undefined ? { workers: 0 } : { signPool: options.pool }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const validity = {
    ...(options.validFrom === undefined ? {} : { validFrom: options.validFrom }),
    ...(options.validUntil === undefined ? {} : { validUntil: options.validUntil }),
  };
  return async (items) => (await issuer.signCredentials(options.type.name, items, validity)).map((c) => c.jwt);
}

/** The ledger's anchor record of a signed credential (see `anchorRequestOf`). */
export function anchorRecordOf(jwt: string): AnchorRequest {
  return anchorRequestOf(jwt);
}

/**
 * Anchors signed credentials through the Registry, one transaction per call (≤ the chaincode's limit).
 * An identical re-anchor is a no-op on the ledger; the same id with another digest fails ID_CONFLICT.
 */
export function registryAnchor(
  registry: Registry,
  issuerDid: string,
): (jwts: readonly string[]) => Promise<{ readonly txId: string }> {
  return async (jwts) => {
    const receipt = await registry.issueCredentials({ issuerDid, credentials: jwts.map(anchorRequestOf) });
    return { txId: receipt.txId };
  };
}
