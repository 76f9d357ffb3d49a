/**
 * `credledger status-list publish --out dir/`: every issuer of this workspace signs its Bitstring
 * Status Lists (for `vc+jwt` credentials), its Status List 2021 lists (for TW DIW SD-JWT VCs) and its
 * IETF Status List Tokens (for IETF-profile SD-JWT VCs), regenerated from one ledger read, as files a
 * static host (or `serve`) publishes.
 * The wiring: arguments, options and help. The action is actions/status-list.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerStatusList(program: Command, { t, later }: Wiring): void {
  const statusList = program
    .command('status-list')
    .description(
      t.pick(
        '狀態清單（W3C 與 IETF）',
        'status lists (W3C Bitstring Status List, Status List 2021, IETF Token Status List)',
      ),
    );
  later(statusList, { options: false }, () => {
    const publish = statusList
      .command('publish')
      .description(
        t.pick(
          '由帳本狀態重新產生並簽署各發行者的狀態清單',
          "regenerate and sign each issuer's status lists from ledger state",
        ),
      )
      .requiredOption(
        '--out <dir>',
        t.pick(
          '輸出目錄（供靜態主機或 serve --published 使用）',
          'output directory (for a static host or serve --published)',
        ),
      )
      .option('--issuer <did>', t.pick('只發布此發行者', 'only this issuer'))
      .addOption(readerOption(t))
      .action(action(async () => (await import('../actions/status-list.js')).publish));
    examples(publish, t, ['credledger status-list publish --out public/', 'credledger serve --published public/']);
  });
}
