/**
 * `@credledger/ledger-fabric`: the ledger interface over a Fabric peer's Gateway service
 * (@hyperledger/fabric-gateway, gRPC over TLS), with orderer-failover retries and HSM identities. Usually
 * opened through `@credledger/ledger`'s `openLedger({ backend: 'fabric', … })`; its types are declared
 * there. fabric-gateway and grpc-js load on the first connection.
 */
import type { FabricBackend } from '@credledger/ledger';

import { loadConnectionProfile } from './fabric-connection-profile.js';
import { openFabricLedger } from './fabric.js';

export { openFabricLedger, loadConnectionProfile };
export { parseConnectionProfile } from './fabric-connection-profile.js';
export { loadLedgerSigner, type LedgerSignerHandle } from './fabric-identity.js';
export { defaultFabricDeadlines, idempotentByDesign } from './fabric.js';
export { defaultOrderingRetryPolicy, orderingRetryPolicy } from './ordering-retry.js';

// The entry is the backend contract `openLedger` loads.
({ openFabricLedger, loadConnectionProfile }) satisfies FabricBackend;
