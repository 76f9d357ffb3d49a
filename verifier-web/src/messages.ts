/**
 * Every sentence the verifier page shows, in zh-TW and English. Verdicts, check names, reason codes and
 * error codes are mapped exhaustively (`satisfies Record<…>`), so a new code fails the build until it has
 * words here.
 */
import type { CheckName, CheckReason, Verdict } from '@credledger/sdk/verify';

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
      'zh-TW': (c) => `有效 — 此${c.typeName}由${c.issuerName}核發，目前有效`,
      en: (c) => `Valid — issued by the ${c.issuerName}, currently in force`,
    },
  },
  REVOKED: {
    tone: 'bad',
    symbol: '✕',
    title: { 'zh-TW': '已撤銷', en: 'Revoked' },
    detail: {
      'zh-TW': (c) =>
        `已撤銷 — 此${c.typeName}已${c.date ? `於 ${c.date} ` : ''}由${c.issuerName}撤銷${c.reason ? `（原因：${c.reason}）` : ''}，不再有效`,
      en: (c) =>
        `Revoked — the ${c.issuerName} revoked this ${c.typeName}${c.date ? ` on ${c.date}` : ''}${c.reason ? ` (reason: ${c.reason})` : ''}; it is no longer valid`,
    },
  },
  SUSPENDED: {
    tone: 'bad',
    symbol: '⏸',
    title: { 'zh-TW': '已停止效力', en: 'Suspended' },
    detail: {
      'zh-TW': (c) =>
        `已停止效力 — 此${c.typeName}${c.date ? `自 ${c.date} 起` : ''}由${c.issuerName}暫停${c.reason ? `（原因：${c.reason}）` : ''}，目前不可使用`,
      en: (c) =>
        `Suspended — the ${c.issuerName} suspended this ${c.typeName}${c.date ? ` on ${c.date}` : ''}${c.reason ? ` (reason: ${c.reason})` : ''}; it is not in force now`,
    },
  },
  EXPIRED: {
    tone: 'bad',
    symbol: '⌛',
    title: { 'zh-TW': '已過期', en: 'Expired' },
    detail: {
      'zh-TW': (c) => `已過期 — 此${c.typeName}的效期${c.date ? `已於 ${c.date} ` : '已'}屆滿`,
      en: (c) => `Expired — this ${c.typeName} ${c.date ? `was valid until ${c.date}` : 'is past its validity period'}`,
    },
  },
  NOT_YET_VALID: {
    tone: 'warn',
    symbol: '⏳',
    title: { 'zh-TW': '尚未生效', en: 'Not yet valid' },
    detail: {
      'zh-TW': (c) => `尚未生效 — 此${c.typeName}${c.date ? `自 ${c.date} 起` : '尚未'}生效`,
      en: (c) => `Not yet valid — this ${c.typeName} ${c.date ? `takes effect on ${c.date}` : 'is not in force yet'}`,
    },
  },
  TAMPERED: {
    tone: 'bad',
    symbol: '✕',
    title: { 'zh-TW': '遭竄改', en: 'Tampered' },
    detail: {
      'zh-TW': () => '遭竄改 — 此憑證的內容與核發機關簽署的內容不符，請勿採信',
      en: () => 'Tampered — the content does not match what the issuer signed; do not rely on it',
    },
  },
  UNKNOWN_ISSUER: {
    tone: 'bad',
    symbol: '?',
    title: { 'zh-TW': '核發者不明', en: 'Unknown issuer' },
    detail: {
      'zh-TW': () => '核發者不明 — 此憑證不是由已登記的政府機關核發，請勿採信',
      en: () => 'Unknown issuer — this credential was not issued by a registered government agency; do not rely on it',
    },
  },
  WRONG_TYPE_FOR_ISSUER: {
    tone: 'bad',
    symbol: '✕',
    title: { 'zh-TW': '核發機關無權核發', en: 'Issuer not authorised' },
    detail: {
      'zh-TW': (c) => `核發機關無權核發 — ${c.issuerName}未獲授權核發此類憑證，請勿採信`,
      en: (c) =>
        `Issuer not authorised — the ${c.issuerName} is not authorised to issue this kind of credential; do not rely on it`,
    },
  },
  MALFORMED: {
    tone: 'bad',
    symbol: '✕',
    title: { 'zh-TW': '無法辨識', en: 'Not readable' },
    detail: {
      'zh-TW': () => '無法辨識 — 這不是可驗證的憑證，或內容不完整',
      en: () => 'Not readable — this is not a verifiable credential, or it is incomplete',
    },
  },
  UNVERIFIABLE: {
    tone: 'warn',
    symbol: '!',
    title: { 'zh-TW': '暫時無法確認狀態', en: 'Cannot check status right now' },
    detail: {
      'zh-TW': (c) =>
        `暫時無法確認狀態 — 簽章正確，由${c.issuerName}核發，但目前無法查詢是否已被撤銷或停止，請稍後再試`,
      en: (c) =>
        `Cannot check status right now — the signature is genuine and it was issued by the ${c.issuerName}, but whether it has been revoked or suspended cannot be checked now; try again later`,
    },
  },
} satisfies Record<Verdict, VerdictWords>;

/** Status reason codes (data-model.md) in words. */
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
} satisfies Record<string, Record<Language, string>>;
export type ReasonCode = keyof typeof reasonWords;

/** Names of the pipeline's checks. */
export const checkWords = {
  decode: { 'zh-TW': '讀取憑證', en: 'Read the credential' },
  issuer: { 'zh-TW': '核發機關已登記', en: 'Issuer is registered' },
  'credential-type': { 'zh-TW': '核發機關有權核發此類憑證', en: 'Issuer may issue this type' },
  signature: { 'zh-TW': '數位簽章正確', en: 'Digital signature is genuine' },
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

export const checkResultWords = {
  pass: { 'zh-TW': '✓ 通過', en: '✓ Pass' },
  fail: { 'zh-TW': '✕ 未通過', en: '✕ Fail' },
  unknown: { 'zh-TW': '? 無法確認', en: '? Unknown' },
} satisfies Record<'pass' | 'fail' | 'unknown', Record<Language, string>>;

/** Fixed page text, keyed by the `data-i18n` attribute in index.html. */
export const uiWords = {
  title: { 'zh-TW': '數位憑證驗證', en: 'Verify a digital credential' },
  skip: { 'zh-TW': '跳至驗證結果', en: 'Skip to the result' },
  intro: {
    'zh-TW': '掃描或貼上憑證上的 QR Code，確認它是否真實、目前是否有效。',
    en: 'Scan or paste the QR code on a credential to see whether it is genuine and in force.',
  },
  inputHeading: { 'zh-TW': '提供憑證', en: 'Provide the credential' },
  scan: { 'zh-TW': '用相機掃描', en: 'Scan with the camera' },
  stopScan: { 'zh-TW': '停止掃描', en: 'Stop scanning' },
  upload: { 'zh-TW': '上傳照片或截圖', en: 'Upload a photo or screenshot' },
  cameraHint: { 'zh-TW': '請將 QR Code 對準框內。', en: 'Point the camera at the QR code.' },
  pasteLabel: { 'zh-TW': '或貼上憑證連結或內容', en: 'Or paste the credential link or text' },
  verify: { 'zh-TW': '驗證', en: 'Verify' },
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
  unregisteredIssuer: {
    'zh-TW': '未登記的核發者（名稱無法確認）',
    en: 'Unregistered issuer (name cannot be confirmed)',
  },
  issuerNameUnknown: { 'zh-TW': '核發機關', en: 'issuer' },
  detailsHidden: {
    'zh-TW': '簽章未通過驗證，內容無法採信，因此不予顯示。',
    en: 'The signature did not verify, so the details cannot be trusted and are not shown.',
  },
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
    'zh-TW': '無法開啟這個檔案，請上傳 PNG 或 JPEG 圖片。',
    en: 'This file cannot be opened; upload a PNG or JPEG image.',
  },
  EMPTY_INPUT: { 'zh-TW': '請先貼上憑證連結或內容。', en: 'Paste a credential link or text first.' },
  UNKNOWN_FORMAT: {
    'zh-TW': '此憑證使用較新的格式，請更新或重新整理本頁後再試。',
    en: 'This credential uses a newer format; reload or update the verifier and try again.',
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
