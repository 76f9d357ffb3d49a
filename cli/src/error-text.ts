/**
 * What the CLI says about every error it can print, in both languages, keyed by error code.
 *
 * Each code has a `phrase`: what the code means, said when an error carries no sentence of its own in
 * the operator's language — the chaincode's and the sdk's errors cross the wire in English only. A
 * phrase may name values the error's `details` carry: `{name}` inside `[…]`, a part left out when the
 * error has no such value.
 *
 * The other entries of a code are the sentences of errors the CLI raises itself (`cliError(code,
 * situation, params)` in context.ts builds them): the English one is the error's message (what
 * `--json` and logs carry), and both languages are what stderr shows. Their `{name}` placeholders are
 * typed: `Params` requires every name either language uses.
 */
import type { Pkcs11ErrorCode } from '@credledger/pkcs11';
import type { ErrorCode } from '@credledger/verify';

/** A text in both languages the CLI speaks. */
export interface Text {
  readonly 'zh-TW': string;
  readonly en: string;
}

/** A sentence of an error, and the next step when it is not the code's usual one (i18n `hint.<CODE>`). */
export interface Sentence extends Text {
  readonly hint?: Text;
}

/** Codes the CLI prints besides the sdk's: usage errors (commander's and its own) and bugs. */
export const cliErrorCodes = ['USAGE', 'INTERNAL'] as const;

/** Every code an `error CODE: …` line can carry. */
export type PrintedCode = ErrorCode | Pkcs11ErrorCode | (typeof cliErrorCodes)[number];

type CodeTexts = { readonly phrase: Text } & { readonly [situation: string]: Sentence };

export const errorTexts = {
  // ── input ──────────────────────────────────────────────────────────────────────────────────
  INVALID_INPUT: {
    phrase: { 'zh-TW': '輸入的內容不正確', en: 'the input is not valid' },
    tokenFlags: {
      'zh-TW': '權杖中的金鑰需要 --pkcs11 <模組>、--token <標籤> 與 --key-label <標籤> 三者',
      en: 'a key in a token needs all of --pkcs11 <module>, --token <label> and --key-label <label>',
    },
    tokenKeyAlg: {
      'zh-TW': 'PKCS#11 權杖中的金鑰為 ES256（P-256）',
      en: 'a key in a PKCS#11 token is ES256 (P-256)',
    },
    nameTheTokenKey: {
      'zh-TW': '請以 --pkcs11、--token 與 --key-label 指明金鑰',
      en: 'name the key with --pkcs11, --token and --key-label',
    },
    documentFromId: {
      'zh-TW': '只有憑證編號無法製作文件：帳本只存摘要，從不存憑證',
      en: 'a credential id alone cannot make a document: the ledger keeps digests, never credentials',
      hint: {
        'zh-TW': '請給憑證的 JWT 檔（`issue --out`、`issue-batch` 的 `jwt/` 目錄）、連結或 QR 圖檔',
        en: "give the credential's JWT file (issue --out, issue-batch's jwt/ folder), its link or its QR image",
      },
    },
    pdfWithoutCredentialOrQr: {
      'zh-TW': '{file}：這份 PDF 沒有附帶憑證，頁面上也讀不到 QR 碼（{reason}）',
      en: '{file}: {reason}',
      hint: {
        'zh-TW':
          '請用相機掃描印出的紙本，或驗證其頁面的圖檔：pdftoppm -r 150 -png file.pdf page && credledger verify page-1.png',
        en: 'scan the printed paper with a camera, or verify a picture of its page: pdftoppm -r 150 -png file.pdf page && credledger verify page-1.png',
      },
    },
    pdfWithoutCredential: {
      'zh-TW': '{file}：這份 PDF 沒有附帶憑證（{reason}）',
      en: '{file}: {reason}',
      hint: {
        'zh-TW':
          '請掃描印在上面的 QR 碼，或驗證其頁面的圖檔：pdftoppm -r 150 -png file.pdf page && credledger verify page-1.png',
        en: 'scan the QR code printed on it, or verify a picture of its page: pdftoppm -r 150 -png file.pdf page && credledger verify page-1.png',
      },
    },
    initPort: {
      'zh-TW': '--port 須為埠號，不是 {value}',
      en: '--port must be a port number, not {value}',
    },
    demoPort: { 'zh-TW': '--port 須為 1 到 65535，不是 {value}', en: '--port must be 1..65535, not {value}' },
    servePort: { 'zh-TW': '--port 須為 0 到 65535，不是 {value}', en: '--port must be 0..65535, not {value}' },
    demoWalletLocal: {
      'zh-TW': 'demo --wallet 的示範皮夾在本機執行：請勿與 --host（非本機）或 --public-url 同用',
      en: 'the wallet of demo --wallet runs on this machine: use it without a non-local --host or --public-url',
    },
    offerValidFor: {
      'zh-TW': '--valid-for 須為 30m、24h、7d 這類期間（最長 30 天），不是 {value}',
      en: '--valid-for must be a duration such as 30m, 24h or 7d (at most 30 days), not {value}',
    },
    fabricNeedsConnection: {
      'zh-TW': '--ledger fabric 需要 --connection <檔案>',
      en: '--ledger fabric needs --connection <file>',
    },
    sdJwtNeedsProfile: {
      'zh-TW': '--format sd-jwt 需要 --profile tw-diw 或 --profile ietf',
      en: '--format sd-jwt needs --profile tw-diw or --profile ietf',
    },
    profileNeedsSdJwt: {
      'zh-TW': '--profile 與 --holder-key 僅用於 --format sd-jwt',
      en: '--profile and --holder-key apply only to --format sd-jwt',
    },
    holderKeyFile: {
      'zh-TW': '--holder-key 須為持有者公鑰的 JWK 檔（JSON），{file} 不是',
      en: "--holder-key must be a JSON file with the holder's public JWK; {file} is not",
    },
    sdJwtNoDocument: {
      'zh-TW': 'SD-JWT 憑證尚無可列印文件（交給數位皮夾，不印出）；文件請由 `--format vc+jwt` 核發的憑證產生',
      en: 'an SD-JWT credential has no printable document yet (it goes to a wallet, not on paper); make documents from credentials issued as vc+jwt',
    },
    sdJwtNoQr: {
      'zh-TW': 'SD-JWT 憑證尚無 QR 碼或 PDF（交給數位皮夾，不印出）；請以 --out 取得，或改用 --format vc+jwt',
      en: 'an SD-JWT credential has no QR code or PDF yet (it goes to a wallet, not on paper); use --out, or --format vc+jwt',
    },
    ledgerBackend: {
      'zh-TW': '--ledger 須為 embedded 或 fabric，不是 {value}',
      en: '--ledger must be embedded or fabric, not {value}',
    },
    reasonMissing: {
      'zh-TW': '{verb} 需要 --reason <代碼>（{id}）：可用 {accepted}',
      en: '{verb} needs --reason <code> (for {id}): one of {accepted}',
    },
    reasonMissingOnLine: {
      'zh-TW': '{verb} 需要 --reason <代碼>（第 {line} 列）：可用 {accepted}',
      en: '{verb} needs --reason <code> (line {line}): one of {accepted}',
    },
    reasonRefused: {
      'zh-TW': '{verb} 不接受理由 {reason}（{id}）；可用 {accepted}',
      en: '{verb} does not take reason {reason} (for {id}); it takes {accepted}',
    },
    reasonRefusedOnLine: {
      'zh-TW': '{verb} 不接受理由 {reason}（第 {line} 列）；可用 {accepted}',
      en: '{verb} does not take reason {reason} (line {line}); it takes {accepted}',
    },
    supersededByHand: {
      'zh-TW':
        '{verb} 不可手動指定理由 {reason}（{id}）：換發是以 `credledger issue --supersede`（或 `issue-batch --supersede`）核發新憑證，同時撤銷舊憑證並連結兩者',
      en: '{verb} does not take reason {reason} by hand (for {id}): a credential is superseded by issuing its successor with `credledger issue --supersede` (or `issue-batch --supersede`), which revokes it and links the two',
    },
    supersededByHandOnLine: {
      'zh-TW':
        '{verb} 不可手動指定理由 {reason}（第 {line} 列）：換發是以 `credledger issue --supersede`（或 `issue-batch --supersede`）核發新憑證，同時撤銷舊憑證並連結兩者',
      en: '{verb} does not take reason {reason} by hand (line {line}): a credential is superseded by issuing its successor with `credledger issue --supersede` (or `issue-batch --supersede`), which revokes it and links the two',
    },
    noIdColumn: { 'zh-TW': '{file} 沒有 id 欄', en: '{file} has no id column' },
    noFileColumn: { 'zh-TW': '{file} 沒有 file 欄', en: '{file} has no file column' },
    notADate: { 'zh-TW': '{flag} 不是日期：{value}', en: '{flag} is not a date: {value}' },
    notATime: { 'zh-TW': '{flag} 不是時間：{value}', en: '{flag} is not a time: {value}' },
    verifyAt: {
      'zh-TW': '--at 不是時間：{value}',
      en: '--at is not a time: {value}',
      hint: {
        'zh-TW': '請給時間，例如 2026-01-31T12:00:00+08:00',
        en: 'give a time such as 2026-01-31T12:00:00+08:00',
      },
    },
    severalIssuers: {
      'zh-TW': '本工作區有多個發行者可核發 {type}',
      en: 'several issuers of this workspace may issue {type}',
      hint: { 'zh-TW': '以 --issuer <did> 指定其一', en: 'name one with --issuer <did>' },
    },
    publicUrl: {
      'zh-TW': '--public-url 須為不含查詢字串與片段的 http(s) 網址，例如 http://192.168.1.20:8080，不是 {value}',
      en: '--public-url must be an http(s) URL without query or fragment, such as http://192.168.1.20:8080, not {value}',
    },
    notJson: { 'zh-TW': '{file} 不是 JSON', en: '{file} is not JSON' },
    watchWhat: {
      'zh-TW': '請指定憑證編號，或 --issuer / --type',
      en: 'name credential ids, or --issuer / --type',
      hint: {
        'zh-TW': '例如 credledger watch urn:uuid:… [--issuer did:web:…]',
        en: 'credledger watch urn:uuid:… [--issuer did:web:…]',
      },
    },
    watchServerIds: {
      'zh-TW': '服務只串流指定編號的憑證變更',
      en: 'a server streams changes of named credential ids only',
      hint: {
        'zh-TW': '拿掉 --issuer/--type，或改看工作區的帳本',
        en: 'drop --issuer/--type, or watch the workspace ledger',
      },
    },
    fromBlock: {
      'zh-TW': '--from-block 須為區塊編號，不是 {value}',
      en: '--from-block must be a block number, not {value}',
    },
    alg: { 'zh-TW': '--alg 須為 ES256 或 EdDSA', en: '--alg must be ES256 or EdDSA' },
    subscriptionOwner: {
      'zh-TW': '服務只讓訂閱者本人查看訂閱',
      en: 'a server shows a subscription only to its owner',
      hint: {
        'zh-TW': '給 `subscriptions add` 所回的 --id 與 --token',
        en: 'pass --id and --token from `subscriptions add`',
      },
    },
    subscriptionToken: {
      'zh-TW': '經由服務取消訂閱需要訂閱的 token',
      en: 'removing through a server needs the subscription token',
      hint: { 'zh-TW': '給 `subscriptions add` 所回的 --token', en: 'pass --token from `subscriptions add`' },
    },
    noSubscription: {
      'zh-TW': '此狀態目錄中沒有訂閱 {id}',
      en: 'no subscription {id} in this state directory',
    },
    workers: {
      'zh-TW': '--workers 須為 1 到 999 的整數，不是 "{value}"',
      en: '--workers must be a whole number from 1 to 999, not "{value}"',
    },
    perTx: { 'zh-TW': '--per-tx 須為 1 到 2000', en: '--per-tx must be 1..2000' },
  },
  SCHEMA_INVALID: {
    phrase: { 'zh-TW': '內容不符合此類憑證的欄位規則', en: "the content breaks its type's field rules" },
  },
  UNKNOWN_CREDENTIAL_TYPE: {
    phrase: { 'zh-TW': '沒有這種憑證類型[：{type}]', en: 'no such credential type[: {type}]' },
  },
  CREDENTIAL_MALFORMED: {
    phrase: { 'zh-TW': '這不是可讀取的憑證', en: 'this is not a readable credential' },
    notALink: { 'zh-TW': '這不是憑證連結：{reason}', en: 'not a credential link: {reason}' },
    notACredential: { 'zh-TW': '這不是憑證：{reason}', en: 'not a credential: {reason}' },
    notCredential: {
      'zh-TW': '{value} 不是憑證、憑證連結，也不是含有憑證的檔案',
      en: '{value} is not a credential, a credential link or a file holding one',
    },
  },
  QR_UNREADABLE: {
    phrase: { 'zh-TW': '影像中讀不到 QR 碼', en: 'no QR code can be read in the image' },
  },
  FILE_NOT_FOUND: {
    phrase: { 'zh-TW': '找不到或無法讀寫檔案[：{path}]', en: 'a file cannot be found, read or written[: {path}]' },
    cannotRead: { 'zh-TW': '無法讀取 {file}', en: 'cannot read {file}' },
    noReadableFile: { 'zh-TW': '沒有可讀取的檔案 {value}', en: 'no readable file {value}' },
    doesNotExist: { 'zh-TW': '{file} 不存在', en: '{file} does not exist' },
    noBatchResult: {
      'zh-TW': '{file} 不存在',
      en: '{file} does not exist',
      hint: {
        'zh-TW': '請先為此目錄執行 `credledger issue-batch`',
        en: 'run `credledger issue-batch` for this directory first',
      },
    },
    batchFileMissing: {
      'zh-TW': '{file} 不存在',
      en: '{file} does not exist',
      hint: {
        'zh-TW': '以相同參數重跑 `credledger issue-batch`，它會補寫遺失的檔案',
        en: 'rerun `credledger issue-batch` with the same arguments: it writes missing files again',
      },
    },
    outputDir: { 'zh-TW': '無法建立輸出目錄 {dir}', en: 'cannot create the output directory {dir}' },
    governanceKeys: {
      'zh-TW': '無法讀取治理機關公鑰檔 {file}',
      en: 'cannot read the governance key file {file}',
      hint: {
        'zh-TW': '以 `credledger trust-list export` / `credledger status-list publish` 寫出',
        en: 'write it with `credledger trust-list export` / `credledger status-list publish`',
      },
    },
    trustList: {
      'zh-TW': '無法讀取信任清單 {file}',
      en: 'cannot read the trust list {file}',
      hint: {
        'zh-TW': '以 `credledger trust-list export` / `credledger status-list publish` 寫出',
        en: 'write it with `credledger trust-list export` / `credledger status-list publish`',
      },
    },
  },
  CONFIG_INVALID: {
    phrase: { 'zh-TW': '設定不正確[：{path}]', en: 'a setting is not valid[: {path}]' },
    notValidJson: { 'zh-TW': '{file} 不是有效的 JSON', en: '{file} is not valid JSON' },
    verifierKey: {
      'zh-TW': '{file} 不是未加密的 PEM 私鑰（PKCS#8 或 SEC1）',
      en: '{file} is not an unencrypted PEM private key (PKCS#8 or SEC1)',
    },
    field: { 'zh-TW': '{file}：{field} 缺少或錯誤', en: '{file}: {field} is missing or wrong' },
    orderingRetrySeconds: {
      'zh-TW': '{file}：ledger.orderingRetrySeconds 應為 0 以上的秒數（例如 30；0 表示排序失敗時不重送）',
      en: '{file}: ledger.orderingRetrySeconds must be a number of seconds ≥ 0 (e.g. 30; 0 never re-sends after an ordering failure)',
    },
    backendMissing: {
      'zh-TW': '此帳本需要 {package}，但它沒有安裝',
      en: 'this ledger needs {package}, which is not installed',
      hint: {
        'zh-TW': '在 credledger 旁安裝它（`npm install {package}`），或重新安裝 credledger 時不要加 `--omit=optional`',
        en: 'install it beside credledger (`npm install {package}`), or reinstall credledger without `--omit=optional`',
      },
    },
    noConnection: {
      'zh-TW': 'credledger.json 中沒有 {mspId} 的 Fabric 連線設定檔',
      en: 'no Fabric connection file for {mspId} in credledger.json',
      hint: {
        'zh-TW': '以 `credledger init --ledger fabric --connection <檔案>` 加入',
        en: 'add one with `credledger init --ledger fabric --connection <file>`',
      },
    },
    noGovernanceKey: {
      'zh-TW': '離線驗證沒有釘選的治理機關公鑰',
      en: 'no governance key is pinned for offline verification',
      hint: {
        'zh-TW': '給 --governance-keys <檔案>，或在工作區執行 `credledger trust-list export`',
        en: 'pass --governance-keys <file>, or run `credledger trust-list export` in the workspace',
      },
    },
    governanceKeysNotJson: { 'zh-TW': '{file} 不是 JSON', en: '{file} is not JSON' },
    noGovernanceKeys: {
      'zh-TW': '{file} 中沒有治理機關公鑰（{shape}）',
      en: '{file} holds no governance keys ({shape})',
    },
    ledgerProtectFabric: {
      'zh-TW': 'ledger protect-keys 加密內嵌帳本的本地身分；Fabric 身分的金鑰由其 MSP 資料夾或 PKCS#11 權杖保管',
      en: "ledger protect-keys seals an embedded ledger's local identities; a Fabric identity's key is kept by its MSP folder or a PKCS#11 token",
      hint: {
        'zh-TW': '見 network/README.md 的「權杖中的 Fabric 身分」',
        en: 'see "A Fabric identity in a token" in network/README.md',
      },
    },
    ledgerVerifyFabric: {
      'zh-TW': 'ledger verify 檢查內嵌帳本；Fabric 的節點自行驗證區塊',
      en: 'ledger verify checks an embedded ledger; a Fabric peer verifies its own blocks',
      hint: { 'zh-TW': '在 Fabric 上請用 `peer node` 工具', en: 'use `peer node` tooling on Fabric' },
    },
  },
  WORKSPACE_NOT_FOUND: {
    phrase: { 'zh-TW': '找不到工作區', en: 'no workspace found' },
    upwards: {
      'zh-TW': '這裡及所有上層目錄都沒有 {file}',
      en: 'no {file} here or in any parent folder',
    },
    inDir: { 'zh-TW': '{dir} 中沒有 {file}', en: 'no {file} in {dir}' },
  },
  WORKSPACE_EXISTS: {
    phrase: { 'zh-TW': '這裡已有工作區', en: 'a workspace is already here' },
    holdsConfig: { 'zh-TW': '{dir} 已有 {file}', en: '{dir} already holds a {file}' },
    demoFolder: {
      'zh-TW': '{dir} 不是空目錄，也不是先前的示範目錄',
      en: '{dir} is not empty and holds no earlier demo',
      hint: { 'zh-TW': '請給空的或新的目錄', en: 'give an empty or new folder' },
    },
  },
  BATCH_TOO_LARGE: {
    phrase: { 'zh-TW': '一筆交易的憑證太多', en: 'too many credentials for one transaction' },
  },

  // ── registry and credential state ──────────────────────────────────────────────────────────
  ISSUER_NOT_FOUND: {
    phrase: { 'zh-TW': '帳本上沒有此發行者[：{did}]', en: 'no such issuer is registered[: {did}]' },
    noneForType: {
      'zh-TW': '本工作區沒有可核發 {type} 的發行者',
      en: 'no issuer of this workspace may issue {type}',
      hint: { 'zh-TW': '以 --issuer <did> 指定', en: 'name one with --issuer <did>' },
    },
    notOperated: {
      'zh-TW': '本工作區不代表 {did} 作業',
      en: 'this workspace does not operate {did}',
      hint: {
        'zh-TW': '以 --as <MspId/使用者> 指定身分，或在此登記該發行者',
        en: 'pass --as <MspId/user>, or register the issuer here',
      },
    },
  },
  ISSUER_EXISTS: {
    phrase: { 'zh-TW': '此發行者已登記[：{did}]', en: 'the issuer is already registered[: {did}]' },
  },
  ISSUER_INACTIVE: {
    phrase: {
      'zh-TW': '發行者已暫停或終止，不能核發或變更憑證[：{did}]',
      en: 'the issuer is suspended or deactivated[: {did}]',
    },
  },
  TYPE_NOT_ALLOWED: {
    phrase: { 'zh-TW': '發行者未獲授權核發此類憑證', en: 'the issuer may not issue this type' },
  },
  KEY_NOT_FOUND: {
    phrase: { 'zh-TW': '發行者沒有這把金鑰[：{kid}]', en: 'the issuer has no such key[: {kid}]' },
    walletNoIssuer: {
      'zh-TW': 'serve --wallet 需要本工作區發行者的簽章金鑰，但一把也沒有',
      en: 'serve --wallet needs the signing key of an issuer this workspace operates, and it holds none',
    },
    noSigningKey: {
      'zh-TW': '本工作區沒有 {did} 仍有效的簽章金鑰',
      en: 'this workspace holds no active signing key of {did}',
      hint: {
        'zh-TW': '以 `credledger issuer rotate-key` 換發新金鑰（權杖中的金鑰用 `credledger issuer add-key`）',
        en: 'rotate to a new key with `credledger issuer rotate-key` (or `credledger issuer add-key` for one in a token)',
      },
    },
  },
  KEY_EXISTS: {
    phrase: { 'zh-TW': '發行者已有此名稱的金鑰[：{kid}]', en: 'the issuer already has a key of this name[: {kid}]' },
  },
  KEY_NOT_ACTIVE: {
    phrase: {
      'zh-TW': '金鑰已停用或遭破解，不能再簽署[：{kid}]',
      en: 'the key is retired or compromised and signs nothing more[: {kid}]',
    },
  },
  CREDENTIAL_NOT_FOUND: {
    phrase: { 'zh-TW': '帳本上沒有此憑證[：{id}]', en: 'no such credential is anchored[: {id}]' },
  },
  ID_CONFLICT: {
    phrase: {
      'zh-TW': '此憑證編號已錨定另一份內容[：{id}]',
      en: 'this credential id already anchors other content[: {id}]',
    },
  },
  INVALID_TRANSITION: {
    phrase: { 'zh-TW': '目前的狀態不能這樣變更', en: 'the status cannot change that way' },
    batchSuspended: {
      'zh-TW':
        '第 {line} 列的對象已有停止中的憑證 {id}（{type}，{issuer}）；停止中的憑證不能換發（須先恢復或撤銷）；未簽署任何憑證',
      en: 'row {line} already has SUSPENDED credential {id} ({type} of {issuer}); a suspended credential is not superseded (reinstate or revoke it first); nothing was signed',
    },
    batchSuspendedMany: {
      'zh-TW':
        '第 {line} 列的對象已有停止中的憑證 {id}（{type}，{issuer}），另有 {more} 列的對象也已有憑證（全部列於 {file}）；停止中的憑證不能換發（須先恢復或撤銷）；未簽署任何憑證',
      en: 'row {line} already has {status} credential {id} ({type} of {issuer}), and {more} more rows have one too (all in {file}); a suspended credential is not superseded (reinstate or revoke it first); nothing was signed',
    },
  },
  SUBJECT_HAS_ACTIVE_CREDENTIAL: {
    phrase: {
      'zh-TW': '此對象已有憑證[ {credentialId}]；未簽署任何憑證',
      en: 'the subject already has a credential[ {credentialId}]; nothing was signed',
    },
    offerSubjectHeld: {
      'zh-TW': '此對象已有憑證 {credentialId}（{status}），錢包兌換時會被拒絕；未建立要約（換發請加 --supersede）',
      en: 'the subject already has {status} credential {credentialId}, so the wallet could not redeem the offer; no offer was made (to replace it, add --supersede)',
    },
    batchHeld: {
      'zh-TW': '第 {line} 列的對象已有憑證 {id}（{status}；{type}，{issuer}）；未簽署任何憑證',
      en: 'row {line} already has {status} credential {id} ({type} of {issuer}); nothing was signed',
    },
    batchHeldMany: {
      'zh-TW':
        '第 {line} 列的對象已有憑證 {id}（{status}；{type}，{issuer}），另有 {more} 列的對象也已有憑證（全部列於 {file}）；未簽署任何憑證',
      en: 'row {line} already has {status} credential {id} ({type} of {issuer}), and {more} more rows have one too (all in {file}); nothing was signed',
    },
  },

  // ── authority and keys ─────────────────────────────────────────────────────────────────────
  ACCESS_DENIED: {
    phrase: { 'zh-TW': '此身分無權執行這項操作', en: 'this identity may not do this' },
  },
  NOT_INITIALIZED: {
    phrase: { 'zh-TW': '帳本尚未初始化', en: 'the ledger is not initialised' },
  },
  KEY_STORE_ERROR: {
    phrase: { 'zh-TW': '金鑰或金鑰檔有問題[：{path}]', en: 'a key or key file is not usable[: {path}]' },
    governanceUnsealed: {
      'zh-TW':
        '治理身分 {identity} 的私鑰以未加密的 PEM 檔存放，任何能讀取工作區的人都能以它變更發行者金鑰；請先加密帳本身分',
      en: 'the governance identity {identity} has its private key in a plain PEM file, so anyone who can read the workspace could change issuer keys with it; encrypt the ledger identities first',
      hint: {
        'zh-TW': '執行 `credledger ledger protect-keys`（以各組織的密語加密帳本身分金鑰）',
        en: "run `credledger ledger protect-keys` (seals the ledger identities' keys under each organisation's passphrase)",
      },
    },
  },
  PASSPHRASE_REQUIRED: {
    phrase: {
      'zh-TW': '需要密語[：{mspId} 的帳本身分金鑰]',
      en: "a passphrase is needed[: {mspId}'s ledger identity keys]",
    },
    noTerminal: {
      'zh-TW': '沒有設定 {env}，也沒有終端機可以詢問密語',
      en: 'no {env} and no terminal to ask on',
    },
    identityNoTerminal: {
      'zh-TW': '{mspId} 的帳本身分金鑰已加密：沒有設定 {env} 或 {general}，也沒有終端機可以詢問密語',
      en: "{mspId}'s ledger identity keys are sealed: no {env} or {general} and no terminal to ask on",
      hint: {
        'zh-TW': '設定 {general}（或某一組織專用的 {env}），或在終端機中執行以輸入密語',
        en: 'set {general} (or {env} for this organisation only), or run in a terminal to be prompted',
      },
    },
    empty: { 'zh-TW': '輸入的密語是空的', en: 'an empty passphrase was entered' },
    differ: { 'zh-TW': '兩次輸入的密語不同；未建立任何金鑰', en: 'the two entries differ; no key was made' },
  },
  PASSPHRASE_WRONG: {
    phrase: {
      'zh-TW': '密語無法開啟金鑰[ {path}]',
      en: 'the passphrase does not open the key[ {path}]',
    },
  },
  PASSPHRASE_WEAK: {
    phrase: {
      'zh-TW': '新密語至少需 {minLength} 個字元（中文字一字算兩個），且含 {minDistinct} 種不同字元',
      en: 'a new passphrase needs at least {minLength} characters (a Chinese character counts as two) and {minDistinct} different characters',
    },
  },

  // ── the ledger ─────────────────────────────────────────────────────────────────────────────
  LEDGER_UNAVAILABLE: {
    phrase: { 'zh-TW': '無法連線到帳本[ {directory}]', en: 'the ledger cannot be reached[: {directory}]' },
    unreachable: {
      'zh-TW': '無法連線到 {origin}',
      en: 'cannot reach {origin}: {reason}',
    },
  },
  LEDGER_LOCKED: {
    phrase: {
      'zh-TW': '帳本[ {directory} ]正由另一個程序使用[（程序 {pid}）]',
      en: 'the ledger[ {directory}] is in use by another process[ ({pid})]',
    },
  },
  LEDGER_CORRUPT: {
    phrase: { 'zh-TW': '帳本資料損毀[：{directory}]', en: 'the ledger is damaged[: {directory}]' },
  },
  MVCC_CONFLICT: {
    phrase: {
      'zh-TW': '另一筆交易同時修改了相同的資料[（交易 {txId}）]',
      en: 'another transaction changed the same record[ (transaction {txId})]',
    },
  },
  ENDORSEMENT_FAILED: {
    phrase: { 'zh-TW': '交易未能取得背書', en: 'the transaction could not be endorsed' },
  },
  TRANSACTION_INVALID: {
    phrase: {
      'zh-TW': '交易未被帳本接受[（交易 {txId}）]',
      en: 'the ledger did not accept the transaction[ ({txId})]',
    },
  },
  DEADLINE_EXCEEDED: {
    phrase: { 'zh-TW': '帳本沒有及時回應，結果不明', en: 'the ledger did not answer in time; the outcome is unknown' },
  },
  CHAINCODE_ERROR: {
    phrase: { 'zh-TW': '鏈碼發生錯誤', en: 'the chaincode failed' },
  },

  // ── PKCS#11 tokens (the next step of each is its hint, i18n-pkcs11.ts) ──────────────────────
  PKCS11_MODULE_UNAVAILABLE: {
    phrase: { 'zh-TW': '無法載入 PKCS#11 模組', en: 'the PKCS#11 module cannot be loaded' },
  },
  PKCS11_TOKEN_NOT_FOUND: {
    phrase: { 'zh-TW': '找不到權杖[：{token}]', en: 'no such token[: {token}]' },
  },
  PKCS11_PIN_REQUIRED: {
    phrase: { 'zh-TW': '需要權杖的 PIN', en: "the token's PIN is needed" },
    noTerminal: {
      'zh-TW': '沒有設定 {env}，也沒有終端機可以詢問權杖 {token} 的 PIN',
      en: 'no {env} and no terminal to ask for the PIN of token {token} on',
    },
    empty: { 'zh-TW': '輸入的 PIN 是空的', en: 'an empty PIN was entered' },
  },
  PKCS11_PIN_INCORRECT: {
    phrase: { 'zh-TW': '權杖的 PIN 不正確', en: "the token's PIN is not correct" },
  },
  PKCS11_PIN_LOCKED: {
    phrase: { 'zh-TW': '權杖的 PIN 已鎖住', en: "the token's PIN is locked" },
  },
  PKCS11_KEY_NOT_FOUND: {
    phrase: { 'zh-TW': '權杖中沒有此金鑰[：{keyLabel}]', en: 'the token holds no such key[: {keyLabel}]' },
  },
  PKCS11_KEY_EXISTS: {
    phrase: {
      'zh-TW': '權杖中已有此標籤的金鑰[：{keyLabel}]',
      en: 'the token already holds a key of this label[: {keyLabel}]',
    },
  },
  PKCS11_KEY_UNSUITABLE: {
    phrase: { 'zh-TW': '權杖中的這把金鑰不能用來簽署憑證', en: 'this key of the token cannot sign credentials' },
    extractable: {
      'zh-TW': '權杖 {token} 中的金鑰 {keyLabel} 可以離開權杖（可匯出或非敏感）',
      en: 'key {keyLabel} in token {token} can leave the token (extractable or not sensitive)',
      hint: {
        'zh-TW': '請改在權杖中產生金鑰：--generate 並給新的 --key-label',
        en: 'generate a key in the token instead: --generate with a new --key-label',
      },
    },
    notTheLedgersKey: {
      'zh-TW': '權杖 {token} 中的金鑰 {keyLabel} 不是帳本列為 {kid} 的金鑰',
      en: 'key {keyLabel} in token {token} is not the key the ledger lists as {kid}',
      hint: {
        'zh-TW': '檢查 credledger.json 的 pkcs11Keys，或以 `credledger issuer add-key` 加入權杖中的金鑰',
        en: "check pkcs11Keys in credledger.json, or add the token's key with `credledger issuer add-key`",
      },
    },
  },
  PKCS11_DEVICE_ERROR: {
    phrase: { 'zh-TW': '權杖裝置發生錯誤', en: 'the token device failed' },
  },

  // ── the CLI's own ──────────────────────────────────────────────────────────────────────────
  USAGE: {
    phrase: { 'zh-TW': '指令用法不正確', en: 'the command is not used as it should be' },
    unknownCommand: { 'zh-TW': '沒有指令「{name}」', en: "unknown command '{name}'" },
    unknownOption: { 'zh-TW': '沒有選項「{flag}」', en: "unknown option '{flag}'" },
    missingArgument: { 'zh-TW': '缺少必要的引數 {name}', en: "missing required argument '{name}'" },
    optionMissingArgument: { 'zh-TW': '選項 {flags} 缺少值', en: "option '{flags}' argument missing" },
    missingMandatoryOption: { 'zh-TW': '必須給選項 {flags}', en: "required option '{flags}' not specified" },
    excessArguments: {
      'zh-TW': '{command} 的引數太多：應有 {expected} 個，卻有 {received} 個：「{args}」',
      en: 'too many arguments for {command}: {expected} expected, {received} given: {args}',
    },
    verifierSigning: {
      'zh-TW': '--verifier-certificate 與 --verifier-key 須一起使用，且只用於 --wallet',
      en: '--verifier-certificate and --verifier-key go together, and only with --wallet',
    },
    idOrCsv: { 'zh-TW': '請給一個憑證編號，或 --csv <檔案>', en: 'give either one credential id or --csv <file>' },
    unexpectedArgument: { 'zh-TW': '多出的引數 {value}', en: 'unexpected argument {value}' },
    notAField: {
      'zh-TW': '沒有選項 {option}（不是 {type} 的欄位）',
      en: 'unknown option {option} (not a field of {type})',
    },
    needsValue: { 'zh-TW': '選項 {option} 需要值', en: 'option {option} needs a value' },
    apiAndStatusDir: {
      'zh-TW': '--api 與 --status-dir 只能擇一',
      en: '--api and --status-dir exclude each other',
      hint: { 'zh-TW': '選一個狀態來源', en: 'choose one source of status' },
    },
    csvTemplateType: {
      'zh-TW': '--csv-template 需要指定類型',
      en: '--csv-template needs a type',
      hint: {
        'zh-TW': '例如 `credledger types LawyerLicenceCredential --csv-template`',
        en: 'e.g. `credledger types LawyerLicenceCredential --csv-template`',
      },
    },
  },
  INTERNAL: {
    phrase: { 'zh-TW': '發生非預期的錯誤（程式缺陷）', en: 'an unexpected error (a bug)' },
    nothingIssued: { 'zh-TW': '核發沒有傳回任何憑證', en: 'issuance returned nothing' },
  },
} as const satisfies { readonly [C in PrintedCode]: CodeTexts };

/**
 * Sentences whose code is known only at run time: what another server answered, an sdk error about
 * one file of a batch.
 */
export const anyCodeTexts = {
  serverAnswered: {
    'zh-TW': '{origin} 回應 {status}[（{code}）]',
    en: '{origin} answered {status}[: {code} {message}]',
  },
  watchAnswered: {
    'zh-TW': '{origin} 對狀態串流的請求回應 {status}',
    en: '{origin} answered {status} to the watch request',
  },
  inFile: { 'zh-TW': '{file}：{sentence}', en: '{file}: {sentence}' },
} as const satisfies Readonly<Record<string, Sentence>>;

type Table = typeof errorTexts;

/** The situations of a code: its sentences other than the phrase. */
export type Situation<C extends PrintedCode> = Exclude<keyof Table[C], 'phrase'> & string;

/** The `{name}` placeholders of a template, as a union of names. */
type Placeholders<T> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The values a sentence names, every one either language uses. */
export type Params<C extends PrintedCode, S extends Situation<C>> = Table[C][S] extends Text
  ? { readonly [Name in Placeholders<Table[C][S]['en']> | Placeholders<Table[C][S]['zh-TW']>]: string | number }
  : never;

/** A value a template may name. */
type Values = Readonly<Record<string, unknown>>;

/**
 * Fills `{name}` placeholders from `values` (strings and numbers only); a `[…]` part naming a value
 * that is missing is left out, with its brackets (and a part naming every value it needs loses only
 * its brackets). Names with no value outside `[…]` stay as written.
 */
export function fillTemplate(template: string, values: Values): string {
  const value = (name: string): string | undefined => {
    const v = Object.hasOwn(values, name) ? values[name] : undefined;
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const fill = (text: string): string => text.replace(/\{(\w+)\}/g, (whole, name: string) => value(name) ?? whole);
  const optional = template.replace(/\[([^[\]]*)\]/g, (whole, part: string) => {
    const names = [...part.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    // Brackets around no placeholder are text (`[--issuer did:web:…]`).
    if (names.length === 0) return whole;
    return names.every((name) => value(name) !== undefined) ? part : '';
  });
  return fill(optional);
}

/** A sentence in both languages, filled. */
export function fillText(text: Text, values: Values): Text {
  return { 'zh-TW': fillTemplate(text['zh-TW'], values), en: fillTemplate(text.en, values) };
}

/** The phrase of a printed code, or undefined for a code this CLI does not know (a newer sdk's). */
export function phraseOf(code: string): Text | undefined {
  return Object.hasOwn(errorTexts, code)
    ? (errorTexts as Readonly<Record<string, CodeTexts>>)[code]?.phrase
    : undefined;
}
