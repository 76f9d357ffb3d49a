/**
 * credledger chaincode. Fabric's Node contract runtime loads `contracts` from the package main;
 * the first is the default contract. The sdk imports the record and wire types from here with
 * `import type`, so it never loads the contract runtime. Statuses, reason codes, error codes and
 * roles are @credledger/vocabulary's.
 */
import { CredentialContract } from './credential-contract';
import { IssuerRegistryContract } from './issuer-registry-contract';

export { CredentialContract, IssuerRegistryContract };
export const contracts = [CredentialContract, IssuerRegistryContract];
/** Most credentials one `IssueCredentials` or `SetCredentialStatuses` transaction may carry. */
export { maxBatchSize } from './parse';

export type * from './records';
export type * from './wire';
export type { ChaincodeErrorCode } from './codes';
