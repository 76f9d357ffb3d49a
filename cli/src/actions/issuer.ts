/**
 * `credledger issuer …`: governance (register, suspend, reactivate) and key management (rotate, add a
 * key held in a PKCS#11 token, mark compromised), acting as the workspace's governance identity; reads
 * open to anyone.
 * What the command does; its arguments, options and help are wired in commands/issuer.ts, which
 * loads this module when the command runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { IssuerStatus } from '@credledger/vocabulary';

import { pad } from '../columns.js';
import { type Context, cliError, type Run, withDetails } from '../context.js';
import { codeInWords, issuerStatusWords, statusWords } from '../i18n.js';
import { createIssuerKey, nextKeyFragment } from '../issuing.js';
import { openTokenKey, sameKey, tokenKeyReference, type OpenTokenKey, type TokenKeyFlags } from '../token-keys.js';
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

/** The action of `credledger issuer register`. */
export async function register(ctx: Context, did: string, options: RegisterOptions): Promise<void> {
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
}

/** The action of `credledger issuer list`. */
export async function list(ctx: Context, options: { as?: string }): Promise<void> {
  const workspace = openWorkspace(ctx.options.workspace);
  const { Registry } = await import('@credledger/ledger');
  await using opened = await connect(workspace, readerIdentity(workspace, options.as));
  const issuers = await new Registry(opened.ledger).listIssuers();
  if (ctx.options.json) ctx.emit(issuers);
  else if (issuers.length === 0) {
    ctx.say(ctx.pick('此帳本尚未登記任何發行者', 'no issuer is registered on this ledger yet'));
    ctx.note(
      ctx.pick(
        '登記一個：credledger issuer register <did> --msp <MSP> --name-zh <名稱> --name-en <name> --type <類型>（`credledger issuer register --help` 有範例）',
        'register one: credledger issuer register <did> --msp <MSP> --name-zh <名稱> --name-en <name> --type <type> (`credledger issuer register --help` has an example)',
      ),
    );
  } else
    for (const record of issuers)
      ctx.say(
        `${record.did.padEnd(24)} ${pad(codeInWords(ctx, record.status, issuerStatusWords), 11)} ${issuerName(ctx, record)}`,
      );
}

/** The action of `credledger issuer show`. */
export async function show(ctx: Context, did: string, options: { as?: string }): Promise<void> {
  const workspace = openWorkspace(ctx.options.workspace);
  const { Registry } = await import('@credledger/ledger');
  await using opened = await connect(workspace, readerIdentity(workspace, options.as));
  const record = await new Registry(opened.ledger).getIssuer(did).catch((error: unknown) => {
    throw withDetails(error, { did });
  });
  if (ctx.options.json) ctx.emit(record);
  else printIssuer(ctx, record);
}

/** The action of `credledger issuer rotate-key`. */
export async function rotateKey(
  ctx: Context,
  did: string,
  options: { alg: 'ES256' | 'EdDSA'; keepOld?: boolean },
): Promise<void> {
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
}

/** The action of `credledger issuer add-key`. */
export async function addKey(ctx: Context, did: string, options: AddKeyOptions): Promise<void> {
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
}

/** The action of `credledger issuer compromise-key`. */
export async function compromiseKey(ctx: Context, did: string, kid: string, options: { since: string }): Promise<void> {
  const since = new Date(options.since);
  if (Number.isNaN(since.getTime()))
    throw cliError('INVALID_INPUT', 'notATime', { flag: '--since', value: await quoted(options.since) });
  const workspace = openWorkspace(ctx.options.workspace);
  const record = await governance(workspace, (registry) =>
    registry.markIssuerKeyCompromised({ did, kid, compromisedSince: since.toISOString() }),
  );
  if (ctx.options.json) ctx.emit(record);
  else printIssuer(ctx, record);
}

/** `issuer suspend | activate | deactivate <did>`: the action setting an issuer's status. */
export function setStatus(status: IssuerStatus): Run<[did: string]> {
  return async (ctx, did) => {
    const workspace = openWorkspace(ctx.options.workspace);
    const record = await governance(workspace, (registry) => registry.setIssuerStatus({ did, status }));
    if (ctx.options.json) ctx.emit(record);
    else printIssuer(ctx, record);
  };
}

/** The action of `credledger issuer credentials`. */
export async function credentials(ctx: Context, did: string, options: { as?: string }): Promise<void> {
  const workspace = openWorkspace(ctx.options.workspace);
  const { Registry } = await import('@credledger/ledger');
  await using opened = await connect(workspace, readerIdentity(workspace, options.as));
  const records = [];
  for await (const record of new Registry(opened.ledger).credentialsByIssuer(did, { pageSize: 1000 }))
    records.push(record);
  if (ctx.options.json) ctx.emit(records);
  else {
    for (const record of records)
      ctx.say(`${record.id}  ${record.type}  ${codeInWords(ctx, record.status, statusWords)}  ${record.anchoredAt}`);
    ctx.say(ctx.pick(`共 ${records.length} 筆`, `${records.length} credentials`));
  }
}
