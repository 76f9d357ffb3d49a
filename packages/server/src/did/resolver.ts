/**
 * A did-resolver driver for issuer `did:web` DIDs: the ledger's issuer registry answers first and is
 * authoritative; DIDs it does not hold resolve over HTTPS as plain `did:web` (web-did-resolver).
 * Browser-safe: no `node:*` imports; the registry is any object with `getIssuer` (a {@link Registry}
 * over a ledger, or a client of `credledger serve`).
 * @see https://w3c-ccg.github.io/did-method-web/#read-resolve
 * @see https://www.w3.org/TR/did-core/#did-document-metadata
 */
import {
  Resolver,
  type DIDCache,
  type DIDDocument,
  type DIDDocumentMetadata,
  type DIDResolutionResult,
  type DIDResolver,
  type ParsedDID,
  type ResolverRegistry,
} from 'did-resolver';
import { isCredledgerError, type ErrorCode, quoteInput } from '@credledger/verify';
import type { IssuerRecord, Registry } from '@credledger/ledger';
import { didWebUrl, issuerDidDocument } from './did-document.js';

/** Where a resolution's answer came from, in `didResolutionMetadata.source`. */
export type DidSource = 'registry' | 'https';

/** The DID document metadata of a registry answer (DID Core properties plus the issuer's status). */
export interface IssuerDidDocumentMetadata extends DIDDocumentMetadata {
  readonly created: string;
  readonly updated: string;
  /** True for a DEACTIVATED issuer (DID Core `deactivated`). */
  readonly deactivated: boolean;
  readonly issuerStatus: IssuerRecord['status'];
}

export interface LedgerDidResolverOptions {
  /** Resolve DIDs the registry does not hold over HTTPS `did:web` (default true). */
  readonly https?: boolean;
  /**
   * Fetch for the HTTPS fallback. Without it the fallback is web-did-resolver, the standard driver
   * (which fetches through cross-fetch and takes no fetch of its own); with it, the same URL rule
   * ({@link didWebUrl}) and the same checks (a JSON document whose `id` is the DID) run over this fetch.
   */
  readonly fetch?: typeof globalThis.fetch;
}

/** Registry failures that mean "this DID is not in the registry" rather than "the registry did not answer". */
const notInRegistry: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ISSUER_NOT_FOUND',
  // The chaincode accepts a narrower did:web syntax (lowercase host, short paths); a DID it rejects can
  // never have been registered.
  'INVALID_INPUT',
]);

/**
 * A did-resolver driver for method `web` that answers from the ledger's issuer registry: the issuer's
 * DID document from {@link issuerDidDocument} (every key with its validity window, retired and
 * compromised ones included) and `didDocumentMetadata` with `created`/`updated` from the record, its
 * `issuerStatus`, and `deactivated: true` for a DEACTIVATED issuer.
 *
 * A DID the registry does not hold (ISSUER_NOT_FOUND) falls back to HTTPS `did:web` unless
 * `https: false` (then `notFound`). Any other registry failure (LEDGER_UNAVAILABLE, DEADLINE_EXCEEDED,
 * NOT_INITIALIZED, …) yields an `internalError` result and never an HTTPS answer: the registry is
 * authoritative, and a registered issuer whose ledger is briefly unreachable must not be answered by
 * whatever its web server (or someone who took over its domain) serves — a deactivated issuer or a
 * compromised key would be hidden. `didResolutionMetadata.source` says which answered.
 * The driver never throws; failures are results, as did-resolver expects of drivers.
 * @param registry where issuers are read; `getIssuer` fails with CredledgerError (ISSUER_NOT_FOUND, …)
 * @example
 * const resolver = new Resolver(ledgerDidResolver(new Registry(network.connect('NdcMSP/auditor'))));
 * const { didDocument, didDocumentMetadata } = await resolver.resolve('did:web:moj.gov.tw');
 */
export function ledgerDidResolver(
  registry: Pick<Registry, 'getIssuer'>,
  options: LedgerDidResolverOptions = {},
): ResolverRegistry {
  const overHttps: DIDResolver | undefined =
    options.https === false
      ? undefined
      : options.fetch === undefined
        ? standardWebResolver()
        : fetchWebResolver(options.fetch);

  const web: DIDResolver = async (did, parsed, resolver, resolutionOptions) => {
    try {
      didWebUrl(did);
    } catch {
      return failure('invalidDid', `not a did:web DID: ${quoteInput(did)}`);
    }
    let issuer: IssuerRecord;
    try {
      issuer = await registry.getIssuer(did);
    } catch (err) {
      if (isCredledgerError(err) && notInRegistry.has(err.code)) {
        if (overHttps === undefined) return failure('notFound', `${did} is not in the issuer registry`);
        const result = await overHttps(did, parsed, resolver, resolutionOptions);
        return {
          ...result,
          // web-did-resolver returns a document whose id is another DID alongside its error; drop it.
          didDocument: result.didResolutionMetadata.error === undefined ? result.didDocument : null,
          didResolutionMetadata: { ...result.didResolutionMetadata, source: 'https' satisfies DidSource },
        };
      }
      const code = isCredledgerError(err) ? err.code : undefined;
      return failure('internalError', `the issuer registry did not answer for ${did}: ${messageOf(err)}`, {
        ...(code === undefined ? {} : { code }),
      });
    }
    let didDocument: DIDDocument;
    try {
      didDocument = issuerDidDocument(issuer);
    } catch (err) {
      return failure('internalError', `the issuer registry holds an unusable record for ${did}: ${messageOf(err)}`);
    }
    const didDocumentMetadata: IssuerDidDocumentMetadata = {
      created: issuer.registeredAt,
      updated: issuer.updatedAt,
      deactivated: issuer.status === 'DEACTIVATED',
      issuerStatus: issuer.status,
    };
    return {
      didDocument,
      didDocumentMetadata,
      didResolutionMetadata: { contentType: 'application/did+ld+json', source: 'registry' satisfies DidSource },
    };
  };
  return { web };
}

export interface IssuerResolverOptions extends LedgerDidResolverOptions {
  readonly registry: Pick<Registry, 'getIssuer'>;
  /**
   * did-resolver's cache: `true` for its in-memory cache, or a {@link DIDCache}. Default off, so a key
   * marked compromised or an issuer deactivated on the ledger is seen by the next resolution.
   */
  readonly cache?: boolean | DIDCache;
  /** Drivers for other DID methods (e.g. `did:key`); `web` is always the ledger driver. */
  readonly resolvers?: ResolverRegistry;
}

/**
 * A did-resolver `Resolver` for issuer DIDs, ledger registry first ({@link ledgerDidResolver}), with
 * caching off unless asked for. Give it to did-jwt's `verifyJWT` (a fresh options object per call).
 * @example
 * const resolver = createIssuerResolver({ registry: new Registry(network.connect('NdcMSP/auditor')) });
 * const { payload } = await verifyJWT(jwt, { resolver, proofPurpose: 'assertionMethod' });
 */
export function createIssuerResolver(options: IssuerResolverOptions): Resolver {
  const { registry, cache = false, resolvers = {}, ...driverOptions } = options;
  return new Resolver({ ...resolvers, ...ledgerDidResolver(registry, driverOptions) }, { cache });
}

/**
 * web-did-resolver's driver, loaded when a DID first falls back to HTTPS: it brings cross-fetch and a
 * URL polyfill, which a server that never resolves over HTTPS need not load at its start.
 */
function standardWebResolver(): DIDResolver {
  let driver: Promise<DIDResolver> | undefined;
  const load = async (): Promise<DIDResolver> => {
    const { getResolver } = await import('web-did-resolver');
    // web-did-resolver is typed against did-resolver 4; its driver signature is the same.
    const { web } = getResolver() as unknown as ResolverRegistry;
    if (web === undefined) throw new Error('web-did-resolver exports no `web` driver');
    return web;
  };
  return async (did, parsed, resolver, options) => (await (driver ??= load()))(did, parsed, resolver, options);
}

function fetchWebResolver(fetch: typeof globalThis.fetch): DIDResolver {
  return async (did: string, _parsed: ParsedDID): Promise<DIDResolutionResult> => {
    const url = didWebUrl(did);
    let body: unknown;
    try {
      const response = await fetch(url, { headers: { accept: 'application/did+json, application/json' } });
      if (!response.ok) return failure('notFound', `${url} answered ${String(response.status)}`);
      body = await response.json();
    } catch (err) {
      return failure('notFound', `${url} gave no JSON document: ${messageOf(err)}`);
    }
    if (typeof body !== 'object' || body === null || (body as { id?: unknown }).id !== did) {
      return failure('notFound', `the document at ${url} is not the DID document of ${did}`);
    }
    const didDocument = body as DIDDocument;
    return {
      didDocument,
      didDocumentMetadata: {},
      didResolutionMetadata: {
        contentType: '@context' in didDocument ? 'application/did+ld+json' : 'application/did+json',
      },
    };
  };
}

function failure(error: string, message: string, extra: Record<string, unknown> = {}): DIDResolutionResult {
  return { didDocument: null, didDocumentMetadata: {}, didResolutionMetadata: { error, message, ...extra } };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
