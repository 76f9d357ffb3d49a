/**
 * Every sentence the verifier page shows, in zh-TW and English. Verdicts, check names and check reasons
 * are mapped exhaustively (`satisfies Record<…>`), so a new code fails the build until it has words
 * here; status reason codes have their words in @credledger/vocabulary (`reasonLabels`).
 */
import type { CheckName, CheckReason, Verdict } from '@credledger/verify';

export const languages = ['zh-TW', 'en'] as const;
export type Language = (typeof languages)[number];

/** What a verdict sentence may mention; every value comes from verified data, never from the page URL. */
export interface VerdictContext {
  /** The credential type's display name, e.g. 律師證書 / lawyer licence. */
  readonly typeName: string;
  /** The issuer's registered name from the trust data, e.g. 法務部 / Ministry of Justice. */
  readonly issuerName: string;
  /** Date of the status change or of the validity bound, already formatted; absent when unknown. */
  readonly date?: string;
  /** The status reason in words, already translated; absent when the source does not give one. */
  readonly reason?: string;
  /** The check the verdict rests on and its reason (chooses between wordings of one verdict). */
  readonly cause?: { readonly check: CheckName; readonly reason: CheckReason };
  /** For INVALID_CLAIMS: the field that breaks the rules, by its label (or its escaped name). */
  readonly field?: string;
}

/** The three looks a verdict can have; each look also has its own symbol and words, never colour alone. */
export type Tone = 'ok' | 'bad' | 'warn';

interface VerdictWords {
  readonly tone: Tone;
  readonly symbol: string;
  readonly title: Record<Language, string>;
  readonly detail: Record<Language, (c: VerdictContext) => string>;
}

export const verdictWords = {
  VALID: {
    tone: 'ok',
    symbol: '✓',
    title: { 'zh-TW': '有效', en: 'Valid' },
    detail: {
      'zh-TW': (c) => `此${c.typeName}由${c.issuerName}核發，目前有效`,
      en: (c) => `Issued by the ${c.issuerName}, currently in force`,
    },
  },
  REVOKED: {
    tone: 'bad',
    symbol: '✕',
    title: { 'zh-TW': '已撤銷', en: 'Revoked' },
    detail: {
      'zh-TW': (c) =>
        `此${c.typeName}已${c.date ? `於 ${c.date} ` : ''}由${c.issuerName}撤銷${c.reason ? `（原因：${c.reason}）` : ''}，不再有效`,
      en: (c) =>
        `The ${c.issuerName} revoked this ${c.typeName}${c.date ? ` on ${c.date}` : ''}${c.reason ? ` (reason: ${c.reason})` : ''}; it is no longer valid`,
    },
  },
  SUSPENDED: {
    tone: 'bad',
    symbol: '⏸',
    title: { 'zh-TW': '已停止效力', en: 'Suspended' },
    detail: {
      'zh-TW': (c) =>
        `此${c.typeName}${c.date ? `自 ${c.date} 起` : ''}由${c.issuerName}暫停${c.reason ? `（原因：${c.reason}）` : ''}，目前不可使用`,
      en: (c) =>
        `The ${c.issuerName} suspended this ${c.typeName}${c.date ? ` on ${c.date}` : ''}${c.reason ? ` (reason: ${c.reason})` : ''}; it is not in force now`,
    },
  },
  EXPIRED: {
    tone: 'bad',
    symbol: '⌛',
    title: { 'zh-TW': '已過期', en: 'Expired' },
    detail: {
      'zh-TW': (c) => `此${c.typeName}的效期${c.date ? `已於 ${c.date} ` : '已'}屆滿`,
      en: (c) => `This ${c.typeName} ${c.date ? `was valid until ${c.date}` : 'is past its validity period'}`,
    },
  },
  NOT_YET_VALID: {
    tone: 'warn',
    symbol: '⏳',
    title: { 'zh-TW': '尚未生效', en: 'Not yet valid' },
    detail: {
      'zh-TW': (c) => `此${c.typeName}${c.date ? `自 ${c.date} 起` : '尚未'}生效`,
      en: (c) => `This ${c.typeName} ${c.date ? `takes effect on ${c.date}` : 'is not in force yet'}`,
    },
  },
  // Nothing the credential claims is established for the verdicts below until INVALID_CLAIMS: their
  // words name no issuer and no content (decision 0007).
  TAMPERED: {
    tone: 'bad',
    symbol: '✕',
    title: { 'zh-TW': '遭竄改', en: 'Tampered' },
    detail: {
      'zh-TW': (c) =>
        c.cause?.check === 'anchor'
          ? '帳本上以這個編號登錄的憑證內容與這份不同，這份不可採信'
          : '無法證實這份內容由它所稱的核發機關簽署：內容已被更動或偽造，請勿採信',
      en: (c) =>
        c.cause?.check === 'anchor'
          ? "The ledger records different content under this credential's id; do not rely on this one"
          : 'This content cannot be shown to be signed by the issuer it names: it was altered or forged; do not rely on it',
    },
  },
  UNKNOWN_ISSUER: {
    tone: 'bad',
    symbol: '?',
    title: { 'zh-TW': '核發者不明', en: 'Unknown issuer' },
    detail: {
      'zh-TW': () => '它所稱的核發者不是已登記的政府機關，請勿採信',
      en: () => 'The issuer it names is not a registered government agency; do not rely on it',
    },
  },
  WRONG_TYPE_FOR_ISSUER: {
    tone: 'bad',
    symbol: '✕',
    title: { 'zh-TW': '核發機關無權核發', en: 'Issuer not authorised' },
    detail: {
      'zh-TW': () => '它所稱的核發機關未獲授權核發這類憑證，請勿採信',
      en: () => 'The issuer it names may not issue this kind of credential; do not rely on it',
    },
  },
  MALFORMED: {
    tone: 'bad',
    symbol: '✕',
    title: { 'zh-TW': '無法辨識', en: 'Not readable' },
    detail: {
      'zh-TW': () => '這不是可驗證的憑證，或內容不完整（連結可能抄錯、截斷或損毀）。請重新掃描 QR Code。',
      en: () =>
        'This is not a verifiable credential, or it is incomplete (the link may be mistyped, cut off or damaged). Scan the QR code again.',
    },
  },
  UNVERIFIABLE: {
    tone: 'warn',
    symbol: '!',
    title: { 'zh-TW': '無法確認', en: 'Cannot be confirmed' },
    detail: {
      'zh-TW': (c) => {
        switch (c.cause?.check) {
          case 'decode':
          case 'issuer':
            return '目前無法取得核發機關的登記資料，還不能驗證這份憑證，請稍後再試';
          case 'signature':
            return '簽署這份憑證的金鑰已遭破解，無法證實它是在破解前核發的，請勿採信';
          case 'claims':
            return '本驗證頁不認識這類憑證，無法檢查它的內容';
          default:
            return c.cause?.reason === 'NOT_ANCHORED'
              ? `簽章正確，由${c.issuerName}簽署，但帳本上沒有這份憑證的登錄紀錄`
              : `簽章正確，由${c.issuerName}核發，但目前無法查詢是否已被撤銷或停止，請稍後再試`;
        }
      },
      en: (c) => {
        switch (c.cause?.check) {
          case 'decode':
          case 'issuer':
            return 'The register of issuers cannot be read, so this credential cannot be verified yet; try again later';
          case 'signature':
            return 'The key that signed it was compromised, and it cannot be shown to predate that; do not rely on it';
          case 'claims':
            return 'This verifier does not know this kind of credential and cannot check its content';
          default:
            return c.cause?.reason === 'NOT_ANCHORED'
              ? `The signature is genuine (signed by the ${c.issuerName}), but the ledger has no record of this credential`
              : `The signature is genuine and it was issued by the ${c.issuerName}, but whether it has been revoked or suspended cannot be checked now; try again later`;
        }
      },
    },
  },
  INVALID_CLAIMS: {
    tone: 'bad',
    symbol: '⚠',
    title: { 'zh-TW': '內容不符規定', en: 'Content breaks the rules' },
    detail: {
      'zh-TW': (c) =>
        `這份${c.typeName}雖由${c.issuerName}簽署，但${c.field ? `「${c.field}」` : '內容'}不符合${c.typeName}的規則，請勿採信，並向${c.issuerName}查證`,
      en: (c) =>
        `Signed by the ${c.issuerName}, but ${c.field ? `its “${c.field}”` : 'its content'} breaks the rules for a ${c.typeName}; do not rely on it, and check with the ${c.issuerName}`,
    },
  },
} satisfies Record<Verdict, VerdictWords>;

/** Names of the pipeline's checks. */
export const checkWords = {
  decode: { 'zh-TW': '讀取憑證', en: 'Read the credential' },
  issuer: { 'zh-TW': '所稱的核發機關已登記', en: 'The issuer it names is registered' },
  'credential-type': { 'zh-TW': '該機關有權核發此類憑證', en: 'That issuer may issue this type' },
  signature: { 'zh-TW': '數位簽章正確', en: 'Digital signature is genuine' },
  claims: { 'zh-TW': '內容符合此類憑證的規則', en: "Content follows its type's rules" },
  validity: { 'zh-TW': '在效期內', en: 'Within its validity period' },
  anchor: { 'zh-TW': '與帳本登錄的指紋相符', en: 'Matches the fingerprint recorded on the ledger' },
  status: { 'zh-TW': '未被撤銷或停止', en: 'Not revoked or suspended' },
} satisfies Record<CheckName, Record<Language, string>>;

/** Why a check came out as it did, one short sentence per reason code of the pipeline. */
export const checkReasonWords = {
  DECODED: { 'zh-TW': '格式正確', en: 'Well-formed' },
  NOT_A_STRING: { 'zh-TW': '沒有可讀取的內容', en: 'Nothing to read' },
  INPUT_TOO_LONG: { 'zh-TW': '內容過長，不是憑證', en: 'Too long to be a credential' },
  LINK_UNDECODABLE: { 'zh-TW': '連結內容無法解碼', en: 'The link cannot be decoded' },
  NOT_COMPACT_JWS: { 'zh-TW': '不是簽署過的憑證', en: 'Not a signed credential' },
  BAD_ENCODING: { 'zh-TW': '編碼損毀', en: 'Damaged encoding' },
  NOT_VC_JWT: { 'zh-TW': '不是可驗證憑證', en: 'Not a verifiable credential' },
  DISCLOSURE_MALFORMED: { 'zh-TW': '選擇性揭露的內容格式錯誤', en: 'A selectively disclosed claim is malformed' },
  KEY_BINDING_MALFORMED: { 'zh-TW': '持有者簽章（KB-JWT）格式錯誤', en: "The holder's key-binding JWT is malformed" },
  SD_ALG_UNSUPPORTED: { 'zh-TW': '不支援的揭露雜湊演算法', en: 'Unsupported disclosure hash algorithm' },
  DISCLOSURE_NOT_IN_SD: {
    'zh-TW': '揭露的欄位不在發行者簽署的清單中（遭竄改或來自他張憑證）',
    en: 'A disclosed claim is not one the issuer signed (altered, or from another credential)',
  },
  DISCLOSURE_DUPLICATED: { 'zh-TW': '同一欄位揭露兩次', en: 'A claim is disclosed twice' },
  KEY_BINDING_MISSING: { 'zh-TW': '缺少持有者簽章（KB-JWT）', en: "The holder's key-binding JWT is missing" },
  KEY_BINDING_NO_HOLDER_KEY: {
    'zh-TW': '憑證未綁定持有者金鑰，卻附有持有者簽章',
    en: 'A key-binding JWT, but the credential names no holder key',
  },
  KEY_BINDING_SIGNATURE_INVALID: { 'zh-TW': '持有者簽章無效', en: "The holder's key-binding signature is not valid" },
  KEY_BINDING_SD_HASH_MISMATCH: {
    'zh-TW': '持有者簽章未涵蓋所出示的揭露內容',
    en: "The holder's signature does not cover these disclosures",
  },
  KEY_BINDING_NONCE_MISMATCH: {
    'zh-TW': '持有者簽章的 nonce 與請求不符（可能為重送）',
    en: 'The key-binding nonce is not the one asked for (a replay?)',
  },
  KEY_BINDING_AUDIENCE_MISMATCH: {
    'zh-TW': '持有者簽章不是給此驗證者',
    en: 'The key-binding JWT is meant for another verifier',
  },
  KEY_BINDING_NOT_FRESH: {
    'zh-TW': '持有者簽章時間不在允許範圍',
    en: 'The key-binding JWT is too old or from the future',
  },
  UNSUPPORTED_HEADER: { 'zh-TW': '不支援的簽章方式', en: 'Unsupported signature method' },
  MISSING_CLAIM: { 'zh-TW': '缺少必要欄位', en: 'A required field is missing' },
  BAD_CLAIM: { 'zh-TW': '欄位格式錯誤', en: 'A field is malformed' },
  CLAIMS_INCONSISTENT: { 'zh-TW': '欄位互相矛盾', en: 'Fields contradict each other' },
  STATUS_SOURCE_UNAVAILABLE: { 'zh-TW': '目前無法連線查詢', en: 'The status service cannot be reached now' },
  TRUST_LIST_INVALID: { 'zh-TW': '信任清單無效', en: 'The trust list is not valid' },
  TRUST_LIST_EXPIRED: { 'zh-TW': '信任清單已過期', en: 'The trust list has expired' },
  NO_STATUS_ENTRY: { 'zh-TW': '憑證沒有狀態欄位', en: 'The credential has no status entry' },
  STATUS_LIST_UNAVAILABLE: { 'zh-TW': '無法取得狀態清單', en: 'The status list cannot be fetched' },
  STATUS_LIST_INVALID: { 'zh-TW': '狀態清單無效', en: 'The status list is not valid' },
  STATUS_LIST_STALE: { 'zh-TW': '狀態清單已過時', en: 'The status list is out of date' },
  KEY_VALID_AT_ISSUANCE: { 'zh-TW': '簽署時金鑰有效', en: 'The key was valid when signed' },
  KID_NOT_OF_ISSUER: { 'zh-TW': '金鑰不屬於核發機關', en: 'The key does not belong to the issuer' },
  KEY_NOT_FOUND: { 'zh-TW': '核發機關沒有登記這把金鑰', en: 'The issuer has no such key' },
  KEY_NOT_YET_VALID_AT_ISSUANCE: { 'zh-TW': '簽署時金鑰尚未生效', en: 'The key was not yet valid when signed' },
  KEY_RETIRED_AT_ISSUANCE: { 'zh-TW': '簽署時金鑰已停用', en: 'The key was retired when signed' },
  KEY_COMPROMISED_BEFORE_ANCHOR: {
    'zh-TW': '金鑰在登錄帳本前已遭破解',
    en: 'The key was compromised before the credential was recorded',
  },
  KEY_COMPROMISED_NOT_ANCHORED: {
    'zh-TW': '金鑰已遭破解，且無法確認登錄時間',
    en: 'The key was compromised and the recording time cannot be checked',
  },
  ALG_NOT_ALLOWED: { 'zh-TW': '不允許的簽章演算法', en: 'Signature algorithm not allowed' },
  KEY_UNSUPPORTED: { 'zh-TW': '不支援的金鑰', en: 'Unsupported key' },
  SIGNATURE_INVALID: {
    'zh-TW': '簽章不符，內容可能遭竄改',
    en: 'Signature does not match; the content may have been altered',
  },
  CLAIMS_CONFORM: { 'zh-TW': '符合規則', en: 'Follows the rules' },
  CLAIM_NOT_IN_TYPE: { 'zh-TW': '有此類憑證沒有的欄位', en: 'A field its type does not have' },
  CLAIM_MISSING: { 'zh-TW': '缺少必要欄位', en: 'A required field is missing' },
  CLAIM_TOO_LONG: { 'zh-TW': '內容超過允許的長度', en: 'A value longer than its type allows' },
  CLAIM_HIDDEN_CHARACTERS: {
    'zh-TW': '含有看不見的控制字元，可能改變文字顯示的樣子',
    en: 'Invisible control characters that can change how the text reads',
  },
  CLAIM_NOT_ALLOWED: { 'zh-TW': '有此類憑證不允許的值', en: 'A value its type does not allow' },
  TYPE_UNKNOWN: { 'zh-TW': '本驗證頁不認識這類憑證', en: 'This verifier does not know the type' },
  SIGNATURE_NOT_CANONICAL: {
    'zh-TW': '簽章經過改寫（非標準形式），不是核發機關交付的那份憑證',
    en: 'The signature was rewritten (not in canonical form); this is not the credential as issued',
  },
  NOT_CHECKED: { 'zh-TW': '未檢查', en: 'Not checked' },
  ISSUER_REGISTERED: { 'zh-TW': '已登記', en: 'Registered' },
  ISSUER_NOT_REGISTERED: { 'zh-TW': '未登記的核發者', en: 'Not a registered issuer' },
  TYPE_ALLOWED: { 'zh-TW': '有權核發', en: 'Authorised' },
  TYPE_NOT_ALLOWED: { 'zh-TW': '無權核發此類憑證', en: 'Not authorised for this type' },
  SIGNATURE_VALID: { 'zh-TW': '簽章正確', en: 'Signature is genuine' },
  WITHIN_VALIDITY: { 'zh-TW': '在效期內', en: 'Within validity' },
  EXPIRED: { 'zh-TW': '已過期', en: 'Expired' },
  NOT_YET_VALID: { 'zh-TW': '尚未生效', en: 'Not yet valid' },
  DIGEST_MATCHES: { 'zh-TW': '與帳本紀錄相符', en: 'Matches the ledger record' },
  DIGEST_MISMATCH: { 'zh-TW': '與帳本紀錄不符，內容遭竄改', en: 'Differs from the ledger record: altered' },
  RECORD_MISMATCH: { 'zh-TW': '帳本紀錄與憑證不符', en: 'The ledger record does not match the credential' },
  NOT_ANCHORED: { 'zh-TW': '帳本上沒有這張憑證', en: 'Not recorded on the ledger' },
  LEDGER_NOT_CONSULTED: { 'zh-TW': '離線驗證，未查詢帳本', en: 'Verified offline; ledger not consulted' },
  ACTIVE: { 'zh-TW': '有效', en: 'In force' },
  REVOKED: { 'zh-TW': '已撤銷', en: 'Revoked' },
  SUSPENDED: { 'zh-TW': '已停止效力', en: 'Suspended' },
} satisfies Record<CheckReason, Record<Language, string>>;

/** A value too long to show whole: its first part and how long it is. */
export const clippedWords = {
  'zh-TW': (count: number) => `…（共 ${count} 字）`,
  en: (count: number) => `… (${count} characters)`,
} satisfies Record<Language, (count: number) => string>;

export const checkResultWords = {
  pass: { 'zh-TW': '✓ 通過', en: '✓ Pass' },
  fail: { 'zh-TW': '✕ 未通過', en: '✕ Fail' },
  unknown: { 'zh-TW': '? 無法確認', en: '? Unknown' },
} satisfies Record<'pass' | 'fail' | 'unknown', Record<Language, string>>;

/** Fixed page text, keyed by the `data-i18n` attribute in index.html. */
export const uiWords = {
  readFromPdfQr: {
    'zh-TW': '讀取自 PDF 第 {page} 頁印的 QR Code（此 PDF 未附帶電子憑證）',
    en: 'Read from the QR code printed on page {page} of the PDF (no credential attached)',
  },
  title: { 'zh-TW': '數位憑證驗證', en: 'Verify a digital credential' },
  skip: { 'zh-TW': '跳至驗證結果', en: 'Skip to the result' },
  intro: {
    'zh-TW': '掃描或貼上憑證上的 QR Code，確認它是否真實、目前是否有效。',
    en: 'Scan or paste the QR code on a credential to see whether it is genuine and in force.',
  },
  inputHeading: { 'zh-TW': '提供憑證', en: 'Provide the credential' },
  scan: { 'zh-TW': '用相機掃描', en: 'Scan with the camera' },
  stopScan: { 'zh-TW': '停止掃描', en: 'Stop scanning' },
  upload: { 'zh-TW': '上傳照片、截圖或 PDF', en: 'Upload a photo, screenshot or PDF' },
  cameraHint: { 'zh-TW': '請將 QR Code 對準框內。', en: 'Point the camera at the QR code.' },
  pasteLabel: { 'zh-TW': '或貼上憑證連結或內容', en: 'Or paste the credential link or text' },
  verify: { 'zh-TW': '驗證', en: 'Verify' },
  askWallet: { 'zh-TW': '請對方用數位皮夾出示', en: 'Request from a wallet' },
  issuerHeading: { 'zh-TW': '核發機關', en: 'Issuer' },
  fieldsHeading: { 'zh-TW': '憑證內容', en: 'Credential details' },
  checksHeading: { 'zh-TW': '檢查項目', en: 'Checks' },
  privacy: {
    'zh-TW': '憑證內容只在您的裝置上檢查，不會傳送給任何伺服器；只有憑證編號會用來查詢狀態。',
    en: 'The credential is checked on your device and never sent to a server; only its id is used to look up its status.',
  },
  pageTitle: { 'zh-TW': '數位憑證驗證 — credledger', en: 'Verify a digital credential — credledger' },
  otherLanguage: { 'zh-TW': 'English', en: '中文' },
  checking: { 'zh-TW': '驗證中…', en: 'Checking…' },
  genericNoun: { 'zh-TW': '憑證', en: 'credential' },
  issuerNameUnknown: { 'zh-TW': '核發機關', en: 'issuer' },
  detailsHiddenForged: {
    'zh-TW': '憑證上所寫的內容（姓名、核發機關等）未經證實，很可能是偽造的，因此不予顯示。',
    en: 'What the credential says (names, issuer and the rest) is unverified and probably forged, so it is not shown.',
  },
  detailsHiddenUnchecked: {
    'zh-TW': '憑證上所寫的內容目前無法證實，因此不予顯示。',
    en: 'What the credential says cannot be confirmed now, so it is not shown.',
  },
  detailsFlagged: {
    'zh-TW': '⚠ 以下是憑證上所寫的內容，僅供查證，不可採信；標示 ⚠ 的欄位不符合規則，看不見的控制字元以 ⟨U+…⟩ 顯示。',
    en: '⚠ What the credential says, for checking only — do not rely on it. The field marked ⚠ breaks the rules; invisible control characters are shown as ⟨U+…⟩.',
  },
  checksSkipped: { 'zh-TW': '未進行的檢查：', en: 'Not checked: ' },
  credentialId: { 'zh-TW': '憑證編號', en: 'Credential id' },
  credentialType: { 'zh-TW': '憑證種類', en: 'Credential type' },
  validFrom: { 'zh-TW': '生效日', en: 'Valid from' },
  validUntil: { 'zh-TW': '有效期限', en: 'Valid until' },
  noExpiry: { 'zh-TW': '無期限', en: 'No expiry' },
  anchoredAt: { 'zh-TW': '帳本登錄時間', en: 'Recorded on the ledger' },
  yes: { 'zh-TW': '是', en: 'Yes' },
  no: { 'zh-TW': '否', en: 'No' },
  notifyHeading: { 'zh-TW': '狀態變更通知', en: 'If the status changes' },
  recheckHint: {
    'zh-TW': '本站未提供變更通知。日後要再確認，請重新掃描 QR Code 或再次開啟憑證連結，每次都會重新查詢目前狀態。',
    en: 'This site does not offer change notices. To check again later, scan the QR code again or open the credential link again; each time the current status is looked up anew.',
  },
  watchStart: { 'zh-TW': '開啟本頁期間，狀態變更時通知我', en: 'Notify me of changes while this page is open' },
  watchStop: { 'zh-TW': '停止通知', en: 'Stop notifying' },
  webhookSummary: { 'zh-TW': '進階：通知您的系統（webhook）', en: 'Advanced: notify your system (webhook)' },
  webhookIntro: {
    'zh-TW':
      '例如事務所或銀行的系統：狀態變更時，伺服器會以已簽章的 HTTPS POST 通知下列網址。登記時會將此憑證送至本站伺服器，作為您持有它的證明。',
    en: "For a system such as a law firm's or a bank's: when the status changes, the server sends a signed HTTPS POST to the address below. Registering sends this credential to this site's server as proof that you hold it.",
  },
  webhookUrlLabel: { 'zh-TW': '接收通知的網址（https://）', en: 'Address receiving the notices (https://)' },
  webhookSubmit: { 'zh-TW': '登記通知', en: 'Register' },
  webhookCreated: { 'zh-TW': '已登記。', en: 'Registered.' },
  subscriptionId: { 'zh-TW': '訂閱編號', en: 'Subscription id' },
  subscriptionToken: { 'zh-TW': '管理權杖', en: 'Management token' },
  tokenOnce: {
    'zh-TW': '請立即保存訂閱編號與權杖：查詢或取消訂閱都需要它們，權杖不會再顯示。',
    en: 'Keep the subscription id and token now: you need them to look up or cancel the subscription, and the token is not shown again.',
  },
} satisfies Record<string, Record<Language, string>>;
export type UiKey = keyof typeof uiWords;

/** Problems before a credential reaches the pipeline (camera, file, QR reading). */
export const inputProblemWords = {
  CAMERA_DENIED: {
    'zh-TW': '無法使用相機：未獲得權限。請改用上傳照片或貼上連結。',
    en: 'The camera is not available: permission was denied. Upload a photo or paste the link instead.',
  },
  CAMERA_UNAVAILABLE: {
    'zh-TW': '找不到可用的相機。請改用上傳照片或貼上連結。',
    en: 'No camera was found. Upload a photo or paste the link instead.',
  },
  QR_UNREADABLE: {
    'zh-TW': '圖片中找不到可讀取的 QR Code，請換一張更清楚的照片。',
    en: 'No readable QR code was found in the image; try a sharper photo.',
  },
  IMAGE_UNREADABLE: {
    'zh-TW': '無法開啟這個檔案，請上傳 PNG 或 JPEG 圖片，或憑證的 PDF 文件。',
    en: "This file cannot be opened; upload a PNG or JPEG image, or the credential's PDF document.",
  },
  PDF_WITHOUT_CREDENTIAL: {
    'zh-TW': '這份 PDF 未附電子憑證。請用相機掃描紙本上的 QR Code，或上傳該頁的照片或截圖。',
    en: 'This PDF carries no credential. Scan the QR code printed on the paper, or upload a photo or screenshot of the page.',
  },
  EMPTY_INPUT: { 'zh-TW': '請先貼上憑證連結或內容。', en: 'Paste a credential link or text first.' },
  SHARE_NOT_RECEIVED: {
    'zh-TW': '分享的檔案或連結未送達本頁。請再分享一次，或改用上傳或貼上連結。',
    en: 'The shared file or link did not reach this page. Share it again, or upload the file or paste the link.',
  },
  UNKNOWN_FORMAT: {
    'zh-TW': '此憑證使用較新的格式，請更新或重新整理本頁後再試。',
    en: 'This credential uses a newer format; reload or update the verifier and try again.',
  },
  WALLET_VIEW_UNAVAILABLE: {
    'zh-TW': '目前無法開啟「請對方用數位皮夾出示」，請確認網路連線後再試。',
    en: 'Requesting from a wallet cannot be opened now; check the connection and try again.',
  },
} satisfies Record<string, Record<Language, string>>;
export type InputProblem = keyof typeof inputProblemWords;

/** The state of "notify me while this page is open" (a Server-Sent Events stream). */
export const watchStateWords = {
  connecting: {
    'zh-TW': () => '正在開啟通知…',
    en: () => 'Turning notices on…',
  },
  watching: {
    'zh-TW': () => '通知已開啟：只要本頁保持開啟，狀態一有變更，上方結果就會自動更新。',
    en: () => 'Notices are on: while this page stays open, the result above updates as soon as the status changes.',
  },
  reconnecting: {
    'zh-TW': () => '連線中斷，正在重新連線；重新連線後不會漏掉期間的變更。',
    en: () => 'The connection dropped; reconnecting. Changes in the meantime are not lost once it is back.',
  },
  changed: {
    'zh-TW': (time: string) => `狀態已於 ${time} 變更，上方結果已重新驗證。`,
    en: (time: string) => `The status changed at ${time}; the result above was checked again.`,
  },
  stopped: {
    'zh-TW': () => '通知已停止。',
    en: () => 'Notices are off.',
  },
  failed: {
    'zh-TW': () => '目前無法開啟通知；日後請重新掃描 QR Code 或再次開啟連結以確認狀態。',
    en: () => 'Notices cannot be turned on now; to check later, scan the QR code or open the link again.',
  },
} satisfies Record<string, Record<Language, (time: string) => string>>;
export type WatchState = keyof typeof watchStateWords;

/** Why registering a webhook failed, from the server's error code. */
export const subscribeProblemWords = {
  URL_REFUSED: {
    'zh-TW': '伺服器不接受這個網址：請使用可從網際網路連線的 https:// 網址。',
    en: 'The server refused this address: use an https:// address reachable from the internet.',
  },
  CREDENTIAL_REFUSED: {
    'zh-TW': '伺服器無法確認此憑證與帳本登錄的相符，因此不接受登記。',
    en: 'The server could not match this credential to the ledger record, so it refused the registration.',
  },
  RATE_LIMITED: { 'zh-TW': '請求過於頻繁，請稍後再試。', en: 'Too many requests; try again shortly.' },
  UNAVAILABLE: {
    'zh-TW': '目前無法連線通知服務，請稍後再試。',
    en: 'The notification service cannot be reached now; try again later.',
  },
} satisfies Record<string, Record<Language, string>>;
export type SubscribeProblem = keyof typeof subscribeProblemWords;

/** The freshness line under the verdict. */
export const freshnessWords = {
  live: {
    'zh-TW': (age: string) => `狀態資料：即時查詢帳本（${age}）`,
    en: (age: string) => `Status: read from the ledger just now (${age})`,
  },
  list: {
    'zh-TW': (age: string) => `狀態資料：已簽署的狀態清單，產生於 ${age}`,
    en: (age: string) => `Status: signed status list published ${age}`,
  },
  stale: {
    'zh-TW': (age: string) => `注意：目前無法連線，以下狀態資料為 ${age} 的紀錄，之後可能已有變動`,
    en: (age: string) => `Note: offline — this status information is from ${age} and may have changed since`,
  },
  none: {
    'zh-TW': () => '狀態資料：無法取得',
    en: () => 'Status: not available',
  },
  fallback: {
    'zh-TW': (age: string) =>
      `注意：目前無法連線狀態服務，以下狀態取自已簽署的狀態清單（產生於 ${age}），之後可能已有變動`,
    en: (age: string) =>
      `Note: the status service cannot be reached — this status comes from the signed status list published ${age} and may have changed since`,
  },
} satisfies Record<string, Record<Language, (age: string) => string>>;

/** "3 分鐘前" / "3 minutes ago" plus the absolute time, so an old answer is never mistaken for a new one. */
export function describeAge(from: Date, now: Date, language: Language): string {
  const seconds = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  const absolute = formatDateTime(from, language);
  const units: [number, string, string][] = [
    [86_400, '天', 'day'],
    [3_600, '小時', 'hour'],
    [60, '分鐘', 'minute'],
  ];
  for (const [size, zh, en] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return language === 'zh-TW' ? `${n} ${zh}前，${absolute}` : `${n} ${en}${n === 1 ? '' : 's'} ago, ${absolute}`;
    }
  }
  return language === 'zh-TW' ? `${seconds} 秒前，${absolute}` : `${seconds} s ago, ${absolute}`;
}

/** A date in Taiwan's time zone, the way each language writes it. */
export function formatDate(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(language, {
    timeZone: 'Asia/Taipei',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(date);
}

export function formatDateTime(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(language, {
    timeZone: 'Asia/Taipei',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZoneName: 'short',
  }).format(date);
}

// The "request from a wallet" view (wallet-request.ts): its words load with it, not on the first visit.

/** What the view is doing, one sentence each; `time` is a formatted time where the words use one. */
export const walletRequestStateWords = {
  choosing: {
    'zh-TW': () => '勾選要對方出示的欄位，再產生 QR Code 讓對方的數位皮夾掃描。您只會收到勾選的欄位。',
    en: () =>
      "Tick what you need to see, then make a QR code for the other person's wallet to scan. You receive only the fields you tick.",
  },
  creating: {
    'zh-TW': () => '正在建立請求…',
    en: () => 'Making the request…',
  },
  waiting: {
    'zh-TW': () => '請對方用數位皮夾掃描這個 QR Code，並在皮夾中同意出示。',
    en: () => 'Ask the other person to scan this QR code with their wallet and agree to share.',
  },
  reconnecting: {
    'zh-TW': () => '與伺服器的連線中斷，正在重試；對方仍可出示。',
    en: () => 'The connection to the server dropped; retrying. The other person can still share.',
  },
  verifying: {
    'zh-TW': () => '已收到皮夾的回覆，正在驗證…',
    en: () => 'The wallet answered; checking…',
  },
  answered: {
    'zh-TW': (time: string) => `皮夾已於 ${time} 回覆，結果如下。`,
    en: (time: string) => `The wallet answered at ${time}; the result is below.`,
  },
  expired: {
    'zh-TW': () => '這個請求已逾時：對方未在時限內出示。請重新請求。',
    en: () => 'This request has expired: nothing was shared in time. Ask again.',
  },
  forgotten: {
    'zh-TW': () => '伺服器已不記得這個請求（可能已重新啟動）。請重新請求。',
    en: () => 'The server no longer knows this request (it may have restarted). Ask again.',
  },
  busy: {
    'zh-TW': () => '目前進行中的請求太多，請稍候再試。',
    en: () => 'Too many requests are open right now; try again shortly.',
  },
  refused: {
    'zh-TW': () => '伺服器不接受這個請求。請重新整理本頁後再試。',
    en: () => 'The server refused this request. Reload the page and try again.',
  },
  unreachable: {
    'zh-TW': () => '無法連線到伺服器，請確認網路連線後重新請求。',
    en: () => 'The server cannot be reached; check the connection and ask again.',
  },
} satisfies Record<string, Record<Language, (time: string) => string>>;
export type WalletRequestState = keyof typeof walletRequestStateWords;

/** The view's fixed text. */
export const walletRequestWords = {
  heading: { 'zh-TW': '請對方用數位皮夾出示', en: 'Request from a wallet' },
  typeLabel: { 'zh-TW': '憑證種類', en: 'Credential type' },
  profileLabel: { 'zh-TW': '對方的數位皮夾', en: "The holder's wallet" },
  claimsLegend: { 'zh-TW': '要查看的欄位', en: 'What to see' },
  create: { 'zh-TW': '產生 QR Code', en: 'Make the QR code' },
  close: { 'zh-TW': '關閉', en: 'Close' },
  cancel: { 'zh-TW': '取消請求', en: 'Cancel the request' },
  askAgain: { 'zh-TW': '重新請求', en: 'Ask again' },
  noClaims: { 'zh-TW': '請至少勾選一個欄位。', en: 'Tick at least one field.' },
  asked: { 'zh-TW': '請求的欄位：', en: 'Asked for: ' },
  qrLabel: {
    'zh-TW': '請求出示憑證的 QR Code，請用數位皮夾掃描',
    en: 'QR code of the request, to scan with a wallet',
  },
  sameDevice: { 'zh-TW': '憑證在這支手機上？開啟數位皮夾', en: 'The credential is on this phone? Open the wallet' },
  unsigned: {
    'zh-TW': '皮夾會顯示請求來自本站網址；這個請求未經簽署。',
    en: 'The wallet shows that the request comes from this site’s address; the request is not signed.',
  },
  signed: {
    'zh-TW': '這個請求已用本站的憑證簽署：皮夾會顯示經驗證的本站網域名稱。',
    en: 'The request is signed with this site’s certificate: the wallet shows this site’s verified domain name.',
  },
  shownHeading: { 'zh-TW': '對方出示的內容', en: 'What was shared' },
  shownNote: {
    'zh-TW': '只顯示您請求且對方出示的欄位；其他內容沒有離開對方的皮夾。',
    en: 'Only the fields you asked for and the holder shared; nothing else left their wallet.',
  },
  nothingShown: {
    'zh-TW': '無法證實出示的內容由核發機關簽署，因此不予顯示。',
    en: 'What was shared cannot be shown to be signed by the issuer, so it is not shown.',
  },
  reasonsHeading: { 'zh-TW': '原因', en: 'Why' },
  privacy: {
    'zh-TW':
      '在這裡，對方的皮夾會把出示的欄位直接送到本站伺服器檢查；伺服器只保留您請求的欄位，幾分鐘後即刪除，本裝置不保存。',
    en: "Here the other person's wallet sends what it shares straight to this site's server to be checked; the server keeps only the fields you asked for, for a few minutes, and this device keeps none.",
  },
} satisfies Record<string, Record<Language, string>>;

/**
 * The wallets a request can be made for (`@credledger/oid4vc`'s `WalletProfile`): IETF and EU wallets
 * (OpenID4VP 1.0, DCQL, `dc+sd-jwt`) or Taiwan's digital wallet (Presentation Exchange, `vc+sd-jwt`).
 */
export type WalletProfile = 'ietf' | 'tw-diw';

export const walletProfileWords = {
  ietf: { 'zh-TW': '歐盟或其他 OpenID4VP 1.0 皮夾', en: 'An EU or other OpenID4VP 1.0 wallet' },
  'tw-diw': { 'zh-TW': '數位憑證皮夾（數位發展部）', en: "Taiwan's digital wallet (Ministry of Digital Affairs)" },
} satisfies Record<WalletProfile, Record<Language, string>>;

/** Minutes and seconds a request can still be answered, e.g. 4:05. */
export const timeLeftWords = {
  'zh-TW': (clock: string) => `剩餘時間 ${clock}`,
  en: (clock: string) => `Time left ${clock}`,
} satisfies Record<Language, (clock: string) => string>;

/**
 * Why a wallet's answer is not what was asked, besides the pipeline's own reasons: the OpenID4VP
 * verifier's (`@credledger/oid4vc`'s `AnswerFailure`; the page reads them from JSON, and its tests hold
 * the two lists equal).
 */
export type AnswerFailure =
  | 'RESPONSE_MALFORMED'
  | 'PRESENTATION_NOT_AS_QUERIED'
  | 'CREDENTIAL_TYPE_NOT_REQUESTED'
  | 'FORMAT_NOT_REQUESTED'
  | 'KEY_BINDING_MISSING'
  | 'CLAIM_NOT_DISCLOSED'
  | 'VERIFICATION_FAILED'
  | 'WALLET_DECLINED'
  | 'WALLET_ERROR';

export const answerFailureWords = {
  RESPONSE_MALFORMED: { 'zh-TW': '皮夾的回覆無法讀取', en: "The wallet's answer cannot be read" },
  PRESENTATION_NOT_AS_QUERIED: {
    'zh-TW': '皮夾回覆的不是所請求的那一份憑證',
    en: 'The wallet did not answer with the one credential asked for',
  },
  CREDENTIAL_TYPE_NOT_REQUESTED: {
    'zh-TW': '出示的是另一種憑證',
    en: 'A credential of another type was shown',
  },
  FORMAT_NOT_REQUESTED: {
    'zh-TW': '出示的憑證格式不是所請求的（需要 IETF SD-JWT VC）',
    en: 'The credential is not in the format asked for (an IETF SD-JWT VC)',
  },
  KEY_BINDING_MISSING: {
    'zh-TW': '缺少持有者簽章：任何拿到副本的人都可能送出這份回覆',
    en: "No holder's signature: anyone with a copy could have sent it",
  },
  CLAIM_NOT_DISCLOSED: {
    'zh-TW': '有請求的欄位未出示（對方拒絕，或憑證上沒有這個欄位）',
    en: 'A field asked for was not shared (declined, or the credential has no such field)',
  },
  VERIFICATION_FAILED: {
    'zh-TW': '伺服器驗證時發生錯誤',
    en: 'The server failed while checking it',
  },
  WALLET_DECLINED: {
    'zh-TW': '對方在皮夾中拒絕出示，或皮夾中沒有所請求的憑證',
    en: 'The holder declined in the wallet, or the wallet holds no credential asked for',
  },
  WALLET_ERROR: {
    'zh-TW': '皮夾無法處理這個請求，回覆了錯誤',
    en: 'The wallet could not handle the request and answered with an error',
  },
} satisfies Record<AnswerFailure, Record<Language, string>>;

/**
 * What a wallet's answer can come to: the pipeline's verdicts, a genuine credential not as asked, or no
 * credential at all (the wallet answered with an error).
 */
export type PresentationVerdict = Verdict | 'NOT_AS_REQUESTED' | 'DECLINED';

/** The verdict words of a scanned credential, and those of an answer that is not what was asked. */
export const presentationVerdictWords = {
  ...verdictWords,
  NOT_AS_REQUESTED: {
    tone: 'bad',
    symbol: '≠',
    title: { 'zh-TW': '與請求不符', en: 'Not as requested' },
    detail: {
      'zh-TW': () => '皮夾出示的不是所請求的憑證或欄位（原因如下），請勿採信，並請對方重新出示',
      en: () => 'The wallet did not share what was asked for (see why below); do not rely on it, and ask again',
    },
  },
  // Nothing was shown: no credential to judge, so neither good nor bad.
  DECLINED: {
    tone: 'warn',
    symbol: '–',
    title: { 'zh-TW': '未出示', en: 'Not shared' },
    detail: {
      'zh-TW': () => '對方的皮夾沒有出示任何憑證（原因如下）；這不代表任何憑證有問題，需要時可以重新請求',
      en: () =>
        "The wallet shared no credential (see why below); this says nothing about anyone's credential. Ask again if needed",
    },
  },
} satisfies Record<PresentationVerdict, VerdictWords>;
