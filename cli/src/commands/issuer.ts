/**
 * `credledger issuer …`: governance (register, suspend, reactivate) and key management (rotate, add a
 * key held in a PKCS#11 token, mark compromised), acting as the workspace's governance identity; reads
 * open to anyone.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';

import { pad } from '../columns.js';
import { action, type Context, cliError, withDetails } from '../context.js';
import { codeInWords, issuerStatusWords, statusWords, type I18n } from '../i18n.js';
import { createIssuerKey, nextKeyFragment } from '../issuing.js';
import { openTokenKey, sameKey, tokenKeyReference, type OpenTokenKey, type TokenKeyFlags } from '../token-keys.js';
import { examples, readerOption, type Wiring } from '../wiring.js';
import { quoted } from '../quoted.js';
import {
  connect,
  openWorkspace,
  saveConfig,
  withIssuer,
  withTokenKey,
  type TokenKeyReference,
  type Workspace,
  readerIdentity,
} from '../workspace.js';

interface RegisterOptions extends TokenKeyFlags {
  readonly msp: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly type: string[];
  /** As typed on the command line: checked before use. */
  readonly alg: string;
  readonly operator?: string;
  readonly generate?: boolean;
}

interface AddKeyOptions extends TokenKeyFlags {
  readonly generate?: boolean;
  readonly keepOld?: boolean;
}

type IssuerRecord = Awaited<ReturnType<import('@credledger/ledger').Registry['getIssuer']>>;

async function governance<T>(
  workspace: Workspace,
  run: (registry: import('@credledger/ledger').Registry) => Promise<T>,
): Promise<T> {
  const { Registry } = await import('@credledger/ledger');
  requireSealedGovernance(workspace);
  await using opened = await connect(workspace, workspace.config.governance);
  // Awaited here: the ledger must stay open until the run has finished.
  return await run(new Registry(opened.ledger));
}

/**
 * Governance changes issuers and their keys: on the embedded ledger its identity's key must be sealed
 * (decision 0020), or whoever copies the workspace could rotate a ministry's key to one of their own.
 * Checked before anything is made. Fails: KEY_STORE_ERROR.
 */
function requireSealedGovernance(workspace: Workspace): void {
  const ledger = workspace.config.ledger;
  if (ledger.backend !== 'embedded') return;
  const [mspId = '', user = ''] = workspace.config.governance.split('/');
  const keyPath = join(workspace.resolve(ledger.directory), 'msp', mspId, 'users', `${user}.key`);
  if (existsSync(keyPath) && !existsSync(`${keyPath}.sealed`))
    throw cliError('KEY_STORE_ERROR', 'governanceUnsealed', { identity: workspace.config.governance });
}

/** An issuer's name: both in English output (as it always was), the Chinese one in zh-TW. */
function issuerName(ctx: Context, issuer: IssuerRecord): string {
  return ctx.pick(issuer.name['zh-TW'], `${issuer.name['zh-TW']} / ${issuer.name.en}`);
}

function printIssuer(ctx: Context, issuer: IssuerRecord): void {
  ctx.say(
    `${issuer.did}  ${codeInWords(ctx, issuer.status, issuerStatusWords)}  ${issuerName(ctx, issuer)}  (${issuer.mspId})`,
  );
  ctx.say(`  ${ctx.pick('類型', 'types')}: ${issuer.credentialTypes.join(', ')}`);
  for (const key of issuer.keys) {
    const state = key.compromisedSince
      ? ctx.pick(`COMPROMISED（自 ${key.compromisedSince} 起遭破解）`, `COMPROMISED since ${key.compromisedSince}`)
      : key.validUntil
        ? ctx.pick(`已停用 ${key.validUntil}`, `retired ${key.validUntil}`)
        : ctx.pick('使用中', 'active');
    ctx.say(`  ${key.kid}  ${key.publicKeyJwk.crv}  ${ctx.pick('生效', 'from')} ${key.validFrom}  ${state}`);
  }
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

/** One line saying where a token key is and how it is protected (never the PIN). */
function tokenKeyLine(ctx: Context, kid: string, reference: TokenKeyReference, opened: OpenTokenKey): string {
  const { protection } = opened.key;
  const kept = protection.sensitive && !protection.extractable;
  return ctx.pick(
    `${kid}：權杖 ${JSON.stringify(reference.token)} 中的金鑰 ${JSON.stringify(reference.keyLabel)}（${opened.generated ? '剛在權杖中產生' : '權杖中既有'}${kept ? '，不可匯出' : ''}）`,
    `${kid}: key ${JSON.stringify(reference.keyLabel)} in token ${JSON.stringify(reference.token)} (${opened.generated ? 'generated in the token now' : 'already in the token'}${kept ? ', non-extractable' : ''})`,
  );
}

/** Opens the token key the flags name (generating it with `--generate`); PIN from the env or a prompt. */
function openFlaggedKey(reference: TokenKeyReference, generate: boolean | undefined): Promise<OpenTokenKey> {
  return openTokenKey(reference, generate === true ? 'generate' : 'existing');
}

export function registerIssuer(program: Command, { t }: Wiring): void {
  const issuer = program.command('issuer').description(t.pick('發行者與金鑰管理', 'issuers and their keys'));
  examples(issuer, t, ['credledger issuer list', 'credledger issuer show did:web:moj.gov.tw']);

  const register = issuer
    .command('register')
    .description(
      t.pick('登記發行者並產生其簽章金鑰（治理機關）', 'register an issuer and generate its signing key (governance)'),
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
  tokenKeyOptions(register, t, false).action(
    action(async (ctx, did: string, options: RegisterOptions) => {
      const alg = options.alg;
      if (alg !== 'ES256' && alg !== 'EdDSA') throw cliError('INVALID_INPUT', 'alg', {});
      const reference = tokenKeyReference(options);
      if (reference !== undefined && alg !== 'ES256') throw cliError('INVALID_INPUT', 'tokenKeyAlg', {});
      const workspace = openWorkspace(ctx.options.workspace);
      requireSealedGovernance(workspace);
      const kid = `${did}#key-1`;
      await using opened = reference === undefined ? undefined : await openFlaggedKey(reference, options.generate);
      const record = await governance(workspace, async (registry) => {
        // A read first opens the governance identity's keyring: a wrong passphrase fails before a key is made.
        await registry.listIssuers();
        const publicKeyJwk =
          opened === undefined
            ? (await createIssuerKey(workspace, ctx.keyPassphrase, did, 'key-1', alg)).publicKeyJwk
            : opened.key.publicKeyJwk;
        return registry.registerIssuer({
          did,
          mspId: options.msp,
          name: { 'zh-TW': options.nameZh, en: options.nameEn },
          credentialTypes: options.type,
          keys: [{ kid, publicKeyJwk }],
        });
      });
      let config = withIssuer(workspace.config, did, {
        identity: options.operator ?? `${options.msp}/operator`,
        credentialTypes: options.type,
      });
      if (reference !== undefined) config = withTokenKey(config, did, kid, reference);
      await saveConfig(workspace.dir, config);
      if (ctx.options.json) ctx.emit(record);
      else {
        printIssuer(ctx, record);
        if (reference !== undefined && opened !== undefined) ctx.say(tokenKeyLine(ctx, kid, reference, opened));
      }
    }),
  );
  examples(register, t, [
    "credledger issuer register did:web:moj.gov.tw --msp MojMSP --name-zh 法務部 --name-en 'Ministry of Justice' --type LawyerLicenceCredential",
    "CREDLEDGER_PKCS11_PIN=… credledger issuer register did:web:moj.gov.tw --msp MojMSP --name-zh 法務部 --name-en 'Ministry of Justice' --type LawyerLicenceCredential --pkcs11 /usr/lib/softhsm/libsofthsm2.so --token moj-issuer --key-label moj-licence-2026 --generate",
  ]);

  const list = issuer
    .command('list')
    .description(t.pick('列出所有發行者', 'list all issuers'))
    .addOption(readerOption(t))
    .action(
      action(async (ctx, options: { as?: string }) => {
        const workspace = openWorkspace(ctx.options.workspace);
        const { Registry } = await import('@credledger/ledger');
        await using opened = await connect(workspace, readerIdentity(workspace, options.as));
        const issuers = await new Registry(opened.ledger).listIssuers();
        if (ctx.options.json) ctx.emit(issuers);
        else if (issuers.length === 0) {
          ctx.say(t.pick('此帳本尚未登記任何發行者', 'no issuer is registered on this ledger yet'));
          ctx.note(
            t.pick(
              '登記一個：credledger issuer register <did> --msp <MSP> --name-zh <名稱> --name-en <name> --type <類型>（`credledger issuer register --help` 有範例）',
              'register one: credledger issuer register <did> --msp <MSP> --name-zh <名稱> --name-en <name> --type <type> (`credledger issuer register --help` has an example)',
            ),
          );
        } else
          for (const record of issuers)
            ctx.say(
              `${record.did.padEnd(24)} ${pad(codeInWords(ctx, record.status, issuerStatusWords), 11)} ${issuerName(ctx, record)}`,
            );
      }),
    );
  examples(list, t, ['credledger issuer list --json']);

  const show = issuer
    .command('show')
    .description(t.pick('顯示發行者與其金鑰', 'show an issuer and its keys'))
    .argument('<did>', 'did:web:…')
    .addOption(readerOption(t))
    .action(
      action(async (ctx, did: string, options: { as?: string }) => {
        const workspace = openWorkspace(ctx.options.workspace);
        const { Registry } = await import('@credledger/ledger');
        await using opened = await connect(workspace, readerIdentity(workspace, options.as));
        const record = await new Registry(opened.ledger).getIssuer(did).catch((error: unknown) => {
          throw withDetails(error, { did });
        });
        if (ctx.options.json) ctx.emit(record);
        else printIssuer(ctx, record);
      }),
    );
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
    .action(
      action(async (ctx, did: string, options: { alg: 'ES256' | 'EdDSA'; keepOld?: boolean }) => {
        const workspace = openWorkspace(ctx.options.workspace);
        const record = await governance(workspace, async (registry) => {
          const current = await registry.getIssuer(did);
          const key = await createIssuerKey(
            workspace,
            ctx.keyPassphrase,
            did,
            await nextKeyFragment(workspace, current),
            options.alg,
          );
          let updated = await registry.addIssuerKey({ did, key: { kid: key.kid, publicKeyJwk: key.publicKeyJwk } });
          if (!options.keepOld) {
            for (const old of current.keys.filter((k) => k.validUntil === null && k.compromisedSince === null)) {
              updated = await registry.retireIssuerKey({ did, kid: old.kid });
            }
          }
          return updated;
        });
        if (ctx.options.json) ctx.emit(record);
        else printIssuer(ctx, record);
      }),
    );
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
  tokenKeyOptions(addKey, t, true).action(
    action(async (ctx, did: string, options: AddKeyOptions) => {
      const reference = tokenKeyReference(options);
      if (reference === undefined) throw cliError('INVALID_INPUT', 'nameTheTokenKey', {});
      const workspace = openWorkspace(ctx.options.workspace);
      // Refused before the token is touched: the workspace records where the key is, for its own issuers.
      if (workspace.config.issuers[did] === undefined) throw cliError('ISSUER_NOT_FOUND', 'notOperated', { did });
      await using opened = await openFlaggedKey(reference, options.generate);
      const publicKeyJwk = opened.key.publicKeyJwk;
      let kid = '';
      const record = await governance(workspace, async (registry) => {
        const current = await registry.getIssuer(did);
        // Already registered (a rerun after the workspace lost its config): record where it is, change nothing.
        const known = current.keys.find(
          (key) => key.validUntil === null && key.compromisedSince === null && sameKey(key.publicKeyJwk, publicKeyJwk),
        );
        if (known !== undefined) {
          kid = known.kid;
          return current;
        }
        kid = `${did}#${await nextKeyFragment(workspace, current)}`;
        let updated = await registry.addIssuerKey({ did, key: { kid, publicKeyJwk } });
        if (!options.keepOld) {
          for (const old of current.keys.filter((k) => k.validUntil === null && k.compromisedSince === null)) {
            updated = await registry.retireIssuerKey({ did, kid: old.kid });
          }
        }
        return updated;
      });
      await saveConfig(workspace.dir, withTokenKey(workspace.config, did, kid, reference));
      if (ctx.options.json)
        ctx.emit({
          ...record,
          tokenKey: { kid, ...reference, generated: opened.generated, protection: opened.key.protection },
        });
      else {
        printIssuer(ctx, record);
        ctx.say(tokenKeyLine(ctx, kid, reference, opened));
      }
    }),
  );
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
    .action(
      action(async (ctx, did: string, kid: string, options: { since: string }) => {
        const since = new Date(options.since);
        if (Number.isNaN(since.getTime()))
          throw cliError('INVALID_INPUT', 'notATime', { flag: '--since', value: await quoted(options.since) });
        const workspace = openWorkspace(ctx.options.workspace);
        const record = await governance(workspace, (registry) =>
          registry.markIssuerKeyCompromised({ did, kid, compromisedSince: since.toISOString() }),
        );
        if (ctx.options.json) ctx.emit(record);
        else printIssuer(ctx, record);
      }),
    );
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
      .action(
        action(async (ctx, did: string) => {
          const workspace = openWorkspace(ctx.options.workspace);
          const record = await governance(workspace, (registry) => registry.setIssuerStatus({ did, status }));
          if (ctx.options.json) ctx.emit(record);
          else printIssuer(ctx, record);
        }),
      );
    examples(command, t, [`credledger issuer ${verb} did:web:moea.gov.tw`]);
  }

  const credentials = issuer
    .command('credentials')
    .description(t.pick('列出發行者在帳本上的憑證紀錄', "list an issuer's credential records on the ledger"))
    .argument('<did>', 'did:web:…')
    .addOption(readerOption(t))
    .action(
      action(async (ctx, did: string, options: { as?: string }) => {
        const workspace = openWorkspace(ctx.options.workspace);
        const { Registry } = await import('@credledger/ledger');
        await using opened = await connect(workspace, readerIdentity(workspace, options.as));
        const records = [];
        for await (const record of new Registry(opened.ledger).credentialsByIssuer(did, { pageSize: 1000 }))
          records.push(record);
        if (ctx.options.json) ctx.emit(records);
        else {
          for (const record of records)
            ctx.say(
              `${record.id}  ${record.type}  ${codeInWords(ctx, record.status, statusWords)}  ${record.anchoredAt}`,
            );
          ctx.say(t.pick(`共 ${records.length} 筆`, `${records.length} credentials`));
        }
      }),
    );
  examples(credentials, t, ['credledger issuer credentials did:web:moj.gov.tw --json']);
}
