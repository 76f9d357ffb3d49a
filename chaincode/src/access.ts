/**
 * Who may do what. Access is decided from the caller's X.509 identity as the peer verified it:
 * its MSP id and the `credledger.role` attribute (Fabric CA attribute extension). Reads are open
 * to every channel member; writes need a role in the right organisation.
 * @see https://hyperledger-fabric.readthedocs.io/en/release-2.5/endorsement-policies.html#setting-key-level-endorsement-policies
 */
import {
  roleAttribute,
  type EventName,
  type IssuerRecord,
  type RegistryConfig,
  type Role,
} from '@credledger/vocabulary';
import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { fail } from './codes';
import { configKey, issuerKey, marshal, readJson } from './state';

/** The registry configuration; every transaction but `Init` fails `NOT_INITIALIZED` without it. */
export async function requireConfig(ctx: Context): Promise<RegistryConfig> {
  const config = await readJson<RegistryConfig>(ctx.stub, configKey(ctx.stub));
  return (
    config ??
    fail('NOT_INITIALIZED', 'the registry has not been initialised (run Init with the governance MSP ids first)')
  );
}

export function callerMspId(ctx: Context): string {
  return ctx.clientIdentity.getMSPID();
}

function callerRole(ctx: Context): string | null {
  return ctx.clientIdentity.getAttributeValue(roleAttribute);
}

/** Fails `ACCESS_DENIED` unless the caller carries `role`. */
export function requireRole(ctx: Context, role: Role, action: string): void {
  if (callerRole(ctx) !== role) {
    fail(
      'ACCESS_DENIED',
      `${action} needs the ${role} role (${roleAttribute} attribute); the caller of ${callerMspId(ctx)} does not have it`,
    );
  }
}

/** Fails `ACCESS_DENIED` unless the caller is a governance admin of one of `governanceMspIds`. */
export function requireGovernanceAdmin(ctx: Context, governanceMspIds: readonly string[], action: string): void {
  const mspId = callerMspId(ctx);
  if (!governanceMspIds.includes(mspId))
    fail('ACCESS_DENIED', `${action} is reserved to governance organisations; ${mspId} is not one`);
  requireRole(ctx, 'governance-admin', action);
}

export async function findIssuer(ctx: Context, did: string): Promise<IssuerRecord | undefined> {
  return readJson<IssuerRecord>(ctx.stub, issuerKey(ctx.stub, did));
}

export async function requireIssuer(ctx: Context, did: string): Promise<IssuerRecord> {
  return (await findIssuer(ctx, did)) ?? fail('ISSUER_NOT_FOUND', `no issuer ${did} is registered`);
}

/**
 * The issuer of an issuer operator's transaction, with the configuration read only when the issuer is
 * missing: `RegisterIssuer` needs the configuration and nothing deletes it, so an issuer on the ledger
 * proves the registry initialised (docs/decisions/0023). Fails as `requireConfig`, `requireRole` and
 * `requireIssuer` in that order would: NOT_INITIALIZED, ACCESS_DENIED, ISSUER_NOT_FOUND.
 */
export async function requireIssuerAs(ctx: Context, did: string, role: Role, action: string): Promise<IssuerRecord> {
  const issuer = await findIssuer(ctx, did);
  if (issuer === undefined) await requireConfig(ctx);
  requireRole(ctx, role, action);
  return issuer ?? fail('ISSUER_NOT_FOUND', `no issuer ${did} is registered`);
}

/** Fails `ACCESS_DENIED` unless the caller is an issuer operator of the organisation that owns `issuer`. */
export function requireOperatorOf(ctx: Context, issuer: IssuerRecord, action: string): void {
  const mspId = callerMspId(ctx);
  if (mspId !== issuer.mspId)
    fail('ACCESS_DENIED', `${mspId} may not ${action} of ${issuer.did}, which belongs to ${issuer.mspId}`);
}

/**
 * Key-level endorsement: from now on a write to `key` is valid only when every one of `mspIds`
 * endorsed it, so another organisation's peers alone cannot change it.
 */
export function endorsementPolicyOf(mspIds: readonly string[]): Uint8Array {
  const policy = new KeyEndorsementPolicy();
  policy.addOrgs('MEMBER', ...mspIds);
  return policy.getPolicy();
}

/** Sets the transaction's single chaincode event; the payload goes as bytes (a string would be read as base64). */
export function emit(ctx: Context, name: EventName, payload: unknown): void {
  ctx.stub.setEvent(name, marshal(payload));
}
