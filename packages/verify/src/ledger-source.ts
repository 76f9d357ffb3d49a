/**
 * Status source reading the ledger through a reader the caller injects — the SDK's Registry on a
 * Fabric or embedded ledger (live, authoritative: issuer records with all keys, credential records
 * with digest, anchor time and status). Nothing of a ledger is imported here: the reader is structural.
 */
import { KeyCache } from './jws.js';
import { isCredledgerError } from './errors.js';
import { parseCredentialRecord, parseIssuerRecord, type CredentialRecord, type IssuerRecord } from './records.js';
import {
  StatusSourceError,
  type IssuerLookup,
  type StatusLookup,
  type StatusRequest,
  type StatusSource,
} from './status-source.js';

/**
 * What this source needs of a Registry (`new Registry(ledger)`); structural, so any reader with these
 * two calls works. Not-found may be reported as undefined/null or as a CredledgerError with code
 * ISSUER_NOT_FOUND / CREDENTIAL_NOT_FOUND.
 */
export interface RegistryReader {
  getIssuer(did: string): Promise<IssuerRecord | null | undefined>;
  getCredential(id: string): Promise<CredentialRecord | null | undefined>;
}

async function read<T>(
  call: () => Promise<T>,
  notFound: 'ISSUER_NOT_FOUND' | 'CREDENTIAL_NOT_FOUND',
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isCredledgerError(error, notFound)) return undefined;
    throw new StatusSourceError(
      'STATUS_SOURCE_UNAVAILABLE',
      error instanceof Error ? error.message : 'ledger read failed',
      { cause: error },
    );
  }
}

class LedgerStatusSource implements StatusSource {
  readonly kind = 'ledger';
  readonly keys = new KeyCache();
  constructor(
    private readonly registry: RegistryReader,
    private readonly clock: () => Date,
  ) {}

  async getIssuer(did: string): Promise<IssuerLookup> {
    const raw = await read(() => this.registry.getIssuer(did), 'ISSUER_NOT_FOUND');
    const asOf = this.clock().toISOString();
    if (raw === undefined || raw === null) return { issuer: undefined, asOf };
    const issuer = parseIssuerRecord(raw);
    if (!issuer)
      throw new StatusSourceError('STATUS_SOURCE_UNAVAILABLE', `ledger issuer record of ${did} is malformed`);
    return { issuer, asOf };
  }

  async getStatus(request: StatusRequest): Promise<StatusLookup> {
    const raw = await read(() => this.registry.getCredential(request.id), 'CREDENTIAL_NOT_FOUND');
    const asOf = this.clock().toISOString();
    if (raw === undefined || raw === null) return { kind: 'record', record: null, asOf };
    const record = parseCredentialRecord(raw);
    if (!record)
      throw new StatusSourceError('STATUS_SOURCE_UNAVAILABLE', `ledger record of ${request.id} is malformed`);
    return { kind: 'record', record, asOf };
  }
}

/**
 * Creates a status source over a Registry. `clock` stamps `asOf` (the read time); default `new Date()`.
 *
 * @example
 * const result = await verifyCredential(jwt, { status: ledgerStatusSource(new Registry(ledger)) });
 */
export function ledgerStatusSource(
  registry: RegistryReader,
  options: { readonly clock?: () => Date } = {},
): StatusSource {
  return new LedgerStatusSource(registry, options.clock ?? (() => new Date()));
}
