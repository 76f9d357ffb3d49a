/**
 * The issuer registry: which DIDs may issue which credential types, with which keys, owned by
 * which organisation. Writable only by governance admins; readable by every member.
 */
import {
  eventNames,
  issuerTransitions,
  type IssuerChange,
  type IssuerKey,
  type IssuerKeyRequest,
  type IssuerRecord,
  type RegistryConfig,
} from '@credledger/vocabulary';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { emit, endorsementPolicyOf, findIssuer, requireConfig, requireGovernanceAdmin, requireIssuer } from './access';
import { fail } from './codes';
import {
  parseAddIssuerKeyRequest,
  parseInitRequest,
  parseIssuerQuery,
  parseListIssuersRequest,
  parseMarkIssuerKeyCompromisedRequest,
  parseRegisterIssuerRequest,
  parseRetireIssuerKeyRequest,
  parseSetIssuerStatusRequest,
} from './parse';
import { canonicalJson, configKey, issuerKey, objectTypes, readJson, txTime, unmarshal, writeJson } from './state';

function keyOf(request: IssuerKeyRequest, now: string, path: string): IssuerKey {
  const validFrom = request.validFrom ?? now;
  const validUntil = request.validUntil ?? null;
  if (validUntil !== null && validUntil <= validFrom)
    fail('INVALID_INPUT', `${path}.validUntil must be later than validFrom`);
  return { kid: request.kid, publicKeyJwk: request.publicKeyJwk, validFrom, validUntil, compromisedSince: null };
}

function requireKey(issuer: IssuerRecord, kid: string): IssuerKey {
  return issuer.keys.find((key) => key.kid === kid) ?? fail('KEY_NOT_FOUND', `${issuer.did} has no key ${kid}`);
}

@Info({ title: 'credledger issuer registry', version: '0.1.0' })
export class IssuerRegistryContract extends Contract {
  constructor() {
    super('IssuerRegistryContract');
  }

  /**
   * Fixes the governance MSP ids, once (`--init-required` on Fabric). The caller must be a
   * governance admin of one of them. Repeating the same ids is a no-op; other ids: INVALID_TRANSITION.
   * Fails: INVALID_INPUT, ACCESS_DENIED, INVALID_TRANSITION.
   */
  @Transaction()
  @Returns('string')
  async Init(ctx: Context, requestJson: string): Promise<string> {
    const request = parseInitRequest(requestJson);
    const governanceMspIds = [...request.governanceMspIds].sort();
    const existing = await readJson<RegistryConfig>(ctx.stub, configKey(ctx.stub));
    if (existing !== undefined) {
      requireGovernanceAdmin(ctx, existing.governanceMspIds, 'Init');
      if (canonicalJson(existing.governanceMspIds) !== canonicalJson(governanceMspIds)) {
        fail(
          'INVALID_TRANSITION',
          'the registry is already initialised; governance MSP ids are fixed at instantiation',
        );
      }
      return canonicalJson(existing);
    }
    // Whoever initialises must name their own organisation, so no outsider can hand governance to others.
    requireGovernanceAdmin(ctx, governanceMspIds, 'Init');
    const config: RegistryConfig = { governanceMspIds };
    await writeJson(ctx.stub, configKey(ctx.stub), config);
    return canonicalJson(config);
  }

  /** Registers an issuer DID with its owning MSP, names, credential types and keys. Fails: INVALID_INPUT, NOT_INITIALIZED, ACCESS_DENIED, ISSUER_EXISTS. */
  @Transaction()
  @Returns('string')
  async RegisterIssuer(ctx: Context, requestJson: string): Promise<string> {
    const request = parseRegisterIssuerRequest(requestJson);
    const config = await requireConfig(ctx);
    requireGovernanceAdmin(ctx, config.governanceMspIds, 'RegisterIssuer');
    if ((await findIssuer(ctx, request.did)) !== undefined)
      fail('ISSUER_EXISTS', `${request.did} is already registered`);
    const now = txTime(ctx.stub);
    const issuer: IssuerRecord = {
      did: request.did,
      mspId: request.mspId,
      name: request.name,
      credentialTypes: request.credentialTypes,
      keys: request.keys.map((key, i) => keyOf(key, now, `request.keys[${i}]`)),
      status: 'ACTIVE',
      registeredAt: now,
      updatedAt: now,
    };
    const key = issuerKey(ctx.stub, issuer.did);
    await writeJson(ctx.stub, key, issuer);
    await ctx.stub.setStateValidationParameter(key, endorsementPolicyOf(config.governanceMspIds));
    emit(ctx, eventNames.issuerRegistered, { did: issuer.did, change: 'registered' });
    return canonicalJson(issuer);
  }

  /** Adds a signing key. Fails: INVALID_INPUT, NOT_INITIALIZED, ACCESS_DENIED, ISSUER_NOT_FOUND, ISSUER_INACTIVE, KEY_EXISTS. */
  @Transaction()
  @Returns('string')
  async AddIssuerKey(ctx: Context, requestJson: string): Promise<string> {
    const request = parseAddIssuerKeyRequest(requestJson);
    const issuer = await this.governedIssuer(ctx, request.did, 'AddIssuerKey');
    if (issuer.status === 'DEACTIVATED') fail('ISSUER_INACTIVE', `${issuer.did} is deactivated`);
    if (issuer.keys.some((key) => key.kid === request.key.kid))
      fail('KEY_EXISTS', `${issuer.did} already has a key ${request.key.kid}`);
    const now = txTime(ctx.stub);
    const updated = { ...issuer, keys: [...issuer.keys, keyOf(request.key, now, 'request.key')] };
    return this.saveIssuer(ctx, updated, now, 'key-added');
  }

  /**
   * Ends a key's signing window at `validUntil` (default: now). Credentials it signed before stay
   * valid. The window can only shrink and not into the past (that is what MarkIssuerKeyCompromised
   * is for); repeating the same `validUntil` is a no-op.
   * Fails: INVALID_INPUT, NOT_INITIALIZED, ACCESS_DENIED, ISSUER_NOT_FOUND, KEY_NOT_FOUND, INVALID_TRANSITION.
   */
  @Transaction()
  @Returns('string')
  async RetireIssuerKey(ctx: Context, requestJson: string): Promise<string> {
    const request = parseRetireIssuerKeyRequest(requestJson);
    const issuer = await this.governedIssuer(ctx, request.did, 'RetireIssuerKey');
    const key = requireKey(issuer, request.kid);
    const now = txTime(ctx.stub);
    const validUntil = request.validUntil ?? now;
    if (key.validUntil === validUntil) return canonicalJson(issuer);
    if (validUntil < now)
      fail(
        'INVALID_INPUT',
        'request.validUntil lies in the past; mark the key compromised to distrust earlier signatures',
      );
    if (key.validUntil !== null && validUntil > key.validUntil)
      fail('INVALID_TRANSITION', `${key.kid} is already retired from an earlier time`);
    return this.saveIssuer(ctx, replaceKey(issuer, { ...key, validUntil }), now, 'key-retired');
  }

  /**
   * Records that a key is compromised since `compromisedSince`: signatures from then on are not to
   * be trusted, earlier ones stay valid. It can only move earlier; the same instant again is a no-op.
   * Fails: INVALID_INPUT, NOT_INITIALIZED, ACCESS_DENIED, ISSUER_NOT_FOUND, KEY_NOT_FOUND, INVALID_TRANSITION.
   */
  @Transaction()
  @Returns('string')
  async MarkIssuerKeyCompromised(ctx: Context, requestJson: string): Promise<string> {
    const request = parseMarkIssuerKeyCompromisedRequest(requestJson);
    const issuer = await this.governedIssuer(ctx, request.did, 'MarkIssuerKeyCompromised');
    const key = requireKey(issuer, request.kid);
    const now = txTime(ctx.stub);
    if (key.compromisedSince === request.compromisedSince) return canonicalJson(issuer);
    if (request.compromisedSince > now) fail('INVALID_INPUT', 'request.compromisedSince lies in the future');
    if (key.compromisedSince !== null && request.compromisedSince > key.compromisedSince) {
      fail('INVALID_TRANSITION', `${key.kid} is already marked compromised since an earlier time`);
    }
    return this.saveIssuer(
      ctx,
      replaceKey(issuer, { ...key, compromisedSince: request.compromisedSince }),
      now,
      'key-compromised',
    );
  }

  /**
   * ACTIVE ⇄ SUSPENDED, either → DEACTIVATED (terminal). The current status again is a no-op.
   * Fails: INVALID_INPUT, NOT_INITIALIZED, ACCESS_DENIED, ISSUER_NOT_FOUND, INVALID_TRANSITION.
   */
  @Transaction()
  @Returns('string')
  async SetIssuerStatus(ctx: Context, requestJson: string): Promise<string> {
    const request = parseSetIssuerStatusRequest(requestJson);
    const issuer = await this.governedIssuer(ctx, request.did, 'SetIssuerStatus');
    if (issuer.status === request.status) return canonicalJson(issuer);
    if (!issuerTransitions[issuer.status].includes(request.status)) {
      fail('INVALID_TRANSITION', `an issuer cannot go from ${issuer.status} to ${request.status}`);
    }
    const now = txTime(ctx.stub);
    return this.saveIssuer(ctx, { ...issuer, status: request.status }, now, 'status');
  }

  /** Reads one issuer. Fails: INVALID_INPUT, NOT_INITIALIZED, ISSUER_NOT_FOUND. */
  @Transaction(false)
  @Returns('string')
  async GetIssuer(ctx: Context, requestJson: string): Promise<string> {
    const request = parseIssuerQuery(requestJson);
    await requireConfig(ctx);
    return canonicalJson(await requireIssuer(ctx, request.did));
  }

  /** Every registered issuer in DID order (a registry holds agencies, not thousands). Fails: INVALID_INPUT, NOT_INITIALIZED. */
  @Transaction(false)
  @Returns('string')
  async ListIssuers(ctx: Context, requestJson: string): Promise<string> {
    parseListIssuersRequest(requestJson);
    await requireConfig(ctx);
    const issuers: IssuerRecord[] = [];
    for await (const entry of ctx.stub.getStateByPartialCompositeKey(objectTypes.issuer, [])) {
      issuers.push(unmarshal<IssuerRecord>(entry.value));
    }
    return canonicalJson(issuers);
  }

  private async governedIssuer(ctx: Context, did: string, action: string): Promise<IssuerRecord> {
    const config = await requireConfig(ctx);
    requireGovernanceAdmin(ctx, config.governanceMspIds, action);
    return requireIssuer(ctx, did);
  }

  private async saveIssuer(ctx: Context, issuer: IssuerRecord, now: string, change: IssuerChange): Promise<string> {
    const updated: IssuerRecord = { ...issuer, updatedAt: now };
    await writeJson(ctx.stub, issuerKey(ctx.stub, updated.did), updated);
    emit(ctx, eventNames.issuerUpdated, { did: updated.did, change });
    return canonicalJson(updated);
  }
}

function replaceKey(issuer: IssuerRecord, key: IssuerKey): IssuerRecord {
  return { ...issuer, keys: issuer.keys.map((existing) => (existing.kid === key.kid ? key : existing)) };
}
