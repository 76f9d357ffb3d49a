/**
 * `@credledger/ledger-embedded`: the embedded ledger — local organisations with their CAs, one peer
 * each running the chaincode under the real fabric-shim, an orderer and one channel, on LevelDB in a
 * folder. Usually opened through `@credledger/ledger`'s `openLedger({ backend: 'embedded', … })`; its
 * types are declared there.
 */
import type { EmbeddedBackend } from '@credledger/ledger';

import { openNetwork } from './network.js';
import { protectLocalKeys } from './protect-local-keys.js';

/**
 * Opens (or creates) an embedded ledger in `options.directory`, or reaches it through the process that
 * holds it (option `sharing`).
 * Fails: LEDGER_LOCKED, LEDGER_UNAVAILABLE (no ledger and `create: false`), LEDGER_CORRUPT, CONFIG_INVALID.
 */
export const openEmbeddedNetwork: EmbeddedBackend['openEmbeddedNetwork'] = openNetwork;

export { protectLocalKeys };

// The entry is the backend contract `openLedger` loads.
({ openEmbeddedNetwork, protectLocalKeys }) satisfies EmbeddedBackend;
