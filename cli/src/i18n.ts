/**
 * Human output in the operator's language: Traditional Chinese (zh-TW) or English.
 * `--lang` wins, then the POSIX locale variables in their precedence order (LC_ALL, LC_MESSAGES, LANG).
 * Machine output (`--json`) and error codes never change with the language.
 */

import type { ErrorCode, ReasonCode } from '@credledger/sdk';

export type Lang = 'zh-TW' | 'en';

/** Picks the language from a `--lang` value or the environment; anything Chinese is zh-TW, the rest English. */
export function resolveLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  const raw = flag ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '';
  return /^zh/i.test(raw) ? 'zh-TW' : 'en';
}

/** Reads `--lang <x>` / `--lang=<x>` straight from argv: help texts are built before commander parses. */
export function langFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return undefined;
    if (arg === '--lang') return argv[i + 1];
    if (arg.startsWith('--lang=')) return arg.slice('--lang='.length);
  }
  return undefined;
}

type Params = Readonly<Record<string, string | number>>;
type Entry = { readonly 'zh-TW': string; readonly en: string };

/** Every human sentence the CLI prints. `{name}` placeholders are filled from params. */
const messages = {
  // program and help
  'program.description': {
    'zh-TW': '發行、撤銷與驗證錨定於 Hyperledger Fabric 的政府可驗證憑證',
    en: 'Issue, revoke and verify government verifiable credentials anchored on Hyperledger Fabric',
  },
  'opt.json': { 'zh-TW': '以 JSON 輸出（供程式讀取）', en: 'machine-readable JSON output' },
  'opt.lang': {
    'zh-TW': '輸出語言：zh-TW 或 en（預設依 LANG/LC_ALL）',
    en: 'output language: zh-TW or en (default from LANG/LC_ALL)',
  },
  'opt.debug': { 'zh-TW': '錯誤時顯示完整堆疊', en: 'print the full stack on errors' },
  'opt.workspace': {
    'zh-TW': '工作區目錄（預設：往上尋找 credledger.json，或 CREDLEDGER_WORKSPACE）',
    en: 'workspace directory (default: nearest credledger.json upwards, or CREDLEDGER_WORKSPACE)',
  },
  'help.examples': { 'zh-TW': '範例：', en: 'Examples:' },

  // errors
  'error.hint': { 'zh-TW': '提示', en: 'hint' },
  'error.internal': {
    'zh-TW': '非預期的錯誤；請以 --debug 重新執行並回報堆疊',
    en: 'unexpected error; re-run with --debug and report the stack',
  },
  'error.usage': { 'zh-TW': '執行 `credledger --help` 查看用法', en: 'run `credledger --help` for usage' },

  // hints per error code (only where a next step exists)
  'hint.WORKSPACE_NOT_FOUND': {
    'zh-TW': '先執行 `credledger init`，或以 --workspace 指定工作區',
    en: 'run `credledger init` first, or point --workspace at one',
  },
  'hint.WORKSPACE_EXISTS': { 'zh-TW': '換一個目錄，或加上 --force', en: 'choose another directory, or add --force' },
  'hint.LEDGER_LOCKED': {
    'zh-TW': '另一個 credledger 程序（例如 serve）正在使用此帳本；請先停止它',
    en: 'another credledger process (serve?) holds this ledger; stop it first',
  },
  'hint.LEDGER_CORRUPT': {
    'zh-TW': '執行 `credledger ledger verify` 查看細節',
    en: 'run `credledger ledger verify` for details',
  },
  'hint.LEDGER_UNAVAILABLE': { 'zh-TW': '檢查連線設定檔與網路', en: 'check the connection file and the network' },
  'hint.PASSPHRASE_REQUIRED': {
    'zh-TW': '設定環境變數 CREDLEDGER_KEY_PASSPHRASE，或在終端機中執行以輸入密語',
    en: 'set CREDLEDGER_KEY_PASSPHRASE, or run in a terminal to be prompted',
  },
  'hint.PASSPHRASE_WRONG': {
    'zh-TW': '密語無法開啟金鑰庫；請檢查環境變數 CREDLEDGER_KEY_PASSPHRASE（或輸入的密語）',
    en: 'the passphrase does not open the key store; check CREDLEDGER_KEY_PASSPHRASE (or what was typed)',
  },
  'hint.SCHEMA_INVALID': {
    'zh-TW': '執行 `credledger types` 查看欄位',
    en: 'run `credledger types` to see the fields',
  },
  'hint.UNKNOWN_CREDENTIAL_TYPE': {
    'zh-TW': '執行 `credledger types` 查看可用類型',
    en: 'run `credledger types` for the known types',
  },
  'hint.ISSUER_NOT_FOUND': { 'zh-TW': '執行 `credledger issuer list`', en: 'run `credledger issuer list`' },
  'hint.CREDENTIAL_NOT_FOUND': { 'zh-TW': '檢查憑證編號（urn:uuid:…）', en: 'check the credential id (urn:uuid:…)' },
  'hint.INVALID_TRANSITION': {
    'zh-TW': '已撤銷的憑證不能再變更；停止執行職務可用 reinstate 恢復',
    en: 'revoked is final; a suspended credential returns with `reinstate`',
  },
  'hint.ACCESS_DENIED': { 'zh-TW': '以 --as 選擇有權限的身分', en: 'pick an identity with the right role with --as' },
  'hint.NOT_INITIALIZED': { 'zh-TW': '執行 `credledger init`', en: 'run `credledger init`' },
  'hint.QR_UNREADABLE': { 'zh-TW': '請用更清楚、完整的 QR 影像', en: 'use a sharper image showing the whole QR code' },
  'hint.ID_CONFLICT': {
    'zh-TW': '此編號已錨定另一份憑證；批次請以相同參數重跑以續作',
    en: 'this id already anchors another credential; rerun a batch with the same arguments to resume',
  },

  'hint.INVALID_INPUT': { 'zh-TW': '檢查參數；加上 --help 查看用法', en: 'check the arguments; add --help for usage' },
  'hint.CREDENTIAL_MALFORMED': { 'zh-TW': '此內容不是完整的憑證 JWT', en: 'this is not a whole credential JWT' },
  'hint.FILE_NOT_FOUND': { 'zh-TW': '檢查路徑與權限', en: 'check the path and its permissions' },
  'hint.CONFIG_INVALID': {
    'zh-TW': '檢查 credledger.json 或所給的設定值',
    en: 'check credledger.json or the value given',
  },
  'hint.BATCH_TOO_LARGE': {
    'zh-TW': '每筆交易最多 2,000 張；請分批',
    en: 'at most 2,000 per transaction; split the batch',
  },
  'hint.ISSUER_EXISTS': { 'zh-TW': '執行 `credledger issuer show <did>`', en: 'run `credledger issuer show <did>`' },
  'hint.ISSUER_INACTIVE': {
    'zh-TW': '發行者已停權；由治理機關恢復後再試',
    en: 'the issuer is suspended; the governance body must reactivate it',
  },
  'hint.TYPE_NOT_ALLOWED': { 'zh-TW': '此發行者未獲授權核發此類型', en: 'this issuer is not registered for this type' },
  'hint.KEY_NOT_FOUND': {
    'zh-TW': '以 `credledger issuer rotate-key` 建立新金鑰',
    en: 'create a key with `credledger issuer rotate-key`',
  },
  'hint.KEY_EXISTS': { 'zh-TW': '換一個金鑰名稱', en: 'choose another key name' },
  'hint.KEY_NOT_ACTIVE': {
    'zh-TW': '此金鑰已停用或洩漏；以 `credledger issuer rotate-key` 換新',
    en: 'the key is retired or compromised; rotate with `credledger issuer rotate-key`',
  },
  'hint.KEY_STORE_ERROR': { 'zh-TW': '檢查金鑰檔', en: 'check the key file' },
  'hint.MVCC_CONFLICT': {
    'zh-TW': '同時有其他交易修改同一筆資料；請重試',
    en: 'another transaction changed the same record; retry',
  },
  'hint.ENDORSEMENT_FAILED': {
    'zh-TW': '背書失敗；檢查身分與鏈碼版本',
    en: 'endorsement failed; check the identity and the chaincode version',
  },
  'hint.TRANSACTION_INVALID': { 'zh-TW': '交易未被接受；請重試', en: 'the transaction was not committed; retry' },
  'hint.DEADLINE_EXCEEDED': {
    'zh-TW': '結果不明；以相同參數重跑（重複錨定相同憑證不會重複核發）',
    en: 'the outcome is unknown; rerun with the same arguments (an identical re-anchor issues nothing twice)',
  },
  'hint.CHAINCODE_ERROR': {
    'zh-TW': '鏈碼錯誤；加上 --debug 重跑並回報',
    en: 'a chaincode error; rerun with --debug and report it',
  },

  // progress
  'progress.eta': { 'zh-TW': '剩餘', en: 'ETA' },

  // verify
  'verify.verdict': { 'zh-TW': '結果', en: 'Verdict' },
  'verdict.VALID': { 'zh-TW': '有效', en: 'valid' },
  'verdict.REVOKED': { 'zh-TW': '已撤銷', en: 'revoked' },
  'verdict.SUSPENDED': { 'zh-TW': '停止中', en: 'suspended' },
  'verdict.EXPIRED': { 'zh-TW': '已過期', en: 'expired' },
  'verdict.NOT_YET_VALID': { 'zh-TW': '尚未生效', en: 'not yet valid' },
  'verdict.TAMPERED': { 'zh-TW': '遭竄改', en: 'tampered' },
  'verdict.UNKNOWN_ISSUER': { 'zh-TW': '發行者不明', en: 'unknown issuer' },
  'verdict.WRONG_TYPE_FOR_ISSUER': { 'zh-TW': '發行者無權核發此類憑證', en: 'issuer may not issue this type' },
  'verdict.MALFORMED': { 'zh-TW': '格式錯誤', en: 'malformed' },
  'verdict.UNVERIFIABLE': { 'zh-TW': '目前無法查核', en: 'cannot be checked now' },
  'check.pass': { 'zh-TW': '通過', en: 'pass' },
  'check.fail': { 'zh-TW': '未通過', en: 'fail' },
  'check.unknown': { 'zh-TW': '未知', en: 'unknown' },
  'status.ACTIVE': { 'zh-TW': '有效', en: 'active' },
  'status.REVOKED': { 'zh-TW': '已撤銷', en: 'revoked' },
  'status.SUSPENDED': { 'zh-TW': '停止', en: 'suspended' },
  'status.since': { 'zh-TW': '自 {date} 起', en: 'since {date}' },
} satisfies Record<string, Entry>;

/**
 * Status reason codes (docs/data-model.md) in words. Exhaustive: a new code in the sdk fails the build
 * until it has words here.
 */
export const reasonWords = {
  DISCIPLINARY_SUSPENSION: { 'zh-TW': '停止執行職務', en: 'disciplinary suspension' },
  DISBARMENT: { 'zh-TW': '除名', en: 'disbarment' },
  SURRENDERED: { 'zh-TW': '自願繳銷', en: 'surrendered by the holder' },
  DECEASED: { 'zh-TW': '死亡', en: 'holder deceased' },
  ISSUED_IN_ERROR: { 'zh-TW': '誤發', en: 'issued in error' },
  KEY_COMPROMISE: { 'zh-TW': '金鑰遭破解', en: 'key compromise' },
  SUPERSEDED: { 'zh-TW': '已換發', en: 'superseded by a newer credential' },
  COURT_ORDER: { 'zh-TW': '法院裁定', en: 'court order' },
  SUSPENSION_LIFTED: { 'zh-TW': '停止執行職務期滿', en: 'suspension lifted' },
} satisfies Record<ReasonCode, Entry>;

export type MessageKey = keyof typeof messages;

/**
 * Every sdk error code has a hint: this fails the build, naming the missing `hint.<CODE>` keys, when
 * a new code is added without one.
 */
type MissingHints = Exclude<`hint.${ErrorCode}`, MessageKey>;
export const everyErrorCodeHasAHint: [MissingHints] extends [never] ? true : MissingHints = true;

/** Translator bound to one language. */
export interface I18n {
  readonly lang: Lang;
  t(key: MessageKey, params?: Params): string;
  /** Like `t` for keys built at run time (hint.<CODE>); undefined when there is no such message. */
  maybe(key: string, params?: Params): string | undefined;
  /** Picks between inline texts, for one-off sentences of a single command. */
  pick(zh: string, en: string): string;
}

function fill(text: string, params: Params | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function i18n(lang: Lang): I18n {
  const table: Readonly<Record<string, Entry>> = messages;
  return {
    lang,
    t: (key, params) => fill(messages[key][lang], params),
    maybe: (key, params) => {
      const entry = Object.hasOwn(table, key) ? table[key] : undefined;
      return entry === undefined ? undefined : fill(entry[lang], params);
    },
    pick: (zh, en) => (lang === 'zh-TW' ? zh : en),
  };
}
