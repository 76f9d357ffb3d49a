/**
 * Typed calls to the credledger chaincode over any {@link Ledger} (embedded or Fabric). The only
 * caller of the Ledger interface: it names the wire transactions, sends one JSON argument each and
 * parses the JSON each returns. Writes are submitted (endorse, order, commit); reads are evaluated.
 */
import type {
  AddIssuerKeyRequest,
  AnchorRequest,
  CredentialHistoryEntry,
  CredentialPage,
  CredentialRecord,
  InitRequest,
  IssueCredentialsResult,
  IssuerRecord,
  MarkIssuerKeyCompromisedRequest,
  RegisterIssuerRequest,
  RegistryConfig,
  RetireIssuerKeyRequest,
  SetCredentialStatusesRequest,
  SetCredentialStatusesResult,
  SetCredentialStatusRequest,
  SetCredentialStatusResult,
  SetIssuerStatusRequest,
  SubjectHolder,
  SubjectHoldersResult,
  VerifyDigestResult,
} from '@credledger/vocabulary';
import { CredledgerError } from '@credledger/verify';
import { fromLedgerError } from './from-ledger-error.js';
import type { Ledger } from './ledger.js';

export type {
  AddIssuerKeyRequest,
  AnchorRequest,
  CredentialHistoryEntry,
  CredentialPage,
  CredentialRecord,
  InitRequest,
  IssueCredentialsRequest,
  IssueCredentialsResult,
  IssuerKey,
  IssuerKeyRequest,
  IssuerName,
  IssuerRecord,
  MarkIssuerKeyCompromisedRequest,
  PublicKeyJwk,
  RegisterIssuerRequest,
  RegistryConfig,
  RetireIssuerKeyRequest,
  SetCredentialStatusesRequest,
  SetCredentialStatusesResult,
  SetCredentialStatusRequest,
  SetCredentialStatusResult,
  SetIssuerStatusRequest,
  StatusChange,
  StatusChangeRequest,
  SubjectHolder,
  Supersession,
  VerifyDigestResult,
  CredentialStatus,
  IssuerStatus,
  ReasonCode,
} from '@credledger/vocabulary';

/** Wire names of the chaincode's transactions (`Contract:Function`). */
export const transactionNames = {
  init: 'IssuerRegistryContract:Init',
  registerIssuer: 'IssuerRegistryContract:RegisterIssuer',
  addIssuerKey: 'IssuerRegistryContract:AddIssuerKey',
  retireIssuerKey: 'IssuerRegistryContract:RetireIssuerKey',
  markIssuerKeyCompromised: 'IssuerRegistryContract:MarkIssuerKeyCompromised',
  setIssuerStatus: 'IssuerRegistryContract:SetIssuerStatus',
  getIssuer: 'IssuerRegistryContract:GetIssuer',
  listIssuers: 'IssuerRegistryContract:ListIssuers',
  issueCredentials: 'CredentialContract:IssueCredentials',
  setCredentialStatus: 'CredentialContract:SetCredentialStatus',
  setCredentialStatuses: 'CredentialContract:SetCredentialStatuses',
  getCredential: 'CredentialContract:GetCredential',
  verifyDigest: 'CredentialContract:VerifyDigest',
  getSubjectHolders: 'CredentialContract:GetSubjectHolders',
  getCredentialHistory: 'CredentialContract:GetCredentialHistory',
  listCredentialsByIssuer: 'CredentialContract:ListCredentialsByIssuer',
} as const;

/** Most credentials one `issueCredentials` / `setCredentialStatuses` call may carry (the chaincode's limit). */
export const maxCredentialsPerTransaction = 2000;

/** Where a write landed. */
export interface Receipt {
  readonly txId: string;
  readonly blockNumber: bigint;
}

export interface PageOptions {
  /** 1..1000 (default 100). */
  readonly pageSize?: number;
  /** From the previous page; omit for the first. */
  readonly bookmark?: string;
}

const decoder = new TextDecoder();

/**
 * Typed access to the issuer registry and credential anchors.
 * Every method fails with a CredledgerError: the chaincode's code (INVALID_INPUT, ACCESS_DENIED,
 * NOT_INITIALIZED, ISSUER_NOT_FOUND, …, see docs/data-model.md) or a ledger one (MVCC_CONFLICT,
 * ENDORSEMENT_FAILED, TRANSACTION_INVALID, LEDGER_UNAVAILABLE, DEADLINE_EXCEEDED, CHAINCODE_ERROR).
 * @example
 * const registry = new Registry(network.connect('MojMSP/operator'));
 * const { anchored } = await registry.issueCredentials({ issuerDid: 'did:web:moj.gov.tw', credentials });
 * const { status } = await registry.getCredential(anchored[0]);
 */
export class Registry {
  readonly #ledger: Ledger;

  /** @param ledger the connection to act through; its identity decides what the chaincode allows. */
  constructor(ledger: Ledger) {
    this.#ledger = ledger;
  }

  // ── Issuer registry (writes: governance admins) ──────────────────────────────────────────

  /** Fixes the governance MSP ids, once (the caller must be a governance admin of one of them). Fails: ACCESS_DENIED, INVALID_TRANSITION, INVALID_INPUT. */
  async init(request: InitRequest): Promise<RegistryConfig> {
    return (await this.#submit<RegistryConfig>(transactionNames.init, request)).result;
  }

  /** Registers an issuer. Fails: ACCESS_DENIED, ISSUER_EXISTS, INVALID_INPUT, NOT_INITIALIZED. */
  async registerIssuer(request: RegisterIssuerRequest): Promise<IssuerRecord> {
    return (await this.#submit<IssuerRecord>(transactionNames.registerIssuer, request)).result;
  }

  /** Adds a signing key to an issuer. Fails: ACCESS_DENIED, ISSUER_NOT_FOUND, ISSUER_INACTIVE, KEY_EXISTS, INVALID_INPUT. */
  async addIssuerKey(request: AddIssuerKeyRequest): Promise<IssuerRecord> {
    return (await this.#submit<IssuerRecord>(transactionNames.addIssuerKey, request)).result;
  }

  /** Ends a key's signing window (default now; never in the past). Fails: ACCESS_DENIED, ISSUER_NOT_FOUND, KEY_NOT_FOUND, INVALID_TRANSITION, INVALID_INPUT. */
  async retireIssuerKey(request: RetireIssuerKeyRequest): Promise<IssuerRecord> {
    return (await this.#submit<IssuerRecord>(transactionNames.retireIssuerKey, request)).result;
  }

  /** Marks a key compromised since an instant. Fails: ACCESS_DENIED, ISSUER_NOT_FOUND, KEY_NOT_FOUND, INVALID_TRANSITION, INVALID_INPUT. */
  async markIssuerKeyCompromised(request: MarkIssuerKeyCompromisedRequest): Promise<IssuerRecord> {
    return (await this.#submit<IssuerRecord>(transactionNames.markIssuerKeyCompromised, request)).result;
  }

  /** ACTIVE ⇄ SUSPENDED, → DEACTIVATED (terminal). Fails: ACCESS_DENIED, ISSUER_NOT_FOUND, INVALID_TRANSITION, INVALID_INPUT. */
  async setIssuerStatus(request: SetIssuerStatusRequest): Promise<IssuerRecord> {
    return (await this.#submit<IssuerRecord>(transactionNames.setIssuerStatus, request)).result;
  }

  /** Reads one issuer. Fails: ISSUER_NOT_FOUND, NOT_INITIALIZED, INVALID_INPUT. */
  async getIssuer(did: string): Promise<IssuerRecord> {
    return this.#evaluate<IssuerRecord>(transactionNames.getIssuer, { did });
  }

  /** Every registered issuer, in DID order. Fails: NOT_INITIALIZED. */
  async listIssuers(): Promise<IssuerRecord[]> {
    return this.#evaluate<IssuerRecord[]>(transactionNames.listIssuers, {});
  }

  // ── Credentials (writes: issuer operators of the owning organisation) ─────────────────────

  /**
   * Anchors 1..2000 credentials of one issuer in one transaction, all or nothing. Already anchored
   * identical ones come back in `unchanged`, so a retry is safe. A credential for a subject that
   * another credential of the issuer and type holds is refused, unless `supersede` revokes that one
   * (reason SUPERSEDED) in the same transaction; see `superseded`.
   * Fails: ACCESS_DENIED, ISSUER_NOT_FOUND, ISSUER_INACTIVE, TYPE_NOT_ALLOWED, KEY_NOT_FOUND, KEY_NOT_ACTIVE,
   * ID_CONFLICT, SUBJECT_HAS_ACTIVE_CREDENTIAL, INVALID_TRANSITION (superseding a suspended one),
   * BATCH_TOO_LARGE, INVALID_INPUT, MVCC_CONFLICT.
   */
  async issueCredentials(request: {
    readonly issuerDid: string;
    readonly credentials: readonly AnchorRequest[];
    readonly supersede?: boolean;
  }): Promise<IssueCredentialsResult & Receipt> {
    const { result, receipt } = await this.#submit<IssueCredentialsResult>(transactionNames.issueCredentials, request);
    return { ...result, ...receipt };
  }

  /**
   * Changes one credential's status with a reason (`change: null` when it already had both).
   * Fails: ACCESS_DENIED, CREDENTIAL_NOT_FOUND, ISSUER_INACTIVE, INVALID_TRANSITION, INVALID_INPUT, MVCC_CONFLICT.
   */
  async setCredentialStatus(request: SetCredentialStatusRequest): Promise<SetCredentialStatusResult & Receipt> {
    const { result, receipt } = await this.#submit<SetCredentialStatusResult>(
      transactionNames.setCredentialStatus,
      request,
    );
    return { ...result, ...receipt };
  }

  /** Changes the status of 1..2000 credentials of one issuer, all or nothing. Fails: as setCredentialStatus, plus ISSUER_NOT_FOUND, BATCH_TOO_LARGE. */
  async setCredentialStatuses(request: SetCredentialStatusesRequest): Promise<SetCredentialStatusesResult & Receipt> {
    const { result, receipt } = await this.#submit<SetCredentialStatusesResult>(
      transactionNames.setCredentialStatuses,
      request,
    );
    return { ...result, ...receipt };
  }

  /** Reads one credential anchor. Fails: CREDENTIAL_NOT_FOUND, INVALID_INPUT, NOT_INITIALIZED. */
  async getCredential(id: string): Promise<CredentialRecord> {
    return this.#evaluate<CredentialRecord>(transactionNames.getCredential, { id });
  }

  /** Compares a digest (lowercase hex SHA-256 of the compact JWS) with the anchored one. Fails: CREDENTIAL_NOT_FOUND, INVALID_INPUT. */
  async verifyDigest(id: string, digest: string): Promise<VerifyDigestResult> {
    return this.#evaluate<VerifyDigestResult>(transactionNames.verifyDigest, { id, digest });
  }

  /**
   * Which of 1..2000 subject digests (see `subjectDigestOf`) of an issuer are held, and by which
   * credential (ACTIVE or SUSPENDED); digests nobody holds are left out. A read: the ledger may change
   * before a later issuance, which checks again. Fails: ISSUER_NOT_FOUND, INVALID_INPUT.
   */
  async getSubjectHolders(issuerDid: string, subjectDigests: readonly string[]): Promise<SubjectHolder[]> {
    return (
      await this.#evaluate<SubjectHoldersResult>(transactionNames.getSubjectHolders, { issuerDid, subjectDigests })
    ).holders;
  }

  /** The audit trail of one credential, oldest first (tx id, time, status, reason, acting MSP, supersession links). Fails: CREDENTIAL_NOT_FOUND, INVALID_INPUT. */
  async getCredentialHistory(id: string): Promise<CredentialHistoryEntry[]> {
    return (await this.#evaluate<{ entries: CredentialHistoryEntry[] }>(transactionNames.getCredentialHistory, { id }))
      .entries;
  }

  /** One page of an issuer's credentials in id order; `bookmark` is `''` after the last page. Fails: ISSUER_NOT_FOUND, INVALID_INPUT. */
  async listCredentialsByIssuer(issuerDid: string, options: PageOptions = {}): Promise<CredentialPage> {
    const request: { issuerDid: string; pageSize?: number; bookmark?: string } = { issuerDid };
    if (options.pageSize !== undefined) request.pageSize = options.pageSize;
    if (options.bookmark !== undefined && options.bookmark !== '') request.bookmark = options.bookmark;
    return this.#evaluate<CredentialPage>(transactionNames.listCredentialsByIssuer, request);
  }

  /** Every credential of an issuer, page by page. Fails: as listCredentialsByIssuer. */
  async *credentialsByIssuer(
    issuerDid: string,
    options: { readonly pageSize?: number } = {},
  ): AsyncGenerator<CredentialRecord, void, undefined> {
    const pageSize = options.pageSize ?? 100;
    let bookmark = '';
    for (;;) {
      const page = await this.listCredentialsByIssuer(issuerDid, { pageSize, bookmark });
      yield* page.records;
      // LevelDB ends with an empty bookmark; CouchDB repeats its end key, so a short page also ends it.
      if (page.bookmark === '' || page.bookmark === bookmark || page.records.length < pageSize) return;
      bookmark = page.bookmark;
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names the transaction's result shape
  async #submit<T>(name: string, request: unknown): Promise<{ result: T; receipt: Receipt }> {
    let committed;
    try {
      committed = await this.#ledger.submit(name, JSON.stringify(request));
    } catch (err) {
      throw fromLedgerError(err);
    }
    return {
      result: decode<T>(name, committed.payload),
      receipt: { txId: committed.txId, blockNumber: committed.blockNumber },
    };
  }

  async #evaluate<T>(name: string, request: unknown): Promise<T> {
    let payload;
    try {
      payload = await this.#ledger.evaluate(name, JSON.stringify(request));
    } catch (err) {
      throw fromLedgerError(err);
    }
    return decode<T>(name, payload);
  }
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names the transaction's result shape
function decode<T>(name: string, payload: Uint8Array): T {
  try {
    return JSON.parse(decoder.decode(payload)) as T;
  } catch (err) {
    throw new CredledgerError('CHAINCODE_ERROR', `${name} returned a payload that is not JSON`, { cause: err });
  }
}
