import { CredledgerError } from '../../errors.js';
import type { EmbeddedNetwork, EmbeddedNetworkOptions } from '../index.js';

/** Opens an embedded network (implementation lands in the next commits). */
export async function openNetwork(options: EmbeddedNetworkOptions): Promise<EmbeddedNetwork> {
  throw new CredledgerError('LEDGER_UNAVAILABLE', `embedded ledger not built yet (${options.directory})`);
}
