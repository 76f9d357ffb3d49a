/**
 * Credential anchors: digest, type, signing key, validity window and status of each credential,
 * written only by issuer operators of the organisation that owns the issuer. Every credential key
 * is pinned to that organisation by key-level endorsement, and so is every subject holder key: one
 * ACTIVE (or SUSPENDED) credential per issuer, type and subject, kept here where concurrent
 * issuances cannot both pass (they read the same holder key, so MVCC lets only one commit).
 */
import {
  eventNames,
  reasonsFor,
  type AnchorRequest,
  type CredentialHistory,
  type CredentialHistoryEntry,
  type CredentialPage,
  type CredentialRecord,
  type CredentialsIssuedPayload,
  type IssueCredentialsResult,
  type IssuerRecord,
  type SetCredentialStatusesResult,
  type SetCredentialStatusResult,
  type StatusChange,
  type StatusChangeRequest,
  type SubjectHolder,
  type SubjectHolderRecord,
  type SubjectHoldersResult,
  type Supersession,
  type VerifyDigestResult,
} from '@credledger/vocabulary';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import {
  callerMspId,
  emit,
  endorsementPolicyOf,
  requireConfig,
  requireIssuer,
  requireIssuerAs,
  requireOperatorOf,
  requireRole,
} from './access';
import { fail } from './codes';
import { isKeyActive } from './key-window';
import {
  parseCredentialQuery,
  parseIssueCredentialsRequest,
  parseListCredentialsByIssuerRequest,
  parseSetCredentialStatusesRequest,
  parseSetCredentialStatusRequest,
  parseSubjectHoldersRequest,
  parseVerifyDigestRequest,
} from './parse';
import {
  canonicalJson,
  credentialByIssuerKey,
  credentialKey,
  objectTypes,
  readJson,
  subjectHolderKey,
  txTime,
  unmarshal,
  writeJson,
} from './state';

/** A credential record as stored: anchors written before subject uniqueness lack its three members. */
type StoredCredentialRecord = Omit<CredentialRecord, 'subjectDigest' | 'supersedes' | 'supersededBy'> &
  Partial<Pick<CredentialRecord, 'subjectDigest' | 'supersedes' | 'supersededBy'>>;

/** A stored record with the members it may lack filled in. */
function normalised(stored: StoredCredentialRecord): CredentialRecord {
  return { subjectDigest: null, supersedes: null, supersededBy: null, ...stored };
}

async function findCredential(ctx: Context, id: string): Promise<CredentialRecord | undefined> {
  const stored = await readJson<StoredCredentialRecord>(ctx.stub, credentialKey(ctx.stub, id));
  return stored === undefined ? undefined : normalised(stored);
}

/** The holder record of a subject, or undefined when no credential ever held it. */
async function findSubjectHolder(
  ctx: Context,
  issuerDid: string,
  digest: string,
): Promise<SubjectHolderRecord | undefined> {
  return readJson<SubjectHolderRecord>(ctx.stub, subjectHolderKey(ctx.stub, issuerDid, digest));
}

async function requireCredential(ctx: Context, id: string): Promise<CredentialRecord> {
  return (await findCredential(ctx, id)) ?? fail('CREDENTIAL_NOT_FOUND', `no credential ${id} is anchored`);
}

/** True when an anchored record holds exactly what `request` would anchor for `issuerDid`. */
function anchoredAs(record: CredentialRecord, issuerDid: string, request: AnchorRequest): boolean {
  return (
    record.issuerDid === issuerDid &&
    record.digest === request.digest &&
    record.type === request.type &&
    record.kid === request.kid &&
    record.validFrom === request.validFrom &&
    record.validUntil === request.validUntil &&
    record.subjectDigest === request.subjectDigest
  );
}

/** The issuer must be ACTIVE to reinstate, not DEACTIVATED to suspend or revoke. */
function requireIssuerAllows(issuer: IssuerRecord, change: StatusChangeRequest): void {
  if (issuer.status === 'DEACTIVATED' || (issuer.status === 'SUSPENDED' && change.status === 'ACTIVE')) {
    fail('ISSUER_INACTIVE', `${issuer.did} is ${issuer.status}`);
  }
}

/** The change `record → request`, or null when the record already has that status and reason. */
function transition(record: CredentialRecord, request: StatusChangeRequest): StatusChange | null {
  if (record.status === request.status) {
    if (record.reason === request.reason) return null;
    fail('INVALID_TRANSITION', `${record.id} is already ${record.status} (with another reason)`);
  }
  const reasons = reasonsFor(record.status, request.status);
  if (reasons === undefined)
    fail('INVALID_TRANSITION', `${record.id} cannot go from ${record.status} to ${request.status}`);
  if (!reasons.includes(request.reason)) {
    fail(
      'INVALID_TRANSITION',
      `${request.reason} is not a reason for ${record.status} → ${request.status} (allowed: ${reasons.join(', ')})`,
    );
  }
  return { id: record.id, from: record.status, to: request.status, reason: request.reason };
}

/**
 * The credential that holds a subject: the one the holder record names, if it is still ACTIVE or
 * SUSPENDED and really is this issuer's credential for this subject digest. Anything else (a revoked
 * holder, which revocation normally clears; a record that does not match) holds nothing, so a
 * supersession can never revoke an unrelated credential.
 */
async function heldBy(
  ctx: Context,
  issuerDid: string,
  subjectDigest: string,
  holder: SubjectHolderRecord | undefined,
): Promise<CredentialRecord | undefined> {
  if (holder === undefined || holder.credentialId === null) return undefined;
  const held = await findCredential(ctx, holder.credentialId);
  const holds =
    held !== undefined &&
    held.status !== 'REVOKED' &&
    held.issuerDid === issuerDid &&
    held.subjectDigest === subjectDigest;
  return holds ? held : undefined;
}

/**
 * A revoked credential frees its subject: the issuer may then issue a new credential for it without
 * superseding. The holder key stays (with its key-level policy), naming no credential. Suspension keeps
 * the subject held, so a suspended licence cannot be sidestepped by issuing another.
 */
async function releaseSubject(ctx: Context, revoked: CredentialRecord): Promise<void> {
  if (revoked.subjectDigest === null) return;
  const holder = await findSubjectHolder(ctx, revoked.issuerDid, revoked.subjectDigest);
  if (holder?.credentialId !== revoked.id) return;
  const released: SubjectHolderRecord = { credentialId: null };
  await writeJson(ctx.stub, subjectHolderKey(ctx.stub, revoked.issuerDid, revoked.subjectDigest), released);
}

@Info({ title: 'credledger credentials', version: '0.1.0' })
export class CredentialContract extends Contract {
  constructor() {
    super('CredentialContract');
  }

  /**
   * Anchors a batch (1..2000) of credential digests for one issuer, all or nothing. An id already
   * anchored with identical content is reported `unchanged` (safe retry); with other content it is
   * ID_CONFLICT. Each new credential's key must be active at the transaction time. Each new credential
   * with a subject digest becomes its subject's holder: when another credential already holds the
   * subject, the batch fails SUBJECT_HAS_ACTIVE_CREDENTIAL unless `supersede` is set, which revokes
   * the ACTIVE holder with reason SUPERSEDED in this same transaction (a SUSPENDED holder: INVALID_TRANSITION).
   * Fails: INVALID_INPUT, BATCH_TOO_LARGE, NOT_INITIALIZED, ACCESS_DENIED, ISSUER_NOT_FOUND, ISSUER_INACTIVE,
   * TYPE_NOT_ALLOWED, KEY_NOT_FOUND, KEY_NOT_ACTIVE, ID_CONFLICT, SUBJECT_HAS_ACTIVE_CREDENTIAL, INVALID_TRANSITION.
   */
  @Transaction()
  @Returns('string')
  async IssueCredentials(ctx: Context, requestJson: string): Promise<string> {
    const request = parseIssueCredentialsRequest(requestJson);
    const issuer = await requireIssuerAs(ctx, request.issuerDid, 'issuer-operator', 'IssueCredentials');
    requireOperatorOf(ctx, issuer, 'anchor credentials');
    if (issuer.status !== 'ACTIVE') fail('ISSUER_INACTIVE', `${issuer.did} is ${issuer.status}`);

    const now = txTime(ctx.stub);
    const mspId = callerMspId(ctx);
    const anchored: CredentialRecord[] = [];
    const unchanged: string[] = [];
    /** Subject holder keys this transaction claims, and whether the key is new (then it gets its policy). */
    const claims: { key: string; id: string; isNew: boolean }[] = [];
    const superseded: { record: CredentialRecord; by: string }[] = [];
    for (const credential of request.credentials) {
      if (!issuer.credentialTypes.includes(credential.type)) {
        fail('TYPE_NOT_ALLOWED', `${issuer.did} may not issue ${credential.type} (${credential.id})`);
      }
      const existing = await findCredential(ctx, credential.id);
      if (existing !== undefined) {
        if (!anchoredAs(existing, issuer.did, credential))
          fail('ID_CONFLICT', `${credential.id} is already anchored with other content`);
        unchanged.push(credential.id);
        continue;
      }
      const key = issuer.keys.find((candidate) => candidate.kid === credential.kid);
      if (key === undefined) fail('KEY_NOT_FOUND', `${issuer.did} has no key ${credential.kid} (${credential.id})`);
      if (!isKeyActive(key, now))
        fail(
          'KEY_NOT_ACTIVE',
          `${credential.kid} is retired, compromised or not yet valid at ${now} (${credential.id})`,
        );
      let supersedes: string | null = null;
      if (credential.subjectDigest !== null) {
        const holder = await findSubjectHolder(ctx, issuer.did, credential.subjectDigest);
        const held = await heldBy(ctx, issuer.did, credential.subjectDigest, holder);
        if (held !== undefined) {
          if (!request.supersede) {
            fail(
              'SUBJECT_HAS_ACTIVE_CREDENTIAL',
              `${held.id} (${held.status}) is already the ${credential.type} of this subject at ${issuer.did}; ` +
                `${credential.id} was not anchored (supersede ${held.id}, or revoke it first)`,
            );
          }
          if (held.status === 'SUSPENDED') {
            fail(
              'INVALID_TRANSITION',
              `${held.id} is SUSPENDED; a suspended credential is not superseded (reinstate or revoke it first)`,
            );
          }
          supersedes = held.id;
          superseded.push({ record: held, by: credential.id });
        }
        claims.push({
          key: subjectHolderKey(ctx.stub, issuer.did, credential.subjectDigest),
          id: credential.id,
          isNew: holder === undefined,
        });
      }
      anchored.push({
        ...credential,
        issuerDid: issuer.did,
        status: 'ACTIVE',
        reason: null,
        anchoredAt: now,
        updatedAt: now,
        updatedByMspId: mspId,
        supersedes,
        supersededBy: null,
      });
    }

    const policy = endorsementPolicyOf([issuer.mspId]);
    for (const record of anchored) {
      const key = credentialKey(ctx.stub, record.id);
      await writeJson(ctx.stub, key, record);
      await ctx.stub.setStateValidationParameter(key, policy);
      // The index value is the id: never empty, since an empty value is a delete on Fabric.
      await ctx.stub.putState(
        credentialByIssuerKey(ctx.stub, record.issuerDid, record.id),
        Buffer.from(record.id, 'utf8'),
      );
    }
    for (const claim of claims) {
      const holder: SubjectHolderRecord = { credentialId: claim.id };
      await writeJson(ctx.stub, claim.key, holder);
      // Pinned like credential keys; a key that exists keeps the policy it got when first written.
      if (claim.isNew) await ctx.stub.setStateValidationParameter(claim.key, policy);
    }
    const changes: StatusChange[] = [];
    const supersessions: Supersession[] = [];
    for (const { record, by } of superseded) {
      const change = transition(record, { id: record.id, status: 'REVOKED', reason: 'SUPERSEDED' });
      if (change === null) continue;
      const revoked: CredentialRecord = {
        ...record,
        status: 'REVOKED',
        reason: 'SUPERSEDED',
        supersededBy: by,
        updatedAt: now,
        updatedByMspId: mspId,
      };
      await writeJson(ctx.stub, credentialKey(ctx.stub, record.id), revoked);
      changes.push(change);
      supersessions.push({ id: record.id, by });
    }
    const ids = anchored.map((record) => record.id);
    if (ids.length > 0) {
      const payload: CredentialsIssuedPayload = {
        issuerDid: issuer.did,
        ids,
        ...(changes.length > 0 ? { changes } : {}),
      };
      emit(ctx, eventNames.credentialsIssued, payload);
    }
    const result: IssueCredentialsResult = {
      issuerDid: issuer.did,
      anchored: ids,
      unchanged,
      superseded: supersessions,
    };
    return canonicalJson(result);
  }

  /**
   * Changes one credential's status: ACTIVE ⇄ SUSPENDED, ACTIVE|SUSPENDED → REVOKED (terminal), with a
   * reason that fits the transition. The current status and reason again is a no-op (`change: null`).
   * Fails: INVALID_INPUT, NOT_INITIALIZED, ACCESS_DENIED, CREDENTIAL_NOT_FOUND, ISSUER_INACTIVE, INVALID_TRANSITION.
   */
  @Transaction()
  @Returns('string')
  async SetCredentialStatus(ctx: Context, requestJson: string): Promise<string> {
    const request = parseSetCredentialStatusRequest(requestJson);
    await requireConfig(ctx);
    requireRole(ctx, 'issuer-operator', 'SetCredentialStatus');
    const record = await requireCredential(ctx, request.id);
    const issuer = await requireIssuer(ctx, record.issuerDid);
    requireOperatorOf(ctx, issuer, 'change the status of credentials');
    const [change] = await this.applyChanges(ctx, issuer, [[record, request]]);
    const result: SetCredentialStatusResult = change
      ? { credential: change.updated, change: change.change }
      : { credential: record, change: null };
    return canonicalJson(result);
  }

  /**
   * Changes the status of many credentials (1..2000) of one issuer, all or nothing; same rules as
   * SetCredentialStatus. Fails: INVALID_INPUT, BATCH_TOO_LARGE, NOT_INITIALIZED, ACCESS_DENIED,
   * ISSUER_NOT_FOUND, CREDENTIAL_NOT_FOUND, ISSUER_INACTIVE, INVALID_TRANSITION.
   */
  @Transaction()
  @Returns('string')
  async SetCredentialStatuses(ctx: Context, requestJson: string): Promise<string> {
    const request = parseSetCredentialStatusesRequest(requestJson);
    await requireConfig(ctx);
    requireRole(ctx, 'issuer-operator', 'SetCredentialStatuses');
    const issuer = await requireIssuer(ctx, request.issuerDid);
    requireOperatorOf(ctx, issuer, 'change the status of credentials');
    const pairs: [CredentialRecord, StatusChangeRequest][] = [];
    for (const change of request.changes) {
      const record = await requireCredential(ctx, change.id);
      if (record.issuerDid !== issuer.did) fail('INVALID_INPUT', `${record.id} was not issued by ${issuer.did}`);
      pairs.push([record, change]);
    }
    const applied = await this.applyChanges(ctx, issuer, pairs);
    const changedIds = new Set(applied.map((entry) => entry.change.id));
    const result: SetCredentialStatusesResult = {
      issuerDid: issuer.did,
      changed: applied.map((entry) => entry.change),
      unchanged: request.changes.map((change) => change.id).filter((id) => !changedIds.has(id)),
    };
    return canonicalJson(result);
  }

  /** Reads one credential anchor and its status. Fails: INVALID_INPUT, NOT_INITIALIZED, CREDENTIAL_NOT_FOUND. */
  @Transaction(false)
  @Returns('string')
  async GetCredential(ctx: Context, requestJson: string): Promise<string> {
    const request = parseCredentialQuery(requestJson);
    await requireConfig(ctx);
    return canonicalJson(await requireCredential(ctx, request.id));
  }

  /** Compares a digest with the anchored one; returns the record too, for its status. Fails: INVALID_INPUT, NOT_INITIALIZED, CREDENTIAL_NOT_FOUND. */
  @Transaction(false)
  @Returns('string')
  async VerifyDigest(ctx: Context, requestJson: string): Promise<string> {
    const request = parseVerifyDigestRequest(requestJson);
    await requireConfig(ctx);
    const credential = await requireCredential(ctx, request.id);
    const result: VerifyDigestResult = { id: credential.id, matches: credential.digest === request.digest, credential };
    return canonicalJson(result);
  }

  /**
   * Which of the given subject digests of an issuer are held, and by which credential (ACTIVE or
   * SUSPENDED): what a client checks before signing a batch, so duplicates are reported before anything
   * is signed. Evaluate only; the check that counts is the one IssueCredentials makes.
   * Fails: INVALID_INPUT, NOT_INITIALIZED, ISSUER_NOT_FOUND.
   */
  @Transaction(false)
  @Returns('string')
  async GetSubjectHolders(ctx: Context, requestJson: string): Promise<string> {
    const request = parseSubjectHoldersRequest(requestJson);
    await requireConfig(ctx);
    await requireIssuer(ctx, request.issuerDid);
    const holders: SubjectHolder[] = [];
    for (const subjectDigest of request.subjectDigests) {
      const holder = await findSubjectHolder(ctx, request.issuerDid, subjectDigest);
      const held = await heldBy(ctx, request.issuerDid, subjectDigest, holder);
      if (held !== undefined) holders.push({ subjectDigest, credentialId: held.id, status: held.status });
    }
    const result: SubjectHoldersResult = { holders };
    return canonicalJson(result);
  }

  /**
   * The audit trail of one credential, oldest first: every committed version with its tx id, time,
   * status, reason and acting MSP. Evaluate only (history reads are not re-validated at commit).
   * Fails: INVALID_INPUT, NOT_INITIALIZED, CREDENTIAL_NOT_FOUND.
   */
  @Transaction(false)
  @Returns('string')
  async GetCredentialHistory(ctx: Context, requestJson: string): Promise<string> {
    const request = parseCredentialQuery(requestJson);
    await requireConfig(ctx);
    await requireCredential(ctx, request.id);
    const entries: CredentialHistoryEntry[] = [];
    for await (const modification of ctx.stub.getHistoryForKey(credentialKey(ctx.stub, request.id))) {
      // This chaincode never deletes a credential key, so every version carries a record.
      if (modification.isDelete || modification.value.length === 0) continue;
      const version = normalised(unmarshal<StoredCredentialRecord>(modification.value));
      entries.push({
        txId: modification.txId,
        time: version.updatedAt,
        status: version.status,
        reason: version.reason,
        mspId: version.updatedByMspId,
        supersedes: version.supersedes,
        supersededBy: version.supersededBy,
      });
    }
    // Fabric 2.x returns history newest first; an audit trail reads oldest first.
    entries.reverse();
    const history: CredentialHistory = { id: request.id, entries };
    return canonicalJson(history);
  }

  /**
   * One page of an issuer's credentials in id order. Evaluate only: Fabric allows paginated queries
   * in read-only transactions only. The index entry is only a pointer, and unlike the credential key
   * it has no key-level endorsement policy: a credential whose own record names another issuer is
   * left out (as `heldBy` ignores a holder entry naming another issuer's credential), so a corrupted
   * or colliding index entry never lists another issuer's credential. The page is then filled from
   * the entries after it, so a page shorter than `pageSize` is still the last one (readers stop on a
   * short page). Fails: INVALID_INPUT, NOT_INITIALIZED, ISSUER_NOT_FOUND.
   */
  @Transaction(false)
  @Returns('string')
  async ListCredentialsByIssuer(ctx: Context, requestJson: string): Promise<string> {
    const request = parseListCredentialsByIssuerRequest(requestJson);
    await requireConfig(ctx);
    await requireIssuer(ctx, request.issuerDid);
    const records: CredentialRecord[] = [];
    let bookmark = request.bookmark;
    for (;;) {
      const wanted = request.pageSize - records.length;
      const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
        objectTypes.credentialByIssuer,
        [request.issuerDid],
        wanted,
        bookmark,
      );
      const ids: string[] = [];
      try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          ids.push(Buffer.from(next.value.value).toString('utf8'));
        }
      } finally {
        await iterator.close();
      }
      for (const id of ids) {
        const record = await requireCredential(ctx, id);
        if (record.issuerDid === request.issuerDid) records.push(record);
      }
      // LevelDB ends with an empty bookmark; CouchDB repeats its end key, so a short fetch also ends it.
      const done = ids.length < wanted || metadata.bookmark === '' || metadata.bookmark === bookmark;
      bookmark = metadata.bookmark;
      if (done || records.length === request.pageSize) break;
    }
    const page: CredentialPage = { records, bookmark };
    return canonicalJson(page);
  }

  private async applyChanges(
    ctx: Context,
    issuer: IssuerRecord,
    pairs: readonly (readonly [CredentialRecord, StatusChangeRequest])[],
  ): Promise<{ change: StatusChange; updated: CredentialRecord }[]> {
    const now = txTime(ctx.stub);
    const mspId = callerMspId(ctx);
    const applied: { change: StatusChange; updated: CredentialRecord }[] = [];
    for (const [record, request] of pairs) {
      requireIssuerAllows(issuer, request);
      const change = transition(record, request);
      if (change === null) continue;
      applied.push({
        change,
        updated: { ...record, status: change.to, reason: change.reason, updatedAt: now, updatedByMspId: mspId },
      });
    }
    // The key-level endorsement policy set at anchoring stays in force; only the value changes.
    for (const { updated } of applied) {
      await writeJson(ctx.stub, credentialKey(ctx.stub, updated.id), updated);
      if (updated.status === 'REVOKED') await releaseSubject(ctx, updated);
    }
    if (applied.length > 0) {
      emit(ctx, eventNames.credentialStatusChanged, {
        issuerDid: issuer.did,
        changes: applied.map((entry) => entry.change),
      });
    }
    return applied;
  }
}
