/**
 * Human output in the operator's language: Traditional Chinese (zh-TW) or English.
 * `--lang` wins, then the POSIX locale variables in their precedence order (LC_ALL, LC_MESSAGES, LANG).
 * Machine output (`--json`) and error codes never change with the language.
 */

import type { ErrorCode } from '@credledger/vocabulary';
import type { CheckName, CheckReason } from '@credledger/verify';

import { pkcs11Messages } from './i18n-pkcs11.js';

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
  ...pkcs11Messages,
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
  'opt.version': { 'zh-TW': '顯示版本', en: 'output the version number' },
  'opt.help': { 'zh-TW': '顯示指令說明', en: 'display help for command' },
  'opt.helpCommand': { 'zh-TW': '顯示指令說明', en: 'display help for command' },
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
    'zh-TW':
      '另一個 credledger 指令正在使用此帳本；請等它結束或停止它（`credledger serve` 執行期間的指令會經由 serve 存取帳本）',
    en: 'another credledger command holds this ledger; wait for it or stop it (commands run while `credledger serve` runs act through serve)',
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
  'hint.PASSPHRASE_REQUIRED.identity': {
    'zh-TW':
      '設定 CREDLEDGER_IDENTITY_PASSPHRASE（或組織專用的 CREDLEDGER_IDENTITY_PASSPHRASE_<MSPID>），或在終端機中執行以輸入密語',
    en: 'set CREDLEDGER_IDENTITY_PASSPHRASE (or CREDLEDGER_IDENTITY_PASSPHRASE_<MSPID> for one organisation), or run in a terminal to be prompted',
  },
  'hint.PASSPHRASE_WRONG.identity': {
    'zh-TW': '密語無法開啟該組織的帳本身分金鑰；請檢查 CREDLEDGER_IDENTITY_PASSPHRASE（或組織專用變數、輸入的密語）',
    en: "the passphrase does not open that organisation's ledger identity keys; check CREDLEDGER_IDENTITY_PASSPHRASE (or the organisation's own variable, or what was typed)",
  },
  'hint.PASSPHRASE_WEAK': {
    'zh-TW': '選一段較長的密語，例如幾個不相關的詞',
    en: 'choose a longer passphrase, e.g. several unrelated words',
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
  'hint.SUBJECT_HAS_ACTIVE_CREDENTIAL': {
    'zh-TW':
      '同一對象已有有效憑證；換發請加上 --supersede（舊憑證將以「已換發」撤銷），或先撤銷舊憑證；停止中的憑證須先恢復或撤銷',
    en: 'this subject already has a credential; add --supersede to replace it (the old one is revoked as SUPERSEDED), or revoke it first; a suspended one must be reinstated or revoked first',
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

  // verify: the verdict once, as its code, with a phrase that says what it means
  'verify.verdict': { 'zh-TW': '結果', en: 'Verdict' },
  'verdict.VALID': { 'zh-TW': '真實且有效', en: 'genuine and in force' },
  'verdict.REVOKED': { 'zh-TW': '核發機關已撤銷，不再有效', en: 'revoked by its issuer; no longer in force' },
  'verdict.SUSPENDED': { 'zh-TW': '核發機關已停止其效力', en: 'suspended by its issuer; not in force now' },
  'verdict.EXPIRED': { 'zh-TW': '效期已過', en: 'past its validity period' },
  'verdict.NOT_YET_VALID': { 'zh-TW': '尚未生效', en: 'not in force yet' },
  'verdict.TAMPERED': {
    'zh-TW': '內容不是核發機關所簽署的，請勿採信',
    en: 'the content is not what its issuer signed; do not rely on it',
  },
  'verdict.UNKNOWN_ISSUER': {
    'zh-TW': '所稱的核發機關未登記，請勿採信',
    en: 'the issuer it names is not registered; do not rely on it',
  },
  'verdict.WRONG_TYPE_FOR_ISSUER': {
    'zh-TW': '所稱的核發機關無權核發此類憑證，請勿採信',
    en: 'the issuer it names may not issue this type; do not rely on it',
  },
  'verdict.MALFORMED': { 'zh-TW': '無法讀取為憑證', en: 'cannot be read as a credential' },
  'verdict.UNVERIFIABLE': { 'zh-TW': '目前無法確認，請稍後再試', en: 'cannot be confirmed now; try again later' },
  // UNVERIFIABLE for a reason that retrying will not change: said as the verifier page says it.
  'verdict.UNVERIFIABLE.keyCompromised': {
    'zh-TW': '簽署它的金鑰已被通報遭破解，無法證實它是在破解前核發的，請勿採信',
    en: 'the key that signed it was reported compromised, and it cannot be shown to predate that; do not rely on it',
  },
  'verdict.UNVERIFIABLE.typeUnknown': {
    'zh-TW': '本驗證程式不認識這類憑證，無法檢查它的內容',
    en: 'this verifier does not know this type of credential and cannot check its content',
  },
  'verdict.UNVERIFIABLE.notAnchored': {
    'zh-TW': '簽章正確，但帳本上沒有這份憑證的登錄紀錄',
    en: 'the signature is genuine, but the ledger has no record of this credential',
  },
  'verdict.INVALID_CLAIMS': {
    'zh-TW': '簽章正確，但內容不符合此類憑證的規則，請勿採信',
    en: "signed, but its content breaks its type's rules; do not rely on it",
  },
  'check.pass': { 'zh-TW': '通過', en: 'pass' },
  'check.fail': { 'zh-TW': '未通過', en: 'fail' },
  'check.unknown': { 'zh-TW': '無法確認', en: 'unknown' },
  'verify.checks': { 'zh-TW': '已進行的檢查', en: 'checks run' },
  'verify.notRun': { 'zh-TW': '未進行的檢查：{names}', en: 'not checked: {names}' },
  'verify.claimsHidden': {
    'zh-TW': '憑證所稱的內容未經證實，不予顯示（--show-claims 可在警告標題下列出）',
    en: 'what the credential claims is unverified and not shown (--show-claims lists it under a warning)',
  },
  'verify.claimsForged': {
    'zh-TW': '未經證實、很可能是偽造的內容（簽章未通過驗證，以下任何一項都不可採信）：',
    en: 'UNVERIFIED, PROBABLY FORGED claims (the signature did not verify; rely on none of this):',
  },
  'verify.claimsUnchecked': {
    'zh-TW': '未經證實的內容（簽章未能檢查，以下任何一項都不可採信）：',
    en: 'UNVERIFIED claims (the signature could not be checked; rely on none of this):',
  },
  'verify.claimsFlagged': {
    'zh-TW': '內容不符合此類憑證的規則（由 {issuer} 簽署，但不可採信）：',
    en: "content breaking its type's rules (signed by {issuer}, but not to be relied on):",
  },
  'verify.clipped': { 'zh-TW': '…（共 {count} 字）', en: '… ({count} characters)' },
  'verify.anchoredAt': { 'zh-TW': '登錄於 {time}', en: 'anchored {time}' },
  'verify.validUntil': { 'zh-TW': '效期至 {time}', en: 'valid until {time}' },
  'verify.validFrom': { 'zh-TW': '自 {time} 起生效', en: 'valid from {time}' },
  'verify.field': { 'zh-TW': '欄位：{field}', en: 'field: {field}' },
  'status.ACTIVE': { 'zh-TW': '有效', en: 'active' },
  'issuerStatus.ACTIVE': { 'zh-TW': '有效', en: 'active' },
  'issuerStatus.SUSPENDED': { 'zh-TW': '暫停', en: 'suspended' },
  'issuerStatus.DEACTIVATED': { 'zh-TW': '已終止', en: 'deactivated' },
  'status.REVOKED': { 'zh-TW': '已撤銷', en: 'revoked' },
  'status.SUSPENDED': { 'zh-TW': '停止', en: 'suspended' },
  'status.reason': { 'zh-TW': '理由', en: 'reason' },
  'status.since': { 'zh-TW': '自 {date} 起', en: 'since {date}' },
} satisfies Record<string, Entry>;

/** Names of the verification checks, as an operator reads them. */
export const checkNameWords = {
  decode: { 'zh-TW': '讀取憑證', en: 'read the credential' },
  issuer: { 'zh-TW': '所稱核發機關已登記', en: 'the issuer it names is registered' },
  'credential-type': { 'zh-TW': '該機關有權核發此類', en: 'that issuer may issue this type' },
  signature: { 'zh-TW': '數位簽章', en: 'digital signature' },
  claims: { 'zh-TW': '內容符合類型規則', en: "content follows its type's rules" },
  validity: { 'zh-TW': '效期', en: 'validity period' },
  anchor: { 'zh-TW': '帳本指紋', en: 'ledger fingerprint' },
  status: { 'zh-TW': '撤銷與停止狀態', en: 'revocation and suspension' },
} satisfies Record<CheckName, Entry>;

/**
 * Every reason code of a check, in words. Exhaustive: a new code in the sdk fails the build until it
 * has words here. The code itself is printed beside the words, for scripts and support.
 */
export const checkReasonWords = {
  DECODED: { 'zh-TW': '格式正確', en: 'well-formed' },
  NOT_A_STRING: { 'zh-TW': '沒有可讀取的內容', en: 'nothing to read' },
  INPUT_TOO_LONG: { 'zh-TW': '內容過長，不是憑證', en: 'too long to be a credential' },
  LINK_UNDECODABLE: {
    'zh-TW': '連結內容無法解碼（可能抄錯或損毀）',
    en: 'the link cannot be decoded (mistyped or damaged?)',
  },
  NOT_COMPACT_JWS: { 'zh-TW': '不是簽署過的憑證', en: 'not a signed credential' },
  BAD_ENCODING: { 'zh-TW': '編碼損毀', en: 'damaged encoding' },
  NOT_VC_JWT: { 'zh-TW': '不是可驗證憑證', en: 'not a verifiable credential' },
  DISCLOSURE_MALFORMED: { 'zh-TW': '選擇性揭露的內容格式錯誤', en: 'a selectively disclosed claim is malformed' },
  KEY_BINDING_MALFORMED: { 'zh-TW': '持有者簽章（KB-JWT）格式錯誤', en: "the holder's key-binding JWT is malformed" },
  SD_ALG_UNSUPPORTED: { 'zh-TW': '不支援的揭露雜湊演算法', en: 'unsupported disclosure hash algorithm' },
  DISCLOSURE_NOT_IN_SD: {
    'zh-TW': '揭露的欄位不在發行者簽署的清單中（遭竄改或來自他張憑證）',
    en: 'a disclosed claim is not one the issuer signed (altered, or from another credential)',
  },
  DISCLOSURE_DUPLICATED: { 'zh-TW': '同一欄位揭露兩次', en: 'a claim is disclosed twice' },
  KEY_BINDING_MISSING: { 'zh-TW': '缺少持有者簽章（KB-JWT）', en: "the holder's key-binding JWT is missing" },
  KEY_BINDING_NO_HOLDER_KEY: {
    'zh-TW': '憑證未綁定持有者金鑰，卻附有持有者簽章',
    en: 'a key-binding JWT, but the credential names no holder key',
  },
  KEY_BINDING_SIGNATURE_INVALID: { 'zh-TW': '持有者簽章無效', en: "the holder's key-binding signature is not valid" },
  KEY_BINDING_SD_HASH_MISMATCH: {
    'zh-TW': '持有者簽章未涵蓋所出示的揭露內容',
    en: "the holder's signature does not cover these disclosures",
  },
  KEY_BINDING_NONCE_MISMATCH: {
    'zh-TW': '持有者簽章的 nonce 與請求不符（可能為重送）',
    en: 'the key-binding nonce is not the one asked for (a replay?)',
  },
  KEY_BINDING_AUDIENCE_MISMATCH: {
    'zh-TW': '持有者簽章不是給此驗證者',
    en: 'the key-binding JWT is meant for another verifier',
  },
  KEY_BINDING_NOT_FRESH: {
    'zh-TW': '持有者簽章時間不在允許範圍',
    en: 'the key-binding JWT is too old or from the future',
  },
  UNSUPPORTED_HEADER: { 'zh-TW': '不支援的簽章方式', en: 'unsupported signature method' },
  MISSING_CLAIM: { 'zh-TW': '缺少必要欄位', en: 'a required field is missing' },
  BAD_CLAIM: { 'zh-TW': '欄位格式錯誤', en: 'a field is malformed' },
  CLAIMS_INCONSISTENT: { 'zh-TW': '欄位互相矛盾', en: 'fields contradict each other' },
  STATUS_SOURCE_UNAVAILABLE: { 'zh-TW': '目前無法連線查詢', en: 'the status source cannot be reached' },
  TRUST_LIST_INVALID: { 'zh-TW': '信任清單無效', en: 'the trust list is not valid' },
  TRUST_LIST_EXPIRED: { 'zh-TW': '信任清單已過期', en: 'the trust list has expired' },
  NO_STATUS_ENTRY: { 'zh-TW': '憑證沒有狀態欄位', en: 'the credential has no status entry' },
  STATUS_LIST_UNAVAILABLE: { 'zh-TW': '無法取得狀態清單', en: 'the status list cannot be read' },
  STATUS_LIST_INVALID: { 'zh-TW': '狀態清單無效', en: 'the status list is not valid' },
  STATUS_LIST_STALE: { 'zh-TW': '狀態清單已過時', en: 'the status list is out of date' },
  KEY_VALID_AT_ISSUANCE: { 'zh-TW': '簽署時金鑰有效', en: 'the key was valid when it signed' },
  KID_NOT_OF_ISSUER: { 'zh-TW': '金鑰不屬於所稱的核發機關', en: 'the key is not one of the issuer it names' },
  KEY_NOT_FOUND: { 'zh-TW': '核發機關沒有登記這把金鑰', en: 'the issuer has no such key' },
  KEY_NOT_YET_VALID_AT_ISSUANCE: { 'zh-TW': '簽署時金鑰尚未生效', en: 'the key was not yet valid when it signed' },
  KEY_RETIRED_AT_ISSUANCE: { 'zh-TW': '簽署時金鑰已停用', en: 'the key was retired when it signed' },
  KEY_COMPROMISED_BEFORE_ANCHOR: {
    'zh-TW': '金鑰在登錄帳本前已遭破解',
    en: 'the key was compromised before the credential was anchored',
  },
  KEY_COMPROMISED_NOT_ANCHORED: {
    'zh-TW': '金鑰已遭破解，且無法確認登錄時間',
    en: 'the key was compromised and the anchor time is unknown',
  },
  ALG_NOT_ALLOWED: { 'zh-TW': '不允許的簽章演算法', en: 'signature algorithm not allowed' },
  KEY_UNSUPPORTED: { 'zh-TW': '不支援的金鑰', en: 'unsupported key' },
  SIGNATURE_INVALID: { 'zh-TW': '簽章不符，內容遭更動', en: 'the signature does not match: the content was altered' },
  SIGNATURE_NOT_CANONICAL: {
    'zh-TW': '簽章經過改寫（非標準形式），不是核發機關交付的那份憑證',
    en: 'the signature was rewritten (not in canonical form): this is not the credential as issued',
  },
  CLAIMS_CONFORM: { 'zh-TW': '符合此類憑證的規則', en: "follows its type's rules" },
  CLAIM_NOT_IN_TYPE: { 'zh-TW': '有此類憑證沒有的欄位', en: 'a field its type does not have' },
  CLAIM_MISSING: { 'zh-TW': '缺少必要欄位', en: 'a required field is missing' },
  CLAIM_TOO_LONG: { 'zh-TW': '內容超過允許的長度', en: 'a value longer than its type allows' },
  CLAIM_HIDDEN_CHARACTERS: {
    'zh-TW': '含有控制字元或隱形字元，可能改變顯示的文字',
    en: 'control or invisible characters that can change how the text reads',
  },
  CLAIM_NOT_ALLOWED: { 'zh-TW': '有此類憑證不允許的值', en: 'a value its type does not allow' },
  TYPE_UNKNOWN: { 'zh-TW': '本驗證程式不認識此類憑證', en: 'this verifier does not know the type' },
  NOT_CHECKED: { 'zh-TW': '未檢查', en: 'not checked' },
  ISSUER_REGISTERED: { 'zh-TW': '已登記', en: 'registered' },
  ISSUER_NOT_REGISTERED: { 'zh-TW': '未登記', en: 'not registered' },
  TYPE_ALLOWED: { 'zh-TW': '有權核發', en: 'authorised' },
  TYPE_NOT_ALLOWED: { 'zh-TW': '無權核發此類憑證', en: 'not authorised for this type' },
  SIGNATURE_VALID: { 'zh-TW': '簽章正確', en: 'the signature is genuine' },
  WITHIN_VALIDITY: { 'zh-TW': '在效期內', en: 'within its validity period' },
  EXPIRED: { 'zh-TW': '已過期', en: 'expired' },
  NOT_YET_VALID: { 'zh-TW': '尚未生效', en: 'not yet in force' },
  DIGEST_MATCHES: { 'zh-TW': '與帳本紀錄相符', en: 'matches the ledger record' },
  DIGEST_MISMATCH: { 'zh-TW': '與帳本紀錄不符，內容遭更動', en: 'differs from the ledger record: altered' },
  RECORD_MISMATCH: { 'zh-TW': '帳本紀錄與憑證不符', en: 'the ledger record does not match the credential' },
  NOT_ANCHORED: { 'zh-TW': '帳本上沒有這張憑證', en: 'not anchored on the ledger' },
  LEDGER_NOT_CONSULTED: { 'zh-TW': '離線驗證，未查詢帳本', en: 'verified offline; the ledger was not read' },
  ACTIVE: { 'zh-TW': '未被撤銷或停止', en: 'not revoked or suspended' },
  REVOKED: { 'zh-TW': '已撤銷', en: 'revoked' },
  SUSPENDED: { 'zh-TW': '已停止效力', en: 'suspended' },
} satisfies Record<CheckReason, Entry>;

export type MessageKey = keyof typeof messages;

/**
 * A code as the operator reads it: in zh-TW the code with its phrase, `REVOKED（已撤銷）`; in English
 * the code alone, as English output has always shown it. A code with no phrase here stays bare.
 */
export function codeInWords(t: I18n, code: string, words: Readonly<Record<string, Entry>>): string {
  if (t.lang !== 'zh-TW') return code;
  const entry = Object.hasOwn(words, code) ? words[code] : undefined;
  return entry === undefined ? code : `${code}（${entry['zh-TW']}）`;
}

/** Credential statuses in words, for `codeInWords`. */
export const statusWords: Readonly<Record<string, Entry>> = {
  ACTIVE: messages['status.ACTIVE'],
  SUSPENDED: messages['status.SUSPENDED'],
  REVOKED: messages['status.REVOKED'],
};

/** Issuer statuses in words, for `codeInWords`. */
export const issuerStatusWords: Readonly<Record<string, Entry>> = {
  ACTIVE: messages['issuerStatus.ACTIVE'],
  SUSPENDED: messages['issuerStatus.SUSPENDED'],
  DEACTIVATED: messages['issuerStatus.DEACTIVATED'],
};

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
  pick<T>(zh: T, en: T): T;
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
