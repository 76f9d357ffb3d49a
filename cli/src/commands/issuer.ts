/**
 * `credledger issuer …`: governance (register, suspend, reactivate) and key management (rotate, add a
 * key held in a PKCS#11 token, mark compromised), acting as the workspace's governance identity; reads
 * open to anyone.
 * The wiring: arguments, options and help. The action is actions/issuer.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { type I18n } from '../i18n.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerIssuer(program: Command, { t, later }: Wiring): void {
  const issuer = program.command('issuer').description(t.pick('發行者與金鑰管理', 'issuers and their keys'));
  later(issuer, { options: false }, () => {
    examples(issuer, t, ['credledger issuer list', 'credledger issuer show did:web:moj.gov.tw']);

    const register = issuer
      .command('register')
      .description(
        t.pick(
          '登記發行者並產生其簽章金鑰（治理機關）',
          'register an issuer and generate its signing key (governance)',
        ),
      )
      .argument('<did>', 'did:web:…')
      .requiredOption('--msp <mspId>', t.pick('擁有此發行者的組織 MSP', 'MSP id of the organisation that owns it'))
      .requiredOption('--name-zh <name>', t.pick('中文名稱', 'name in Traditional Chinese'))
      .requiredOption('--name-en <name>', t.pick('英文名稱', 'name in English'))
      .requiredOption('--type <types...>', t.pick('可核發的憑證類型', 'credential types it may issue'))
      .option('--alg <alg>', 'ES256 | EdDSA', 'ES256')
      .option(
        '--operator <identity>',
        t.pick('代表此發行者的身分（預設 `<msp>/operator`）', 'identity acting for it (default <msp>/operator)'),
      );
    tokenKeyOptions(register, t, false).action(action(async () => (await import('../actions/issuer.js')).register));
    examples(register, t, [
      "credledger issuer register did:web:moj.gov.tw --msp MojMSP --name-zh 法務部 --name-en 'Ministry of Justice' --type LawyerLicenceCredential",
      "CREDLEDGER_PKCS11_PIN=… credledger issuer register did:web:moj.gov.tw --msp MojMSP --name-zh 法務部 --name-en 'Ministry of Justice' --type LawyerLicenceCredential --pkcs11 /usr/lib/softhsm/libsofthsm2.so --token moj-issuer --key-label moj-licence-2026 --generate",
    ]);

    const list = issuer
      .command('list')
      .description(t.pick('列出所有發行者', 'list all issuers'))
      .addOption(readerOption(t))
      .action(action(async () => (await import('../actions/issuer.js')).list));
    examples(list, t, ['credledger issuer list --json']);

    const show = issuer
      .command('show')
      .description(t.pick('顯示發行者與其金鑰', 'show an issuer and its keys'))
      .argument('<did>', 'did:web:…')
      .addOption(readerOption(t))
      .action(action(async () => (await import('../actions/issuer.js')).show));
    examples(show, t, ['credledger issuer show did:web:moj.gov.tw']);

    const rotate = issuer
      .command('rotate-key')
      .description(
        t.pick(
          '換發簽章金鑰：新增新金鑰並停用舊金鑰（舊憑證仍有效）',
          'rotate the signing key: add a new key, retire the old (old credentials stay valid)',
        ),
      )
      .argument('<did>', 'did:web:…')
      .option('--alg <alg>', 'ES256 | EdDSA', 'ES256')
      .option('--keep-old', t.pick('不停用舊金鑰', 'do not retire the old keys'))
      .action(action(async () => (await import('../actions/issuer.js')).rotateKey));
    examples(rotate, t, ['credledger issuer rotate-key did:web:moj.gov.tw']);

    const addKey = issuer
      .command('add-key')
      .description(
        t.pick(
          '新增存放於 PKCS#11 權杖（HSM）中的簽章金鑰並停用舊金鑰；私鑰不離開權杖',
          'add a signing key held in a PKCS#11 token (HSM) and retire the old ones; the private key never leaves the token',
        ),
      )
      .argument('<did>', 'did:web:…')
      .option('--keep-old', t.pick('不停用舊金鑰', 'do not retire the old keys'));
    tokenKeyOptions(addKey, t, true).action(action(async () => (await import('../actions/issuer.js')).addKey));
    examples(addKey, t, [
      'CREDLEDGER_PKCS11_PIN=… credledger issuer add-key did:web:moj.gov.tw --pkcs11 /usr/lib/softhsm/libsofthsm2.so --token moj-issuer --key-label moj-licence-2026 --generate',
      'credledger issuer add-key did:web:moj.gov.tw --pkcs11 /opt/hsm/lib/libcknfast.so --token moj-issuer --key-label moj-licence-2026',
    ]);

    const compromise = issuer
      .command('compromise-key')
      .description(
        t.pick(
          '標記金鑰遭破解：此時間後錨定的憑證不再有效',
          'mark a key compromised: credentials anchored after the time stop verifying',
        ),
      )
      .argument('<did>', 'did:web:…')
      .argument('<kid>', 'did:web:…#key-N')
      .requiredOption(
        '--since <time>',
        t.pick('破解起始時間（ISO 8601，可為過去）', 'compromised since (ISO 8601, may be in the past)'),
      )
      .action(action(async () => (await import('../actions/issuer.js')).compromiseKey));
    examples(compromise, t, [
      "credledger issuer compromise-key did:web:moj.gov.tw 'did:web:moj.gov.tw#key-1' --since 2026-11-20T00:00:00Z",
    ]);

    for (const [verb, status, zh, en] of [
      ['suspend', 'SUSPENDED', '暫停發行者（暫停期間不得核發）', 'suspend an issuer (it may not issue meanwhile)'],
      ['activate', 'ACTIVE', '恢復發行者', 'make an issuer active again'],
      ['deactivate', 'DEACTIVATED', '終止發行者', 'deactivate an issuer for good'],
    ] as const) {
      const command = issuer
        .command(verb)
        .description(t.pick(zh, en))
        .argument('<did>', 'did:web:…')
        .action(action(async () => (await import('../actions/issuer.js')).setStatus(status)));
      examples(command, t, [`credledger issuer ${verb} did:web:moea.gov.tw`]);
    }

    const credentials = issuer
      .command('credentials')
      .description(t.pick('列出發行者在帳本上的憑證紀錄', "list an issuer's credential records on the ledger"))
      .argument('<did>', 'did:web:…')
      .addOption(readerOption(t))
      .action(action(async () => (await import('../actions/issuer.js')).credentials));
    examples(credentials, t, ['credledger issuer credentials did:web:moj.gov.tw --json']);
  });
}

/** The options naming a key in a PKCS#11 token, shared by `register` and `add-key`. */
function tokenKeyOptions(command: Command, t: I18n, required: boolean): Command {
  const option = (flags: string, zh: string, en: string): Command =>
    required ? command.requiredOption(flags, t.pick(zh, en)) : command.option(flags, t.pick(zh, en));
  option(
    '--pkcs11 <module>',
    '金鑰在 PKCS#11 權杖（HSM）中：廠商的 PKCS#11 程式庫路徑',
    'the key is in a PKCS#11 token (HSM): path of the vendor’s PKCS#11 library',
  );
  option('--token <label>', '權杖標籤', 'label of the token');
  option('--key-label <label>', '權杖中金鑰的標籤', 'label of the key in the token');
  return command.option(
    '--generate',
    t.pick(
      '在權杖中產生新的 ES256 金鑰（不可匯出）；否則使用既有金鑰',
      'generate a new ES256 key in the token (non-extractable); otherwise use the existing one',
    ),
  );
}
