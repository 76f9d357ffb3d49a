/**
 * `credledger trust-list export`: the governance organisation signs the registry's public facts
 * (issuers, names, types, keys with their windows) so verifiers can work offline. The governance key
 * is created on first export; verifiers pin its public key (printed here).
 * The wiring: arguments, options and help. The action is actions/trust-list.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerTrustList(program: Command, { t, later }: Wiring): void {
  const trustList = program.command('trust-list').description(t.pick('信任清單', 'trust list'));
  later(trustList, { options: false }, () => {
    const exportCommand = trustList
      .command('export')
      .description(
        t.pick(
          '由發行者登記簿匯出經治理機關簽署的信任清單',
          'export the governance-signed trust list from the issuer registry',
        ),
      )
      .option('--out <dir>', t.pick('輸出目錄', 'output directory'), '.')
      .option('--governance-did <did>', t.pick('治理機關 DID', 'governance DID'), 'did:web:ndc.gov.tw')
      .option('--days <n>', t.pick('有效天數', 'days the list stays valid'), '7')
      .addOption(readerOption(t))
      .action(action(async () => (await import('../actions/trust-list.js')).exportTrustList));
    examples(exportCommand, t, ['credledger trust-list export --out public/']);
  });
}
