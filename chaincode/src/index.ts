/**
 * credledger chaincode. Fabric's Node contract runtime loads `contracts` from the package main;
 * the first is the default contract. The records it stores, the requests and results of its
 * transactions, its events, statuses, reason codes, error codes and roles are @credledger/vocabulary's,
 * where ledger clients import them without loading the contract runtime.
 */
import { CredentialContract } from './credential-contract';
import { IssuerRegistryContract } from './issuer-registry-contract';

export { CredentialContract, IssuerRegistryContract };
export const contracts = [CredentialContract, IssuerRegistryContract];
/** Most credentials one `IssueCredentials` or `SetCredentialStatuses` transaction may carry. */
export { maxBatchSize } from './parse';

export type { ChaincodeErrorCode } from './codes';
